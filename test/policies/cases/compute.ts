import { ACCOUNT, denyInsecure, doc, edgeFunction, lambdaTrust, nodeFunction, T, tweak } from "../fixtures";
import type { PolicyCase } from "./types";

const QUEUE_URL = `https://sqs.eu-west-2.amazonaws.com/${ACCOUNT}/mail-events-dlq`;
const QUEUE_ARN = `arn:aws:sqs:eu-west-2:${ACCOUNT}:mail-events-dlq`;
const queue = { url: QUEUE_URL, arn: QUEUE_ARN, sqsManagedSseEnabled: true, messageRetentionSeconds: 1209600 };
const leastPrivilege = doc(
  { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `arn:aws:logs:eu-west-2:${ACCOUNT}:log-group:/aws/lambda/x:log-stream:*` },
  { Sid: "WriteTraces", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
);
const githubTrust = (sub: string, op = "StringEquals") =>
  doc({
    Sid: "GitHubActionsOidc",
    Effect: "Allow",
    Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: { [op]: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": sub } },
  });
const keyPolicy = doc(
  { Sid: "EnableIamPoliciesOfTheAccount", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" },
  { Sid: "AllowCloudWatch", Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: ["kms:GenerateDataKey*", "kms:Decrypt"], Resource: "*", Condition: { StringLike: { "kms:EncryptionContext:aws:sns:topicArn": "arn:aws:sns:*" } } },
);
const key = { description: "alerts", enableKeyRotation: true, deletionWindowInDays: 30, policy: keyPolicy };

export const lambdaCases: PolicyCase[] = [
  { policy: "lambda-runtime", title: "passes nodejs24.x", type: T.function, props: nodeFunction(), expect: "pass" },
  { policy: "lambda-runtime", title: "fails a deprecated runtime", type: T.function, props: tweak(nodeFunction(), (f) => (f.runtime = "nodejs16.x")), expect: /runtime nodejs16.x is not allowed/, rules: ["AwsSolutions-L1", "Lambda.2", "CKV_AWS_363"] },

  { policy: "lambda-permissions", title: "passes a service permission scoped to its source ARN", type: T.permission, props: { action: "lambda:InvokeFunction", function: "f", principal: "sns.amazonaws.com", sourceArn: `arn:aws:sns:eu-west-2:${ACCOUNT}:t` }, expect: "pass" },
  { policy: "lambda-permissions", title: "fails a permission that lets anyone invoke", type: T.permission, props: { action: "lambda:InvokeFunction", function: "f", principal: "*" }, expect: /anyone can invoke/, rules: ["Lambda.1", "CKV_AWS_301"] },
  { policy: "lambda-permissions", title: "fails a service permission without a source (confused deputy)", type: T.permission, props: { action: "lambda:InvokeFunction", function: "f", principal: "s3.amazonaws.com" }, expect: /confused deputy/, rules: ["CKV_AWS_364"] },
  { policy: "lambda-permissions", title: "fails a public function URL", type: T.functionUrl, props: { functionName: "f", authorizationType: "NONE" }, expect: /anyone on the internet/, rules: ["CKV_AWS_258"] },

  { policy: "lambda-tracing", title: "passes Active tracing", type: T.function, props: nodeFunction(), expect: "pass" },
  { policy: "lambda-tracing", title: "passes a Lambda@Edge function without tracing (X-Ray is not supported there)", type: T.function, props: edgeFunction(), expect: "pass" },
  { policy: "lambda-tracing", title: "fails a regional function without tracing", type: T.function, props: tweak(nodeFunction(), (f) => delete f.tracingConfig), expect: /tracingConfig.mode is unset/, rules: ["CKV_AWS_50", "Lambda.7"] },

  { policy: "lambda-environment-secrets", title: "passes plain settings and ARNs of secrets", type: T.function, props: nodeFunction(), expect: "pass" },
  {
    policy: "lambda-environment-secrets",
    title: "fails an access key, a private key and a password in the environment",
    type: T.function,
    props: tweak(nodeFunction(), (f) => (f.environment.variables = { AWS_KEY_ID: "AKIAABCDEFGHIJKLMNOP", SIGNING: "-----BEGIN RSA PRIVATE KEY-----\nabc", DB_PASSWORD: "hunter2" })),
    expect: [/AWS_KEY_ID holds an AWS access key id/, /SIGNING holds a private key/, /DB_PASSWORD looks like a secret/],
    count: 3,
    rules: ["CKV_AWS_45"],
  },

  { policy: "lambda-concurrency", title: "passes no reservation when the stack does not require one", type: T.function, props: nodeFunction(), expect: "pass" },
  { policy: "lambda-concurrency", title: "fails a missing reservation where the stack requires one", type: T.function, props: nodeFunction(), config: { requireReservedConcurrency: true }, expect: /reservedConcurrentExecutions is not set/, rules: ["CKV_AWS_115", "NIST LambdaConcurrency"] },
  { policy: "lambda-concurrency", title: "fails a reservation above the cap", type: T.function, props: tweak(nodeFunction(), (f) => (f.reservedConcurrentExecutions = 500)), expect: /500 is above 100/ },

  {
    policy: "lambda-dead-letter",
    title: "passes a function with a dead-letter queue, and one with an on-failure destination",
    resources: [
      { type: T.function, name: "a", props: nodeFunction() },
      { type: T.function, name: "b", props: tweak(nodeFunction(), (f) => ((f.name = "b-fn"), delete f.deadLetterConfig)) },
      { type: T.invokeConfig, name: "b-invoke", props: { functionName: "b-fn", destinationConfig: { onFailure: { destination: QUEUE_ARN } } } },
      { type: T.function, name: "edge", props: edgeFunction() },
    ],
    expect: "pass",
  },
  {
    policy: "lambda-dead-letter",
    title: "fails a regional function whose failed asynchronous events are lost",
    resources: [{ type: T.function, name: "a", props: tweak(nodeFunction(), (f) => delete f.deadLetterConfig) }],
    expect: /function a has no dead-letter queue/,
    rules: ["CKV_AWS_116", "NIST LambdaDLQ"],
  },
];

export const iamCases: PolicyCase[] = [
  { policy: "iam-no-admin-access", title: "passes a least-privilege inline policy", type: T.rolePolicy, props: { role: "r", policy: leastPrivilege }, expect: "pass" },
  {
    policy: "iam-no-admin-access",
    title: "fails '*' on '*' in a role's inline policy",
    type: T.role,
    props: { assumeRolePolicy: lambdaTrust, inlinePolicies: [{ name: "admin", policy: doc({ Sid: "All", Effect: "Allow", Action: "*", Resource: "*" }) }] },
    expect: /allows "\*" on "\*"/,
    rules: ["IAM.1", "CKV_AWS_1", "CKV_AWS_62", "CKV2_AWS_40", "NIST IAMPolicyNoStatementsWithAdminAccess"],
  },
  {
    policy: "iam-no-admin-access",
    title: "fails AdministratorAccess attached to a role",
    type: T.attachment,
    props: { role: "r", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
    expect: /attaches arn:aws:iam::aws:policy\/AdministratorAccess/,
    rules: ["CKV_AWS_274", "CKV2_AWS_56"],
  },

  { policy: "iam-no-managed-policies", title: "passes a customer-managed policy attachment", type: T.attachment, props: { role: "r", policyArn: `arn:aws:iam::${ACCOUNT}:policy/mine` }, expect: "pass" },
  {
    policy: "iam-no-managed-policies",
    title: "fails an AWS managed policy",
    type: T.attachment,
    props: { role: "r", policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole" },
    expect: /AWS managed policy/,
    rules: ["AwsSolutions-IAM4"],
  },
  {
    policy: "iam-no-managed-policies",
    title: "passes an AWS managed policy the stack lists as reviewed",
    type: T.attachment,
    props: { role: "r", policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole" },
    config: { allowedManagedPolicies: ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"] },
    expect: "pass",
  },

  { policy: "iam-wildcard-permissions", title: "passes named resources and X-Ray on '*' (it has no resource type)", type: T.rolePolicy, props: { role: "r", policy: leastPrivilege }, expect: "pass" },
  {
    policy: "iam-wildcard-permissions",
    title: "fails whole-service actions and decrypt with every key",
    type: T.rolePolicy,
    props: { role: "r", policy: doc({ Sid: "Broad", Effect: "Allow", Action: ["s3:*", "kms:Decrypt"], Resource: "*" }) },
    expect: [/grants whole services: s3:\*/, /decrypting with every KMS key/],
    rules: ["IAM.21", "CKV_AWS_49", "CKV_AWS_63", "KMS.1", "KMS.2", "NIST IAMPolicyNoStatementsWithFullAccess"],
  },
  {
    policy: "iam-wildcard-permissions",
    title: "fails partial wildcards and '*' resources without a recorded review",
    type: T.policy,
    props: { policy: doc({ Sid: "Deploy", Effect: "Allow", Action: ["lambda:Create*", "lambda:GetFunction"], Resource: "*" }) },
    expect: [/uses wildcard actions lambda:Create\*/, /to every resource/],
    count: 2,
    rules: ["AwsSolutions-IAM5", "CKV_AWS_355"],
  },
  {
    policy: "iam-wildcard-permissions",
    title: "passes partial wildcards on a policy listed in reviewedWildcards with its reason",
    type: T.policy,
    props: { policy: doc({ Sid: "Deploy", Effect: "Allow", Action: ["lambda:Create*", "lambda:GetFunction"], Resource: "*" }) },
    config: { reviewedWildcards: [{ urn: "urn:pulumi:test::mpto::aws:iam/policy:Policy::subject", reason: "deploy role: creates functions whose names are not known in advance" }] },
    expect: "pass",
  },
  {
    policy: "iam-wildcard-permissions",
    title: "still fails whole-service actions on a reviewed policy",
    type: T.policy,
    props: { policy: doc({ Sid: "Deploy", Effect: "Allow", Action: ["lambda:*"], Resource: "*" }) },
    config: { reviewedWildcards: [{ urn: "urn:pulumi:test::mpto::aws:iam/policy:Policy::subject", reason: "deploy role: creates functions whose names are not known in advance" }] },
    expect: /grants whole services: lambda:\*/,
    count: 1,
  },

  { policy: "iam-trust-policy", title: "passes a Lambda service trust", type: T.role, props: { assumeRolePolicy: lambdaTrust }, expect: "pass" },
  { policy: "iam-trust-policy", title: "passes GitHub OIDC trust pinned to one repository's environment", type: T.role, props: { assumeRolePolicy: githubTrust("repo:mpto/mpto-aws:environment:prod") }, expect: "pass" },
  {
    policy: "iam-trust-policy",
    title: "fails GitHub OIDC trust open to any branch with a wildcard subject",
    type: T.role,
    props: { assumeRolePolicy: githubTrust("repo:mpto/mpto-aws:*", "StringLike") },
    expect: /lets any branch, environment or event/,
    rules: ["CKV_AWS_358"],
  },
  {
    policy: "iam-trust-policy",
    title: "fails a trust anyone can use and a whole account without conditions",
    type: T.role,
    props: { assumeRolePolicy: doc({ Sid: "Anyone", Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }, { Sid: "Account", Effect: "Allow", Principal: { AWS: "arn:aws:iam::999999999999:root" }, Action: "sts:AssumeRole" }) },
    expect: [/lets anyone assume the role/, /trusts every principal of account/],
    rules: ["CKV_AWS_60", "CKV_AWS_61"],
  },

  {
    policy: "iam-policy-management-conflicts",
    title: "passes a role whose policies are all separate RolePolicy resources",
    resources: [
      { type: T.role, name: "fn-role", props: { name: "fn-role-1a2b3c4", assumeRolePolicy: lambdaTrust } },
      { type: T.rolePolicy, name: "fn-policy", props: { role: "fn-role-1a2b3c4", policy: leastPrivilege } },
    ],
    expect: "pass",
  },
  {
    policy: "iam-policy-management-conflicts",
    title: "fails a role with inlinePolicies and a separate RolePolicy",
    resources: [
      { type: T.role, name: "fn-role", props: { name: "fn-role-1a2b3c4", assumeRolePolicy: lambdaTrust, inlinePolicies: [{ name: "a", policy: leastPrivilege }] } },
      { type: T.rolePolicy, name: "fn-policy", props: { role: "fn-role-1a2b3c4", policy: leastPrivilege } },
    ],
    expect: /inlinePolicies and separate RolePolicy/,
    rules: ["awsguard iam-role-no-policy-management-conflicts"],
  },
];

export const kmsCases: PolicyCase[] = [
  { policy: "kms-key-rotation", title: "passes a rotating symmetric key", type: T.key, props: key, expect: "pass" },
  { policy: "kms-key-rotation", title: "passes an asymmetric signing key without rotation (KMS cannot rotate it)", type: T.key, props: { ...key, enableKeyRotation: false, customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" }, expect: "pass" },
  { policy: "kms-key-rotation", title: "fails a symmetric key without rotation", type: T.key, props: { ...key, enableKeyRotation: false }, expect: /enableKeyRotation is not true/, rules: ["AwsSolutions-KMS5", "CKV_AWS_7", "NIST KMSBackingKeyRotationEnabled"] },
  { policy: "kms-key-policy", title: "passes an explicit policy with a condition-scoped service grant", type: T.key, props: key, expect: "pass" },
  {
    policy: "kms-key-policy",
    title: "fails a key policy that lets anyone use the key",
    type: T.key,
    props: { ...key, policy: doc({ Sid: "Open", Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" }) },
    expect: /statement Open allows '\*'/,
    rules: ["KMS.5", "CKV_AWS_33"],
  },
  { policy: "kms-key-policy", title: "fails a key with no explicit policy", type: T.key, props: { enableKeyRotation: true }, expect: /no key policy/, rules: ["CKV2_AWS_64"] },
  { policy: "kms-deletion-window", title: "passes the 30-day deletion window", type: T.key, props: key, expect: "pass" },
  { policy: "kms-deletion-window", title: "fails a 7-day window where the stack wants 30", type: T.key, props: { ...key, deletionWindowInDays: 7 }, expect: /deletionWindowInDays 7 is below 30/, rules: ["KMS.3"] },
];

export const sqsCases: PolicyCase[] = [
  { policy: "sqs-encryption", title: "passes SQS-managed encryption", type: T.queue, props: queue, expect: "pass" },
  { policy: "sqs-encryption", title: "fails an unencrypted queue", type: T.queue, props: { ...queue, sqsManagedSseEnabled: false }, expect: /stored unencrypted/, rules: ["SQS.1", "AwsSolutions-SQS2", "CKV_AWS_27"] },
  {
    policy: "sqs-queue-policy",
    title: "passes a queue whose policy denies plain HTTP",
    resources: [
      { type: T.queue, name: "dlq", props: queue },
      { type: T.queuePolicy, name: "dlq-policy", props: { queueUrl: QUEUE_URL, policy: doc(denyInsecure(QUEUE_ARN)) } },
    ],
    expect: "pass",
  },
  { policy: "sqs-queue-policy", title: "fails a queue without a policy", resources: [{ type: T.queue, name: "dlq", props: queue }], expect: /queue dlq has no queue policy/, rules: ["AwsSolutions-SQS4"] },
  { policy: "sqs-queue-policy", title: "passes a queue whose own policy (set on the queue) denies plain HTTP", resources: [{ type: T.queue, name: "dlq", props: { ...queue, policy: doc(denyInsecure(QUEUE_ARN)) } }], expect: "pass" },
  {
    policy: "sqs-queue-policy",
    title: "fails a queue whose only queue policy is not JSON: it is reported, and it denies nothing",
    resources: [
      { type: T.queue, name: "dlq", props: queue },
      { type: T.queuePolicy, name: "dlq-policy", props: { queueUrl: QUEUE_URL, policy: "{ not json" } },
    ],
    expect: [/queue dlq: the policy document is not valid JSON/, /queue dlq: the queue policy does not deny aws:SecureTransport false/],
    count: 2,
  },
  {
    policy: "sqs-queue-policy",
    title: "fails a queue policy open to anyone",
    resources: [
      { type: T.queue, name: "dlq", props: queue },
      { type: T.queuePolicy, name: "dlq-policy", deps: { queueUrl: ["dlq"] }, props: { queueUrl: "x", policy: doc(denyInsecure(QUEUE_ARN), { Sid: "Open", Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: QUEUE_ARN }) } },
    ],
    expect: /statement Open allows anyone/,
    rules: ["CKV_AWS_168"],
  },
];
