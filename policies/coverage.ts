/**
 * The coverage table: each rule of the reference catalogues (shared/reference/policy-and-pricing.md
 * §2) that concerns a resource type the stacks create, with the policy that covers it or why it
 * does not apply. Data only (the pack does not import it): `npm run policies:docs` renders it
 * into policies/README.md, and test/policies/coverage.spec.ts checks that every "covered" row
 * names a policy of the pack whose description cites the rule and that has a failing-case test
 * tagged with the rule.
 *
 * Status (issue 14, class 7: the table must not claim more than its failing cases prove):
 *  - covered: a policy checks what the rule's definition checks (its source is linked per row), and
 *    a failing case tagged with the rule fails under the policy config of a stack where the policy
 *    is mandatory (test/policies/coverage.spec.ts runs it with each stack's real config);
 *  - partial: as covered, but the policy checks less than the rule's definition; the note says what is missing;
 *  - nominal: a policy exists, but it is advisory in both stacks or its config switches the check
 *    off in both (the tagged failing case fails only under a config no stack uses);
 *  - not-applicable: the stacks create nothing the rule judges (or it is an account setting no stack owns);
 *  - not-adopted: applicable, deliberately not enforced, and no policy; the note says why.
 */

export type CoverageStatus = "covered" | "partial" | "nominal" | "not-applicable" | "not-adopted";

export interface CoverageRow {
  /** The rule ID as the catalogue writes it (and as policy descriptions and test cases cite it). */
  rule: string;
  catalogue: string;
  meaning: string;
  status: CoverageStatus;
  /** The covering policy (covered rows). */
  policy?: string;
  /** Why not applicable / not adopted / nominal, what a partial row leaves out, or what to know about the coverage. */
  note?: string;
  /** Where the rule is defined (its documentation or source); set for every public catalogue's rule by `sourceOf`. */
  source?: string;
  /**
   * Covered by a general policy that does not name this rule (tags, or the S3 family on the trail
   * bucket): its description need not cite the rule, but a failing case must still be tagged with it.
   */
  indirect?: boolean;
}

const AS = "cdk-nag AwsSolutions";
const NIST = "cdk-nag NIST 800-53 R5";
const SH = "Security Hub FSBP";
const SHT = "Security Hub (other standards) †";
const CK = "Checkov";
const TV = "Trivy";
const OTHER = "Other";

const c = (rule: string, catalogue: string, meaning: string, policy: string, note?: string): CoverageRow => ({ rule, catalogue, meaning, status: "covered", policy, note });
/** Covered, but narrower than the rule's definition: `note` says what is not checked. */
const pc = (rule: string, catalogue: string, meaning: string, policy: string, note: string): CoverageRow => ({ rule, catalogue, meaning, status: "partial", policy, note });
/** A policy exists but is advisory in both stacks or switched off by both stacks' config: `note` says which. */
const nm = (rule: string, catalogue: string, meaning: string, policy: string, note: string): CoverageRow => ({ rule, catalogue, meaning, status: "nominal", policy, note });
const ci = (rule: string, catalogue: string, meaning: string, policy: string, note?: string): CoverageRow => ({ ...c(rule, catalogue, meaning, policy, note), indirect: true });
const na = (rule: string, catalogue: string, meaning: string, note: string): CoverageRow => ({ rule, catalogue, meaning, status: "not-applicable", note });
const no = (rule: string, catalogue: string, meaning: string, note: string): CoverageRow => ({ rule, catalogue, meaning, status: "not-adopted", note });

export const COVERAGE: CoverageRow[] = [
  // --- CloudFront -----------------------------------------------------------------------------
  nm("AwsSolutions-CFR1", AS, "Distribution may need geo restrictions (warning)", "cloudfront-geo-restriction", "advisory, and not required by either stack's config (mpto:geoRestrictionType is none in both stacks: a UK audience abroad must reach the site)"),
  c("AwsSolutions-CFR2", AS, "Distribution integrates AWS WAF", "cloudfront-waf"),
  c("AwsSolutions-CFR3", AS, "Distribution has access logging", "cloudfront-logging"),
  c("AwsSolutions-CFR4", AS, "Viewer HTTPS does not allow SSLv3/TLSv1", "cloudfront-viewer-tls"),
  c("AwsSolutions-CFR5", AS, "Origin connections do not allow SSLv3/TLSv1", "cloudfront-origin-tls"),
  c("AwsSolutions-CFR6", AS, "S3 origin uses an origin access identity", "cloudfront-s3-origin-access", "met by Origin Access Control, OAI's successor; a legacy OAI is rejected"),
  c("AwsSolutions-CFR7", AS, "S3 origin uses Origin Access Control", "cloudfront-s3-origin-access"),
  c("CloudFront.1", SH, "Default root object (S3 default origin)", "cloudfront-default-root-object", "the default origin is Vercel (custom), so the rule only bites if that changes"),
  c("CloudFront.3", SH, "Encryption in transit (viewers)", "cloudfront-viewer-https", "the ACME HTTP-01 path is exempt by config, as Vercel needs"),
  no("CloudFront.4", SH, "Origin failover (origin groups)", "one origin per behaviour: Vercel is itself multi-region and the media bucket has no second copy; a failover origin would double storage"),
  c("CloudFront.5", SH, "Logging enabled", "cloudfront-logging"),
  c("CloudFront.6", SH, "WAF enabled", "cloudfront-waf"),
  c("CloudFront.7", SH, "Custom SSL/TLS certificate", "cloudfront-viewer-tls"),
  c("CloudFront.8", SH, "SNI for HTTPS", "cloudfront-viewer-tls"),
  c("CloudFront.9", SH, "Encrypt traffic to custom origins", "cloudfront-origin-tls"),
  c("CloudFront.10", SH, "No deprecated SSL protocols to custom origins", "cloudfront-origin-tls"),
  c("CloudFront.12", SH, "No non-existent S3 origins", "cloudfront-s3-origin-exists"),
  c("CloudFront.13", SH, "Origin access control enabled", "cloudfront-s3-origin-access"),
  ci("CloudFront.14", SHT, "Distributions tagged", "required-tags"),
  c("CloudFront.15", SH, "Recommended TLS security policy", "cloudfront-viewer-tls"),
  c("CKV_AWS_34", CK, "Viewer protocol policy uses HTTPS", "cloudfront-viewer-https"),
  c("CKV_AWS_68", CK, "WAF enabled on the distribution", "cloudfront-waf"),
  c("CKV_AWS_86", CK, "Access logging enabled", "cloudfront-logging"),
  c("CKV_AWS_174", CK, "Viewer certificate uses TLS 1.2+", "cloudfront-viewer-tls"),
  c("CKV_AWS_305", CK, "Default root object defined", "cloudfront-default-root-object"),
  no("CKV_AWS_310", CK, "Origin failover configured", "as CloudFront.4"),
  nm("CKV_AWS_374", CK, "Geo restriction enabled", "cloudfront-geo-restriction", "advisory and not required by either stack, as AwsSolutions-CFR1"),
  c("CKV2_AWS_32", CK, "Strict security headers policy attached", "cloudfront-security-headers", "every behaviour attaches a response headers policy on both headers paths; the opt-in Lambda@Edge path (mpto:lambdaEdgeHeaders) adds an origin-response trigger setting the same headers, and test/functions/edge proves both paths send the same headers"),
  c("CKV2_AWS_42", CK, "Custom SSL certificate (not the default)", "cloudfront-viewer-tls"),
  c("CKV2_AWS_46", CK, "S3 origin access enabled (OAC/OAI)", "cloudfront-s3-origin-access"),
  c("CKV2_AWS_47", CK, "Attached WAFv2 ACL has the Log4j managed rule (AMR)", "waf-managed-rules"),
  c("CKV2_AWS_54", CK, "Secure SSL protocols for HTTPS", "cloudfront-viewer-tls"),
  c("CKV2_AWS_72", CK, "Origin protocol policy HTTPS-only", "cloudfront-origin-tls"),
  c("AVD-AWS-0010", TV, "CloudFront access logging", "cloudfront-logging"),
  c("AVD-AWS-0011", TV, "CloudFront WAF", "cloudfront-waf"),
  c("AVD-AWS-0012", TV, "CloudFront HTTPS only to viewers", "cloudfront-viewer-https"),
  c("AVD-AWS-0013", TV, "CloudFront TLS 1.2 minimum", "cloudfront-viewer-tls"),

  // --- WAFv2 ----------------------------------------------------------------------------------
  na("WAF.1-WAF.8", SH, "WAF Classic controls", "the stacks use WAFv2 only"),
  c("WAF.10", SH, "Web ACL has at least one rule or rule group", "waf-rules"),
  c("WAF.11", SHT, "Web ACL logging enabled", "waf-logging"),
  c("WAF.12", SH, "WAF rules publish CloudWatch metrics", "waf-metrics"),
  c("NIST WAFv2LoggingEnabled", NIST, "WAFv2 logging enabled", "waf-logging"),
  c("CKV_AWS_175", CK, "WAF has rules", "waf-rules"),
  c("CKV_AWS_192", CK, "WAF blocks Log4j message lookup (KnownBadInputs group not counted, its Log4JRCE rule not excluded)", "waf-managed-rules", "Log4JRCE overrides fail in every stack; the group counting fails in prod (dev counts by config, mpto:wafMode count)"),
  c("CKV_AWS_342", CK, "Each WAF rule has an action", "waf-rules"),
  c("CKV2_AWS_31", CK, "WAFv2 has a logging configuration", "waf-logging"),

  // --- S3 -------------------------------------------------------------------------------------
  c("AwsSolutions-S1", AS, "Server access logs enabled", "s3-access-logging", "log destination buckets are exempt (cdk-nag suppresses S1 for them too)"),
  c("AwsSolutions-S2", AS, "Public access blocked", "s3-public-access-block"),
  c("AwsSolutions-S5", AS, "No open policy / website endpoint behind CloudFront", "s3-no-public-policy", "website endpoints as origins are also rejected by cloudfront-origin-tls"),
  c("AwsSolutions-S10", AS, "Bucket policy requires SSL", "s3-tls-only"),
  c("S3.1", SH, "Account-level public access block", "s3-public-access-block", "judged on aws.s3.AccountPublicAccessBlock, which the account baseline declares in the owner stack (prod)"),
  c("S3.2", SH, "Prohibit public read access", "s3-no-public-policy", "and s3-no-acls for ACL grants"),
  c("S3.3", SH, "Prohibit public write access", "s3-no-public-policy", "and s3-no-acls for ACL grants"),
  c("S3.5", SH, "Require SSL", "s3-tls-only"),
  c("S3.6", SH, "Restrict access to other accounts", "s3-no-public-policy"),
  c("S3.8", SH, "Bucket-level public access block", "s3-public-access-block"),
  c("S3.9", SH, "Server access logging", "s3-access-logging"),
  c("S3.10", SH, "Versioned buckets have lifecycle (noncurrent versions)", "s3-lifecycle"),
  no("S3.11", SH, "Event notifications enabled", "nothing consumes object events (uploads are presigned and read through CloudFront); a notification without a consumer only costs"),
  c("S3.12", SH, "No ACLs for user access", "s3-no-acls"),
  c("S3.13", SH, "Lifecycle configuration", "s3-lifecycle"),
  na("S3.19", SH, "Access points block public access", "no S3 access points"),
  na("S3.24", SH, "Multi-Region Access Points block public access", "no Multi-Region Access Points"),
  na("S3.25", SH, "Directory buckets have lifecycle", "no directory buckets"),
  c("NIST S3BucketLevelPublicAccessProhibited", NIST, "Bucket-level public access prohibited", "s3-public-access-block"),
  c("NIST S3BucketLoggingEnabled", NIST, "Bucket logging enabled", "s3-access-logging"),
  c("NIST S3BucketPublicReadProhibited", NIST, "Public read prohibited", "s3-no-public-policy"),
  c("NIST S3BucketPublicWriteProhibited", NIST, "Public write prohibited", "s3-no-public-policy"),
  no("NIST S3BucketReplicationEnabled", NIST, "Cross-region replication", "versioning plus lifecycle protect against deletes; a replica in a second region doubles storage for a site whose media can be re-uploaded"),
  c("NIST S3BucketSSLRequestsOnly", NIST, "SSL requests only", "s3-tls-only"),
  c("NIST S3BucketVersioningEnabled", NIST, "Versioning enabled", "s3-versioning", "write-once log buckets are exempt by config (exemptLogBuckets)"),
  nm("NIST S3DefaultEncryptionKMS", NIST, "Default encryption with KMS", "s3-encryption", "off by config in both stacks (requireKms false): SSE-S3 is chosen so OAC reads, presigned POSTs and log delivery need no key policy and no per-request KMS charge (components/media/MediaBucket.ts)"),
  c("CKV_AWS_18", CK, "Access logging", "s3-access-logging"),
  c("CKV_AWS_19", CK, "Encryption at rest", "s3-encryption"),
  c("CKV_AWS_20", CK, "No public-read ACL", "s3-no-acls"),
  c("CKV_AWS_21", CK, "Versioning", "s3-versioning"),
  c("CKV_AWS_53", CK, "BlockPublicAcls", "s3-public-access-block"),
  c("CKV_AWS_54", CK, "BlockPublicPolicy", "s3-public-access-block"),
  c("CKV_AWS_55", CK, "IgnorePublicAcls", "s3-public-access-block"),
  c("CKV_AWS_56", CK, "RestrictPublicBuckets", "s3-public-access-block"),
  c("CKV_AWS_57", CK, "No public-write ACL", "s3-no-acls"),
  c("CKV_AWS_70", CK, "Bucket policy not open to any principal", "s3-no-public-policy"),
  no("CKV_AWS_144", CK, "Cross-region replication", "as NIST S3BucketReplicationEnabled"),
  nm("CKV_AWS_145", CK, "Encrypted with KMS by default", "s3-encryption", "off by config in both stacks, as NIST S3DefaultEncryptionKMS"),
  c("CKV_AWS_300", CK, "Lifecycle aborts failed multipart uploads", "s3-lifecycle"),
  c("CKV_AWS_379", CK, "Secure data transport policy", "s3-tls-only"),
  c("CKV2_AWS_6", CK, "Bucket has a public access block", "s3-public-access-block"),
  c("CKV2_AWS_61", CK, "Lifecycle configuration", "s3-lifecycle"),
  no("CKV2_AWS_62", CK, "Event notifications", "as S3.11"),
  c("CKV2_AWS_65", CK, "ACLs disabled", "s3-no-acls"),
  c("AVD-AWS-0086", TV, "Block public ACLs", "s3-public-access-block"),
  c("AVD-AWS-0087", TV, "Block public policy", "s3-public-access-block"),
  c("AVD-AWS-0088", TV, "Encryption enabled", "s3-encryption"),
  c("AVD-AWS-0089", TV, "Access logging", "s3-access-logging"),
  c("AVD-AWS-0090", TV, "Versioning", "s3-versioning"),
  c("AVD-AWS-0091", TV, "Ignore public ACLs", "s3-public-access-block"),
  c("AVD-AWS-0092", TV, "No public ACL", "s3-no-acls"),
  c("AVD-AWS-0093", TV, "Restrict public buckets", "s3-public-access-block"),
  c("AVD-AWS-0094", TV, "Public access block exists", "s3-public-access-block"),

  // --- SES ------------------------------------------------------------------------------------
  na("SES.1", SHT, "Contact lists tagged", "no SES contact lists"),
  ci("SES.2", SHT, "Configuration sets tagged", "required-tags", "the stacks use SES v2 configuration sets, which carry tags"),
  c("CKV_AWS_365", CK, "SES configuration set enforces TLS (aws_ses_configuration_set, SES v1)", "ses-configuration-set-tls", "judged on v1 configuration sets, Checkov's own resource, and on the v2 sets the stacks use"),
  c("ses-sending-tls-required", "AWS Config", "Configuration set TLS policy REQUIRE", "ses-configuration-set-tls"),

  // --- Cognito --------------------------------------------------------------------------------
  c("AwsSolutions-COG1", AS, "Strong password policy", "cognito-password-policy"),
  c("AwsSolutions-COG2", AS, "MFA required (warning)", "cognito-mfa", "prod requires ON; dev allows OPTIONAL by config (mpto:userPoolMfa optional while testing)"),
  na("AwsSolutions-COG4", AS, "API Gateway method uses a Cognito authorizer", "no API Gateway"),
  c("AwsSolutions-COG7", AS, "Identity pool disallows unauthenticated logins", "cognito-identity-pool-authenticated", "no identity pool today: the guard is in place for one"),
  nm("AwsSolutions-COG8", AS, "User pool on the Plus plan (threat protection)", "cognito-threat-protection", "advisory in prod: the Essentials plan is configured (Plus costs $0.02/MAU with no free tier); required mode OFF in dev, where paid plans are not allowed"),
  nm("Cognito.1", SH, "Threat protection ENFORCED", "cognito-threat-protection", "advisory in prod, required mode OFF in dev, as AwsSolutions-COG8"),
  c("Cognito.2", SH, "Identity pools disallow unauthenticated identities", "cognito-identity-pool-authenticated"),
  c("Cognito.3", SH, "Strong password policy", "cognito-password-policy"),
  ci("Cognito.4", SHT, "User pools tagged", "required-tags"),
  c("Cognito.5", SH, "MFA enabled", "cognito-mfa"),
  c("Cognito.6", SH, "Deletion protection", "cognito-deletion-protection", "required in prod; off in dev (destroyable) by config"),
  c("CKV_AWS_366", CK, "Identity pool without unauthenticated guest access", "cognito-identity-pool-authenticated"),

  // --- DynamoDB -------------------------------------------------------------------------------
  c("AwsSolutions-DDB3", AS, "Point-in-time recovery", "dynamodb-pitr"),
  na("AwsSolutions-DDB4", AS, "DAX cluster encrypted", "no DAX"),
  c("DynamoDB.1", SH, "Capacity scales with demand", "dynamodb-capacity-guard", "met by on-demand billing; provisioned tables are refused"),
  c("DynamoDB.2", SH, "Point-in-time recovery", "dynamodb-pitr"),
  na("DynamoDB.3", SH, "DAX encrypted at rest", "no DAX"),
  no("DynamoDB.4", SHT, "Table in a backup plan", "PITR (35 days in prod) covers the session table, whose items expire within days anyway"),
  ci("DynamoDB.5", SHT, "Tables tagged", "required-tags"),
  c("DynamoDB.6", SH, "Deletion protection", "dynamodb-deletion-protection", "required in prod; off in dev by config"),
  na("DynamoDB.7", SH, "DAX encrypted in transit", "no DAX"),
  c("NIST DynamoDBAutoScalingEnabled", NIST, "Auto scaling enabled", "dynamodb-capacity-guard", "as DynamoDB.1"),
  no("NIST DynamoDBInBackupPlan", NIST, "Table in a backup plan", "as DynamoDB.4"),
  c("NIST DynamoDBPITREnabled", NIST, "PITR enabled", "dynamodb-pitr"),
  c("CKV_AWS_28", CK, "PITR enabled", "dynamodb-pitr"),
  nm("CKV_AWS_119", CK, "Encrypted with a KMS key", "dynamodb-encryption", "off by config in both stacks (requireKmsKey false): the AWS owned key costs nothing and needs no key policy; turn it on if an auditor needs key-level control"),

  // --- Lambda ---------------------------------------------------------------------------------
  pc("AwsSolutions-L1", AS, "Latest runtime", "lambda-runtime", "the pack allows the configured list (nodejs22.x and nodejs24.x: Lambda@Edge trails regional Lambda); cdk-nag accepts only the latest runtime of the family"),
  c("Lambda.1", SH, "Function policy prohibits public access", "lambda-permissions"),
  c("Lambda.2", SH, "Supported runtime", "lambda-runtime"),
  no("Lambda.3", SHT, "Function in a VPC", "the functions call public AWS endpoints only; a VPC adds NAT gateways (about $32/month each) and cold-start latency for no data-path gain"),
  na("Lambda.5", SH, "VPC functions span several AZs", "no VPC functions"),
  ci("Lambda.6", SHT, "Functions tagged", "required-tags"),
  c("Lambda.7", SHT, "X-Ray active tracing", "lambda-tracing", "Lambda@Edge is exempt: it does not support X-Ray"),
  nm("NIST LambdaConcurrency", NIST, "Function-level concurrency limit", "lambda-concurrency", "off by config in both stacks (requireReservedConcurrency false): new accounts can have a concurrency quota of 10, below which no reservation is allowed (components/functions/NodeFunction.ts)"),
  c("NIST LambdaDLQ", NIST, "Dead-letter queue", "lambda-dead-letter"),
  no("NIST LambdaInsideVPC", NIST, "Function in a VPC", "as Lambda.3"),
  c("CKV_AWS_45", CK, "No secrets in environment variables", "lambda-environment-secrets"),
  c("CKV_AWS_50", CK, "X-Ray tracing", "lambda-tracing"),
  nm("CKV_AWS_115", CK, "Function-level concurrency limit", "lambda-concurrency", "off by config in both stacks, as NIST LambdaConcurrency"),
  c("CKV_AWS_116", CK, "Dead-letter queue", "lambda-dead-letter"),
  no("CKV_AWS_117", CK, "Function in a VPC", "as Lambda.3"),
  no("CKV_AWS_173", CK, "Environment variables encrypted with a CMK", "the environment holds no secrets (lambda-environment-secrets), so a CMK would protect nothing"),
  c("CKV_AWS_258", CK, "Function URL requires auth", "lambda-permissions", "no function URLs today"),
  no("CKV_AWS_272", CK, "Code signing", "bundles are built by CI from this repository at deploy time; signing would need an AWS Signer profile and key custody for no new trust boundary"),
  c("CKV_AWS_301", CK, "Function resource policy not overly permissive", "lambda-permissions"),
  c("CKV_AWS_363", CK, "Runtime not deprecated", "lambda-runtime"),
  c("CKV_AWS_364", CK, "Service permission limited by source", "lambda-permissions"),

  // --- IAM ------------------------------------------------------------------------------------
  c("AwsSolutions-IAM4", AS, "No AWS managed policies", "iam-no-managed-policies"),
  pc("AwsSolutions-IAM5", AS, "No wildcard permissions without suppression evidence", "iam-wildcard-permissions", "wildcard actions and the '*' resource are judged (reviewed ones recorded by URN in reviewedWildcards, the suppression evidence); resource ARNs with a wildcard inside them (bucket/*, log-stream:*) are not flagged, which cdk-nag IAM5 does"),
  c("IAM.1", SH, "No policies allowing '*:*'", "iam-no-admin-access"),
  c("IAM.2", SH, "No policies attached to users", "iam-users"),
  c("CKV_AWS_40", CK, "IAM policies attached only to groups or roles", "iam-users"),
  c("CKV_AWS_273", CK, "Access through SSO, not IAM users", "iam-users"),
  na("IAM.3", SH, "Access keys rotated", "no IAM users or access keys"),
  na("IAM.4", SH, "No root access keys", "account setting, outside the stacks"),
  na("IAM.5", SH, "MFA for console users", "no IAM users"),
  na("IAM.6", SH, "Hardware MFA for root", "account setting, outside the stacks"),
  na("IAM.7", SH, "Account password policy", "no IAM users; account setting"),
  na("IAM.8", SH, "Unused credentials removed", "no IAM users"),
  c("IAM.21", SH, "No wildcard service actions", "iam-wildcard-permissions"),
  ci("IAM.24", SHT, "Roles tagged", "required-tags"),
  c("KMS.1", SH, "Customer-managed policies do not allow decrypt on all keys", "iam-wildcard-permissions"),
  c("KMS.2", SH, "Principals have no inline policies allowing decrypt on all keys", "iam-wildcard-permissions"),
  c("NIST IAMPolicyNoStatementsWithAdminAccess", NIST, "No admin-access statements", "iam-no-admin-access"),
  c("NIST IAMPolicyNoStatementsWithFullAccess", NIST, "No full-access (svc:*) statements", "iam-wildcard-permissions"),
  no("NIST IAMNoInlinePolicy", NIST, "No inline policies", "each function role has one inline policy whose lifecycle is the role's (no orphaned managed policy); AwsSolutions does not ask for this"),
  c("CKV_AWS_1", CK, "No full '*-*' admin privileges", "iam-no-admin-access"),
  c("CKV_AWS_49", CK, "No '*' as a statement's action", "iam-wildcard-permissions"),
  c("CKV_AWS_60", CK, "Role not assumable by everyone", "iam-trust-policy"),
  c("CKV_AWS_61", CK, "Role not assumable by a whole account", "iam-trust-policy"),
  c("CKV_AWS_62", CK, "No full admin privileges", "iam-no-admin-access"),
  c("CKV_AWS_63", CK, "No '*' as a statement's action", "iam-wildcard-permissions"),
  c("CKV_AWS_274", CK, "No AdministratorAccess attached to roles, users or groups (any attachment resource)", "iam-no-admin-access"),
  c("CKV_AWS_355", CK, "No '*' resource for restrictable actions", "iam-wildcard-permissions", "with the same reviewed exceptions as AwsSolutions-IAM5"),
  c("CKV_AWS_358", CK, "GitHub OIDC trust limited to known repositories", "iam-trust-policy"),
  c("CKV2_AWS_40", CK, "No full administrative privileges", "iam-no-admin-access"),
  c("CKV2_AWS_56", CK, "No IAMFullAccess managed policy", "iam-no-admin-access"),
  c("awsguard iam-role-no-policy-management-conflicts", "@pulumi/awsguard", "Inline and attached policies managed one way per role", "iam-policy-management-conflicts"),

  // --- KMS ------------------------------------------------------------------------------------
  c("AwsSolutions-KMS5", AS, "Symmetric keys rotate", "kms-key-rotation"),
  pc("KMS.3", SH, "Keys not unintentionally deleted", "kms-deletion-window", "KMS.3 flags keys scheduled for deletion, a state the plan cannot see; the pack checks the waiting period a deletion would get (30 days in prod, 7 allowed in dev)"),
  c("KMS.5", SH, "Keys not publicly accessible", "kms-key-policy"),
  c("NIST KMSBackingKeyRotationEnabled", NIST, "Backing key rotation", "kms-key-rotation"),
  c("CKV_AWS_7", CK, "CMK rotation enabled", "kms-key-rotation"),
  c("CKV_AWS_33", CK, "Key policy without wildcard principal", "kms-key-policy"),
  c("CKV2_AWS_64", CK, "Key has a policy", "kms-key-policy"),

  // --- SNS / SQS ------------------------------------------------------------------------------
  c("AwsSolutions-SNS3", AS, "Topic requires publishers to use SSL", "sns-tls-only"),
  c("AwsSolutions-SNS2", AS, "Topic encrypted (not in the reference's excerpt)", "sns-encryption"),
  c("SNS.1", SH, "Topics encrypted at rest with KMS", "sns-encryption"),
  no("SNS.2", SH, "Delivery-status logging", "subscribers are email (no delivery status) and one Lambda function, which logs and dead-letters its own failures; delivery-status logging needs an IAM role and log groups per protocol"),
  ci("SNS.3", SHT, "Topics tagged", "required-tags"),
  c("SNS.4", SH, "Topic policy not public", "sns-topic-policy-not-public"),
  c("NIST SNSEncryptedKMS", NIST, "Topics encrypted with KMS", "sns-encryption"),
  c("CKV_AWS_26", CK, "Topic encrypted", "sns-encryption"),
  c("CKV_AWS_169", CK, "Topic policy not public", "sns-topic-policy-not-public"),
  c("SQS.1", SH, "Queues encrypted at rest (not in the reference's excerpt)", "sqs-encryption"),
  c("AwsSolutions-SQS2", AS, "Queue encrypted (not in the reference's excerpt)", "sqs-encryption"),
  c("AwsSolutions-SQS4", AS, "Queue requires SSL (not in the reference's excerpt)", "sqs-queue-policy"),
  c("CKV_AWS_27", CK, "Queue encrypted", "sqs-encryption"),
  c("CKV_AWS_168", CK, "Queue policy not public", "sqs-queue-policy"),

  // --- CloudWatch -----------------------------------------------------------------------------
  c("CloudWatch.15", SHT, "Alarms have specified actions", "cloudwatch-alarm-actions"),
  pc("CloudWatch.16", SHT, "Log groups retained for a specified period", "log-group-retention", "retention must be set and within each stack's bounds; Security Hub's default minRetentionTime is 365 days, which neither stack requires (14 days dev, 90 prod)"),
  c("CloudWatch.17", SHT, "Alarm actions activated", "cloudwatch-alarm-actions"),
  c("NIST CloudWatchAlarmAction", NIST, "Alarms have actions", "cloudwatch-alarm-actions"),
  nm("NIST CloudWatchLogGroupEncrypted", NIST, "Log groups KMS-encrypted", "log-group-encryption", "off by config in both stacks (requireKms false): CloudWatch Logs encrypts with a service key; a CMK per stack adds $1/month and a key policy for every writer"),
  c("NIST CloudWatchLogGroupRetentionPeriod", NIST, "Log group retention set", "log-group-retention"),
  c("CT.CLOUDWATCH.PR.1", "Control Tower proactive", "Alarm has an action", "cloudwatch-alarm-actions"),
  pc("CT.CLOUDWATCH.PR.2", "Control Tower proactive", "Log group retention (>= 1 year)", "log-group-retention", "retention is required; the one-year minimum is not (dev keeps 14 days, prod 90: stack config mpto:logRetentionDays)"),
  nm("CT.CLOUDWATCH.PR.3", "Control Tower proactive", "Log group KMS", "log-group-encryption", "off by config in both stacks, as NIST CloudWatchLogGroupEncrypted"),
  c("CT.CLOUDWATCH.PR.4", "Control Tower proactive", "Alarm actions activated", "cloudwatch-alarm-actions"),
  c("CKV_AWS_66", CK, "Log group retention specified", "log-group-retention"),
  nm("CKV_AWS_158", CK, "Log group encrypted with KMS", "log-group-encryption", "off by config in both stacks, as NIST CloudWatchLogGroupEncrypted"),
  no("CKV_AWS_338", CK, "Log groups retained at least 1 year", "cost: application logs are kept 14 days in dev and 90 in prod; CloudTrail, the audit record, keeps a year in S3 (mpto:cloudTrailLogRetentionDays)"),
  c("CKV_AWS_319", CK, "Alarm actions enabled", "cloudwatch-alarm-actions"),

  // --- CloudTrail -----------------------------------------------------------------------------
  c("CloudTrail.1", SH, "Multi-region trail with read and write management events, none excluded", "cloudtrail-multi-region", "backed by AWS Config multi-region-cloudtrail-enabled: excludeManagementEventSources and advanced selectors that drop management events fail"),
  c("CloudTrail.2", SH, "Encryption at rest (KMS)", "cloudtrail-encryption"),
  c("CloudTrail.3", SHT, "At least one trail", "cloudtrail-present", "required in the account-baseline owner (prod)"),
  c("CloudTrail.4", SH, "Log file validation", "cloudtrail-log-validation"),
  nm("CloudTrail.5", SH, "Integrated with CloudWatch Logs", "cloudtrail-cloudwatch-logs", "advisory in prod: the baseline trail does not deliver to CloudWatch Logs yet (finding reported to the baseline's owner); not required in dev"),
  ci("CloudTrail.6", SHT, "Trail bucket not public", "s3-public-access-block", "the trail bucket is a bucket like any other: the whole S3 family judges it"),
  ci("CloudTrail.7", SHT, "Trail bucket access logging", "s3-access-logging"),
  ci("CloudTrail.9", SHT, "Trails tagged", "required-tags"),
  na("CloudTrail.10", SHT, "Lake event data store CMK", "no CloudTrail Lake"),
  nm("NIST CloudTrailCloudWatchLogsEnabled", NIST, "Trail to CloudWatch Logs", "cloudtrail-cloudwatch-logs", "advisory in prod and not required in dev, as CloudTrail.5"),
  c("NIST CloudTrailEncryptionEnabled", NIST, "Trail encrypted", "cloudtrail-encryption"),
  c("NIST CloudTrailLogFileValidationEnabled", NIST, "Log file validation", "cloudtrail-log-validation"),
  c("CKV_AWS_35", CK, "Trail logs encrypted with a CMK", "cloudtrail-encryption"),
  c("CKV_AWS_36", CK, "Log file validation", "cloudtrail-log-validation"),
  c("CKV_AWS_67", CK, "Trail in all regions", "cloudtrail-multi-region"),
  c("CKV_AWS_251", CK, "Trail logging enabled", "cloudtrail-multi-region"),
  no("CKV_AWS_252", CK, "Trail defines an SNS topic", "per-file delivery notifications would flood the alert topic; GuardDuty findings reach it through EventBridge instead"),
  nm("CKV2_AWS_10", CK, "Trail integrated with CloudWatch Logs", "cloudtrail-cloudwatch-logs", "advisory in prod and not required in dev, as CloudTrail.5"),
  c("AVD-AWS-0014", TV, "Trail in all regions", "cloudtrail-multi-region"),
  c("AVD-AWS-0015", TV, "Trail encrypted with a CMK", "cloudtrail-encryption"),
  c("AVD-AWS-0016", TV, "Log file validation", "cloudtrail-log-validation"),

  // --- GuardDuty ------------------------------------------------------------------------------
  c("GuardDuty.1", SH, "GuardDuty enabled", "guardduty-enabled", "required in the account-baseline owner (prod)"),
  ci("GuardDuty.2", SHT, "Filters tagged", "required-tags", "no filters today; detectors are tagged"),
  na("GuardDuty.5", SH, "EKS audit log monitoring", "no EKS"),
  c("GuardDuty.6", SH, "Lambda Protection", "guardduty-protection-plans", "required in prod (mpto:guardDutyFeatures); dev owns no detector"),
  na("GuardDuty.7", SH, "EKS Runtime Monitoring", "no EKS"),
  na("GuardDuty.8", SH, "Malware Protection for EC2", "no EC2"),
  na("GuardDuty.9", SH, "RDS Protection", "no RDS"),
  c("GuardDuty.10", SH, "S3 Protection", "guardduty-protection-plans", "required in prod"),
  na("GuardDuty.11", SH, "Runtime Monitoring", "no EC2, ECS or EKS workloads"),
  na("GuardDuty.12", SH, "ECS Runtime Monitoring", "no ECS"),
  na("GuardDuty.13", SH, "EC2 Runtime Monitoring", "no EC2"),
  c("CKV_AWS_238", CK, "GuardDuty detector enabled", "guardduty-enabled"),

  // --- ACM (not in the reference's excerpt) ------------------------------------------------------
  c("ACM.2", SH, "RSA certificates use keys of at least 2048 bits (not in the reference's excerpt)", "acm-certificate"),
  c("CKV2_AWS_71", CK, "No wildcard certificate", "acm-certificate"),

  // --- EventBridge, Secrets Manager -------------------------------------------------------------
  na("AwsSolutions-EVB1", AS, "Event bus policy not open", "the stacks add rules to the default bus; no bus policy"),
  na("AwsSolutions-SMG4", AS, "Secret rotation", "no Secrets Manager secrets: secrets are Pulumi secrets in stack config"),
  na("SecretsManager.1-SecretsManager.4", SH, "Secret rotation and hygiene", "no Secrets Manager secrets"),

  // --- Design defaults without a catalogue rule -----------------------------------------------------
  c("design: WAF rate-based rule", OTHER, "Per-IP rate limit at most the stack's cap", "waf-rate-limit"),
  c("design: WAF scope region", OTHER, "CLOUDFRONT web ACL in us-east-1", "waf-scope-region"),
  c("design: alarm action region", OTHER, "Alarm topics in the alarm's region", "cloudwatch-alarm-action-region"),
  c("design: SES suppression and reputation", OTHER, "BOUNCE/COMPLAINT suppression, reputation metrics", "ses-configuration-set-reputation"),
  c("design: SES DKIM", OTHER, "2048-bit DKIM and a default configuration set", "ses-identity-dkim"),
  c("design: SCP size", OTHER, "SCPs within AWS's 5,120-character quota, parseable (orgs_reference_limits.html)", "organizations-policy-document"),
  c("design: account closure", OTHER, "Member accounts are never closed by a destroy (closeOnDeletion false)", "organizations-account-safety"),
  c("design: organization guardrails", OTHER, "All features, SCPs attached, members cannot leave (AWS example SCP)", "organizations-guardrails"),
  c("design: Synthetics canary", OTHER, "Supported runtime, encrypted artifacts, started, no secrets in its environment (Synthetics runtime support policy)", "synthetics-canary"),
  c("design: Cognito SRP only", OTHER, "SRP and refresh only, no user-existence errors", "cognito-client-auth-flows"),
  c("design: S3 v7 companions only", OTHER, "No inline bucket settings fighting companion resources", "s3-no-inline-settings"),
  c("design: S3 CORS origins", OTHER, "Writes only from named HTTPS origins", "s3-cors"),
  c("design: IAM privilege escalation", OTHER, "No escalation path without a pinned permissions boundary (policies/iam/escalation.ts)", "iam-privilege-escalation"),
  c("design: pull-request roles read only", OTHER, "A role GitHub pull requests may assume only reads", "iam-pull-request-roles-read-only"),
  c("design: unreviewed resource types", OTHER, "Every type has a security family, a review or an exemption", "unreviewed-resource-types"),
];

// ---------------------------------------------------------------------------------------------
// Where each public rule is defined (issue 14, class 7: "a source link per public rule").

const SECURITY_HUB_PAGES: Record<string, string> = {
  CloudFront: "cloudfront",
  S3: "s3",
  WAF: "waf",
  Cognito: "cognito",
  DynamoDB: "dynamodb",
  Lambda: "lambda",
  IAM: "iam",
  KMS: "kms",
  SNS: "sns",
  SQS: "sqs",
  CloudWatch: "cloudwatch",
  CloudTrail: "cloudtrail",
  GuardDuty: "guardduty",
  ACM: "acm",
  SES: "ses",
  SecretsManager: "secretsmanager",
};

const TRIVY_SERVICES: [number, number, string][] = [
  [10, 13, "cloudfront"],
  [14, 16, "cloudtrail"],
  [86, 94, "s3"],
];

/**
 * The documentation or source of a rule, from its catalogue and ID:
 *  - Security Hub: the control's anchor on its service's controls page (AWS Security Hub User Guide);
 *  - cdk-nag: RULES.md (both packs' rules, with what each checks), cdklabs/cdk-nag;
 *  - Checkov: the policy index, where each ID links its check's source in bridgecrewio/checkov;
 *  - Trivy: the AVD page of the check; AWS Config and Control Tower: their rule pages;
 *  - awsguard: the rule's source in pulumi/pulumi-policy-aws.
 * Design rules ("Other") have no public source.
 */
export function sourceOf(row: Pick<CoverageRow, "rule" | "catalogue">): string | undefined {
  const { rule, catalogue } = row;
  if (catalogue.startsWith("Security Hub")) {
    const m = /^([A-Za-z][A-Za-z0-9]*?)\.(\d+)/.exec(rule);
    const page = m ? SECURITY_HUB_PAGES[m[1]] : undefined;
    if (!page) return undefined;
    const base = `https://docs.aws.amazon.com/securityhub/latest/userguide/${page}-controls.html`;
    return rule.includes("-") ? base : `${base}#${page}-${m![2]}`;
  }
  if (catalogue === AS) return "https://github.com/cdklabs/cdk-nag/blob/main/RULES.md#awssolutions";
  if (catalogue === NIST) return "https://github.com/cdklabs/cdk-nag/blob/main/RULES.md#nist-800-53-rev-5";
  if (catalogue === CK) return `https://www.checkov.io/5.Policy%20Index/terraform.html#${rule}`;
  if (catalogue === TV) {
    const n = Number(/AVD-AWS-(\d+)/.exec(rule)?.[1]);
    const service = TRIVY_SERVICES.find(([lo, hi]) => n >= lo && n <= hi)?.[2];
    return service ? `https://avd.aquasec.com/misconfig/aws/${service}/${rule.toLowerCase()}/` : undefined;
  }
  if (catalogue === "AWS Config") return `https://docs.aws.amazon.com/config/latest/developerguide/${rule}.html`;
  if (catalogue === "Control Tower proactive") return "https://docs.aws.amazon.com/controltower/latest/controlreference/cloudwatch-rules.html";
  if (catalogue === "@pulumi/awsguard") return "https://github.com/pulumi/pulumi-policy-aws/blob/master/src/iam.ts";
  return undefined;
}

for (const row of COVERAGE) row.source ??= sourceOf(row);
