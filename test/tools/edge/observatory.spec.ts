import assert from "node:assert/strict";
import { DEFAULT_SITE_POLICY } from "../../../functions/edge/headers";
import { nonceCsp } from "../../../functions/edge/nonceCsp";
import { configuredEdgeResponses, declaredEdge, EdgeResponse, ObservatoryResult, scoreWithObservatory, siteResponseHeaders, VERCEL_PAGE } from "../../../tools/edge/observatory";

/**
 * MDN HTTP Observatory scoring of the configured response headers, served over HTTPS on 127.0.0.1
 * with a certificate from a CA generated for the run (the scanner's process trusts it), and HTTP
 * redirecting to HTTPS as CloudFront does. Two reference header sets from the issue are scored too,
 * to show the scorer reproduces the grades it quotes.
 */
describe("MDN HTTP Observatory grades of the edge's response headers (local HTTPS server on 127.0.0.1)", function () {
  this.timeout(120_000);
  let results: Map<string, ObservatoryResult>;

  before(async () => {
    const configured = await configuredEdgeResponses("dev");
    // The nonce policy of functions/edge/nonceCsp.ts as the app would send it, through the CDN's headers.
    const csp = nonceCsp({ ...DEFAULT_SITE_POLICY, uploadOrigins: ["https://media-bucket.s3.eu-west-2.amazonaws.com"] });
    const appHeaders = { ...VERCEL_PAGE.headers, "content-security-policy": csp.policy, "content-security-policy-report-only": csp.reportOnlyPolicy };
    configured.push({
      label: "site-with-nonce-policy",
      path: "/nonce",
      headers: await siteResponseHeaders(await declaredEdge("dev"), "/nonce", appHeaders),
      body: VERCEL_PAGE.body.replace("<script ", `<script nonce="${csp.nonce}" `),
    });
    const references: EdgeResponse[] = [
      {
        // CloudFront's Managed-SecurityHeadersPolicy on a page without its own headers.
        label: "managed-security-headers-policy",
        path: "/reference/managed",
        headers: {
          ...VERCEL_PAGE.headers,
          "strict-transport-security": "max-age=31536000",
          "x-content-type-options": "nosniff",
          "x-frame-options": "SAMEORIGIN",
          "referrer-policy": "strict-origin-when-cross-origin",
          "x-xss-protection": "1; mode=block",
        },
        body: VERCEL_PAGE.body,
      },
      {
        // The audit's Lambda@Edge headers: HSTS and a CSP allowing inline scripts, nothing else.
        label: "audit-lambda-edge",
        path: "/reference/audit",
        headers: {
          ...VERCEL_PAGE.headers,
          "strict-transport-security": "max-age=63072000; includeSubdomains; preload",
          "content-security-policy": "default-src 'self'; script-src 'self' 'unsafe-inline';",
        },
        body: VERCEL_PAGE.body,
      },
    ];
    const scored = await scoreWithObservatory([...configured, ...references]);
    results = new Map(scored.map((r) => [r.label, r]));
    for (const r of scored) console.log(`      observatory: ${r.label.padEnd(32)} ${r.grade.padEnd(2)} ${r.score}/100 (${r.testsPassed}/${r.testsQuantity} tests passed)`);
  });

  it("scans with a verified certificate and sees the HTTP to HTTPS redirect, as on the internet", () => {
    for (const r of results.values()) {
      assert.equal(r.verifiedCertificate, true, r.label);
      assert.equal(r.tests.redirection.result, "redirection-to-https", r.label);
    }
  });

  it("grades media responses A+", () => {
    const media = results.get("media")!;
    assert.equal(media.grade, "A+");
    assert.ok(media.score >= 100);
    assert.equal(media.tests["content-security-policy"].result, "csp-implemented-with-no-unsafe-default-src-none");
  });

  it("grades site responses at least 50 on the CDN's headers alone, every test but CSP passing (the CDN enforces no script policy; the app sends it)", () => {
    const site = results.get("site")!;
    assert.ok(site.score >= 50, `${site.grade} ${site.score}`);
    const failing = Object.entries(site.tests).filter(([, t]) => !t.pass).map(([name]) => name);
    assert.deepEqual(failing, ["content-security-policy"]);
    // No script-src or default-src in the enforced policy: the Observatory reads that as inline scripts allowed.
    assert.equal(site.tests["content-security-policy"].result, "csp-implemented-with-unsafe-inline");
    assert.equal(site.tests["x-frame-options"].pass, true, "frame-ancestors / X-Frame-Options");
  });

  it("grades A+ with the nonce policy the app's middleware sends (functions/edge/nonceCsp.ts) behind the CDN's headers", () => {
    const site = results.get("site-with-nonce-policy")!;
    assert.equal(site.grade, "A+", `${site.grade} ${site.score}`);
    assert.equal(site.testsPassed, site.testsQuantity);
  });

  it("reproduces the reference grades the issue quotes: Managed-SecurityHeadersPolicy B 75, the audit's Lambda@Edge headers C 55", () => {
    const managed = results.get("managed-security-headers-policy")!;
    const audit = results.get("audit-lambda-edge")!;
    assert.deepEqual([managed.grade, managed.score], ["B", 75]);
    assert.deepEqual([audit.grade, audit.score], ["C", 55]);
  });
});
