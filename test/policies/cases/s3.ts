import { ACCOUNT, bucketSet, change, mediaWithLogs, T, without } from "../fixtures";
import type { PolicyCase } from "./types";

const good = mediaWithLogs();

export const s3Cases: PolicyCase[] = [
  { policy: "s3-public-access-block", title: "passes buckets whose public access blocks have all four switches on", resources: good, expect: "pass" },
  {
    policy: "s3-public-access-block",
    title: "fails a bucket without a public access block",
    resources: without(good, "media-public-access"),
    expect: /bucket media has no public access block/,
    count: 1,
    rules: ["AwsSolutions-S2", "S3.8", "CKV2_AWS_6", "AVD-AWS-0094", "NIST S3BucketLevelPublicAccessProhibited"],
  },
  {
    policy: "s3-public-access-block",
    title: "fails a CloudTrail bucket without a public access block",
    resources: [...without(bucketSet("trail", { log: true }), "trail-public-access"), { type: T.trail, name: "trail", props: { s3BucketName: "trail-1a2b3c4" } }],
    expect: /bucket trail has no public access block/,
    rules: ["CloudTrail.6"],
  },
  {
    policy: "s3-public-access-block",
    title: "fails a public access block with switches off",
    resources: change(good, "media-public-access", (p) => {
      p.blockPublicAcls = false;
      p.blockPublicPolicy = false;
      p.ignorePublicAcls = false;
      p.restrictPublicBuckets = false;
    }),
    expect: /leaves blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets off/,
    rules: ["CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "AVD-AWS-0086", "AVD-AWS-0087", "AVD-AWS-0091", "AVD-AWS-0093"],
  },
  {
    policy: "s3-public-access-block",
    title: "fails an account-level block the stack declares with a switch off",
    resources: [...good, { type: T.accountBlock, name: "account-block", props: { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: false } }],
    expect: /account public access block leaves restrictPublicBuckets off/,
    rules: ["S3.1"],
  },
  {
    policy: "s3-public-access-block",
    title: "finds a bucket's companions through the engine's property dependencies",
    resources: [
      { type: T.bucket, name: "media", props: { bucket: "media-1a2b3c4" } },
      { type: T.bucketBlock, name: "media-public-access", deps: { bucket: ["media"] }, props: { bucket: "(unknown in preview)", blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true } },
    ],
    expect: "pass",
  },

  { policy: "s3-encryption", title: "passes buckets with SSE-S3 default encryption", resources: good, expect: "pass" },
  { policy: "s3-encryption", title: "fails a bucket that declares no default encryption", resources: without(good, "media-encryption"), expect: /bucket media declares no default encryption/, rules: ["CKV_AWS_19", "AVD-AWS-0088"] },
  { policy: "s3-encryption", title: "fails SSE-S3 where the stack requires SSE-KMS", resources: good, config: { requireKms: true }, expect: /requires SSE-KMS/, rules: ["CKV_AWS_145", "NIST S3DefaultEncryptionKMS"] },

  { policy: "s3-no-acls", title: "passes buckets with ACLs disabled (BucketOwnerEnforced)", resources: good, expect: "pass" },
  {
    policy: "s3-no-acls",
    title: "fails a bucket whose ownership still honours ACLs, and a BucketAcl grant",
    resources: [...change(good, "media-ownership", (p) => (p.rule.objectOwnership = "ObjectWriter")), { type: T.bucketAcl, name: "media-acl", props: { bucket: "media-1a2b3c4", acl: "public-read" } }],
    expect: [/not BucketOwnerEnforced/, /has a BucketAcl resource/],
    rules: ["S3.12", "CKV2_AWS_65", "S3.2", "S3.3", "CKV_AWS_20", "CKV_AWS_57", "AVD-AWS-0092"],
  },

  { policy: "s3-versioning", title: "passes a versioned data bucket and an unversioned log bucket", resources: good, expect: "pass" },
  { policy: "s3-versioning", title: "fails a data bucket without versioning", resources: without(good, "media-versioning"), expect: /bucket media has no versioning/, count: 1, rules: ["CKV_AWS_21", "AVD-AWS-0090", "NIST S3BucketVersioningEnabled"] },
  { policy: "s3-versioning", title: "fails the log bucket too when log buckets are not exempt", resources: good, config: { exemptLogBuckets: false }, expect: /bucket media-logs has no versioning/ },

  { policy: "s3-lifecycle", title: "passes lifecycles that abort multipart uploads and expire noncurrent versions", resources: good, expect: "pass" },
  { policy: "s3-lifecycle", title: "fails a bucket without a lifecycle", resources: without(good, "media-lifecycle"), expect: /bucket media has no enabled lifecycle rule/, rules: ["S3.13", "CKV2_AWS_61"] },
  {
    policy: "s3-lifecycle",
    title: "fails a lifecycle that never aborts multipart uploads nor expires noncurrent versions of a versioned bucket",
    resources: change(good, "media-lifecycle", (p) => (p.rules = [{ id: "tier", status: "Enabled", filter: {}, transitions: [{ days: 0, storageClass: "INTELLIGENT_TIERING" }] }])),
    expect: [/no lifecycle rule aborts incomplete multipart uploads/, /versioned but no lifecycle rule handles noncurrent versions/],
    rules: ["CKV_AWS_300", "S3.10"],
  },

  { policy: "s3-tls-only", title: "passes bucket policies that deny aws:SecureTransport false", resources: good, expect: "pass" },
  { policy: "s3-tls-only", title: "fails a bucket without a bucket policy", resources: without(good, "media-policy"), expect: /bucket media has no bucket policy/, rules: ["AwsSolutions-S10", "S3.5", "CKV_AWS_379", "NIST S3BucketSSLRequestsOnly"] },
  {
    policy: "s3-tls-only",
    title: "fails a policy without the TLS deny",
    resources: change(good, "media-policy", (p) => (p.policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "cloudfront.amazonaws.com" }, Action: "s3:GetObject", Resource: "x/*" }] }))),
    expect: /does not deny aws:SecureTransport false/,
  },
  {
    policy: "s3-tls-only",
    title: "fails a bucket whose bucket policy resource carries no document (no policy at all)",
    resources: change(good, "media-policy", (p) => delete p.policy),
    expect: /bucket media has no bucket policy, so plain-HTTP requests are not denied/,
  },
  {
    policy: "s3-tls-only",
    title: "fails a bucket policy with a malformed statement beside the TLS deny (a policy that cannot be read denies nothing)",
    resources: change(good, "media-policy", (p) => (p.policy = JSON.stringify({ ...JSON.parse(p.policy), Statement: [...JSON.parse(p.policy).Statement, "not a statement"] }))),
    expect: /bucket media: the bucket policy does not deny aws:SecureTransport false/,
  },

  {
    policy: "s3-no-public-policy",
    title: "passes a CloudFront OAC read scoped by the distribution's ARN",
    resources: [
      ...bucketSet("media", {
        policy: [{ Sid: "AllowCloudFrontOacRead", Effect: "Allow", Principal: { Service: "cloudfront.amazonaws.com" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::media-1a2b3c4/*", Condition: { StringEquals: { "AWS:SourceArn": `arn:aws:cloudfront::${ACCOUNT}:distribution/E2` } } }],
      }),
    ],
    expect: "pass",
  },
  {
    policy: "s3-no-public-policy",
    title: "fails a statement that lets anyone read",
    resources: bucketSet("media", { policy: [{ Sid: "PublicRead", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::media-1a2b3c4/*" }] }),
    expect: /statement PublicRead allows anyone/,
    rules: ["AwsSolutions-S5", "S3.2", "S3.3", "CKV_AWS_70", "NIST S3BucketPublicReadProhibited", "NIST S3BucketPublicWriteProhibited"],
  },
  {
    policy: "s3-no-public-policy",
    title: "fails a grant to another account",
    resources: [
      ...bucketSet("media", { policy: [{ Sid: "OtherAccount", Effect: "Allow", Principal: { AWS: "arn:aws:iam::999999999999:root" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::media-1a2b3c4/*" }] }),
      { type: T.role, name: "own-role", props: { arn: `arn:aws:iam::${ACCOUNT}:role/own` } },
    ],
    expect: /grants account 999999999999, which is not this stack's/,
    rules: ["S3.6"],
  },

  { policy: "s3-access-logging", title: "passes a data bucket logging to its log bucket (which does not log itself)", resources: good, expect: "pass" },
  {
    policy: "s3-access-logging",
    title: "fails a CloudTrail bucket without access logging (the trail bucket is judged like any bucket)",
    resources: [...bucketSet("trail"), { type: T.trail, name: "trail", props: { s3BucketName: "other-log-target" } }],
    expect: /bucket trail has no server access logging/,
    rules: ["CloudTrail.7"],
  },
  { policy: "s3-access-logging", title: "fails a data bucket without access logging", resources: bucketSet("media"), expect: /bucket media has no server access logging/, rules: ["AwsSolutions-S1", "S3.9", "CKV_AWS_18", "AVD-AWS-0089", "NIST S3BucketLoggingEnabled"] },

  { policy: "s3-no-inline-settings", title: "passes a bucket configured only through companion resources", type: T.bucket, props: { bucket: "media-1a2b3c4", forceDestroy: false }, expect: "pass" },
  {
    policy: "s3-no-inline-settings",
    title: "fails inline versioning and a public-read canned ACL on the bucket",
    type: T.bucket,
    props: { bucket: "media-1a2b3c4", acl: "public-read", versioning: { enabled: true } },
    expect: [/inline 'acl'/, /inline 'versioning'/],
    count: 2,
  },
];
