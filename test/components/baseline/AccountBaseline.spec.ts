import assert from "node:assert/strict";
import { AccountBaseline, MANAGED_GUARDDUTY_FEATURES } from "../../../components/baseline/AccountBaseline";
import { EDGE_REGION, PRIMARY_REGION } from "../../../components/shared/regions";
import { MOCK_ACCOUNT_ID } from "../../../tools/mocks/state";
import { declare, named, ofType, oneOf } from "../../support/harness";
import type { MockRunResult } from "../../../tools/mocks/runtime";

const TOPIC = `arn:aws:sns:${PRIMARY_REGION}:${MOCK_ACCOUNT_ID}:alerts`;
const EDGE_TOPIC = `arn:aws:sns:${EDGE_REGION}:${MOCK_ACCOUNT_ID}:alerts-edge`;
const TRAIL_ARN = `arn:aws:cloudtrail:${PRIMARY_REGION}:${MOCK_ACCOUNT_ID}:trail/mpto-trail`;

describe("AccountBaseline (mpto:baseline:AccountBaseline)", () => {
  let run: MockRunResult;
  before(async () => {
    run = await declare(
      () =>
        new AccountBaseline("baseline", {
          alertTopicArn: TOPIC,
          edgeAlertTopicArn: EDGE_TOPIC,
          trailName: "mpto-trail",
          logRetentionDays: 400,
          guardDutyFeatures: ["S3_DATA_EVENTS"],
          costAllocationTagKeys: ["Project", "Environment"],
          protect: true,
        }),
    );
  });

  it("uses plain aws resources (awsx's CloudTrail is a remote component: invisible under mocks)", () => {
    assert.ok(run.resources.every((r) => !r.type.startsWith("awsx:")));
  });

  it("records every region with log file validation and KMS encryption, after the bucket policy exists", () => {
    const trail = oneOf(run, "aws:cloudtrail/trail:Trail");
    assert.equal(trail.inputs.name, "mpto-trail");
    assert.equal(trail.outputs.arn, TRAIL_ARN, "the ARN the bucket and key policies trust is the trail's own");
    assert.equal(trail.inputs.isMultiRegionTrail, true);
    assert.equal(trail.inputs.includeGlobalServiceEvents, true);
    assert.equal(trail.inputs.enableLogFileValidation, true);
    const key = named(run, "baseline-trail-key");
    assert.equal(trail.inputs.kmsKeyId, key.outputs.arn);
    assert.equal(key.inputs.enableKeyRotation, true);
    assert.deepEqual(trail.options.dependsOn, [named(run, "baseline-trail-bucket-policy").urn]);
    assert.equal(trail.inputs.s3BucketName, named(run, "baseline-trail-bucket").outputs.bucket);
  });

  it("lets only this trail use the key (aws:SourceArn) and keeps the account's IAM in charge", () => {
    const statements = JSON.parse(named(run, "baseline-trail-key").inputs.policy as string).Statement as any[];
    const encrypt = statements.find((s) => s.Sid === "AllowCloudTrailToEncryptLogs");
    assert.deepEqual(encrypt.Principal, { Service: "cloudtrail.amazonaws.com" });
    assert.equal(encrypt.Condition.StringEquals["aws:SourceArn"], TRAIL_ARN);
    assert.ok(statements.every((s) => s.Principal !== "*" && s.Principal?.AWS !== "*"), "no public principal in the key policy");
    assert.equal(statements.find((s) => s.Sid === "EnableIamPoliciesOfTheAccount").Principal.AWS, `arn:aws:iam::${MOCK_ACCOUNT_ID}:root`);
  });

  it("keeps the logs in a private, TLS-only bucket that only this trail may write to", () => {
    const bucket = named(run, "baseline-trail-bucket");
    const pab = named(run, "baseline-trail-bucket-public-access");
    for (const k of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) assert.equal(pab.inputs[k], true, k);
    assert.equal((named(run, "baseline-trail-bucket-ownership").inputs.rule as any).objectOwnership, "BucketOwnerEnforced");
    const policy = JSON.parse(named(run, "baseline-trail-bucket-policy").inputs.policy as string).Statement as any[];
    const deny = policy.find((s) => s.Sid === "DenyInsecureTransport");
    assert.deepEqual(deny.Condition, { Bool: { "aws:SecureTransport": "false" } });
    assert.equal(deny.Effect, "Deny");
    const write = policy.find((s) => s.Sid === "AllowCloudTrailWrite");
    assert.equal(write.Resource, `${bucket.outputs.arn}/AWSLogs/${MOCK_ACCOUNT_ID}/*`);
    assert.equal(write.Condition.StringEquals["aws:SourceArn"], TRAIL_ARN);
    assert.equal(write.Condition.StringEquals["s3:x-amz-acl"], "bucket-owner-full-control");
    assert.equal(policy.find((s) => s.Sid === "AllowCloudTrailAclCheck").Condition.StringEquals["aws:SourceArn"], TRAIL_ARN);
    assert.ok(policy.filter((s) => s.Effect === "Allow").every((s) => s.Principal !== "*"));
  });

  it("encrypts the bucket with the trail key, versions it and expires logs after the configured days", () => {
    const sse = named(run, "baseline-trail-bucket-encryption").inputs.rules as any[];
    assert.equal(sse[0].applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
    assert.equal(sse[0].applyServerSideEncryptionByDefault.kmsMasterKeyId, named(run, "baseline-trail-key").outputs.arn);
    assert.equal((named(run, "baseline-trail-bucket-versioning").inputs.versioningConfiguration as any).status, "Enabled");
    const rules = named(run, "baseline-trail-bucket-lifecycle").inputs.rules as any[];
    assert.equal(rules.find((r) => r.id === "expire-log-files").expiration.days, 400);
    assert.equal(rules.find((r) => r.id === "expire-log-files").noncurrentVersionExpiration.noncurrentDays, 30);
  });

  it("protects the evidence (bucket and key) when asked", () => {
    for (const n of ["baseline-trail-bucket", "baseline-trail-key"]) {
      assert.equal(named(run, n).options.protect, true, n);
      assert.equal(named(run, n).options.retainOnDelete, true, n);
    }
    assert.equal(named(run, "baseline-trail-bucket").inputs.forceDestroy, false);
  });

  it("runs GuardDuty in the stack's region and in us-east-1 with exactly the chosen features enabled", () => {
    const detectors = ofType(run, "aws:guardduty/detector:Detector");
    assert.deepEqual(detectors.map((d) => d.region).sort(), [EDGE_REGION, PRIMARY_REGION].sort());
    for (const d of detectors) assert.equal(d.inputs.enable, true);
    const features = ofType(run, "aws:guardduty/detectorFeature:DetectorFeature");
    assert.equal(features.length, 2 * MANAGED_GUARDDUTY_FEATURES.length);
    for (const f of features) {
      // The longest detector name that prefixes the feature's name is its detector.
      const detector = [...detectors].sort((a, b) => b.name.length - a.name.length).find((d) => f.name.startsWith(`${d.name}-`))!;
      assert.equal(f.inputs.detectorId, String(detector.outputs.arn).split("/").pop(), `${f.name} is attached to ${detector.name}`);
      assert.equal(f.region, detector.region);
      assert.equal(f.inputs.status, f.inputs.name === "S3_DATA_EVENTS" ? "ENABLED" : "DISABLED", `${f.name}`);
    }
  });

  it("sends high-severity findings of each region to that region's alert topic", () => {
    const rules = ofType(run, "aws:cloudwatch/eventRule:EventRule");
    assert.equal(rules.length, 2);
    for (const rule of rules) {
      const pattern = JSON.parse(rule.inputs.eventPattern as string);
      assert.deepEqual(pattern.source, ["aws.guardduty"]);
      assert.deepEqual(pattern.detail.severity, [{ numeric: [">=", 7] }]);
      const target = ofType(run, "aws:cloudwatch/eventTarget:EventTarget").find((t) => t.name === `${rule.name}-to-alerts`)!;
      assert.equal(target.inputs.rule, rule.outputs.name);
      assert.equal(target.region, rule.region);
      assert.equal(target.inputs.arn, rule.region === EDGE_REGION ? EDGE_TOPIC : TOPIC);
    }
  });

  it("blocks public S3 access for the whole account (Security Hub S3.1)", () => {
    const block = oneOf(run, "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock");
    assert.deepEqual(
      { a: block.inputs.blockPublicAcls, b: block.inputs.blockPublicPolicy, c: block.inputs.ignorePublicAcls, d: block.inputs.restrictPublicBuckets },
      { a: true, b: true, c: true, d: true },
    );
  });

  it("activates the given tag keys as cost allocation tags", () => {
    const tags = ofType(run, "aws:costexplorer/costAllocationTag:CostAllocationTag");
    assert.deepEqual(tags.map((t) => [t.inputs.tagKey, t.inputs.status]), [
      ["Project", "Active"],
      ["Environment", "Active"],
    ]);
  });

  it("parents every child to the component", () => {
    const component = run.resources.find((r) => r.type === "mpto:baseline:AccountBaseline")!;
    for (const r of run.resources.filter((x) => x.custom)) assert.equal(r.parent, component.urn, r.name);
  });
});
