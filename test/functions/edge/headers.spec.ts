import assert from "node:assert/strict";
import {
  DEFAULT_PERMISSIONS,
  DEFAULT_SITE_POLICY,
  enforcedSiteDirectives,
  MEDIA_CSP,
  MEDIA_HEADERS,
  normalisePath,
  renderCsp,
  renderHeaderSet,
  robotsTagFor,
  SecurityHeaderSet,
  SITE_CSP,
  SITE_HEADERS,
  siteHeaders,
  SitePolicy,
  strictSiteDirectives,
} from "../../../functions/edge/headers";

/** The site's strict CSP with the default policy, directive by directive (what the CDN's Report-Only copy sends). */
const DEFAULT_STRICT: [string, string[]][] = [
  ["default-src", ["'self'"]],
  ["base-uri", ["'self'"]],
  ["connect-src", ["'self'"]],
  ["font-src", ["'self'", "data:"]],
  ["form-action", ["'self'"]],
  ["frame-ancestors", ["'none'"]],
  ["frame-src", ["https://www.youtube-nocookie.com", "https://player.vimeo.com"]],
  ["img-src", ["'self'", "data:", "blob:"]],
  ["manifest-src", ["'self'"]],
  ["media-src", ["'self'", "blob:"]],
  ["object-src", ["'none'"]],
  ["script-src", ["'self'"]],
  ["style-src", ["'self'", "'unsafe-inline'"]],
  ["worker-src", ["'self'", "blob:"]],
  ["upgrade-insecure-requests", []],
  ["report-uri", ["/api/csp-report"]],
];

/** A policy with every list filled, to see where each configured origin lands. */
const FULL_POLICY: SitePolicy = {
  uploadOrigins: ["https://media-bucket.s3.eu-west-2.amazonaws.com"],
  frameSources: ["https://embed.example.org"],
  scriptSources: ["https://js.stripe.com"],
  connectSources: ["https://api.stripe.com"],
  imgSources: ["https://i.ytimg.com"],
  reportUri: "https://reports.example.org/csp",
  permissions: ["camera=()", "usb=()"],
};

const NONCE = "bm9uY2Utbm9uY2Utbm9uY2U=";

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
    assert.deepEqual(site, [
      "Strict-Transport-Security: max-age=63072000; includeSubDomains; preload",
      "Content-Security-Policy: base-uri 'self'; frame-ancestors 'none'; object-src 'none'; upgrade-insecure-requests; report-uri /api/csp-report (unless the origin sends one)",
      "X-Content-Type-Options: nosniff",
      "X-Frame-Options: DENY (unless the origin sends one)",
      "Referrer-Policy: strict-origin-when-cross-origin (unless the origin sends one)",
      "X-XSS-Protection: 0",
      // The strict policy, reported only (browsers ignore upgrade-insecure-requests there); the app's own nonce policy takes the slot.
      `Content-Security-Policy-Report-Only: ${renderCsp(DEFAULT_STRICT.filter(([name]) => name !== "upgrade-insecure-requests"))} (unless the origin sends one)`,
      "Cross-Origin-Opener-Policy: same-origin (unless the origin sends one)",
      "Cross-Origin-Resource-Policy: same-origin (unless the origin sends one)",
      `Permissions-Policy: ${DEFAULT_PERMISSIONS.join(", ")} (unless the origin sends one)`,
    ]);
    assert.deepEqual(SITE_HEADERS.remove, ["X-Powered-By"], "the framework banner goes");
    assert.deepEqual(lines(siteHeaders(DEFAULT_SITE_POLICY)), site);
  });

  it("site pages follow the configured policy: its report URI in both CSPs, its origins in Report-Only, its features", () => {
    const site = new Map(renderHeaderSet(siteHeaders(FULL_POLICY)).map((h) => [h.name, h.value]));
    assert.equal(
      site.get("Content-Security-Policy"),
      "base-uri 'self'; frame-ancestors 'none'; object-src 'none'; upgrade-insecure-requests; report-uri https://reports.example.org/csp",
    );
    assert.match(site.get("Content-Security-Policy-Report-Only")!, /; script-src 'self' https:\/\/js\.stripe\.com; .*; report-uri https:\/\/reports\.example\.org\/csp$/);
    assert.equal(site.get("Permissions-Policy"), "camera=(), usb=()");
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

  describe("the strict site CSP (the CDN's Report-Only copy, and the app's nonce policy)", () => {
    it("with the defaults, is exactly these directives in this order", () => {
      assert.deepEqual(strictSiteDirectives(DEFAULT_SITE_POLICY), DEFAULT_STRICT);
    });

    it("puts each configured origin where it belongs, after the site's own sources; every other directive is the same whatever the policy", () => {
      const d = new Map(strictSiteDirectives(FULL_POLICY));
      const upload = "https://media-bucket.s3.eu-west-2.amazonaws.com";
      const configured: [string, string[]][] = [
        ["connect-src", ["'self'", upload, "https://api.stripe.com"]],
        ["form-action", ["'self'", upload]],
        ["frame-src", ["https://embed.example.org"]],
        ["img-src", ["'self'", "data:", "blob:", "https://i.ytimg.com"]],
        ["script-src", ["'self'", "https://js.stripe.com"]],
        ["report-uri", ["https://reports.example.org/csp"]],
      ];
      const names = new Map(configured);
      assert.deepEqual(
        [...d.keys()],
        DEFAULT_STRICT.map(([name]) => name),
      );
      for (const [name, sources] of DEFAULT_STRICT) assert.deepEqual(d.get(name), names.get(name) ?? sources, name);
    });

    it("frames nothing when no embed origin is configured", () => {
      assert.deepEqual(new Map(strictSiteDirectives({ ...DEFAULT_SITE_POLICY, frameSources: [] })).get("frame-src"), ["'none'"]);
    });

    it("in development only, adds 'unsafe-eval' to script-src and ws: to connect-src (Next.js dev mode), each after the site's own", () => {
      const dev = new Map(strictSiteDirectives(FULL_POLICY, { nonce: NONCE, development: true }));
      assert.deepEqual(dev.get("script-src"), ["'self'", `'nonce-${NONCE}'`, "'strict-dynamic'", "'unsafe-eval'", "https://js.stripe.com"]);
      assert.deepEqual(dev.get("connect-src"), ["'self'", "https://media-bucket.s3.eu-west-2.amazonaws.com", "https://api.stripe.com", "ws:"]);
      const prod = new Map(strictSiteDirectives(FULL_POLICY, { nonce: NONCE, development: false }));
      assert.deepEqual(prod.get("script-src"), ["'self'", `'nonce-${NONCE}'`, "'strict-dynamic'", "https://js.stripe.com"]);
      assert.deepEqual(prod.get("connect-src"), ["'self'", "https://media-bucket.s3.eu-west-2.amazonaws.com", "https://api.stripe.com"]);
    });
  });

  it("the enforced site CSP (the CDN's, when the app sends none) closes only what cannot break a Next.js app: <base>, framing, plugins, mixed content", () => {
    assert.deepEqual(enforcedSiteDirectives(FULL_POLICY), [
      ["base-uri", ["'self'"]],
      ["frame-ancestors", ["'none'"]],
      ["object-src", ["'none'"]],
      ["upgrade-insecure-requests", []],
      ["report-uri", ["https://reports.example.org/csp"]],
    ]);
    assert.equal(SITE_CSP, "base-uri 'self'; frame-ancestors 'none'; object-src 'none'; upgrade-insecure-requests; report-uri /api/csp-report");
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
