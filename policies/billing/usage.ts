import type { SchemaProperty } from "../lib/policy";

/**
 * A stack's expected monthly usage: the input of the usage-driven part of the cost estimate.
 *
 * It lives in the policy config of each stack (`policies/config/<stack>.json`, property `usage` of
 * the `monthly-cost-estimate` policy) rather than in stack config: no resource reads it, the
 * Pulumi CLI validates it against this schema (`pulumi policy validate-config`, and the offline
 * plan through tools/plan/policyConfig.ts), and the workflows hand it to the pack with
 * `--policy-pack-config` next to the ceilings it is judged against. The budget it is compared
 * with stays in stack config (`mpto:monthlyBudgetUsd`), the one source that the AWS Budget also uses.
 */
export interface UsageProfile {
  /** Viewer requests to the site per month (CloudFront requests, WAF inspections). */
  monthlyRequests: number;
  /** GB CloudFront sends to viewers per month. */
  dataOutGb: number;
  /** Emails sent through SES per month. */
  emailsSent: number;
  /** Cognito monthly active users. */
  monthlyActiveUsers: number;
  /** GB of media stored in the media bucket (steady state). */
  mediaStoredGb: number;
  /** Media objects larger than 128 KB (Intelligent-Tiering monitors each). */
  mediaObjects: number;
  /** Invocations of each edge function (CloudFront Function or Lambda@Edge) per month. */
  edgeFunctionInvocations: number;
  /** Average Lambda@Edge duration in ms. */
  edgeFunctionAvgDurationMs: number;
  /** Invocations of each regional Lambda function per month. */
  lambdaInvocations: number;
  /** Average regional Lambda duration in ms. */
  lambdaAvgDurationMs: number;
  /** DynamoDB write request units per month (session creates, touches, deletes). */
  sessionWrites: number;
  /** DynamoDB read request units per month. */
  sessionReads: number;
  /** GB stored in each DynamoDB table. */
  tableStorageGb: number;
  /** GB of logs ingested per month across all log groups of the stack. */
  logIngestGb: number;
  /** GB stored in each log bucket (access logs, CloudTrail). */
  logBucketStorageGb: number;
  /** Custom CloudWatch metric series (name + dimensions) the stack's code publishes. */
  customMetrics: number;
  /** Notifications each email subscription receives per month. */
  alertNotifications: number;
  /** CloudTrail management events per month (GuardDuty analyses them; extra trails copy them). */
  cloudTrailEvents: number;
  /** S3 data events per month (GuardDuty S3 Protection). */
  s3DataEvents: number;
  /** GB of Lambda network activity per month (GuardDuty Lambda Protection). */
  lambdaNetworkGb: number;
  /** Minutes of video uploaded (and transcoded by the video pipeline) per month. */
  videoMinutesUploaded: number;
}

/** A small site: the defaults of the schema (each stack's policy config sets its own). */
export const USAGE_DEFAULTS: UsageProfile = {
  monthlyRequests: 1_000_000,
  dataOutGb: 50,
  emailsSent: 2_000,
  monthlyActiveUsers: 500,
  mediaStoredGb: 20,
  mediaObjects: 2_000,
  edgeFunctionInvocations: 1_000_000,
  edgeFunctionAvgDurationMs: 5,
  lambdaInvocations: 10_000,
  lambdaAvgDurationMs: 200,
  sessionWrites: 200_000,
  sessionReads: 1_000_000,
  tableStorageGb: 1,
  logIngestGb: 2,
  logBucketStorageGb: 1,
  customMetrics: 4,
  alertNotifications: 20,
  cloudTrailEvents: 300_000,
  s3DataEvents: 500_000,
  lambdaNetworkGb: 1,
  videoMinutesUploaded: 300,
};

const count = (description: string): SchemaProperty => ({ type: "number", minimum: 0, description });

export const USAGE_SCHEMA: SchemaProperty = {
  type: "object",
  description: "Expected monthly usage of the stack; every field defaults to a small-site value.",
  additionalProperties: false,
  properties: {
    monthlyRequests: count("Viewer requests to the site per month (CloudFront, WAF)."),
    dataOutGb: count("GB CloudFront sends to viewers per month."),
    emailsSent: count("Emails sent through SES per month."),
    monthlyActiveUsers: count("Cognito monthly active users."),
    mediaStoredGb: count("GB of media stored in the media bucket."),
    mediaObjects: count("Media objects larger than 128 KB (Intelligent-Tiering monitoring)."),
    edgeFunctionInvocations: count("Invocations of each edge function per month."),
    edgeFunctionAvgDurationMs: count("Average Lambda@Edge duration in ms."),
    lambdaInvocations: count("Invocations of each regional Lambda function per month."),
    lambdaAvgDurationMs: count("Average regional Lambda duration in ms."),
    sessionWrites: count("DynamoDB write request units per month."),
    sessionReads: count("DynamoDB read request units per month."),
    tableStorageGb: count("GB stored in each DynamoDB table."),
    logIngestGb: count("GB of logs ingested per month across the stack's log groups."),
    logBucketStorageGb: count("GB stored in each log bucket."),
    customMetrics: count("Custom CloudWatch metric series the stack's code publishes."),
    alertNotifications: count("Notifications each email subscription receives per month."),
    cloudTrailEvents: count("CloudTrail management events per month."),
    s3DataEvents: count("S3 data events per month (GuardDuty S3 Protection)."),
    lambdaNetworkGb: count("GB of Lambda network activity per month (GuardDuty Lambda Protection)."),
    videoMinutesUploaded: count("Minutes of video uploaded and transcoded per month (video pipeline)."),
  },
} as SchemaProperty;

/** The profile with defaults for absent fields. */
export function usageProfile(partial: Partial<UsageProfile> | undefined): UsageProfile {
  return { ...USAGE_DEFAULTS, ...(partial ?? {}) };
}
