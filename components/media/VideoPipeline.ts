import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmSpec, metricAlarm } from "../shared/alarm";
import { join } from "node:path";
import { NodeFunction } from "../lambda/NodeFunction";
import { denyInsecureTransport, enableAccountIamStatement, policyJson } from "../shared/policyDocument";

/** The pipeline's defaults, the one home of each: the args below and the video config keys (components/media/config.ts) take them from here. */
export const VIDEO_PIPELINE_DEFAULTS = { maxUploadBytes: 1024 ** 3, maxDurationMinutes: 120, stuckAfterMinutes: 60 } as const;

export interface VideoPipelineArgs {
  /** The media bucket (its EventBridge notifications switched on by MediaBucket). Required. */
  bucketName: pulumi.Input<string>;
  /** Its ARN. Required. */
  bucketArn: pulumi.Input<string>;
  /** Alert topic (stack region) for the pipeline's alarms. Required. */
  alarmTopicArn: pulumi.Input<string>;
  /** Largest original transcoded, in bytes (the upload limit). Default 1 GiB. */
  maxUploadBytes?: number;
  /** Longest video transcoded, in minutes; longer inputs are clipped there and recorded as TOO_LONG. Default 120. */
  maxDurationMinutes?: number;
  /** A job not finished and unchanged for this long counts as stuck (alarm). Default 60. */
  stuckAfterMinutes?: number;
  /** The app's HTTPS endpoint subscribed to the video events topic. Default none: the app reads the table. */
  notificationUrl?: pulumi.Input<string>;
  /** Protect the asset table (protect, retainOnDelete, deletion protection). Default false. */
  protect?: boolean;
  /** Days of point-in-time recovery of the asset table, 1-35. Default 35. */
  recoveryPeriodDays?: number;
  /** Retention of the functions' log groups in days. Default 30. */
  logRetentionDays?: pulumi.Input<number>;
  /** Errors per 5 minutes at which a function's errors alarm fires. Default 1. */
  errorAlarmThreshold?: pulumi.Input<number>;
}

/** Namespace of the pipeline's own metrics (functions/video/jobStateChange.ts). */
export const VIDEO_METRIC_NAMESPACE = "MPTO/Video";
/** How often the stuck-job sweep runs. */
const SWEEP_MINUTES = 15;

/**
 * Uploaded originals become adaptive HLS (functions/video/jobSettings.ts) with MediaConvert:
 *
 *   browser ─presigned POST─▶ uploads/<id>/<name> ─S3 → EventBridge "Object Created" (uploads/ only)─▶ submit function
 *   submit ─CreateJob (idempotent)─▶ MediaConvert ─writes─▶ videos/<id>/hls/…, videos/<id>/poster/…
 *   MediaConvert "Job State Change" (this pipeline's jobs) ─▶ completion function ─▶ asset table + video events topic ─▶ app
 *
 * The upload rule matches only uploads/, so outputs under videos/ never trigger it; playback cookies
 * cover videos/<id>/* only, so they never reach an original (functions/media/createPlaybackCookies.ts).
 * The app learns a video is ready from an SNS HTTPS notification (signed by SNS, retried with
 * back-off, no secret on either side; the app is on Vercel, outside AWS, so it cannot subscribe to
 * EventBridge directly) or by reading the asset table.
 */
export class VideoPipeline extends pulumi.ComponentResource {
  public readonly assetTableName: pulumi.Output<string>;
  public readonly assetTableArn: pulumi.Output<string>;
  public readonly eventsTopicArn: pulumi.Output<string>;
  public readonly mediaConvertRoleArn: pulumi.Output<string>;
  public readonly submitFunctionName: pulumi.Output<string>;
  public readonly completionFunctionName: pulumi.Output<string>;

  constructor(name: string, args: VideoPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mpto:media:VideoPipeline", name, {}, opts);
    const maxUploadBytes = args.maxUploadBytes ?? VIDEO_PIPELINE_DEFAULTS.maxUploadBytes;
    const maxDurationMinutes = args.maxDurationMinutes ?? VIDEO_PIPELINE_DEFAULTS.maxDurationMinutes;
    const stuckAfterMinutes = args.stuckAfterMinutes ?? VIDEO_PIPELINE_DEFAULTS.stuckAfterMinutes;
    for (const [label, value, min, max] of [["maxDurationMinutes", maxDurationMinutes, 1, 600], ["stuckAfterMinutes", stuckAfterMinutes, SWEEP_MINUTES, 1440]] as const) {
      if (!Number.isInteger(value) || value < min || value > max) throw new pulumi.RunError(`VideoPipeline ${name}: ${label} must be a whole number from ${min} to ${max}, got ${value}`);
    }
    const protect = args.protect ?? false;
    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const region = aws.getRegionOutput({}, { parent: this }).region;
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;

    // ---- Where the app reads a video's state ----
    const table = new aws.dynamodb.Table(
      `${name}-assets`,
      {
        billingMode: "PAY_PER_REQUEST",
        hashKey: "videoId",
        attributes: [{ name: "videoId", type: "S" }],
        pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: args.recoveryPeriodDays ?? 35 },
        deletionProtectionEnabled: protect,
        serverSideEncryption: { enabled: true },
      },
      { parent: this, protect, retainOnDelete: protect },
    );

    // ---- Video events for the app: encrypted topic, TLS only ----
    const key = new aws.kms.Key(
      `${name}-events-key`,
      {
        description: "Encrypts the video events topic",
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: policyJson([enableAccountIamStatement(partition, account)]),
      },
      { parent: this },
    );
    const topic = new aws.sns.Topic(`${name}-events`, { displayName: "MPTO video events", kmsMasterKeyId: key.arn }, { parent: this });
    new aws.sns.TopicPolicy(`${name}-events-policy`, { arn: topic.arn, policy: policyJson([denyInsecureTransport("sns:Publish", topic.arn)]) }, { parent: this });
    if (args.notificationUrl !== undefined) {
      new aws.sns.TopicSubscription(`${name}-events-app`, { topic: topic.arn, protocol: "https", endpoint: args.notificationUrl, rawMessageDelivery: false }, { parent: this });
    }

    // ---- MediaConvert's role: read the originals, write the outputs, nothing else ----
    const mediaConvertRole = new aws.iam.Role(
      `${name}-mediaconvert`,
      {
        description: "MediaConvert reads video originals (uploads/) and writes HLS and posters (videos/)",
        assumeRolePolicy: policyJson([
          // aws:SourceAccount against the confused deputy (MediaConvert User Guide, "Cross-service confused deputy prevention").
          { Effect: "Allow", Principal: { Service: "mediaconvert.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": account } } },
        ]),
      },
      { parent: this },
    );
    new aws.iam.RolePolicy(
      `${name}-mediaconvert-policy`,
      {
        role: mediaConvertRole.name,
        policy: policyJson([
          { Sid: "ReadOriginals", Effect: "Allow", Action: "s3:GetObject", Resource: pulumi.interpolate`${args.bucketArn}/uploads/*` },
          { Sid: "WriteOutputs", Effect: "Allow", Action: "s3:PutObject", Resource: pulumi.interpolate`${args.bucketArn}/videos/*` },
        ]),
      },
      { parent: this },
    );

    const environment = {
      PIPELINE_NAME: name,
      MEDIA_BUCKET: args.bucketName,
      VIDEO_TABLE: table.name,
      MAX_UPLOAD_BYTES: String(maxUploadBytes),
      MAX_DURATION_SECONDS: String(maxDurationMinutes * 60),
    };
    const functionDefaults = { logRetentionDays: args.logRetentionDays, alarmTopicArn: args.alarmTopicArn, errorAlarmThreshold: args.errorAlarmThreshold, timeout: 30 };

    const submit = new NodeFunction(
      `${name}-submit`,
      {
        entry: join(__dirname, "..", "..", "functions", "video", "submitJob.ts"),
        description: "Starts one MediaConvert job per uploaded video original",
        environment: pulumi.output(mediaConvertRole.arn).apply((roleArn) => ({ ...environment, MEDIACONVERT_ROLE_ARN: roleArn })),
        statements: [
          { Sid: "HeadOriginals", Effect: "Allow", Action: "s3:GetObject", Resource: pulumi.interpolate`${args.bucketArn}/uploads/*` },
          { Sid: "CreateJobsOnTheDefaultQueue", Effect: "Allow", Action: "mediaconvert:CreateJob", Resource: pulumi.interpolate`arn:${partition}:mediaconvert:${region}:${account}:queues/Default` },
          { Sid: "PassTheMediaConvertRole", Effect: "Allow", Action: "iam:PassRole", Resource: mediaConvertRole.arn, Condition: { StringEquals: { "iam:PassedToService": "mediaconvert.amazonaws.com" } } },
          { Sid: "RecordAssets", Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"], Resource: table.arn },
        ],
        ...functionDefaults,
      },
      { parent: this },
    );

    const stateEnvironment = pulumi.output(topic.arn).apply((topicArn) => ({ ...environment, VIDEO_EVENTS_TOPIC_ARN: topicArn, STUCK_AFTER_MINUTES: String(stuckAfterMinutes) }));
    const publishMetrics = { Sid: "PublishVideoMetrics", Effect: "Allow" as const, Action: "cloudwatch:PutMetricData", Resource: "*", Condition: { StringEquals: { "cloudwatch:namespace": VIDEO_METRIC_NAMESPACE } } };
    const completion = new NodeFunction(
      `${name}-complete`,
      {
        entry: join(__dirname, "..", "..", "functions", "video", "jobStateChange.ts"),
        description: "Records MediaConvert job state changes and tells the app when a video is ready or failed",
        environment: stateEnvironment,
        statements: [
          { Sid: "RecordAssets", Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:UpdateItem"], Resource: table.arn },
          { Sid: "PublishVideoEvents", Effect: "Allow", Action: "sns:Publish", Resource: topic.arn },
          { Sid: "EncryptVideoEvents", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: key.arn },
          publishMetrics,
        ],
        ...functionDefaults,
      },
      { parent: this },
    );
    const sweep = new NodeFunction(
      `${name}-sweep`,
      {
        entry: join(__dirname, "..", "..", "functions", "video", "jobStateChange.ts"),
        handlerExport: "sweepHandler",
        description: "Counts video jobs that stopped moving (MPTO/Video StuckJobs)",
        environment: stateEnvironment,
        statements: [{ Sid: "ReadAssets", Effect: "Allow", Action: "dynamodb:Scan", Resource: table.arn }, publishMetrics],
        ...functionDefaults,
      },
      { parent: this },
    );

    // ---- Events: uploads/ objects, this pipeline's jobs, the sweep ----
    const rules: [string, NodeFunction, aws.cloudwatch.EventRuleArgs][] = [
      [
        "uploads",
        submit,
        {
          description: "Video originals uploaded to uploads/ (never the pipeline's own outputs)",
          eventPattern: pulumi.jsonStringify({ source: ["aws.s3"], "detail-type": ["Object Created"], detail: { bucket: { name: [args.bucketName] }, object: { key: [{ prefix: "uploads/" }] } } }),
        },
      ],
      [
        "job-state",
        completion,
        {
          description: "State changes of this pipeline's MediaConvert jobs",
          eventPattern: JSON.stringify({
            source: ["aws.mediaconvert"],
            "detail-type": ["MediaConvert Job State Change"],
            detail: { status: ["INPUT_INFORMATION", "PROGRESSING", "STATUS_UPDATE", "COMPLETE", "ERROR", "CANCELED"], userMetadata: { pipeline: [name] } },
          }),
        },
      ],
      ["sweep", sweep, { description: "Counts stuck video jobs", scheduleExpression: `rate(${SWEEP_MINUTES} minutes)` }],
    ];
    for (const [role, fn, ruleArgs] of rules) {
      const rule = new aws.cloudwatch.EventRule(`${name}-${role}`, ruleArgs, { parent: this });
      // Only this rule may invoke the function (Security Hub Lambda.1: no public invoke).
      const permission = new aws.lambda.Permission(`${name}-${role}-invoke`, { action: "lambda:InvokeFunction", function: fn.functionName, principal: "events.amazonaws.com", sourceArn: rule.arn }, { parent: this });
      new aws.cloudwatch.EventTarget(`${name}-${role}-target`, { rule: rule.name, arn: fn.functionArn }, { parent: this, dependsOn: [permission] });
    }

    // ---- Alarms: failed jobs, stuck jobs ----
    const alarm = (id: string, metricName: string, description: string, period: number, statistic: string, treatMissingData: AlarmSpec["treatMissingData"]) =>
      metricAlarm(
        `${name}-${id}`,
        {
          description,
          namespace: VIDEO_METRIC_NAMESPACE,
          metricName,
          dimensions: { Pipeline: name },
          statistic,
          period,
          evaluationPeriods: 1,
          datapointsToAlarm: 1,
          threshold: 1,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          treatMissingData,
          actionsEnabled: true,
          topicArn: args.alarmTopicArn,
        },
        { parent: this },
      );
    alarm("failed-jobs", "FailedJobs", "A video failed to transcode (or was too long): its asset record says why", 300, "Sum", "notBreaching");
    // The sweep always reports (0 when nothing is stuck): no data means the sweep itself stopped.
    alarm("stuck-jobs", "StuckJobs", `A video job has not finished or moved for ${stuckAfterMinutes} minutes (or the sweep stopped reporting)`, SWEEP_MINUTES * 60, "Maximum", "breaching");

    this.assetTableName = table.name;
    this.assetTableArn = table.arn;
    this.eventsTopicArn = topic.arn;
    this.mediaConvertRoleArn = mediaConvertRole.arn;
    this.submitFunctionName = submit.functionName;
    this.completionFunctionName = completion.functionName;
    this.registerOutputs({
      assetTableName: this.assetTableName,
      assetTableArn: this.assetTableArn,
      eventsTopicArn: this.eventsTopicArn,
      mediaConvertRoleArn: this.mediaConvertRoleArn,
      submitFunctionName: this.submitFunctionName,
      completionFunctionName: this.completionFunctionName,
    });
  }
}
