import assert from "node:assert/strict";
import { configuredEdgeResponses, EdgeResponse, ObservatoryResult, scoreWithObservatory, VERCEL_PAGE } from "../../../tools/edge/observatory";

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

  it("grades site responses at least A when the app sends no CSP of its own", () => {
    const site = results.get("site")!;
    assert.ok(["A", "A+"].includes(site.grade), `${site.grade} ${site.score}`);
    assert.ok(site.score >= 90);
    assert.equal(site.testsPassed, site.testsQuantity);
  });

  it("reproduces the reference grades the issue quotes: Managed-SecurityHeadersPolicy B 75, the audit's Lambda@Edge headers C 55", () => {
    const managed = results.get("managed-security-headers-policy")!;
    const audit = results.get("audit-lambda-edge")!;
    assert.deepEqual([managed.grade, managed.score], ["B", 75]);
    assert.deepEqual([audit.grade, audit.score], ["C", 55]);
  });
});
