import { randomBytes } from "node:crypto";
import * as http from "node:http";
import * as https from "node:https";
import { AddressInfo, Socket } from "node:net";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { applyResponseHeadersPolicy, HeaderMap } from "./cloudfrontHeaders";
import { CfMap, CfRequest, CfResponse, loadCloudFrontFunction, LoadedFunction } from "./cloudfrontFunctionsSandbox";
import type { CachePolicyContents, OriginRequestPolicyContents } from "./managedPolicies";
import type { PlannedBehaviour, PlannedDistribution, PlannedOrigin } from "./planDistribution";
import { checkSignedRequest } from "./signedRequests";
import { loopbackCertificates } from "./selfSignedCert";

/**
 * A local stand-in for one CloudFront distribution, driven by the plan (tools/edge/planDistribution.ts).
 * Each step cites the CloudFront Developer Guide page it follows
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/<page>.html); what it does not
 * emulate is listed in docs/edge.md ("What the local edge emulator does not emulate").
 *
 * Viewers reach it as an HTTP forward proxy on 127.0.0.1 (a browser's `--proxy-server`): plain-HTTP
 * requests arrive in absolute form, HTTPS arrives as `CONNECT host:443` and is terminated here with a
 * throw-away certificate, so the browser sends the real site host names and no DNS is needed.
 * Origins are real local servers: the Next.js app for custom origins, the S3 emulator (path-style)
 * for S3 origins.
 */

export interface LocalOrigin {
  /** `http://127.0.0.1:<port>`: where the origin really listens (origin TLS is not emulated). */
  url: string;
  /** S3 origins: the bucket in the local S3 emulator (path-style requests). */
  bucket?: string;
}

export interface EdgeEmulatorOptions {
  distribution: PlannedDistribution;
  /** originId -> the local server standing in for it. Every planned origin needs one. */
  origins: Record<string, LocalOrigin>;
  /**
   * Replaces the PEM of planned public keys (key id -> PEM). The committed stack files hold public
   * keys whose private halves were discarded, so a test signs with its own key under the same id.
   */
  publicKeyOverrides?: Record<string, string>;
  /** Clock for TTLs and signed-URL expiry. Default `() => new Date()`. */
  now?: () => Date;
}

/** One viewer request as the emulator handled it (for assertions and test output). */
export interface EdgeLogEntry {
  method: string;
  host: string;
  uri: string;
  protocol: "http" | "https";
  behaviour: string;
  status: number;
  /** Hit, Miss, RefreshHit, Redirect, Error, FunctionGeneratedResponse (the `x-edge-result-type` values). */
  result: string;
  /** Headers the origin received (lower-case names), when the origin was asked. */
  originRequestHeaders?: Record<string, string>;
  reason?: string;
}

export interface EdgeEmulator {
  /** `http://127.0.0.1:<port>`: give it to the browser as its proxy server. */
  readonly proxyUrl: string;
  readonly port: number;
  readonly log: EdgeLogEntry[];
  /** Empties the cache (an invalidation of `/*`). */
  invalidateAll(): void;
  stop(): Promise<void>;
}

/** CloudFront path patterns: `*` any run of characters, `?` exactly one, case-sensitive ("Path pattern", distribution-web-values-specify.html). */
export function wildcardRegex(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
}

/** First ordered behaviour whose pattern matches the path, else the default (distribution-web-values-specify.html#DownloadDistValuesPathPattern). */
export function behaviourFor(distribution: PlannedDistribution, path: string): PlannedBehaviour {
  return distribution.behaviours.find((b) => wildcardRegex(b.pathPattern!).test(path)) ?? distribution.defaultBehaviour;
}

/** Headers that concern one connection, never passed on (RFC 9110 §7.6.1; CloudFront's own hop handling). */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-authorization", "proxy-authenticate", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"]);
/** Viewer headers CloudFront manages itself on origin requests (RequestAndResponseBehaviorCustomOrigin.html). */
const CLOUDFRONT_MANAGED = new Set(["host", "via", "x-forwarded-for", "x-amz-cf-id", "accept-encoding", "cookie", "range", "if-none-match", "if-modified-since", "if-match", "if-unmodified-since", "if-range", "expect"]);
/** Status codes CloudFront caches as errors, 10 s unless the origin says otherwise (HTTPStatusCodes.html). */
const CACHED_ERRORS = new Set([400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504]);
const ERROR_CACHING_MIN_TTL = 10;
/** Content types CloudFront compresses at the edge (ServingCompressedFiles.html#compressed-content-cloudfront-file-types), abridged. */
const COMPRESSIBLE = /^(text\/|application\/(javascript|json|xml|x-javascript|manifest\+json|ld\+json|rss\+xml|atom\+xml|xhtml\+xml|wasm)|image\/svg\+xml|font\/|application\/vnd\.ms-fontobject|application\/x-font)/;
/** `text/x-component` is the RSC payload type; CloudFront's list has no entry for it, so it is left as the origin sent it. */

interface CachedObject {
  status: number;
  headers: HeaderMap;
  setCookies: string[];
  body: Buffer;
  storedAt: number;
  ttlSeconds: number;
}

function parseCookies(header: string | undefined): [string, string][] {
  if (!header) return [];
  return header
    .split(";")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const i = part.indexOf("=");
      return i < 0 ? [part, ""] : [part.slice(0, i), part.slice(i + 1)];
    });
}

type Behavior = "none" | "whitelist" | "allExcept" | "all" | "allViewer" | "allViewerAndWhitelistCloudFront";

/** Whether a config selects `name` (header names compare case-insensitively, cookies and query names exactly). */
function selects(behavior: Behavior | undefined, items: string[] | undefined, name: string, caseInsensitive: boolean): boolean {
  const list = (items ?? []).map((i) => (caseInsensitive ? i.toLowerCase() : i));
  const n = caseInsensitive ? name.toLowerCase() : name;
  switch (behavior) {
    case "all":
    case "allViewer":
    case "allViewerAndWhitelistCloudFront":
      return true;
    case "whitelist":
      return list.includes(n);
    case "allExcept":
      return !list.includes(n);
    default:
      return false;
  }
}

interface Selection {
  header(name: string): boolean;
  cookie(name: string): boolean;
  query(name: string): boolean;
  cloudFrontHeaders: Set<string>;
}

/** What the cache policy puts in the cache key (controlling-the-cache-key.html, cache-key-understand-cache-policy.html). */
function cacheKeySelection(cp: CachePolicyContents): Selection {
  const p = cp.parametersInCacheKeyAndForwardedToOrigin;
  const headers = p.headersConfig.headerBehavior === "whitelist" ? p.headersConfig.headers?.items ?? [] : [];
  return {
    header: (n) => selects(p.headersConfig.headerBehavior, headers, n, true),
    cookie: (n) => selects(p.cookiesConfig.cookieBehavior, p.cookiesConfig.cookies?.items, n, false),
    query: (n) => selects(p.queryStringsConfig.queryStringBehavior, p.queryStringsConfig.queryStrings?.items, n, false),
    cloudFrontHeaders: new Set(headers.filter((h) => /^cloudfront-/i.test(h)).map((h) => h.toLowerCase())),
  };
}

/**
 * What reaches the origin: everything in the cache key plus what the origin request policy adds
 * (controlling-origin-requests.html: "All URL query strings, HTTP headers, and cookies that you
 * include in the cache key ... are automatically included in origin requests").
 */
function originSelection(cp: CachePolicyContents, orp: OriginRequestPolicyContents | undefined): Selection {
  const key = cacheKeySelection(cp);
  if (!orp) return key;
  const hb = orp.headersConfig.headerBehavior;
  const hItems = orp.headersConfig.headers?.items ?? [];
  const cfFromItems = hb === "whitelist" || hb === "allViewerAndWhitelistCloudFront" ? hItems.filter((h) => /^cloudfront-/i.test(h)) : [];
  return {
    // `allViewerAndWhitelistCloudFront` lists CloudFront headers in items; the viewer's own are all included.
    header: (n) => key.header(n) || (hb === "allViewerAndWhitelistCloudFront" ? true : selects(hb, hItems, n, true)),
    cookie: (n) => key.cookie(n) || selects(orp.cookiesConfig.cookieBehavior, orp.cookiesConfig.cookies?.items, n, false),
    query: (n) => key.query(n) || selects(orp.queryStringsConfig.queryStringBehavior, orp.queryStringsConfig.queryStrings?.items, n, false),
    cloudFrontHeaders: new Set([...key.cloudFrontHeaders, ...cfFromItems.map((h) => h.toLowerCase()), ...(orp.cloudFrontHeaders ?? []).map((h) => h.toLowerCase())]),
  };
}

/** Whether a behaviour's origin requests carry the viewer's Host, and which CloudFront-generated headers they carry. */
export function forwardedToOrigin(behaviour: PlannedBehaviour): { viewerHost: boolean; cloudFrontHeaders: string[]; cookies: "all" | "some" | "none" } {
  const sel = originSelection(behaviour.cachePolicy.contents, behaviour.originRequestPolicy?.contents);
  const cp = behaviour.cachePolicy.contents.parametersInCacheKeyAndForwardedToOrigin.cookiesConfig.cookieBehavior;
  const orp = behaviour.originRequestPolicy?.contents.cookiesConfig.cookieBehavior ?? "none";
  return { viewerHost: sel.header("host"), cloudFrontHeaders: [...sel.cloudFrontHeaders].sort(), cookies: cp === "all" || orp === "all" ? "all" : cp === "none" && orp === "none" ? "none" : "some" };
}

/** The normalised Accept-Encoding CloudFront keys on and forwards (cache-key-understand-cache-policy.html#cache-policy-compressed-objects). */
function normalisedAcceptEncoding(viewer: string | undefined, cp: CachePolicyContents): string | undefined {
  const p = cp.parametersInCacheKeyAndForwardedToOrigin;
  const tokens = (viewer ?? "").split(",").map((t) => t.trim().split(";")[0].toLowerCase());
  const out: string[] = [];
  if (p.enableAcceptEncodingBrotli && tokens.includes("br")) out.push("br");
  if (p.enableAcceptEncodingGzip && tokens.includes("gzip")) out.push("gzip");
  return out.length ? out.join(",") : undefined;
}

/**
 * How long CloudFront keeps an object (Expiration.html, "Managing how long content stays in the cache"):
 * `s-maxage`, else `max-age`, clamped to [min, max] TTL; `no-store`/`no-cache`/`private` mean "not
 * cached" when the minimum TTL is 0, else the minimum TTL; `Expires` when there is no max-age;
 * nothing at all: the default TTL. Errors: the origin's max-age, else 10 s (HTTPStatusCodes.html).
 */
export function ttlFor(status: number, headers: HeaderMap, cp: CachePolicyContents, now: number): number {
  const cc = (headers["cache-control"] ?? "").toLowerCase();
  const directive = (name: string) => {
    const m = new RegExp(`(?:^|,)\\s*${name}\\s*=\\s*"?(\\d+)`).exec(cc);
    return m ? Number(m[1]) : undefined;
  };
  const clamp = (v: number) => Math.min(Math.max(v, cp.minTtl), cp.maxTtl);
  const maxAge = directive("s-maxage") ?? directive("max-age");
  const noCache = /(?:^|,)\s*(no-store|no-cache|private)\b/.test(cc);
  if (cp.maxTtl === 0) return 0;
  if (status >= 400) {
    if (!CACHED_ERRORS.has(status)) return 0;
    if (noCache) return 0;
    return maxAge ?? ERROR_CACHING_MIN_TTL;
  }
  if (![200, 203, 204, 206, 300, 301, 302, 307, 308, 410].includes(status)) return 0;
  if (noCache) return cp.minTtl;
  if (maxAge !== undefined) return clamp(maxAge);
  if (headers.expires) {
    const at = Date.parse(headers.expires);
    if (!Number.isNaN(at)) return clamp(Math.max(0, Math.floor((at - now) / 1000)));
  }
  return cp.defaultTtl;
}

function toCfMap(entries: [string, string][]): CfMap {
  const map: CfMap = {};
  for (const [k, v] of entries) {
    if (map[k]) (map[k].multiValue ??= [{ value: map[k].value }]).push({ value: v });
    else map[k] = { value: v };
  }
  return map;
}

function fromCfMap(map: CfMap | undefined): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(map ?? {})) {
    if (v.multiValue?.length) for (const m of v.multiValue) out.push([k, m.value]);
    else out.push([k, v.value]);
  }
  return out;
}

interface ViewerRequest {
  method: string;
  protocol: "http" | "https";
  host: string;
  path: string;
  query: [string, string][];
  /** The query string exactly as the viewer sent it (without `?`): what signatures and redirects use. */
  rawQuery: string;
  headers: Record<string, string>;
  cookies: [string, string][];
  body: Buffer;
  viewerIp: string;
  viewerPort: number;
  httpVersion: string;
}

interface ViewerResponse {
  status: number;
  headers: HeaderMap;
  setCookies: string[];
  body: Buffer;
}

function serialiseQuery(query: [string, string][]): string {
  return query.length ? `?${query.map(([k, v]) => `${encodeURIComponent(k)}${v === "" ? "" : `=${encodeURIComponent(v)}`}`).join("&")}` : "";
}

function sliceRange(range: string | undefined, object: ViewerResponse): ViewerResponse {
  // Range GETs (RangeGETs.html): CloudFront answers a single byte range with 206 from what it has.
  const m = /^bytes=(\d*)-(\d*)$/.exec(range ?? "");
  if (!m || object.status !== 200 || (m[1] === "" && m[2] === "")) return object;
  const size = object.body.length;
  let start = m[1] === "" ? size - Number(m[2]) : Number(m[1]);
  let end = m[1] === "" || m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  start = Math.max(0, start);
  if (start > end || start >= size) {
    return { status: 416, headers: { "content-range": `bytes */${size}`, "content-type": "text/plain" }, setCookies: [], body: Buffer.alloc(0) };
  }
  end = Math.max(end, start);
  return { ...object, status: 206, headers: { ...object.headers, "content-range": `bytes ${start}-${end}/${size}` }, body: object.body.subarray(start, end + 1) };
}

/** Starts the emulator on 127.0.0.1 (a free port). */
export async function startEdgeEmulator(options: EdgeEmulatorOptions): Promise<EdgeEmulator> {
  const d = options.distribution;
  const now = options.now ?? (() => new Date());
  for (const id of Object.keys(d.origins)) if (!options.origins[id]) throw new Error(`no local server given for origin ${id}`);
  for (const b of [...d.behaviours, d.defaultBehaviour]) {
    if (b.lambdaAssociations.length) throw new Error(`behaviour ${b.pathPattern ?? "default"} uses Lambda@Edge, which the emulator does not run`);
    if (b.responseHeadersPolicy?.contents.corsConfig) throw new Error(`response headers policy ${b.responseHeadersPolicy.name} has a CORS config, which the emulator does not model`);
  }
  const fnCache = new Map<string, LoadedFunction>();
  const fn = (source: string) => {
    let loaded = fnCache.get(source);
    if (!loaded) fnCache.set(source, (loaded = loadCloudFrontFunction(source)));
    return loaded;
  };
  const cache = new Map<string, CachedObject>();
  const log: EdgeLogEntry[] = [];
  const hosts = new Set([...d.aliases, d.domainName].map((h) => h.toLowerCase()));
  const popId = () => randomBytes(28).toString("base64url");
  const viaId = randomBytes(16).toString("hex");

  async function fetchOrigin(origin: PlannedOrigin, local: LocalOrigin, method: string, pathAndQuery: string, headers: Record<string, string>, body: Buffer): Promise<ViewerResponse> {
    const target = new URL(local.url);
    const path = origin.kind === "s3" ? `/${local.bucket}${origin.originPath}${pathAndQuery}` : `${origin.originPath}${pathAndQuery}`;
    // S3 through the local emulator: path-style with its own Host (OAC's SigV4 signing is not emulated).
    const sendHeaders = origin.kind === "s3" ? { ...headers, host: target.host } : headers;
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: target.hostname, port: target.port, method, path, headers: { ...sendHeaders, "content-length": String(body.length) }, timeout: origin.readTimeoutSeconds * 1000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const out: HeaderMap = {};
            const setCookies: string[] = [];
            for (const [k, v] of Object.entries(res.headers)) {
              if (v === undefined || HOP_BY_HOP.has(k)) continue;
              if (k === "set-cookie") setCookies.push(...(v as string[]));
              else out[k] = Array.isArray(v) ? v.join(", ") : v;
            }
            resolve({ status: res.statusCode ?? 502, headers: out, setCookies, body: Buffer.concat(chunks) });
          });
          res.on("error", reject);
        },
      );
      // originReadTimeout: CloudFront answers 504 when the origin does not respond in time.
      req.on("timeout", () => req.destroy(new Error("origin read timeout")));
      req.on("error", reject);
      req.end(body);
    });
  }

  async function handle(v: ViewerRequest): Promise<{ response: ViewerResponse; entry: EdgeLogEntry }> {
    const entry: EdgeLogEntry = { method: v.method, host: v.host, uri: v.path, protocol: v.protocol, behaviour: "-", status: 0, result: "Miss" };
    const plain = (status: number, text: string, result: string, extra: HeaderMap = {}): ViewerResponse => {
      entry.result = result;
      return { status, headers: { "content-type": "text/html", server: "CloudFront", ...extra }, setCookies: [], body: Buffer.from(`<html><body><h1>${status}</h1><p>${text}</p><p>Generated by cloudfront (CloudFront)</p></body></html>`) };
    };

    // A Host that no alias (and not the distribution's own name) covers is not this distribution's (CNAMEs.html).
    if (!hosts.has(v.host.toLowerCase())) return { response: plain(403, "Bad request. The host is not an alternate domain name of this distribution.", "Error"), entry };

    const behaviour = behaviourFor(d, v.path);
    entry.behaviour = behaviour.pathPattern ?? "default";
    const origin = d.origins[behaviour.targetOriginId];
    const local = options.origins[behaviour.targetOriginId];

    // Viewer protocol policy (using-https-viewers-to-cloudfront.html): 301 to HTTPS, or 403 for https-only.
    if (v.protocol === "http" && behaviour.viewerProtocolPolicy === "redirect-to-https") {
      return { response: plain(301, "Moved Permanently", "Redirect", { location: `https://${v.host}${v.path}${v.rawQuery ? `?${v.rawQuery}` : ""}` }), entry };
    }
    if (v.protocol === "http" && behaviour.viewerProtocolPolicy === "https-only") return { response: plain(403, "HTTPS required", "Error"), entry };
    // Allowed methods (DownloadDistValuesAllowedHTTPMethods): others are refused with 403.
    if (!behaviour.allowedMethods.includes(v.method)) return { response: plain(403, `${v.method} is not allowed on this behaviour`, "Error"), entry };

    // Trusted key groups: a valid signed URL or signed cookies, checked on the URL the viewer asked for.
    if (behaviour.trustedKeys) {
      const keys = { ...behaviour.trustedKeys };
      for (const [id, pem] of Object.entries(options.publicKeyOverrides ?? {})) if (id in keys) keys[id] = pem;
      const check = checkSignedRequest({ url: `https://${v.host}${v.path}${v.rawQuery ? `?${v.rawQuery}` : ""}`, cookies: Object.fromEntries(v.cookies), viewerIp: v.viewerIp, now: now() }, keys);
      if (!check.ok) {
        entry.reason = check.reason;
        return { response: plain(403, "Missing or invalid signature", "Error"), entry };
      }
    }

    // Viewer-request CloudFront Function (functions-event-structure.html): may rewrite the request or answer itself.
    let uri = v.path;
    let query = v.query;
    let headers = { ...v.headers };
    let cookies = v.cookies;
    const event = (eventType: "viewer-request" | "viewer-response", response?: CfResponse) => ({
      version: "1.0" as const,
      context: { distributionDomainName: d.domainName, distributionId: "EMULATOR", eventType, requestId: popId() },
      viewer: { ip: v.viewerIp },
      request: { method: v.method, uri, querystring: toCfMap(query), headers: toCfMap(Object.entries(headers).filter(([k]) => k !== "cookie")), cookies: toCfMap(cookies) } as CfRequest,
      response,
    });
    const vrSource = behaviour.functions["viewer-request"];
    if (vrSource) {
      const result = fn(vrSource).invoke(event("viewer-request"));
      if (typeof (result as CfResponse).statusCode === "number") {
        const r = result as CfResponse;
        const h: HeaderMap = Object.fromEntries(fromCfMap(r.headers));
        const body = r.body ? Buffer.from(r.body.data, r.body.encoding === "base64" ? "base64" : "utf8") : Buffer.alloc(0);
        entry.result = "FunctionGeneratedResponse";
        return { response: { status: r.statusCode, headers: h, setCookies: fromCfMap(r.cookies).map(([k, val]) => `${k}=${val}`), body }, entry };
      }
      const r = result as CfRequest;
      uri = r.uri;
      query = fromCfMap(r.querystring);
      headers = Object.fromEntries(fromCfMap(r.headers));
      cookies = fromCfMap(r.cookies);
    }

    const cp = behaviour.cachePolicy.contents;
    const keySel = cacheKeySelection(cp);
    const originSel = originSelection(cp, behaviour.originRequestPolicy?.contents);
    const ae = normalisedAcceptEncoding(headers["accept-encoding"], cp);
    const cloudFrontValues: Record<string, string> = {
      "cloudfront-viewer-address": `${v.viewerIp}:${v.viewerPort}`,
      "cloudfront-forwarded-proto": v.protocol,
      "cloudfront-viewer-http-version": v.httpVersion,
      ...(v.protocol === "https" ? { "cloudfront-viewer-tls": "TLSv1.3:TLS_AES_128_GCM_SHA256:fullHandshake" } : {}),
    };

    // HEAD requests pass through uncached here (CloudFront answers them from GET objects; not emulated).
    const cacheable = behaviour.cachedMethods.includes(v.method) && v.method === "GET";
    const keyParts = [
      behaviour.pathPattern ?? "*",
      uri,
      JSON.stringify(query.filter(([k]) => keySel.query(k))),
      JSON.stringify(
        Object.entries({ ...headers, ...cloudFrontValues })
          .filter(([k]) => keySel.header(k) || keySel.cloudFrontHeaders.has(k))
          .sort(),
      ),
      JSON.stringify(cookies.filter(([k]) => keySel.cookie(k))),
      ae ?? "",
    ];
    const key = keyParts.join("\u0000");
    const nowMs = now().getTime();

    let object: ViewerResponse & { age?: number };
    const cached = cacheable ? cache.get(key) : undefined;
    if (cached && nowMs < cached.storedAt + cached.ttlSeconds * 1000) {
      entry.result = "Hit";
      object = { status: cached.status, headers: { ...cached.headers }, setCookies: [...cached.setCookies], body: cached.body, age: Math.floor((nowMs - cached.storedAt) / 1000) };
    } else {
      // The origin request (RequestAndResponseBehaviorCustomOrigin.html, RequestAndResponseBehaviorS3Origin.html).
      const out: Record<string, string> = {};
      for (const [k, val] of Object.entries(headers)) {
        if (HOP_BY_HOP.has(k) || CLOUDFRONT_MANAGED.has(k) || /^cloudfront-/.test(k)) continue;
        if (originSel.header(k)) out[k] = val;
      }
      // Host: the viewer's when a policy includes it, else the origin's domain name.
      out.host = originSel.header("host") ? v.host : origin.domainName;
      if (!originSel.header("user-agent")) out["user-agent"] = "Amazon CloudFront";
      const forwardedCookies = cookies.filter(([k]) => originSel.cookie(k));
      if (forwardedCookies.length) out.cookie = forwardedCookies.map(([k, val]) => `${k}=${val}`).join("; ");
      if (ae) out["accept-encoding"] = ae;
      for (const name of originSel.cloudFrontHeaders) if (cloudFrontValues[name]) out[name] = cloudFrontValues[name];
      out["x-forwarded-for"] = headers["x-forwarded-for"] ? `${headers["x-forwarded-for"]}, ${v.viewerIp}` : v.viewerIp;
      out.via = `${v.httpVersion} ${viaId}.cloudfront.net (CloudFront)`;
      out["x-amz-cf-id"] = popId();
      // Origin custom headers (add-origin-custom-headers.html) override viewer headers of the same name.
      for (const [name, value] of Object.entries(origin.customHeaders)) out[name.toLowerCase()] = value;
      entry.originRequestHeaders = out;
      const originQuery = query.filter(([k]) => originSel.query(k));
      // Untouched by a function and wholly forwarded: the viewer's own bytes; otherwise re-encoded.
      const asSent = originQuery.length === v.query.length && JSON.stringify(query) === JSON.stringify(v.query);
      const originSearch = asSent ? (v.rawQuery ? `?${v.rawQuery}` : "") : serialiseQuery(originQuery);
      try {
        object = await fetchOrigin(origin, local, v.method, `${uri}${originSearch}`, out, v.method === "GET" || v.method === "HEAD" ? Buffer.alloc(0) : v.body);
      } catch (error) {
        entry.reason = (error as Error).message;
        object = /timeout/.test(entry.reason) ? plain(504, "Gateway Timeout", "Error") : plain(502, "Bad Gateway", "Error");
      }
      // Neither policy includes cookies: CloudFront drops Set-Cookie from the origin's response (Cookies.html).
      const cookiesOff = cp.parametersInCacheKeyAndForwardedToOrigin.cookiesConfig.cookieBehavior === "none" && (behaviour.originRequestPolicy?.contents.cookiesConfig.cookieBehavior ?? "none") === "none";
      if (cookiesOff) object.setCookies = [];
      const ttl = cacheable ? ttlFor(object.status, object.headers, cp, nowMs) : 0;
      if (ttl > 0) cache.set(key, { status: object.status, headers: { ...object.headers }, setCookies: [...object.setCookies], body: object.body, storedAt: nowMs, ttlSeconds: ttl });
      entry.result = object.status >= 400 ? "Error" : cached ? "RefreshHit" : "Miss";
    }

    // Response headers policy (modifying-response-headers.html): every response served from the cache or the origin, errors
    // included; inserted after the cache and before the viewer-response function, which sees its headers (AWS blog
    // "Amazon CloudFront introduces Response Headers Policies", networking-and-content-delivery, 2021).
    let viewerHeaders: HeaderMap = behaviour.responseHeadersPolicy ? applyResponseHeadersPolicy(behaviour.responseHeadersPolicy.contents, object.headers) : { ...object.headers };
    let setCookies = object.setCookies;

    // Viewer-response function: not run when the origin answered 400 or more (functions-event-structure.html / edge-functions-restrictions.html).
    const vsSource = behaviour.functions["viewer-response"];
    if (vsSource && object.status < 400) {
      const cfResponse: CfResponse = { statusCode: object.status, statusDescription: http.STATUS_CODES[object.status], headers: toCfMap(Object.entries(viewerHeaders)), cookies: toCfMap(setCookies.map((c) => { const i = c.indexOf("="); return [c.slice(0, i), c.slice(i + 1)] as [string, string]; })) };
      const r = fn(vsSource).invoke(event("viewer-response", cfResponse)) as CfResponse;
      viewerHeaders = Object.fromEntries(fromCfMap(r.headers));
      setCookies = fromCfMap(r.cookies).map(([k, val]) => `${k}=${val}`);
      object = { ...object, status: r.statusCode };
    }

    let response: ViewerResponse = { status: object.status, headers: viewerHeaders, setCookies, body: object.body };
    if (cacheable && v.headers.range) response = sliceRange(v.headers.range, response);

    // Edge compression (ServingCompressedFiles.html): compress on, viewer accepts it, origin did not encode, 1,000 B to 10 MB, listed type.
    const accepts = (v.headers["accept-encoding"] ?? "").toLowerCase();
    if (behaviour.compress && !response.headers["content-encoding"] && response.status === 200 && COMPRESSIBLE.test(response.headers["content-type"] ?? "") && response.body.length >= 1000 && response.body.length <= 10_000_000) {
      if (/\bbr\b/.test(accepts)) response = { ...response, body: brotliCompressSync(response.body), headers: { ...response.headers, "content-encoding": "br" } };
      else if (/\bgzip\b/.test(accepts)) response = { ...response, body: gzipSync(response.body), headers: { ...response.headers, "content-encoding": "gzip" } };
      if (response.headers["content-encoding"]) delete response.headers["content-length"];
    }
    response.headers["x-cache"] = `${entry.result === "Hit" ? "Hit" : entry.result === "RefreshHit" ? "RefreshHit" : entry.result === "Error" ? "Error" : "Miss"} from cloudfront`;
    response.headers.via = `1.1 ${viaId}.cloudfront.net (CloudFront)`;
    response.headers["x-amz-cf-pop"] = "LHR50-P1";
    response.headers["x-amz-cf-id"] = popId();
    if (object.age !== undefined) response.headers.age = String(object.age);
    return { response, entry };
  }

  const onRequest = (protocol: "http" | "https") => (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      // Plain HTTP through a proxy arrives in absolute form; tunnelled HTTPS in origin form.
      const raw = req.url ?? "/";
      const url = /^https?:\/\//.test(raw) ? new URL(raw) : new URL(`https://${req.headers.host ?? "unknown"}${raw}`);
      const headers: Record<string, string> = {};
      for (const [k, val] of Object.entries(req.headers)) if (val !== undefined && !k.startsWith("proxy-")) headers[k] = Array.isArray(val) ? val.join(", ") : val;
      type Tagged = Socket & { viewerAddress?: { ip: string; port: number }; _parent?: Tagged };
      const socket = req.socket as Tagged;
      const viewer = socket.viewerAddress ?? socket._parent?.viewerAddress ?? { ip: socket.remoteAddress ?? "127.0.0.1", port: socket.remotePort ?? 0 };
      const rawQuery = url.search.slice(1);
      const query: [string, string][] = rawQuery
        ? rawQuery.split("&").map((p) => {
            const i = p.indexOf("=");
            const dec = (s: string) => { try { return decodeURIComponent(s.replace(/\+/g, " ")); } catch { return s; } };
            return i < 0 ? [dec(p), ""] : [dec(p.slice(0, i)), dec(p.slice(i + 1))];
          })
        : [];
      const viewerRequest: ViewerRequest = {
        method: req.method ?? "GET",
        protocol,
        host: (headers.host ?? url.host).replace(/:\d+$/, ""),
        path: url.pathname,
        query,
        rawQuery,
        headers,
        cookies: parseCookies(headers.cookie),
        body: Buffer.concat(chunks),
        viewerIp: viewer.ip.replace(/^::ffff:/, ""),
        viewerPort: viewer.port,
        httpVersion: req.httpVersion === "2.0" ? "2.0" : "1.1",
      };
      try {
        const { response, entry } = await handle(viewerRequest);
        entry.status = response.status;
        log.push(entry);
        const out: http.OutgoingHttpHeaders = { ...response.headers, "content-length": String(response.body.length) };
        if (response.setCookies.length) out["set-cookie"] = response.setCookies;
        res.writeHead(response.status, out);
        res.end(req.method === "HEAD" ? undefined : response.body);
      } catch (error) {
        log.push({ method: viewerRequest.method, host: viewerRequest.host, uri: viewerRequest.path, protocol, behaviour: "-", status: 503, result: "Error", reason: (error as Error).message });
        res.writeHead(503, { "content-type": "text/plain" }).end(`edge emulator error: ${(error as Error).message}`);
      }
    });
  };

  const certs = loopbackCertificates();
  const tls = https.createServer({ key: certs.key, cert: certs.cert }, onRequest("https"));
  const proxy = http.createServer(onRequest("http"));
  proxy.on("connect", (req: http.IncomingMessage, socket: Socket, head: Buffer) => {
    const [, port] = (req.url ?? "").split(":");
    if (port !== "443") {
      socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
      return;
    }
    // The browser's own address and port: what CloudFront-Viewer-Address reports.
    Object.assign(socket, { viewerAddress: { ip: (socket.remoteAddress ?? "127.0.0.1").replace(/^::ffff:/, ""), port: socket.remotePort ?? 0 } });
    socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    if (head.length) socket.unshift(head);
    tls.emit("connection", socket);
  });
  const sockets = new Set<Socket>();
  proxy.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    proxy.once("error", reject);
    proxy.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (proxy.address() as AddressInfo).port;
  return {
    proxyUrl: `http://127.0.0.1:${port}`,
    port,
    log,
    invalidateAll: () => cache.clear(),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        tls.close();
        proxy.close(() => resolve());
      }),
  };
}
