import assert from "node:assert/strict";
import { VideoPipeline, VideoPipelineArgs } from "../../../components/media/VideoPipeline";
import { declare, named, ofType, oneOf } from "../../support/harness";

const BUCKET_ARN = "arn:aws:s3:::mpto-media-bucket";
const args: VideoPipelineArgs = { bucketName: "mpto-media-bucket", bucketArn: BUCKET_ARN, alarmTopicArn: "arn:aws:sns:eu-west-2:123456789012:alerts" };
const statements = (policy: unknown) => JSON.parse(String(policy)).Statement as any[];

describe("VideoPipeline (mpto:media:VideoPipeline)", () => {
  it("triggers the submit function only on objects under uploads/ of the media bucket, so outputs under videos/ never re-trigger it", async () => {
    const run = await declare(() => new VideoPipeline("video", args));
    const pattern = JSON.parse(String(named(run, "video-uploads").inputs.eventPattern));
    assert.deepEqual(pattern, { source: ["aws.s3"], "detail-type": ["Object Created"], detail: { bucket: { name: ["mpto-media-bucket"] }, object: { key: [{ prefix: "uploads/" }] } } });
    const permission = named(run, "video-uploads-invoke");
    assert.equal(permission.inputs.principal, "events.amazonaws.com");
    assert.equal(permission.inputs.sourceArn, run.resources.find((r) => r.name === "video-uploads")!.outputs.arn);
  });

  it("listens to this pipeline's MediaConvert jobs only (COMPLETE, ERROR and progress)", async () => {
    const run = await declare(() => new VideoPipeline("video", args));
    const pattern = JSON.parse(String(named(run, "video-job-state").inputs.eventPattern));
    assert.deepEqual(pattern.source, ["aws.mediaconvert"]);
    assert.deepEqual(pattern.detail.userMetadata, { pipeline: ["video"] });
    for (const status of ["COMPLETE", "ERROR", "PROGRESSING", "STATUS_UPDATE"]) assert.ok(pattern.detail.status.includes(status), status);
  });

  it("lets MediaConvert read only the originals and write only the outputs, trusted for this account only", async () => {
    const run = await declare(() => new VideoPipeline("video", args));
    const policy = statements(named(run, "video-mediaconvert-policy").inputs.policy);
    assert.deepEqual(policy.map((s) => [s.Action, s.Resource]), [
      ["s3:GetObject", `${BUCKET_ARN}/uploads/*`],
      ["s3:PutObject", `${BUCKET_ARN}/videos/*`],
    ]);
    const trust = statements(named(run, "video-mediaconvert").inputs.assumeRolePolicy)[0];
    assert.deepEqual(trust.Principal, { Service: "mediaconvert.amazonaws.com" });
    assert.ok(trust.Condition.StringEquals["aws:SourceAccount"]);
  });

  it("lets the submit function pass the MediaConvert role to MediaConvert only, and create jobs on the Default queue only", async () => {
    const run = await declare(() => new VideoPipeline("video", args));
    const policy = statements(named(run, "video-submit-policy").inputs.policy);
    const pass = policy.find((s) => s.Action === "iam:PassRole");
    assert.equal(pass.Resource, run.resources.find((r) => r.name === "video-mediaconvert")!.outputs.arn);
    assert.deepEqual(pass.Condition, { StringEquals: { "iam:PassedToService": "mediaconvert.amazonaws.com" } });
    assert.match(policy.find((s) => s.Action === "mediaconvert:CreateJob").Resource, /:queues\/Default$/);
  });

  it("keeps the asset table on demand with point-in-time recovery, protected when asked", async () => {
    const run = await declare(() => new VideoPipeline("video", { ...args, protect: true }));
    const table = oneOf(run, "aws:dynamodb/table:Table");
    assert.equal(table.inputs.billingMode, "PAY_PER_REQUEST");
    assert.equal((table.inputs.pointInTimeRecovery as any).enabled, true);
    assert.equal(table.inputs.deletionProtectionEnabled, true);
    assert.equal(table.options.protect, true);
    assert.equal(table.options.retainOnDelete, true);
  });

  it("alarms on failed jobs and on stuck jobs (missing sweep data counts as stuck)", async () => {
    const run = await declare(() => new VideoPipeline("video", args));
    const failed = named(run, "video-failed-jobs");
    const stuck = named(run, "video-stuck-jobs");
    assert.deepEqual([failed.inputs.namespace, failed.inputs.metricName, failed.inputs.treatMissingData], ["MPTO/Video", "FailedJobs", "notBreaching"]);
    assert.deepEqual([stuck.inputs.metricName, stuck.inputs.treatMissingData], ["StuckJobs", "breaching"]);
    assert.equal(ofType(run, "aws:lambda/function:Function").length, 3);
  });

  it("subscribes the app's HTTPS endpoint to the encrypted video events topic when one is given", async () => {
    const without = await declare(() => new VideoPipeline("video", args));
    assert.equal(ofType(without, "aws:sns/topicSubscription:TopicSubscription").length, 0);
    const run = await declare(() => new VideoPipeline("video", { ...args, notificationUrl: "https://www.example.com/api/video-events" }));
    const sub = oneOf(run, "aws:sns/topicSubscription:TopicSubscription");
    assert.deepEqual([sub.inputs.protocol, sub.inputs.endpoint], ["https", "https://www.example.com/api/video-events"]);
    assert.ok(oneOf(run, "aws:sns/topic:Topic").inputs.kmsMasterKeyId);
  });

  it("refuses limits outside their range before declaring anything", async () => {
    await assert.rejects(declare(() => new VideoPipeline("video", { ...args, maxDurationMinutes: 0 })), /maxDurationMinutes must be a whole number from 1 to 600/);
    await assert.rejects(declare(() => new VideoPipeline("video", { ...args, stuckAfterMinutes: 5 })), /stuckAfterMinutes must be a whole number from 15/);
  });
});
