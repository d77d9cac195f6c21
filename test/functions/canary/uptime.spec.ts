import assert from "node:assert/strict";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { IncomingHttpHeaders } from "node:http";
import { createServer, Server } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { CheckResult, formatResults, handler, PROMISED_HEADERS, runCanary, runUptimeChecks, targetFromEnvironment, UptimeTarget } from "../../../functions/canary/uptime";
import { loopbackCertificates } from "../../../tools/edge/selfSignedCert";

/**
 * The uptime canary against a real HTTPS server on 127.0.0.1 with a certificate from a throw-away CA:
 * "localhost" plays the public site and "127.0.0.1" the distribution's own *.cloudfront.net name.
 */

const DAY = 24 * 60 * 60 * 1000;
const MISSING_KEY_BODY = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>MissingKey</Code><Message>Missing Key-Pair-Id query parameter or cookie value</Message></Error>';

interface Behaviour {
  /** Accept the connection and the request, and never answer. */
  silent?: boolean;
  /** Send the media answer's headers and a first part of its body, then drop the connection. */
  cutMedia?: boolean;
  homeStatus?: number;
  dropHeader?: string;
  wrongHsts?: boolean;
  mediaStatus?: number;
  mediaBody?: string;
  directStatus?: number;
  directLocation?: string;
}

function promisedHeaderValues(): Record<string, string> {
  return Object.fromEntries(PROMISED_HEADERS.map((h) => [h.name, h.value ?? "app-or-cdn-value"]));
}

interface Seen {
  /** The name the client sent in TLS SNI (CloudFront picks the certificate by it); false when none. */
  sni: string | false | null;
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
}

type Served = { server: Server; port: number; ca: string; requests: Seen[] };

async function serve(certOptions: { notBefore?: Date; notAfter?: Date; commonName?: string }, behaviour: Behaviour = {}): Promise<Served> {
  const certs = loopbackCertificates(certOptions);
  const requests: Seen[] = [];
  const server = createServer({ cert: certs.cert, key: certs.key }, (req, res) => {
    requests.push({ sni: (req.socket as TLSSocket).servername, method: req.method, url: req.url, headers: req.headers });
    if (behaviour.silent) return;
    const host = String(req.headers.host);
    if (host === "127.0.0.1") {
      const status = behaviour.directStatus ?? 403;
      res.writeHead(status, behaviour.directLocation ? { location: behaviour.directLocation } : {});
      res.end(status === 200 ? "<html>the site</html>" : "");
      return;
    }
    if (req.url?.startsWith("/media/")) {
      const body = behaviour.mediaBody ?? MISSING_KEY_BODY;
      res.writeHead(behaviour.mediaStatus ?? 403, { "content-type": "text/xml", "content-length": Buffer.byteLength(body) });
      if (behaviour.cutMedia) res.write(body.slice(0, 10), () => res.destroy());
      else res.end(body);
      return;
    }
    const headers = promisedHeaderValues();
    if (behaviour.dropHeader) delete headers[behaviour.dropHeader];
    if (behaviour.wrongHsts) headers["strict-transport-security"] = "max-age=60";
    res.writeHead(behaviour.homeStatus ?? 200, { ...headers, "content-type": "text/html" });
    res.end("<html>home</html>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port, ca: certs.caCert, requests };
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

const target: UptimeTarget = { siteHost: "localhost", mediaProbePath: "/media/canary/unsigned-probe", distributionDomain: "127.0.0.1", certificateMinDays: 21 };
const healthyCert = { notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 90 * DAY) };

const through = (served: Served, timeoutMs = 5000) => ({ ca: served.ca, resolve: () => ({ host: "127.0.0.1", port: served.port }), timeoutMs });

async function check(certOptions: { notBefore?: Date; notAfter?: Date; commonName?: string }, behaviour: Behaviour = {}): Promise<CheckResult[]> {
  const served = await serve(certOptions, behaviour);
  try {
    return await runUptimeChecks(target, through(served));
  } finally {
    await stop(served.server);
  }
}

const failed = (results: CheckResult[]) => results.filter((r) => !r.ok).map((r) => r.check);
const detail = (results: CheckResult[], name: CheckResult["check"]) => results.find((r) => r.check === name)?.detail;

describe("uptime canary (functions/canary/uptime.ts)", () => {
  it("passes every check on a healthy site: 200 with the promised headers, a certificate good for 90 days, unsigned media refused, the cloudfront.net name refused", async () => {
    const results = await check(healthyCert);
    assert.deepEqual(failed(results), [], formatResults(results));
    assert.deepEqual(results.map((r) => r.check), ["home page", "security headers", "certificate", "media unsigned", "cloudfront.net name"]);
  });

  it("promises the CDN's transport headers with its exact values and the app-overridable ones by presence", () => {
    const hsts = PROMISED_HEADERS.find((h) => h.name === "strict-transport-security");
    assert.match(hsts?.value ?? "", /^max-age=63072000; includeSubDomains; preload$/);
    assert.ok(PROMISED_HEADERS.some((h) => h.name === "content-security-policy" && h.value === undefined), "the app's nonce CSP may replace the CDN's");
  });

  it("fails on an expired certificate (the connection itself is refused)", async () => {
    const results = await check({ notBefore: new Date(Date.now() - 100 * DAY), notAfter: new Date(Date.now() - DAY) });
    assert.ok(failed(results).includes("certificate") && failed(results).includes("home page"), formatResults(results));
    assert.match(results.find((r) => r.check === "certificate")!.detail, /expired/i);
  });

  it("verifies the certificate for the public name, not for the address it connects to", async () => {
    const served = await serve(healthyCert);
    try {
      const results = await runUptimeChecks({ ...target, siteHost: "www.example.test" }, through(served));
      assert.deepEqual(failed(results), ["home page", "certificate", "media unsigned"], formatResults(results));
      assert.match(detail(results, "certificate") ?? "", /^Hostname\/IP does not match certificate's altnames: Host: www\.example\.test\. is not in the cert's altnames: IP Address:127\.0\.0\.1, DNS:localhost$/);
    } finally {
      await stop(served.server);
    }
  });

  it("fails on a certificate within 21 days of expiry, naming the days left", async () => {
    const results = await check({ notBefore: new Date(Date.now() - 80 * DAY), notAfter: new Date(Date.now() + 10 * DAY + 3600_000) });
    assert.deepEqual(failed(results), ["certificate"]);
    assert.match(results.find((r) => r.check === "certificate")!.detail, /\(10 days; at least 21 expected\)/);
  });

  it("fails when a promised header is missing", async () => {
    const results = await check(healthyCert, { dropHeader: "x-content-type-options" });
    assert.deepEqual(failed(results), ["security headers"]);
    assert.match(results.find((r) => r.check === "security headers")!.detail, /missing x-content-type-options/);
  });

  it("fails when a header the CDN overrides carries another value", async () => {
    const results = await check(healthyCert, { wrongHsts: true });
    assert.deepEqual(failed(results), ["security headers"]);
    assert.match(results.find((r) => r.check === "security headers")!.detail, /strict-transport-security: max-age=60/);
  });

  it("fails when the home page answers 5xx", async () => {
    const results = await check(healthyCert, { homeStatus: 502 });
    assert.deepEqual(failed(results), ["home page"]);
    assert.match(results.find((r) => r.check === "home page")!.detail, /answered 502/);
  });

  it("fails when media is served without a signature", async () => {
    const results = await check(healthyCert, { mediaStatus: 200, mediaBody: "video bytes" });
    assert.deepEqual(failed(results), ["media unsigned"]);
  });

  it("fails on a 403 that is not CloudFront's signing refusal (S3's AccessDenied proves nothing about signing)", async () => {
    const results = await check(healthyCert, { mediaBody: "<Error><Code>AccessDenied</Code></Error>" });
    assert.deepEqual(failed(results), ["media unsigned"]);
    assert.match(results.find((r) => r.check === "media unsigned")!.detail, /without CloudFront's MissingKey error/);
  });

  it("fails when the distribution's own name serves the site, and accepts a redirect to the canonical host", async () => {
    assert.deepEqual(failed(await check(healthyCert, { directStatus: 200 })), ["cloudfront.net name"]);
    assert.deepEqual(failed(await check(healthyCert, { directStatus: 301, directLocation: "https://localhost/" })), []);
    assert.deepEqual(failed(await check(healthyCert, { directStatus: 301, directLocation: "https://elsewhere.example/" })), ["cloudfront.net name"]);
  });

  it("says what it saw, one PASS/FAIL line per check", async () => {
    const notAfter = new Date(Date.now() + 90 * DAY);
    const report = formatResults(await check({ notBefore: new Date(Date.now() - DAY), notAfter }));
    const lines = report.split("\n");
    assert.equal(lines.length, 5, report);
    assert.equal(lines[0], "PASS home page: https://localhost/ answered 200");
    assert.equal(lines[1], `PASS security headers: ${PROMISED_HEADERS.length} headers present`);
    assert.match(lines[2], /^PASS certificate: certificate for 127\.0\.0\.1 expires \d{4}-\d\d-\d\dT[\d:.]+Z \((89|90) days; at least 21 expected\)$/, "named by its own subject (CN=127.0.0.1)");
    assert.equal(lines[3], "PASS media unsigned: unsigned media request refused by CloudFront (MissingKey)");
    assert.equal(lines[4], "PASS cloudfront.net name: https://127.0.0.1/ answered 403");
    const bad = formatResults(await check(healthyCert, { dropHeader: "x-content-type-options", wrongHsts: true, mediaStatus: 200, directStatus: 302, directLocation: "https://elsewhere.example/" }));
    assert.ok(bad.includes("FAIL security headers: missing x-content-type-options; not the CDN's value: strict-transport-security: max-age=60\n"), bad);
    assert.ok(bad.includes("FAIL media unsigned: unsigned /media/canary/unsigned-probe answered 200\n"), bad);
    assert.ok(bad.endsWith("FAIL cloudfront.net name: https://127.0.0.1/ answered 302 (Location https://elsewhere.example/): the distribution's own name serves the site"), bad);
  });

  it("accepts every redirect status to the canonical host, and only those", async () => {
    for (const directStatus of [301, 302, 307, 308]) assert.deepEqual(failed(await check(healthyCert, { directStatus, directLocation: "https://localhost/x" })), [], String(directStatus));
    for (const directStatus of [303, 200]) assert.deepEqual(failed(await check(healthyCert, { directStatus, directLocation: "https://localhost/" })), ["cloudfront.net name"], String(directStatus));
    assert.deepEqual(failed(await check(healthyCert, { directStatus: 301, directLocation: "https://localhost.evil.example/" })), ["cloudfront.net name"]);
  });

  it("passes a certificate with exactly the minimum days left", async () => {
    const results = await check({ notBefore: new Date(Date.now() - 80 * DAY), notAfter: new Date(Date.now() + 21 * DAY + 3600_000) });
    assert.deepEqual(failed(results), [], formatResults(results));
  });

  it("reports an unreachable site as failures within the time limit, never a crash", async () => {
    const results = await runUptimeChecks(target, { resolve: () => ({ host: "127.0.0.1", port: 1 }), timeoutMs: 2000 });
    assert.deepEqual(failed(results), ["home page", "certificate", "media unsigned", "cloudfront.net name"]);
  });

  it("asks as a visitor's browser would: GET with the public name as SNI and Host, HTML preferred, and a user-agent that tells the canary apart in the logs", async () => {
    const served = await serve(healthyCert);
    try {
      await runUptimeChecks(target, through(served));
    } finally {
      await stop(served.server);
    }
    assert.deepEqual(
      served.requests.map((r) => `SNI ${r.sni} ${r.method} ${r.headers.host} ${r.url}`),
      ["SNI localhost GET localhost /", "SNI localhost GET localhost /media/canary/unsigned-probe", "SNI false GET 127.0.0.1 /"],
    );
    for (const { headers } of served.requests) {
      assert.equal(headers["user-agent"], "mpto-uptime-canary");
      assert.match(String(headers.accept), /^text\/html,/);
    }
  });

  it("checks the certificate on every run of a warm canary, not only the first (a resumed TLS session shows no certificate)", async () => {
    const served = await serve(healthyCert);
    try {
      for (const run of [1, 2]) {
        const results = await runUptimeChecks(target, through(served));
        assert.deepEqual(failed(results), [], `run ${run}: ${formatResults(results)}`);
        assert.match(detail(results, "certificate") ?? "", /^certificate for 127\.0\.0\.1 expires .* \((89|90) days;/, `run ${run}`);
        served.server.closeIdleConnections();
      }
    } finally {
      await stop(served.server);
    }
  });

  it("names the certificate by its own common name, or by the site's host when it has none", async () => {
    assert.match(detail(await check({ ...healthyCert, commonName: "www.example.test" }), "certificate") ?? "", /^certificate for www\.example\.test expires /);
    const unnamed = await check({ ...healthyCert, commonName: "" });
    assert.deepEqual(failed(unnamed), [], formatResults(unnamed));
    assert.match(detail(unnamed, "certificate") ?? "", /^certificate for localhost expires /);
  });

  it("gives up on a site that never answers after the time limit, each check saying which host and what limit", async function () {
    this.timeout(5000);
    const served = await serve(healthyCert, { silent: true });
    const started = Date.now();
    let results: CheckResult[];
    try {
      results = await runUptimeChecks(target, through(served, 200));
    } finally {
      await stop(served.server);
    }
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    assert.deepEqual(
      results.map((r) => `${r.ok ? "PASS" : "FAIL"} ${r.check}: ${r.detail}`),
      [
        "FAIL home page: no answer from localhost within 200 ms",
        "FAIL certificate: no answer from localhost within 200 ms",
        "FAIL media unsigned: no answer from localhost within 200 ms",
        "FAIL cloudfront.net name: no answer from 127.0.0.1 within 200 ms",
      ],
    );
  });

  it("gives every connection a 10 s limit when none is set (a stalled site cannot hang the canary)", async () => {
    const limits: (number | undefined)[] = [];
    const onSocket = (message: unknown) => limits.push((message as { socket: Socket }).socket.timeout);
    subscribe("net.client.socket", onSocket);
    try {
      await runUptimeChecks(target, { resolve: () => ({ host: "127.0.0.1", port: 1 }) });
    } finally {
      unsubscribe("net.client.socket", onSocket);
    }
    assert.deepEqual(limits, [10_000, 10_000, 10_000], "one connection per request, each limited to 10 s");
  });

  it("reports an answer cut off mid-body as a failed check, never a crash or a hang", async function () {
    this.timeout(5000);
    const results = await check(healthyCert, { cutMedia: true });
    assert.deepEqual(failed(results), ["media unsigned"]);
    assert.equal(detail(results, "media unsigned"), "aborted");
  });

  it("reads only the first 64 KB of an answer: CloudFront's MissingKey at their very end counts, one a megabyte in does not", async () => {
    const code = "<Code>MissingKey</Code>";
    const padded = (before: number) => `<Error><Message>${"x".repeat(before - "<Error><Message>".length)}</Message>${code}</Error>`;
    const endingAtTheLimit = padded(64 * 1024 - "</Message>".length - code.length);
    assert.equal(endingAtTheLimit.indexOf(code) + code.length, 64 * 1024);
    const longAnswer = (body: string) => body + " ".repeat(1024 * 1024);
    assert.deepEqual(failed(await check(healthyCert, { mediaBody: longAnswer(endingAtTheLimit) })), []);
    const results = await check(healthyCert, { mediaBody: padded(1024 * 1024) });
    assert.deepEqual(failed(results), ["media unsigned"]);
    assert.match(detail(results, "media unsigned") ?? "", /answered 403 without CloudFront's MissingKey error/);
  });

  it("a run logs its report, and fails (throws) when any one check fails", async () => {
    const env = { CANARY_SITE_HOST: "localhost", CANARY_MEDIA_PROBE_PATH: "/media/canary/p", CANARY_DISTRIBUTION_DOMAIN: "127.0.0.1" };
    const logged: string[] = [];
    const log = console.log;
    console.log = (line: string) => logged.push(line);
    try {
      const healthy = await serve(healthyCert);
      try {
        const report = await runCanary(env, through(healthy));
        assert.deepEqual(report.split("\n").map((line) => line.slice(0, 4)), ["PASS", "PASS", "PASS", "PASS", "PASS"], report);
        assert.deepEqual(logged, [report]);
      } finally {
        await stop(healthy.server);
      }
      const mediaServed = await serve(healthyCert, { mediaStatus: 200, mediaBody: "video bytes" });
      try {
        await assert.rejects(runCanary(env, through(mediaServed)), (e: Error) => e.message.startsWith("uptime checks failed:\nPASS home page") && e.message.includes("\nFAIL media unsigned: unsigned /media/canary/p answered 200\n"));
        assert.equal(logged.length, 2);
        assert.match(logged[1], /^PASS home page.*\nFAIL media unsigned/s);
      } finally {
        await stop(mediaServed.server);
      }
    } finally {
      console.log = log;
    }
  });

  it("reads its target from the environment the component sets, and refuses a missing key", () => {
    assert.deepEqual(targetFromEnvironment({ CANARY_SITE_HOST: "www.example.com", CANARY_MEDIA_PROBE_PATH: "/media/p", CANARY_DISTRIBUTION_DOMAIN: "d1.cloudfront.net", CANARY_CERT_MIN_DAYS: "30" }), {
      siteHost: "www.example.com",
      mediaProbePath: "/media/p",
      distributionDomain: "d1.cloudfront.net",
      certificateMinDays: 30,
    });
    assert.throws(() => targetFromEnvironment({ CANARY_SITE_HOST: "www.example.com" }), /no CANARY_MEDIA_PROBE_PATH/);
    const base = { CANARY_SITE_HOST: "h", CANARY_MEDIA_PROBE_PATH: "/m", CANARY_DISTRIBUTION_DOMAIN: "d" };
    assert.equal(targetFromEnvironment(base).certificateMinDays, 21, "default");
    assert.equal(targetFromEnvironment({ ...base, CANARY_CERT_MIN_DAYS: "soon" }).certificateMinDays, 21, "not a number");
    assert.throws(() => targetFromEnvironment({ ...base, CANARY_SITE_HOST: "" }), { message: "the canary's environment has no CANARY_SITE_HOST" });
    assert.throws(() => targetFromEnvironment({ ...base, CANARY_DISTRIBUTION_DOMAIN: undefined }), { message: "the canary's environment has no CANARY_DISTRIBUTION_DOMAIN" });
  });

  it("the entry point throws (a failed Synthetics run) when a check fails", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { CANARY_SITE_HOST: "localhost", CANARY_MEDIA_PROBE_PATH: "/media/p", CANARY_DISTRIBUTION_DOMAIN: "127.0.0.1" });
    const log = console.log;
    const logged: string[] = [];
    console.log = (line: string) => logged.push(line);
    try {
      // Port 443 on loopback: nothing listens here, so every check fails.
      await assert.rejects(handler(), /uptime checks failed:\nFAIL home page/);
      assert.match(logged.join("\n"), /^FAIL home page: /);
    } finally {
      console.log = log;
      process.env = saved;
    }
  });
});
