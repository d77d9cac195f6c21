import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** How a private bucket encrypts at rest: SSE-S3, or SSE-KMS with a key (and S3 Bucket Keys). */
export type BucketEncryption = "AES256" | { kmsKeyArn: pulumi.Input<string> };

/** The settings of {@link privateBucketControls} that differ between buckets. */
export interface PrivateBucketOptions {
  /** Default encryption (CKV_AWS_19 / AVD-AWS-0088; SSE-KMS also CKV_AWS_145). Required: every bucket states it. */
  encryption: BucketEncryption;
  /** Versioning, so an overwrite or delete can be undone (CKV_AWS_21, AVD-AWS-0090). Default false. */
  versioning?: boolean;
}

/**
 * The one recipe for the settings every private bucket of this project declares next to the
 * bucket (the media bucket and its access logs, the CloudTrail bucket, the canary's artifacts):
 * - all four Block Public Access switches (cdk-nag AwsSolutions-S2, Security Hub S3.8,
 *   CloudTrail.6, Checkov CKV_AWS_53/54/55/56);
 * - ACLs disabled with BucketOwnerEnforced (Security Hub S3.12, Checkov CKV2_AWS_65; required by
 *   CloudFront OAC and by policy-authorised log and trail delivery);
 * - default encryption, and versioning when asked.
 * Children are named `<prefix>-public-access`, `<prefix>-ownership`, `<prefix>-encryption` and
 * `<prefix>-versioning`; pass the component's options (parent, retainOnDelete) in `opts`. The
 * bucket's TLS-only policy stays with its owner, which adds its own statements to that one policy
 * (S3 allows one per bucket).
 */
export function privateBucketControls(
  prefix: string,
  bucketName: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
  options: PrivateBucketOptions,
): { publicAccessBlock: aws.s3.BucketPublicAccessBlock; ownership: aws.s3.BucketOwnershipControls; versioning?: aws.s3.BucketVersioning } {
  const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
    `${prefix}-public-access`,
    { bucket: bucketName, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
    opts,
  );
  const ownership = new aws.s3.BucketOwnershipControls(`${prefix}-ownership`, { bucket: bucketName, rule: { objectOwnership: "BucketOwnerEnforced" } }, opts);
  const rule =
    options.encryption === "AES256"
      ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
      : { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: options.encryption.kmsKeyArn }, bucketKeyEnabled: true };
  new aws.s3.BucketServerSideEncryptionConfiguration(`${prefix}-encryption`, { bucket: bucketName, rules: [rule] }, opts);
  const versioning = options.versioning
    ? new aws.s3.BucketVersioning(`${prefix}-versioning`, { bucket: bucketName, versioningConfiguration: { status: "Enabled" } }, opts)
    : undefined;
  return { publicAccessBlock, ownership, versioning };
}
