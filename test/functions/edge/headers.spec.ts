import assert from "node:assert/strict";
import {
  DEFAULT_PERMISSIONS,
  MEDIA_CSP,
  MEDIA_HEADERS,
  normalisePath,
  renderCsp,
  renderHeaderSet,
  robotsTagFor,
  SecurityHeaderSet,
  SITE_HEADERS,
} from "../../../functions/edge/headers";

/** The header lines of a set as `name: value` (override marked), in CloudFront's order. */
const lines = (set: SecurityHeaderSet) => renderHeaderSet(set).map((h) => `${h.name}: ${h.value}${h.override ? "" : " (unless the origin sends one)"}`);

describe("Edge header definitions (functions/edge/headers.ts)", () => {
  describe("rendering a header set", () => {
    const base = SITE_HEADERS;

    it("writes HSTS with only the flags that are on", () => {
      const hsts = (includeSubDomains: boolean, preload: boolean) =>
        renderHeaderSet({ ...base, strictTransportSecurity: { maxAgeSeconds: 300, includeSubDomains, preload, override: true } })[0];
      assert.deepEqual(hsts(false, false), { name: "Strict-Transport-Security", value: "max-age=300", override: true });
      assert.equal(hsts(true, false).value, "max-age=300; includeSubDomains");
      assert.equal(hsts(false, true).value, "max-age=300; preload");
      assert.equal(hsts(true, true).value, "max-age=300; includeSubDomains; preload");
    });

    it("writes X-XSS-Protection as 0 when protection is off, else 1 with or without mode=block", () => {
      const xss = (protection: boolean, modeBlock: boolean) =>
        renderHeaderSet({ ...base, xssProtection: { protection, modeBlock, override: false } }).find((h) => h.name === "X-XSS-Protection");
      assert.deepEqual(xss(false, true), { name: "X-XSS-Protection", value: "0", override: false });
      assert.equal(xss(true, false)?.value, "1");
      assert.equal(xss(true, true)?.value, "1; mode=block");
    });
  });

  it("site pages: transport headers are the CDN's, the app may send its own policies, the auditor is off (OWASP: X-XSS-Protection: 0)", () => {
    const site = lines(SITE_HEADERS);
    assert.deepEqual(site.slice(0, 6), [
      "Strict-Transport-Security: max-age=63072000; includeSubDomains; preload",
      `Content-Security-Policy: ${SITE_HEADERS.contentSecurityPolicy.value} (unless the origin sends one)`,
      "X-Content-Type-Options: nosniff",
      "X-Frame-Options: DENY (unless the origin sends one)",
      "Referrer-Policy: strict-origin-when-cross-origin (unless the origin sends one)",
      "X-XSS-Protection: 0",
    ]);
    assert.deepEqual(site.slice(7), [
      "Cross-Origin-Opener-Policy: same-origin (unless the origin sends one)",
      "Cross-Origin-Resource-Policy: same-origin (unless the origin sends one)",
      `Permissions-Policy: ${DEFAULT_PERMISSIONS.join(", ")} (unless the origin sends one)`,
    ]);
    assert.deepEqual(SITE_HEADERS.remove, ["X-Powered-By"], "the framework banner goes");
  });

  it("media: nothing to run, style, frame or submit, not indexed, embeddable by www and the apex alike, every header the CDN's", () => {
    assert.deepEqual(MEDIA_CSP.split("; "), ["default-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'", "sandbox"]);
    assert.deepEqual(lines(MEDIA_HEADERS), [
      "Strict-Transport-Security: max-age=63072000; includeSubDomains; preload",
      `Content-Security-Policy: ${MEDIA_CSP}`,
      "X-Content-Type-Options: nosniff",
      "X-Frame-Options: DENY",
      "Referrer-Policy: no-referrer",
      "X-XSS-Protection: 0",
      "Cross-Origin-Resource-Policy: same-site",
      "X-Robots-Tag: noindex",
    ]);
    assert.deepEqual(MEDIA_HEADERS.remove, []);
  });

  it("allows the browser features a tutoring site uses for the site itself (lessons, payments, full-screen video) and turns sensors, USB and location off", () => {
    const allowlist = new Map(DEFAULT_PERMISSIONS.map((p) => p.split("=") as [string, string]));
    assert.deepEqual(
      [...allowlist]
        .filter(([, list]) => list === "(self)")
        .map(([feature]) => feature)
        .sort(),
      ["autoplay", "camera", "display-capture", "fullscreen", "microphone", "payment"],
    );
    assert.deepEqual(
      [...allowlist]
        .filter(([, list]) => list === "()")
        .map(([feature]) => feature)
        .sort(),
      ["accelerometer", "geolocation", "gyroscope", "magnetometer", "usb"],
    );
    assert.equal(allowlist.size, DEFAULT_PERMISSIONS.length, "each feature once");
  });

  it("renders CSP directives in order, a directive without sources bare", () => {
    assert.equal(
      renderCsp([
        ["default-src", ["'self'", "data:"]],
        ["upgrade-insecure-requests", []],
        ["report-uri", ["/r"]],
      ]),
      "default-src 'self' data:; upgrade-insecure-requests; report-uri /r",
    );
  });

  describe("X-Robots-Tag rules", () => {
    it("match the decoded, lower-cased path; a malformed escape leaves the raw path", () => {
      assert.equal(normalisePath("/%41dmin/Users"), "/admin/users");
      assert.equal(normalisePath("/ADMIN/%E0%A4%A"), "/admin/%e0%a4%a");
      assert.equal(robotsTagFor("/%41DMIN"), "noindex, nofollow");
    });

    it("give the first matching rule's value, and nothing when none matches", () => {
      const rules = [
        { pattern: "^/staff(?:/|$)", value: "noindex" },
        { pattern: "^/staff/public", value: "all" },
        { pattern: "^/drafts/", value: "none" },
      ];
      assert.equal(robotsTagFor("/staff/public/x", rules), "noindex");
      assert.equal(robotsTagFor("/Drafts/a", rules), "none");
      assert.equal(robotsTagFor("/staffroom", rules), undefined);
      assert.equal(robotsTagFor("/admin", []), undefined);
    });
  });
});
