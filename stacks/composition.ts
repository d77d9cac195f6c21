import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AppRuntimeRole, mediaUploadStatement } from "../components/app/AppRuntimeRole";
import { appRuntimeRoleArgs, appStackOutputs } from "../components/app/config";
import { AccountBaseline } from "../components/baseline/AccountBaseline";
import { accountBaselineArgs, baselineStackOutputs, budgetStackOutputs, stackBudgetArgs } from "../components/baseline/config";
import { StackBudget } from "../components/baseline/StackBudget";
import { CiDeployRole } from "../components/ci/CiDeployRole";
import { ciDeployRoleArgs, ciStackOutputs } from "../components/ci/config";
import { Cdn } from "../components/edge/Cdn";
import { cdnArgs, cdnStackOutputs } from "../components/edge/config";
import { userPoolArgs, userPoolStackOutputs } from "../components/identity/config";
import { UserPool } from "../components/identity/UserPool";
import { mailDomainArgs, mailStackOutputs } from "../components/mail/config";
import { MailDomain } from "../components/mail/MailDomain";
import { mediaBucketArgs, mediaStackOutputs, videoPipelineArgs, videoStackOutputs } from "../components/media/config";
import { MediaBucket } from "../components/media/MediaBucket";
import { VideoPipeline } from "../components/media/VideoPipeline";
import { AlertTopic } from "../components/monitoring/AlertTopic";
import { alertStackOutputs, canaryStackOutputs, monitoringConfigArgs, monitoringStackOutputs, uptimeCanaryArgs } from "../components/monitoring/config";
import { Monitoring } from "../components/monitoring/Monitoring";
import { UptimeCanary } from "../components/monitoring/UptimeCanary";
import { sessionStackOutputs, sessionTableArgs } from "../components/sessions/config";
import { SessionTable } from "../components/sessions/SessionTable";
import type { StackOutputs } from "../components/shared/configField";
import type { StackConfig } from "./config";
import { REQUIRED_TAG_KEYS } from "./tags";

export type { StackOutputs };

/**
 * The composition shared by dev and prod: wiring only. Each component's module reads its own config
 * section (`components/<area>/config.ts`: its keys, defaults and `...Args`) and declares the stack
 * outputs it contributes; here the components meet. Stacks differ only by configuration.
 *
 * Order matters only for data flow: the alert topic comes first (everything alarms into it),
 * the media bucket before the CDN (the CDN reads from it), the mail domain before the user pool
 * (Cognito sends through SES).
 */
export function composeStack(config: StackConfig, provider: aws.Provider): StackOutputs {
  const opts: pulumi.ComponentResourceOptions = { providers: { aws: provider } };

  // GitHub Actions roles (OIDC) for deploy, preview and invalidate.yml (docs/monitoring.md).
  const ciArgs = ciDeployRoleArgs(config);
  const ci = ciArgs && new CiDeployRole("ci", ciArgs, opts);
  // Every role the stack creates after this carries the CI's permissions boundary and path, so the
  // deploy role may create and pass it and nothing stronger (components/ci/CiDeployRole.ts).
  if (ci) opts.transformations = [ci.managedRoleTransformation];

  // Alarms in the stack's region, Budgets, SES and EventBridge publish to `alerts.topicArn`;
  // alarms on CloudFront/WAF metrics (us-east-1) publish to `alerts.edgeTopicArn`.
  const alerts = new AlertTopic("alerts", { alertEmail: config.alertEmail }, opts);

  // Private media bucket, read by the CDN through OAC. The distribution needs the bucket's domain
  // name and the bucket's one policy needs the distribution's ARN: the ARN is deferred, resolved
  // once the CDN exists (components/media/MediaBucket.ts).
  const [cdnArn, resolveCdnArn] = pulumi.deferredOutput<string>();
  const media = new MediaBucket("media", { readerDistributionArns: [cdnArn], ...mediaBucketArgs(config) }, opts);

  // Uploaded videos become adaptive HLS under videos/<id>/ (docs/media.md, "The video pipeline").
  const videoArgs = videoPipelineArgs(config, media, alerts.topicArn);
  const video = videoArgs && new VideoPipeline("video", videoArgs, opts);

  // CloudFront in front of Vercel and the media bucket, with WAF, certificate, headers and logs (docs/edge.md).
  const cdn = new Cdn("edge", cdnArgs(config, media, alerts.edgeTopicArn), opts);
  resolveCdnArn(cdn.distributionArn);

  // SES domain (DKIM, MAIL FROM, DMARC), mpto-transactional, event handler and deliverability alarms (docs/mail.md).
  const mail = new MailDomain("mail", mailDomainArgs(config, alerts.topicArn), opts);

  // Cognito user pool (email sign-in, TOTP MFA, groups) and the Next.js server's app client (docs/identity.md).
  const ses = { identityArn: mail.identityArn, configurationSetName: mail.transactionalConfigurationSetName };
  const identity = new UserPool("identity", userPoolArgs(config, ses, alerts.topicArn), opts);

  // DynamoDB session store table (functions/sessions), protected like the other stateful resources.
  const sessions = new SessionTable("sessions", sessionTableArgs(config, alerts.topicArn), opts);

  // Every stack has its monthly budget, counting only its own Environment tag (docs/monitoring.md).
  const budget = new StackBudget("budget", stackBudgetArgs(config, alerts.topicArn), opts);

  // One stack per AWS account owns CloudTrail, GuardDuty, cost allocation tags and the GitHub OIDC provider.
  const baselineArgs = accountBaselineArgs(config, { alertTopicArn: alerts.topicArn, edgeAlertTopicArn: alerts.edgeTopicArn }, REQUIRED_TAG_KEYS);
  const baseline = baselineArgs && new AccountBaseline("baseline", baselineArgs, opts);

  // Last: the dashboard over what the stack deployed (each component owns its alarms).
  const monitoring = new Monitoring(
    "monitoring",
    {
      ...monitoringConfigArgs(config),
      distributionId: cdn.distributionId,
      webAclName: cdn.webAclName,
      functions: mail.eventHandlerFunctionName ? [{ name: mail.eventHandlerFunctionName, label: "ses-events" }] : [],
      tableName: sessions.tableName,
      userPoolId: identity.userPoolId,
      userPoolClientId: identity.userPoolClientId,
      sesConfigurationSetName: mail.transactionalConfigurationSetName,
      alarmNames: [cdn.alarmNames, mail.eventHandlerAlarmNames, sessions.alarmNames, identity.alarmNames],
    },
    opts,
  );

  // Seen from outside: the public host name, as a visitor meets it (docs/monitoring.md, "Uptime canary").
  const canaryArgs = uptimeCanaryArgs(config, cdn.domainName, alerts.topicArn);
  const canary = canaryArgs && new UptimeCanary("uptime", canaryArgs, opts);

  // The app's AWS identity on Vercel (OIDC, no access keys) with exactly the statements the runtime code's components export (docs/identity.md).
  const appArgs = appRuntimeRoleArgs(config, {
    sessionTableName: sessions.tableName,
    policyDocuments: { sessions: sessions.accessPolicyJson, metrics: monitoring.bookingMetricPolicyJson },
    statements: { mail: [mail.sendingStatement(config.bookingsSender)], media: [mediaUploadStatement(media.bucketArn)] },
  });
  const app = appArgs && new AppRuntimeRole("app", appArgs, opts);

  // Each component's outputs, from its module; only those of what the stack has (an undefined output is a warning in every preview).
  return {
    environment: config.environment,
    ...(canary && canaryStackOutputs(canary)),
    ...(video && videoStackOutputs(video)),
    ...alertStackOutputs(alerts),
    ...mediaStackOutputs(media, config),
    ...cdnStackOutputs(cdn, config, media),
    ...mailStackOutputs(mail, config),
    ...userPoolStackOutputs(identity),
    ...sessionStackOutputs(sessions),
    ...budgetStackOutputs(budget),
    ...monitoringStackOutputs(monitoring),
    ...(baseline && baselineStackOutputs(baseline)),
    ...(app && appStackOutputs(app)),
    ...(ci && ciStackOutputs(ci)),
  };
}
