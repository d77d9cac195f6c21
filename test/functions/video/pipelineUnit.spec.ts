import assert from "node:assert/strict";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand, ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { CreateJobCommand } from "@aws-sdk/client-mediaconvert";
import { PublishCommand } from "@aws-sdk/client-sns";
import { PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { createDynamoDocumentClient, VideoAsset, VideoAssets } from "../../../functions/video/assets";
import { jobSettings } from "../../../functions/video/jobSettings";
import {
  applyJobState,
  completedOutputs,
  countStuckJobs,
  handler as stateHandler,
  JobStateChangeEvent,
  stateSettingsFromEnvironment,
} from "../../../functions/video/jobStateChange";
import { handler as submitHandler, ObjectCreatedEvent, submitSettingsFromEnvironment, submitUpload, SubmitSettings } from "../../../functions/video/submitJob";

/**
 * The video pipeline's functions in-process, with recording fakes for DynamoDB, S3, MediaConvert,
 * SNS and CloudWatch: the exact requests each step sends and how it reads each answer. The
 * emulator spec (pipeline.spec.ts) proves the same steps against dynalite and s3rver; this one
 * pins the contract quickly (conditions, pagination, boundaries, messages), so mutation testing
 * can judge the folder.
 */

const ID = "3f1c2b4a-9d8e-4f7a-8b6c-5d4e3f2a1b0c";
const BUCKET = "mpto-media-bucket";
const KEY = `uploads/${ID}/algebra-lesson-1.mp4`;
const NOW = new Date("2026-12-02T10:00:00.000Z");
const ROLE = "arn:aws:iam::123456789012:role/mpto-prod-video-mediaconvert";
const TOPIC = "arn:aws:sns:eu-west-2:123456789012:video-events";

type Command = { constructor: { name: string }; input: Record<string, unknown> };
type Answer = (command: Command) => unknown;

/** A client whose `send` records every command and answers through `answer` (a value or a thrown error). */
function fakeClient(answer: Answer = () => ({})) {
  const sent: Command[] = [];
  return {
    sent,
    answer,
    inputs: (type: new (...args: never[]) => unknown) => sent.filter((c) => c instanceof type).map((c) => c.input),
    send(command: unknown): Promise<never> {
      sent.push(command as Command);
      return Promise.resolve().then(() => this.answer(command as Command) as never);
    },
  };
}

const conditionFailed = () => new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: {} });

describe("video pipeline functions in-process (recording fakes)", () => {
  describe("VideoAssets: the records in DynamoDB", () => {
    const setup = (answer?: Answer) => {
      const db = fakeClient(answer);
      return { db, assets: new VideoAssets(db, "videos", () => NOW) };
    };

    it("reads a record consistently, by video id", async () => {
      const { db, assets } = setup(() => ({ Item: { videoId: ID, status: "COMPLETE" } }));
      assert.deepEqual(await assets.get(ID), { videoId: ID, status: "COMPLETE" });
      assert.deepEqual(db.inputs(GetCommand), [{ TableName: "videos", Key: { videoId: ID }, ConsistentRead: true }]);
    });

    it("claims a video with a conditional put of a SUBMITTING record", async () => {
      const { db, assets } = setup();
      assert.equal(await assets.claim(ID, KEY), true);
      assert.deepEqual(db.inputs(PutCommand), [
        {
          TableName: "videos",
          Item: { videoId: ID, status: "SUBMITTING", sourceKey: KEY, createdAt: NOW.toISOString(), updatedAt: NOW.toISOString() },
          ConditionExpression: "attribute_not_exists(videoId)",
        },
      ]);
    });

    it("reads a failed condition as 'already claimed' (the SDK's class, or only its name), and throws anything else", async () => {
      assert.equal(await setup(() => Promise.reject(conditionFailed())).assets.claim(ID, KEY), false);
      assert.equal(await setup(() => Promise.reject(Object.assign(new Error("x"), { name: "ConditionalCheckFailedException" }))).assets.claim(ID, KEY), false);
      await assert.rejects(setup(() => Promise.reject(new Error("throttled"))).assets.claim(ID, KEY), /throttled/);
      await assert.rejects(setup(() => Promise.reject(null)).assets.claim(ID, KEY), (e: unknown) => e === null);
    });

    it("records a refusal as an ERROR record, once: a second refusal of the same video changes nothing", async () => {
      const { db, assets } = setup();
      await assets.refuse(ID, KEY, "TOO_LARGE", "too big");
      assert.deepEqual(db.inputs(PutCommand), [
        {
          TableName: "videos",
          Item: { videoId: ID, status: "ERROR", sourceKey: KEY, createdAt: NOW.toISOString(), updatedAt: NOW.toISOString(), error: { code: "TOO_LARGE", message: "too big" } },
          ConditionExpression: "attribute_not_exists(videoId)",
        },
      ]);
      await setup(() => Promise.reject(conditionFailed())).assets.refuse(ID, KEY, "TOO_LARGE", "too big");
      await assert.rejects(setup(() => Promise.reject(new Error("throttled"))).assets.refuse(ID, KEY, "TOO_LARGE", "too big"), /throttled/);
    });

    it("updates only the given fields (undefined ones left out) and only a record that exists and is not finished", async () => {
      const { db, assets } = setup();
      assert.equal(await assets.update(ID, { status: "PROGRESSING", jobId: undefined, progressPercent: 40 }), true);
      assert.deepEqual(db.inputs(UpdateCommand), [
        {
          TableName: "videos",
          Key: { videoId: ID },
          UpdateExpression: "SET #f0 = :v0, #f1 = :v1, #f2 = :v2",
          ConditionExpression: "attribute_exists(videoId) AND NOT (#status IN (:complete, :error))",
          ExpressionAttributeNames: { "#f0": "status", "#f1": "progressPercent", "#f2": "updatedAt", "#status": "status" },
          ExpressionAttributeValues: { ":complete": "COMPLETE", ":error": "ERROR", ":v0": "PROGRESSING", ":v1": 40, ":v2": NOW.toISOString() },
        },
      ]);
      assert.equal(await setup(() => Promise.reject(conditionFailed())).assets.update(ID, { status: "COMPLETE" }), false);
      await assert.rejects(setup(() => Promise.reject(new Error("throttled"))).assets.update(ID, { status: "COMPLETE" }), /throttled/);
    });

    it("finds unfinished records older than the cut-off across every page of the scan", async () => {
      const pages = [{ Items: [{ videoId: "a" }], LastEvaluatedKey: { videoId: "a" } }, { LastEvaluatedKey: { videoId: "b" } }, { Items: [{ videoId: "c" }] }];
      const { db, assets } = setup(() => pages.shift());
      assert.deepEqual(await assets.unfinishedOlderThan(60 * 60_000), [{ videoId: "a" }, { videoId: "c" }]);
      const scans = db.inputs(ScanCommand);
      assert.equal(scans.length, 3);
      assert.deepEqual(scans[0], {
        TableName: "videos",
        FilterExpression: "NOT (#status IN (:complete, :error)) AND updatedAt < :cutoff",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":complete": "COMPLETE", ":error": "ERROR", ":cutoff": "2026-12-02T09:00:00.000Z" },
        ExclusiveStartKey: undefined,
      });
      assert.deepEqual(
        scans.map((s) => s.ExclusiveStartKey),
        [undefined, { videoId: "a" }, { videoId: "b" }],
      );
    });

    it("builds its document client for the given region and endpoint, leaving absent optional fields out", async () => {
      const client = createDynamoDocumentClient("us-east-1", "http://127.0.0.1:8000");
      assert.equal(client.config.translateConfig?.marshallOptions?.removeUndefinedValues, true);
      assert.equal(await client.config.region(), "us-east-1");
      assert.equal((await client.config.endpoint!()).hostname, "127.0.0.1");
    });
  });

  describe("submitUpload: an uploaded original becomes one MediaConvert job", () => {
    const settings: SubmitSettings = { bucket: BUCKET, table: "videos", mediaConvertRoleArn: ROLE, maxUploadBytes: 1000, maxDurationSeconds: 3600, pipeline: "video" };
    const event = (key: string = KEY, size: unknown = 500, extra: Partial<ObjectCreatedEvent> = {}): ObjectCreatedEvent =>
      ({
        source: "aws.s3",
        "detail-type": "Object Created",
        detail: { bucket: { name: BUCKET }, object: size === "absent" ? { key } : { key, size } },
        ...extra,
      }) as ObjectCreatedEvent;
    const setup = (options: { contentType?: string; claimed?: boolean; existing?: Partial<VideoAsset>; jobId?: string } = {}) => {
      const db = fakeClient((c) => {
        if (c instanceof PutCommand && options.claimed === false) return Promise.reject(conditionFailed());
        if (c instanceof GetCommand) return { Item: options.existing };
        return {};
      });
      const s3 = fakeClient(() => ({ ContentType: "contentType" in options ? options.contentType : "video/mp4" }));
      const mediaConvert = fakeClient(() => ({ Job: "jobId" in options ? (options.jobId ? { Id: options.jobId } : {}) : { Id: "job-1" } }));
      return { db, s3, mediaConvert, run: (e: ObjectCreatedEvent) => submitUpload(e, settings, { s3, mediaConvert, assets: new VideoAssets(db, "videos", () => NOW) }) };
    };

    it("ignores events that are not an S3 object of the media bucket under uploads/<uuid>/<name>", async () => {
      const { run, db, s3 } = setup();
      const cases: [ObjectCreatedEvent, string][] = [
        [event(KEY, 500, { source: "aws.events" }), "not an S3 Object Created event"],
        [event(KEY, 500, { "detail-type": "Object Deleted" }), "not an S3 Object Created event"],
        [undefined as unknown as ObjectCreatedEvent, "not an S3 Object Created event"],
        [{ ...event(), detail: { bucket: { name: "other-bucket" }, object: { key: KEY } } }, "not an object of the media bucket"],
        [{ ...event(), detail: { bucket: { name: BUCKET }, object: {} } }, "not an object of the media bucket"],
        [event(`videos/${ID}/hls/index.m3u8`), "not a video upload key (uploads/<uuid>/<name>)"],
        [event(`uploads/${ID}/bad%E0.mp4`), "not a video upload key (uploads/<uuid>/<name>)"],
      ];
      for (const [e, reason] of cases) assert.deepEqual(await run(e), { outcome: "ignored", reason }, reason);
      assert.equal(db.sent.length + s3.sent.length, 0);
    });

    it("reads the key as S3 encodes it in events (percent-escapes)", async () => {
      const { run, s3 } = setup();
      const encoded = `uploads%2F${ID}%2Falgebra-lesson-1.mp4`;
      assert.equal((await run(event(encoded))).outcome, "submitted");
      assert.deepEqual(s3.inputs(HeadObjectCommand), [{ Bucket: BUCKET, Key: KEY }]);
    });

    it("refuses (and records) an upload over the limit or of unknown size, and transcodes one exactly at it", async () => {
      for (const [size, message] of [
        [1001, "the upload is 1001 bytes; at most 1000 are transcoded"],
        ["absent", "the upload is of unknown size; at most 1000 are transcoded"],
        ["lots", "the upload is of unknown size; at most 1000 are transcoded"],
      ] as const) {
        const { run, db, mediaConvert } = setup();
        assert.deepEqual(await run(event(KEY, size)), { outcome: "refused", videoId: ID, code: "TOO_LARGE", message });
        assert.deepEqual(db.inputs(PutCommand)[0].Item, {
          videoId: ID,
          status: "ERROR",
          sourceKey: KEY,
          createdAt: NOW.toISOString(),
          updatedAt: NOW.toISOString(),
          error: { code: "TOO_LARGE", message },
        });
        assert.equal(mediaConvert.sent.length, 0);
      }
      assert.equal((await setup().run(event(KEY, 1000))).outcome, "submitted");
    });

    it("refuses (and records) an object whose stored content type is not a video type", async () => {
      for (const [contentType, shown] of [
        ["image/png", '"image/png"'],
        ["text/html", '"text/html"'],
        [undefined, '"none"'],
      ] as const) {
        const { run, db, mediaConvert } = setup({ contentType });
        const message = `the upload's content type ${shown} is not a video type this site accepts`;
        assert.deepEqual(await run(event()), { outcome: "refused", videoId: ID, code: "NOT_A_VIDEO", message });
        assert.equal((db.inputs(PutCommand)[0].Item as VideoAsset).error?.code, "NOT_A_VIDEO");
        assert.equal(mediaConvert.sent.length, 0);
      }
    });

    it("starts one job for the video: its role, its settings, tagged with the video and pipeline, idempotent per video", async () => {
      const { run, db, mediaConvert } = setup();
      assert.deepEqual(await run(event()), { outcome: "submitted", videoId: ID, jobId: "job-1" });
      assert.deepEqual(mediaConvert.inputs(CreateJobCommand), [
        {
          Role: ROLE,
          Settings: jobSettings({ bucket: BUCKET, sourceKey: KEY, videoId: ID, maxDurationSeconds: 3600 }),
          UserMetadata: { videoId: ID, pipeline: "video" },
          ClientRequestToken: ID,
          StatusUpdateInterval: "SECONDS_60",
        },
      ]);
      const update = db.inputs(UpdateCommand)[0];
      assert.deepEqual(update.ExpressionAttributeValues, { ":complete": "COMPLETE", ":error": "ERROR", ":v0": "SUBMITTED", ":v1": "job-1", ":v2": NOW.toISOString() });
    });

    it("starts no job for a video already claimed, unless the claim is a SUBMITTING record without a job (a retry)", async () => {
      for (const existing of [{ status: "SUBMITTING", jobId: "job-0" }, { status: "SUBMITTED" }, { status: "ERROR" }, undefined] as Partial<VideoAsset>[]) {
        const { run, mediaConvert } = setup({ claimed: false, existing });
        assert.deepEqual(await run(event()), { outcome: "duplicate", videoId: ID }, JSON.stringify(existing));
        assert.equal(mediaConvert.sent.length, 0);
      }
      const retry = setup({ claimed: false, existing: { status: "SUBMITTING" } });
      assert.equal((await retry.run(event())).outcome, "submitted");
      assert.equal(retry.mediaConvert.sent.length, 1);
    });

    it("throws (so Lambda retries) when MediaConvert names no job", async () => {
      const { run, db } = setup({ jobId: undefined });
      await assert.rejects(run(event()), { message: `MediaConvert returned no job id for ${ID}` });
      assert.equal(db.inputs(UpdateCommand).length, 0);
    });

    it("reads its settings from the environment, naming a missing one", () => {
      const env = { MEDIA_BUCKET: BUCKET, VIDEO_TABLE: "videos", MEDIACONVERT_ROLE_ARN: ROLE, MAX_UPLOAD_BYTES: "1000", MAX_DURATION_SECONDS: "3600", PIPELINE_NAME: "video" };
      assert.deepEqual(submitSettingsFromEnvironment(env), settings);
      for (const name of Object.keys(env)) {
        assert.throws(() => submitSettingsFromEnvironment({ ...env, [name]: "" }), { message: `the submit function's environment has no ${name}` });
      }
    });
  });

  describe("applyJobState: MediaConvert's job state changes", () => {
    const settings = { pipeline: "video", bucket: BUCKET, maxDurationSeconds: 3600, topicArn: TOPIC };
    const setup = (updated = true) => {
      const db = fakeClient((c) => (c instanceof UpdateCommand && !updated ? Promise.reject(conditionFailed()) : {}));
      const sns = fakeClient();
      const cloudwatch = fakeClient();
      const written = () =>
        db.inputs(UpdateCommand).map((u) =>
          Object.fromEntries(
            Object.entries(u.ExpressionAttributeNames as Record<string, string>)
              .filter(([k]) => k.startsWith("#f"))
              .map(([k, name]) => [name, (u.ExpressionAttributeValues as Record<string, unknown>)[k.replace("#f", ":v")]]),
          ),
        );
      return { db, sns, cloudwatch, written, run: (e: JobStateChangeEvent) => applyJobState(e, settings, { assets: new VideoAssets(db, "videos", () => NOW), sns, cloudwatch }) };
    };
    const change = (detail: NonNullable<JobStateChangeEvent["detail"]>): JobStateChangeEvent => ({
      source: "aws.mediaconvert",
      detail: { jobId: "job-1", userMetadata: { videoId: ID, pipeline: "video" }, ...detail },
    });
    const hlsOutput = (height: number, width: number, durationInMs?: number, bucket = BUCKET) => ({
      outputFilePaths: [`s3://${bucket}/videos/${ID}/hls/index_${height}p.m3u8`],
      durationInMs,
      videoDetails: { widthInPx: width, heightInPx: height },
    });

    it("ignores events of other sources, other pipelines, and jobs without a valid video id", async () => {
      const { run, db } = setup();
      assert.deepEqual(await run({ source: "aws.s3", detail: {} }), { outcome: "ignored", reason: "not a MediaConvert job state change" });
      assert.deepEqual(await run({ source: "aws.mediaconvert" }), { outcome: "ignored", reason: "not a MediaConvert job state change" });
      assert.deepEqual(await run(undefined as unknown as JobStateChangeEvent), { outcome: "ignored", reason: "not a MediaConvert job state change" });
      assert.deepEqual(await run(change({ status: "COMPLETE", userMetadata: { videoId: ID, pipeline: "other" } })), { outcome: "ignored", reason: "a job of another pipeline" });
      assert.deepEqual(await run(change({ status: "COMPLETE", userMetadata: { pipeline: "video" } })), { outcome: "ignored", reason: "no video id in the job's metadata" });
      assert.deepEqual(await run(change({ status: "COMPLETE", userMetadata: { videoId: "../x", pipeline: "video" } })), {
        outcome: "ignored",
        reason: "no video id in the job's metadata",
      });
      assert.equal(db.sent.length, 0);
    });

    it("records PROGRESSING (and INPUT_INFORMATION) with the job id; stale when the record is finished", async () => {
      for (const status of ["PROGRESSING", "INPUT_INFORMATION"]) {
        const { run, written } = setup();
        assert.deepEqual(await run(change({ status })), { outcome: "updated", videoId: ID, status: "PROGRESSING" });
        assert.deepEqual(written(), [{ status: "PROGRESSING", jobId: "job-1", updatedAt: NOW.toISOString() }]);
        assert.deepEqual(await setup(false).run(change({ status })), { outcome: "stale", videoId: ID, status: "PROGRESSING" });
      }
    });

    it("records progress as a whole percentage between 0 and 100, and none when MediaConvert gives none", async () => {
      for (const [given, recorded] of [
        [42.6, 43],
        [-5, 0],
        [150, 100],
        [undefined, undefined],
        ["soon", undefined],
      ] as const) {
        const { run, written } = setup();
        assert.deepEqual(await run(change({ status: "STATUS_UPDATE", jobProgress: { jobPercentComplete: given as number } })), {
          outcome: "updated",
          videoId: ID,
          status: "PROGRESSING",
        });
        assert.equal(written()[0].progressPercent, recorded, String(given));
      }
      assert.equal((await setup(false).run(change({ status: "STATUS_UPDATE", jobProgress: { jobPercentComplete: 5 } }))).outcome, "stale");
    });

    it("on COMPLETE records the renditions (tallest first), playlist, poster and duration, and tells the app the video is ready", async () => {
      const { run, written, sns, cloudwatch } = setup();
      const detail = {
        status: "COMPLETE",
        outputGroupDetails: [
          {
            type: "HLS_GROUP",
            playlistFilePaths: [`s3://${BUCKET}/videos/${ID}/hls/index.m3u8`],
            outputDetails: [hlsOutput(720, 1280, 61_500), hlsOutput(1080, 1920, 61_000), hlsOutput(360, 640)],
          },
          {
            type: "FILE_GROUP",
            outputDetails: [{ outputFilePaths: [`s3://${BUCKET}/videos/${ID}/poster/poster.0000000.jpg`, `s3://${BUCKET}/videos/${ID}/poster/poster.0000001.jpg`] }],
          },
        ],
      };
      assert.deepEqual(await run(change(detail)), { outcome: "updated", videoId: ID, status: "COMPLETE" });
      const renditions = [
        { name: "1080p", width: 1920, height: 1080, playlistKey: `videos/${ID}/hls/index_1080p.m3u8` },
        { name: "720p", width: 1280, height: 720, playlistKey: `videos/${ID}/hls/index_720p.m3u8` },
        { name: "360p", width: 640, height: 360, playlistKey: `videos/${ID}/hls/index_360p.m3u8` },
      ];
      const ready = {
        status: "COMPLETE",
        progressPercent: 100,
        renditions,
        playlistKey: `videos/${ID}/hls/index.m3u8`,
        posterKey: `videos/${ID}/poster/poster.0000001.jpg`,
        durationMs: 61_500,
      };
      assert.deepEqual(written(), [{ ...ready, updatedAt: NOW.toISOString() }]);
      assert.deepEqual(sns.inputs(PublishCommand), [
        {
          TopicArn: TOPIC,
          Subject: "video.ready",
          Message: JSON.stringify({
            type: "video.ready",
            videoId: ID,
            status: "COMPLETE",
            playlistKey: ready.playlistKey,
            posterKey: ready.posterKey,
            durationMs: 61_500,
            renditions,
          }),
          MessageAttributes: { type: { DataType: "String", StringValue: "video.ready" } },
        },
      ]);
      assert.equal(cloudwatch.sent.length, 0, "a finished video is not a failure");
    });

    it("finds each group by its type in any order, skips empty entries, and takes the last poster of this bucket", () => {
      const outputs = completedOutputs(
        {
          outputGroupDetails: [
            null as never,
            {
              type: "FILE_GROUP",
              outputDetails: [null as never, { outputFilePaths: [`s3://${BUCKET}/videos/${ID}/poster/poster.0000000.jpg`, "s3://other-bucket/poster.jpg"] }, {}],
            },
            { type: "HLS_GROUP", outputDetails: [null as never, {}, hlsOutput(360, 640, 900)] },
          ],
        },
        BUCKET,
        ID,
      );
      assert.deepEqual(outputs, {
        renditions: [{ name: "360p", width: 640, height: 360, playlistKey: `videos/${ID}/hls/index_360p.m3u8` }],
        playlistKey: `videos/${ID}/hls/index.m3u8`,
        posterKey: `videos/${ID}/poster/poster.0000000.jpg`,
        durationMs: 900,
      });
    });

    it("reads only outputs of this bucket with a size, and falls back to the layout's playlist when MediaConvert names none", () => {
      const outputs = completedOutputs(
        {
          outputGroupDetails: [
            {
              type: "HLS_GROUP",
              outputDetails: [
                hlsOutput(720, 1280, 1000, "other-bucket"),
                { outputFilePaths: [`s3://${BUCKET}/videos/${ID}/hls/a.m3u8`], videoDetails: { heightInPx: 480 } },
                hlsOutput(540, 960, 2000),
              ],
            },
            { type: "FILE_GROUP", outputDetails: [{ outputFilePaths: ["s3://other-bucket/poster.jpg"] }] },
          ],
        },
        BUCKET,
        ID,
      );
      assert.deepEqual(outputs, {
        renditions: [{ name: "540p", width: 960, height: 540, playlistKey: `videos/${ID}/hls/index_540p.m3u8` }],
        playlistKey: `videos/${ID}/hls/index.m3u8`,
        posterKey: undefined,
        durationMs: 2000,
      });
      assert.deepEqual(completedOutputs({ outputGroupDetails: "none" as never }, BUCKET, ID), {
        renditions: [],
        playlistKey: `videos/${ID}/hls/index.m3u8`,
        posterKey: undefined,
        durationMs: undefined,
      });
    });

    it("records a video that reached the duration limit (less one second) as TOO_LONG, counts it as failed and tells the app", async () => {
      const { run, written, sns, cloudwatch } = setup();
      const limitMs = 3600 * 1000 - 1000;
      assert.deepEqual(await run(change({ status: "COMPLETE", outputGroupDetails: [{ type: "HLS_GROUP", outputDetails: [hlsOutput(720, 1280, limitMs)] }] })), {
        outcome: "updated",
        videoId: ID,
        status: "ERROR",
      });
      const error = { code: "TOO_LONG", message: "the video is longer than 60 minutes, the longest this site transcodes" };
      assert.deepEqual(written(), [{ status: "ERROR", error, durationMs: limitMs, updatedAt: NOW.toISOString() }]);
      assert.deepEqual(cloudwatch.inputs(PutMetricDataCommand), [
        { Namespace: "MPTO/Video", MetricData: [{ MetricName: "FailedJobs", Dimensions: [{ Name: "Pipeline", Value: "video" }], Value: 1, Unit: "Count" }] },
      ]);
      assert.equal(JSON.parse(sns.inputs(PublishCommand)[0].Message as string).type, "video.failed");
      assert.equal(sns.inputs(PublishCommand)[0].Subject, "video.failed");
      // A millisecond shorter is a finished video.
      assert.equal(
        (await setup().run(change({ status: "COMPLETE", outputGroupDetails: [{ type: "HLS_GROUP", outputDetails: [hlsOutput(720, 1280, limitMs - 1)] }] }))).status,
        "COMPLETE",
      );
    });

    it("on ERROR records MediaConvert's code and message (bounded), counts a failed job and tells the app; CANCELED likewise", async () => {
      const cases: [NonNullable<JobStateChangeEvent["detail"]>, { code: string; message: string }][] = [
        [
          { status: "ERROR", errorCode: 1010, errorMessage: "Unsupported codec" },
          { code: "TRANSCODE_FAILED", message: "MediaConvert error 1010: Unsupported codec" },
        ],
        [{ status: "ERROR" }, { code: "TRANSCODE_FAILED", message: "MediaConvert error unknown: no message" }],
        [
          { status: "ERROR", errorCode: 1030, errorMessage: "x".repeat(600) },
          { code: "TRANSCODE_FAILED", message: `MediaConvert error 1030: ${"x".repeat(500)}` },
        ],
        [
          { status: "CANCELED", errorMessage: "ignored" },
          { code: "CANCELED", message: "the job was canceled" },
        ],
      ];
      for (const [detail, error] of cases) {
        const { run, written, sns, cloudwatch } = setup();
        assert.deepEqual(await run(change(detail)), { outcome: "updated", videoId: ID, status: "ERROR" });
        assert.deepEqual(written(), [{ status: "ERROR", error, updatedAt: NOW.toISOString() }]);
        assert.equal(cloudwatch.inputs(PutMetricDataCommand).length, 1);
        assert.deepEqual(JSON.parse(sns.inputs(PublishCommand)[0].Message as string), { type: "video.failed", videoId: ID, status: "ERROR", error });
      }
    });

    it("tells nobody and counts nothing when the record was already finished", async () => {
      for (const status of ["COMPLETE", "ERROR", "CANCELED"]) {
        const { run, sns, cloudwatch } = setup(false);
        assert.deepEqual(await run(change({ status })), { outcome: "stale", videoId: ID, status });
        assert.equal(sns.sent.length + cloudwatch.sent.length, 0, status);
      }
    });

    it("ignores statuses that change nothing, naming them", async () => {
      const { run, db } = setup();
      assert.deepEqual(await run(change({ status: "NEW" })), { outcome: "ignored", videoId: ID, reason: "status NEW changes nothing" });
      assert.deepEqual(await run(change({})), { outcome: "ignored", videoId: ID, reason: "status missing changes nothing" });
      assert.equal(db.sent.length, 0);
    });
  });

  describe("countStuckJobs and the completion function's settings", () => {
    it("counts records unfinished for longer than the limit into MPTO/Video StuckJobs, zero included", async () => {
      for (const items of [[{ videoId: "a" }, { videoId: "b" }], []]) {
        const db = fakeClient(() => ({ Items: items }));
        const cloudwatch = fakeClient();
        const settings = { pipeline: "video", bucket: BUCKET, maxDurationSeconds: 3600, topicArn: TOPIC, stuckAfterMinutes: 30 };
        assert.equal(await countStuckJobs(settings, { assets: new VideoAssets(db, "videos", () => NOW), sns: fakeClient(), cloudwatch }), items.length);
        assert.equal((db.inputs(ScanCommand)[0].ExpressionAttributeValues as Record<string, string>)[":cutoff"], "2026-12-02T09:30:00.000Z");
        assert.deepEqual(cloudwatch.inputs(PutMetricDataCommand), [
          { Namespace: "MPTO/Video", MetricData: [{ MetricName: "StuckJobs", Dimensions: [{ Name: "Pipeline", Value: "video" }], Value: items.length, Unit: "Count" }] },
        ]);
      }
    });

    it("reads its settings from the environment: stuck after 60 minutes unless set, and names a missing one", () => {
      const env = { PIPELINE_NAME: "video", MEDIA_BUCKET: BUCKET, VIDEO_TABLE: "videos", VIDEO_EVENTS_TOPIC_ARN: TOPIC, MAX_DURATION_SECONDS: "3600" };
      assert.deepEqual(stateSettingsFromEnvironment(env), { pipeline: "video", bucket: BUCKET, table: "videos", topicArn: TOPIC, maxDurationSeconds: 3600, stuckAfterMinutes: 60 });
      assert.equal(stateSettingsFromEnvironment({ ...env, STUCK_AFTER_MINUTES: "15" }).stuckAfterMinutes, 15);
      for (const name of Object.keys(env)) {
        assert.throws(() => stateSettingsFromEnvironment({ ...env, [name]: undefined }), { message: `the completion function's environment has no ${name}` });
      }
    });
  });

  describe("the Lambda entry points", () => {
    const env = {
      AWS_REGION: "eu-west-2",
      MEDIA_BUCKET: BUCKET,
      VIDEO_TABLE: "videos",
      MEDIACONVERT_ROLE_ARN: ROLE,
      MAX_UPLOAD_BYTES: "1000",
      MAX_DURATION_SECONDS: "3600",
      PIPELINE_NAME: "video",
      VIDEO_EVENTS_TOPIC_ARN: TOPIC,
    };
    const saved = { ...process.env };
    let logged: string[];
    const log = console.log;
    beforeEach(() => {
      Object.assign(process.env, env);
      logged = [];
      console.log = (line: string) => void logged.push(line);
    });
    afterEach(() => {
      console.log = log;
      for (const name of Object.keys(env)) if (saved[name] === undefined) delete process.env[name];
      Object.assign(process.env, saved);
    });

    it("log one JSON line per event with what was decided (an ignored event needs no AWS call)", async () => {
      assert.deepEqual(await submitHandler({ source: "aws.s3", "detail-type": "Object Created", detail: { bucket: { name: "elsewhere" }, object: { key: KEY } } }), {
        outcome: "ignored",
        reason: "not an object of the media bucket",
      });
      assert.deepEqual(await stateHandler({ source: "aws.mediaconvert", detail: { userMetadata: { pipeline: "other" } } }), {
        outcome: "ignored",
        reason: "a job of another pipeline",
      });
      assert.deepEqual(
        logged.map((l) => JSON.parse(l)),
        [
          { message: "video upload", outcome: "ignored", reason: "not an object of the media bucket" },
          { message: "video job state", outcome: "ignored", reason: "a job of another pipeline" },
        ],
      );
    });

    it("refuse to run without their environment", async () => {
      delete process.env.MEDIA_BUCKET;
      await assert.rejects(submitHandler({}), { message: "the submit function's environment has no MEDIA_BUCKET" });
      await assert.rejects(stateHandler({}), { message: "the completion function's environment has no MEDIA_BUCKET" });
    });
  });
});
