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
 * send its own CSP, frame and referrer policies (the nonce-based CSP of functions/edge/nonceCsp.ts,
 * built from the same {@link SitePolicy}); transport headers (HSTS, nosniff) are the CDN's and
 * always win. CSP strategy: the CDN enforces only what cannot break the app and sends the strict
 * policy as `Content-Security-Policy-Report-Only`; the app's nonce policy replaces both.
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
 * What the site's pages may load and do: the one source both the CDN's site headers and the app's
 * nonce CSP (functions/edge/nonceCsp.ts) are built from. Origins are `https://host[:port]`
 * sources as CSP writes them (a leading `*.` wildcard allowed); values come from stack config
 * (components/edge/config.ts), defaults below.
 */
export interface SitePolicy {
  /** Where the browser POSTs uploads (the presigned POST to the media bucket): added to connect-src and form-action. */
  uploadOrigins: string[];
  /** Origins pages may frame (video embeds): frame-src. Empty means `frame-src 'none'`. */
  frameSources: string[];
  /** Third-party script origins (analytics, payments): script-src. */
  scriptSources: string[];
  /** Third-party origins fetch/XHR/WebSocket may reach: connect-src. */
  connectSources: string[];
  /** Third-party image origins: img-src. */
  imgSources: string[];
  /** Where browsers send CSP violation reports (absolute https URL or a path on the site). */
  reportUri: string;
  /** Permissions-Policy directives (`feature=(allowlist)`), e.g. `camera=(self)`, `usb=()`. */
  permissions: string[];
}

/**
 * Browser features: what a tutoring site uses (live lessons need camera and microphone, bookings
 * take payments, embedded videos go full screen) is allowed for the site itself; sensors, USB and
 * location are off. Config (`mpto:sitePermissionsPolicy`) replaces the whole list.
 */
export const DEFAULT_PERMISSIONS = [
  "accelerometer=()",
  "autoplay=(self)",
  "camera=(self)",
  "display-capture=(self)",
  "fullscreen=(self)",
  "geolocation=()",
  "gyroscope=()",
  "magnetometer=()",
  "microphone=(self)",
  "payment=(self)",
  "usb=()",
];

/** The defaults of {@link SitePolicy}; the stacks override them from config. */
export const DEFAULT_SITE_POLICY: SitePolicy = {
  uploadOrigins: [],
  // Privacy-enhanced YouTube and Vimeo players: the two common tutoring-video embeds.
  frameSources: ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
  scriptSources: [],
  connectSources: [],
  imgSources: [],
  reportUri: "/api/csp-report",
  permissions: DEFAULT_PERMISSIONS,
};

/** CSP directives in a fixed order: name -> sources. A directive with no sources renders bare (`upgrade-insecure-requests`). */
export type CspDirectives = [name: string, sources: string[]][];

/** `name a b; name2 c` from directives. */
export function renderCsp(directives: CspDirectives): string {
  return directives.map(([name, sources]) => (sources.length ? `${name} ${sources.join(" ")}` : name)).join("; ");
}

/** Base64 of 16+ random bytes, the shape CSP nonces take (CSP3 `base64-value`). */
export const NONCE_PATTERN = /^[A-Za-z0-9+/_-]{22,}={0,2}$/;

/**
 * The strict site policy. With a nonce (the app's middleware), scripts run only when they carry
 * it or are loaded by one that does (`'strict-dynamic'`): Next.js puts the nonce on its inline
 * bootstrap and chunk scripts. Without one (the CDN's Report-Only copy), inline scripts are
 * reported, which is what the report is for: it lists what the nonce helper must cover.
 *
 * Styles allow `'unsafe-inline'`: React and next/font write style attributes, and MDN Observatory
 * does not penalise it in style-src. `'unsafe-eval'` only with `development` (Next.js dev mode).
 */
export function strictSiteDirectives(policy: SitePolicy, options: { nonce?: string; development?: boolean } = {}): CspDirectives {
  if (options.nonce !== undefined && !NONCE_PATTERN.test(options.nonce)) throw new Error(`CSP nonce ${JSON.stringify(options.nonce)} is not base64 of at least 16 bytes`);
  const script = options.nonce ? ["'self'", `'nonce-${options.nonce}'`, "'strict-dynamic'"] : ["'self'"];
  if (options.development) script.push("'unsafe-eval'");
  return [
    ["default-src", ["'self'"]],
    ["base-uri", ["'self'"]],
    ["connect-src", ["'self'", ...policy.uploadOrigins, ...policy.connectSources, ...(options.development ? ["ws:"] : [])]],
    ["font-src", ["'self'", "data:"]],
    ["form-action", ["'self'", ...policy.uploadOrigins]],
    ["frame-ancestors", ["'none'"]],
    ["frame-src", policy.frameSources.length ? policy.frameSources : ["'none'"]],
    ["img-src", ["'self'", "data:", "blob:", ...policy.imgSources]],
    ["manifest-src", ["'self'"]],
    ["media-src", ["'self'", "blob:"]],
    ["object-src", ["'none'"]],
    ["script-src", [...script, ...policy.scriptSources]],
    ["style-src", ["'self'", "'unsafe-inline'"]],
    ["worker-src", ["'self'", "blob:"]],
    ["upgrade-insecure-requests", []],
    ["report-uri", [policy.reportUri]],
  ];
}

/**
 * What the CDN enforces on pages whose app sends no CSP: only directives that cannot break a
 * Next.js app, whatever scripts, styles, uploads or embeds it uses. Clickjacking (`frame-ancestors`),
 * plugins (`object-src`), `<base>` hijacking (`base-uri`) and mixed content
 * (`upgrade-insecure-requests`) are closed; script, connect, form and frame rules ride along as
 * Report-Only ({@link strictSiteDirectives}) until the app sends its nonce policy.
 */
export function enforcedSiteDirectives(policy: SitePolicy): CspDirectives {
  return [
    ["base-uri", ["'self'"]],
    ["frame-ancestors", ["'none'"]],
    ["object-src", ["'none'"]],
    ["upgrade-insecure-requests", []],
    ["report-uri", [policy.reportUri]],
  ];
}

/**
 * Directives as a Report-Only policy: without `upgrade-insecure-requests`, which browsers ignore
 * there (and say so in the console, which the site test counts as noise).
 */
export function reportOnly(directives: CspDirectives): CspDirectives {
  return directives.filter(([name]) => name !== "upgrade-insecure-requests");
}

/** The site's enforced default CSP with the default policy (tests, docs). */
export const SITE_CSP = renderCsp(enforcedSiteDirectives(DEFAULT_SITE_POLICY));

/** CSP for media responses: a video or image needs no script, style, frame or form. */
export const MEDIA_CSP = ["default-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'", "sandbox"].join("; ");

/** `Permissions-Policy` header value of a policy. */
export function permissionsPolicy(policy: SitePolicy): string {
  return policy.permissions.join(", ");
}

/** Browser features with the default policy. */
export const PERMISSIONS_POLICY = permissionsPolicy(DEFAULT_SITE_POLICY);

/**
 * Headers for everything served from the Vercel origin. The app's own CSP, Report-Only CSP,
 * frame, referrer, CORP/COOP and Permissions-Policy win (`override: false`); transport headers
 * (HSTS, nosniff) are the CDN's.
 */
export function siteHeaders(policy: SitePolicy): SecurityHeaderSet {
  return {
    strictTransportSecurity: { maxAgeSeconds: HSTS_MAX_AGE_SECONDS, includeSubDomains: true, preload: true, override: true },
    contentSecurityPolicy: { value: renderCsp(enforcedSiteDirectives(policy)), override: false },
    contentTypeOptions: { override: true },
    frameOptions: { value: "DENY", override: false },
    referrerPolicy: { value: "strict-origin-when-cross-origin", override: false },
    xssProtection: { protection: false, modeBlock: false, override: true },
    custom: [
      { name: "Content-Security-Policy-Report-Only", value: renderCsp(reportOnly(strictSiteDirectives(policy))), override: false },
      { name: "Cross-Origin-Opener-Policy", value: "same-origin", override: false },
      { name: "Cross-Origin-Resource-Policy", value: "same-origin", override: false },
      { name: "Permissions-Policy", value: permissionsPolicy(policy), override: false },
    ],
    remove: ["X-Powered-By"],
  };
}

/** Site headers with the default policy (the Lambda@Edge bundle's fallback when none is compiled in). */
export const SITE_HEADERS: SecurityHeaderSet = siteHeaders(DEFAULT_SITE_POLICY);

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
