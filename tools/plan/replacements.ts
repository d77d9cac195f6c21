/**
 * Inputs the AWS provider replaces a resource on (delete + create rather than update), and inputs
 * it compares in a way a plan must know about, per Pulumi resource type, with their sources.
 *
 * Shared data module (team RULES "Shared data modules"): the offline plan's `--base` diff
 * (tools/plan/diff.ts) reads it to call a change "replace" instead of "update"; the deploy-fidelity
 * work adds read-back entries (fields the provider reads back normalised or compares as exact JSON,
 * which show a diff or a replacement on every update). One home: add entries here, never copy them.
 *
 * Shape of an entry: `{ type, path, reason, source }` (+ optional `kind`)
 *  - `type`: the Pulumi type token (`aws:s3/bucket:Bucket`), or `*` for every AWS resource type;
 *  - `path`: the Pulumi input property path, camelCase as in the SDK (`hashKey`, `localSecondaryIndexes`);
 *    nested fields with `.` (`monitoringSubscription.realtimeMetricsSubscriptionConfig`). A changed
 *    path matches an entry when it equals the entry's path or lies under it (`a.b` under `a`, `a[0]` under `a`);
 *  - `reason`: one line a reviewer reads in the plan ("the table name is its identity");
 *  - `source`: where the rule comes from: the terraform-provider-aws file whose schema marks the
 *    attribute `ForceNew: true` (SDKv2) or `RequiresReplace()` (plugin framework) — pulumi-aws is a
 *    bridge over that provider, and its Diff reports exactly those attributes in `replaces`
 *    (pulumi/pulumi-terraform-bridge pkg/tfbridge/provider.go, Diff) — or the doc that states it;
 *  - `kind`: "replace" (default) — a change replaces the resource; "read-back" — the provider reads the
 *    value back in another form, so a plan sees a change that is not one (or a replacement on every update).
 *
 * Paths are Pulumi's names for the Terraform attributes (snake_case -> camelCase; Pulumi pluralises
 * list blocks: `local_secondary_index` -> `localSecondaryIndexes`). The files cited are under
 * https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/. Re-read on
 * 2026-12-01: the region rule, dynamodb/table.go, iam/policy.go (description, name, name_prefix, path)
 * and ce/anomaly_monitor.go (monitor_type, monitor_dimension, monitor_specification); the other entries
 * were transcribed from the cited schemas and are the identity attributes of each type (names, keys,
 * parents). Every path is checked against the installed @pulumi/aws typings (test/tools/planReview.spec.ts).
 * Where a type has no entry, every change is reported as an update: say so in the review when it matters.
 */

export type ReplacementKind = "replace" | "read-back";

export interface ReplacementRule {
  type: string;
  path: string;
  reason: string;
  source: string;
  kind?: ReplacementKind;
}

const TF = "hashicorp/terraform-provider-aws internal/service/";
const tf = (file: string, attribute: string) => `${TF}${file} (schema: ${attribute} ForceNew)`;
const tfFw = (file: string, attribute: string) => `${TF}${file} (schema: ${attribute} RequiresReplace)`;

/** Identity of a companion resource: the thing it attaches to. */
const attachedTo = (type: string, path: string, file: string, attribute: string, what: string): ReplacementRule => ({
  type,
  path,
  reason: `it belongs to one ${what}; pointing it at another recreates it`,
  source: tf(file, attribute),
});

const S3_COMPANIONS: [string, string][] = [
  ["aws:s3/bucketVersioning:BucketVersioning", "s3/bucket_versioning.go"],
  ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "s3/bucket_public_access_block.go"],
  ["aws:s3/bucketOwnershipControls:BucketOwnershipControls", "s3/bucket_ownership_controls.go"],
  ["aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "s3/bucket_server_side_encryption_configuration.go"],
  ["aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "s3/bucket_lifecycle_configuration.go"],
  ["aws:s3/bucketCorsConfiguration:BucketCorsConfiguration", "s3/bucket_cors_configuration.go"],
  ["aws:s3/bucketLogging:BucketLogging", "s3/bucket_logging.go"],
  ["aws:s3/bucketPolicy:BucketPolicy", "s3/bucket_policy.go"],
  ["aws:s3/bucketNotification:BucketNotification", "s3/bucket_notification.go"],
];

export const REPLACEMENTS: readonly ReplacementRule[] = [
  {
    type: "*",
    path: "region",
    reason: "a resource lives in one region; moving it recreates it there",
    source: "hashicorp/terraform-provider-aws website/docs/guides/enhanced-region-support.html.markdown ('Changing the value of region will force resource replacement'), inherited by pulumi-aws v7's per-resource region",
  },

  // --- S3 -------------------------------------------------------------------------------------
  { type: "aws:s3/bucket:Bucket", path: "bucket", reason: "a bucket's name is its identity (a new bucket, the objects stay behind)", source: tf("s3/bucket.go", "bucket") },
  { type: "aws:s3/bucket:Bucket", path: "bucketPrefix", reason: "the name is derived from it at creation", source: tf("s3/bucket.go", "bucket_prefix") },
  { type: "aws:s3/bucket:Bucket", path: "objectLockEnabled", reason: "Object Lock is chosen when the bucket is created", source: tf("s3/bucket.go", "object_lock_enabled") },
  ...S3_COMPANIONS.map(([type, file]) => attachedTo(type, "bucket", file, "bucket", "bucket")),
  // expected_bucket_owner exists on these companions only (not on policy, public access block, notification, ownership controls).
  ...S3_COMPANIONS.filter(([type]) => !["aws:s3/bucketPolicy:BucketPolicy", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "aws:s3/bucketNotification:BucketNotification", "aws:s3/bucketOwnershipControls:BucketOwnershipControls"].includes(type)).map(
    ([type, file]): ReplacementRule => ({ type, path: "expectedBucketOwner", reason: "part of the resource's identity (bucket,account)", source: tf(file, "expected_bucket_owner") }),
  ),
  { type: "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", path: "accountId", reason: "one block per account", source: tf("s3control/account_public_access_block.go", "account_id") },

  // --- DynamoDB -------------------------------------------------------------------------------
  { type: "aws:dynamodb/table:Table", path: "name", reason: "the table name is its identity: a new, empty table", source: tf("dynamodb/table.go", "name") },
  { type: "aws:dynamodb/table:Table", path: "hashKey", reason: "the key schema is fixed at creation: a new, empty table", source: tf("dynamodb/table.go", "hash_key") },
  { type: "aws:dynamodb/table:Table", path: "rangeKey", reason: "the key schema is fixed at creation: a new, empty table", source: tf("dynamodb/table.go", "range_key") },
  { type: "aws:dynamodb/table:Table", path: "localSecondaryIndexes", reason: "local secondary indexes exist only from creation", source: tf("dynamodb/table.go", "local_secondary_index") },
  { type: "aws:dynamodb/table:Table", path: "restoreSourceName", reason: "a restore creates a new table", source: tf("dynamodb/table.go", "restore_source_name") },

  // --- Cognito --------------------------------------------------------------------------------
  { type: "aws:cognito/userPool:UserPool", path: "usernameAttributes", reason: "sign-in attributes are fixed at creation: a new pool, every user gone", source: tf("cognitoidp/user_pool.go", "username_attributes") },
  { type: "aws:cognito/userPool:UserPool", path: "aliasAttributes", reason: "sign-in aliases are fixed at creation: a new pool, every user gone", source: tf("cognitoidp/user_pool.go", "alias_attributes") },
  { type: "aws:cognito/userPool:UserPool", path: "usernameConfiguration", reason: "case sensitivity is fixed at creation: a new pool, every user gone", source: tf("cognitoidp/user_pool.go", "username_configuration") },
  { type: "aws:cognito/userPoolClient:UserPoolClient", path: "userPoolId", reason: "a client belongs to one pool", source: tf("cognitoidp/user_pool_client.go", "user_pool_id") },
  { type: "aws:cognito/userPoolClient:UserPoolClient", path: "generateSecret", reason: "a client secret is chosen at creation: the app's client id and secret change", source: tf("cognitoidp/user_pool_client.go", "generate_secret") },
  { type: "aws:cognito/userGroup:UserGroup", path: "name", reason: "the group name is its identity (members are dropped)", source: tf("cognitoidp/user_group.go", "name") },
  { type: "aws:cognito/userGroup:UserGroup", path: "userPoolId", reason: "a group belongs to one pool", source: tf("cognitoidp/user_group.go", "user_pool_id") },
  { type: "aws:cognito/userPoolDomain:UserPoolDomain", path: "domain", reason: "the hosted sign-in domain is its identity", source: tf("cognitoidp/user_pool_domain.go", "domain") },

  // --- SES v2 ---------------------------------------------------------------------------------
  { type: "aws:sesv2/emailIdentity:EmailIdentity", path: "emailIdentity", reason: "a new identity must be verified again (DKIM records change)", source: tf("sesv2/email_identity.go", "email_identity") },
  { type: "aws:sesv2/configurationSet:ConfigurationSet", path: "configurationSetName", reason: "the name is its identity (senders refer to it)", source: tf("sesv2/configuration_set.go", "configuration_set_name") },
  { type: "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination", path: "configurationSetName", reason: "it belongs to one configuration set", source: tf("sesv2/configuration_set_event_destination.go", "configuration_set_name") },
  { type: "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination", path: "eventDestinationName", reason: "the name is its identity", source: tf("sesv2/configuration_set_event_destination.go", "event_destination_name") },
  attachedTo("aws:sesv2/emailIdentityMailFromAttributes:EmailIdentityMailFromAttributes", "emailIdentity", "sesv2/email_identity_mail_from_attributes.go", "email_identity", "email identity"),

  // --- KMS ------------------------------------------------------------------------------------
  { type: "aws:kms/key:Key", path: "keyUsage", reason: "a key's usage is fixed at creation: a new key (data encrypted under the old one needs it)", source: tf("kms/key.go", "key_usage") },
  { type: "aws:kms/key:Key", path: "customerMasterKeySpec", reason: "a key's spec is fixed at creation", source: tf("kms/key.go", "customer_master_key_spec") },
  { type: "aws:kms/key:Key", path: "multiRegion", reason: "multi-Region is chosen at creation", source: tf("kms/key.go", "multi_region") },
  { type: "aws:kms/alias:Alias", path: "name", reason: "the alias name is its identity", source: tf("kms/alias.go", "name") },

  // --- SNS / SQS ------------------------------------------------------------------------------
  { type: "aws:sns/topic:Topic", path: "name", reason: "the topic name is in its ARN: subscriptions must be confirmed again", source: tf("sns/topic.go", "name") },
  { type: "aws:sns/topic:Topic", path: "fifoTopic", reason: "FIFO is chosen at creation", source: tf("sns/topic.go", "fifo_topic") },
  { type: "aws:sns/topicSubscription:TopicSubscription", path: "topic", reason: "a subscription belongs to one topic (email subscriptions need confirming again)", source: tf("sns/topic_subscription.go", "topic_arn") },
  { type: "aws:sns/topicSubscription:TopicSubscription", path: "endpoint", reason: "a new endpoint is a new subscription (email: confirm again)", source: tf("sns/topic_subscription.go", "endpoint") },
  { type: "aws:sns/topicSubscription:TopicSubscription", path: "protocol", reason: "a new protocol is a new subscription", source: tf("sns/topic_subscription.go", "protocol") },
  attachedTo("aws:sns/topicPolicy:TopicPolicy", "arn", "sns/topic_policy.go", "arn", "topic"),
  { type: "aws:sqs/queue:Queue", path: "name", reason: "the queue name is in its URL: messages in flight are lost", source: tf("sqs/queue.go", "name") },
  { type: "aws:sqs/queue:Queue", path: "fifoQueue", reason: "FIFO is chosen at creation", source: tf("sqs/queue.go", "fifo_queue") },
  attachedTo("aws:sqs/queuePolicy:QueuePolicy", "queueUrl", "sqs/queue_policy.go", "queue_url", "queue"),

  // --- CloudWatch, logs, events ---------------------------------------------------------------
  { type: "aws:cloudwatch/logGroup:LogGroup", path: "name", reason: "the group name is its identity: stored logs stay in the old group (or go with it)", source: tf("logs/group.go", "name") },
  { type: "aws:cloudwatch/logGroup:LogGroup", path: "namePrefix", reason: "the name is derived from it at creation", source: tf("logs/group.go", "name_prefix") },
  { type: "aws:cloudwatch/logGroup:LogGroup", path: "logGroupClass", reason: "the log class is chosen at creation", source: tf("logs/group.go", "log_group_class") },
  { type: "aws:cloudwatch/metricAlarm:MetricAlarm", path: "name", reason: "the alarm name is its identity (its history starts again)", source: tf("cloudwatch/metric_alarm.go", "alarm_name") },
  { type: "aws:cloudwatch/dashboard:Dashboard", path: "dashboardName", reason: "the dashboard name is its identity (bookmarks break)", source: tf("cloudwatch/dashboard.go", "dashboard_name") },
  { type: "aws:cloudwatch/eventRule:EventRule", path: "name", reason: "the rule name is its identity", source: tf("events/rule.go", "name") },
  { type: "aws:cloudwatch/eventRule:EventRule", path: "eventBusName", reason: "a rule belongs to one bus", source: tf("events/rule.go", "event_bus_name") },
  { type: "aws:cloudwatch/eventTarget:EventTarget", path: "rule", reason: "a target belongs to one rule", source: tf("events/target.go", "rule") },
  { type: "aws:cloudwatch/eventTarget:EventTarget", path: "targetId", reason: "the target id is its identity", source: tf("events/target.go", "target_id") },
  { type: "aws:cloudwatch/logDeliverySource:LogDeliverySource", path: "name", reason: "the name is its identity (deliveries refer to it)", source: tfFw("logs/delivery_source.go", "name") },
  { type: "aws:cloudwatch/logDeliverySource:LogDeliverySource", path: "logType", reason: "the log type is fixed at creation", source: tfFw("logs/delivery_source.go", "log_type") },
  { type: "aws:cloudwatch/logDeliverySource:LogDeliverySource", path: "resourceArn", reason: "a source belongs to one resource", source: tfFw("logs/delivery_source.go", "resource_arn") },
  { type: "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination", path: "name", reason: "the name is its identity (deliveries refer to it)", source: tfFw("logs/delivery_destination.go", "name") },
  { type: "aws:cloudwatch/logDelivery:LogDelivery", path: "deliverySourceName", reason: "a delivery links one source to one destination", source: tfFw("logs/delivery.go", "delivery_source_name") },
  { type: "aws:cloudwatch/logDelivery:LogDelivery", path: "deliveryDestinationArn", reason: "a delivery links one source to one destination", source: tfFw("logs/delivery.go", "delivery_destination_arn") },

  // --- Lambda ---------------------------------------------------------------------------------
  { type: "aws:lambda/function:Function", path: "name", reason: "the function name is its identity (triggers and permissions follow the new one)", source: tf("lambda/function.go", "function_name") },
  { type: "aws:lambda/function:Function", path: "packageType", reason: "zip or image is chosen at creation", source: tf("lambda/function.go", "package_type") },
  ...["action", "function", "principal", "sourceArn", "sourceAccount", "statementId", "qualifier"].map(
    (path): ReplacementRule => ({ type: "aws:lambda/permission:Permission", path, reason: "a permission statement cannot be edited, only removed and added", source: tf("lambda/permission.go", path.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace("function", "function_name")) }),
  ),

  // --- IAM ------------------------------------------------------------------------------------
  { type: "aws:iam/role:Role", path: "name", reason: "the role name is in its ARN: trust policies and references elsewhere break", source: tf("iam/role.go", "name") },
  { type: "aws:iam/role:Role", path: "namePrefix", reason: "the name is derived from it at creation", source: tf("iam/role.go", "name_prefix") },
  { type: "aws:iam/role:Role", path: "path", reason: "the path is in the role's ARN", source: tf("iam/role.go", "path") },
  { type: "aws:iam/policy:Policy", path: "name", reason: "the policy name is in its ARN", source: tf("iam/policy.go", "name") },
  { type: "aws:iam/policy:Policy", path: "path", reason: "the path is in the policy's ARN", source: tf("iam/policy.go", "path") },
  { type: "aws:iam/policy:Policy", path: "description", reason: "IAM cannot change a managed policy's description", source: tf("iam/policy.go", "description") },
  { type: "aws:iam/rolePolicy:RolePolicy", path: "name", reason: "the inline policy name is its identity", source: tf("iam/role_policy.go", "name") },
  attachedTo("aws:iam/rolePolicy:RolePolicy", "role", "iam/role_policy.go", "role", "role"),
  attachedTo("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "role", "iam/role_policy_attachment.go", "role", "role"),
  { type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", path: "policyArn", reason: "an attachment links one role to one policy", source: tf("iam/role_policy_attachment.go", "policy_arn") },
  { type: "aws:iam/openIdConnectProvider:OpenIdConnectProvider", path: "url", reason: "the issuer URL is in the provider's ARN: roles that trust it must follow", source: tf("iam/openid_connect_provider.go", "url") },

  // --- WAF, CloudFront, ACM, Route 53 ---------------------------------------------------------
  { type: "aws:wafv2/webAcl:WebAcl", path: "name", reason: "the web ACL name is its identity (the distribution is re-pointed)", source: tf("wafv2/web_acl.go", "name") },
  { type: "aws:wafv2/webAcl:WebAcl", path: "scope", reason: "CLOUDFRONT or REGIONAL is fixed at creation", source: tf("wafv2/web_acl.go", "scope") },
  attachedTo("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", "resourceArn", "wafv2/web_acl_logging_configuration.go", "resource_arn", "web ACL"),
  { type: "aws:cloudfront/function:Function", path: "name", reason: "the function name is its identity (behaviours are re-pointed)", source: tf("cloudfront/function.go", "name") },
  { type: "aws:cloudfront/publicKey:PublicKey", path: "encodedKey", reason: "a public key cannot be edited: a new key id, and URLs signed for the old id stop working once it leaves the key group", source: tf("cloudfront/public_key.go", "encoded_key") },
  { type: "aws:cloudfront/publicKey:PublicKey", path: "name", reason: "the name is fixed at creation", source: tf("cloudfront/public_key.go", "name") },
  attachedTo("aws:cloudfront/monitoringSubscription:MonitoringSubscription", "distributionId", "cloudfront/monitoring_subscription.go", "distribution_id", "distribution"),
  { type: "aws:acm/certificate:Certificate", path: "domainName", reason: "a certificate's names are fixed: a new certificate that must validate again (DNS records change)", source: tf("acm/certificate.go", "domain_name") },
  { type: "aws:acm/certificate:Certificate", path: "subjectAlternativeNames", reason: "a certificate's names are fixed: a new certificate that must validate again", source: tf("acm/certificate.go", "subject_alternative_names") },
  { type: "aws:acm/certificate:Certificate", path: "keyAlgorithm", reason: "the key algorithm is fixed at issue", source: tf("acm/certificate.go", "key_algorithm") },
  attachedTo("aws:acm/certificateValidation:CertificateValidation", "certificateArn", "acm/certificate_validation.go", "certificate_arn", "certificate"),
  { type: "aws:route53/record:Record", path: "zoneId", reason: "a record belongs to one hosted zone", source: tf("route53/record.go", "zone_id") },
  { type: "aws:route53/record:Record", path: "name", reason: "the record name is its identity", source: tf("route53/record.go", "name") },

  // --- Account baseline, budgets, cost ----------------------------------------------------------
  { type: "aws:cloudtrail/trail:Trail", path: "name", reason: "the trail name is its identity", source: tf("cloudtrail/trail.go", "name") },
  attachedTo("aws:guardduty/detectorFeature:DetectorFeature", "detectorId", "guardduty/detector_feature.go", "detector_id", "detector"),
  { type: "aws:guardduty/detectorFeature:DetectorFeature", path: "name", reason: "the feature name is its identity", source: tf("guardduty/detector_feature.go", "name") },
  { type: "aws:budgets/budget:Budget", path: "name", reason: "the budget name is its identity (its history starts again)", source: tf("budgets/budget.go", "name") },
  { type: "aws:budgets/budget:Budget", path: "accountId", reason: "a budget belongs to one account", source: tf("budgets/budget.go", "account_id") },
  { type: "aws:costexplorer/anomalyMonitor:AnomalyMonitor", path: "monitorType", reason: "the monitor type is fixed at creation", source: tf("ce/anomaly_monitor.go", "monitor_type") },
  { type: "aws:costexplorer/anomalyMonitor:AnomalyMonitor", path: "monitorDimension", reason: "the monitored dimension is fixed at creation", source: tf("ce/anomaly_monitor.go", "monitor_dimension") },
  { type: "aws:costexplorer/anomalyMonitor:AnomalyMonitor", path: "monitorSpecification", reason: "the specification is fixed at creation and compared as exact JSON", source: tf("ce/anomaly_monitor.go", "monitor_specification") },

  // --- Read-back (deploy fidelity, issue 11): checked by tools/plan/readBack.ts, one checker per entry --
  {
    type: "aws:costexplorer/anomalyMonitor:AnomalyMonitor",
    path: "monitorSpecification",
    kind: "read-back",
    reason: "read back as json.Marshal of the SDK's Expression (every unset field null) and compared with reflect.DeepEqual: a shorter form replaces the monitor on every update",
    source: `${TF}ce/anomaly_monitor.go (Read: json.Marshal + NormalizeJsonString; DiffSuppressFunc SuppressEquivalentJSONDiffs, internal/verify/json.go)`,
  },
  {
    type: "aws:guardduty/detectorFeature:DetectorFeature",
    path: "additionalConfigurations",
    kind: "read-back",
    reason: "Optional but not Computed: the additional configurations GuardDuty reports must be declared, or every update shows them removed",
    source: `${TF}guardduty/detector_feature.go (schema additional_configuration; Read flattens feature.AdditionalConfiguration)`,
  },
  {
    type: "aws:cloudwatch/logDelivery:LogDelivery",
    path: "recordFields",
    kind: "read-back",
    reason: "an in-place change fails for a CloudWatch Logs destination (the update also sends the computed s3_delivery_configuration): replace the delivery instead",
    source: `${TF}logs/delivery.go (Update: UpdateDeliveryConfiguration); hashicorp/terraform-provider-aws#46108, #48527`,
  },
];

/** Whether `changed` (a path such as `a.b[0].c`) is the rule's path or lies under it. */
export function pathUnder(changed: string, rulePath: string): boolean {
  return changed === rulePath || changed.startsWith(`${rulePath}.`) || changed.startsWith(`${rulePath}[`);
}

/** The rules of `kind` (default "replace") that a change of `path` on a resource of `type` hits. */
export function replacementRules(type: string, path: string, kind: ReplacementKind = "replace", rules: readonly ReplacementRule[] = REPLACEMENTS): ReplacementRule[] {
  const isAws = type.startsWith("aws:");
  return rules.filter((r) => (r.kind ?? "replace") === kind && (r.type === type || (r.type === "*" && isAws)) && pathUnder(path, r.path));
}
