import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Cdn } from "../components/edge/Cdn";
import { UserPool } from "../components/identity/UserPool";
import { MailDomain } from "../components/mail/MailDomain";
import { MediaBucket } from "../components/media/MediaBucket";
import { VideoPipeline } from "../components/media/VideoPipeline";
import { AppRuntimeRole, mediaUploadStatement } from "../components/app/AppRuntimeRole";
import { AccountBaseline } from "../components/baseline/AccountBaseline";
import { StackBudget } from "../components/baseline/StackBudget";
import { CiDeployRole } from "../components/ci/CiDeployRole";
import { AlertTopic } from "../components/monitoring/AlertTopic";
import { Monitoring } from "../components/monitoring/Monitoring";
import { UptimeCanary } from "../components/monitoring/UptimeCanary";
import { SessionTable } from "../components/sessions/SessionTable";
import { PRIMARY_REGION } from "../components/shared/regions";
import type { StackConfig } from "./config";
import { REQUIRED_TAG_KEYS } from "./tags";

/** What every stack exports. Each capability adds its outputs here. */
export type StackOutputs = Record<string, pulumi.Input<unknown>>;

/**
 * The composition shared by dev and prod. Stacks differ only by configuration: no component
 * is told which stack it is in, only what it needs.
 *
 * Order matters only for data flow: the alert topic comes first (everything alarms into it),
 * the media bucket before the CDN (the CDN reads from it), the mail domain before the user pool
 * (Cognito sends through SES).
 */
export function composeStack(config: StackConfig, provider: aws.Provider): StackOutputs {
  const opts: pulumi.ComponentResourceOptions = { providers: { aws: provider } };
  const protect = config.protectStatefulResources;

  // GitHub Actions roles (OIDC): deploy in the GitHub Environment named after the stack, preview in <stack>-preview.
  const ci = config.githubRepository
    ? new CiDeployRole(
        "ci",
        {
          repository: config.githubRepository,
          githubEnvironment: config.environment,
          roleName: `mpto-${config.environment}-deploy`,
          oidcProviderArn: config.githubOidcProviderArn,
          // Trusting a provider nothing creates makes IAM refuse the roles: see the plan's "before the first deploy".
          createOidcProvider: config.createGithubOidcProvider ?? config.accountBaselineOwner,
          previewRole: config.ciPreviewRole,
          stateBucketName: config.pulumiStateBucket,
          // invalidate.yml's role (GitHub Environment <stack>-cdn): this stack's distributions only.
          invalidationEnvironmentTag: config.environment,
        },
        opts,
      )
    : undefined;
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
  const media = new MediaBucket(
    "media",
    {
      readerDistributionArns: [cdnArn],
      siteHostnames: config.siteHostnames,
      noncurrentVersionDays: config.mediaNoncurrentVersionDays,
      accessLogDays: config.mediaAccessLogDays,
      protect,
      eventBridgeNotifications: config.videoPipeline,
      uploadsExpireDays: config.videoPipeline ? config.videoOriginalsExpireDays : 0,
    },
    opts,
  );

  // Uploaded videos become adaptive HLS under videos/<id>/ (docs/media.md, "The video pipeline").
  const video = config.videoPipeline
    ? new VideoPipeline(
        "video",
        {
          bucketName: media.bucketName,
          bucketArn: media.bucketArn,
          alarmTopicArn: alerts.topicArn,
          maxUploadBytes: config.mediaMaxVideoUploadBytes,
          maxDurationMinutes: config.videoMaxDurationMinutes,
          stuckAfterMinutes: config.videoStuckAfterMinutes,
          notificationUrl: config.videoEventsUrl,
          protect,
          logRetentionDays: config.logRetentionDays,
          errorAlarmThreshold: config.alarmLambdaErrors,
        },
        opts,
      )
    : undefined;

  // CloudFront in front of Vercel and the media bucket, with WAF, certificate, headers and logs (docs/edge.md).
  const cdn = new Cdn(
    "edge",
    {
      domainNames: config.siteHostnames,
      apexDomain: config.apexDomain,
      route53ZoneId: config.route53ZoneId,
      vercelOriginHostname: config.vercelOriginHostname,
      mediaBucketRegionalDomainName: media.bucketRegionalDomainName,
      mediaPathPrefix: config.mediaPathPrefix,
      mediaSigningPublicKeyPem: config.mediaSigningPublicKey,
      priceClass: config.priceClass,
      geoRestrictionType: config.geoRestrictionType,
      geoRestrictionLocations: config.geoRestrictionLocations,
      wafMode: config.wafMode,
      wafRateLimit: config.wafRateLimit,
      wafSignInRateLimit: config.wafSignInRateLimit,
      wafSignInPathPrefixes: config.wafSignInPathPrefixes,
      wafSoakingRules: config.wafSoakingRules,
      vercelProtectionBypass: config.vercelProtectionBypass,
      sitePolicy: {
        // Presigned POSTs go to <bucket>.s3.<region>.amazonaws.com; the bucket is auto-named, so the
        // CDN's Report-Only copy names the region's endpoints and the app's nonce policy the exact
        // bucket (stack output mediaUploadOrigin).
        uploadOrigins: [`https://*.s3.${PRIMARY_REGION}.amazonaws.com`],
        frameSources: config.cspFrameSources,
        scriptSources: config.cspScriptSources,
        connectSources: config.cspConnectSources,
        imgSources: config.cspImgSources,
        reportUri: config.cspReportUri,
        permissions: config.sitePermissionsPolicy,
      },
      logRetentionDays: config.logRetentionDays,
      lambdaEdgeHeaders: config.lambdaEdgeHeaders,
      alarms: {
        topicArn: alerts.edgeTopicArn,
        errorRate5xxPercent: config.alarmCloudFront5xxErrorRatePercent,
        errorRate4xxPercent: config.alarmCloudFront4xxErrorRatePercent,
        additionalMetrics: config.cloudFrontAdditionalMetrics,
        originLatencyMs: config.alarmOriginLatencyMs,
        wafBlockedRequests: config.alarmWafBlockedRequests,
      },
    },
    opts,
  );
  resolveCdnArn(cdn.distributionArn);

  // SES domain (DKIM, MAIL FROM, DMARC), mpto-transactional, event handler and deliverability alarms (docs/mail.md).
  const mail = new MailDomain(
    "mail",
    {
      domain: config.mailDomain,
      mailFromSubdomain: config.mailFromSubdomain,
      dmarcPolicy: config.dmarcPolicy,
      dmarcReportEmail: config.dmarcReportEmail ?? config.adminEmail,
      route53ZoneId: config.route53ZoneId,
      transactionalSetName: `mpto-transactional${config.mailConfigurationSetSuffix ?? ""}`,
      marketingSet: config.marketingConfigurationSet,
      marketingSetName: `mpto-marketing${config.mailConfigurationSetSuffix ?? ""}`,
      alarmTopicArn: alerts.topicArn,
      bounceRateThreshold: config.bounceRateAlarmThreshold,
      complaintRateThreshold: config.complaintRateAlarmThreshold,
      eventHandlerErrorThreshold: config.alarmLambdaErrors,
      eventHandlerThrottleThreshold: config.alarmLambdaThrottles,
      logRetentionDays: config.logRetentionDays,
      protect,
    },
    opts,
  );

  // Cognito user pool (email sign-in, TOTP MFA, groups) and the Next.js server's app client (docs/identity.md).
  // Mail goes through the SES domain only once userPoolEmailViaSes is on (the identity must be verified first).
  const identity = new UserPool(
    "identity",
    {
      protect,
      mfa: config.userPoolMfa === "on" ? "ON" : "OPTIONAL",
      featurePlan: FEATURE_PLANS[config.userPoolFeaturePlan],
      threatProtection: THREAT_PROTECTION[config.userPoolThreatProtection],
      passwordMinimumLength: config.userPoolPasswordMinLength,
      selfSignUp: config.userPoolSelfSignUp,
      ...(config.userPoolEmailViaSes
        ? { sesIdentityArn: mail.identityArn, fromAddress: config.userPoolEmailFrom ?? `no-reply@${config.mailDomain}`, sesConfigurationSet: mail.transactionalConfigurationSetName }
        : {}),
      alarmTopicArn: alerts.topicArn,
      signInThrottleAlarmThreshold: config.alarmCognitoSignInThrottles,
      accessTokenValidityMinutes: config.authAccessTokenMinutes,
      idTokenValidityMinutes: config.authIdTokenMinutes,
      refreshTokenValidityDays: config.authRefreshTokenDays,
      generateClientSecret: config.userPoolClientSecret,
      hostedUiDomainPrefix: config.userPoolDomainPrefix,
      callbackUrls: config.userPoolDomainPrefix ? config.authCallbackUrls : undefined,
      logoutUrls: config.authLogoutUrls,
      federatedIdentityProvider:
        config.userPoolFederation === "none"
          ? undefined
          : {
              type: config.userPoolFederation === "google" ? "Google" : "OIDC",
              name: config.userPoolFederationName,
              clientId: config.userPoolFederationClientId!,
              clientSecret: config.userPoolFederationClientSecret!,
              issuerUrl: config.userPoolFederationIssuerUrl,
            },
    },
    opts,
  );

  // DynamoDB session store table (functions/sessions), protected like the other stateful resources.
  const sessions = new SessionTable(
    "sessions",
    { protect, pointInTimeRecoveryDays: config.sessionTableRecoveryDays, alarmTopicArn: alerts.topicArn, throttleAlarmThreshold: config.alarmDynamoDbThrottles },
    opts,
  );

  // Every stack has its monthly budget, counting only its own Environment tag (docs/monitoring.md).
  const budget = new StackBudget(
    "budget",
    {
      limitUsd: config.monthlyBudgetUsd,
      costTag: { key: "Environment", value: config.environment },
      topicArn: alerts.topicArn,
      emails: [config.alertEmail],
      actualWarningPercent: config.budgetActualWarningPercent,
      forecastPercent: config.budgetForecastAlertPercent,
      budgetName: `mpto-${config.environment}-monthly`,
      anomalyAlertUsd: config.costAnomalyAlertUsd,
    },
    opts,
  );

  // One stack per AWS account owns CloudTrail, GuardDuty, cost allocation tags and the GitHub OIDC provider.
  const baseline = config.accountBaselineOwner
    ? new AccountBaseline(
        "baseline",
        {
          alertTopicArn: alerts.topicArn,
          edgeAlertTopicArn: alerts.edgeTopicArn,
          trailName: "mpto-account-trail",
          logRetentionDays: config.cloudTrailLogRetentionDays,
          guardDutyFeatures: config.guardDutyFeatures,
          findingAlertMinSeverity: config.guardDutyAlertMinSeverity,
          costAllocationTagKeys: config.activateCostAllocationTags ? REQUIRED_TAG_KEYS : [],
          protect,
        },
        opts,
      )
    : undefined;

  // Last: the dashboard over what the stack deployed (each component owns its alarms).
  const monitoring = new Monitoring(
    "monitoring",
    {
      environment: config.environment,
      distributionId: cdn.distributionId,
      cloudFrontAdditionalMetrics: config.cloudFrontAdditionalMetrics,
      webAclName: cdn.webAclName,
      functions: [{ name: mail.eventHandlerFunctionName, label: "ses-events" }],
      tableName: sessions.tableName,
      userPoolId: identity.userPoolId,
      userPoolClientId: identity.userPoolClientId,
      sesConfigurationSetName: mail.transactionalConfigurationSetName,
      alarmNames: [cdn.alarmNames, mail.eventHandlerAlarmNames, sessions.alarmNames, identity.alarmNames],
    },
    opts,
  );

  // Seen from outside: the public host name, as a visitor meets it (docs/monitoring.md, "Uptime canary").
  const canary =
    config.uptimeCanaryMinutes > 0
      ? new UptimeCanary(
          "uptime",
          {
            canaryName: `mpto-${config.environment}-uptime`,
            siteHost: config.siteHostnames[0],
            distributionDomain: cdn.domainName,
            mediaPathPrefix: config.mediaPathPrefix,
            alarmTopicArn: alerts.topicArn,
            rateMinutes: config.uptimeCanaryMinutes,
            certificateMinDays: config.uptimeCertificateMinDays,
          },
          opts,
        )
      : undefined;

  // The app's AWS identity on Vercel (OIDC, no access keys) with exactly the statements the runtime code's components export (docs/identity.md).
  const app = config.vercelTeamSlug
    ? new AppRuntimeRole(
        "app",
        {
          vercelTeamSlug: config.vercelTeamSlug,
          vercelProjectName: config.vercelProjectName!,
          vercelEnvironments: config.vercelEnvironments,
          oidcProviderArn: config.vercelOidcProviderArn,
          sessionTableName: sessions.tableName,
          policyDocuments: { sessions: sessions.accessPolicyJson, metrics: monitoring.bookingMetricPolicyJson },
          statements: { mail: [mail.sendingStatement(config.bookingsSender)], media: [mediaUploadStatement(media.bucketArn)] },
        },
        opts,
      )
    : undefined;

  return {
    environment: config.environment,
    // Only the outputs of what the stack has (an undefined output is a warning in every preview).
    ...(canary ? { uptimeCanaryName: canary.canaryName } : {}),
    ...(video ? { videoAssetTableName: video.assetTableName, videoEventsTopicArn: video.eventsTopicArn } : {}),
    alertTopicArn: alerts.topicArn,
    edgeAlertTopicArn: alerts.edgeTopicArn,
    mediaBucketName: media.bucketName,
    mediaBucketRegion: PRIMARY_REGION,
    mediaAccessLogBucketName: media.accessLogBucketName,
    mediaMaxVideoUploadBytes: config.mediaMaxVideoUploadBytes,
    mediaMaxImageUploadBytes: config.mediaMaxImageUploadBytes,
    cdnDistributionId: cdn.distributionId,
    cdnDistributionArn: cdn.distributionArn,
    cdnDomainName: cdn.domainName,
    cdnWebAclArn: cdn.webAclArn,
    cdnWebAclName: cdn.webAclName,
    cdnAccessLogGroupName: cdn.accessLogGroupName,
    cdnWafLogGroupName: cdn.wafLogGroupName,
    mediaPathPrefix: config.mediaPathPrefix,
    mediaSigningKeyId: cdn.mediaSigningKeyId,
    edgeDnsRecords: cdn.dnsRecords,
    // For the Vercel Firewall rule (docs/edge.md) and the app's nonce CSP helper.
    cdnOriginSecret: cdn.originSecret,
    siteCspPolicy: cdn.sitePolicyJson,
    mediaUploadOrigin: pulumi.interpolate`https://${media.bucketRegionalDomainName}`,
    // From the certificate alone (not the distribution, which waits for it): recorded even when the
    // first update times out on validation (stack outputs that resolved are kept, pulumi/pulumi#14621).
    edgeCertificateValidationRecords: cdn.certificateValidationRecords,
    mailDomain: mail.domain,
    mailIdentityArn: mail.identityArn,
    mailConfigurationSet: mail.transactionalConfigurationSetName,
    // What the booking-confirmation sender (functions/mail) sends from and copies: the app reads them from here.
    mailBookingsSender: config.bookingsSender,
    mailAdminCc: config.adminEmail,
    mailEventsTopicArn: mail.eventsTopicArn,
    mailEventHandlerFunctionName: mail.eventHandlerFunctionName,
    mailAlarmNames: mail.alarmNames,
    mailDnsRecords: mail.dnsRecords,
    userPoolId: identity.userPoolId,
    userPoolArn: identity.userPoolArn,
    userPoolClientId: identity.userPoolClientId,
    userPoolClientSecret: identity.userPoolClientSecret,
    userPoolIssuerUrl: identity.issuerUrl,
    userPoolHostedUiUrl: identity.hostedUiUrl,
    sessionTableName: sessions.tableName,
    sessionTableArn: sessions.tableArn,
    sessionAccessPolicyJson: sessions.accessPolicyJson,
    budgetName: budget.budgetName,
    monitoringDashboardName: monitoring.dashboardName,
    monitoringAlarmNames: monitoring.alarmNames,
    bookingMetricPolicyJson: monitoring.bookingMetricPolicyJson,
    ...(baseline ? { cloudTrailArn: baseline.trailArn, cloudTrailBucketName: baseline.trailBucketName, guardDutyDetectorId: baseline.guardDutyDetectorId } : {}),
    ...(app ? { appRuntimeRoleArn: app.roleArn, sessionDataKeyArn: app.sessionDataKeyArn } : {}),
    ...(ci ? { ciDeployRoleArn: ci.deployRoleArn, ciPreviewRoleArn: ci.previewRoleArn, ciInvalidateRoleArn: ci.invalidateRoleArn } : {}),
  };
}

/** Config spellings (lower case) to the UserPool component's. */
const FEATURE_PLANS = { lite: "LITE", essentials: "ESSENTIALS", plus: "PLUS" } as const;
const THREAT_PROTECTION = { off: "OFF", audit: "AUDIT", enforced: "ENFORCED" } as const;
