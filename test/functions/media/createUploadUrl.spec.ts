import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutBucketCorsCommand, S3Client } from "@aws-sdk/client-s3";
import { MediaBucket } from "../../../components/media/MediaBucket";
import { createUploadUrl, UploadForm, UploadOptions } from "../../../functions/media/createUploadUrl";
import { MediaConfigError, MediaInputError, MediaServiceError } from "../../../functions/media/errors";
import { declare, named } from "../../support/harness";
import { decodePolicy, expectedSignature, postPolicyViolations } from "../../support/postPolicy";
import { S3RVER_SECRET, S3rver, s3rverClient, startS3rver } from "../../support/s3rver";
import { rejection } from "../../support/rejection";

const BUCKET = "mpto-media-test";
const SITE = "dev.myprivatetutoronline.com";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MAX_VIDEO = 256 * 1024;
const MAX_IMAGE = 4096;

/** Posts the form the way a browser does: every field, then the file last. */
async function submit(form: Pick<UploadForm, "url" | "fields">, body: Buffer, fileType: string, origin?: string): Promise<Response> {
  const data = new FormData();
  for (const [name, value] of Object.entries(form.fields)) data.append(name, value);
  data.append("file", new Blob([body], { type: fileType }), "upload.bin");
  return fetch(form.url, { method: "POST", body: data, headers: origin ? { Origin: origin } : {}, signal: AbortSignal.timeout(5000) });
}

describe("createUploadUrl: presigned POST against s3rver on 127.0.0.1", () => {
  let s3rver: S3rver;
  let s3: S3Client;
  let options: UploadOptions;

  before(async () => {
    s3rver = await startS3rver();
    s3 = s3rverClient(s3rver.endpoint);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    // The bucket's CORS rules are the ones MediaBucket declares for this site (read under mocks).
    const declared = await declare(() => new MediaBucket("media", { siteHostnames: [SITE] }));
    const rules = named(declared, "media-cors").inputs.corsRules as Record<string, any>[];
    await s3.send(
      new PutBucketCorsCommand({
        Bucket: BUCKET,
        CORSConfiguration: {
          CORSRules: rules.map((r) => ({ ID: r.id, AllowedMethods: r.allowedMethods, AllowedOrigins: r.allowedOrigins, AllowedHeaders: r.allowedHeaders, ExposeHeaders: r.exposeHeaders, MaxAgeSeconds: r.maxAgeSeconds })),
        },
      }),
    );
    options = { s3, bucket: BUCKET, maxVideoBytes: MAX_VIDEO, maxImageBytes: MAX_IMAGE };
  });

  after(async () => {
    s3?.destroy();
    await s3rver?.stop();
  });

  it("uploads a video through the form to a server-chosen key and reads the same bytes back", async () => {
    const body = randomBytes(64 * 1024);
    const form = await createUploadUrl({ fileName: "Algebra lesson 1.mp4", contentType: "video/mp4", size: body.length }, options);
    assert.match(form.key, /^uploads\/[0-9a-f-]{36}\/algebra-lesson-1\.mp4$/);
    assert.match(form.key.split("/")[1], UUID);
    assert.equal(form.url, `${s3rver.endpoint}/${BUCKET}`);

    const response = await submit(form, body, "video/mp4");
    assert.equal(response.status, 201);
    assert.match(await response.text(), new RegExp(`<Key>${form.key}</Key>`));

    const stored = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: form.key }));
    assert.equal(stored.ContentType, "video/mp4");
    assert.deepEqual(Buffer.from(await stored.Body!.transformToByteArray()), body);
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: form.key }));
    assert.equal(head.StorageClass, "INTELLIGENT_TIERING");
  });

  it("uploads an image under images/ with its canonical extension", async () => {
    const body = randomBytes(1000);
    const form = await createUploadUrl({ fileName: "Certificate.JPEG", contentType: "image/jpeg", size: body.length }, options);
    assert.match(form.key, /^images\/[0-9a-f-]{36}\/certificate\.jpg$/);
    assert.equal(form.maxBytes, body.length, "the form admits the declared size only");
    assert.equal((await submit(form, body, "image/jpeg")).status, 201);
    const stored = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: form.key }));
    assert.equal(stored.ContentType, "image/jpeg");
    assert.equal(stored.ContentLength, body.length);
  });

  it("gives every upload a new key, even for the same file name", async () => {
    const a = await createUploadUrl({ fileName: "same.mp4", contentType: "video/mp4", size: 10 }, options);
    const b = await createUploadUrl({ fileName: "same.mp4", contentType: "video/mp4", size: 10 }, options);
    assert.notEqual(a.key, b.key);
  });

  describe("CORS (the rules MediaBucket declares, applied to s3rver)", () => {
    it("lets the site's https origin POST and read the response", async () => {
      const body = randomBytes(100);
      const form = await createUploadUrl({ fileName: "x.webp", contentType: "image/webp", size: body.length }, options);
      const response = await submit(form, body, "image/webp", `https://${SITE}`);
      assert.equal(response.status, 201);
      assert.equal(response.headers.get("access-control-allow-origin"), `https://${SITE}`);
      assert.match(response.headers.get("access-control-expose-headers") ?? "", /ETag/);
    });

    it("answers a preflight for POST from the site and refuses other origins and methods", async () => {
      const preflight = (origin: string, method: string) =>
        fetch(`${s3rver.endpoint}/${BUCKET}`, { method: "OPTIONS", headers: { Origin: origin, "Access-Control-Request-Method": method }, signal: AbortSignal.timeout(5000) });
      assert.equal((await preflight(`https://${SITE}`, "POST")).status, 200);
      assert.equal((await preflight("https://evil.example", "POST")).status, 403);
      assert.equal((await preflight(`http://${SITE}`, "POST")).status, 403, "plain http origin");
      assert.equal((await preflight(`https://${SITE}`, "PUT")).status, 403);
      assert.equal((await preflight(`https://${SITE}`, "DELETE")).status, 403);
    });
  });

  describe("the signed policy (what S3 enforces; s3rver does not)", () => {
    let form: UploadForm;
    const size = 2000;
    before(async () => {
      form = await createUploadUrl({ fileName: "photo.png", contentType: "image/png", size }, options);
    });

    it("pins bucket, key, content type, storage class and exactly the declared size, and expires in 5 minutes", () => {
      const policy = decodePolicy(form.fields);
      const conditions = policy.conditions.map((c) => JSON.stringify(c));
      for (const wanted of [
        { bucket: BUCKET },
        { key: form.key },
        { "Content-Type": "image/png" },
        { "x-amz-storage-class": "INTELLIGENT_TIERING" },
        ["content-length-range", size, size],
      ]) {
        assert.ok(conditions.includes(JSON.stringify(wanted)), `policy has ${JSON.stringify(wanted)}`);
      }
      const ttl = new Date(policy.expiration).getTime() - Date.now();
      assert.ok(ttl > 290_000 && ttl <= 300_000, `expires in about 300 s (got ${ttl} ms)`);
      assert.ok(Math.abs(new Date(form.expiresAt).getTime() - new Date(policy.expiration).getTime()) < 2000);
    });

    it("carries a SigV4 signature that an independent HMAC computation over the policy reproduces", () => {
      assert.equal(form.fields["X-Amz-Algorithm"], "AWS4-HMAC-SHA256");
      assert.match(form.fields["X-Amz-Credential"], /^S3RVER\/\d{8}\/eu-west-2\/s3\/aws4_request$/);
      assert.equal(form.fields["X-Amz-Signature"], expectedSignature(form.fields, S3RVER_SECRET));
      assert.notEqual(form.fields["X-Amz-Signature"], expectedSignature(form.fields, "another-secret"));
    });

    it("accepts the form as issued", () => {
      assert.deepEqual(postPolicyViolations(form.fields, size, S3RVER_SECRET, new Date()), []);
    });

    it("refuses a file one byte larger or smaller than declared, one at the type's maximum, and an empty file", () => {
      for (const actual of [size + 1, size - 1, MAX_IMAGE, 0]) {
        assert.deepEqual(postPolicyViolations(form.fields, actual, S3RVER_SECRET, new Date()), [`file size ${actual} outside content-length-range [${size}, ${size}]`], `a ${actual}-byte file`);
      }
      const conditions = decodePolicy(form.fields).conditions.filter((c) => Array.isArray(c) && c[0] === "content-length-range");
      assert.equal(conditions.length, 1, "one size condition, so no looser one can widen it");
    });

    it("refuses another content type, another key, an added ACL field, a tampered signature and an expired form", () => {
      const now = new Date();
      const check = (change: Record<string, string>, at = now) => postPolicyViolations({ ...form.fields, ...change }, size, S3RVER_SECRET, at);
      assert.deepEqual(check({ "Content-Type": "text/html" }), ['Content-Type must equal "image/png"']);
      assert.deepEqual(check({ key: "images/../../index.html" }), [`key must equal ${JSON.stringify(form.key)}`]);
      assert.deepEqual(check({ acl: "public-read" }), ["field acl is not allowed by the policy"]);
      assert.deepEqual(check({ "X-Amz-Signature": "0".repeat(64) }), ["signature does not match the policy"]);
      assert.deepEqual(check({}, new Date(now.getTime() + 301_000)), ["policy expired"]);
    });

    it("s3rver itself stores an oversize upload of the wrong type: the emulator enforces neither POST policies nor signatures", async () => {
      // Recorded so nobody mistakes the emulator for a witness of the policy: real S3 answers
      // 400 EntityTooLarge / 403 AccessDenied here (documented, not verifiable on this machine).
      const body = randomBytes(MAX_IMAGE + 1);
      const tampered = { ...form.fields, "Content-Type": "text/html", "X-Amz-Signature": "0".repeat(64) };
      const response = await submit({ url: form.url, fields: tampered }, body, "text/html");
      assert.equal(response.status, 201);
      const stored = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: form.key }));
      assert.equal(stored.ContentLength, MAX_IMAGE + 1);
      assert.equal(stored.ContentType, "text/html");
    });
  });
});

describe("createUploadUrl: refusing bad input (typed errors)", () => {
  // No emulator needed: every refusal happens before anything is signed.
  const s3 = new S3Client({ region: "eu-west-2", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } });
  const options: UploadOptions = { s3, bucket: BUCKET, maxVideoBytes: MAX_VIDEO, maxImageBytes: MAX_IMAGE };
  const ok = { fileName: "lesson.mp4", contentType: "video/mp4", size: 1000 };
  after(() => s3.destroy());

  async function refused(request: Record<string, unknown>, o: UploadOptions = options): Promise<MediaInputError> {
    const error = await rejection(createUploadUrl({ ...ok, ...request } as never, o));
    assert.ok(error instanceof MediaInputError, `expected MediaInputError, got ${String(error)}`);
    return error;
  }

  const badNames: [string, unknown, string][] = [
    ["a relative path", "../../etc/passwd.mp4", "PATH_TRAVERSAL"],
    ["a folder", "videos/clip.mp4", "PATH_TRAVERSAL"],
    ["a Windows path", "C:\\Users\\me\\clip.mp4", "PATH_TRAVERSAL"],
    ["a parent segment on its own", "..", "PATH_TRAVERSAL"],
    ["percent-encoded traversal", "%2e%2e%2fclip.mp4", "PATH_TRAVERSAL"],
    ["a NUL byte", "clip\u0000.mp4", "CONTROL_CHARACTER"],
    ["a newline (header injection)", "clip\r\nX-Evil: 1.mp4", "CONTROL_CHARACTER"],
    ["DEL", "clip\u007f.mp4", "CONTROL_CHARACTER"],
    ["a C1 control", "clip\u0085.mp4", "CONTROL_CHARACTER"],
    ["a line separator", "clip\u2028.mp4", "CONTROL_CHARACTER"],
    ["a right-to-left override (4pm.exe shown as exe.mp4)", "clip\u202E4pm.mp4", "UNICODE_TRICK"],
    ["a zero-width space", "cl\u200Bip.mp4", "UNICODE_TRICK"],
    ["a byte order mark", "\uFEFFclip.mp4", "UNICODE_TRICK"],
    ["a full-width solidus (NFKC folds it to /)", "a\uFF0Fb.mp4", "UNICODE_TRICK"],
    ["a division slash look-alike", "a\u2215b.mp4", "UNICODE_TRICK"],
    ["a lone surrogate", "clip\uD800.mp4", "UNICODE_TRICK"],
    ["a private-use character", "clip\uE000.mp4", "UNICODE_TRICK"],
    ["an empty name", "", "EMPTY_NAME"],
    ["only spaces", "   ", "EMPTY_NAME"],
    ["a 256-character name", `${"a".repeat(252)}.mp4`, "NAME_TOO_LONG"],
    ["a number", 42, "INVALID_NAME"],
    ["an extension of another type", "clip.html", "TYPE_MISMATCH"],
    ["an image extension for a video", "clip.png", "TYPE_MISMATCH"],
  ];
  for (const [what, fileName, code] of badNames) {
    it(`refuses a file name with ${what} (${code})`, async () => {
      const error = await refused({ fileName });
      assert.equal(error.code, code);
      assert.equal(error.status, 400);
      if (typeof fileName === "string" && fileName.length > 3) assert.ok(!error.message.includes(fileName), "the message does not repeat the input");
    });
  }

  for (const contentType of ["text/html", "image/svg+xml", "application/octet-stream", "application/x-msdownload", "video/mp4; codecs=avc1", "", "video/*", undefined, 7]) {
    it(`refuses the content type ${JSON.stringify(contentType)} (UNSUPPORTED_TYPE)`, async () => {
      assert.equal((await refused({ contentType })).code, "UNSUPPORTED_TYPE");
    });
  }

  it("accepts content types case-insensitively and with surrounding spaces", async () => {
    const form = await createUploadUrl({ ...ok, contentType: " Video/MP4 " }, options);
    assert.equal(form.contentType, "video/mp4");
  });

  it("refuses an empty file (EMPTY_FILE)", async () => {
    assert.equal((await refused({ size: 0 })).code, "EMPTY_FILE");
  });

  for (const size of [-1, 1.5, "1000", Number.NaN, Number.POSITIVE_INFINITY, undefined, 2 ** 60]) {
    it(`refuses the size ${String(size)} (INVALID_SIZE)`, async () => {
      assert.equal((await refused({ size })).code, "INVALID_SIZE");
    });
  }

  it("refuses a video over the video limit with 413 TOO_LARGE, and applies the smaller image limit to images", async () => {
    const video = await refused({ size: MAX_VIDEO + 1 });
    assert.equal(video.code, "TOO_LARGE");
    assert.equal(video.status, 413);
    await createUploadUrl({ ...ok, size: MAX_VIDEO }, options);
    assert.equal((await refused({ fileName: "a.png", contentType: "image/png", size: MAX_IMAGE + 1 })).code, "TOO_LARGE");
  });

  it("refuses a missing request body without crashing", async () => {
    const error = await rejection(createUploadUrl(undefined as never, options));
    assert.ok(error instanceof MediaInputError);
  });

  describe("safe names", () => {
    const cases: [string, string, string][] = [
      ["Résumé Vidéo (final).MP4", "video/mp4", "resume-video-final.mp4"],
      ["lesson", "video/mp4", "lesson.mp4"],
      ["photo.JPEG", "image/jpeg", "photo.jpg"],
      ["光の授業.webm", "video/webm", "file.webm"],
      ["  --weird__name..  .mov", "video/quicktime", "weird-name.mov"],
      ["<img src=x onerror=alert(1)>.png", "image/png", "img-src-x-onerror-alert-1.png"],
      [`${"x".repeat(200)}.mp4`, "video/mp4", `${"x".repeat(80)}.mp4`],
    ];
    for (const [fileName, contentType, safe] of cases) {
      it(`${JSON.stringify(fileName)} is stored as ${safe}`, async () => {
        const form = await createUploadUrl({ fileName, contentType, size: 10 }, options);
        assert.equal(form.key.split("/")[2], safe);
      });
    }
  });

  describe("settings", () => {
    it("refuses a bad bucket name, limit, expiry or id source with MediaConfigError", async () => {
      for (const broken of [
        { bucket: "Not_A_Bucket" },
        { maxVideoBytes: 0 },
        { maxImageBytes: 6 * 1024 ** 3 },
        { expiresInSeconds: 5 },
        { expiresInSeconds: 7200 },
        { newId: () => "../../x" },
      ]) {
        const error = await rejection(createUploadUrl(ok, { ...options, ...broken }));
        assert.ok(error instanceof MediaConfigError, JSON.stringify(Object.keys(broken)));
        assert.equal(error.code, "MEDIA_CONFIG");
      }
    });

    it("uses the injected id source for the key", async () => {
      const form = await createUploadUrl(ok, { ...options, newId: () => "0b7e2a7c-54b1-4d5e-9c3f-2a1b0c9d8e7f" });
      // Video originals go to uploads/, the only prefix the video pipeline's upload rule matches.
      assert.equal(form.key, "uploads/0b7e2a7c-54b1-4d5e-9c3f-2a1b0c9d8e7f/lesson.mp4");
    });

    it("reports a signing failure (no credentials) as MediaServiceError PRESIGN_FAILED", async () => {
      const noCredentials = new S3Client({
        region: "eu-west-2",
        credentials: async () => {
          throw new Error("no credentials in this environment");
        },
      });
      const error = await rejection(createUploadUrl(ok, { ...options, s3: noCredentials }));
      noCredentials.destroy();
      assert.ok(error instanceof MediaServiceError);
      assert.equal(error.code, "PRESIGN_FAILED");
    });
  });
});
