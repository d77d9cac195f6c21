import assert from "node:assert/strict";
import { generateKeyPairSync, KeyObject, verify } from "node:crypto";
import { S3Client } from "@aws-sdk/client-s3";
import { createPlaybackUrl, PlaybackOptions } from "../../../functions/media/createPlaybackUrl";
import { createUploadUrl } from "../../../functions/media/createUploadUrl";
import { MediaConfigError, MediaInputError, MediaServiceError } from "../../../functions/media/errors";
import { undersizedRsaKeyPem } from "../../support/rsaKeys";

const DOMAIN = "www.myprivatetutoronline.com";
const KEY_PAIR_ID = "K2JCJMDEHXQW5F";
const ID = "3f1c2b4a-9d8e-4f7a-8b6c-5d4e3f2a1b0c";
const VIDEO = `videos/${ID}/algebra-lesson-1.mp4`;
const NOW = new Date("2026-11-25T12:00:00.400Z");

/** CloudFront's URL-safe base64: + -> -, = -> _, / -> ~. */
function fromCloudFrontBase64(value: string): Buffer {
  return Buffer.from(value.replace(/-/g, "+").replace(/_/g, "=").replace(/~/g, "/"), "base64");
}

/**
 * Checks a canned-policy signed URL the way CloudFront documents it: rebuild the policy statement
 * from the URL (without the signing parameters) and the Expires value, then verify the RSA signature
 * with the public key of the trusted key group.
 */
function verifySignedUrl(signed: string, publicKey: KeyObject): { resource: string; expires: number; valid: boolean; algorithm: string } {
  const url = new URL(signed);
  const params = Object.fromEntries(url.searchParams);
  const resource = `${url.origin}${url.pathname}`;
  const expires = Number(params.Expires);
  const policy = `{"Statement":[{"Resource":"${resource}","Condition":{"DateLessThan":{"AWS:EpochTime":${expires}}}}]}`;
  const algorithm = params["Hash-Algorithm"] === "SHA256" ? "sha256" : "sha1";
  const valid = verify(algorithm, Buffer.from(policy), publicKey, fromCloudFrontBase64(params.Signature));
  return { resource, expires, valid, algorithm };
}

describe("createPlaybackUrl: CloudFront signed URLs (signature checked with node:crypto)", () => {
  const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const other = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const privatePem = pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const options: PlaybackOptions = { domain: DOMAIN, keyPairId: KEY_PAIR_ID, privateKey: privatePem, now: () => NOW };

  it("signs the exact media URL with a canned policy that the public key verifies (SHA-256 by default)", () => {
    const result = createPlaybackUrl(VIDEO, options);
    const url = new URL(result.url);
    assert.equal(url.origin, `https://${DOMAIN}`);
    assert.equal(url.pathname, `/media/${VIDEO}`);
    assert.deepEqual([...url.searchParams.keys()].sort(), ["Expires", "Hash-Algorithm", "Key-Pair-Id", "Signature"]);
    assert.equal(url.searchParams.get("Key-Pair-Id"), KEY_PAIR_ID);
    assert.equal(url.searchParams.get("Hash-Algorithm"), "SHA256");
    const check = verifySignedUrl(result.url, pair.publicKey);
    assert.equal(check.valid, true);
    assert.equal(check.resource, `https://${DOMAIN}/media/${VIDEO}`);
    assert.equal(result.key, VIDEO);
  });

  it("expires one hour after now by default, on a whole second, and says when", () => {
    const result = createPlaybackUrl(VIDEO, options);
    const expected = Math.floor(NOW.getTime() / 1000) + 3600;
    assert.equal(Number(new URL(result.url).searchParams.get("Expires")), expected);
    assert.equal(result.expiresAt, new Date(expected * 1000).toISOString());
  });

  it("honours a shorter expiry", () => {
    const result = createPlaybackUrl(VIDEO, { ...options, expiresInSeconds: 300 });
    assert.equal(verifySignedUrl(result.url, pair.publicKey).expires, Math.floor(NOW.getTime() / 1000) + 300);
  });

  it("does not verify with another key, for another path or with a later expiry", () => {
    const signed = createPlaybackUrl(VIDEO, options).url;
    assert.equal(verifySignedUrl(signed, other.publicKey).valid, false);
    const otherPath = signed.replace("algebra-lesson-1.mp4", "secret-exam.mp4");
    assert.equal(verifySignedUrl(otherPath, pair.publicKey).valid, false);
    const later = signed.replace(/Expires=\d+/, (m) => `Expires=${Number(m.slice(8)) + 86400}`);
    assert.equal(verifySignedUrl(later, pair.publicKey).valid, false);
  });

  it("puts the key under the Cdn's configured media path prefix", () => {
    const result = createPlaybackUrl(VIDEO, { ...options, pathPrefix: "/assets" });
    assert.equal(new URL(result.url).pathname, `/assets/${VIDEO}`);
    assert.equal(verifySignedUrl(result.url, pair.publicKey).resource, `https://${DOMAIN}/assets/${VIDEO}`);
  });

  it("can sign with SHA-1 (CloudFront's legacy default) when asked", () => {
    const result = createPlaybackUrl(VIDEO, { ...options, hashAlgorithm: "SHA1" });
    assert.equal(new URL(result.url).searchParams.get("Hash-Algorithm"), null);
    const check = verifySignedUrl(result.url, pair.publicKey);
    assert.equal(check.algorithm, "sha1");
    assert.equal(check.valid, true);
  });

  it("accepts a Buffer private key and image keys", () => {
    const result = createPlaybackUrl(`images/${ID}/certificate.jpg`, { ...options, privateKey: Buffer.from(privatePem) });
    assert.equal(verifySignedUrl(result.url, pair.publicKey).valid, true);
  });

  it("plays back exactly the image key createUploadUrl issued", async () => {
    const s3 = new S3Client({ region: "eu-west-2", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } });
    const form = await createUploadUrl({ fileName: "Week 3 – Fractions.png", contentType: "image/png", size: 500 }, { s3, bucket: "mpto-media", maxVideoBytes: 10_000, maxImageBytes: 1000 });
    s3.destroy();
    const result = createPlaybackUrl(form.key, options);
    assert.equal(new URL(result.url).pathname, `/media/${form.key}`);
    assert.equal(verifySignedUrl(result.url, pair.publicKey).valid, true);
  });

  it("never signs a video original: uploads/ is the pipeline's input, not a media folder", async () => {
    const s3 = new S3Client({ region: "eu-west-2", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } });
    const form = await createUploadUrl({ fileName: "Week 3 – Fractions.webm", contentType: "video/webm", size: 5000 }, { s3, bucket: "mpto-media", maxVideoBytes: 10_000, maxImageBytes: 1000 });
    s3.destroy();
    assert.match(form.key, /^uploads\//);
    assert.throws(() => createPlaybackUrl(form.key, options), (e: MediaInputError) => e instanceof MediaInputError && e.code === "OUTSIDE_MEDIA_PREFIX");
  });

  it("signs single files the video pipeline wrote: playlists, segments, posters", () => {
    for (const file of ["hls/index.m3u8", "hls/index_720p_00001.ts", "hls/index_540p.m3u8", "poster/poster.0000000.jpg"]) {
      const result = createPlaybackUrl(`videos/${ID}/${file}`, options);
      assert.equal(verifySignedUrl(result.url, pair.publicKey).valid, true, file);
    }
    for (const [file, why] of [
      ["hls/index.html", "not a playlist or segment"],
      ["poster/poster.svg", "not a poster image"],
      ["originals/lesson.mp4", "no such folder"],
      ["hls/.m3u8", "no name"],
    ]) {
      assert.throws(() => createPlaybackUrl(`videos/${ID}/${file}`, options), (e: MediaInputError) => e instanceof MediaInputError && e.code === "MALFORMED_KEY", `${file}: ${why}`);
    }
  });

  describe("refuses keys it did not create (typed errors)", () => {
    const bad: [string, unknown, string][] = [
      ["an empty key", "", "EMPTY_KEY"],
      ["a number", 42, "EMPTY_KEY"],
      ["an absolute path", `/${VIDEO}`, "ABSOLUTE_KEY"],
      ["the URL path instead of the key", `media/${VIDEO}`, "OUTSIDE_MEDIA_PREFIX"],
      ["a protocol-relative URL", "//evil.example/media/videos/x.mp4", "ABSOLUTE_KEY"],
      ["a full URL", `https://evil.example/${VIDEO}`, "ABSOLUTE_KEY"],
      ["a javascript: URL", "javascript:alert(1)", "ABSOLUTE_KEY"],
      ["parent segments", `videos/${ID}/../../../private/report.mp4`, "PATH_TRAVERSAL"],
      ["a dot segment", `videos/./${ID}/a.mp4`, "PATH_TRAVERSAL"],
      ["percent-encoded parent segments", `videos/${ID}/%2e%2e/a.mp4`, "PATH_TRAVERSAL"],
      ["a percent-encoded slash", `videos/${ID}%2fa.mp4`, "PATH_TRAVERSAL"],
      ["backslashes", `videos\\${ID}\\a.mp4`, "PATH_TRAVERSAL"],
      ["a NUL byte", `${VIDEO}\u0000`, "CONTROL_CHARACTER"],
      ["a newline", `${VIDEO}\nSet-Cookie: x=1`, "CONTROL_CHARACTER"],
      ["a right-to-left override", `videos/${ID}/\u202Ea.mp4`, "UNICODE_TRICK"],
      ["full-width solidi", `videos\uFF0F${ID}\uFF0Fa.mp4`, "UNICODE_TRICK"],
      ["a zero-width joiner", `videos/${ID}/a\u200D.mp4`, "UNICODE_TRICK"],
      ["another folder", `private/${ID}/a.mp4`, "OUTSIDE_MEDIA_PREFIX"],
      ["a documents folder", `documents/${ID}/a.mp4`, "OUTSIDE_MEDIA_PREFIX"],
      ["the access-log prefix", "media-bucket/123456789012/eu-west-2/x", "OUTSIDE_MEDIA_PREFIX"],
      ["an upper-case folder", `VIDEOS/${ID}/a.mp4`, "OUTSIDE_MEDIA_PREFIX"],
      ["a missing id", "videos/a.mp4", "MALFORMED_KEY"],
      ["an id that is not a v4 UUID", "videos/not-a-uuid/a.mp4", "MALFORMED_KEY"],
      ["an upper-case UUID", `videos/${ID.toUpperCase()}/a.mp4`, "MALFORMED_KEY"],
      ["an extra segment", `${VIDEO}/more`, "MALFORMED_KEY"],
      ["an empty segment", `videos//${ID}/a.mp4`, "MALFORMED_KEY"],
      ["a trailing slash", `videos/${ID}/`, "MALFORMED_KEY"],
      ["a query string", `${VIDEO}?Expires=99999999999`, "MALFORMED_KEY"],
      ["a fragment", `${VIDEO}#t=10`, "MALFORMED_KEY"],
      ["a space", `videos/${ID}/a b.mp4`, "MALFORMED_KEY"],
      ["an image name in the videos folder", `videos/${ID}/a.png`, "MALFORMED_KEY"],
      ["a document extension", `images/${ID}/a.svg`, "MALFORMED_KEY"],
      ["a non-canonical extension", `images/${ID}/a.jpeg`, "MALFORMED_KEY"],
      ["a 2000-character key", `videos/${ID}/${"a".repeat(2000)}.mp4`, "MALFORMED_KEY"],
    ];
    for (const [what, key, code] of bad) {
      it(`${what} (${code})`, () => {
        assert.throws(
          () => createPlaybackUrl(key, options),
          (error: unknown) => error instanceof MediaInputError && error.code === code && error.status === 400,
        );
      });
    }
  });

  describe("settings", () => {
    const hostname = "domain must be a lower-case host name";
    const prefix = "pathPrefix must be '/' then lower-case letters, digits or dashes, like the Cdn's mediaPathPrefix";
    const keyPairId = "keyPairId must be a CloudFront public key id";
    const expiry = "expiresInSeconds must be a whole number from 60 to 86400";
    const broken: [string, Partial<PlaybackOptions>, string][] = [
      ["a domain with a path", { domain: "www.example.com/evil" }, hostname],
      ["an upper-case domain", { domain: "WWW.EXAMPLE.COM" }, hostname],
      ["a domain that only stringifies to a host name", { domain: { toString: () => DOMAIN } as never }, hostname],
      ["a path prefix without a leading slash", { pathPrefix: "media" }, prefix],
      ["a path prefix with a trailing slash", { pathPrefix: "/media/" }, prefix],
      ["a path prefix reaching into Next.js", { pathPrefix: "/_next" }, prefix],
      ["a path prefix that only stringifies to one", { pathPrefix: { toString: () => "/media" } as never }, prefix],
      ["a key pair id with spaces", { keyPairId: "K2JC JMDE" }, keyPairId],
      ["a key pair id after other text", { keyPairId: `x ${KEY_PAIR_ID}` }, keyPairId],
      ["a key pair id before other text", { keyPairId: `${KEY_PAIR_ID} x` }, keyPairId],
      ["a key pair id of 7 characters", { keyPairId: "K2JCJMD" }, keyPairId],
      ["a key pair id of 41 characters", { keyPairId: "K".repeat(41) }, keyPairId],
      ["a lower-case key pair id", { keyPairId: KEY_PAIR_ID.toLowerCase() }, keyPairId],
      ["a key pair id that only stringifies to one", { keyPairId: { toString: () => KEY_PAIR_ID } as never }, keyPairId],
      ["a private key that is neither a string nor a Buffer", { privateKey: 42 as never }, "privateKey must be a PEM string or Buffer"],
      ["a private key that is not PEM", { privateKey: "not a key" }, "privateKey is not a PEM private key"],
      ["an EC private key", { privateKey: generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString() }, "privateKey must be an RSA key (CloudFront key groups hold RSA 2048 public keys)"],
      ["a 10-second expiry", { expiresInSeconds: 10 }, expiry],
      ["a 59-second expiry", { expiresInSeconds: 59 }, expiry],
      ["an expiry of a day and a second", { expiresInSeconds: 86401 }, expiry],
      ["a two-day expiry", { expiresInSeconds: 172800 }, expiry],
      ["a fractional expiry", { expiresInSeconds: 600.5 }, expiry],
      ["an unknown hash", { hashAlgorithm: "MD5" as never }, "hashAlgorithm must be SHA256 or SHA1"],
      ["a broken clock", { now: () => new Date(Number.NaN) }, "now() must return a valid date"],
      ["a clock that answers a number", { now: () => NOW.getTime() as never }, "now() must return a valid date"],
    ];
    for (const [what, change, message] of broken) {
      it(`refuses ${what} with MediaConfigError`, () => {
        assert.throws(() => createPlaybackUrl(VIDEO, { ...options, ...change }), (error: unknown) => error instanceof MediaConfigError && error.code === "MEDIA_CONFIG" && error.status === 500 && error.message === message);
      });
    }

    it("accepts expiries of exactly one minute and exactly one day, and key pair ids of 8 to 40 characters", () => {
      for (const seconds of [60, 86400]) {
        assert.equal(createPlaybackUrl(VIDEO, { ...options, expiresInSeconds: seconds }).expiresAt, new Date((Math.floor(NOW.getTime() / 1000) + seconds) * 1000).toISOString());
      }
      for (const id of ["K2JCJMDE", "K".repeat(40)]) assert.equal(new URL(createPlaybackUrl(VIDEO, { ...options, keyPairId: id }).url).searchParams.get("Key-Pair-Id"), id);
    });

    it("reads the system clock when no clock is given", () => {
      const before = Math.floor(Date.now() / 1000);
      const { now: _, ...withoutClock } = options;
      const expires = Number(new URL(createPlaybackUrl(VIDEO, withoutClock).url).searchParams.get("Expires"));
      assert.ok(expires >= before + 3600 && expires <= Math.floor(Date.now() / 1000) + 3600, `expires ${expires}, an hour after ${before}`);
    });

    it("reports a key that cannot sign as MediaServiceError SIGN_FAILED (503), with the cause kept for logs", () => {
      assert.throws(
        () => createPlaybackUrl(VIDEO, { ...options, privateKey: undersizedRsaKeyPem() }),
        (error: unknown) =>
          error instanceof MediaServiceError && error.code === "SIGN_FAILED" && error.status === 503 && error.message === "could not sign the playback URL" && error.cause instanceof Error && /digest too big/.test(error.cause.message),
      );
      assert.equal(verifySignedUrl(createPlaybackUrl(VIDEO, options).url, pair.publicKey).valid, true, "the right key signs again afterwards");
    });

    it("never puts the private key in an error message", () => {
      const truncated = privatePem.slice(0, 300);
      assert.throws(
        () => createPlaybackUrl(VIDEO, { ...options, privateKey: truncated }),
        (error: unknown) => error instanceof MediaConfigError && !error.message.includes("PRIVATE KEY") && !error.message.includes(truncated.slice(40, 80)),
      );
    });
  });
});
