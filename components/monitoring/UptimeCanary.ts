import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { metricAlarm } from "../shared/alarm";
import { join } from "node:path";
import { bundleHandler } from "../shared/bundle";
import { denyInsecureTransport, policyJson } from "../shared/policyDocument";
import { privateBucketControls } from "../shared/privateBucket";

/**
 * Current CloudWatch Synthetics runtime without a browser (Lambda Node.js 22.x underneath): the
 * canary only makes HTTPS requests. docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Library_Nodejs.html
 */
export const CANARY_RUNTIME = "syn-nodejs-5.4";

/**
 * The files of the canary's code archive: Node.js canaries load their entry file from
 * nodejs/node_modules/ and name it in `handler` as `<file>.<export>`
 * (CloudWatch_Synthetics_Canaries_WritingCanary_Nodejs.html, "Packaging your Node.js canary files").
 */
export function canaryCodeFiles(): Record<string, string> {
  const bundle = bundleHandler({ entry: join(__dirname, "..", "..", "functions", "canary", "uptime.ts"), target: "node22" });
  return { "nodejs/node_modules/uptime.js": bundle.code };
}
export const CANARY_HANDLER = "uptime.handler";

/** The canary's defaults, the one home of each: the args below and the uptime config keys (components/monitoring/config.ts) take them from here. */
export const UPTIME_CANARY_DEFAULTS = { rateMinutes: 5, certificateMinDays: 21 } as const;

export interface UptimeCanaryArgs {
  /** Canary name: at most 21 of a-z, 0-9, '-' and '_' (the Synthetics API's limit). Required. */
  canaryName: string;
  /** The canonical public host name the canary visits. Required. */
  siteHost: pulumi.Input<string>;
  /** The distribution's own *.cloudfront.net name, which must not serve the site. Required. */
  distributionDomain: pulumi.Input<string>;
  /** Path prefix of the signed media behaviour, e.g. /media. Required. */
  mediaPathPrefix: pulumi.Input<string>;
  /** SNS topic (in the stack's region) the failure alarm notifies. Required. */
  alarmTopicArn: pulumi.Input<string>;
  /** Minutes between runs, 1-60. Default 5. */
  rateMinutes?: number;
  /** Fail when the certificate expires within this many days. Default 21. */
  certificateMinDays?: number;
  /** Consecutive failed runs before the alarm fires. Default 2 (one run may fail on a network blip). */
  failedRunsToAlarm?: number;
  /** Days run artifacts (logs, reports) are kept in their bucket. Default 30. */
  artifactRetentionDays?: number;
}

/**
 * An uptime canary through the public host name (CloudWatch Synthetics, browserless runtime), its
 * script bundled from functions/canary/uptime.ts into the canary's own private artifacts bucket,
 * an execution role with exactly the rights AWS lists for canaries, and an alarm on failed runs
 * (missing runs count as failures: a canary that stopped is not a healthy site).
 *
 * Synthetics creates the canary's Lambda function (`cwsyn-<name>-<id>`) and its log group itself,
 * with a generated id: the log group cannot be declared here, so its retention is CloudWatch's
 * default (never expire) until set by hand (docs/monitoring.md). `deleteLambda` removes the function
 * with the canary.
 */
export class UptimeCanary extends pulumi.ComponentResource {
  public readonly canaryName: pulumi.Output<string>;
  public readonly artifactBucketName: pulumi.Output<string>;
  public readonly alarmArn: pulumi.Output<string>;

  constructor(name: string, args: UptimeCanaryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mpto:monitoring:UptimeCanary", name, {}, opts);
    if (!/^[0-9a-z_-]{1,21}$/.test(args.canaryName)) throw new pulumi.RunError(`UptimeCanary ${name}: canaryName '${args.canaryName}' must be 1-21 of a-z, 0-9, '-', '_'`);
    const rate = args.rateMinutes ?? UPTIME_CANARY_DEFAULTS.rateMinutes;
    if (!Number.isInteger(rate) || rate < 1 || rate > 60) throw new pulumi.RunError(`UptimeCanary ${name}: rateMinutes must be a whole number from 1 to 60, got ${rate}`);

    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const region = aws.getRegionOutput({}, { parent: this }).region;
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;

    // ---- Artifacts and code: private, TLS-only, expiring ----
    const bucket = new aws.s3.Bucket(`${name}-artifacts`, { forceDestroy: true }, { parent: this });
    const bucketName = bucket.bucket;
    const { publicAccessBlock, versioning } = privateBucketControls(`${name}-artifacts`, bucketName, { parent: this }, { encryption: "AES256", versioning: true });
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-artifacts-lifecycle`,
      {
        bucket: bucketName,
        rules: [
          { id: "expire-run-artifacts", status: "Enabled", filter: { prefix: "results/" }, expiration: { days: args.artifactRetentionDays ?? 30 }, noncurrentVersionExpiration: { noncurrentDays: 1 } },
          { id: "expire-old-code", status: "Enabled", filter: { prefix: "code/" }, noncurrentVersionExpiration: { noncurrentDays: 30 } },
          { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } },
        ],
      },
      { parent: this, dependsOn: [versioning!] },
    );
    new aws.s3.BucketPolicy(
      `${name}-artifacts-policy`,
      { bucket: bucketName, policy: policyJson([denyInsecureTransport("s3:*", [bucket.arn, pulumi.interpolate`${bucket.arn}/*`])]) },
      { parent: this, dependsOn: [publicAccessBlock] },
    );

    const files = canaryCodeFiles();
    const code = new aws.s3.BucketObjectv2(
      `${name}-code`,
      {
        bucket: bucketName,
        key: `code/uptime.zip`,
        source: new pulumi.asset.AssetArchive(Object.fromEntries(Object.entries(files).map(([path, text]) => [path, new pulumi.asset.StringAsset(text)]))),
        serverSideEncryption: "AES256",
      },
      { parent: this, dependsOn: [versioning!] },
    );

    // ---- Execution role: what AWS lists for canaries, scoped to this bucket and the cwsyn log groups ----
    const role = new aws.iam.Role(
      `${name}-role`,
      { description: "Uptime canary execution role", assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] }) },
      { parent: this },
    );
    new aws.iam.RolePolicy(
      `${name}-role-policy`,
      {
        role: role.name,
        // CloudWatch_Synthetics_Canaries_CanaryPermissions.html ("Required roles and permissions for canaries").
        policy: policyJson([
          { Sid: "WriteRunArtifacts", Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: pulumi.interpolate`${bucket.arn}/results/*` },
          { Sid: "LocateArtifactBucket", Effect: "Allow", Action: "s3:GetBucketLocation", Resource: bucket.arn },
          // No resource types exist for these two: "*" is the only valid Resource (Service Authorization Reference).
          { Sid: "ListBucketsForArtifacts", Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" },
          { Sid: "PublishCanaryMetrics", Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*", Condition: { StringEquals: { "cloudwatch:namespace": "CloudWatchSynthetics" } } },
          {
            Sid: "WriteCanaryLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: pulumi.interpolate`arn:${partition}:logs:${region}:${account}:log-group:/aws/lambda/cwsyn-${args.canaryName}-*`,
          },
        ]),
      },
      { parent: this },
    );

    const mediaPrefix = pulumi.output(args.mediaPathPrefix).apply((p) => p.replace(/\/+$/, ""));
    const canary = new aws.synthetics.Canary(
      `${name}`,
      {
        name: args.canaryName,
        runtimeVersion: CANARY_RUNTIME,
        handler: CANARY_HANDLER,
        s3Bucket: bucketName,
        s3Key: code.key,
        s3Version: code.versionId,
        artifactS3Location: pulumi.interpolate`s3://${bucketName}/results/`,
        artifactConfig: { s3Encryption: { encryptionMode: "SSE_S3" } },
        executionRoleArn: role.arn,
        schedule: { expression: rate === 1 ? "rate(1 minute)" : `rate(${rate} minutes)` },
        runConfig: {
          timeoutInSeconds: Math.min(60, rate * 60),
          memoryInMb: 960,
          // Host names only: nothing secret (the canary holds no signing key).
          environmentVariables: {
            CANARY_SITE_HOST: args.siteHost,
            CANARY_DISTRIBUTION_DOMAIN: args.distributionDomain,
            CANARY_MEDIA_PROBE_PATH: pulumi.interpolate`${mediaPrefix}/canary/unsigned-probe`,
            CANARY_CERT_MIN_DAYS: String(args.certificateMinDays ?? UPTIME_CANARY_DEFAULTS.certificateMinDays),
          },
        },
        successRetentionPeriod: 2,
        failureRetentionPeriod: 14,
        startCanary: true,
        deleteLambda: true,
      },
      { parent: this, dependsOn: [code] },
    );

    const failedRuns = args.failedRunsToAlarm ?? 2;
    const alarm = metricAlarm(
      `${name}-failed`,
      {
        description: pulumi.interpolate`Uptime canary ${args.canaryName}: ${failedRuns} runs in a row failed or did not run (home page, headers, certificate, signed media, cloudfront.net name). Read the run's log in CloudWatch Synthetics.`,
        namespace: "CloudWatchSynthetics",
        metricName: "SuccessPercent",
        dimensions: { CanaryName: args.canaryName },
        statistic: "Average",
        period: rate * 60,
        evaluationPeriods: failedRuns,
        datapointsToAlarm: failedRuns,
        threshold: 100,
        comparisonOperator: "LessThanThreshold",
        // A canary that does not run is as bad as one that fails.
        treatMissingData: "breaching",
        actionsEnabled: true,
        topicArn: args.alarmTopicArn,
      },
      { parent: this, dependsOn: [canary] },
    );

    this.canaryName = canary.name;
    this.artifactBucketName = bucketName;
    this.alarmArn = alarm.arn;
    this.registerOutputs({ canaryName: this.canaryName, artifactBucketName: this.artifactBucketName, alarmArn: this.alarmArn });
  }
}
