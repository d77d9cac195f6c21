import assert from "node:assert/strict";
import { DEFAULT_SITE_POLICY, enforcedSiteDirectives, renderCsp, SitePolicy, strictSiteDirectives } from "../../../functions/edge/headers";
import { createNonce, CSP_HEADER, CSP_REPORT_ONLY_HEADER, NONCE_HEADER, nonceCsp } from "../../../functions/edge/nonceCsp";

const POLICY: SitePolicy = {
  ...DEFAULT_SITE_POLICY,
  uploadOrigins: ["https://media-bucket-1a2b3c.s3.eu-west-2.amazonaws.com"],
  scriptSources: ["https://js.stripe.com"],
  connectSources: ["https://api.stripe.com"],
  imgSources: ["https://i.ytimg.com"],
};

/** `name -> sources` of a rendered policy. */
function parse(csp: string): Map<string, string[]> {
  return new Map(csp.split("; ").map((d) => { const [name, ...sources] = d.split(" "); return [name, sources]; }));
}

describe("Nonce CSP helper for the Next.js app (functions/edge/nonceCsp.ts)", () => {
  it("makes a fresh 128-bit base64 nonce per call", () => {
    const nonces = new Set(Array.from({ length: 200 }, () => createNonce()));
    assert.equal(nonces.size, 200);
    for (const n of nonces) assert.equal(Buffer.from(n, "base64").length, 16);
  });

  it("allows scripts only with the nonce (and what they load: 'strict-dynamic'), never inline or eval", () => {
    const csp = nonceCsp(POLICY, { nonce: "bm9uY2Utbm9uY2Utbm9uY2U=" });
    const d = parse(csp.policy);
    assert.deepEqual(d.get("script-src"), ["'self'", "'nonce-bm9uY2Utbm9uY2Utbm9uY2U='", "'strict-dynamic'", "https://js.stripe.com"]);
    assert.doesNotMatch(csp.policy, /script-src[^;]*'unsafe-(inline|eval)'/);
    assert.deepEqual(d.get("object-src"), ["'none'"]);
    assert.deepEqual(d.get("base-uri"), ["'self'"]);
    assert.deepEqual(d.get("frame-ancestors"), ["'none'"]);
    assert.deepEqual(d.get("default-src"), ["'self'"]);
  });

  it("lets the presigned POST reach the media bucket (connect-src and form-action) and video embeds load (frame-src)", () => {
    const d = parse(nonceCsp(POLICY).policy);
    assert.ok(d.get("connect-src")!.includes("https://media-bucket-1a2b3c.s3.eu-west-2.amazonaws.com"));
    assert.ok(d.get("connect-src")!.includes("https://api.stripe.com"));
    assert.ok(d.get("form-action")!.includes("https://media-bucket-1a2b3c.s3.eu-west-2.amazonaws.com"));
    assert.deepEqual(d.get("frame-src"), DEFAULT_SITE_POLICY.frameSources);
    assert.ok(d.get("img-src")!.includes("https://i.ytimg.com"));
    assert.deepEqual(d.get("report-uri"), ["/api/csp-report"]);
  });

  it("frames nothing when no embed origin is configured", () => {
    assert.deepEqual(parse(nonceCsp({ ...POLICY, frameSources: [] }).policy).get("frame-src"), ["'none'"]);
  });

  it("is the CDN's strict Report-Only policy plus the nonce: one policy source, and the CDN's enforced directives are all in it", () => {
    const nonce = createNonce();
    const withNonce = parse(nonceCsp(POLICY, { nonce }).policy);
    const cdnStrict = parse(renderCsp(strictSiteDirectives(POLICY)));
    for (const [name, sources] of cdnStrict) {
      if (name === "script-src") assert.deepEqual(withNonce.get(name), [...sources.slice(0, 1), `'nonce-${nonce}'`, "'strict-dynamic'", ...sources.slice(1)]);
      else assert.deepEqual(withNonce.get(name), sources, name);
    }
    for (const [name, sources] of enforcedSiteDirectives(POLICY)) assert.deepEqual(withNonce.get(name), sources, `enforced ${name} kept`);
  });

  it("adds 'unsafe-eval' and ws: only in development (React refresh, HMR)", () => {
    const dev = parse(nonceCsp(POLICY, { development: true }).policy);
    assert.ok(dev.get("script-src")!.includes("'unsafe-eval'"));
    assert.ok(dev.get("connect-src")!.includes("ws:"));
    assert.ok(!parse(nonceCsp(POLICY).policy).get("connect-src")!.includes("ws:"));
  });

  it("sets the policy and nonce on the request Next.js renders, and both policies on the response", () => {
    const csp = nonceCsp(POLICY);
    const request = new Headers({ accept: "text/html" });
    const response = new Headers();
    csp.applyToRequest(request);
    csp.applyToResponse(response);
    assert.equal(request.get(CSP_HEADER), csp.policy);
    assert.equal(request.get(NONCE_HEADER), csp.nonce);
    assert.equal(request.get("accept"), "text/html");
    assert.equal(response.get(CSP_HEADER), csp.policy);
    // The app's Report-Only takes the slot, so the CDN's nonce-less copy (override: false) stays off its pages.
    assert.equal(response.get(CSP_REPORT_ONLY_HEADER), csp.reportOnlyPolicy);
    assert.equal(csp.reportOnlyPolicy, csp.policy.replace("; upgrade-insecure-requests", ""));
  });

  it("trials extra directives in Report-Only only", () => {
    const csp = nonceCsp(POLICY, { trial: [["require-trusted-types-for", ["'script'"]]] });
    assert.match(csp.reportOnlyPolicy, /require-trusted-types-for 'script'/);
    assert.doesNotMatch(csp.policy, /trusted-types/);
  });

  it("trials a stricter version of a directive in Report-Only instead of the enforced one, which stays as it is", () => {
    const csp = nonceCsp(POLICY, { nonce: "AAECAwQFBgcICQoLDA0ODw", trial: [["img-src", ["'self'"]]] });
    const trial = csp.reportOnlyPolicy.split("; ").filter((d) => d.startsWith("img-src"));
    assert.deepEqual(trial, ["img-src 'self'"], "one img-src, the trial's");
    assert.deepEqual(parse(csp.policy).get("img-src"), ["'self'", "data:", "blob:", "https://i.ytimg.com"]);
  });

  it("refuses a nonce that is not base64 of at least 16 bytes (a guessable or malformed nonce is no protection)", () => {
    const sixteenBytes = "AAECAwQFBgcICQoLDA0ODw"; // 22 base64 characters, unpadded
    for (const bad of ["abc", "not a nonce at all!!!!!!", "'; script-src *", "", sixteenBytes.slice(1), `${sixteenBytes}===`, `' *; ${sixteenBytes}`, `${sixteenBytes}'; script-src *`, `${sixteenBytes.slice(2)}.,`]) {
      assert.throws(() => nonceCsp(POLICY, { nonce: bad }), { message: `CSP nonce ${JSON.stringify(bad)} is not base64 of at least 16 bytes` }, bad);
      assert.throws(() => strictSiteDirectives(POLICY, { nonce: bad }), { message: `CSP nonce ${JSON.stringify(bad)} is not base64 of at least 16 bytes` }, bad);
    }
  });

  it("takes a nonce in base64 or base64url, padded or not, of 16 bytes or more", () => {
    for (const good of ["AAECAwQFBgcICQoLDA0ODw", "AAECAwQFBgcICQoLDA0ODw==", "-_-_-_-_-_-_-_-_-_-_-_", "+/+/+/+/+/+/+/+/+/+/+/=", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"]) {
      assert.equal(nonceCsp(POLICY, { nonce: good }).nonce, good);
      assert.ok(parse(renderCsp(strictSiteDirectives(POLICY, { nonce: good }))).get("script-src")!.includes(`'nonce-${good}'`), good);
    }
  });
});
