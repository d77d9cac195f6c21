import { ACCOUNT, doc, EDGE_TOPIC_ARN, T, topicWithPolicy, TOPIC_ARN, trail } from "../fixtures";
import type { PolicyCase } from "./types";

/** The engine's unknown value (a preview output not yet known): @pulumi/policy's proxy throws UnknownValueError on reading it. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const alarm = { namespace: "AWS/Lambda", metricName: "Errors", period: 300, evaluationPeriods: 1, threshold: 1, comparisonOperator: "GreaterThanOrEqualToThreshold", alarmActions: [TOPIC_ARN], okActions: [TOPIC_ARN] };
const edgeAlarm = { ...alarm, namespace: "AWS/CloudFront", metricName: "5xxErrorRate", region: "us-east-1", alarmActions: [EDGE_TOPIC_ARN], okActions: [EDGE_TOPIC_ARN] };
const feature = (name: string, region?: string) => ({ detectorId: "d1", name, status: "ENABLED", ...(region ? { region } : {}) });

export const snsCases: PolicyCase[] = [
  { policy: "sns-encryption", title: "passes a topic encrypted with a customer-managed key", type: T.topic, props: { kmsMasterKeyId: `arn:aws:kms:eu-west-2:${ACCOUNT}:key/1111` }, expect: "pass" },
  { policy: "sns-encryption", title: "fails an unencrypted topic", type: T.topic, props: {}, expect: /not encrypted at rest/, rules: ["SNS.1", "AwsSolutions-SNS2", "CKV_AWS_26", "NIST SNSEncryptedKMS"] },
  { policy: "sns-encryption", title: "fails the AWS managed key, which CloudWatch and Budgets cannot use", type: T.topic, props: { kmsMasterKeyId: "alias/aws/sns" }, expect: /messages are dropped/ },
  {
    policy: "sns-topic-policy-not-public",
    title: "passes service publishers scoped to this account",
    type: T.topicPolicy,
    props: { arn: TOPIC_ARN, policy: doc({ Sid: "Cw", Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: TOPIC_ARN, Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } } }) },
    expect: "pass",
  },
  {
    policy: "sns-topic-policy-not-public",
    title: "fails a statement that lets anyone publish",
    type: T.topicPolicy,
    props: { arn: TOPIC_ARN, policy: doc({ Sid: "Open", Effect: "Allow", Principal: { AWS: "*" }, Action: "sns:Publish", Resource: TOPIC_ARN }) },
    expect: /statement Open allows anyone/,
    rules: ["SNS.4", "CKV_AWS_169"],
  },
  { policy: "sns-tls-only", title: "passes a topic whose policy denies plain HTTP", resources: topicWithPolicy(), expect: "pass" },
  { policy: "sns-tls-only", title: "fails a topic without a topic policy", resources: topicWithPolicy().slice(0, 1), expect: /topic alerts-topic has no topic policy/, rules: ["AwsSolutions-SNS3"] },
  {
    policy: "sns-tls-only",
    title: "passes a topic whose topic policy is unknown during a preview (not judged)",
    resources: [topicWithPolicy()[0], { ...topicWithPolicy()[1], props: { ...(topicWithPolicy()[1].props as object), policy: UNKNOWN } }],
    expect: "pass",
  },
  {
    policy: "sns-tls-only",
    title: "fails a topic policy without the TLS deny",
    resources: [topicWithPolicy()[0], { ...topicWithPolicy()[1], props: { arn: TOPIC_ARN, policy: doc({ Sid: "Cw", Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: TOPIC_ARN }) } }],
    expect: /does not deny aws:SecureTransport false/,
  },
];

export const cloudwatchCases: PolicyCase[] = [
  { policy: "cloudwatch-alarm-actions", title: "passes an alarm with alarm and OK actions", type: T.alarm, props: alarm, expect: "pass" },
  {
    policy: "cloudwatch-alarm-actions",
    title: "fails a silent alarm: actions disabled, none configured",
    type: T.alarm,
    props: { ...alarm, actionsEnabled: false, alarmActions: [], okActions: [] },
    expect: [/actionsEnabled is false/, /no alarmActions/, /no okActions/],
    count: 3,
    rules: ["CloudWatch.15", "CloudWatch.17", "CKV_AWS_319", "NIST CloudWatchAlarmAction", "CT.CLOUDWATCH.PR.1", "CT.CLOUDWATCH.PR.4"],
  },
  { policy: "cloudwatch-alarm-actions", title: "passes an alarm without OK actions where the stack does not require them", type: T.alarm, props: { ...alarm, okActions: [] }, config: { requireOkActions: false }, expect: "pass" },
  {
    policy: "cloudwatch-alarm-action-region",
    title: "passes alarms notifying topics in their own region (CloudFront alarms in us-east-1)",
    resources: [
      { type: T.alarm, name: "lambda-errors", props: alarm },
      { type: T.alarm, name: "cloudfront-5xx", props: edgeAlarm },
    ],
    expect: "pass",
  },
  {
    policy: "cloudwatch-alarm-action-region",
    title: "fails a us-east-1 alarm that notifies a topic in eu-west-2",
    resources: [{ type: T.alarm, name: "cloudfront-5xx", props: { ...edgeAlarm, alarmActions: [TOPIC_ARN] } }],
    expect: /alarm cloudfront-5xx \(in us-east-1\) notifies topic .* in eu-west-2/,
    count: 1,
  },
  { policy: "log-group-encryption", title: "passes a service-key group when the stack does not require KMS", type: T.logGroup, props: { retentionInDays: 30 }, expect: "pass" },
  { policy: "log-group-encryption", title: "fails a group without a KMS key where the stack requires one", type: T.logGroup, props: { retentionInDays: 30 }, config: { requireKms: true }, expect: /kmsKeyId is not set/, rules: ["CKV_AWS_158", "NIST CloudWatchLogGroupEncrypted", "CT.CLOUDWATCH.PR.3"] },
];

export const cloudtrailCases: PolicyCase[] = [
  { policy: "cloudtrail-multi-region", title: "passes a multi-region trail of all management events", type: T.trail, props: trail(), expect: "pass" },
  {
    policy: "cloudtrail-multi-region",
    title: "fails a single-region trail that is switched off and reads only",
    type: T.trail,
    props: { ...trail(), isMultiRegionTrail: false, enableLogging: false, eventSelectors: [{ includeManagementEvents: true, readWriteType: "ReadOnly" }] },
    expect: [/isMultiRegionTrail is not true/, /enableLogging is false/, /ReadOnly management events only/],
    count: 3,
    rules: ["CloudTrail.1", "CKV_AWS_67", "CKV_AWS_251", "AVD-AWS-0014"],
  },
  { policy: "cloudtrail-log-validation", title: "passes log file validation", type: T.trail, props: trail(), expect: "pass" },
  { policy: "cloudtrail-log-validation", title: "fails a trail without log file validation", type: T.trail, props: { ...trail(), enableLogFileValidation: false }, expect: /enableLogFileValidation/, rules: ["CloudTrail.4", "CKV_AWS_36", "AVD-AWS-0016", "NIST CloudTrailLogFileValidationEnabled"] },
  { policy: "cloudtrail-encryption", title: "passes a KMS-encrypted trail", type: T.trail, props: trail(), expect: "pass" },
  { policy: "cloudtrail-encryption", title: "fails a trail without a KMS key", type: T.trail, props: { ...trail(), kmsKeyId: undefined }, expect: /kmsKeyId is not set/, rules: ["CloudTrail.2", "CKV_AWS_35", "AVD-AWS-0015", "NIST CloudTrailEncryptionEnabled"] },
  { policy: "cloudtrail-cloudwatch-logs", title: "passes a trail delivering to CloudWatch Logs", type: T.trail, props: trail(), expect: "pass" },
  {
    policy: "cloudtrail-cloudwatch-logs",
    title: "fails a trail that does not deliver to CloudWatch Logs",
    type: T.trail,
    props: { ...trail(), cloudWatchLogsGroupArn: undefined },
    expect: /does not deliver to CloudWatch Logs/,
    rules: ["CloudTrail.5", "CKV2_AWS_10", "NIST CloudTrailCloudWatchLogsEnabled"],
  },
  { policy: "cloudtrail-present", title: "passes a stack that does not own the baseline and has no trail", resources: [], expect: "pass" },
  { policy: "cloudtrail-present", title: "fails the baseline owner without a trail", resources: [], config: { required: true }, expect: /no CloudTrail trail/, rules: ["CloudTrail.3"] },
];

export const guarddutyCases: PolicyCase[] = [
  { policy: "guardduty-enabled", title: "passes an enabled detector in the baseline owner", resources: [{ type: T.detector, name: "gd", props: { enable: true } }], config: { required: true }, expect: "pass" },
  { policy: "guardduty-enabled", title: "fails the baseline owner without a detector", resources: [], config: { required: true }, expect: /no GuardDuty detector/, rules: ["GuardDuty.1", "CKV_AWS_238"] },
  { policy: "guardduty-enabled", title: "fails a detector that is switched off", resources: [{ type: T.detector, name: "gd", props: { enable: false } }], expect: /detector gd is disabled/ },
  {
    policy: "guardduty-protection-plans",
    title: "passes detectors in two regions, each with the required plans of its region",
    resources: [
      { type: T.detector, name: "gd", props: { enable: true } },
      { type: T.detectorFeature, name: "gd-s3", props: feature("S3_DATA_EVENTS") },
      { type: T.detectorFeature, name: "gd-lambda", props: feature("LAMBDA_NETWORK_LOGS") },
      { type: T.detector, name: "gd-edge", props: { enable: true, region: "us-east-1" } },
      { type: T.detectorFeature, name: "gd-edge-s3", props: feature("S3_DATA_EVENTS", "us-east-1") },
      { type: T.detectorFeature, name: "gd-edge-lambda", props: feature("LAMBDA_NETWORK_LOGS", "us-east-1") },
    ],
    config: { requiredFeatures: ["S3_DATA_EVENTS", "LAMBDA_NETWORK_LOGS"] },
    expect: "pass",
  },
  {
    policy: "guardduty-protection-plans",
    title: "fails a detector whose region lacks S3 and Lambda Protection",
    resources: [
      { type: T.detector, name: "gd", props: { enable: true } },
      { type: T.detector, name: "gd-edge", props: { enable: true, region: "us-east-1" } },
      { type: T.detectorFeature, name: "gd-edge-s3", props: feature("S3_DATA_EVENTS", "us-east-1") },
      { type: T.detectorFeature, name: "gd-edge-lambda", props: feature("LAMBDA_NETWORK_LOGS", "us-east-1") },
    ],
    config: { requiredFeatures: ["S3_DATA_EVENTS", "LAMBDA_NETWORK_LOGS"] },
    expect: /detector gd does not enable S3_DATA_EVENTS, LAMBDA_NETWORK_LOGS/,
    count: 1,
    rules: ["GuardDuty.6", "GuardDuty.10"],
  },
];

export const acmCases: PolicyCase[] = [
  { policy: "acm-certificate", title: "passes a DNS-validated RSA 2048 certificate for named hosts", type: T.certificate, props: { domainName: "www.example.com", subjectAlternativeNames: ["example.com"], validationMethod: "DNS", keyAlgorithm: "RSA_2048", region: "us-east-1" }, expect: "pass" },
  {
    policy: "acm-certificate",
    title: "fails email validation, a 1024-bit key and a wildcard name",
    type: T.certificate,
    props: { domainName: "*.example.com", validationMethod: "EMAIL", keyAlgorithm: "RSA_1024" },
    expect: [/validationMethod is EMAIL/, /RSA_1024 is weaker/, /wildcard names \*\.example\.com/],
    count: 3,
    rules: ["ACM.2", "CKV2_AWS_71"],
  },
];

