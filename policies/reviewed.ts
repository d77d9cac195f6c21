import type { Policies, ResourceValidationPolicy } from "@pulumi/policy";
import { isNonBillableToken } from "./billing/estimate";
import { judgedTypes, resourceRule } from "./lib/policy";

/**
 * The unreviewed-type tripwire (issue 14, class 5). A resource type the pack has no security family
 * for used to pass silently: nothing judged it. Now every resource type is either
 *  - judged by a resource policy of some family (collected from the policies' `types`),
 *  - judged by a stack policy of a family (listed in `STACK_JUDGED`, each with its family),
 *  - reviewed and found to carry no security setting of its own (`NO_SECURITY_SETTINGS`, each
 *    with the reason), or
 *  - exempted in the stack's policy config (`unreviewed-resource-types.exemptions`, type + reason),
 * or it draws a diagnostic naming the type. The level is mandatory in prod and advisory in dev
 * (policies/config/*.json): a new type can be tried in dev, but reaches prod only once reviewed.
 * The engine's own types (`pulumi:`) and the project's components (`mpto:`, which create nothing
 * themselves; their children are judged) are not resources to review.
 */

/** Types judged only by stack policies (relationships), with the family that judges them. */
export const STACK_JUDGED: Readonly<Record<string, string>> = {
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "s3",
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "s3",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": "s3",
  "aws:s3/bucketVersioning:BucketVersioning": "s3",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": "s3",
  "aws:s3/bucketLogging:BucketLogging": "s3",
  "aws:s3/bucketPolicy:BucketPolicy": "s3",
  "aws:s3/bucketAcl:BucketAcl": "s3",
  "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock": "s3",
  "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": "wafv2",
  "aws:cloudwatch/logDeliverySource:LogDeliverySource": "cloudfront",
  "aws:cloudwatch/logDelivery:LogDelivery": "cloudfront",
  "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": "cloudfront",
  "aws:sqs/queuePolicy:QueuePolicy": "sqs",
  "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": "lambda",
  "aws:guardduty/detector:Detector": "guardduty",
  "aws:guardduty/detectorFeature:DetectorFeature": "guardduty",
  "aws:budgets/budget:Budget": "billing",
  "aws:organizations/organization:Organization": "organizations",
  "aws:organizations/policyAttachment:PolicyAttachment": "organizations",
};

/** Types reviewed and found to have no security setting of their own, with the reason. */
export const NO_SECURITY_SETTINGS: Readonly<Record<string, string>> = {
  "aws:kms/alias:Alias": "a name for a key; the key (policy, rotation, deletion window) is judged by the kms family",
  "aws:s3/bucketObjectv2:BucketObjectv2": "an object in a bucket whose ACLs are disabled (BucketOwnerEnforced) and public access blocked, judged by the s3 family: its acl cannot grant access, and its encryption defaults to the bucket's",
  "aws:organizations/organizationalUnit:OrganizationalUnit": "a container of accounts; the SCPs that bind it are attached at the root and judged by organizations-guardrails",
  "aws:iam/organizationsFeatures:OrganizationsFeatures": "switches on centralised root access (members without root credentials); it only removes rights",
  "aws:route53/record:Record": "DNS data; what it points to is judged where it is created (a dangling CloudFront alias is judged by cloudfront-s3-origin-exists)",
  "aws:acm/certificateValidation:CertificateValidation": "waits for DNS validation; the certificate is judged by acm-certificate",
  "aws:cloudfront/cachePolicy:CachePolicy": "which headers, cookies and query strings key the cache; whether a behaviour may cache is judged with the distribution",
  "aws:cloudfront/originRequestPolicy:OriginRequestPolicy": "what reaches the origin; the distribution and its behaviours are judged by the cloudfront family",
  "aws:cloudfront/function:Function": "viewer code (10 KB, no network, no secrets by construction); its output headers are proven by test/functions/edge",
  "aws:cloudfront/publicKey:PublicKey": "the public half of the signing key; nothing secret",
  "aws:cloudfront/keyGroup:KeyGroup": "a list of public keys trusted for signed URLs",
  "aws:cloudfront/originAccessControl:OriginAccessControl": "how CloudFront signs to S3; required and checked by cloudfront-s3-origin-access",
  "aws:cloudfront/monitoringSubscription:MonitoringSubscription": "metrics only; its cost is judged by paid-features-allowed",
  "aws:cloudfront/keyValueStore:KeyValueStore": "configuration data read by CloudFront Functions",
  "aws:cloudwatch/dashboard:Dashboard": "a view over metrics; its cost is priced",
  "aws:cloudwatch/eventRule:EventRule": "a match on the account's own events; its targets are judged by their own types",
  "aws:cloudwatch/eventTarget:EventTarget": "delivery of matched events to a topic, queue or function whose resource policy is judged",
  "aws:cloudwatch/logMetricFilter:LogMetricFilter": "derives a metric from a log group",
  "aws:sns/topicSubscription:TopicSubscription": "an endpoint the topic delivers to; the topic's policy is judged",
  "aws:s3/bucketNotification:BucketNotification": "sends the bucket's object events to a topic, queue or function, whose resource policy (judged by its family) decides who may deliver; S3 needs that policy's permission to publish",
  "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination": "where SES sends sending events (an SNS topic whose policy is judged)",
  "aws:sesv2/emailIdentityMailFromAttributes:EmailIdentityMailFromAttributes": "the MAIL FROM domain (SPF alignment); DNS data",
  "aws:cognito/userGroup:UserGroup": "a group of users without an IAM role (a group with a roleArn would need review)",
  "aws:cognito/userPoolDomain:UserPoolDomain": "the hosted UI's domain",
  "aws:costexplorer/anomalyMonitor:AnomalyMonitor": "billing analysis only",
  "aws:costexplorer/anomalySubscription:AnomalySubscription": "billing alerts to a topic or address",
  "aws:costexplorer/costAllocationTag:CostAllocationTag": "activates a tag key in billing data",
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": "a federated identity provider; who may use it is decided by role trust policies, judged by iam-trust-policy",
  "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": "judged by cloudfront-security-headers",
  "random:index/randomPassword:RandomPassword": "generated in the provider, kept as a secret in state; where it is used is judged there",
  "random:index/randomBytes:RandomBytes": "generated in the provider, kept as a secret in state (the SES event handler's pseudonym key); where it is used is judged there",
  "random:index/randomId:RandomId": "generated in the provider; not a secret",
  "random:index/randomString:RandomString": "generated in the provider; where it is used is judged there",
};

/** Every type the pack reviewed: judged by a resource policy, by a stack policy, or without settings. */
export function reviewedTypes(families: Record<string, Policies>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [family, policies] of Object.entries(families)) {
    for (const p of policies) for (const type of judgedTypes(p as ResourceValidationPolicy)) if (!out.has(type)) out.set(type, family);
  }
  for (const [type, family] of Object.entries(STACK_JUDGED)) if (!out.has(type)) out.set(type, family);
  for (const type of Object.keys(NO_SECURITY_SETTINGS)) if (!out.has(type)) out.set(type, "reviewed: no security settings");
  return out;
}

/** Types of resources the tripwire judges: everything but the engine's own and the project's components. */
export function isReviewableType(type: string): boolean {
  return !isNonBillableToken(type);
}

/** Builds the tripwire over the reviewed set (computed once, when first needed). */
export function makeUnreviewedTypes(reviewed: () => ReadonlyMap<string, string>): ResourceValidationPolicy {
  let known: ReadonlyMap<string, string> | undefined;
  return resourceRule<{ exemptions: { type: string; reason: string }[] }>({
    name: "unreviewed-resource-types",
    description:
      "Every resource type is covered by a security family of the pack, reviewed as having no security setting of its own, or exempted in config with a reason; any other type is flagged until reviewed (mandatory in prod, advisory in dev) (tripwire; no catalogue rule).",
    types: "*",
    config: {
      properties: {
        exemptions: {
          type: "array",
          description: "Types allowed without a security family, each with the reason (what was reviewed and why nothing needs enforcing).",
          items: {
            type: "object",
            required: ["type", "reason"],
            additionalProperties: false,
            properties: { type: { type: "string", minLength: 3 }, reason: { type: "string", minLength: 20 } },
          },
        },
      },
      defaults: { exemptions: [] },
    },
    validate(_props, { type, config }, report) {
      if (!isReviewableType(type)) return;
      known ??= reviewed();
      if (known.has(type)) return;
      if (config.exemptions.some((e) => e && e.type === type && typeof e.reason === "string" && e.reason.length >= 20)) return;
      report(
        `resource type ${type} has not been reviewed: no security family of the pack judges it. Add a family (policies/security/), list it in policies/reviewed.ts with why it has no security setting, or exempt it in this stack's policy config (unreviewed-resource-types.exemptions) with the reason`,
      );
    },
  });
}
