import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
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

  return {
    environment: config.environment,
    alertTopicArn: alerts.topicArn,
    edgeAlertTopicArn: alerts.edgeTopicArn,
    mediaBucketName: media.bucketName,
    mediaBucketRegion: PRIMARY_REGION,
    mediaAccessLogBucketName: media.accessLogBucketName,
    mediaMaxVideoUploadBytes: config.mediaMaxVideoUploadBytes,
    mediaMaxImageUploadBytes: config.mediaMaxImageUploadBytes,
  };
}
