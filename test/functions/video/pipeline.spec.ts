import assert from "node:assert/strict";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { CreateJobCommand, MediaConvertClient } from "@aws-sdk/client-mediaconvert";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import Ajv from "ajv";
import schema from "../../../functions/video/mediaconvert-job-settings.schema.json";
import { VideoAssets } from "../../../functions/video/assets";
import { applyJobState, countStuckJobs, JobStateChangeEvent } from "../../../functions/video/jobStateChange";
import { ObjectCreatedEvent, submitUpload, SubmitSettings } from "../../../functions/video/submitJob";
import objectCreated from "../../fixtures/video/s3-object-created.json";
import progressing from "../../fixtures/video/mediaconvert-progressing.json";
import statusUpdate from "../../fixtures/video/mediaconvert-status-update.json";
import complete from "../../fixtures/video/mediaconvert-complete.json";
import failed from "../../fixtures/video/mediaconvert-error.json";
import { dynaliteClient, startDynalite } from "../../support/dynalite";
import type { EmulatorProcess } from "../../support/emulatorProcess";
import { S3rver, s3rverClient, startS3rver } from "../../support/s3rver";

/**
 * The video pipeline's functions, driven by AWS's documented sample events: the S3 emulator (s3rver)
 * holds the uploads, the DynamoDB emulator (dynalite) the asset records; MediaConvert, SNS and
 * CloudWatch have no emulator, so they are aws-sdk-client-mock fakes whose requests are checked.
 */

const ID = "3f1c2b4a-9d8e-4f7a-8b6c-5d4e3f2a1b0c";
const BUCKET = "mpto-media-bucket";
const KEY = `uploads/${ID}/algebra-lesson-1.mp4`;
const validateJob = new Ajv({ strict: false }).compile(schema);
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe("video pipeline functions (functions/video)", function () {
  let dynalite: EmulatorProcess;
  let s3rver: S3rver;
  let s3: S3Client;
  let db: DynamoDBClient;
  let table = "";
  let tableCount = 0;
  // Created in before() and restored in after(): a mock made at load time would intercept every client of its class in the whole run.
  let mediaConvert: ReturnType<typeof mockClient>;
  let sns: ReturnType<typeof mockClient>;
  let cloudwatch: ReturnType<typeof mockClient>;
  let assets: VideoAssets;
  let settings: SubmitSettings;
  const stateSettings = { pipeline: "video", bucket: BUCKET, maxDurationSeconds: 3600, topicArn: "arn:aws:sns:eu-west-2:123456789012:video-events" };

  before(async () => {
    mediaConvert = mockClient(MediaConvertClient);
    sns = mockClient(SNSClient);
    cloudwatch = mockClient(CloudWatchClient);
    [dynalite, s3rver] = await Promise.all([startDynalite(), startS3rver()]);
    db = dynaliteClient(dynalite.endpoint);
    s3 = s3rverClient(s3rver.endpoint);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });
  after(async () => {
    for (const m of [mediaConvert, sns, cloudwatch]) m?.restore();
    s3?.destroy();
    db?.destroy();
    await Promise.all([dynalite?.stop(), s3rver?.stop()]);
  });
  beforeEach(async () => {
    table = `videos-${++tableCount}`;
    await db.send(new CreateTableCommand({ TableName: table, BillingMode: "PAY_PER_REQUEST", AttributeDefinitions: [{ AttributeName: "videoId", AttributeType: "S" }], KeySchema: [{ AttributeName: "videoId", KeyType: "HASH" }] }));
    assets = new VideoAssets(DynamoDBDocumentClient.from(db, { marshallOptions: { removeUndefinedValues: true } }), table);
    settings = { bucket: BUCKET, table, mediaConvertRoleArn: "arn:aws:iam::123456789012:role/mpto-prod-video-mediaconvert", maxUploadBytes: 50 * 1024 * 1024, maxDurationSeconds: 3600, pipeline: "video" };
    mediaConvert.reset();
    sns.reset();
    cloudwatch.reset();
    mediaConvert.on(CreateJobCommand).resolves({ Job: { Id: "1764072030000-abc123", Role: settings.mediaConvertRoleArn, Settings: {} } });
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: Buffer.alloc(1024), ContentType: "video/mp4" }));
  });
  const deps = () => ({ s3, mediaConvert: new MediaConvertClient({ region: "eu-west-2" }), assets });
  const stateDeps = () => ({ assets, sns: new SNSClient({ region: "eu-west-2" }), cloudwatch: new CloudWatchClient({ region: "eu-west-2" }) });

  describe("submit (S3 Object Created on uploads/)", () => {
    it("starts one MediaConvert job for an upload, with a job definition MediaConvert's model accepts, tagged with the video and pipeline", async () => {
      const result = await submitUpload(clone(objectCreated), settings, deps());
      assert.deepEqual(result, { outcome: "submitted", videoId: ID, jobId: "1764072030000-abc123" });
      const calls = mediaConvert.commandCalls(CreateJobCommand);
      assert.equal(calls.length, 1);
      const input = calls[0].args[0].input;
      assert.equal(input.Role, settings.mediaConvertRoleArn);
      assert.equal(input.ClientRequestToken, ID);
      assert.deepEqual(input.UserMetadata, { videoId: ID, pipeline: "video" });
      assert.equal(validateJob(input.Settings), true, JSON.stringify(validateJob.errors));
      assert.equal((input.Settings as any).Inputs[0].FileInput, `s3://${BUCKET}/${KEY}`);
      assert.deepEqual(await assets.get(ID).then((a) => [a?.status, a?.jobId]), ["SUBMITTED", "1764072030000-abc123"]);
    });

    it("starts no second job when the same event is delivered again", async () => {
      await submitUpload(clone(objectCreated), settings, deps());
      const again = await submitUpload(clone(objectCreated), settings, deps());
      assert.deepEqual(again, { outcome: "duplicate", videoId: ID });
      assert.equal(mediaConvert.commandCalls(CreateJobCommand).length, 1);
    });

    it("retries the same idempotent request when an earlier attempt claimed the video but failed before the job", async () => {
      await assets.claim(ID, KEY);
      const result = await submitUpload(clone(objectCreated), settings, deps());
      assert.equal(result.outcome, "submitted");
      assert.equal(mediaConvert.commandCalls(CreateJobCommand)[0].args[0].input.ClientRequestToken, ID);
    });

    it("records a too-large upload as ERROR with its reason, and starts nothing", async () => {
      const event = clone(objectCreated);
      event.detail.object.size = settings.maxUploadBytes + 1;
      const result = await submitUpload(event, settings, deps());
      assert.equal(result.outcome, "refused");
      const asset = await assets.get(ID);
      assert.equal(asset?.status, "ERROR");
      assert.equal(asset?.error?.code, "TOO_LARGE");
      assert.equal(mediaConvert.commandCalls(CreateJobCommand).length, 0);
    });

    it("records an object that is not a video type as ERROR, and starts nothing", async () => {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: "<html>", ContentType: "text/html" }));
      const result = await submitUpload(clone(objectCreated), settings, deps());
      assert.deepEqual([result.outcome, (result as any).code], ["refused", "NOT_A_VIDEO"]);
      assert.equal((await assets.get(ID))?.error?.code, "NOT_A_VIDEO");
      assert.equal(mediaConvert.commandCalls(CreateJobCommand).length, 0);
    });

    it("ignores what is not a video original: pipeline outputs, images, other buckets, other events", async () => {
      for (const [key, bucket, source] of [
        [`videos/${ID}/hls/index.m3u8`, BUCKET, "aws.s3"],
        [`images/${ID}/photo.png`, BUCKET, "aws.s3"],
        [KEY, "another-bucket", "aws.s3"],
        [KEY, BUCKET, "aws.ec2"],
        [`uploads/${ID}/../../etc/passwd.mp4`, BUCKET, "aws.s3"],
      ]) {
        const event = clone(objectCreated) as ObjectCreatedEvent & { detail: any };
        event.detail.object.key = key;
        event.detail.bucket.name = bucket;
        (event as any).source = source;
        assert.equal((await submitUpload(event, settings, deps())).outcome, "ignored", key);
      }
      assert.equal(mediaConvert.commandCalls(CreateJobCommand).length, 0);
    });
  });

  describe("job state changes (MediaConvert Job State Change)", () => {
    beforeEach(async () => {
      await submitUpload(clone(objectCreated), settings, deps());
    });

    it("records progress, then the renditions, playlist, poster and duration on COMPLETE, and tells the app", async () => {
      assert.equal((await applyJobState(clone(progressing) as JobStateChangeEvent, stateSettings, stateDeps())).outcome, "updated");
      await applyJobState(clone(statusUpdate) as JobStateChangeEvent, stateSettings, stateDeps());
      assert.equal((await assets.get(ID))?.progressPercent, 45);
      const result = await applyJobState(clone(complete) as JobStateChangeEvent, stateSettings, stateDeps());
      assert.deepEqual(result, { outcome: "updated", videoId: ID, status: "COMPLETE" });
      const asset = await assets.get(ID);
      assert.equal(asset?.status, "COMPLETE");
      assert.equal(asset?.playlistKey, `videos/${ID}/hls/index.m3u8`);
      assert.equal(asset?.posterKey, `videos/${ID}/poster/poster.0000001.jpg`);
      assert.equal(asset?.durationMs, 612000);
      assert.deepEqual(asset?.renditions?.map((r) => r.name), ["1080p", "720p", "540p", "360p"]);
      const published = sns.commandCalls(PublishCommand);
      assert.equal(published.length, 1);
      const message = JSON.parse(String(published[0].args[0].input.Message));
      assert.deepEqual([message.type, message.videoId, message.playlistKey], ["video.ready", ID, `videos/${ID}/hls/index.m3u8`]);
    });

    it("ignores late or repeated events once the video is finished", async () => {
      await applyJobState(clone(complete) as JobStateChangeEvent, stateSettings, stateDeps());
      assert.equal((await applyJobState(clone(progressing) as JobStateChangeEvent, stateSettings, stateDeps())).outcome, "stale");
      assert.equal((await applyJobState(clone(complete) as JobStateChangeEvent, stateSettings, stateDeps())).outcome, "stale");
      assert.equal((await assets.get(ID))?.status, "COMPLETE");
      assert.equal(sns.commandCalls(PublishCommand).length, 1, "the app hears once");
    });

    it("records ERROR with MediaConvert's reason (corrupt or not a video), counts a failed job, and tells the app", async () => {
      const result = await applyJobState(clone(failed) as JobStateChangeEvent, stateSettings, stateDeps());
      assert.equal(result.status, "ERROR");
      const asset = await assets.get(ID);
      assert.equal(asset?.error?.code, "TRANSCODE_FAILED");
      assert.match(asset?.error?.message ?? "", /^MediaConvert error 1010: Unable to open input file/);
      const metric = cloudwatch.commandCalls(PutMetricDataCommand)[0].args[0].input;
      assert.deepEqual([metric.Namespace, metric.MetricData?.[0].MetricName, metric.MetricData?.[0].Value], ["MPTO/Video", "FailedJobs", 1]);
      assert.equal(JSON.parse(String(sns.commandCalls(PublishCommand)[0].args[0].input.Message)).type, "video.failed");
    });

    it("records a video clipped at the duration limit as TOO_LONG, never as ready", async () => {
      const result = await applyJobState(clone(complete) as JobStateChangeEvent, { ...stateSettings, maxDurationSeconds: 612 }, stateDeps());
      assert.equal(result.status, "ERROR");
      assert.equal((await assets.get(ID))?.error?.code, "TOO_LONG");
    });

    it("ignores other pipelines' jobs and jobs without a valid video id", async () => {
      const other = clone(complete) as any;
      other.detail.userMetadata.pipeline = "someone-else";
      assert.equal((await applyJobState(other, stateSettings, stateDeps())).outcome, "ignored");
      const forged = clone(complete) as any;
      forged.detail.userMetadata.videoId = "../../etc";
      assert.equal((await applyJobState(forged, stateSettings, stateDeps())).outcome, "ignored");
      assert.equal((await assets.get(ID))?.status, "SUBMITTED");
    });

    it("counts jobs that stopped moving as StuckJobs (and 0 when none, so the alarm always has data)", async () => {
      const clock = new Date(Date.now() + 2 * 3600_000);
      const later = new VideoAssets(DynamoDBDocumentClient.from(db), table, () => clock);
      assert.equal(await countStuckJobs({ ...stateSettings, stuckAfterMinutes: 60 }, { ...stateDeps(), assets: later }), 1);
      await applyJobState(clone(complete) as JobStateChangeEvent, stateSettings, stateDeps());
      assert.equal(await countStuckJobs({ ...stateSettings, stuckAfterMinutes: 60 }, { ...stateDeps(), assets: later }), 0);
      const values = cloudwatch.commandCalls(PutMetricDataCommand).filter((c) => c.args[0].input.MetricData?.[0].MetricName === "StuckJobs").map((c) => c.args[0].input.MetricData?.[0].Value);
      assert.deepEqual(values, [1, 0]);
    });
  });
});
