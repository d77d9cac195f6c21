import { request as httpsRequest } from "node:https";
import type { IncomingHttpHeaders } from "node:http";
import type { TLSSocket } from "node:tls";
import { renderHeaderSet, SITE_HEADERS } from "../edge/headers";

/**
 * The uptime canary: what a visitor's first request meets, checked from outside through the public
 * host name every few minutes (a CloudWatch Synthetics canary on the browserless `syn-nodejs` runtime,
 * which calls `handler` and counts a thrown error as a failed run).
 *
 * It holds no signing key (the private key stays with the app): it proves signing is enforced by
 * asking for media without a signature and expecting CloudFront's own refusal.
 */

export interface UptimeTarget {
  /** The canonical public host, e.g. www.myprivatetutoronline.com. */
  siteHost: string;
  /** Path of a media URL under the media behaviour, requested without signature, e.g. /media/canary/probe. */
  mediaProbePath: string;
  /** The distribution's own name (dxxxx.cloudfront.net), which must not serve the site. */
  distributionDomain: string;
  /** Fail when the site's certificate expires within this many days. */
  certificateMinDays: number;
}

export interface CheckResult {
  check: "home page" | "security headers" | "certificate" | "media unsigned" | "cloudfront.net name";
  ok: boolean;
  detail: string;
}

export interface CheckOptions {
  /** Clock for the expiry check. Default now. */
  now?: Date;
  /** Per-request limit in ms. Default 10 000. */
  timeoutMs?: number;
  /** Where to connect for a host name (tests: 127.0.0.1 and a port). Default the host itself on 443. */
  resolve?: (host: string) => { host: string; port: number };
  /** Extra CA certificates (PEM) to trust (tests). Default the system's. */
  ca?: string;
}

/**
 * The headers the CDN promises on every site response: each must be present; those the CDN
 * overrides must carry exactly its value (the others may be the app's own, e.g. its nonce CSP).
 */
export const PROMISED_HEADERS: { name: string; value?: string }[] = renderHeaderSet(SITE_HEADERS).map((h) => (h.override ? { name: h.name.toLowerCase(), value: h.value } : { name: h.name.toLowerCase() }));

/** CloudFront's answer to an unsigned request on a behaviour with trusted key groups (AWS: "Troubleshooting signed URLs"). */
const MISSING_KEY = /<Code>MissingKey<\/Code>/;

const DAY_MS = 24 * 60 * 60 * 1000;

interface Fetched {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  certificate: { validTo: Date; subject: string };
}

function fetch(host: string, path: string, options: CheckOptions): Promise<Fetched> {
  const target = options.resolve ? options.resolve(host) : { host, port: 443 };
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: target.host,
        port: target.port,
        path,
        // GET, Node's default. A connection of its own, with a full TLS handshake, like a first visit:
        // through the shared agent a warm canary would resume an earlier run's TLS session, and a
        // resumed session shows no certificate.
        agent: false,
        // Node takes SNI and the name the certificate must carry from the Host header (the public name;
        // never an IP literal, which SNI forbids); the chain and that name are verified.
        headers: { host, "user-agent": "mpto-uptime-canary", accept: "text/html,*/*" },
        ca: options.ca,
        rejectUnauthorized: true,
        timeout: timeoutMs,
      },
      (res) => {
        const peer = (res.socket as TLSSocket).getPeerCertificate();
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          // Only the start of a body matters (an error code, a page's first bytes): its first 64 KB are kept.
          // Stryker disable next-line EqualityOperator: "<=" keeps one more network chunk only when the chunks kept so far end exactly at 64 KB; what is kept beyond 64 KB depends on the network's chunk sizes either way
          if (size < 64 * 1024) chunks.push(chunk);
          size += chunk.length;
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
            certificate: { validTo: new Date(peer.valid_to), subject: String(peer.subject.CN ?? "") },
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer from ${host} within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end();
  });
}

function failure(check: CheckResult["check"], error: unknown): CheckResult {
  return { check, ok: false, detail: (error as Error).message ?? String(error) };
}

/** Runs every check; never throws (each failure is a result). */
export async function runUptimeChecks(target: UptimeTarget, options: CheckOptions = {}): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const now = options.now ?? new Date();

  let home: Fetched | undefined;
  try {
    // Stryker disable next-line StringLiteral: Node requests "/" for an empty path
    home = await fetch(target.siteHost, "/", options);
    results.push({ check: "home page", ok: home.status === 200, detail: `https://${target.siteHost}/ answered ${home.status}` });
  } catch (error) {
    // A TLS failure lands here too: an expired or untrusted certificate refuses the connection.
    results.push(failure("home page", error));
    results.push(failure("certificate", error));
  }

  if (home) {
    const missing = PROMISED_HEADERS.filter((h) => home!.headers[h.name] === undefined).map((h) => h.name);
    const wrong = PROMISED_HEADERS.filter((h) => h.value !== undefined && home!.headers[h.name] !== undefined && String(home!.headers[h.name]) !== h.value).map((h) => `${h.name}: ${String(home!.headers[h.name])}`);
    results.push({
      check: "security headers",
      ok: !missing.length && !wrong.length,
      detail: missing.length || wrong.length ? [missing.length ? `missing ${missing.join(", ")}` : "", wrong.length ? `not the CDN's value: ${wrong.join("; ")}` : ""].filter(Boolean).join("; ") : `${PROMISED_HEADERS.length} headers present`,
    });
    const cert = home.certificate;
    const daysLeft = Math.floor((cert.validTo.getTime() - now.getTime()) / DAY_MS);
    results.push({
      check: "certificate",
      ok: daysLeft >= target.certificateMinDays,
      detail: `certificate for ${cert.subject || target.siteHost} expires ${cert.validTo.toISOString()} (${daysLeft} days; at least ${target.certificateMinDays} expected)`,
    });
  }

  try {
    const media = await fetch(target.siteHost, target.mediaProbePath, options);
    const refused = media.status === 403 && MISSING_KEY.test(media.body);
    results.push({
      check: "media unsigned",
      ok: refused,
      detail: refused ? "unsigned media request refused by CloudFront (MissingKey)" : `unsigned ${target.mediaProbePath} answered ${media.status}${media.status === 403 ? " without CloudFront's MissingKey error (signing may not be enforced)" : ""}`,
    });
  } catch (error) {
    results.push(failure("media unsigned", error));
  }

  try {
    // Stryker disable next-line StringLiteral: Node requests "/" for an empty path
    const direct = await fetch(target.distributionDomain, "/", options);
    const location = String(direct.headers.location ?? "");
    const redirectsHome = [301, 302, 307, 308].includes(direct.status) && location.startsWith(`https://${target.siteHost}/`);
    const ok = direct.status === 403 || redirectsHome;
    results.push({ check: "cloudfront.net name", ok, detail: `https://${target.distributionDomain}/ answered ${direct.status}${location ? ` (Location ${location})` : ""}${ok ? "" : ": the distribution's own name serves the site"}` });
  } catch (error) {
    results.push(failure("cloudfront.net name", error));
  }
  return results;
}

/** One line per check, for the canary's log. */
export function formatResults(results: CheckResult[]): string {
  return results.map((r) => `${r.ok ? "PASS" : "FAIL"} ${r.check}: ${r.detail}`).join("\n");
}

/** The target from the canary's environment (set by components/monitoring/UptimeCanary.ts). */
export function targetFromEnvironment(env: NodeJS.ProcessEnv): UptimeTarget {
  const need = (key: string) => {
    const value = env[key];
    if (!value) throw new Error(`the canary's environment has no ${key}`);
    return value;
  };
  const minDays = Number(env.CANARY_CERT_MIN_DAYS ?? "21");
  return {
    siteHost: need("CANARY_SITE_HOST"),
    mediaProbePath: need("CANARY_MEDIA_PROBE_PATH"),
    distributionDomain: need("CANARY_DISTRIBUTION_DOMAIN"),
    certificateMinDays: Number.isFinite(minDays) ? minDays : 21,
  };
}

/**
 * One canary run for the target in `env`: logs the report, and throws (a failed run) when any
 * check fails. `options` are for tests; the entry point passes none.
 */
export async function runCanary(env: NodeJS.ProcessEnv, options: CheckOptions = {}): Promise<string> {
  const results = await runUptimeChecks(targetFromEnvironment(env), options);
  const report = formatResults(results);
  console.log(report);
  if (results.some((r) => !r.ok)) throw new Error(`uptime checks failed:\n${report}`);
  return report;
}

/** Synthetics entry point. */
export async function handler(): Promise<string> {
  return runCanary(process.env);
}
