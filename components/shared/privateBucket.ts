import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * The two settings every private bucket of this project declares next to the bucket:
 * all four Block Public Access switches (cdk-nag AwsSolutions-S2, Security Hub S3.8,
 * Checkov CKV_AWS_53/54/55/56) and ACLs disabled with BucketOwnerEnforced (Security Hub S3.12,
 * Checkov CKV2_AWS_65; required by CloudFront OAC and by policy-authorised log delivery).
 * Children are named `<prefix>-public-access` and `<prefix>-ownership`; pass the component's
 * options (parent, retainOnDelete) in `opts`.
 */
export function privateBucketControls(prefix: string, bucketName: pulumi.Input<string>, opts: pulumi.CustomResourceOptions): { publicAccessBlock: aws.s3.BucketPublicAccessBlock; ownership: aws.s3.BucketOwnershipControls } {
  const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
    `${prefix}-public-access`,
    { bucket: bucketName, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
    opts,
  );
  const ownership = new aws.s3.BucketOwnershipControls(`${prefix}-ownership`, { bucket: bucketName, rule: { objectOwnership: "BucketOwnerEnforced" } }, opts);
  return { publicAccessBlock, ownership };
}
