import assert from "node:assert/strict";
import { S3Client } from "@aws-sdk/client-s3";
import { createUploadUrl, UploadOptions } from "../../../functions/media/createUploadUrl";
import { MediaConfigError, MediaInputError, MediaServiceError } from "../../../functions/media/errors";
import { decodePolicy, expectedSignature } from "../../support/postPolicy";
import { rejection } from "../../support/rejection";

/**
 * The presigned POST form in-process (no emulator): what the signed policy pins, the limits of
 * every setting at their boundaries, and each refusal of the declared size with its message.
 * createUploadUrl.spec.ts posts such forms to s3rver.
 */

const BUCKET = "mpto-media";
const SECRET = "test-secret-key";
const ID = "0b7e2a7c-54b1-4d5e-9c3f-2a1b0c9d8e7f";
const S3_POST_LIMIT = 5 * 1024 ** 3;

describe("createUploadUrl: the presigned POST form (in-process)", () => {
  const s3 = new S3Client({ region: "eu-west-2", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: SECRET } });
  const options: UploadOptions = { s3, bucket: BUCKET, maxVideoBytes: 10_000, maxImageBytes: 1000, newId: () => ID };
  const video = { fileName: "Lesson 1.mp4", contentType: "video/mp4", size: 1234 };
  after(() => s3.destroy());

  it("signs a policy with exactly these conditions: bucket, key, content type, storage class, 201, and the declared size as both ends of the range", async () => {
    const form = await createUploadUrl(video, options);
    const { conditions } = decodePolicy(form.fields);
    const pinned = conditions.filter((c) => !Array.isArray(c) && !Object.keys(c).some((k) => k.startsWith("X-Amz-")));
    assert.deepEqual(pinned, [
      { "Content-Type": "video/mp4" },
      { "x-amz-storage-class": "INTELLIGENT_TIERING" },
      { success_action_status: "201" },
      { bucket: BUCKET },
      { key: `uploads/${ID}/lesson-1.mp4` },
    ]);
    assert.deepEqual(
      conditions.filter((c) => Array.isArray(c)),
      [["content-length-range", 1234, 1234]],
    );
    assert.equal(form.fields["X-Amz-Signature"], expectedSignature(form.fields, SECRET));
  });

  it("answers the form's fields, the bucket's URL, the key, the type and the one size S3 will take", async () => {
    const form = await createUploadUrl({ fileName: "Photo.PNG", contentType: "image/png", size: 500 }, options);
    assert.equal(form.url, `https://${BUCKET}.s3.eu-west-2.amazonaws.com/`);
    assert.equal(form.key, `images/${ID}/photo.png`);
    assert.equal(form.contentType, "image/png");
    assert.equal(form.maxBytes, 500, "the declared size, not the kind's limit");
    assert.equal(form.fields.key, form.key);
    assert.equal(form.fields["Content-Type"], "image/png");
    assert.equal(form.fields["x-amz-storage-class"], "INTELLIGENT_TIERING");
    assert.equal(form.fields.success_action_status, "201");
  });

  for (const [expiresInSeconds, seconds] of [
    [undefined, 300],
    [10, 10],
    [3600, 3600],
  ] as const) {
    it(`expires ${seconds} s after it is made${expiresInSeconds === undefined ? " by default" : ""}, and says when`, async () => {
      const before = Date.now();
      const form = await createUploadUrl(video, { ...options, expiresInSeconds });
      const after = Date.now();
      const expiresAt = new Date(form.expiresAt).getTime();
      assert.ok(expiresAt >= before + seconds * 1000 && expiresAt <= after + seconds * 1000, `expiresAt ${form.expiresAt}`);
      const expiration = new Date(decodePolicy(form.fields).expiration).getTime();
      assert.ok(Math.abs(expiration - expiresAt) < 1000, `policy expiration ${decodePolicy(form.fields).expiration}`);
    });
  }

  it("takes a file of exactly the kind's limit and refuses one byte more with 413 TOO_LARGE, naming the limit", async () => {
    assert.equal((await createUploadUrl({ ...video, size: 10_000 }, options)).maxBytes, 10_000);
    assert.equal((await createUploadUrl({ fileName: "a.png", contentType: "image/png", size: 1000 }, options)).maxBytes, 1000);
    for (const [request, limit] of [
      [{ ...video, size: 10_001 }, 10_000],
      [{ fileName: "a.png", contentType: "image/png", size: 1001 }, 1000],
    ] as const) {
      const error = await rejection(createUploadUrl(request, options));
      assert.ok(error instanceof MediaInputError);
      assert.deepEqual([error.code, error.status, error.message], ["TOO_LARGE", 413, `the file is larger than ${limit} bytes`]);
    }
  });

  it("refuses a size that is not a whole number of bytes, and an empty file, with fixed messages", async () => {
    for (const size of [-1, 1.5, "1000", Number.NaN, undefined, null, 2 ** 53]) {
      const error = await rejection(createUploadUrl({ ...video, size }, options));
      assert.ok(error instanceof MediaInputError, String(size));
      assert.deepEqual([error.code, error.status, error.message], ["INVALID_SIZE", 400, "size must be a whole number of bytes"], String(size));
    }
    const empty = await rejection(createUploadUrl({ ...video, size: 0 }, options));
    assert.ok(empty instanceof MediaInputError);
    assert.deepEqual([empty.code, empty.status, empty.message], ["EMPTY_FILE", 400, "the file is empty"]);
  });

  it("refuses a missing request as an unsupported type", async () => {
    const error = await rejection(createUploadUrl(undefined as never, options));
    assert.ok(error instanceof MediaInputError);
    assert.deepEqual([error.code, error.message], ["UNSUPPORTED_TYPE", "content type must be a string"]);
  });

  describe("settings", () => {
    const config = async (change: Partial<UploadOptions>, message: string) => {
      const error = await rejection(createUploadUrl(video, { ...options, ...change }));
      assert.ok(error instanceof MediaConfigError, `${JSON.stringify(change)}: ${String(error)}`);
      assert.deepEqual([error.code, error.status, error.message], ["MEDIA_CONFIG", 500, message], JSON.stringify(change));
    };

    it("takes bucket names of 3 to 63 lower-case letters, digits, dots and dashes, starting and ending with a letter or digit", async () => {
      for (const bucket of ["abc", "a.b-c", `a${"b".repeat(61)}c`]) {
        const { conditions } = decodePolicy((await createUploadUrl(video, { ...options, bucket })).fields);
        assert.ok(
          conditions.some((c) => !Array.isArray(c) && c.bucket === bucket),
          bucket,
        );
      }
      for (const bucket of ["ab", `a${"b".repeat(62)}c`, "-abc", "abc-", "Abc", "ab_c", "abc/x", "x/abc", "abc\n", "", 42, { toString: () => BUCKET }]) {
        await config({ bucket: bucket as string }, "bucket must be an S3 bucket name");
      }
    });

    it("takes size limits from 1 byte to S3's 5 GiB POST limit", async () => {
      for (const limit of [1, S3_POST_LIMIT]) {
        await createUploadUrl({ ...video, size: 1 }, { ...options, maxVideoBytes: limit, maxImageBytes: limit });
      }
      for (const name of ["maxVideoBytes", "maxImageBytes"] as const) {
        for (const limit of [0, -1, 1.5, S3_POST_LIMIT + 1, Number.NaN, "1000"]) {
          await config({ [name]: limit }, `${name} must be a whole number of bytes from 1 to ${S3_POST_LIMIT}`);
        }
      }
    });

    it("takes expiries from 10 to 3600 seconds", async () => {
      for (const expiresInSeconds of [9, 3601, 10.5, 0]) await config({ expiresInSeconds }, "expiresInSeconds must be a whole number from 10 to 3600");
    });

    it("refuses ids that are not lower-case version 4 UUIDs", async () => {
      await config({ newId: () => ID.toUpperCase() }, "upload ids must be lower-case version 4 UUIDs");
    });

    it("reports a signing failure as MediaServiceError PRESIGN_FAILED (503), with the cause kept for logs", async () => {
      const cause = new Error("no credentials in this environment");
      const noCredentials = new S3Client({
        region: "eu-west-2",
        credentials: async () => {
          throw cause;
        },
      });
      const error = await rejection(createUploadUrl(video, { ...options, s3: noCredentials }));
      noCredentials.destroy();
      assert.ok(error instanceof MediaServiceError);
      assert.deepEqual([error.code, error.status, error.message, error.cause], ["PRESIGN_FAILED", 503, "could not sign the upload form", cause]);
    });
  });
});
