import assert from "node:assert/strict";
import { join } from "node:path";
import { EDGE_LIMITS } from "../../../components/edge/EdgeFunction";
import { DEFAULT_SITE_POLICY, HSTS_MAX_AGE_SECONDS, PERMISSIONS_POLICY, ROBOTS_RULES, SITE_CSP, siteHeaders } from "../../../functions/edge/headers";
import { EdgeEventError, handler, SITE_HEADERS_DEFINE } from "../../../functions/edge/lambdaEdgeHeaders";
import { bundleHandler } from "../../../components/shared/bundle";
import { fromLambdaEdgeHeaders, toLambdaEdgeHeaders } from "../../../tools/edge/cloudfrontHeaders";
import { lambdaEdgeResponseEvent, loadBundledHandler } from "../../support/edge";
import { ROOT } from "../../support/harness";

const run = async (uri: string, origin: Record<string, string>) =>
  fromLambdaEdgeHeaders((await handler(lambdaEdgeResponseEvent(uri, toLambdaEdgeHeaders(origin)))).headers as Record<string, { value: string }[]>);

describe("Lambda@Edge security headers handler (functions/edge/lambdaEdgeHeaders.ts)", () => {
  it("adds HSTS (2 years, includeSubDomains, preload), nosniff, CSP, frame, referrer, CORP, COOP and Permissions-Policy to a bare response", async () => {
    const headers = await run("/", { "content-type": "text/html" });
    assert.equal(headers["strict-transport-security"], `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains; preload`);
    assert.equal(headers["x-content-type-options"], "nosniff");
    assert.equal(headers["content-security-policy"], SITE_CSP);
    assert.equal(headers["x-frame-options"], "DENY");
    assert.equal(headers["referrer-policy"], "strict-origin-when-cross-origin");
    assert.equal(headers["cross-origin-resource-policy"], "same-origin");
    assert.equal(headers["cross-origin-opener-policy"], "same-origin");
    // Live lessons need camera and microphone on the site itself; sensors, USB and location stay off.
    assert.match(headers["permissions-policy"], /(^|, )camera=\(self\)(,|$)/);
    assert.match(headers["permissions-policy"], /(^|, )usb=\(\)(,|$)/);
    assert.match(headers["content-security-policy-report-only"], /script-src 'self'; /);
    assert.equal(headers["content-type"], "text/html");
  });

  it("keeps a CSP, frame and referrer policy the Next.js app sends itself", async () => {
    const appCsp = "default-src 'self'; script-src 'self' 'nonce-r4nd0m' 'strict-dynamic'";
    const headers = await run("/", { "content-security-policy": appCsp, "x-frame-options": "SAMEORIGIN", "referrer-policy": "no-referrer" });
    assert.equal(headers["content-security-policy"], appCsp);
    assert.equal(headers["x-frame-options"], "SAMEORIGIN");
    assert.equal(headers["referrer-policy"], "no-referrer");
  });

  it("replaces a weaker HSTS from the origin and removes X-Powered-By", async () => {
    const headers = await run("/", { "strict-transport-security": "max-age=60", "x-powered-by": "Next.js" });
    assert.equal(headers["strict-transport-security"], `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains; preload`);
    assert.equal(headers["x-powered-by"], undefined);
  });

  it("marks admin paths noindex, like the CloudFront Function", async () => {
    assert.equal((await run("/admin/bookings", {}))["x-robots-tag"], ROBOTS_RULES[0].value);
    assert.equal((await run("/tutors", {}))["x-robots-tag"], undefined);
  });

  it("returns the response it was given (status untouched) with CloudFront's header shape", async () => {
    const response = await handler(lambdaEdgeResponseEvent("/", {}, "404"));
    assert.equal(response.status, "404");
    assert.deepEqual(response.headers!["strict-transport-security"], [{ key: "Strict-Transport-Security", value: `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains; preload` }]);
  });

  it("rejects an event without a response with a typed error", async () => {
    for (const event of [{ Records: [] }, undefined, {}, { Records: [{}] }, { Records: [{ cf: {} }] }]) {
      await assert.rejects(
        handler(event as never),
        (e: unknown) => e instanceof EdgeEventError && e.name === "EdgeEventError" && e.code === "NOT_A_RESPONSE_EVENT" && e.message === "event has no Records[0].cf.response",
        JSON.stringify(event),
      );
    }
  });

  it("sets the headers on a response that came without any, or without a request beside it (path taken as /)", async () => {
    const bare = lambdaEdgeResponseEvent("/admin", {});
    delete (bare.Records[0].cf.response as { headers?: unknown }).headers;
    delete (bare.Records[0].cf as { request?: unknown }).request;
    const headers = fromLambdaEdgeHeaders((await handler(bare)).headers as Record<string, { value: string }[]>);
    assert.equal(headers["strict-transport-security"], `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains; preload`);
    assert.equal(headers["x-robots-tag"], undefined, "no path, no admin path");
  });

  it("sends X-Robots-Tag: noindex, nofollow under its own name on admin paths, over the app's, percent-escaped or not", async () => {
    for (const uri of ["/admin/bookings", "/%61dmin", "/ADMIN/x"]) {
      const response = await handler(lambdaEdgeResponseEvent(uri, { "x-robots-tag": [{ key: "X-Robots-Tag", value: "all" }] }));
      assert.deepEqual(response.headers!["x-robots-tag"], [{ key: "X-Robots-Tag", value: "noindex, nofollow" }], uri);
    }
  });

  it("fills in a header the origin sent with no value", async () => {
    const event = lambdaEdgeResponseEvent("/", { "content-security-policy": [] });
    const headers = fromLambdaEdgeHeaders((await handler(event)).headers as Record<string, { value: string }[]>);
    assert.equal(headers["content-security-policy"], SITE_CSP);
  });

  it("never fails the viewer's request: when the headers cannot be set, the origin's response goes out as it came and the failure is logged", async () => {
    const origin = Object.freeze(toLambdaEdgeHeaders({ "content-type": "text/html", "x-powered-by": "Next.js" }));
    const event = lambdaEdgeResponseEvent("/", origin as Record<string, { key: string; value: string }[]>);
    const logged: string[] = [];
    const error = console.error;
    console.error = (line: string) => logged.push(line);
    let response;
    try {
      response = await handler(event);
    } finally {
      console.error = error;
    }
    assert.equal(response.status, "200");
    assert.equal(response.headers, origin);
    assert.deepEqual(Object.keys(response.headers!), ["content-type", "x-powered-by"]);
    assert.equal(logged.length, 1);
    const entry = JSON.parse(logged[0]) as { message: string; error: string };
    assert.equal(entry.message, "security headers not applied");
    assert.match(entry.error, /^Cannot delete property 'x-powered-by' /, "the error's own message");
  });

  describe("the bundle deployed to Lambda@Edge", () => {
    const bundle = bundleHandler({ entry: join(ROOT, "functions", "edge", "lambdaEdgeHeaders.ts"), target: "node22" });

    it("fits the viewer-trigger package limit (1 MB) by a wide margin", () => {
      assert.ok(bundle.bytes < EDGE_LIMITS.viewer.maxPackageBytes / 10, `${bundle.bytes} bytes`);
    });

    it("needs no module at run time (no require of anything but Node built-ins)", () => {
      const required = [...bundle.code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
      assert.deepEqual(required.filter((m) => !m.startsWith("node:")), []);
    });

    it("behaves as the source does", async () => {
      const bundled = loadBundledHandler(bundle.code);
      const origin = toLambdaEdgeHeaders({ "content-type": "text/html", "x-powered-by": "Next.js" });
      const fromBundle = await bundled(lambdaEdgeResponseEvent("/admin", structuredClone(origin)));
      const fromSource = await handler(lambdaEdgeResponseEvent("/admin", structuredClone(origin)));
      assert.deepEqual(fromBundle, fromSource);
    });

    it("carries the header set the Cdn compiles in (Lambda@Edge has no environment variables)", async () => {
      const policy = { ...DEFAULT_SITE_POLICY, frameSources: ["https://embed.example.org"], permissions: ["camera=()"] };
      const compiled = bundleHandler({ entry: join(ROOT, "functions", "edge", "lambdaEdgeHeaders.ts"), target: "node22", define: { [SITE_HEADERS_DEFINE]: JSON.stringify(siteHeaders(policy)) } });
      const headers = fromLambdaEdgeHeaders((await loadBundledHandler(compiled.code)(lambdaEdgeResponseEvent("/", {}))).headers as Record<string, { value: string }[]>);
      assert.equal(headers["permissions-policy"], "camera=()");
      assert.match(headers["content-security-policy-report-only"], /frame-src https:\/\/embed\.example\.org;/);
      const plain = fromLambdaEdgeHeaders((await loadBundledHandler(bundle.code)(lambdaEdgeResponseEvent("/", {}))).headers as Record<string, { value: string }[]>);
      assert.equal(plain["permissions-policy"], PERMISSIONS_POLICY, "without a compiled set, the defaults");
    });
  });
});
