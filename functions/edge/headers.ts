/**
 * The one definition of the response headers the edge adds, shared by both delivery paths:
 *
 * - the default, zero-compute path: CloudFront Response Headers Policies built from these sets by
 *   `components/edge/Cdn.ts` (plus the CloudFront Function for `X-Robots-Tag` on admin paths);
 * - the opt-in Lambda@Edge path: `functions/edge/lambdaEdgeHeaders.ts` applies the same sets.
 *
 * `test/functions/edge/headerParity.spec.ts` proves both paths give identical headers.
 *
 * `override` has CloudFront's meaning: true = always set (replacing what the origin sent),
 * false = set only when the origin response lacks the header. The site set lets the Next.js app
 * send its own CSP, frame and referrer policies (for example a nonce-based CSP from middleware);
 * transport headers (HSTS, nosniff) are the CDN's and always win.
 *
 * Plain data and pure functions only: this module is bundled into the Lambda@Edge handler.
 */

export type FrameOption = "DENY" | "SAMEORIGIN";
export type ReferrerPolicy =
  | "no-referrer"
  | "no-referrer-when-downgrade"
  | "origin"
  | "origin-when-cross-origin"
  | "same-origin"
  | "strict-origin"
  | "strict-origin-when-cross-origin"
  | "unsafe-url";

/** One header as it appears on the response. */
export interface HeaderValue {
  name: string;
  value: string;
  /** true: replace the origin's value; false: add only when the origin sent none. */
  override: boolean;
}

/**
 * A set of response headers in the shape of a CloudFront Response Headers Policy: the security
 * headers CloudFront models natively, custom headers, and headers to remove.
 */
export interface SecurityHeaderSet {
  strictTransportSecurity: { maxAgeSeconds: number; includeSubDomains: boolean; preload: boolean; override: boolean };
  contentSecurityPolicy: { value: string; override: boolean };
  /** `X-Content-Type-Options: nosniff`. */
  contentTypeOptions: { override: boolean };
  frameOptions: { value: FrameOption; override: boolean };
  referrerPolicy: { value: ReferrerPolicy; override: boolean };
  /** `X-XSS-Protection`. `protection: false` renders `0`, the current OWASP advice (the auditor is gone from browsers). */
  xssProtection: { protection: boolean; modeBlock: boolean; override: boolean };
  /** Headers CloudFront has no dedicated field for (CORP, COOP, Permissions-Policy, X-Robots-Tag). */
  custom: HeaderValue[];
  /** Headers removed from origin responses (for example the framework banner). */
  remove: string[];
}

/** Two years, the HSTS preload list's expectation (hstspreload.org). */
export const HSTS_MAX_AGE_SECONDS = 63_072_000;

/**
 * Default CSP for site responses, used only when the app sends none (`override: false`).
 * Strict on scripts (`'self'` only, no `'unsafe-inline'`/`'unsafe-eval'`): an app with inline
 * scripts (Next.js bootstrap) must send its own nonce-based CSP, which then wins. Inline styles are
 * allowed because Next.js and next/font emit style attributes; MDN Observatory does not penalise
 * that ("unsafe-inline in style-src only").
 */
export const SITE_CSP = [
  "default-src 'self'",
  "base-uri 'self'",
  "connect-src 'self'",
  "font-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "img-src 'self' data: blob:",
  "manifest-src 'self'",
  "media-src 'self' blob:",
  "object-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "worker-src 'self' blob:",
  "upgrade-insecure-requests",
].join("; ");

/** CSP for media responses: a video or image needs no script, style, frame or form. */
export const MEDIA_CSP = ["default-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'", "sandbox"].join("; ");

/** Browser features the site does not use. */
export const PERMISSIONS_POLICY = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

/** Headers for everything served from the Vercel origin. */
export const SITE_HEADERS: SecurityHeaderSet = {
  strictTransportSecurity: { maxAgeSeconds: HSTS_MAX_AGE_SECONDS, includeSubDomains: true, preload: true, override: true },
  contentSecurityPolicy: { value: SITE_CSP, override: false },
  contentTypeOptions: { override: true },
  frameOptions: { value: "DENY", override: false },
  referrerPolicy: { value: "strict-origin-when-cross-origin", override: false },
  xssProtection: { protection: false, modeBlock: false, override: true },
  custom: [
    { name: "Cross-Origin-Opener-Policy", value: "same-origin", override: false },
    { name: "Cross-Origin-Resource-Policy", value: "same-origin", override: false },
    { name: "Permissions-Policy", value: PERMISSIONS_POLICY, override: false },
  ],
  remove: ["X-Powered-By"],
};

/**
 * Headers for media objects served from the bucket. Everything overrides: S3 is ours and sends
 * none of these. CORP is same-site so pages on www and the apex can both embed a video.
 */
export const MEDIA_HEADERS: SecurityHeaderSet = {
  strictTransportSecurity: { maxAgeSeconds: HSTS_MAX_AGE_SECONDS, includeSubDomains: true, preload: true, override: true },
  contentSecurityPolicy: { value: MEDIA_CSP, override: true },
  contentTypeOptions: { override: true },
  frameOptions: { value: "DENY", override: true },
  referrerPolicy: { value: "no-referrer", override: true },
  xssProtection: { protection: false, modeBlock: false, override: true },
  custom: [
    { name: "Cross-Origin-Resource-Policy", value: "same-site", override: true },
    { name: "X-Robots-Tag", value: "noindex", override: true },
  ],
  remove: [],
};

/**
 * Paths whose responses must never be indexed, whatever the app sends: `X-Robots-Tag` is set on
 * every response whose (percent-decoded, case-folded) path matches. Applied by the CloudFront
 * Function on the default path and by the Lambda@Edge handler on the opt-in path.
 */
export interface RobotsRule {
  /** Source of a JavaScript regular expression (ES5 syntax: the CloudFront Functions runtime). */
  pattern: string;
  value: string;
}

export const ROBOTS_RULES: RobotsRule[] = [{ pattern: "^/admin(?:/|$)", value: "noindex, nofollow" }];

/** The header lines a set produces, in a fixed order (names as CloudFront sends them). */
export function renderHeaderSet(set: SecurityHeaderSet): HeaderValue[] {
  const hsts = set.strictTransportSecurity;
  const xss = set.xssProtection;
  return [
    {
      name: "Strict-Transport-Security",
      value: `max-age=${hsts.maxAgeSeconds}${hsts.includeSubDomains ? "; includeSubDomains" : ""}${hsts.preload ? "; preload" : ""}`,
      override: hsts.override,
    },
    { name: "Content-Security-Policy", value: set.contentSecurityPolicy.value, override: set.contentSecurityPolicy.override },
    { name: "X-Content-Type-Options", value: "nosniff", override: set.contentTypeOptions.override },
    { name: "X-Frame-Options", value: set.frameOptions.value, override: set.frameOptions.override },
    { name: "Referrer-Policy", value: set.referrerPolicy.value, override: set.referrerPolicy.override },
    { name: "X-XSS-Protection", value: xss.protection ? (xss.modeBlock ? "1; mode=block" : "1") : "0", override: xss.override },
    ...set.custom,
  ];
}

/** Decodes percent-escapes where valid and folds case, so `/%41dmin` and `/ADMIN` count as `/admin`. */
export function normalisePath(uri: string): string {
  let path = uri;
  try {
    path = decodeURIComponent(uri);
  } catch {
    // Malformed escapes: match on the raw path.
  }
  return path.toLowerCase();
}

/** The `X-Robots-Tag` value for a request path, or undefined when no rule matches. */
export function robotsTagFor(uri: string, rules: RobotsRule[] = ROBOTS_RULES): string | undefined {
  const path = normalisePath(uri);
  for (const rule of rules) if (new RegExp(rule.pattern).test(path)) return rule.value;
  return undefined;
}
