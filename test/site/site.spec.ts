import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getSignedCookies } from "@aws-sdk/cloudfront-signer";
import { chromium, Browser, BrowserContext, Page } from "playwright-core";
import { EdgeEmulator, startEdgeEmulator } from "../../tools/edge/edgeEmulator";
import { managedOriginRequestPolicy } from "../../tools/edge/managedPolicies";
import { scoreWithObservatory, ObservatoryResult } from "../../tools/edge/observatory";
import { PlannedDistribution, plannedDistribution } from "../../tools/edge/planDistribution";
import { plan } from "../../tools/plan/plan";
import { S3rver, s3rverClient, startS3rver } from "../support/s3rver";
import { buildApp, chromiumLaunchOptions, copyFixtureApp, makeMedia, removeApp, RunningApp, seedMedia, signingKeyPair, startApp } from "./harness";

/**
 * The site behind the edge (issue 12): the fixture Next.js app (test/site/app), built and started
 * with the real `next`, behind the local edge emulator (tools/edge/edgeEmulator.ts) driven by the
 * offline plan of the prod stack, media from the S3 emulator, in headless Chromium.
 *
 * The emulator follows the plan, so this spec fails when the planned distribution would break the
 * site on CloudFront (Host not forwarded, a CSP that blocks Next.js, a cache key that leaks pages).
 * What the emulator does not emulate is listed in docs/edge.md.
 */

// Code passed to page.evaluate runs in the browser; the project compiles without the DOM library, so
// these names are declared here (module scope: nothing leaks into other files).
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const window: any;
declare const location: any;

const STACK = "prod";
const VIDEO_KEY = "videos/7d9c1f0e-4b2a-4c55-9b8e-2f1d3a4b5c6d/intro.mp4";
const IMAGE_KEY = "images/0b8f7a2e-1c3d-4e5f-8a9b-0c1d2e3f4a5b/poster.png";

interface CspViolation {
  disposition: string;
  directive: string;
  blocked: string;
  page: string;
}

describe(`test:site: a real Next.js app behind the emulated ${STACK} distribution, in headless Chromium`, function () {
  let appDir: string;
  let mediaDir: string;
  let app: RunningApp | undefined;
  let s3: S3rver | undefined;
  let edge: EdgeEmulator | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let distribution: PlannedDistribution;
  let site: string;
  let siteHost: string;
  let keyPairId: string;
  let privateKeyPem: string;
  const violations: CspViolation[] = [];
  const checked: string[] = [];
  let observatory: ObservatoryResult | undefined;
  const timings: Record<string, number> = {};

  const pass = (what: string) => checked.push(what);
  /** Runs one set-up step and names it in the error if it fails. */
  async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
    const t = Date.now();
    try {
      const result = await work();
      timings[name] = (Date.now() - t) / 1000;
      return result;
    } catch (error) {
      throw new Error(`set-up step "${name}" failed: ${(error as Error).stack ?? error}`, { cause: error });
    }
  }

  async function newContext(cookies: { name: string; value: string }[] = [], options: { proxy?: string; sink?: CspViolation[] } = {}): Promise<BrowserContext> {
    const sink = options.sink ?? violations;
    const ctx = await browser!.newContext({ ignoreHTTPSErrors: true, ...(options.proxy ? { proxy: { server: options.proxy } } : {}) });
    if (cookies.length) await ctx.addCookies(cookies.map((c) => ({ ...c, domain: siteHost, path: "/", secure: true, httpOnly: true, sameSite: "Lax" as const })));
    // Every CSP violation the browser raises, enforced or Report-Only, on every page of the context.
    await ctx.exposeBinding("__cspViolation", (_source, v: CspViolation) => sink.push(v));
    await ctx.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e: any) => {
        (window as unknown as { __cspViolation: (v: unknown) => void }).__cspViolation({ disposition: e.disposition, directive: e.effectiveDirective, blocked: e.blockedURI, page: location.pathname });
      });
    });
    return ctx;
  }

  const controls: EdgeEmulator[] = [];
  /** A second emulator in front of the same app and S3 emulator, for a changed distribution. */
  async function startControlEdge(changed: PlannedDistribution): Promise<EdgeEmulator> {
    const media = changed.behaviours.find((b) => b.trustedKeys)!;
    const e = await startEdgeEmulator({ distribution: changed, origins: { [changed.defaultBehaviour.targetOriginId]: { url: app!.url }, [media.targetOriginId]: { url: s3!.endpoint, bucket: mediaBucket } } });
    controls.push(e);
    return e;
  }
  let mediaBucket = "";

  before(async function () {
    const started = Date.now();
    appDir = copyFixtureApp();
    mediaDir = mkdtempSync(join(tmpdir(), "mpto-site-media-"));
    const keys = signingKeyPair();
    privateKeyPem = keys.privateKeyPem;

    // The plan, the app build and the media are independent: side by side.
    const [planned, , media] = await Promise.all([
      step("plan", () => plan({ stack: STACK })),
      step("build", () => buildApp(appDir)),
      step("media", () => makeMedia(mediaDir)),
    ]);
    const s3Started = await step("s3", () => startS3rver());
    s3 = s3Started;
    distribution = plannedDistribution(planned.resources);
    siteHost = distribution.aliases[0];
    site = `https://${siteHost}`;

    const mediaBehaviour = distribution.behaviours.find((b) => b.trustedKeys);
    assert.ok(mediaBehaviour, "the planned distribution has no behaviour with trusted key groups (media)");
    keyPairId = Object.keys(mediaBehaviour.trustedKeys!)[0];
    const mediaOrigin = distribution.origins[mediaBehaviour.targetOriginId];
    const bucket = mediaOrigin.domainName.split(".s3.")[0];
    mediaBucket = bucket;
    await step("seed", () => seedMedia(s3rverClient(s3Started.endpoint), bucket, [
      { key: VIDEO_KEY, body: media.video, contentType: "video/mp4" },
      { key: IMAGE_KEY, body: media.image, contentType: "image/png" },
    ]));

    app = await step("start", () => startApp(appDir, { MEDIA_DOMAIN: siteHost, MEDIA_KEY_PAIR_ID: keyPairId, MEDIA_PRIVATE_KEY: privateKeyPem }));
    const siteBehaviour = distribution.defaultBehaviour;
    edge = await step("edge", () => startEdgeEmulator({
      distribution,
      origins: { [siteBehaviour.targetOriginId]: { url: app!.url }, [mediaBehaviour.targetOriginId]: { url: s3Started.endpoint, bucket } },
      publicKeyOverrides: { [keyPairId]: keys.publicKeyPem },
    }));
    browser = await step("browser", async () => chromium.launch(await chromiumLaunchOptions(edge!.proxyUrl)));
    context = await newContext();
    page = await context.newPage();
    timings.setup = (Date.now() - started) / 1000;
  });

  after(async function () {
    console.log(`\n      test:site (${STACK} plan; plan ${timings.plan?.toFixed(1)} s, next build ${timings.build?.toFixed(1)} s, next start ${timings.start?.toFixed(1)} s, set-up ${timings.setup?.toFixed(1)} s)`);
    for (const c of checked) console.log(`        checked: ${c}`);
    const enforced = violations.filter((v) => v.disposition === "enforce");
    const reported = violations.filter((v) => v.disposition === "report");
    console.log(`        CSP violations: ${enforced.length} enforced, ${reported.length} Report-Only`);
    for (const v of violations) console.log(`          ${v.disposition.padEnd(7)} ${v.directive} blocked ${v.blocked || "(inline)"} on ${v.page}`);
    console.log(`        MDN Observatory grade of the real app's home page through the edge: ${observatory ? `${observatory.grade} (${observatory.score}/100, ${observatory.testsPassed}/${observatory.testsQuantity} tests)` : "not scored"}`);
    if (observatory) for (const [name, t] of Object.entries(observatory.tests)) if (t.scoreModifier !== 0 || !t.pass) console.log(`          ${t.scoreModifier >= 0 ? "+" : ""}${t.scoreModifier} ${name}: ${t.result}`);
    if (edge && (this as unknown as { currentTest?: { state?: string } }).currentTest?.state !== "passed") {
      const tail = edge.log.slice(-15).map((e) => `          ${e.status} ${e.result.padEnd(9)} ${e.method} ${e.host}${e.uri} [${e.behaviour}]${e.reason ? ` ${e.reason}` : ""}`);
      console.log(`        last edge requests:\n${tail.join("\n")}`);
    }
    await browser?.close().catch(() => undefined);
    await edge?.stop().catch(() => undefined);
    for (const c of controls) await c.stop().catch(() => undefined);
    await app?.stop().catch(() => undefined);
    await s3?.stop().catch(() => undefined);
    if (appDir) removeApp(appDir);
    if (mediaDir) rmSync(mediaDir, { recursive: true, force: true });
  });

  it("serves the viewer's Host and CloudFront-Viewer-Address to the app (Vercel needs both behind a proxy)", async () => {
    const res = await page.goto(`${site}/`);
    assert.equal(res?.status(), 200, await res?.text());
    const entry = edge!.log.find((e) => e.uri === "/" && e.originRequestHeaders);
    assert.ok(entry, "the home page never reached the origin");
    assert.equal(entry.originRequestHeaders!.host, siteHost, `the origin saw Host ${entry.originRequestHeaders!.host}`);
    assert.match(entry.originRequestHeaders!["cloudfront-viewer-address"] ?? "", /^[\d.:a-f]+:\d+$/, "no CloudFront-Viewer-Address on the origin request");
    pass(`origin request carries Host ${siteHost} and CloudFront-Viewer-Address`);
  });

  it("hydrates the page: a click on the client component changes its state", async () => {
    await page.goto(`${site}/`);
    await page.click("#counter");
    await page.waitForFunction(() => document.querySelector("#counter")?.textContent === "Clicked 1 times", undefined, { timeout: 15_000 });
    pass("hydration (client component counts a click)");
  });

  it("runs a Server Action through the edge", async () => {
    await page.goto(`${site}/`);
    await page.click("#counter"); // hydrated first, so the form posts as an action
    await page.waitForFunction(() => document.querySelector("#counter")?.textContent === "Clicked 1 times");
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === "POST" && Boolean(r.request().headers()["next-action"])), page.click("#book")]);
    assert.equal(response.status(), 200, `Server Action answered ${response.status()}: ${app!.output().split("\n").filter((l) => /action|origin|host/i.test(l)).slice(-5).join(" | ")}`);
    await page.waitForFunction(() => document.querySelector("#booking-result")?.textContent === "Booking requested: Maths", undefined, { timeout: 15_000 });
    pass("Server Action (POST with Next-Action answered 200, result rendered)");
  });

  it("navigates client-side: fetches the RSC payload through the edge and renders it without a reload", async () => {
    await page.goto(`${site}/`);
    await page.waitForFunction(() => document.querySelector("#counter") !== null);
    await page.click("#counter");
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    const [rsc] = await Promise.all([page.waitForResponse((r) => r.request().headers()["rsc"] === "1" && new URL(r.url()).pathname === "/about"), page.click("#nav-about")]);
    assert.equal(rsc.status(), 200);
    assert.match(rsc.headers()["content-type"] ?? "", /text\/x-component/);
    await page.waitForSelector("#about-title", { timeout: 15_000 });
    assert.equal(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload), true, "the navigation reloaded the page");
    pass("client-side navigation (RSC payload text/x-component 200, rendered, no reload)");
  });

  it("enforces no CSP violation on the app's pages (Report-Only reports are counted)", async () => {
    for (const path of ["/", "/about", "/account", "/admin", "/lesson"]) {
      const res = await page.goto(`${site}${path}`);
      assert.equal(res?.status(), 200, path);
      const csp = res!.headers()["content-security-policy"] ?? "";
      assert.match(csp, /'nonce-[^']+'/, `${path}: the enforced CSP is not the app's nonce policy: ${csp}`);
      await page.waitForTimeout(300); // late violations (media, images) surface after load
    }
    const enforced = violations.filter((v) => v.disposition === "enforce");
    assert.deepEqual(enforced, [], "enforced CSP violations");
    pass(`CSP: the app's nonce policy is enforced on 5 pages; ${enforced.length} enforced violations`);
  });

  it("without the app's CSP, the CDN's enforced policy still lets Next.js hydrate and its Report-Only copy reports", async () => {
    // /plain is skipped by the fixture's nonce middleware: the response carries only the CDN's site headers.
    const before = violations.length;
    const res = await page.goto(`${site}/plain`);
    assert.equal(res?.status(), 200);
    const enforcedCsp = res!.headers()["content-security-policy"] ?? "";
    const reportOnlyCsp = res!.headers()["content-security-policy-report-only"] ?? "";
    assert.doesNotMatch(enforcedCsp, /nonce-/, "the nonce middleware ran on /plain");
    assert.match(enforcedCsp, /frame-ancestors 'none'/, `the CDN's enforced CSP is missing: ${enforcedCsp}`);
    assert.match(reportOnlyCsp, /script-src/, `the CDN's strict Report-Only CSP is missing: ${reportOnlyCsp}`);
    await page.click("#counter");
    await page.waitForFunction(() => document.querySelector("#counter")?.textContent === "Clicked 1 times", undefined, { timeout: 15_000 });
    await page.waitForTimeout(300);
    const here = violations.slice(before);
    assert.deepEqual(here.filter((v) => v.disposition === "enforce"), [], "enforced violations under the CDN's policy");
    assert.ok(here.some((v) => v.disposition === "report"), "the strict Report-Only policy reported nothing on a page with Next.js inline scripts");
    pass(`CDN headers alone (/plain): hydrates, 0 enforced violations, ${here.filter((v) => v.disposition === "report").length} Report-Only reports`);
  });

  it("never serves a personalised page from the cache to a second cookie jar", async () => {
    const alice = await newContext([{ name: "session", value: "alice" }]);
    const bob = await newContext([{ name: "session", value: "bob" }]);
    try {
      const get = async (ctx: BrowserContext, path: string) => {
        const res = await ctx.request.get(`${site}${path}`);
        return { status: res.status(), body: await res.text(), cache: res.headers()["x-cache"] ?? "" };
      };
      // A route the app (wrongly) marks shared-cacheable: the edge caches it, but per cookie.
      const a1 = await get(alice, "/hello");
      const a2 = await get(alice, "/hello");
      const b1 = await get(bob, "/hello");
      assert.match(a1.body, /Hello alice/);
      assert.match(a2.cache, /^Hit/, `the edge did not cache /hello (x-cache ${a2.cache}): the check below would prove nothing`);
      assert.match(b1.body, /Hello bob/, "bob received alice's cached page");
      assert.doesNotMatch(b1.cache, /^Hit/);
      // The personalised App Router page.
      const pa = await get(alice, "/account");
      const pb = await get(bob, "/account");
      assert.match(pa.body, /Signed in as alice/);
      assert.match(pb.body, /Signed in as bob/);
      pass("personalised responses: cached per cookie jar (second jar gets its own page; the first jar's repeat is a Hit)");
    } finally {
      await alice.close();
      await bob.close();
    }
  });

  it("sends X-Robots-Tag on /admin", async () => {
    const res = await page.goto(`${site}/admin`);
    assert.equal(res?.status(), 200);
    assert.match(res!.headers()["x-robots-tag"] ?? "", /noindex/);
    const home = await page.goto(`${site}/`);
    assert.equal(home!.headers()["x-robots-tag"], undefined);
    pass("X-Robots-Tag noindex on /admin (not on /)");
  });

  it("control: the same app behind the old design's default behaviour (Host neither forwarded nor in the key) rejects the Server Action", async () => {
    // Proves the Host check above can fail: only the default behaviour's Host handling differs.
    const old = structuredClone(distribution);
    const managed = managedOriginRequestPolicy("b689b0a8-53d0-40ab-baf2-68738e2966ac")!;
    old.defaultBehaviour.originRequestPolicy = { id: managed.id, name: "Managed-AllViewerExceptHostHeader", contents: managed.contents };
    // ... and no Host in the page cache key (a header in the key is forwarded whatever the origin request policy says).
    const headers = old.defaultBehaviour.cachePolicy.contents.parametersInCacheKeyAndForwardedToOrigin.headersConfig;
    if (headers.headers) headers.headers.items = headers.headers.items.filter((h) => h.toLowerCase() !== "host");
    const control = await startControlEdge(old);
    const ctx = await newContext([], { proxy: control.proxyUrl, sink: [] });
    try {
      const p = await ctx.newPage();
      await p.goto(`${site}/`);
      await p.click("#counter");
      await p.waitForFunction(() => document.querySelector("#counter")?.textContent === "Clicked 1 times");
      const [response] = await Promise.all([p.waitForResponse((r) => r.request().method() === "POST" && Boolean(r.request().headers()["next-action"])), p.click("#book")]);
      assert.ok(control.log.length > 0, "the control context did not go through the control edge");
      assert.ok(response.status() >= 400, `the Server Action succeeded without the viewer's Host (${response.status()})`);
      assert.equal(control.log.find((e) => e.method === "POST")?.originRequestHeaders?.host, distribution.origins[distribution.defaultBehaviour.targetOriginId].domainName);
      pass(`control: with AllViewerExceptHostHeader the origin sees Host ${distribution.origins[distribution.defaultBehaviour.targetOriginId].domainName} and Next.js answers the Server Action ${response.status()}`);
    } finally {
      await ctx.close();
    }
  });

  it("control: a CDN CSP that overrides the app's with script-src 'self' stops hydration, and the violations are counted", async () => {
    // Proves the zero-violation check above can fail: the old default CSP, forced over the app's.
    const strict = structuredClone(distribution);
    const policy = strict.defaultBehaviour.responseHeadersPolicy;
    assert.ok(policy, "the default behaviour has no response headers policy");
    policy.contents.securityHeadersConfig = { ...policy.contents.securityHeadersConfig, contentSecurityPolicy: { contentSecurityPolicy: "default-src 'self'; script-src 'self'", override: true } };
    const control = await startControlEdge(strict);
    const seen: CspViolation[] = [];
    const ctx = await newContext([], { proxy: control.proxyUrl, sink: seen });
    try {
      const p = await ctx.newPage();
      await p.goto(`${site}/`);
      await p.click("#counter");
      await p.waitForTimeout(1000);
      assert.equal(await p.evaluate(() => document.querySelector("#counter")?.textContent), "Clicked 0 times", "the page hydrated under script-src 'self'");
      assert.ok(seen.some((v) => v.disposition === "enforce" && v.directive === "script-src-elem"), `no enforced script-src violation recorded: ${JSON.stringify(seen)}`);
      pass(`control: with the CDN forcing script-src 'self' the page does not hydrate (${seen.filter((v) => v.disposition === "enforce").length} enforced violations counted)`);
    } finally {
      await ctx.close();
    }
  });

  it("refuses the distribution's own *.cloudfront.net host name", async () => {
    const res = await context.request.get(`https://${distribution.domainName}/`, { maxRedirects: 0 });
    const location = res.headers()["location"] ?? "";
    const refused = res.status() === 403 || ([301, 302, 307, 308].includes(res.status()) && distribution.aliases.some((a) => location.startsWith(`https://${a}/`)));
    assert.ok(refused, `https://${distribution.domainName}/ answered ${res.status()} ${location}`);
    assert.doesNotMatch(await res.text(), /My Private Tutor Online \(fixture\)/);
    const entry = edge!.log.filter((e) => e.host === distribution.domainName).at(-1);
    assert.ok(entry && (entry.result === "FunctionGeneratedResponse" || !entry.originRequestHeaders), "the refusal must come from the edge, not from the app");
    pass(`${distribution.domainName} refused (${res.status()}${location ? ` to ${location}` : ""})`);
  });

  it("plays media only with a valid signature (signed URL; signed cookies for a folder)", async () => {
    await page.goto(`${site}/lesson`);
    const played = await page.evaluate(async () => {
      const v = document.querySelector("#video")!;
      await v.play();
      await new Promise((r) => setTimeout(r, 600));
      return { time: v.currentTime, error: v.error?.code ?? null };
    });
    assert.ok(played.time > 0 && played.error === null, `the signed video did not play: ${JSON.stringify(played)}`);
    const refusedVideos = await page.evaluate(async () => {
      const state = (id: string) =>
        new Promise<number | null>((resolve) => {
          const v = document.querySelector(id)!;
          if (v.error) return resolve(v.error.code);
          v.addEventListener("error", () => resolve(v.error?.code ?? -1), { once: true });
          v.load();
          setTimeout(() => resolve(v.error?.code ?? null), 5000);
        });
      return { tampered: await state("#video-tampered"), expired: await state("#video-expired") };
    });
    assert.ok(refusedVideos.tampered !== null && refusedVideos.expired !== null, `a badly signed video loaded: ${JSON.stringify(refusedVideos)}`);
    const images = await page.evaluate(() => ({
      signed: document.querySelector("#poster")!.naturalWidth,
      unsigned: document.querySelector("#poster-unsigned")!.naturalWidth,
    }));
    assert.equal(images.signed, 160, "the signed image did not load");
    assert.equal(images.unsigned, 0, "the unsigned image loaded");
    const reasons = edge!.log.filter((e) => e.uri.startsWith("/media/") && e.status === 403).map((e) => e.reason);
    assert.ok(reasons.includes("the signature does not match the policy") && reasons.includes("expired") && reasons.some((r) => /no signed URL/.test(r ?? "")), `refusal reasons: ${reasons.join("; ")}`);

    // Signed cookies with a custom policy on the video's folder (how HLS playback is authorised).
    const folder = `${site}/media/${VIDEO_KEY.split("/").slice(0, 2).join("/")}/*`;
    const policy = JSON.stringify({ Statement: [{ Resource: folder, Condition: { DateLessThan: { "AWS:EpochTime": Math.floor(Date.now() / 1000) + 300 } } }] });
    const cookies = getSignedCookies({ policy, keyPairId, privateKey: privateKeyPem });
    const jar = await newContext(Object.entries(cookies).map(([name, value]) => ({ name, value: String(value) })));
    try {
      const inFolder = await jar.request.get(`${site}/media/${VIDEO_KEY}`, { headers: { range: "bytes=0-99" } });
      assert.equal(inFolder.status(), 206, `signed cookies, object in the folder: ${inFolder.status()}`);
      assert.equal((await inFolder.body()).length, 100);
      const outside = await jar.request.get(`${site}/media/${IMAGE_KEY}`);
      assert.equal(outside.status(), 403, "signed cookies for the video folder opened an image outside it");
    } finally {
      await jar.close();
    }
    pass("media: signed video plays and signed image loads; tampered, expired and unsigned refused (403); signed cookies cover their folder only, range requests 206");
  });

  it("scores the real app's home page through the edge with the MDN Observatory: A+", async () => {
    const res = await context.request.get(`${site}/`);
    assert.equal(res.status(), 200);
    const headers = { ...res.headers() };
    // The scanner gets the body decoded: drop the transfer framing the replay does not reproduce.
    for (const h of ["content-encoding", "content-length", "transfer-encoding", "connection", "keep-alive"]) delete headers[h];
    [observatory] = await scoreWithObservatory([{ label: "site (real app)", path: "/", headers, body: await res.text() }]);
    assert.equal(observatory.grade, "A+", `grade ${observatory.grade} (${observatory.score})`);
    pass(`MDN Observatory: ${observatory.grade} ${observatory.score}/100`);
  });
});
