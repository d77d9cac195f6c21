import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { denyInsecureTransport, enableAccountIamStatement, policyJson, PolicyStatement } from "../shared/policyDocument";
import { privateBucketControls } from "../shared/privateBucket";
import { EDGE_REGION } from "../shared/regions";
import { GUARDDUTY_ADDITIONAL_CONFIGURATIONS, MANAGED_GUARDDUTY_FEATURES, ManagedGuardDutyFeature } from "./guardDutyFeatures";

export { MANAGED_GUARDDUTY_FEATURES, type ManagedGuardDutyFeature };

/** The baseline's defaults, the one home of each: the args below and the baseline config keys (components/baseline/config.ts) take them from here. */
export const ACCOUNT_BASELINE_DEFAULTS = {
  logRetentionDays: 365,
  guardDutyFeatures: ["S3_DATA_EVENTS", "LAMBDA_NETWORK_LOGS"] as ManagedGuardDutyFeature[],
  findingAlertMinSeverity: 7,
} as const;

/** GuardDuty's severity scale for findings (1.0-8.9; docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings-severity.html): the range findingAlertMinSeverity and mpto:guardDutyAlertMinSeverity accept. */
export const GUARDDUTY_SEVERITY = { min: 1, max: 8.9 } as const;

export interface AccountBaselineArgs {
  /** Alert topic in the stack's region: GuardDuty findings of that region go there. Required. */
  alertTopicArn: pulumi.Input<string>;
  /** Alert topic in us-east-1 for findings of the us-east-1 detector. Default none: no us-east-1 finding alerts. */
  edgeAlertTopicArn?: pulumi.Input<string>;
  /** Trail name; it is part of the ARN the bucket and key policies trust. Default `${name}-trail`. */
  trailName?: string;
  /** Days CloudTrail log files are kept before they expire. Default 365. */
  logRetentionDays?: number;
  /** Days a noncurrent (overwritten or deleted) log file version is kept. Default 30. */
  noncurrentVersionDays?: number;
  /** Waiting period before a deleted trail key is destroyed, 7-30 days. Default 30. */
  keyDeletionWindowInDays?: number;
  /** GuardDuty features to enable (the other managed features are declared DISABLED). Default ["S3_DATA_EVENTS", "LAMBDA_NETWORK_LOGS"]. */
  guardDutyFeatures?: ManagedGuardDutyFeature[];
  /** Also run a GuardDuty detector in us-east-1 (CloudFront, WAF and Lambda@Edge live there). Default true. */
  edgeRegionDetector?: boolean;
  /** Findings of at least this severity (1-8.9; 7 = High) are sent to the alert topics. Default 7. */
  findingAlertMinSeverity?: number;
  /** Tag keys to activate as cost allocation tags (only once they appear in billing data; payer account only). Default none. */
  costAllocationTagKeys?: readonly string[];
  /** Block public access to S3 for the whole account (Security Hub S3.1). Default true. */
  blockPublicS3?: boolean;
  /** Protect the trail bucket and key (audit evidence) from deletion. Default false. */
  protect?: boolean;
}

/**
 * The account-wide guardrails one stack per AWS account owns: a multi-region CloudTrail trail with
 * log file validation and KMS encryption into a private, TLS-only, lifecycle-managed bucket;
 * GuardDuty with the chosen features and finding alerts; account-level S3 Block Public Access;
 * cost allocation tags.
 *
 * Why plain `aws` resources and not `@pulumi/awsx`'s `cloudtrail.Trail`: awsx v3 components are
 * remote (multi-language) components, so under the mock runtime they create no children and this
 * project's tests and offline plan could not see (or judge) the bucket, its policy or the trail's
 * settings. The bucket policy below follows the shape of awsx's default CloudTrail bucket policy,
 * with the `aws:SourceArn` condition AWS recommends against the confused deputy.
 */
export class AccountBaseline extends pulumi.ComponentResource {
  public readonly trailArn: pulumi.Output<string>;
  public readonly trailBucketName: pulumi.Output<string>;
  public readonly trailKeyArn: pulumi.Output<string>;
  /** Detector id in the stack's region. */
  public readonly guardDutyDetectorId: pulumi.Output<string>;

  constructor(name: string, args: AccountBaselineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mpto:baseline:AccountBaseline", name, {}, opts);

    const protect = args.protect ?? false;
    const stateful: pulumi.CustomResourceOptions = { parent: this, protect, retainOnDelete: protect };
    const keepWithBucket: pulumi.CustomResourceOptions = { parent: this, retainOnDelete: protect };
    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    const region = aws.getRegionOutput({}, { parent: this }).region;
    const trailName = args.trailName ?? `${name}-trail`;
    const trailArn = pulumi.interpolate`arn:${partition}:cloudtrail:${region}:${account}:trail/${trailName}`;

    // ---- KMS key for the log files (CloudTrail.2, CKV_AWS_35) ----
    const keyStatements: PolicyStatement[] = [
      // Account principals read (decrypt) log files only through IAM permissions granted here.
      enableAccountIamStatement(partition, account),
      {
        Sid: "AllowCloudTrailToEncryptLogs",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "kms:GenerateDataKey*",
        Resource: "*",
        Condition: {
          StringEquals: { "aws:SourceArn": trailArn },
          StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": pulumi.interpolate`arn:${partition}:cloudtrail:*:${account}:trail/*` },
        },
      },
      { Sid: "AllowCloudTrailToDescribeKey", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "kms:DescribeKey", Resource: "*", Condition: { StringEquals: { "aws:SourceArn": trailArn } } },
    ];
    const key = new aws.kms.Key(
      `${name}-trail-key`,
      {
        description: "Encrypts CloudTrail log files of the MPTO account trail",
        enableKeyRotation: true, // cdk-nag AwsSolutions-KMS5, CKV_AWS_7
        deletionWindowInDays: args.keyDeletionWindowInDays ?? 30, // Security Hub KMS.3
        policy: policyJson(keyStatements),
      },
      stateful,
    );
    new aws.kms.Alias(`${name}-trail-key-alias`, { namePrefix: `alias/${name}-trail-`, targetKeyId: key.keyId }, { parent: this });

    // ---- Private, TLS-only, lifecycle-managed log bucket ----
    const bucket = new aws.s3.Bucket(`${name}-trail-bucket`, { forceDestroy: !protect }, stateful);
    const bucketName = bucket.bucket;
    // No public access, ACLs off (CloudTrail delivery is authorised by the bucket policy alone),
    // SSE-KMS by default with the trail key (S3 Bucket Keys cut KMS requests), versioning so a
    // deleted or overwritten log file can be recovered (components/shared/privateBucket.ts).
    const { publicAccessBlock: publicAccess, versioning } = privateBucketControls(`${name}-trail-bucket`, bucketName, keepWithBucket, { encryption: { kmsKeyArn: key.arn }, versioning: true });
    // S3.10 / S3.13, CKV2_AWS_61: expiry of logs and of noncurrent versions, multipart clean-up.
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-trail-bucket-lifecycle`,
      {
        bucket: bucketName,
        rules: [
          {
            id: "expire-log-files",
            status: "Enabled",
            filter: {},
            expiration: { days: args.logRetentionDays ?? ACCOUNT_BASELINE_DEFAULTS.logRetentionDays },
            noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionDays ?? 30 },
          },
          { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } },
        ],
      },
      { parent: this, dependsOn: [versioning!] },
    );
    const bucketPolicy = new aws.s3.BucketPolicy(
      `${name}-trail-bucket-policy`,
      {
        bucket: bucketName,
        policy: policyJson([
          denyInsecureTransport("s3:*", [bucket.arn, pulumi.interpolate`${bucket.arn}/*`]), // AwsSolutions-S10, S3.5
          {
            Sid: "AllowCloudTrailAclCheck",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:GetBucketAcl",
            Resource: bucket.arn,
            Condition: { StringEquals: { "aws:SourceArn": trailArn } },
          },
          {
            Sid: "AllowCloudTrailWrite",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: pulumi.interpolate`${bucket.arn}/AWSLogs/${account}/*`,
            Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trailArn } },
          },
        ]),
      },
      { parent: this, dependsOn: [publicAccess] },
    );

    // ---- The trail ----
    const trail = new aws.cloudtrail.Trail(
      `${name}-trail`,
      {
        name: trailName,
        s3BucketName: bucketName,
        isMultiRegionTrail: true, // CloudTrail.1, CKV_AWS_67
        includeGlobalServiceEvents: true, // IAM, CloudFront and other global-service API calls
        enableLogFileValidation: true, // CloudTrail.4, CKV_AWS_36
        kmsKeyId: key.arn, // CloudTrail.2, CKV_AWS_35
        enableLogging: true,
        // CloudTrail.5 (CloudWatch Logs delivery) is deliberately not set: it bills log ingestion for
        // every management event; the S3 copy is the evidence, GuardDuty does the watching.
      },
      // CloudTrail checks the bucket policy when the trail is created.
      { parent: this, dependsOn: [bucketPolicy] },
    );

    // ---- GuardDuty ----
    const enabled = new Set(args.guardDutyFeatures ?? ACCOUNT_BASELINE_DEFAULTS.guardDutyFeatures);
    const minSeverity = args.findingAlertMinSeverity ?? ACCOUNT_BASELINE_DEFAULTS.findingAlertMinSeverity;
    if (!(minSeverity >= GUARDDUTY_SEVERITY.min && minSeverity <= GUARDDUTY_SEVERITY.max)) throw new Error(`AccountBaseline ${name}: findingAlertMinSeverity must be ${GUARDDUTY_SEVERITY.min}-${GUARDDUTY_SEVERITY.max}, got ${minSeverity}`);
    const detectors: { prefix: string; region?: string; topicArn?: pulumi.Input<string> }[] = [{ prefix: `${name}-guardduty`, topicArn: args.alertTopicArn }];
    if (args.edgeRegionDetector !== false) detectors.push({ prefix: `${name}-guardduty-edge`, region: EDGE_REGION, topicArn: args.edgeAlertTopicArn });
    let primaryDetectorId: pulumi.Output<string> | undefined;
    for (const d of detectors) {
      // GuardDuty.1, CKV_AWS_238. Findings are exported every 15 minutes (the quickest setting).
      const detector = new aws.guardduty.Detector(`${d.prefix}`, { enable: true, findingPublishingFrequency: "FIFTEEN_MINUTES", region: d.region }, { parent: this });
      primaryDetectorId ??= detector.id;
      for (const feature of MANAGED_GUARDDUTY_FEATURES) {
        // GuardDuty.10 (S3 protection), GuardDuty.6 (Lambda protection) when enabled.
        new aws.guardduty.DetectorFeature(
          `${d.prefix}-${feature.toLowerCase().replace(/_/g, "-")}`,
          {
            detectorId: detector.id,
            name: feature,
            status: enabled.has(feature) ? "ENABLED" : "DISABLED",
            // Declared as GuardDuty reports them back (see GUARDDUTY_ADDITIONAL_CONFIGURATIONS), so updates show no drift.
            additionalConfigurations: GUARDDUTY_ADDITIONAL_CONFIGURATIONS[feature]?.map((n) => ({ name: n, status: enabled.has(feature) ? "ENABLED" : "DISABLED" })),
            region: d.region,
          },
          { parent: this },
        );
      }
      if (d.topicArn !== undefined) {
        const rule = new aws.cloudwatch.EventRule(
          `${d.prefix}-findings`,
          {
            description: `GuardDuty findings of severity ${minSeverity} or more, to the alert topic`,
            eventPattern: JSON.stringify({ source: ["aws.guardduty"], "detail-type": ["GuardDuty Finding"], detail: { severity: [{ numeric: [">=", minSeverity] }] } }),
            region: d.region,
          },
          { parent: this },
        );
        new aws.cloudwatch.EventTarget(`${d.prefix}-findings-to-alerts`, { rule: rule.name, arn: d.topicArn, region: d.region }, { parent: this });
      }
    }

    // ---- Account-level S3 Block Public Access (S3.1, AwsSolutions-S2 at account scope) ----
    // No bucket of this account is ever public (media is served through CloudFront OAC), so the
    // account-wide switch is a safe backstop for buckets created outside this program.
    if (args.blockPublicS3 ?? true) {
      new aws.s3.AccountPublicAccessBlock(
        `${name}-s3-public-access`,
        { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        { parent: this },
      );
    }

    // ---- Cost allocation tags (Budgets filter on them; global, payer account) ----
    for (const tagKey of args.costAllocationTagKeys ?? []) {
      new aws.costexplorer.CostAllocationTag(`${name}-cost-tag-${tagKey.toLowerCase()}`, { tagKey, status: "Active" }, { parent: this });
    }

    this.trailArn = trail.arn;
    this.trailBucketName = bucketName;
    this.trailKeyArn = key.arn;
    this.guardDutyDetectorId = primaryDetectorId!;
    this.registerOutputs({ trailArn: this.trailArn, trailBucketName: this.trailBucketName, trailKeyArn: this.trailKeyArn, guardDutyDetectorId: this.guardDutyDetectorId });
  }
}
