import assert from "node:assert/strict";
import { generateKeyPairSync, verify } from "node:crypto";
import { createPlaybackCookies, PlaybackCookieOptions, PlaybackCookies } from "../../../functions/media/createPlaybackCookies";
import { MediaConfigError, MediaInputError, MediaServiceError } from "../../../functions/media/errors";
import { undersizedRsaKeyPem } from "../../support/rsaKeys";

const DOMAIN = "www.myprivatetutoronline.com";
const KEY_PAIR_ID = "K2JCJMDEHXQW5F";
const ID = "3f1c2b4a-9d8e-4f7a-8b6c-5d4e3f2a1b0c";
const NOW = new Date("2026-11-25T12:00:00.400Z");

/** CloudFront's URL-safe base64: + -> -, = -> _, / -> ~ (Developer Guide, "Setting signed cookies using a custom policy"). */
const fromCloudFrontBase64 = (value: string) => Buffer.from(value.replace(/-/g, "+").replace(/_/g, "=").replace(/~/g, "/"), "base64");

describe("createPlaybackCookies: CloudFront signed cookies for one video's folder", () => {
  const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const options: PlaybackCookieOptions = { domain: DOMAIN, keyPairId: KEY_PAIR_ID, privateKey: pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString(), now: () => NOW };
  const cookie = (result: PlaybackCookies, name: string) => result.cookies.find((c) => c.name === name)!;

  it("signs a custom policy on exactly https://<domain>/media/videos/<id>/* that verifies with the public key", () => {
    const result = createPlaybackCookies(ID, options);
    const policyText = fromCloudFrontBase64(cookie(result, "CloudFront-Policy").value).toString("utf8");
    const policy = JSON.parse(policyText);
    assert.deepEqual(policy, { Statement: [{ Resource: `https://${DOMAIN}/media/videos/${ID}/*`, Condition: { DateLessThan: { "AWS:EpochTime": Math.floor(NOW.getTime() / 1000) + 3600 } } }] });
    const algorithm = cookie(result, "CloudFront-Hash-Algorithm")?.value === "SHA256" ? "sha256" : "sha1";
    assert.equal(algorithm, "sha256");
    assert.equal(verify(algorithm, Buffer.from(policyText), pair.publicKey, fromCloudFrontBase64(cookie(result, "CloudFront-Signature").value)), true);
    assert.equal(cookie(result, "CloudFront-Key-Pair-Id").value, KEY_PAIR_ID);
    assert.equal(result.resource, `https://${DOMAIN}/media/videos/${ID}/*`);
    assert.equal(result.playlistUrl, `https://${DOMAIN}/media/videos/${ID}/hls/index.m3u8`);
  });

  it("a signature for one folder does not verify for another video's folder", () => {
    const result = createPlaybackCookies(ID, options);
    const other = `{"Statement":[{"Resource":"https://${DOMAIN}/media/videos/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee/*","Condition":{"DateLessThan":{"AWS:EpochTime":${Math.floor(NOW.getTime() / 1000) + 3600}}}}]}`;
    assert.equal(verify("sha256", Buffer.from(other), pair.publicKey, fromCloudFrontBase64(cookie(result, "CloudFront-Signature").value)), false);
  });

  it("scopes every cookie to the video's folder: Path, Secure, HttpOnly, SameSite, Expires", () => {
    const result = createPlaybackCookies(ID, { ...options, pathPrefix: "/lessons", expiresInSeconds: 600, sameSite: "Strict" });
    assert.deepEqual(result.cookies.map((c) => c.name).sort(), ["CloudFront-Hash-Algorithm", "CloudFront-Key-Pair-Id", "CloudFront-Policy", "CloudFront-Signature"]);
    for (const c of result.cookies) {
      assert.equal(c.attributes.path, `/lessons/videos/${ID}/`);
      assert.match(c.header, new RegExp(`^${c.name}=[A-Za-z0-9_~=.-]+; Path=/lessons/videos/${ID}/; Expires=Wed, 25 Nov 2026 12:10:00 GMT; Secure; HttpOnly; SameSite=Strict$`));
    }
    assert.equal(result.expiresAt, "2026-11-25T12:10:00.000Z");
  });

  it("sets a Domain attribute only for the domain itself or a parent", () => {
    const result = createPlaybackCookies(ID, { ...options, cookieDomain: "myprivatetutoronline.com" });
    assert.match(result.cookies[0].header, /; Domain=myprivatetutoronline\.com$/);
    assert.throws(() => createPlaybackCookies(ID, { ...options, cookieDomain: "evil.example" }), MediaConfigError);
    assert.throws(() => createPlaybackCookies(ID, { ...options, cookieDomain: "myprivatetutoronline.com\r\nSet-Cookie: x=y" }), MediaConfigError);
  });

  it("sets Domain on every cookie, as an attribute and in the header, for the domain itself or a parent", () => {
    for (const cookieDomain of [DOMAIN, "myprivatetutoronline.com"]) {
      const result = createPlaybackCookies(ID, { ...options, cookieDomain });
      assert.equal(result.cookies.length, 4);
      for (const c of result.cookies) {
        assert.equal(c.attributes.domain, cookieDomain);
        assert.ok(c.header.endsWith(`; SameSite=Lax; Domain=${cookieDomain}`), c.header);
      }
    }
  });

  it("sets no Domain by default: host-only cookies", () => {
    for (const c of createPlaybackCookies(ID, options).cookies) {
      assert.equal("domain" in c.attributes, false);
      assert.doesNotMatch(c.header, /Domain=/);
    }
  });

  it("refuses a cookie domain that is not the domain or a parent host name, with a fixed message", () => {
    const message = "cookieDomain must be the domain or a parent of it, as a lower-case host name";
    for (const cookieDomain of ["evil.example", "com", ".myprivatetutoronline.com", "MYPRIVATETUTORONLINE.COM", "privatetutoronline.com", `x.${DOMAIN}`, "", 42, { toString: () => "myprivatetutoronline.com" }]) {
      assert.throws(
        () => createPlaybackCookies(ID, { ...options, cookieDomain: cookieDomain as string }),
        (error: unknown) => error instanceof MediaConfigError && error.message === message,
        String(cookieDomain),
      );
    }
  });

  it("uses SameSite=Lax by default and takes Strict or None when asked", () => {
    for (const [sameSite, expected] of [[undefined, "Lax"], ["Strict", "Strict"], ["None", "None"], ["Lax", "Lax"]] as const) {
      for (const c of createPlaybackCookies(ID, { ...options, sameSite }).cookies) {
        assert.equal(c.attributes.sameSite, expected);
        assert.ok(c.header.endsWith(`; SameSite=${expected}`), c.header);
      }
    }
    assert.throws(
      () => createPlaybackCookies(ID, { ...options, sameSite: "lax" as "Lax" }),
      (error: unknown) => error instanceof MediaConfigError && error.message === "sameSite must be Strict, Lax or None",
    );
  });

  it("with SHA-1 sends the three cookies CloudFront's legacy signing uses, and no hash-algorithm cookie", () => {
    const result = createPlaybackCookies(ID, { ...options, hashAlgorithm: "SHA1" });
    assert.deepEqual(result.cookies.map((c) => c.name).sort(), ["CloudFront-Key-Pair-Id", "CloudFront-Policy", "CloudFront-Signature"]);
    const policyText = fromCloudFrontBase64(cookie(result, "CloudFront-Policy").value).toString("utf8");
    assert.equal(verify("sha1", Buffer.from(policyText), pair.publicKey, fromCloudFrontBase64(cookie(result, "CloudFront-Signature").value)), true);
    for (const c of result.cookies) assert.match(c.header, new RegExp(`^${c.name}=${c.value.replace(/[.]/g, "\\.")}; `));
  });

  it("reports a key that cannot sign as MediaServiceError SIGN_FAILED (503), with the cause kept for logs", () => {
    assert.throws(
      () => createPlaybackCookies(ID, { ...options, privateKey: undersizedRsaKeyPem() }),
      (error: unknown) => error instanceof MediaServiceError && error.code === "SIGN_FAILED" && error.status === 503 && error.message === "could not sign the playback cookies" && error.cause instanceof Error,
    );
  });

  it("refuses anything that is not a video id (typed errors, nothing signed)", () => {
    for (const bad of [undefined, "", "../../etc", `${ID}/../x`, `${ID}*`, ID.toUpperCase(), "uploads", 42, { id: ID }, `${ID}\u202E`]) {
      assert.throws(() => createPlaybackCookies(bad, options), (e: MediaInputError) => e instanceof MediaInputError && e.code === "MALFORMED_KEY", String(bad));
    }
  });

  it("refuses bad options as createPlaybackUrl does", () => {
    assert.throws(() => createPlaybackCookies(ID, { ...options, expiresInSeconds: 10 }), MediaConfigError);
    assert.throws(() => createPlaybackCookies(ID, { ...options, domain: "WWW.EXAMPLE.COM" }), MediaConfigError);
    assert.throws(() => createPlaybackCookies(ID, { ...options, sameSite: "Sometimes" as "Lax" }), MediaConfigError);
  });
});
