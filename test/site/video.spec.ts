import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Browser, BrowserContext, chromium } from "playwright-core";
import { createPlaybackCookies } from "../../functions/media/createPlaybackCookies";
import { EdgeEmulator, startEdgeEmulator } from "../../tools/edge/edgeEmulator";
import { PlannedDistribution, plannedDistribution } from "../../tools/edge/planDistribution";
import { plan } from "../../tools/plan/plan";
import { S3rver, s3rverClient, startS3rver } from "../support/s3rver";
import { chromiumLaunchOptions, seedMedia, signingKeyPair } from "./harness";

/**
 * HLS playback behind the planned prod distribution: a real adaptive ladder made by ffmpeg, stored at
 * the keys the MediaConvert job writes (videos/<id>/hls/..., functions/video/jobSettings.ts),
 * played by hls.js in headless Chromium through the local edge, with the CloudFront signed cookies
 * functions/media/createPlaybackCookies.ts makes. The page itself comes from a small local origin in
 * place of the Next.js app (the site behaviour's origin): what is under test is the media path.
 */

declare const document: any;

const run = promisify(execFile);
const VIDEO_ID = "5a1e2f3c-4b5d-4e6f-8a7b-9c0d1e2f3a4b";
const OTHER_ID = "6b2f3a4d-5c6e-4f70-9b8c-0d1e2f3a4b5c";

/** A 6 s test source with a tone, as a two-rung HLS ladder (360p, 180p) in 2 s segments, under the names the key rules accept. */
async function makeLadder(dir: string): Promise<{ key: string; body: Buffer; contentType: string }[]> {
  const ffmpeg = (require("@ffmpeg-installer/ffmpeg") as { path: string }).path;
  // One ffmpeg run per rendition, and the master playlist written here: the packaged ffmpeg (a 2018
  // static build) crashes when it writes several variants and a master playlist in one run.
  const rungs = [
    { name: "360p", width: 640, height: 360, bitrate: 600_000 },
    { name: "180p", width: 320, height: 180, bitrate: 200_000 },
  ];
  for (const r of rungs) {
    // prettier-ignore
    await run(ffmpeg, [
      "-hide_banner", "-loglevel", "error",
      "-f", "lavfi", "-i", "testsrc=size=640x360:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "6",
      "-vf", `scale=${r.width}:${r.height}`, "-c:v", "libx264", "-profile:v", "main", "-level", "3.0", "-pix_fmt", "yuv420p",
      "-g", "50", "-keyint_min", "50", "-sc_threshold", "0", "-b:v", String(r.bitrate), "-c:a", "aac", "-b:a", "96k", "-ac", "2",
      "-f", "hls", "-hls_time", "2", "-hls_playlist_type", "vod",
      "-hls_segment_filename", join(dir, `index_${r.name}_%05d.ts`), join(dir, `index_${r.name}.m3u8`),
    ], { timeout: 120_000 });
  }
  const master = ["#EXTM3U", "#EXT-X-VERSION:3", ...rungs.flatMap((r) => [`#EXT-X-STREAM-INF:BANDWIDTH=${r.bitrate + 96_000},RESOLUTION=${r.width}x${r.height},CODECS="avc1.4d401e,mp4a.40.2"`, `index_${r.name}.m3u8`])];
  writeFileSync(join(dir, "index.m3u8"), `${master.join("\n")}\n`);
  await run(ffmpeg, ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=640x360", "-frames:v", "1", "-y", join(dir, "poster.0000001.jpg")], { timeout: 60_000 });
  const objects = readdirSync(dir)
    .filter((f) => /\.(m3u8|ts)$/.test(f))
    .map((f) => ({ key: `videos/${VIDEO_ID}/hls/${f}`, body: readFileSync(join(dir, f)), contentType: f.endsWith(".m3u8") ? "application/vnd.apple.mpegurl" : "video/mp2t" }));
  objects.push({ key: `videos/${VIDEO_ID}/poster/poster.0000001.jpg`, body: readFileSync(join(dir, "poster.0000001.jpg")), contentType: "image/jpeg" });
  // The original stays in uploads/: no cookie covers it and the distribution may not read it.
  objects.push({ key: `uploads/${VIDEO_ID}/lesson.mp4`, body: readFileSync(join(dir, "index_360p_00000.ts")), contentType: "video/mp4" });
  return objects;
}

const PLAYER = `<!doctype html><html><head><meta charset="utf-8"><title>player</title></head><body>
<video id="v" muted playsinline></video>
<script src="/hls.min.js"></script>
<script>
  const src = new URLSearchParams(location.search).get("src");
  const video = document.getElementById("v");
  window.__events = [];
  const hls = new Hls({ maxBufferLength: 4 });
  hls.on(Hls.Events.ERROR, (_e, d) => { if (d.fatal) window.__fatal = d.type + " " + d.details + " " + (d.response ? d.response.code : ""); });
  hls.on(Hls.Events.MANIFEST_PARSED, (_e, d) => window.__events.push("manifest " + d.levels.length + " levels"));
  video.addEventListener("playing", () => window.__events.push("playing"));
  hls.loadSource(src);
  hls.attachMedia(video);
  video.play().catch((e) => window.__events.push("play() " + e.name));
</script></body></html>`;

/** The page origin standing in for the app: the player page and hls.js (from node_modules). */
async function startPageOrigin(): Promise<{ server: Server; url: string }> {
  const hlsJs = readFileSync(require.resolve("hls.js/dist/hls.min.js"));
  const server = createServer((req, res) => {
    if (req.url?.startsWith("/watch")) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
      res.end(PLAYER);
    } else if (req.url === "/hls.min.js") {
      res.writeHead(200, { "content-type": "text/javascript", "cache-control": "no-store" });
      res.end(hlsJs);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe("test:site: HLS playback with CloudFront signed cookies, behind the emulated prod distribution", function () {
  this.timeout(300_000);
  let dir: string;
  let s3: S3rver | undefined;
  let edge: EdgeEmulator | undefined;
  let pages: { server: Server; url: string } | undefined;
  let browser: Browser | undefined;
  let distribution: PlannedDistribution;
  let siteHost: string;
  let keyPairId: string;
  let privateKey: string;
  const checked: string[] = [];

  const cookiesFor = (videoId: string, now = new Date()) => createPlaybackCookies(videoId, { domain: siteHost, keyPairId, privateKey, expiresInSeconds: 600, now: () => now });
  async function contextWith(cookies: ReturnType<typeof cookiesFor> | undefined): Promise<BrowserContext> {
    const context = await browser!.newContext({ ignoreHTTPSErrors: true });
    if (cookies) {
      await context.addCookies(
        cookies.cookies.map((c) => ({ name: c.name, value: c.value, domain: siteHost, path: c.attributes.path, secure: true, httpOnly: true, sameSite: c.attributes.sameSite, expires: Math.floor(new Date(c.attributes.expires).getTime() / 1000) })),
      );
    }
    return context;
  }
  const playlist = () => `https://${siteHost}/media/videos/${VIDEO_ID}/hls/index.m3u8`;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "mpto-hls-"));
    const keys = signingKeyPair();
    privateKey = keys.privateKeyPem;
    // Servers are assigned as soon as they exist, so `after` stops them even when another step failed.
    const starting = [startS3rver().then((started) => (s3 = started)), startPageOrigin().then((started) => (pages = started))];
    const [planned, ladder] = await Promise.all([plan({ stack: "prod" }), makeLadder(dir), ...starting]);
    const s3Started = s3!;
    const pageOrigin = pages!;
    distribution = plannedDistribution(planned.resources);
    siteHost = distribution.aliases[0];
    const media = distribution.behaviours.find((b) => b.trustedKeys);
    assert.ok(media, "the planned distribution has no signed media behaviour");
    keyPairId = Object.keys(media.trustedKeys!)[0];
    const bucket = distribution.origins[media.targetOriginId].domainName.split(".s3.")[0];
    await seedMedia(s3rverClient(s3Started.endpoint), bucket, ladder);
    edge = await startEdgeEmulator({
      distribution,
      origins: { [distribution.defaultBehaviour.targetOriginId]: { url: pageOrigin.url }, [media.targetOriginId]: { url: s3Started.endpoint, bucket } },
      publicKeyOverrides: { [keyPairId]: keys.publicKeyPem },
    });
    browser = await chromium.launch(await chromiumLaunchOptions(edge.proxyUrl));
  });

  after(async () => {
    for (const c of checked) console.log(`        checked: ${c}`);
    await browser?.close().catch(() => undefined);
    await edge?.stop().catch(() => undefined);
    await s3?.stop().catch(() => undefined);
    await new Promise<void>((resolve) => (pages ? pages.server.close(() => resolve()) : resolve()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("plays the adaptive ladder with hls.js: the <video> reaches playing with currentTime > 0", async () => {
    const context = await contextWith(cookiesFor(VIDEO_ID));
    const page = await context.newPage();
    await page.goto(`https://${siteHost}/watch?src=${encodeURIComponent(playlist())}`);
    try {
      await page.waitForFunction(() => document.getElementById("v").currentTime > 0.5 && !document.getElementById("v").paused, undefined, { timeout: 60_000 });
    } catch (error) {
      const state = await page.evaluate(() => ({ fatal: (globalThis as any).__fatal, events: (globalThis as any).__events }));
      throw new Error(`the video did not play: ${JSON.stringify(state)}\n${edge!.log.slice(-10).map((e) => `${e.status} ${e.uri} ${e.reason ?? ""}`).join("\n")}`, { cause: error });
    }
    const state = await page.evaluate(() => ({ time: document.getElementById("v").currentTime, events: (globalThis as any).__events }));
    assert.ok(state.events.includes("manifest 2 levels"), JSON.stringify(state.events));
    const mediaRequests = edge!.log.filter((e) => e.uri.includes(`/videos/${VIDEO_ID}/hls/`) && e.status === 200);
    assert.ok(mediaRequests.some((e) => e.uri.endsWith(".ts")) && mediaRequests.some((e) => e.uri.endsWith("index.m3u8")), "playlists and segments came through the edge");
    checked.push(`hls.js played ${state.time.toFixed(1)} s of a 2-rung ladder through the edge with signed cookies (${mediaRequests.length} media requests)`);
    await context.close();
  });

  it("refuses the playlist without cookies, with expired cookies, and with another video's cookies (403)", async () => {
    const cases: [string, ReturnType<typeof cookiesFor> | undefined][] = [
      ["no cookies", undefined],
      ["expired cookies", cookiesFor(VIDEO_ID, new Date(Date.now() - 3600_000))],
      ["another video's cookies", cookiesFor(OTHER_ID)],
    ];
    for (const [label, cookies] of cases) {
      const context = await contextWith(cookies);
      const status = (await context.request.get(playlist(), { maxRedirects: 0 })).status();
      assert.equal(status, 403, label);
      await context.close();
    }
    checked.push("playlist refused (403) without cookies, with expired cookies, with another video's cookies");
  });

  it("never serves the original under uploads/, even with the video's own valid cookies", async () => {
    const context = await contextWith(cookiesFor(VIDEO_ID));
    const status = (await context.request.get(`https://${siteHost}/media/uploads/${VIDEO_ID}/lesson.mp4`, { maxRedirects: 0 })).status();
    assert.equal(status, 403);
    const poster = await context.request.get(`https://${siteHost}/media/videos/${VIDEO_ID}/poster/poster.0000001.jpg`);
    assert.equal(poster.status(), 200, "the cookies cover the video's poster");
    checked.push("original under uploads/ refused (403) with valid cookies; poster served");
    await context.close();
  });
});
