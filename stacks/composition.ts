import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Cdn } from "../components/edge/Cdn";
import { MailDomain } from "../components/mail/MailDomain";
import { MediaBucket } from "../components/media/MediaBucket";
import { AlertTopic } from "../components/monitoring/AlertTopic";
import { PRIMARY_REGION } from "../components/shared/regions";
import type { StackConfig } from "./config";

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

  // Alarms in the stack's region, Budgets, SES and EventBridge publish to `alerts.topicArn`;
  // alarms on CloudFront/WAF metrics (us-east-1) publish to `alerts.edgeTopicArn`.
  const alerts = new AlertTopic("alerts", { alertEmail: config.alertEmail }, opts);

  // Private media bucket; the CDN reads it through OAC once `media.allowDistributionRead(...)` is called.
  const media = new MediaBucket(
    "media",
    {
      siteHostnames: config.siteHostnames,
      noncurrentVersionDays: config.mediaNoncurrentVersionDays,
      accessLogDays: config.mediaAccessLogDays,
      protect,
    },
    opts,
  );

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
      logRetentionDays: config.logRetentionDays,
      lambdaEdgeHeaders: config.lambdaEdgeHeaders,
    },
    opts,
  );
  media.allowDistributionRead(cdn.distributionArn);

  // SES domain (DKIM, MAIL FROM, DMARC), mpto-transactional, event handler and deliverability alarms (docs/mail.md).
  const mail = new MailDomain(
    "mail",
    {
      domain: config.mailDomain,
      mailFromSubdomain: config.mailFromSubdomain,
      dmarcPolicy: config.dmarcPolicy,
      dmarcReportEmail: config.dmarcReportEmail ?? config.adminEmail,
      route53ZoneId: config.route53ZoneId,
      marketingSet: config.marketingConfigurationSet,
      alarmTopicArn: alerts.topicArn,
      bounceRateThreshold: config.bounceRateAlarmThreshold,
      complaintRateThreshold: config.complaintRateAlarmThreshold,
      logRetentionDays: config.logRetentionDays,
      protect,
    },
    opts,
  );

  return {
    environment: config.environment,
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
    mailDomain: mail.domain,
    mailIdentityArn: mail.identityArn,
    mailConfigurationSet: mail.transactionalConfigurationSetName,
    mailEventsTopicArn: mail.eventsTopicArn,
    mailEventHandlerFunctionName: mail.eventHandlerFunctionName,
    mailAlarmNames: mail.alarmNames,
    mailDnsRecords: mail.dnsRecords,
  };
}
