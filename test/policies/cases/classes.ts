import { ACCOUNT, bucketSet, change, denyInsecure, doc, nodeFunction, T, tweak, webAcl } from "../fixtures";
import type { PolicyCase } from "./types";

/**
 * Cases for the classes of issue 14 (each class, not each red-team example): billing blind spots,
 * scoping conditions judged by value, WAF/CloudTrail/SES v1/DynamoDB replicas/Lambda secrets, the
 * unreviewed-type tripwire and malformed input. `families.spec.ts` runs them with the other cases.
 */

const FOREIGN = "999999999999";
const TOPIC_ARN = `arn:aws:sns:eu-west-2:${ACCOUNT}:alerts`;
const QUEUE_URL = `https://sqs.eu-west-2.amazonaws.com/${ACCOUNT}/dlq`;
const QUEUE_ARN = `arn:aws:sqs:eu-west-2:${ACCOUNT}:dlq`;

/** A topic policy that lets anyone publish under the given condition. */
const topicPolicy = (condition: unknown) => ({
  arn: TOPIC_ARN,
  policy: doc({ Sid: "Publish", Effect: "Allow", Principal: "*", Action: "sns:Publish", Resource: TOPIC_ARN, Condition: condition }, denyInsecure(TOPIC_ARN)),
});

const admin = { Sid: "Admin", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" };
const keyWith = (statement: unknown) => ({ description: "k", enableKeyRotation: true, deletionWindowInDays: 30, policy: doc(admin, statement) });
const useKey = (condition: unknown) => ({ Sid: "UseViaSes", Effect: "Allow", Principal: { AWS: "*" }, Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: "*", Condition: condition });

const queue = { url: QUEUE_URL, arn: QUEUE_ARN, sqsManagedSseEnabled: true };
const queueWith = (statement: unknown) => [
  { type: T.queue, name: "dlq", props: queue },
  { type: T.queuePolicy, name: "dlq-policy", props: { queueUrl: QUEUE_URL, policy: doc(denyInsecure(QUEUE_ARN), statement) } },
];

const bucketPolicyWith = (statement: unknown) =>
  change(bucketSet("media", { log: true }), "media-policy", (p) => {
    const parsed = JSON.parse(p.policy);
    parsed.Statement.push(statement);
    p.policy = JSON.stringify(parsed);
  });
const cloudfrontRead = (condition: unknown) => ({ Sid: "CloudFrontRead", Effect: "Allow", Principal: { Service: "cloudfront.amazonaws.com" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::media-1a2b3c4/*", Condition: condition });
const anyoneRead = (condition: unknown) => ({ Sid: "AnyoneRead", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::media-1a2b3c4/*", Condition: condition });
// An account of this stack, visible to stack policies through a resource ARN.
const stackAccount = { type: T.topic, name: "alerts", props: { arn: TOPIC_ARN, kmsMasterKeyId: "k" } };

// --- Class 2: scoping conditions judged by value --------------------------------------------------

export const scopingCases: PolicyCase[] = [
  { policy: "sns-topic-policy-not-public", title: "passes '*' scoped with StringEquals aws:SourceAccount to this account", type: T.topicPolicy, props: topicPolicy({ StringEquals: { "aws:SourceAccount": ACCOUNT } }), expect: "pass" },
  { policy: "sns-topic-policy-not-public", title: "passes '*' scoped with ArnLike aws:SourceArn to this account's alarms", type: T.topicPolicy, props: topicPolicy({ ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:eu-west-2:${ACCOUNT}:alarm:*` } }), expect: "pass" },
  { policy: "sns-topic-policy-not-public", title: "fails StringLike aws:SourceAccount '*' (a wildcard matches every account)", type: T.topicPolicy, props: topicPolicy({ StringLike: { "aws:SourceAccount": "*" } }), expect: /allows anyone .*aws:SourceAccount: '\*' is not one account id/, rules: ["SNS.4", "CKV_AWS_169"] },
  { policy: "sns-topic-policy-not-public", title: "fails aws:SourceAccount naming another account", type: T.topicPolicy, props: topicPolicy({ StringEquals: { "aws:SourceAccount": FOREIGN } }), expect: [/allows anyone/, /scoped to another account/] },
  { policy: "sns-topic-policy-not-public", title: "fails an ArnLike aws:SourceArn with a wildcard account", type: T.topicPolicy, props: topicPolicy({ ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:eu-west-2:*:alarm:*" } }), expect: /wildcard in its account/ },
  { policy: "sns-topic-policy-not-public", title: "fails an IfExists operator (true when the key is absent)", type: T.topicPolicy, props: topicPolicy({ StringEqualsIfExists: { "aws:SourceAccount": ACCOUNT } }), expect: /IfExists is true when the request carries no such key/ },
  { policy: "sns-topic-policy-not-public", title: "fails a negated operator (admits every other account)", type: T.topicPolicy, props: topicPolicy({ StringNotEquals: { "aws:PrincipalAccount": FOREIGN } }), expect: /admits every value but the listed ones/ },
  { policy: "sns-topic-policy-not-public", title: "fails one good and one wildcard value of the same key (values are ORed)", type: T.topicPolicy, props: topicPolicy({ StringLike: { "aws:SourceAccount": [ACCOUNT, "9*"] } }), expect: /'9\*' is not one account id/ },
  { policy: "sns-topic-policy-not-public", title: "fails a policy document that is not JSON", type: T.topicPolicy, props: { arn: TOPIC_ARN, policy: "{not json" }, expect: /not valid JSON, so it cannot be judged/ },

  { policy: "kms-key-policy", title: "passes '*' through a service when kms:CallerAccount is this account", type: T.key, props: keyWith(useKey({ StringEquals: { "kms:ViaService": "ses.eu-west-2.amazonaws.com", "kms:CallerAccount": ACCOUNT } })), expect: "pass" },
  { policy: "kms-key-policy", title: "fails '*' scoped by kms:ViaService alone (every account using SES)", type: T.key, props: keyWith(useKey({ StringEquals: { "kms:ViaService": "ses.eu-west-2.amazonaws.com" } })), expect: /allows '\*' without a scoping condition/, rules: ["KMS.5", "CKV_AWS_33"] },
  { policy: "kms-key-policy", title: "fails kms:CallerAccount naming another account", type: T.key, props: keyWith(useKey({ StringEquals: { "kms:ViaService": "ses.eu-west-2.amazonaws.com", "kms:CallerAccount": FOREIGN } })), expect: [/without a scoping condition/, /scoped to another account/] },
  { policy: "kms-key-policy", title: "fails a key policy whose Statement holds null", type: T.key, props: { description: "k", enableKeyRotation: true, policy: JSON.stringify({ Statement: [admin, null] }) }, expect: /not objects, so it cannot be judged/ },

  { policy: "sqs-queue-policy", title: "passes a service allowed from this account's topic", resources: queueWith({ Sid: "FromSns", Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: QUEUE_ARN, Condition: { ArnEquals: { "aws:SourceArn": TOPIC_ARN } } }), expect: "pass" },
  { policy: "sqs-queue-policy", title: "fails '*' with ArnLike aws:SourceArn arn:aws:sns:*:*:*", resources: queueWith({ Sid: "FromAnyTopic", Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: QUEUE_ARN, Condition: { ArnLike: { "aws:SourceArn": "arn:aws:sns:*:*:*" } } }), expect: /allows anyone without a scoping condition.*wildcard/, rules: ["CKV_AWS_168"] },
  { policy: "sqs-queue-policy", title: "fails '*' with aws:SourceAccount of another account", resources: queueWith({ Sid: "Foreign", Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: QUEUE_ARN, Condition: { StringEquals: { "aws:SourceAccount": FOREIGN } } }), expect: /scoped to another account/ },

  { policy: "s3-no-public-policy", title: "passes CloudFront reads scoped to this account's distribution", resources: [stackAccount, ...bucketPolicyWith(cloudfrontRead({ StringEquals: { "aws:SourceArn": `arn:aws:cloudfront::${ACCOUNT}:distribution/E2EXAMPLE` } }))], expect: "pass" },
  { policy: "s3-no-public-policy", title: "fails '*' scoped to any distribution (ArnLike with a wildcard account)", resources: [stackAccount, ...bucketPolicyWith(anyoneRead({ ArnLike: { "aws:SourceArn": "arn:aws:cloudfront::*:distribution/*" } }))], expect: /allows anyone .*wildcard in its account/, rules: ["S3.2", "S3.3", "AwsSolutions-S5", "CKV_AWS_70"] },
  { policy: "s3-no-public-policy", title: "fails a service read scoped to another account's distribution (S3.6)", resources: [stackAccount, ...bucketPolicyWith(cloudfrontRead({ StringEquals: { "aws:SourceArn": `arn:aws:cloudfront::${FOREIGN}:distribution/EVIL` } }))], expect: /scoped to another account .*\(S3\.6\)/, rules: ["S3.6"] },
  { policy: "s3-no-public-policy", title: "fails '*' scoped with StringLike aws:PrincipalOrgID '*'", resources: [stackAccount, ...bucketPolicyWith(anyoneRead({ StringLike: { "aws:PrincipalOrgID": "*" } }))], expect: /'\*' is not one organization id/ },
];

// --- Class 1: billing is not blind to what it does not know ------------------------------------------

const priced = [
  { type: T.webAcl, name: "edge-waf", props: webAcl() },
  { type: "aws:ec2/natGateway:NatGateway", name: "nat", props: { connectivityType: "public" } },
  { type: "aws:rds/instance:Instance", name: "db", props: { instanceClass: "db.t4g.micro", engine: "postgres", allocatedStorage: 20 } },
];

export const unpricedCases: PolicyCase[] = [
  { policy: "billing-unpriced-resources", title: "passes priced types (web ACL, NAT gateway, a listed RDS class) and free types", resources: [...priced, { type: "aws:iam/role:Role", name: "r", props: {} }, { type: "mpto:edge:Cdn", name: "cdn", props: {} }], expect: "pass" },
  { policy: "billing-unpriced-resources", title: "fails a billable type the table has no price for", resources: [{ type: "aws:sagemaker/endpoint:Endpoint", name: "model", props: { endpointConfigName: "c" } }], expect: /model \(aws:sagemaker\/endpoint:Endpoint\): .*no price in the table.*add a price .* or an explicit exemption/ },
  { policy: "billing-unpriced-resources", title: "fails a GPU instance class the table does not list", resources: [{ type: "aws:ec2/instance:Instance", name: "gpu", props: { instanceType: "p4de.24xlarge" } }], expect: /instance type p4de\.24xlarge has no hourly rate/ },
  { policy: "billing-unpriced-resources", title: "fails a cache node class the table does not list", resources: [{ type: "aws:elasticache/replicationGroup:ReplicationGroup", name: "cache", props: { nodeType: "cache.r7g.16xlarge", numCacheClusters: 2 } }], expect: /class cache\.r7g\.16xlarge has no hourly rate/ },
  { policy: "billing-unpriced-resources", title: "fails a paid WAF managed group on a priced web ACL", resources: [{ type: T.webAcl, name: "edge-waf", props: tweak(webAcl(), (w) => w.rules.push({ name: "bots", priority: 9, overrideAction: { none: {} }, statement: { managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesBotControlRuleSet" } } })) }], expect: /AWSManagedRulesBotControlRuleSet has its own subscription/ },
  { policy: "billing-unpriced-resources", title: "fails a malformed count instead of pricing it at $0", resources: [{ type: "aws:kinesis/stream:Stream", name: "events", props: { shardCount: "many" } }], expect: /shardCount 'many' is not a count/ },
  {
    policy: "billing-unpriced-resources",
    title: "passes an unpriced type exempted by type, and a resource exempted by URN, each with a reason",
    resources: [
      { type: "aws:sagemaker/endpoint:Endpoint", name: "model", props: {} },
      { type: "aws:ec2/instance:Instance", name: "gpu", props: { instanceType: "p4de.24xlarge" } },
    ],
    config: {
      exemptions: [
        { type: "aws:sagemaker/endpoint:Endpoint", reason: "serverless inference only, billed per request; budgeted separately" },
        { urn: "urn:pulumi:test::mpto::aws:ec2/instance:Instance::gpu", reason: "one training box, switched off outside office hours" },
      ],
    },
    expect: "pass",
  },
  {
    policy: "billing-unpriced-resources",
    title: "fails an exemption keyed to another URN (a same-named resource elsewhere is not exempt)",
    resources: [{ type: "aws:ec2/instance:Instance", name: "gpu", props: { instanceType: "p4de.24xlarge" } }],
    config: { exemptions: [{ urn: "urn:pulumi:test::mpto::mpto:other:Thing$aws:ec2/instance:Instance::gpu", reason: "a different resource that happens to share the name" }] },
    expect: /gpu .*no hourly rate/,
  },
];

// --- Class 4: WAF per-rule overrides, CloudTrail selectors, SES v1, DynamoDB replicas, Lambda secrets --

const knownBad = (overrides: unknown[]) => tweak(webAcl(), (w) => (w.rules[2].statement.managedRuleGroupStatement.ruleActionOverrides = overrides));
const common = (overrides: unknown[]) => tweak(webAcl(), (w) => (w.rules[1].statement.managedRuleGroupStatement.ruleActionOverrides = overrides));
const trail = { isMultiRegionTrail: true, includeGlobalServiceEvents: true, enableLogging: true };
const v1Set = { deliveryOptions: { tlsPolicy: "Require" }, reputationMetricsEnabled: true, sendingEnabled: true };
const table = { billingMode: "PAY_PER_REQUEST", pointInTimeRecovery: { enabled: true }, deletionProtectionEnabled: true };
const withEnv = (variables: Record<string, unknown>) => tweak(nodeFunction(), (f) => (f.environment.variables = variables));

export const loggingCases: PolicyCase[] = [
  { policy: "waf-managed-rules", title: "passes the 8 KB body-size rule counted (not a critical rule)", type: T.webAcl, props: common([{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }]), expect: "pass" },
  { policy: "waf-managed-rules", title: "fails a critical core rule (GenericLFI_BODY) set to count where the stack blocks", type: T.webAcl, props: common([{ name: "GenericLFI_BODY", actionToUse: { count: {} } }]), expect: /GenericLFI_BODY of AWSManagedRulesCommonRuleSet is overridden to count; it is a critical rule/ },
  { policy: "waf-managed-rules", title: "passes a critical rule counted where the stack allows count mode (dev soaks)", type: T.webAcl, props: common([{ name: "GenericLFI_BODY", actionToUse: { count: {} } }]), config: { allowCountMode: true }, expect: "pass" },
  { policy: "waf-managed-rules", title: "fails any managed rule overridden to allow, even in count mode", type: T.webAcl, props: knownBad([{ name: "PROPFIND_METHOD", actionToUse: { allow: {} } }]), config: { allowCountMode: true }, expect: /PROPFIND_METHOD .* overridden to allow/ },

  { policy: "cloudtrail-multi-region", title: "passes advanced selectors that log every management event", type: T.trail, props: { ...trail, advancedEventSelectors: [{ name: "mgmt", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] }] }, expect: "pass" },
  { policy: "cloudtrail-multi-region", title: "fails excludeManagementEventSources (KMS events dropped)", type: T.trail, props: { ...trail, eventSelectors: [{ includeManagementEvents: true, readWriteType: "All", excludeManagementEventSources: ["kms.amazonaws.com"] }] }, expect: /excludes management events from kms\.amazonaws\.com/, rules: ["CloudTrail.1"] },
  { policy: "cloudtrail-multi-region", title: "fails advanced selectors with no management selector", type: T.trail, props: { ...trail, advancedEventSelectors: [{ name: "s3", fieldSelectors: [{ field: "eventCategory", equals: ["Data"] }, { field: "resources.type", equals: ["AWS::S3::Object"] }] }] }, expect: /record no management events/, rules: ["CloudTrail.1"] },
  { policy: "cloudtrail-multi-region", title: "fails an advanced management selector that keeps reads only or drops an event source", type: T.trail, props: { ...trail, advancedEventSelectors: [{ name: "mgmt", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }, { field: "eventSource", notEquals: ["kms.amazonaws.com"] }] }] }, expect: /filters them by readOnly or eventSource/ },

  { policy: "ses-configuration-set-tls", title: "passes an SES v1 configuration set requiring TLS", type: "aws:ses/configurationSet:ConfigurationSet", props: v1Set, expect: "pass" },
  { policy: "ses-configuration-set-tls", title: "fails an SES v1 configuration set with TLS Optional (Checkov's own resource)", type: "aws:ses/configurationSet:ConfigurationSet", props: { ...v1Set, deliveryOptions: { tlsPolicy: "Optional" } }, expect: /tlsPolicy is Optional/, rules: ["CKV_AWS_365", "ses-sending-tls-required"] },
  { policy: "ses-configuration-set-tls", title: "fails an SES v1 configuration set without delivery options", type: "aws:ses/configurationSet:ConfigurationSet", props: { reputationMetricsEnabled: true }, expect: /tlsPolicy is Optional/ },
  { policy: "ses-configuration-set-reputation", title: "passes an SES v1 configuration set with reputation metrics", type: "aws:ses/configurationSet:ConfigurationSet", props: v1Set, expect: "pass" },
  { policy: "ses-configuration-set-reputation", title: "fails an SES v1 configuration set without reputation metrics", type: "aws:ses/configurationSet:ConfigurationSet", props: { ...v1Set, reputationMetricsEnabled: false }, expect: /reputationMetricsEnabled is not true/ },

  { policy: "dynamodb-pitr", title: "passes a global table whose replicas have PITR", type: T.table, props: { ...table, replicas: [{ regionName: "eu-west-1", pointInTimeRecovery: true, deletionProtectionEnabled: true }] }, expect: "pass" },
  { policy: "dynamodb-pitr", title: "fails a replica without PITR", type: T.table, props: { ...table, replicas: [{ regionName: "eu-west-1" }] }, expect: /replica in eu-west-1: pointInTimeRecovery is not true/, rules: ["DynamoDB.2", "CKV_AWS_28"] },
  { policy: "dynamodb-pitr", title: "fails a TableReplica resource without PITR", type: "aws:dynamodb/tableReplica:TableReplica", props: { globalTableArn: `arn:aws:dynamodb:eu-west-2:${ACCOUNT}:table/sessions` }, expect: /this replica's region cannot roll back/ },
  { policy: "dynamodb-deletion-protection", title: "fails a replica without deletion protection where the stack requires it", type: T.table, props: { ...table, replicas: [{ regionName: "eu-west-1", pointInTimeRecovery: true }] }, expect: /replica in eu-west-1: deletionProtectionEnabled is not true/, rules: ["DynamoDB.6"] },

  { policy: "lambda-environment-secrets", title: "passes references to secrets, flags and plain settings", type: T.function, props: withEnv({ SECRET_ARN: `arn:aws:secretsmanager:eu-west-2:${ACCOUNT}:secret:x`, API_KEY_PARAMETER: "/mpto/api-key", TOKEN_TTL_SECONDS: "900", SESSION_SECRET: "/mpto/session", DEBUG: "false", SITE_URL: "https://www.example.com/?utm=1" }), expect: "pass" },
  {
    policy: "lambda-environment-secrets",
    title: "fails credentials in URLs, secret query parameters, webhook URLs and token formats whatever the variable is called",
    type: T.function,
    props: withEnv({
      DATABASE: "postgres://app:s3cr3t-pw@db.example.com:5432/app",
      CACHE: "redis://:hunter2hunter2@cache:6379",
      ALERTS: "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX",
      FEED: "https://api.example.com/feed?access_token=abcdef0123456789",
      GH: "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
      STRIPE: "sk_live_0123456789abcdefABCDEF",
    }),
    expect: [/DATABASE holds a URL with a password/, /CACHE holds a URL with a password/, /ALERTS holds a webhook URL/, /FEED holds a URL carrying a secret query parameter/, /GH holds a GitHub token/, /STRIPE holds a Stripe secret key/],
    count: 6,
    rules: ["CKV_AWS_45"],
  },
  { policy: "lambda-environment-secrets", title: "fails secret-named variables with suffixes (SESSION_SECRET_B64, CLIENT_SECRET, DB_PASS)", type: T.function, props: withEnv({ SESSION_SECRET_B64: "c2VjcmV0LXZhbHVl", CLIENT_SECRET: "abc123def456", DB_PASS: "correct-horse" }), expect: [/SESSION_SECRET_B64 looks like a secret/, /CLIENT_SECRET looks like a secret/, /DB_PASS looks like a secret/], count: 3 },
];

// --- Class 5: the unreviewed-type tripwire --------------------------------------------------------

export const tripwireCases: PolicyCase[] = [
  { policy: "unreviewed-resource-types", title: "passes a type a security family judges", type: T.table, props: {}, expect: "pass" },
  { policy: "unreviewed-resource-types", title: "passes a type reviewed as having no security setting", type: "aws:kms/alias:Alias", props: {}, expect: "pass" },
  { policy: "unreviewed-resource-types", title: "passes the engine's own types and the project's components", type: "mpto:edge:Cdn", props: {}, expect: "pass" },
  { policy: "unreviewed-resource-types", title: "fails a type no family reviewed, naming it", type: "aws:rds/instance:Instance", props: { instanceClass: "db.t4g.micro" }, expect: /resource type aws:rds\/instance:Instance has not been reviewed/ },
  { policy: "unreviewed-resource-types", title: "fails another provider's type too", type: "gcp:storage/bucket:Bucket", props: {}, expect: /gcp:storage\/bucket:Bucket has not been reviewed/ },
  { policy: "unreviewed-resource-types", title: "passes a type exempted in config with its reason", type: "aws:rds/instance:Instance", props: {}, config: { exemptions: [{ type: "aws:rds/instance:Instance", reason: "reviewed: private subnet, encrypted, IAM auth; family to follow" }] }, expect: "pass" },
];

// --- Class 6: malformed input is a violation, never a crash (one case per kind of malformation) -------

export const robustnessCases: PolicyCase[] = [
  { policy: "lambda-limits", title: "fails a memorySize that is not a number (never NaN under the cap)", type: T.function, props: tweak(nodeFunction(), (f) => (f.memorySize = "lots")), expect: /memorySize 'lots' is not a number/ },
  { policy: "lambda-limits", title: "passes a numeric string within the caps", type: T.function, props: tweak(nodeFunction(), (f) => (f.memorySize = "256")), expect: "pass" },
  { policy: "log-group-retention", title: "fails a retention that is not a number", type: T.logGroup, props: { retentionInDays: { days: 30 } }, expect: /retentionInDays '.*' is not a number/ },
  { policy: "kms-deletion-window", title: "fails a deletion window that is not a number", type: T.key, props: { deletionWindowInDays: "soon" }, expect: /deletionWindowInDays 'soon' is not a number/ },
  { policy: "waf-rate-limit", title: "fails a rate limit that is not a number", type: T.webAcl, props: tweak(webAcl(), (w) => (w.rules[3].statement.rateBasedStatement.limit = "fast")), expect: /limit 'fast' is not a number/ },
  { policy: "lambda-concurrency", title: "fails a reserved concurrency that is not a number", type: T.function, props: tweak(nodeFunction(), (f) => (f.reservedConcurrentExecutions = "all")), expect: /reservedConcurrentExecutions 'all' is not a number/ },
  { policy: "cognito-password-policy", title: "fails a minimum length that is not a number", type: T.userPool, props: { passwordPolicy: { minimumLength: "twelve", requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true } }, expect: /minimumLength 'twelve' is not a number/ },
  { policy: "waf-rules", title: "fails a ruleJson that is not JSON", type: T.webAcl, props: { visibilityConfig: {}, ruleJson: "[{oops" }, expect: [/ruleJson is not a JSON list/, /no rules/] },
  { policy: "waf-managed-rules", title: "judges a web ACL whose rules hold null and strings without crashing", type: T.webAcl, props: tweak(webAcl(), (w) => w.rules.push(null, "rule", 7)), expect: "pass" },
  { policy: "iam-trust-policy", title: "fails a trust policy that is not JSON", type: T.role, props: { assumeRolePolicy: "{" }, expect: /missing or not JSON/ },
  { policy: "cloudtrail-multi-region", title: "fails event selectors holding null", type: T.trail, props: { ...trail, eventSelectors: [null] }, expect: /eventSelectors is malformed/ },
  { policy: "lambda-environment-secrets", title: "fails environment variables that are not a map", type: T.function, props: tweak(nodeFunction(), (f) => (f.environment.variables = "A=B")), expect: /not a map of names to values/ },
];


// --- Class 3: IAM escalation, attachments, users and groups, exemptions by URN, GitHub OIDC pinning ----

const GH = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const ghTrust = (sub: string | string[], op = "StringEquals") => {
  const condition: Record<string, Record<string, unknown>> = { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } };
  condition[op] = { ...(condition[op] ?? {}), "token.actions.githubusercontent.com:sub": sub };
  return doc({ Sid: "GitHub", Effect: "Allow", Principal: { Federated: GH }, Action: "sts:AssumeRoleWithWebIdentity", Condition: condition });
};
const policyDoc = (...statements: unknown[]) => ({ policy: doc(...statements) });
const ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess";
const POLICY_URN = "urn:pulumi:test::mpto::aws:iam/policy:Policy::subject";

export const iamCases: PolicyCase[] = [
  { policy: "iam-privilege-escalation", title: "passes role creation limited to roles that carry the pinned boundary", type: T.policy, props: policyDoc({ Sid: "Bounded", Effect: "Allow", Action: ["iam:CreateRole", "iam:PutRolePolicy"], Resource: `arn:aws:iam::${ACCOUNT}:role/app/*`, Condition: { StringEquals: { "iam:PermissionsBoundary": `arn:aws:iam::${ACCOUNT}:policy/boundary` } } }), expect: "pass" },
  { policy: "iam-privilege-escalation", title: "fails creating roles and attaching policies without a boundary condition", type: T.policy, props: policyDoc({ Sid: "Roles", Effect: "Allow", Action: ["iam:CreateRole", "iam:AttachRolePolicy"], Resource: "*" }), expect: [/create-role-with-rights/, /attach-role-policy/] },
  { policy: "iam-privilege-escalation", title: "fails a boundary condition that pins nothing (StringLike '*')", type: T.policy, props: policyDoc({ Sid: "Roles", Effect: "Allow", Action: ["iam:CreateRole", "iam:PutRolePolicy"], Resource: "*", Condition: { StringLike: { "iam:PermissionsBoundary": "*" } } }), expect: /create-role-with-rights/ },
  { policy: "iam-privilege-escalation", title: "fails iam:PassRole with lambda:CreateFunction and InvokeFunction in a user's inline policy", type: "aws:iam/userPolicy:UserPolicy", props: policyDoc({ Sid: "Pass", Effect: "Allow", Action: ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"], Resource: "*" }), expect: /pass-role-lambda/ },
  { policy: "iam-privilege-escalation", title: "fails a group policy that may write new default policy versions", type: "aws:iam/groupPolicy:GroupPolicy", props: policyDoc({ Sid: "Versions", Effect: "Allow", Action: "iam:CreatePolicyVersion", Resource: "*" }), expect: /create-policy-version/ },
  { policy: "iam-privilege-escalation", title: "passes a path reviewed for this resource by URN", type: T.policy, props: policyDoc({ Sid: "Versions", Effect: "Allow", Action: "iam:CreatePolicyVersion", Resource: "*" }), config: { reviewedEscalations: [{ urn: POLICY_URN, paths: ["create-policy-version", "edit-boundary-policy"], reason: "a deny elsewhere covers the policies that matter" }] }, expect: "pass" },
  { policy: "iam-privilege-escalation", title: "fails when the review names another resource with the same logical name", type: T.policy, props: policyDoc({ Sid: "Versions", Effect: "Allow", Action: "iam:CreatePolicyVersion", Resource: "*" }), config: { reviewedEscalations: [{ urn: "urn:pulumi:test::mpto::mpto:other:Thing$aws:iam/policy:Policy::subject", paths: ["create-policy-version", "edit-boundary-policy"], reason: "reviewed for a different resource entirely" }] }, expect: /create-policy-version/ },

  { policy: "iam-no-admin-access", title: "fails AdministratorAccess attached to a user", type: "aws:iam/userPolicyAttachment:UserPolicyAttachment", props: { user: "ops", policyArn: ADMIN_ARN }, expect: /attaches arn:aws:iam::aws:policy\/AdministratorAccess/, rules: ["CKV_AWS_274"] },
  { policy: "iam-no-admin-access", title: "fails AdministratorAccess attached to a group", type: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment", props: { group: "admins", policyArn: ADMIN_ARN }, expect: /AdministratorAccess/, rules: ["CKV_AWS_274", "IAM.1"] },
  { policy: "iam-no-admin-access", title: "fails AdministratorAccess through a policy attachment or an exclusive attachment set", type: "aws:iam/policyAttachment:PolicyAttachment", props: { name: "x", policyArn: "arn:aws:iam::aws:policy/IAMFullAccess", roles: ["app"] }, expect: /IAMFullAccess/, rules: ["CKV2_AWS_56"] },
  { policy: "iam-no-admin-access", title: "fails a group inline policy allowing '*' on '*'", type: "aws:iam/groupPolicy:GroupPolicy", props: policyDoc({ Sid: "All", Effect: "Allow", Action: "*", Resource: "*" }), expect: /allows "\*" on "\*"/, rules: ["IAM.1", "CKV_AWS_1", "CKV_AWS_62", "CKV2_AWS_40"] },
  { policy: "iam-no-managed-policies", title: "fails an AWS managed policy attached to a group", type: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment", props: { group: "g", policyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" }, expect: /AWS managed policy/, rules: ["AwsSolutions-IAM4"] },
  { policy: "iam-wildcard-permissions", title: "fails whole-service actions in a user's inline policy", type: "aws:iam/userPolicy:UserPolicy", props: policyDoc({ Sid: "S3", Effect: "Allow", Action: "s3:*", Resource: "*" }), expect: /grants whole services: s3:\*/ },
  { policy: "iam-wildcard-permissions", title: "passes a reviewed wildcard keyed by URN", type: T.policy, props: policyDoc({ Sid: "Logs", Effect: "Allow", Action: "logs:Put*", Resource: "*" }), config: { reviewedWildcards: [{ urn: POLICY_URN, reason: "log streams are created at run time and named by Lambda" }] }, expect: "pass" },
  { policy: "iam-wildcard-permissions", title: "fails a wildcard reviewed under another resource's URN (names are not keys)", type: T.policy, props: policyDoc({ Sid: "Logs", Effect: "Allow", Action: "logs:Put*", Resource: "*" }), config: { reviewedWildcards: [{ urn: "urn:pulumi:test::mpto::mpto:other:Thing$aws:iam/policy:Policy::subject", reason: "reviewed for a different resource entirely" }] }, expect: /wildcard actions logs:Put\*/ },
  { policy: "iam-wildcard-permissions", title: "passes a permissions boundary listed by URN (a ceiling, not a grant)", type: T.policy, props: policyDoc({ Sid: "Cap", Effect: "Allow", Action: ["s3:GetObject", "kms:Decrypt"], Resource: "*" }), config: { permissionsBoundaries: [{ urn: POLICY_URN, reason: "the boundary of every role the CI creates" }] }, expect: "pass" },

  { policy: "iam-users", title: "passes a stack without users (a role)", type: "aws:iam/policyAttachment:PolicyAttachment", props: { name: "x", policyArn: `arn:aws:iam::${ACCOUNT}:policy/app`, roles: ["app"] }, expect: "pass" },
  { policy: "iam-users", title: "fails an IAM user", type: "aws:iam/user:User", props: { name: "deployer" }, expect: /an IAM user/, rules: ["CKV_AWS_273"] },
  { policy: "iam-users", title: "fails a policy attached to a user, directly or through a policy attachment", type: "aws:iam/policyAttachment:PolicyAttachment", props: { name: "x", policyArn: `arn:aws:iam::${ACCOUNT}:policy/app`, users: ["deployer"] }, expect: /attached to users deployer/, rules: ["IAM.2", "CKV_AWS_40"] },
  { policy: "iam-users", title: "fails a long-lived access key", type: "aws:iam/accessKey:AccessKey", props: { user: "deployer" }, expect: /long-lived access key/ },

  { policy: "iam-trust-policy", title: "passes a GitHub subject pinned to the repository and an environment", type: T.role, props: { assumeRolePolicy: ghTrust("repo:org/site:environment:prod") }, expect: "pass" },
  { policy: "iam-trust-policy", title: "passes a GitHub subject pinned to the main branch", type: T.role, props: { assumeRolePolicy: ghTrust("repo:org/site:ref:refs/heads/main") }, expect: "pass" },
  { policy: "iam-trust-policy", title: "fails a subject that pins the repository only (any branch deploys)", type: T.role, props: { assumeRolePolicy: ghTrust("repo:org/site:*", "StringLike") }, expect: /lets any branch, environment or event of org\/site/, rules: ["CKV_AWS_358"] },
  { policy: "iam-trust-policy", title: "fails a subject with a wildcard repository", type: T.role, props: { assumeRolePolicy: ghTrust("repo:org/*:environment:prod", "StringLike") }, expect: /wildcard in the repository/ },
  { policy: "iam-trust-policy", title: "fails a subject that pins neither environment nor branch", type: T.role, props: { assumeRolePolicy: ghTrust("repo:org/site:workflow:deploy") }, expect: /pins neither an environment nor a branch/ },
  { policy: "iam-trust-policy", title: "fails an audience compared with StringLike", type: T.role, props: { assumeRolePolicy: doc({ Effect: "Allow", Principal: { Federated: GH }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringLike: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": "repo:org/site:environment:prod" } } }) }, expect: /audience must be exactly sts\.amazonaws\.com/ },

  {
    policy: "iam-pull-request-roles-read-only",
    title: "passes a pull_request role that only reads",
    resources: [{ type: T.role, name: "preview", props: { name: "preview", assumeRolePolicy: ghTrust("repo:org/site:pull_request"), inlinePolicies: [{ name: "read", policy: doc({ Effect: "Allow", Action: ["s3:GetObject", "cloudfront:GetDistribution", "iam:ListRoles"], Resource: "*" }) }] } }],
    expect: "pass",
  },
  {
    policy: "iam-pull-request-roles-read-only",
    title: "fails a pull_request role with write rights through an attached customer managed policy",
    resources: [
      { type: T.role, name: "preview", props: { name: "preview", assumeRolePolicy: ghTrust("repo:org/site:pull_request") } },
      { type: T.policy, name: "deploy", props: { arn: `arn:aws:iam::${ACCOUNT}:policy/deploy`, policy: doc({ Sid: "Deploy", Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: "*" }) } },
      { type: T.attachment, name: "preview-deploy", props: { role: "preview", policyArn: `arn:aws:iam::${ACCOUNT}:policy/deploy` } },
    ],
    expect: /admits pull_request workflows, but policy deploy \(Deploy\) allows s3:PutObject/,
  },
  {
    policy: "iam-pull-request-roles-read-only",
    title: "fails a role whose wildcard subject admits pull requests and which attaches PowerUserAccess",
    resources: [{ type: T.role, name: "ci", props: { name: "ci", assumeRolePolicy: ghTrust("repo:org/site:*", "StringLike"), managedPolicyArns: ["arn:aws:iam::aws:policy/PowerUserAccess"] } }],
    expect: /attaches arn:aws:iam::aws:policy\/PowerUserAccess, which is not read-only/,
  },

  { policy: "s3-cors", title: "passes presigned POSTs from the site's HTTPS origins", type: "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration", props: { bucket: "media", corsRules: [{ id: "upload", allowedMethods: ["POST"], allowedOrigins: ["https://www.example.com"] }] }, expect: "pass" },
  { policy: "s3-cors", title: "fails a wildcard origin that may write, and a plain-HTTP origin", type: "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration", props: { bucket: "media", corsRules: [{ id: "upload", allowedMethods: ["PUT", "POST"], allowedOrigins: ["*", "http://www.example.com"] }] }, expect: [/origin \* is a wildcard/, /plain HTTP/] },
];

export const classCases: PolicyCase[] = [...iamCases, ...scopingCases, ...unpricedCases, ...loggingCases, ...tripwireCases, ...robustnessCases];
