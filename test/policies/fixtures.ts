import type { StackResourceSpec } from "../support/policies";

/**
 * Compliant resources, shaped like what the stacks' components declare (type tokens and v7
 * property names as the engine sends them). Failing cases copy one and break one setting.
 */

export const ACCOUNT = "123456789012";
export const T = {
  distribution: "aws:cloudfront/distribution:Distribution",
  responseHeaders: "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
  webAcl: "aws:wafv2/webAcl:WebAcl",
  wafLogging: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
  logDeliverySource: "aws:cloudwatch/logDeliverySource:LogDeliverySource",
  logDelivery: "aws:cloudwatch/logDelivery:LogDelivery",
  bucket: "aws:s3/bucket:Bucket",
  bucketBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  bucketOwnership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  bucketEncryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  bucketVersioning: "aws:s3/bucketVersioning:BucketVersioning",
  bucketLifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  bucketLogging: "aws:s3/bucketLogging:BucketLogging",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  bucketAcl: "aws:s3/bucketAcl:BucketAcl",
  accountBlock: "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
  configurationSet: "aws:sesv2/configurationSet:ConfigurationSet",
  emailIdentity: "aws:sesv2/emailIdentity:EmailIdentity",
  userPool: "aws:cognito/userPool:UserPool",
  userPoolClient: "aws:cognito/userPoolClient:UserPoolClient",
  identityPool: "aws:cognito/identityPool:IdentityPool",
  table: "aws:dynamodb/table:Table",
  function: "aws:lambda/function:Function",
  permission: "aws:lambda/permission:Permission",
  functionUrl: "aws:lambda/functionUrl:FunctionUrl",
  invokeConfig: "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  policy: "aws:iam/policy:Policy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  key: "aws:kms/key:Key",
  topic: "aws:sns/topic:Topic",
  topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
  subscription: "aws:sns/topicSubscription:TopicSubscription",
  queue: "aws:sqs/queue:Queue",
  queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  dashboard: "aws:cloudwatch/dashboard:Dashboard",
  trail: "aws:cloudtrail/trail:Trail",
  detector: "aws:guardduty/detector:Detector",
  detectorFeature: "aws:guardduty/detectorFeature:DetectorFeature",
  certificate: "aws:acm/certificate:Certificate",
  budget: "aws:budgets/budget:Budget",
  monitoringSubscription: "aws:cloudfront/monitoringSubscription:MonitoringSubscription",
  provisionedConcurrency: "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig",
  zone: "aws:route53/zone:Zone",
  secret: "aws:secretsmanager/secret:Secret",
} as const;

/** Deep copy, then apply `change` to the copy. */
export function tweak<T>(value: T, change: (copy: any) => void): T {
  const copy = JSON.parse(JSON.stringify(value));
  change(copy);
  return copy;
}

export const denyInsecure = (resource: string) => ({
  Sid: "DenyInsecureTransport",
  Effect: "Deny",
  Principal: "*",
  Action: "*",
  Resource: resource,
  Condition: { Bool: { "aws:SecureTransport": "false" } },
});

export const doc = (...statements: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

// --- CloudFront ------------------------------------------------------------------------------

export const WEB_ACL_ARN = `arn:aws:wafv2:us-east-1:${ACCOUNT}:global/webacl/edge-waf/0f1e2d3c-0000-4000-8000-000000000000`;
export const DISTRIBUTION_ARN = `arn:aws:cloudfront::${ACCOUNT}:distribution/E2EXAMPLE`;
export const MEDIA_DOMAIN = "media-1a2b3c4.s3.eu-west-2.amazonaws.com";

export function distribution(): Record<string, any> {
  return {
    enabled: true,
    aliases: ["www.example.com"],
    priceClass: "PriceClass_100",
    arn: DISTRIBUTION_ARN,
    origins: [
      { originId: "vercel", domainName: "mpto-web.vercel.app", customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"] } },
      { originId: "media", domainName: MEDIA_DOMAIN, originAccessControlId: "E3OACEXAMPLE" },
    ],
    defaultCacheBehavior: { targetOriginId: "vercel", viewerProtocolPolicy: "redirect-to-https", responseHeadersPolicyId: "site-headers" },
    orderedCacheBehaviors: [
      { pathPattern: "/media/*", targetOriginId: "media", viewerProtocolPolicy: "https-only", responseHeadersPolicyId: "media-headers" },
      { pathPattern: "/.well-known/acme-challenge/*", targetOriginId: "vercel", viewerProtocolPolicy: "allow-all", responseHeadersPolicyId: "site-headers" },
    ],
    viewerCertificate: { acmCertificateArn: `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/abcd`, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" },
    restrictions: { geoRestriction: { restrictionType: "none", locations: [] } },
    webAclId: WEB_ACL_ARN,
  };
}

export function responseHeaders(): Record<string, any> {
  return {
    name: "site-headers",
    securityHeadersConfig: {
      strictTransportSecurity: { accessControlMaxAgeSec: 63_072_000, includeSubdomains: true, preload: true, override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: "DENY", override: true },
      referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
    },
  };
}

// --- WAF -------------------------------------------------------------------------------------

const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });
const managed = (name: string, priority: number) => ({
  name,
  priority,
  overrideAction: { none: {} },
  statement: { managedRuleGroupStatement: { vendorName: "AWS", name } },
  visibilityConfig: visibility(name),
});

export function webAcl(): Record<string, any> {
  return {
    scope: "CLOUDFRONT",
    region: "us-east-1",
    arn: WEB_ACL_ARN,
    defaultAction: { allow: {} },
    visibilityConfig: visibility("edge-waf"),
    rules: [
      managed("AWSManagedRulesAmazonIpReputationList", 0),
      managed("AWSManagedRulesCommonRuleSet", 1),
      managed("AWSManagedRulesKnownBadInputsRuleSet", 2),
      { name: "RateLimitPerIp", priority: 3, action: { block: {} }, statement: { rateBasedStatement: { limit: 1000, aggregateKeyType: "IP" } }, visibilityConfig: visibility("RateLimitPerIp") },
    ],
  };
}

export function wafLogging(): Record<string, any> {
  return {
    region: "us-east-1",
    resourceArn: WEB_ACL_ARN,
    logDestinationConfigs: [`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:aws-waf-logs-edge`],
    redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
  };
}

// --- S3 --------------------------------------------------------------------------------------

/** A bucket with every companion the S3 family expects; `logsTo` names the access-log bucket. */
export function bucketSet(name: string, options: { logsTo?: string; log?: boolean; policy?: unknown[] } = {}): StackResourceSpec[] {
  const bucket = `${name}-1a2b3c4`;
  const arn = `arn:aws:s3:::${bucket}`;
  const specs: StackResourceSpec[] = [
    { type: T.bucket, name, props: { bucket, arn, bucketRegionalDomainName: `${bucket}.s3.eu-west-2.amazonaws.com`, forceDestroy: false } },
    { type: T.bucketBlock, name: `${name}-public-access`, props: { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true } },
    { type: T.bucketOwnership, name: `${name}-ownership`, props: { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } } },
    { type: T.bucketEncryption, name: `${name}-encryption`, props: { bucket, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] } },
    {
      type: T.bucketLifecycle,
      name: `${name}-lifecycle`,
      props: {
        bucket,
        rules: [
          { id: "abort", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
          options.log
            ? { id: "expire", status: "Enabled", filter: {}, expiration: { days: 90 } }
            : { id: "noncurrent", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 30 } },
        ],
      },
    },
    { type: T.bucketPolicy, name: `${name}-policy`, props: { bucket, policy: doc(denyInsecure(arn), ...(options.policy ?? [])) } },
  ];
  if (!options.log) specs.push({ type: T.bucketVersioning, name: `${name}-versioning`, props: { bucket, versioningConfiguration: { status: "Enabled" } } });
  if (options.logsTo) specs.push({ type: T.bucketLogging, name: `${name}-logging`, props: { bucket, targetBucket: `${options.logsTo}-1a2b3c4`, targetPrefix: `${name}/` } });
  return specs;
}

/** The media bucket logging into its access-log bucket: a compliant pair. */
export function mediaWithLogs(): StackResourceSpec[] {
  return [...bucketSet("media", { logsTo: "media-logs" }), ...bucketSet("media-logs", { log: true })];
}

/** Replaces the props of the named spec (deep copy of the list). */
export function change(specs: StackResourceSpec[], name: string, edit: (props: any) => void): StackResourceSpec[] {
  return specs.map((s) => (s.name === name ? { ...s, props: tweak(s.props, edit) } : s));
}

export function without(specs: StackResourceSpec[], ...names: string[]): StackResourceSpec[] {
  return specs.filter((s) => !names.includes(s.name));
}

// --- Others ----------------------------------------------------------------------------------

export const TOPIC_ARN = `arn:aws:sns:eu-west-2:${ACCOUNT}:alerts-topic-1a2b3c4`;
export const EDGE_TOPIC_ARN = `arn:aws:sns:us-east-1:${ACCOUNT}:alerts-edge-topic-1a2b3c4`;

export function topicWithPolicy(arn = TOPIC_ARN, extra: unknown[] = []): StackResourceSpec[] {
  return [
    { type: T.topic, name: "alerts-topic", props: { arn, kmsMasterKeyId: `arn:aws:kms:eu-west-2:${ACCOUNT}:key/1111` } },
    {
      type: T.topicPolicy,
      name: "alerts-topic-policy",
      props: {
        arn,
        policy: doc(
          {
            Sid: "AllowBudgetsToPublish",
            Effect: "Allow",
            Principal: { Service: "budgets.amazonaws.com" },
            Action: "sns:Publish",
            Resource: arn,
            Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
          },
          denyInsecure(arn),
          ...extra,
        ),
      },
    },
  ];
}

export function budget(limit = "60"): Record<string, any> {
  return {
    budgetType: "COST",
    timeUnit: "MONTHLY",
    limitAmount: limit,
    limitUnit: "USD",
    notifications: [
      { comparisonOperator: "GREATER_THAN", notificationType: "ACTUAL", threshold: 80, thresholdType: "PERCENTAGE", subscriberSnsTopicArns: [TOPIC_ARN] },
      { comparisonOperator: "GREATER_THAN", notificationType: "ACTUAL", threshold: 100, thresholdType: "PERCENTAGE", subscriberEmailAddresses: ["alerts@example.com"] },
      { comparisonOperator: "GREATER_THAN", notificationType: "FORECASTED", threshold: 100, thresholdType: "PERCENTAGE", subscriberSnsTopicArns: [TOPIC_ARN] },
    ],
  };
}

export function userPool(): Record<string, any> {
  return {
    passwordPolicy: { minimumLength: 12, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true, temporaryPasswordValidityDays: 3 },
    mfaConfiguration: "ON",
    softwareTokenMfaConfiguration: { enabled: true },
    deletionProtection: "ACTIVE",
    userPoolTier: "PLUS",
    userPoolAddOns: { advancedSecurityMode: "ENFORCED" },
  };
}

export function nodeFunction(): Record<string, any> {
  return {
    name: "mail-events-handler-fn-1a2b3c4",
    runtime: "nodejs24.x",
    architectures: ["arm64"],
    memorySize: 256,
    timeout: 10,
    handler: "index.handler",
    role: `arn:aws:iam::${ACCOUNT}:role/mail-events-role`,
    tracingConfig: { mode: "Active" },
    deadLetterConfig: { targetArn: `arn:aws:sqs:eu-west-2:${ACCOUNT}:mail-events-dlq` },
    loggingConfig: { logFormat: "JSON", logGroup: "/aws/lambda/mail-events-handler-1a2b3c4" },
    environment: { variables: { CONFIGURATION_SET: "mpto-transactional", SECRET_ARN: `arn:aws:secretsmanager:eu-west-2:${ACCOUNT}:secret:x` } },
  };
}

export function edgeFunction(): Record<string, any> {
  return { name: "edge-headers", runtime: "nodejs22.x", architectures: ["x86_64"], memorySize: 128, timeout: 5, publish: true, region: "us-east-1", role: `arn:aws:iam::${ACCOUNT}:role/edge` };
}

export function trail(): Record<string, any> {
  return {
    isMultiRegionTrail: true,
    includeGlobalServiceEvents: true,
    enableLogging: true,
    enableLogFileValidation: true,
    kmsKeyId: `arn:aws:kms:eu-west-2:${ACCOUNT}:key/2222`,
    cloudWatchLogsGroupArn: `arn:aws:logs:eu-west-2:${ACCOUNT}:log-group:trail:*`,
    cloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/trail-to-logs`,
    s3BucketName: "trail-1a2b3c4",
  };
}

export const lambdaTrust = doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" });
