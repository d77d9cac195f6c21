import assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ACCESS_LOG_PREFIX, MediaBucket, MediaBucketArgs } from "../../../components/media/MediaBucket";
import { MOCK_ACCOUNT_ID } from "../../../tools/mocks/state";
import type { MockRunResult, RecordedResource } from "../../../tools/mocks/runtime";
import { declare, declareStack, named, ofType, oneOf } from "../../support/harness";

const DISTRIBUTION_ARN = `arn:aws:cloudfront::${MOCK_ACCOUNT_ID}:distribution/E2MEDIAEXAMPLE`;
const T = {
  bucket: "aws:s3/bucket:Bucket",
  publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  cors: "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration",
  policy: "aws:s3/bucketPolicy:BucketPolicy",
  logging: "aws:s3/bucketLogging:BucketLogging",
};

interface Statement {
  Sid: string;
  Effect: string;
  Principal: unknown;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

function statements(policy: RecordedResource): Statement[] {
  return (JSON.parse(policy.inputs.policy as string) as { Statement: Statement[] }).Statement;
}

function rule(lifecycle: RecordedResource, id: string): Record<string, any> {
  const found = (lifecycle.inputs.rules as Record<string, any>[]).find((r) => r.id === id);
  assert.ok(found, `lifecycle rule ${id} exists`);
  return found;
}

/** Both buckets: protected + retained + never force-destroyed, or none of these. */
function assertBucketsProtected(result: MockRunResult, expected: boolean): void {
  for (const name of ["media-bucket", "media-access-logs"]) {
    const bucket = named(result, name);
    assert.equal(bucket.inputs.forceDestroy, !expected, name);
    assert.equal(bucket.options.protect, expected || undefined, name);
    assert.equal(bucket.options.retainOnDelete, expected || undefined, name);
  }
}

async function declareMedia(args: Partial<MediaBucketArgs> = {}, distributionArn: string | null = DISTRIBUTION_ARN) {
  const outputs: Record<string, unknown> = {};
  const result = await declare(() => {
    const media = new MediaBucket("media", { siteHostnames: ["www.example.com", "example.com"], ...(distributionArn ? { readerDistributionArns: [distributionArn] } : {}), ...args });
    outputs.bucketName = media.bucketName;
    outputs.bucketArn = media.bucketArn;
    outputs.bucketRegionalDomainName = media.bucketRegionalDomainName;
    outputs.accessLogBucketName = media.accessLogBucketName;
    return outputs;
  });
  return result;
}

describe("MediaBucket (mpto:media:MediaBucket) under mocks", () => {
  let r: MockRunResult;
  before(async () => {
    r = await declareMedia();
  });

  it("is one component whose children are all parented to it and named after it", () => {
    const component = oneOf(r, "mpto:media:MediaBucket");
    const children = r.resources.filter((x) => x.custom);
    assert.ok(children.length >= 10);
    for (const child of children) {
      assert.equal(child.parent, component.urn, `${child.name} is a child of the component`);
      assert.match(child.name, /^media-/);
    }
  });

  it("blocks every kind of public access on the media bucket", () => {
    const block = named(r, "media-public-access");
    assert.equal(block.inputs.bucket, named(r, "media-bucket").outputs.bucket);
    for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
      assert.equal(block.inputs[flag], true, flag);
    }
  });

  it("disables ACLs with BucketOwnerEnforced, which CloudFront OAC needs", () => {
    assert.deepEqual(named(r, "media-ownership").inputs.rule, { objectOwnership: "BucketOwnerEnforced" });
  });

  it("encrypts at rest with SSE-S3 (AES256)", () => {
    assert.deepEqual(named(r, "media-encryption").inputs.rules, [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
  });

  it("turns versioning on", () => {
    assert.deepEqual(named(r, "media-versioning").inputs.versioningConfiguration, { status: "Enabled" });
  });

  it("moves every object to INTELLIGENT_TIERING on day 0", () => {
    const tiering = rule(named(r, "media-lifecycle"), "intelligent-tiering");
    assert.equal(tiering.status, "Enabled");
    assert.deepEqual(tiering.filter, {});
    assert.deepEqual(tiering.transitions, [{ days: 0, storageClass: "INTELLIGENT_TIERING" }]);
  });

  it("aborts incomplete multipart uploads after 7 days by default", () => {
    const abort = rule(named(r, "media-lifecycle"), "abort-incomplete-multipart-uploads");
    assert.equal(abort.status, "Enabled");
    assert.deepEqual(abort.abortIncompleteMultipartUpload, { daysAfterInitiation: 7 });
  });

  it("expires noncurrent versions after 30 days by default and removes expired delete markers", () => {
    const noncurrent = rule(named(r, "media-lifecycle"), "expire-noncurrent-versions");
    assert.equal(noncurrent.status, "Enabled");
    assert.deepEqual(noncurrent.noncurrentVersionExpiration, { noncurrentDays: 30 });
    assert.deepEqual(noncurrent.expiration, { expiredObjectDeleteMarker: true });
  });

  it("declares the lifecycle after versioning so noncurrent rules apply to a versioned bucket", () => {
    assert.deepEqual(named(r, "media-lifecycle").options.dependsOn, [named(r, "media-versioning").urn]);
  });

  it("allows only POST from the https origins of the site's host names (CORS)", () => {
    const cors = named(r, "media-cors");
    const rules = cors.inputs.corsRules as Record<string, unknown>[];
    assert.equal(rules.length, 1);
    assert.deepEqual(rules[0].allowedOrigins, ["https://www.example.com", "https://example.com"]);
    assert.deepEqual(rules[0].allowedMethods, ["POST"]);
    assert.ok(!(rules[0].allowedOrigins as string[]).some((o) => o.includes("*") || o.startsWith("http:")));
  });

  it("creates the one bucket policy `${name}-policy`", () => {
    const policies = ofType(r, T.policy).filter((p) => p.inputs.bucket === named(r, "media-bucket").outputs.bucket);
    assert.deepEqual(policies.map((p) => p.name), ["media-policy"]);
  });

  it("alone (no distribution), still has its one policy, which denies non-TLS requests and grants nothing", async () => {
    const alone = await declareMedia({}, null);
    const bucketArn = named(alone, "media-bucket").outputs.arn as string;
    const policies = ofType(alone, T.policy).filter((p) => p.inputs.bucket === named(alone, "media-bucket").outputs.bucket);
    assert.deepEqual(policies.map((p) => p.name), ["media-policy"]);
    assert.deepEqual(statements(policies[0]), [
      { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucketArn, `${bucketArn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
    ]);
  });

  it("takes a reader's ARN resolved after construction (pulumi.deferredOutput) into the same single policy", async () => {
    const run = await declare(() => {
      const [arn, resolve] = pulumi.deferredOutput<string>();
      new MediaBucket("media", { siteHostnames: ["example.com"], readerDistributionArns: [arn] });
      // Created after the bucket, as the Cdn is: its ARN reaches the policy all the same.
      const later = new aws.sns.Topic("later", {});
      resolve(later.arn.apply(() => DISTRIBUTION_ARN));
    });
    const policies = ofType(run, T.policy).filter((p) => p.inputs.bucket === named(run, "media-bucket").outputs.bucket);
    assert.equal(policies.length, 1);
    const [deny, allow] = statements(policies[0]);
    assert.equal(deny.Effect, "Deny");
    assert.deepEqual(allow.Condition, { StringEquals: { "AWS:SourceArn": DISTRIBUTION_ARN } });
  });

  it("lists several readers as a list of source ARNs in the one grant", async () => {
    const other = DISTRIBUTION_ARN.replace(/[A-Z0-9]+$/, "E3OTHER");
    const run = await declareMedia({ readerDistributionArns: [DISTRIBUTION_ARN, other] });
    const allows = statements(named(run, "media-policy")).filter((s) => s.Effect === "Allow");
    assert.equal(allows.length, 1);
    assert.deepEqual(allows[0].Condition, { StringEquals: { "AWS:SourceArn": [DISTRIBUTION_ARN, other] } });
  });

  it("denies any request to the bucket or its objects that is not made over TLS", () => {
    const bucketArn = named(r, "media-bucket").outputs.arn as string;
    const deny = statements(named(r, "media-policy")).find((s) => s.Effect === "Deny");
    assert.ok(deny);
    assert.equal(deny.Principal, "*");
    assert.equal(deny.Action, "s3:*");
    assert.deepEqual(deny.Resource, [bucketArn, `${bucketArn}/*`]);
    assert.deepEqual(deny.Condition, { Bool: { "aws:SecureTransport": "false" } });
  });

  it("lets only this distribution (AWS:SourceArn) read objects, through the CloudFront service principal", () => {
    const bucketArn = named(r, "media-bucket").outputs.arn as string;
    const allows = statements(named(r, "media-policy")).filter((s) => s.Effect === "Allow");
    assert.equal(allows.length, 1);
    assert.deepEqual(allows[0].Principal, { Service: "cloudfront.amazonaws.com" });
    assert.equal(allows[0].Action, "s3:GetObject");
    assert.deepEqual(allows[0].Resource, [`${bucketArn}/videos/*`, `${bucketArn}/images/*`], "only the media folders, not the whole bucket");
    assert.deepEqual(allows[0].Condition, { StringEquals: { "AWS:SourceArn": DISTRIBUTION_ARN } });
  });

  it("lets the distribution read other folders only when told to, and refuses malformed prefixes", async () => {
    const custom = await declareMedia({ distributionReadPrefixes: ["public/"] });
    const bucketArn = named(custom, "media-bucket").outputs.arn as string;
    assert.deepEqual(statements(named(custom, "media-policy")).find((s) => s.Effect === "Allow")?.Resource, [`${bucketArn}/public/*`]);
    for (const bad of [[], ["videos"], ["/videos/"], ["*"]]) {
      await assert.rejects(declareMedia({ distributionReadPrefixes: bad }), /distributionReadPrefixes/, JSON.stringify(bad));
    }
  });

  it("writes the bucket policy after the public access block", () => {
    assert.deepEqual(named(r, "media-policy").options.dependsOn, [named(r, "media-public-access").urn]);
  });

  it("exposes bucketName, bucketArn and the regional domain name CloudFront uses as its origin", () => {
    const bucket = named(r, "media-bucket").outputs;
    assert.equal(r.stackOutputs.bucketName, bucket.bucket);
    assert.equal(r.stackOutputs.bucketArn, `arn:aws:s3:::${bucket.bucket}`);
    assert.equal(r.stackOutputs.bucketRegionalDomainName, `${bucket.bucket}.s3.eu-west-2.amazonaws.com`);
    assert.equal(r.stackOutputs.accessLogBucketName, named(r, "media-access-logs").outputs.bucket);
  });

  describe("server access logging (AwsSolutions-S1, S3.9)", () => {
    it("sends access logs to a companion bucket under a partitioned prefix", () => {
      const logging = oneOf(r, T.logging);
      assert.equal(logging.inputs.bucket, named(r, "media-bucket").outputs.bucket);
      assert.equal(logging.inputs.targetBucket, named(r, "media-access-logs").outputs.bucket);
      assert.equal(logging.inputs.targetPrefix, ACCESS_LOG_PREFIX);
      assert.deepEqual(logging.inputs.targetObjectKeyFormat, { partitionedPrefix: { partitionDateSource: "EventTime" } });
    });

    it("keeps the log bucket private, owner-enforced and SSE-S3 encrypted (the only SSE log delivery supports)", () => {
      const block = named(r, "media-access-logs-public-access");
      for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) assert.equal(block.inputs[flag], true);
      assert.deepEqual(named(r, "media-access-logs-ownership").inputs.rule, { objectOwnership: "BucketOwnerEnforced" });
      assert.deepEqual(named(r, "media-access-logs-encryption").inputs.rules, [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
    });

    it("lets only the S3 logging service write, only for this bucket and account, only over TLS", () => {
      const logsArn = named(r, "media-access-logs").outputs.arn as string;
      const [deny, allow, ...rest] = statements(named(r, "media-access-logs-policy"));
      assert.equal(rest.length, 0);
      assert.deepEqual(deny.Condition, { Bool: { "aws:SecureTransport": "false" } });
      assert.deepEqual(deny.Resource, [logsArn, `${logsArn}/*`]);
      assert.deepEqual(allow.Principal, { Service: "logging.s3.amazonaws.com" });
      assert.equal(allow.Action, "s3:PutObject");
      assert.equal(allow.Resource, `${logsArn}/${ACCESS_LOG_PREFIX}*`);
      assert.deepEqual(allow.Condition, {
        ArnLike: { "aws:SourceArn": named(r, "media-bucket").outputs.arn },
        StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID },
      });
    });

    it("turns logging on only after the log bucket's policy allows delivery", () => {
      assert.deepEqual(oneOf(r, T.logging).options.dependsOn, [named(r, "media-access-logs-policy").urn]);
    });

    it("expires access logs after 90 days by default", () => {
      const expire = rule(named(r, "media-access-logs-lifecycle"), "expire-access-logs");
      assert.deepEqual(expire.expiration, { days: 90 });
    });

    it("creates no log bucket when accessLogging is false", async () => {
      const off = await declareMedia({ accessLogging: false });
      assert.equal(ofType(off, T.bucket).length, 1);
      assert.equal(ofType(off, T.logging).length, 0);
      assert.equal(off.stackOutputs.accessLogBucketName, "");
    });
  });

  it("passes retention and CORS settings through", async () => {
    const custom = await declareMedia({ noncurrentVersionDays: 90, abortIncompleteMultipartUploadDays: 2, accessLogDays: 365, corsMaxAgeSeconds: 600, siteHostnames: ["a.example.com", "a.example.com"] });
    assert.deepEqual(rule(named(custom, "media-lifecycle"), "expire-noncurrent-versions").noncurrentVersionExpiration, { noncurrentDays: 90 });
    assert.deepEqual(rule(named(custom, "media-lifecycle"), "abort-incomplete-multipart-uploads").abortIncompleteMultipartUpload, { daysAfterInitiation: 2 });
    assert.deepEqual(rule(named(custom, "media-access-logs-lifecycle"), "expire-access-logs").expiration, { days: 365 });
    const corsRule = (named(custom, "media-cors").inputs.corsRules as Record<string, unknown>[])[0];
    assert.equal(corsRule.maxAgeSeconds, 600);
    assert.deepEqual(corsRule.allowedOrigins, ["https://a.example.com"], "duplicate host names give one origin");
  });

  describe("protection", () => {
    it("unprotected (default): buckets can be destroyed with their objects and carry no protect options", () => {
      assertBucketsProtected(r, false);
    });

    it("protected: buckets are protected and retained, never force-destroyed, and keep their security settings on delete", async () => {
      const p = await declareMedia({ protect: true });
      assertBucketsProtected(p, true);
      for (const name of ["media-public-access", "media-ownership", "media-encryption", "media-versioning", "media-access-logs-public-access"]) {
        assert.equal(named(p, name).options.retainOnDelete, true, name);
      }
    });
  });
});

describe("MediaBucket in the real stacks", () => {
  let dev: MockRunResult;
  let prod: MockRunResult;
  before(async () => {
    dev = await declareStack("dev");
    prod = await declareStack("prod");
  });

  for (const stack of ["dev", "prod"] as const) {
    it(`${stack}: every media resource uses the stack's provider in eu-west-2`, () => {
      const result = stack === "dev" ? dev : prod;
      const component = oneOf(result, "mpto:media:MediaBucket");
      const provider = result.resources.find((x) => x.type === "pulumi:providers:aws");
      assert.ok(provider);
      const children = result.resources.filter((x) => x.parent === component.urn);
      assert.ok(children.length >= 10);
      for (const child of children) {
        assert.equal(child.provider, provider.urn, child.name);
        assert.equal(child.region, "eu-west-2", child.name);
      }
    });
  }

  it("dev: the media and log buckets are destroyable, noncurrent versions kept 7 days, logs 30", () => {
    assertBucketsProtected(dev, false);
    assert.deepEqual(rule(named(dev, "media-lifecycle"), "expire-noncurrent-versions").noncurrentVersionExpiration, { noncurrentDays: 7 });
    assert.deepEqual(rule(named(dev, "media-access-logs-lifecycle"), "expire-access-logs").expiration, { days: 30 });
  });

  it("prod: the media and log buckets are protected and retained, noncurrent versions kept 90 days, logs 365", () => {
    assertBucketsProtected(prod, true);
    assert.deepEqual(rule(named(prod, "media-lifecycle"), "expire-noncurrent-versions").noncurrentVersionExpiration, { noncurrentDays: 90 });
    assert.deepEqual(rule(named(prod, "media-access-logs-lifecycle"), "expire-access-logs").expiration, { days: 365 });
  });

  it("the CDN's read grant lands in the bucket's one policy, beside the TLS deny, naming the stack's distribution", () => {
    for (const stack of [dev, prod]) {
      const bucket = named(stack, "media-bucket");
      const policies = ofType(stack, T.policy).filter((p) => p.inputs.bucket === bucket.outputs.bucket);
      assert.deepEqual(policies.map((p) => p.name), ["media-policy"]);
      const [deny, allow, ...rest] = statements(policies[0]);
      assert.deepEqual([deny.Sid, deny.Effect], ["DenyInsecureTransport", "Deny"]);
      assert.equal(rest.length, 0);
      assert.deepEqual(allow.Condition, { StringEquals: { "AWS:SourceArn": oneOf(stack, "aws:cloudfront/distribution:Distribution").outputs.arn } });
    }
  });

  it("CORS origins are the stack's siteHostnames over https", () => {
    const origins = (stack: MockRunResult) => (named(stack, "media-cors").inputs.corsRules as Record<string, unknown>[])[0].allowedOrigins;
    assert.deepEqual(origins(dev), ["https://dev.myprivatetutoronline.com"]);
    assert.deepEqual(origins(prod), ["https://www.myprivatetutoronline.com", "https://myprivatetutoronline.com"]);
  });

  it("exports the bucket name, region and upload limits for the site's upload endpoint", () => {
    for (const stack of [dev, prod]) {
      assert.equal(stack.stackOutputs.mediaBucketName, named(stack, "media-bucket").outputs.bucket);
      assert.equal(stack.stackOutputs.mediaBucketRegion, "eu-west-2");
      assert.equal(stack.stackOutputs.mediaMaxVideoUploadBytes, 1024 * 1024 * 1024);
      assert.equal(stack.stackOutputs.mediaMaxImageUploadBytes, 10 * 1024 * 1024);
    }
  });

  it("the stack's distribution (and only it) may read the media folders, through the one media bucket policy", () => {
    for (const stack of [dev, prod]) {
      const distribution = oneOf(stack, "aws:cloudfront/distribution:Distribution");
      const mediaBucket = named(stack, "media-bucket").outputs.bucket;
      const policies = ofType(stack, T.policy).filter((p) => p.inputs.bucket === mediaBucket);
      assert.deepEqual(policies.map((p) => p.name), ["media-policy"]);
      const allows = statements(policies[0]).filter((s) => s.Effect === "Allow");
      assert.equal(allows.length, 1);
      assert.deepEqual(allows[0].Condition, { StringEquals: { "AWS:SourceArn": distribution.outputs.arn } });
    }
  });
});
