import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import { getSignedCookies, getSignedUrl } from "@aws-sdk/cloudfront-signer";
import { EdgeEmulator, forwardedToOrigin, startEdgeEmulator, ttlFor } from "../../../tools/edge/edgeEmulator";
import { managedCachePolicy, managedOriginRequestPolicy } from "../../../tools/edge/managedPolicies";
import type { PlannedBehaviour, PlannedDistribution } from "../../../tools/edge/planDistribution";
import { checkSignedRequest } from "../../../tools/edge/signedRequests";

/**
 * The local edge emulator in both directions, against a tiny origin that echoes what it received:
 * each rule the browser tier (test/site) relies on passes on a good configuration and visibly fails
 * on the bad one (Host not forwarded, cookies missing from the cache key, ...).
 */

const HOST = "www.example.com";
const CF_NAME = "d111111abcdef8.cloudfront.net";
const MANAGED = {
  cachingDisabled: managedCachePolicy("4135ea2d-6df8-44a3-9df3-4b5a84be39ad")!,
  cachingOptimized: managedCachePolicy("658327ea-f89d-4fab-a63d-7e88639e58f6")!,
  allViewerExceptHost: managedOriginRequestPolicy("b689b0a8-53d0-40ab-baf2-68738e2966ac")!,
};

function behaviour(overrides: Partial<PlannedBehaviour>): PlannedBehaviour {
  return {
    targetOriginId: "app",
    viewerProtocolPolicy: "redirect-to-https",
    allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
    cachedMethods: ["GET", "HEAD"],
    compress: false,
    cachePolicy: { id: MANAGED.cachingDisabled.id, name: "Managed-CachingDisabled", contents: MANAGED.cachingDisabled.contents },
    functions: {},
    lambdaAssociations: [],
    ...overrides,
  };
}

function distribution(defaultBehaviour: PlannedBehaviour, behaviours: PlannedBehaviour[] = []): PlannedDistribution {
  return {
    aliases: [HOST],
    domainName: CF_NAME,
    behaviours,
    defaultBehaviour,
    origins: { app: { originId: "app", domainName: "site.vercel.app", kind: "custom", customHeaders: { "X-Origin-Secret": "s3cret" }, originPath: "", readTimeoutSeconds: 5 } },
    geoRestriction: { restrictionType: "none", locations: [] },
  };
}

/** Per-session page cached by the origin as shared (`s-maxage`), the mistake the cache key must survive. */
const perCookiePages = {
  id: "pages",
  name: "pages",
  contents: {
    minTtl: 0,
    defaultTtl: 0,
    maxTtl: 31_536_000,
    parametersInCacheKeyAndForwardedToOrigin: {
      headersConfig: { headerBehavior: "none" as const },
      cookiesConfig: { cookieBehavior: "all" as const },
      queryStringsConfig: { queryStringBehavior: "all" as const },
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    },
  },
};
const noCookiePages = { ...perCookiePages, contents: { ...perCookiePages.contents, parametersInCacheKeyAndForwardedToOrigin: { ...perCookiePages.contents.parametersInCacheKeyAndForwardedToOrigin, cookiesConfig: { cookieBehavior: "none" as const } } } };

describe("tools/edge/edgeEmulator: the local CloudFront stand-in, rule by rule", function () {
  this.timeout(30_000);
  let origin: http.Server;
  let originUrl: string;
  const received: http.IncomingHttpHeaders[] = [];
  const running: EdgeEmulator[] = [];

  before(async () => {
    origin = http.createServer((req, res) => {
      received.push(req.headers);
      const user = /session=(\w+)/.exec(req.headers.cookie ?? "")?.[1] ?? "nobody";
      if (req.url?.startsWith("/missing")) return void res.writeHead(404, { "content-type": "text/html" }).end("not here");
      res.writeHead(200, { "content-type": "text/html", "cache-control": "public, s-maxage=300", "set-cookie": "seen=1; Path=/" }).end(`hello ${user}`);
    });
    await new Promise<void>((r) => origin.listen(0, "127.0.0.1", () => r()));
    originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
  });
  after(async () => {
    await Promise.all(running.map((e) => e.stop()));
    await new Promise((r) => origin.close(r));
  });

  /** Sends a viewer request through the emulator as a proxy client would (absolute-form HTTP), or as HTTPS inside it via `x-test-https`. */
  async function viewer(d: PlannedDistribution, path: string, init: { host?: string; cookie?: string; protocol?: "http" | "https"; method?: string } = {}) {
    const edge = await startEdgeEmulator({ distribution: d, origins: { app: { url: originUrl } } });
    running.push(edge);
    return { edge, send: (p = path, i = init) => request(edge, p, i) };
  }

  function request(edge: EdgeEmulator, path: string, init: { host?: string; cookie?: string; protocol?: "http" | "https"; method?: string } = {}) {
    const host = init.host ?? HOST;
    return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
      const headers: Record<string, string> = { host };
      if (init.cookie) headers.cookie = init.cookie;
      if (init.protocol === "https") {
        // Through the CONNECT tunnel, as a browser does.
        const connect = http.request({ host: "127.0.0.1", port: edge.port, method: "CONNECT", path: `${host}:443` });
        connect.on("connect", (_res, socket) => {
          const req = require("node:https").request({ socket, servername: host, host, path, method: init.method ?? "GET", headers, rejectUnauthorized: false, agent: false }, (res: http.IncomingMessage) => {
            let body = "";
            res.on("data", (c) => (body += c));
            res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
          });
          req.on("error", reject);
          req.end();
        });
        connect.on("error", reject);
        connect.end();
        return;
      }
      const req = http.request({ host: "127.0.0.1", port: edge.port, path: `http://${host}${path}`, method: init.method ?? "GET", headers }, (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      });
      req.on("error", reject);
      req.end();
    });
  }

  it("forwards the viewer's Host only when a policy includes it: AllViewerExceptHostHeader sends the origin's name", async () => {
    const { edge } = await viewer(distribution(behaviour({ originRequestPolicy: { id: MANAGED.allViewerExceptHost.id, name: "Managed-AllViewerExceptHostHeader", contents: MANAGED.allViewerExceptHost.contents } })), "/");
    await request(edge, "/", { protocol: "https" });
    const managed = edge.log.at(-1)!.originRequestHeaders!;
    assert.equal(managed.host, "site.vercel.app");
    assert.match(managed["cloudfront-viewer-address"], /^127\.0\.0\.1:\d+$/);
    assert.equal(managed["x-origin-secret"], "s3cret", "origin custom header");

    const custom = { id: "site", name: "site", contents: { headersConfig: { headerBehavior: "allViewerAndWhitelistCloudFront" as const, headers: { items: ["CloudFront-Viewer-Address"] } }, cookiesConfig: { cookieBehavior: "all" as const }, queryStringsConfig: { queryStringBehavior: "all" as const } } };
    const second = await viewer(distribution(behaviour({ originRequestPolicy: custom })), "/");
    await request(second.edge, "/", { protocol: "https" });
    const forwarded = second.edge.log.at(-1)!.originRequestHeaders!;
    assert.equal(forwarded.host, HOST);
    assert.match(forwarded["cloudfront-viewer-address"], /^127\.0\.0\.1:\d+$/);
  });

  it("reports what a behaviour forwards: no viewer Host under AllViewerExceptHostHeader, unless Host is in the cache key", () => {
    const orp = { id: MANAGED.allViewerExceptHost.id, name: "Managed-AllViewerExceptHostHeader", contents: MANAGED.allViewerExceptHost.contents };
    assert.equal(forwardedToOrigin(behaviour({ originRequestPolicy: orp })).viewerHost, false);
    const keyed = { ...perCookiePages, contents: { ...perCookiePages.contents, parametersInCacheKeyAndForwardedToOrigin: { ...perCookiePages.contents.parametersInCacheKeyAndForwardedToOrigin, headersConfig: { headerBehavior: "whitelist" as const, headers: { items: ["Host"] } } } } };
    assert.equal(forwardedToOrigin(behaviour({ originRequestPolicy: orp, cachePolicy: keyed })).viewerHost, true);
    assert.ok(forwardedToOrigin(behaviour({ originRequestPolicy: orp })).cloudFrontHeaders.includes("cloudfront-viewer-address"));
    assert.deepEqual(forwardedToOrigin(behaviour({})).cloudFrontHeaders, []);
  });

  it("keys the cache on cookies when the cache policy says so, and leaks a shared-cacheable page when it does not", async () => {
    const good = await viewer(distribution(behaviour({ cachePolicy: perCookiePages })), "/p");
    assert.equal((await good.send("/p", { protocol: "https", cookie: "session=alice" })).body, "hello alice");
    const again = await good.send("/p", { protocol: "https", cookie: "session=alice" });
    assert.equal(again.headers["x-cache"], "Hit from cloudfront");
    assert.equal((await good.send("/p", { protocol: "https", cookie: "session=bob" })).body, "hello bob");

    const bad = await viewer(distribution(behaviour({ cachePolicy: noCookiePages, originRequestPolicy: { id: MANAGED.allViewerExceptHost.id, name: "x", contents: MANAGED.allViewerExceptHost.contents } })), "/p");
    assert.equal((await bad.send("/p", { protocol: "https", cookie: "session=alice" })).body, "hello alice");
    const leaked = await bad.send("/p", { protocol: "https", cookie: "session=bob" });
    assert.equal(leaked.body, "hello alice", "with cookies forwarded but not in the key, CloudFront serves alice's page to bob");
    assert.equal(leaked.headers["x-cache"], "Hit from cloudfront");
  });

  it("strips Set-Cookie when no policy includes cookies; passes it when one does", async () => {
    const off = await viewer(distribution(behaviour({ cachePolicy: noCookiePages })), "/");
    assert.equal((await off.send("/", { protocol: "https" })).headers["set-cookie"], undefined);
    const on = await viewer(distribution(behaviour({ cachePolicy: perCookiePages })), "/");
    assert.deepEqual((await on.send("/", { protocol: "https" })).headers["set-cookie"], ["seen=1; Path=/"]);
  });

  it("redirects HTTP to HTTPS (301), refuses HTTP on https-only (403), refuses unlisted methods and unknown hosts (403)", async () => {
    const { send } = await viewer(distribution(behaviour({}), [behaviour({ pathPattern: "/media/*", viewerProtocolPolicy: "https-only", allowedMethods: ["GET", "HEAD"] })]), "/");
    const redirect = await send("/a?b=1", { protocol: "http" });
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.location, `https://${HOST}/a?b=1`);
    assert.equal((await send("/media/x", { protocol: "http" })).status, 403);
    assert.equal((await send("/media/x", { protocol: "https", method: "POST" })).status, 403);
    assert.equal((await send("/", { protocol: "https", host: "evil.example.net" })).status, 403);
    assert.equal((await send("/", { protocol: "https", host: CF_NAME })).status, 200, "the distribution's own name is served unless a function refuses it");
  });

  it("runs the viewer-response function on 2xx only; the response headers policy applies to errors too", async () => {
    const fn = "function handler(event) { event.response.headers['x-fn'] = { value: 'ran' }; return event.response; }";
    const policy = { id: "h", name: "h", contents: { customHeadersConfig: { items: [{ header: "X-Policy", value: "on", override: true }] } } };
    const { send } = await viewer(distribution(behaviour({ functions: { "viewer-response": fn }, responseHeadersPolicy: policy })), "/");
    const ok = await send("/", { protocol: "https" });
    assert.deepEqual([ok.headers["x-fn"], ok.headers["x-policy"]], ["ran", "on"]);
    const missing = await send("/missing", { protocol: "https" });
    assert.equal(missing.status, 404);
    assert.deepEqual([missing.headers["x-fn"], missing.headers["x-policy"]], [undefined, "on"]);
  });

  it("answers with the viewer-request function's own response", async () => {
    const fn = "function handler(event) { if (event.request.headers.host.value.endsWith('.cloudfront.net')) return { statusCode: 403, statusDescription: 'Forbidden' }; return event.request; }";
    const { send } = await viewer(distribution(behaviour({ functions: { "viewer-request": fn } })), "/");
    assert.equal((await send("/", { protocol: "https", host: CF_NAME })).status, 403);
    assert.equal((await send("/", { protocol: "https" })).status, 200);
  });

  it("computes TTLs as CloudFront does (s-maxage over max-age, clamped; no-store with min TTL 0; default TTL; errors 10 s)", () => {
    const opt = MANAGED.cachingOptimized.contents;
    const pages = perCookiePages.contents;
    assert.equal(ttlFor(200, { "cache-control": "max-age=60, s-maxage=600" }, opt, 0), 600);
    assert.equal(ttlFor(200, { "cache-control": "max-age=0" }, opt, 0), 1, "clamped to the minimum TTL");
    assert.equal(ttlFor(200, { "cache-control": "private, no-store" }, pages, 0), 0);
    assert.equal(ttlFor(200, { "cache-control": "no-store" }, opt, 0), 1);
    assert.equal(ttlFor(200, {}, opt, 0), 86_400);
    assert.equal(ttlFor(200, {}, pages, 0), 0);
    assert.equal(ttlFor(404, {}, pages, 0), 10);
    assert.equal(ttlFor(200, { "cache-control": "max-age=600" }, MANAGED.cachingDisabled.contents, 0), 0);
  });
});

describe("tools/edge/signedRequests: CloudFront's signed URL and signed cookie checks", () => {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pem = publicKey.export({ type: "spki", format: "pem" }) as string;
  const priv = privateKey.export({ type: "pkcs8", format: "pem" }) as string;
  const keys = { K2JCJMDEHXQW5F: pem };
  const url = "https://www.example.com/media/videos/a/intro.mp4";
  const now = new Date("2026-12-01T12:00:00Z");
  const later = new Date("2026-12-01T13:00:00Z");
  const check = (signed: string, at = now, cookies: Record<string, string> = {}) => checkSignedRequest({ url: signed, cookies, viewerIp: "198.51.100.11", now: at }, keys);

  it("accepts a canned signed URL (SHA-1 and SHA-256) until it expires, and nothing altered", () => {
    for (const algorithm of ["SHA1", "SHA256"] as const) {
      const signed = getSignedUrl({ url, keyPairId: "K2JCJMDEHXQW5F", privateKey: priv, dateLessThan: later.toISOString(), algorithm });
      assert.deepEqual(check(signed), { ok: true, via: "url", keyPairId: "K2JCJMDEHXQW5F" }, algorithm);
      assert.equal(check(signed, new Date("2026-12-01T13:00:01Z")).ok, false, "expired");
      assert.equal(check(signed.replace("intro.mp4", "other.mp4")).ok, false, "another object");
      assert.equal(check(signed.replace(/Signature=[^&]{6}/, "Signature=AAAAAA")).ok, false, "tampered");
      assert.equal(check(signed.replace("K2JCJMDEHXQW5F", "KOTHERKEY00001")).ok, false, "untrusted key");
    }
    assert.equal(check(url).ok, false, "unsigned");
  });

  it("accepts signed cookies with a custom policy for a folder, and only inside it", () => {
    const policy = JSON.stringify({ Statement: [{ Resource: "https://www.example.com/media/videos/a/*", Condition: { DateLessThan: { "AWS:EpochTime": Math.floor(later.getTime() / 1000) } } }] });
    const cookies = getSignedCookies({ policy, keyPairId: "K2JCJMDEHXQW5F", privateKey: priv }) as unknown as Record<string, string>;
    assert.equal(check(url, now, cookies).ok, true);
    assert.equal(check("https://www.example.com/media/videos/a/seg/00001.ts", now, cookies).ok, true);
    assert.equal(check("https://www.example.com/media/videos/b/intro.mp4", now, cookies).ok, false);
    assert.equal(check(url, now, { ...cookies, "CloudFront-Signature": "AAAA" }).ok, false);
  });
});
