/**
 * The strict, nonce-based Content-Security-Policy for the Next.js app, built from the same
 * {@link SitePolicy} as the CDN's site headers (functions/edge/headers.ts).
 *
 * A CDN cannot add a per-request nonce, and the App Router emits inline bootstrap scripts, so the
 * strict policy has to come from the app: its middleware makes a fresh nonce per request, passes
 * the policy to Next.js on the request (Next.js reads `Content-Security-Policy` from the request
 * headers, takes the nonce from `script-src` and puts it on every script it renders), and sends it
 * on the response. CloudFront's site policy has `override: false`, so this policy wins over the
 * CDN's minimal default and over its Report-Only copy.
 *
 * Adopting it (docs/edge.md):
 *
 * ```ts
 * // middleware.ts
 * import { NextResponse, type NextRequest } from "next/server";
 * import { nonceCsp } from "mpto-aws/functions/edge/nonceCsp"; // or a copy of this file
 * import policy from "./site-policy.json";                    // `pulumi stack output siteCspPolicy`
 *
 * export function middleware(request: NextRequest) {
 *   const csp = nonceCsp(policy, { development: process.env.NODE_ENV === "development" });
 *   const requestHeaders = new Headers(request.headers);
 *   csp.applyToRequest(requestHeaders);
 *   const response = NextResponse.next({ request: { headers: requestHeaders } });
 *   csp.applyToResponse(response.headers);
 *   return response;
 * }
 * export const config = { matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico).*)", missing: [{ type: "header", key: "next-router-prefetch" }] }] };
 * ```
 *
 * Pages that use a nonce are rendered per request (Next.js cannot prerender a nonce), which suits
 * this site: its pages are per-session anyway (docs/edge.md, page cache policy).
 *
 * Runs in the Edge and Node runtimes: Web Crypto and `Headers` only, no Node or Next.js imports.
 */
import { CspDirectives, renderCsp, reportOnly, SitePolicy, strictSiteDirectives } from "./headers";

/** Request header Next.js reads the policy (and so the nonce) from. */
export const CSP_HEADER = "Content-Security-Policy";
/** Report-Only header; the app sending its own keeps the CDN's nonce-less copy off its pages. */
export const CSP_REPORT_ONLY_HEADER = "Content-Security-Policy-Report-Only";
/** Request header carrying the bare nonce, for server components that render their own `<script nonce>`. */
export const NONCE_HEADER = "x-nonce";

export interface NonceCspOptions {
  /** The nonce to use. Default: 16 fresh random bytes from Web Crypto, base64. */
  nonce?: string;
  /** Next.js dev mode needs `'unsafe-eval'` (React refresh) and `ws:` (HMR). Default false. */
  development?: boolean;
  /**
   * Directives to trial on top of the enforced policy, sent only as Report-Only (for example
   * `[["require-trusted-types-for", ["'script'"]]]`). Default none: the Report-Only policy is the
   * enforced one, so it reports nothing the enforced policy does not already block.
   */
  trial?: CspDirectives;
}

export interface NonceCsp {
  nonce: string;
  /** The enforced policy. */
  policy: string;
  /** The Report-Only policy. */
  reportOnlyPolicy: string;
  /** Sets the policy and the nonce on the request Next.js renders. */
  applyToRequest(headers: Headers): void;
  /** Sets the enforced and Report-Only policies on the response. */
  applyToResponse(headers: Headers): void;
}

/** 16 random bytes (128 bits, the CSP3 recommendation's minimum), base64. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** The nonce policy for one request. */
export function nonceCsp(policy: SitePolicy, options: NonceCspOptions = {}): NonceCsp {
  const nonce = options.nonce ?? createNonce();
  // Refuses a nonce that is not base64 of at least 16 bytes (NONCE_PATTERN).
  const directives = strictSiteDirectives(policy, { nonce, development: options.development });
  const enforced = renderCsp(directives);
  const trial = options.trial ?? [];
  const trialNames = new Set(trial.map(([name]) => name));
  const reportOnlyPolicy = renderCsp(reportOnly([...directives.filter(([name]) => !trialNames.has(name)), ...trial]));
  return {
    nonce,
    policy: enforced,
    reportOnlyPolicy,
    applyToRequest(headers) {
      headers.set(CSP_HEADER, enforced);
      headers.set(NONCE_HEADER, nonce);
    },
    applyToResponse(headers) {
      headers.set(CSP_HEADER, enforced);
      headers.set(CSP_REPORT_ONLY_HEADER, reportOnlyPolicy);
    },
  };
}
