import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { denyInsecureTransport, policyJson } from "../shared/policyDocument";
import { privateBucketControls } from "../shared/privateBucket";

/** Arguments of {@link MediaBucket}. Secure settings are on by default; only retention and origins vary. */
export interface MediaBucketArgs {
  /** Host names of the site; only `https://<host>` origins may send browser uploads (CORS). Required. */
  siteHostnames: pulumi.Input<pulumi.Input<string>[]>;
  /** Days an overwritten or deleted object version is kept before it expires. Default 30. */
  noncurrentVersionDays?: pulumi.Input<number>;
  /** Days after which an unfinished multipart upload is aborted and its parts deleted. Default 7. */
  abortIncompleteMultipartUploadDays?: pulumi.Input<number>;
  /** Write S3 server access logs to a companion bucket `${name}-access-logs`. Default true. */
  accessLogging?: boolean;
  /** Days the server access logs are kept. Default 90. */
  accessLogDays?: pulumi.Input<number>;
  /**
   * ARNs of the CloudFront distributions that may read the media folders through OAC (the
   * `AWS:SourceArn` of the read grant). A distribution needs this bucket's domain name before it
   * exists, so its ARN is usually a `pulumi.deferredOutput` resolved once it does (stacks/composition.ts).
   * Plain list: its length decides whether the grant exists. Default []: the policy only denies non-TLS requests.
   */
  readerDistributionArns?: pulumi.Input<string>[];
  /** Key prefixes the distributions may read. Default ["videos/", "images/"] (the folders functions/media writes). */
  distributionReadPrefixes?: string[];
  /** Seconds a browser may cache the answer to a CORS preflight. Default 3000. */
  corsMaxAgeSeconds?: pulumi.Input<number>;
  /** Protect the buckets from deletion (protect + retainOnDelete; no forceDestroy). Default false. */
  protect?: boolean;
  /** Days after which a video original under uploads/ expires (the pipeline has transcoded it by then); 0 = keep originals. Default 0. */
  uploadsExpireDays?: number;
  /** Send the bucket's object events to EventBridge (the video pipeline's upload rule listens there). Default false. */
  eventBridgeNotifications?: boolean;
}

/** Key prefix (inside the log bucket) under which S3 delivers this bucket's access logs. */
export const ACCESS_LOG_PREFIX = "media-bucket/";

/**
 * The private S3 bucket for videos and images (eu-west-2, the stack provider's region).
 *
 * Nothing is public: browsers upload with a server-side presigned POST (CORS allows only the site's
 * https origins), and viewers read only through CloudFront with Origin Access Control. The bucket
 * policy is complete from construction: it denies every request not made over TLS, and grants
 * read to the distributions in `readerDistributionArns`.
 *
 * S3 allows one policy per bucket, and the distribution and the policy need each other: the
 * distribution's S3 origin is this bucket's domain name, the policy's read grant names the
 * distribution's ARN. The bucket therefore owns its one policy and takes the readers' ARNs as
 * inputs that resolve later (a `pulumi.deferredOutput`, resolved by whoever creates the
 * distribution, in any order), as SST's Router and AWS Solutions Constructs' CloudFrontToS3 keep
 * the origin bucket's policy with the bucket. The engine sees the dependency through the
 * Output: the policy is written once the distribution exists, and a bucket without readers still
 * refuses plain HTTP.
 *
 * Encryption is SSE-S3 (AES256), deliberately not SSE-KMS: OAC reads, presigned POSTs and access
 * log delivery work without a key policy, there is no per-request KMS charge, and AwsSolutions/FSBP
 * ask only for encryption at rest. Use a customer managed key only if an auditor needs key-level
 * access control (then the key policy must allow CloudFront's service principal and the uploader).
 */
export class MediaBucket extends pulumi.ComponentResource {
  /** Name of the media bucket (auto-named). */
  public readonly bucketName: pulumi.Output<string>;
  /** ARN of the media bucket. */
  public readonly bucketArn: pulumi.Output<string>;
  /** Regional REST domain (`<bucket>.s3.eu-west-2.amazonaws.com`): the CloudFront S3 origin. */
  public readonly bucketRegionalDomainName: pulumi.Output<string>;
  /** Name of the access-log bucket, or an empty string when access logging is off. */
  public readonly accessLogBucketName: pulumi.Output<string>;

  private readonly bucket: aws.s3.Bucket;

  constructor(name: string, args: MediaBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mpto:media:MediaBucket", name, {}, opts);
    const readPrefixes = args.distributionReadPrefixes ?? ["videos/", "images/"];
    if (readPrefixes.length === 0 || readPrefixes.some((p) => !/^[a-z0-9][a-z0-9/_-]*\/$/.test(p))) {
      throw new Error(`MediaBucket ${name}: distributionReadPrefixes must be non-empty folder prefixes ending in "/"`);
    }
    const protect = args.protect ?? false;
    const child: pulumi.CustomResourceOptions = { parent: this };
    // The bucket and the settings whose loss would weaken a retained bucket stay behind on delete.
    const stateful: pulumi.CustomResourceOptions = { parent: this, protect, retainOnDelete: protect };
    const keepWithBucket: pulumi.CustomResourceOptions = { parent: this, retainOnDelete: protect };

    this.bucket = new aws.s3.Bucket(`${name}-bucket`, { forceDestroy: !protect }, stateful);
    const bucketId = this.bucket.bucket;

    // Public access blocked, ACLs off (required by CloudFront OAC), SSE-S3 (see the class comment for
    // why not KMS: CKV_AWS_145 is deliberately not met), versioning so an overwrite or delete can be
    // undone until noncurrent expiry (components/shared/privateBucket.ts).
    const { publicAccessBlock, versioning } = privateBucketControls(name, bucketId, keepWithBucket, { encryption: "AES256", versioning: true });

    // S3.10 / S3.13, CKV2_AWS_61, CKV_AWS_300: lifecycle with tiering, multipart abort and noncurrent expiry.
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket: bucketId,
        rules: [
          {
            // Uploads already ask for INTELLIGENT_TIERING; this catches objects written any other way.
            id: "intelligent-tiering",
            status: "Enabled",
            filter: {},
            transitions: [{ days: 0, storageClass: "INTELLIGENT_TIERING" }],
          },
          {
            id: "abort-incomplete-multipart-uploads",
            status: "Enabled",
            filter: {},
            abortIncompleteMultipartUpload: { daysAfterInitiation: args.abortIncompleteMultipartUploadDays ?? 7 },
          },
          {
            id: "expire-noncurrent-versions",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionDays ?? 30 },
            // Delete markers with no versions left behind them are removed too.
            expiration: { expiredObjectDeleteMarker: true },
          },
          // Video originals are only the pipeline's input: once transcoded they need not be kept.
          ...((args.uploadsExpireDays ?? 0) > 0 ? [{ id: "expire-video-originals", status: "Enabled", filter: { prefix: "uploads/" }, expiration: { days: args.uploadsExpireDays } }] : []),
        ],
      },
      { parent: this, dependsOn: [versioning!] },
    );

    // One notification configuration per bucket (S3 PutBucketNotificationConfiguration replaces the whole
    // set), so the bucket owns it; EventBridge rules then match by prefix without touching the bucket.
    if (args.eventBridgeNotifications) {
      new aws.s3.BucketNotification(`${name}-events`, { bucket: bucketId, eventbridge: true }, child);
    }

    // Browser uploads only: POST from the site's own https origins. Reads go through CloudFront.
    const allowedOrigins = pulumi.output(args.siteHostnames).apply((hosts) => [...new Set(hosts)].map((host) => `https://${host}`));
    new aws.s3.BucketCorsConfiguration(
      `${name}-cors`,
      {
        bucket: bucketId,
        corsRules: [
          {
            id: "browser-presigned-post",
            allowedMethods: ["POST"],
            allowedOrigins,
            allowedHeaders: ["content-type"],
            exposeHeaders: ["ETag", "Location"],
            maxAgeSeconds: args.corsMaxAgeSeconds ?? 3000,
          },
        ],
      },
      child,
    );

    // The bucket's one policy: TLS only, and read for the given distributions (see the class comment).
    const readers = args.readerDistributionArns ?? [];
    new aws.s3.BucketPolicy(
      `${name}-policy`,
      {
        bucket: bucketId,
        policy: policyJson([
          denyInsecureTransport("s3:*", [this.bucket.arn, pulumi.interpolate`${this.bucket.arn}/*`]),
          ...(readers.length
            ? [
                {
                  Sid: "AllowCloudFrontOacRead",
                  Effect: "Allow" as const,
                  Principal: { Service: "cloudfront.amazonaws.com" },
                  Action: "s3:GetObject",
                  // Only the media folders, and only these distributions (OAC signs with its ARN as the source).
                  Resource: readPrefixes.map((prefix) => pulumi.interpolate`${this.bucket.arn}/${prefix}*`),
                  Condition: { StringEquals: { "AWS:SourceArn": readers.length === 1 ? readers[0] : readers } },
                },
              ]
            : []),
        ]),
      },
      // The public access block first: S3 rejects policy writes that race the block's creation.
      { parent: this, dependsOn: [publicAccessBlock] },
    );

    let accessLogBucketName: pulumi.Output<string> = pulumi.output("");
    if (args.accessLogging ?? true) {
      accessLogBucketName = this.createAccessLogs(name, args, stateful, keepWithBucket).bucket;
    }

    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;
    this.bucketRegionalDomainName = this.bucket.bucketRegionalDomainName;
    this.accessLogBucketName = accessLogBucketName;
    this.registerOutputs({
      bucketName: this.bucketName,
      bucketArn: this.bucketArn,
      bucketRegionalDomainName: this.bucketRegionalDomainName,
      accessLogBucketName: this.accessLogBucketName,
    });
  }

  /** AwsSolutions-S1, S3.9, CKV_AWS_18: server access logs into a private companion bucket. */
  private createAccessLogs(name: string, args: MediaBucketArgs, stateful: pulumi.CustomResourceOptions, keepWithBucket: pulumi.CustomResourceOptions): aws.s3.Bucket {
    const protect = stateful.protect === true;
    // The log bucket does not log itself (AwsSolutions-S1 is suppressed for log destinations in cdk-nag too).
    const logs = new aws.s3.Bucket(`${name}-access-logs`, { forceDestroy: !protect }, stateful);
    const logsId = logs.bucket;
    // Private like the media bucket; log delivery to BucketOwnerEnforced buckets is authorised by bucket policy.
    // Server access log destinations support SSE-S3 only (not SSE-KMS).
    const block = privateBucketControls(`${name}-access-logs`, logsId, keepWithBucket, { encryption: "AES256" }).publicAccessBlock;
    // Logs are written once and never overwritten: no versioning, plain expiry.
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-access-logs-lifecycle`,
      {
        bucket: logsId,
        rules: [
          { id: "expire-access-logs", status: "Enabled", filter: {}, expiration: { days: args.accessLogDays ?? 90 } },
          { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } },
        ],
      },
      { parent: this },
    );

    const account = aws.getCallerIdentityOutput({}, { parent: this });
    const logsPolicy = new aws.s3.BucketPolicy(
      `${name}-access-logs-policy`,
      {
        bucket: logsId,
        policy: policyJson([
          denyInsecureTransport("s3:*", [logs.arn, pulumi.interpolate`${logs.arn}/*`]),
          {
            Sid: "AllowS3ServerAccessLogDelivery",
            Effect: "Allow",
            Principal: { Service: "logging.s3.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: pulumi.interpolate`${logs.arn}/${ACCESS_LOG_PREFIX}*`,
            Condition: {
              ArnLike: { "aws:SourceArn": this.bucket.arn },
              StringEquals: { "aws:SourceAccount": account.accountId },
            },
          },
        ]),
      },
      { parent: this, dependsOn: [block] },
    );

    new aws.s3.BucketLogging(
      `${name}-logging`,
      {
        bucket: this.bucket.bucket,
        targetBucket: logsId,
        targetPrefix: ACCESS_LOG_PREFIX,
        // Partitioned keys (account/region/bucket/yyyy/mm/dd/) keep Athena queries cheap.
        targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
      },
      { parent: this, dependsOn: [logsPolicy] },
    );
    return logs;
  }
}
