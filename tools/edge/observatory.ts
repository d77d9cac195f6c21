/**
 * Scores the response headers the edge is configured to send with the MDN HTTP Observatory.
 *
 *   npm run observatory -- [dev|prod]      (default dev)
 *
 * 1. Runs the real program for the stack under mocks and takes what it declares: the site and media
 *    Response Headers Policies, the CloudFront Function's exact source, the Lambda@Edge handler if
 *    the stack opts in.
 * 2. Builds the responses CloudFront would send for a site page and a media object from typical
 *    origin responses (Vercel/Next.js, S3) with a model of CloudFront (tools/edge/cloudfrontHeaders.ts).
 * 3. Serves them over HTTPS on 127.0.0.1 (certificate from a throw-away CA), with HTTP redirecting
 *    to HTTPS as CloudFront's redirect-to-https does, and scans them with the Observatory's own code
 *    in a child process that trusts that CA (tools/edge/observatoryScan.mjs).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { handler as lambdaEdgeHandler } from "../../functions/edge/lambdaEdgeHeaders";
import { runUnderMocks } from "../mocks/runtime";
import { loadStackFile } from "../mocks/stackFile";
import { loadCloudFrontFunction, viewerResponseEvent } from "./cloudfrontFunctionsSandbox";
import { applyResponseHeadersPolicy, fromCfHeaders, fromLambdaEdgeHeaders, HeaderMap, RecordedResponseHeadersPolicy, toLambdaEdgeHeaders } from "./cloudfrontHeaders";
import { loopbackCertificates } from "./selfSignedCert";

const ROOT = join(__dirname, "..", "..");

/** A response to serve and score. */
export interface EdgeResponse {
  label: string;
  path: string;
  headers: HeaderMap;
  body: string;
}

export interface ObservatoryResult {
  label: string;
  grade: string;
  score: number;
  testsPassed: number;
  testsQuantity: number;
  verifiedCertificate: boolean;
  tests: Record<string, { result: string; pass: boolean; scoreModifier: number }>;
}

/** What a Next.js page on Vercel typically sends (no CSP of its own: the worst case for the default). */
export const VERCEL_PAGE = {
  headers: { "content-type": "text/html; charset=utf-8", "cache-control": "private, no-cache, no-store, max-age=0, must-revalidate", "x-powered-by": "Next.js", server: "Vercel" },
  body: '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>My Private Tutor Online</title><script src="/_next/static/chunks/main-4f1c2b.js" async=""></script></head><body><div id="__next"></div></body></html>',
};

/** What S3 sends for a stored video. */
export const S3_VIDEO = {
  headers: { "content-type": "video/mp4", "accept-ranges": "bytes", etag: '"5d41402abc4b2a76b9719d911017c592"', server: "AmazonS3", "last-modified": "Mon, 02 Nov 2026 10:00:00 GMT" },
  body: "\u0000\u0000\u0000\u0018ftypmp42",
};

interface Declared {
  sitePolicy?: RecordedResponseHeadersPolicy;
  mediaPolicy: RecordedResponseHeadersPolicy;
  functionCode: string;
  lambdaEdge: boolean;
  mediaPathPrefix: string;
  /** The distribution's aliases (the hosts its CloudFront Function serves). */
  hosts: string[];
}

/** Runs the stack's program under mocks and picks out the edge's header configuration. */
export async function declaredEdge(stack: string): Promise<Declared> {
  const loaded = loadStackFile(ROOT, stack);
  const { program } = await import("../../stacks/program");
  const result = await runUnderMocks(program, { project: loaded.project, stack, config: loaded.config, secretKeys: loaded.secretKeys });
  const policies = result.resources.filter((r) => r.type === "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy");
  const byRole = (role: string) => policies.find((p) => p.name.endsWith(`-${role}-headers`))?.inputs as RecordedResponseHeadersPolicy | undefined;
  const fn = result.resources.find((r) => r.type === "aws:cloudfront/function:Function");
  const distribution = result.resources.find((r) => r.type === "aws:cloudfront/distribution:Distribution");
  if (!fn || !distribution || !byRole("media")) throw new Error(`stack ${stack} declares no distribution, CloudFront Function or media headers policy`);
  const media = (distribution.inputs.orderedCacheBehaviors as { pathPattern: string; targetOriginId: string }[]).find((b) => b.targetOriginId === "media");
  const defaultBehavior = distribution.inputs.defaultCacheBehavior as { lambdaFunctionAssociations?: unknown[] };
  return {
    sitePolicy: byRole("site"),
    mediaPolicy: byRole("media")!,
    functionCode: fn.inputs.code as string,
    lambdaEdge: (defaultBehavior.lambdaFunctionAssociations ?? []).length > 0,
    mediaPathPrefix: media!.pathPattern.replace(/\/\*$/, ""),
    hosts: distribution.inputs.aliases as string[],
  };
}

/** Headers a viewer receives for a site page at `path` from an origin response, on the stack's configured path. */
export async function siteResponseHeaders(declared: Declared, path: string, originHeaders: HeaderMap): Promise<HeaderMap> {
  if (declared.lambdaEdge) {
    const response = await lambdaEdgeHandler({
      Records: [{ cf: { config: {} as never, request: { uri: path, method: "GET", querystring: "", clientIp: "198.51.100.11", headers: {} }, response: { status: "200", statusDescription: "OK", headers: toLambdaEdgeHeaders(originHeaders) } } }],
    });
    return fromLambdaEdgeHeaders(response.headers as Record<string, { value: string }[]>);
  }
  const afterPolicy = applyResponseHeadersPolicy(declared.sitePolicy!, originHeaders);
  const fn = loadCloudFrontFunction(declared.functionCode);
  const result = fn.invoke(viewerResponseEvent({ uri: path, responseHeaders: afterPolicy })) as { headers: Record<string, { value: string }> };
  return fromCfHeaders(result.headers);
}

/** The two responses the Observatory target is about: a site page and a media object. */
export async function configuredEdgeResponses(stack: string): Promise<EdgeResponse[]> {
  const declared = await declaredEdge(stack);
  const mediaPath = `${declared.mediaPathPrefix}/videos/7d9c1f0e-4b2a-4c55-9b8e-2f1d3a4b5c6d/intro.mp4`;
  return [
    { label: "site", path: "/", headers: await siteResponseHeaders(declared, "/", VERCEL_PAGE.headers), body: VERCEL_PAGE.body },
    { label: "media", path: mediaPath, headers: applyResponseHeadersPolicy(declared.mediaPolicy, S3_VIDEO.headers), body: S3_VIDEO.body },
  ];
}

function listen(server: http.Server | https.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: http.Server | https.Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}

function runScan(caFile: string, httpPort: number, httpsPort: number, path: string): Promise<Omit<ObservatoryResult, "label">> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, "observatoryScan.mjs"), "127.0.0.1", String(httpPort), String(httpsPort), path], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile, ABORT_TIMEOUT: "8000", CLIENT_TIMEOUT: "7000" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000); // a stuck scanner must not hang the caller
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      const line = out.trim().split("\n").pop() ?? "";
      try {
        const parsed = JSON.parse(line);
        if (code !== 0 || parsed.error) reject(new Error(`observatory scan failed (${code}): ${parsed.error ?? err}`));
        else resolve(parsed);
      } catch {
        reject(new Error(`observatory scan printed no result (exit ${code}): ${err || out}`));
      }
    });
  });
}

/**
 * Serves `responses` on 127.0.0.1 (HTTPS, plus HTTP redirecting to it) and scores each with the
 * Observatory. Servers and the temporary CA file are gone when the promise settles.
 */
export async function scoreWithObservatory(responses: EdgeResponse[]): Promise<ObservatoryResult[]> {
  const certs = loopbackCertificates();
  const dir = mkdtempSync(join(tmpdir(), "mpto-observatory-"));
  const caFile = join(dir, "ca.pem");
  writeFileSync(caFile, certs.caCert);
  const byPath = new Map(responses.map((r) => [r.path, r]));

  let httpsPort = 0;
  const secure = https.createServer({ key: certs.key, cert: certs.cert }, (req, res) => {
    const found = byPath.get((req.url ?? "/").split("?")[0]);
    if (!found) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, found.headers);
    res.end(req.method === "HEAD" || req.method === "OPTIONS" ? undefined : found.body);
  });
  const plain = http.createServer((req, res) => {
    // CloudFront's redirect-to-https: 301 to the same host and path on HTTPS.
    res.writeHead(301, { location: `https://127.0.0.1:${httpsPort}${req.url ?? "/"}`, "content-type": "text/plain" }).end();
  });
  try {
    httpsPort = await listen(secure);
    const httpPort = await listen(plain);
    // One scanner process per response, side by side (each is independent of the others).
    return await Promise.all(responses.map(async (r) => ({ label: r.label, ...(await runScan(caFile, httpPort, httpsPort, r.path)) })));
  } finally {
    await Promise.all([close(secure), close(plain)]);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const stack = process.argv[2] ?? "dev";
  const results = await scoreWithObservatory(await configuredEdgeResponses(stack));
  for (const r of results) {
    console.log(`${r.label.padEnd(6)} grade ${r.grade.padEnd(2)}  score ${String(r.score).padStart(3)}/100  tests passed ${r.testsPassed}/${r.testsQuantity}  (certificate verified: ${r.verifiedCertificate})`);
    for (const [name, t] of Object.entries(r.tests)) console.log(`         ${t.scoreModifier >= 0 ? "+" : ""}${t.scoreModifier}`.padEnd(14) + `${name}: ${t.result}`);
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
