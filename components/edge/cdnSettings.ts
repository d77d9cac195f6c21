import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SecurityHeaderSet } from "../../functions/edge/headers";
import { geoRestrictionProblems } from "../../policies/rules/cloudfront";
import { describeProblems } from "../../policies/rules/problem";

/**
 * What the Cdn's distribution is made of that needs no resource: origin ids and headers, cache-key
 * headers, the cache policies' settings, response headers policy arguments and the access-log
 * fields. Pure data and builders, read by components/edge/Cdn.ts and its tests.
 */

const ONE_YEAR = 31_536_000;
const ONE_DAY = 86_400;

/** Origin ids inside the distribution. */
export const ORIGIN_IDS = { vercel: "vercel", media: "media" } as const;

/**
 * Custom origin header CloudFront adds to every request to Vercel, with a value generated in the
 * stack; Vercel's Firewall denies requests without it (docs/edge.md), so the vercel.app origin
 * cannot be used to go round the WAF, geo restriction and headers. CloudFront replaces a viewer
 * header of the same name with the configured value ("Add custom headers to origin requests"),
 * so it cannot be forged through the distribution.
 */
export const ORIGIN_SECRET_HEADER = "x-mpto-origin-secret";

/** Vercel deployment protection's bypass header ("Protection Bypass for Automation"). */
export const VERCEL_BYPASS_HEADER = "x-vercel-protection-bypass";

/**
 * CloudFront headers forwarded to Vercel besides every viewer header (Host included).
 * `CloudFront-Viewer-Address` is the header Vercel's verified proxy trusts from CloudFront's
 * address ranges (Vercel, "Reverse Proxy Servers and Vercel": "AWS CloudFront |
 * CloudFront-Viewer-Address | Enable the header via the Origin Request Policy"); it may be added
 * in an origin request policy but not in a cache policy (CloudFront, "Add CloudFront request
 * headers"). `CloudFront-Forwarded-Proto` lets the app tell the ACME path's plain HTTP apart.
 */
export const VERCEL_CLOUDFRONT_HEADERS = ["CloudFront-Viewer-Address", "CloudFront-Forwarded-Proto"];

/** CloudFront's default origin response timeout limit without a quota increase (seconds). */
export const ORIGIN_READ_TIMEOUT_DEFAULT_MAX = 60;

/**
 * Cache-key headers of site pages besides Authorization. Next.js App Router answers the same URL
 * with HTML or an RSC payload depending on these request headers (and says so with `Vary`, which
 * CloudFront ignores), so they must be part of the key or one kind of answer is served for the other.
 */
export const NEXT_ROUTER_HEADERS = ["RSC", "Next-Router-Prefetch", "Next-Router-State-Tree", "Next-Router-Segment-Prefetch", "Next-Url"];

/**
 * Fields of the standard logs (v2). Left out on purpose: `cs(Cookie)` (session cookies) and
 * `cs-uri-query` (signed-URL signatures, which stay valid until they expire, and user input).
 */
export const ACCESS_LOG_FIELDS = [
  "date",
  "time",
  "x-edge-location",
  "sc-bytes",
  "c-ip",
  "cs-method",
  "cs(Host)",
  "cs-uri-stem",
  "sc-status",
  "cs(Referer)",
  "cs(User-Agent)",
  "x-edge-result-type",
  "x-edge-request-id",
  "x-host-header",
  "cs-protocol",
  "cs-bytes",
  "time-taken",
  "x-forwarded-for",
  "ssl-protocol",
  "ssl-cipher",
  "x-edge-response-result-type",
  "cs-protocol-version",
  "c-port",
  "time-to-first-byte",
  "x-edge-detailed-result-type",
  "sc-content-type",
  "sc-content-len",
  "sc-range-start",
  "sc-range-end",
];

/**
 * CloudFront's limits on a response headers policy's header values: the API refuses an over-long
 * CSP (TooLongCSPInResponseHeadersPolicy) and too many custom headers
 * (TooManyCustomHeadersInResponseHeadersPolicy); the Developer Guide's "Quotas" gives 1,783
 * characters per header value (read here for origin custom headers; assumed to hold for response
 * headers policies, docs/edge.md) and 10 custom headers. Checked at plan time: the CSP grows with
 * every configured third-party origin.
 */
export const RESPONSE_HEADER_VALUE_MAX = 1783;
export const RESPONSE_CUSTOM_HEADERS_MAX = 10;

/** CloudFront Response Headers Policy arguments for a header set from functions/edge/headers.ts. */
export function responseHeadersPolicyArgs(set: SecurityHeaderSet, comment: string): aws.cloudfront.ResponseHeadersPolicyArgs {
  const long = [{ name: "Content-Security-Policy", value: set.contentSecurityPolicy.value }, ...set.custom].filter((h) => h.value.length > RESPONSE_HEADER_VALUE_MAX);
  if (long.length)
    throw new Error(
      `response headers policy: ${long.map((h) => `${h.name} is ${h.value.length} characters`).join(", ")}; CloudFront takes at most ${RESPONSE_HEADER_VALUE_MAX} (fewer CSP sources, or a wildcard host)`,
    );
  if (set.custom.length > RESPONSE_CUSTOM_HEADERS_MAX)
    throw new Error(`response headers policy: ${set.custom.length} custom headers; CloudFront takes at most ${RESPONSE_CUSTOM_HEADERS_MAX}`);
  return {
    comment,
    securityHeadersConfig: {
      strictTransportSecurity: {
        accessControlMaxAgeSec: set.strictTransportSecurity.maxAgeSeconds,
        includeSubdomains: set.strictTransportSecurity.includeSubDomains,
        preload: set.strictTransportSecurity.preload,
        override: set.strictTransportSecurity.override,
      },
      contentSecurityPolicy: { contentSecurityPolicy: set.contentSecurityPolicy.value, override: set.contentSecurityPolicy.override },
      contentTypeOptions: { override: set.contentTypeOptions.override },
      frameOptions: { frameOption: set.frameOptions.value, override: set.frameOptions.override },
      referrerPolicy: { referrerPolicy: set.referrerPolicy.value, override: set.referrerPolicy.override },
      xssProtection: { protection: set.xssProtection.protection, modeBlock: set.xssProtection.modeBlock, override: set.xssProtection.override },
    },
    customHeadersConfig: set.custom.length ? { items: set.custom.map((h) => ({ header: h.name, value: h.value, override: h.override })) } : undefined,
    removeHeadersConfig: set.remove.length ? { items: set.remove.map((header) => ({ header })) } : undefined,
  };
}

/**
 * The distribution's custom cache policies. Pages and images: origin Cache-Control decides; static
 * chunks and media: cached long. Host is in every Vercel key (www and the apex are one
 * distribution and Vercel may answer them differently).
 */
export const CACHE_POLICIES: Record<"pages" | "images" | "static" | "media", aws.cloudfront.CachePolicyArgs> = {
  pages: {
    comment: "Site pages: origin Cache-Control decides (default 0 s); per-session cache key",
    minTtl: 0,
    defaultTtl: 0, // no Cache-Control from Vercel: not cached
    maxTtl: ONE_YEAR,
    parametersInCacheKeyAndForwardedToOrigin: {
      cookiesConfig: { cookieBehavior: "all" }, // a signed-in visitor's page is keyed by their cookies
      // Host: www and the apex are one distribution; Vercel may answer them differently (domain redirects).
      headersConfig: { headerBehavior: "whitelist", headers: { items: ["Host", "Authorization", ...NEXT_ROUTER_HEADERS] } },
      queryStringsConfig: { queryStringBehavior: "all" },
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    },
  },
  images: {
    comment: "Next.js image optimiser: query and Accept in the key, origin Cache-Control decides",
    minTtl: 0,
    defaultTtl: 0,
    maxTtl: ONE_YEAR,
    parametersInCacheKeyAndForwardedToOrigin: {
      cookiesConfig: { cookieBehavior: "none" },
      headersConfig: { headerBehavior: "whitelist", headers: { items: ["Host", "Accept"] } }, // Host as for pages; Accept: AVIF/WebP negotiation
      queryStringsConfig: { queryStringBehavior: "all" }, // url, w, q
      enableAcceptEncodingGzip: false,
      enableAcceptEncodingBrotli: false,
    },
  },
  // Managed-CachingOptimized's settings (1 s / 1 day / 1 year, compressed variants) plus Host:
  // the managed policy's key has no Host, so a redirect Vercel sends for one alias would be
  // cached and served for the other (CloudFront "Understand the cache key": the key is the
  // distribution's domain and the path unless the policy adds more).
  static: {
    comment: "Next.js static chunks: content-hashed, cached long; Host in the key",
    minTtl: 1,
    defaultTtl: ONE_DAY,
    maxTtl: ONE_YEAR,
    parametersInCacheKeyAndForwardedToOrigin: {
      cookiesConfig: { cookieBehavior: "none" },
      headersConfig: { headerBehavior: "whitelist", headers: { items: ["Host"] } },
      queryStringsConfig: { queryStringBehavior: "none" },
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    },
  },
  media: {
    comment: "Media objects: immutable keys, cached long; signed-URL parameters stay out of the key",
    minTtl: 1,
    defaultTtl: 7 * 86_400, // objects without Cache-Control: a week
    maxTtl: ONE_YEAR,
    parametersInCacheKeyAndForwardedToOrigin: {
      cookiesConfig: { cookieBehavior: "none" },
      headersConfig: { headerBehavior: "none" },
      queryStringsConfig: { queryStringBehavior: "none" }, // Expires/Signature/Key-Pair-Id are checked, not cached on
      enableAcceptEncodingGzip: false, // video and images are already compressed
      enableAcceptEncodingBrotli: false,
    },
  },
};

const ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"];
const READ_METHODS = ["GET", "HEAD", "OPTIONS"];
const CACHED_METHODS = ["GET", "HEAD"];

/** What the behaviours point at: the distribution's policies, functions and key group. */
export interface BehaviourIds {
  /** Path prefix routed to the media bucket. */
  mediaPathPrefix: string;
  viewerFunctionArn: pulumi.Input<string>;
  /** Lambda@Edge origin-response function (qualified ARN), when `lambdaEdgeHeaders` is on. */
  edgeFunctionArn?: pulumi.Input<string>;
  vercelRequestPolicyId: pulumi.Input<string>;
  siteHeadersPolicyId: pulumi.Input<string>;
  mediaHeadersPolicyId: pulumi.Input<string>;
  cachingDisabledPolicyId: pulumi.Input<string>;
  pagesPolicyId: pulumi.Input<string>;
  staticPolicyId: pulumi.Input<string>;
  imagesPolicyId: pulumi.Input<string>;
  mediaPolicyId: pulumi.Input<string>;
  mediaKeyGroupId: pulumi.Input<string>;
}

/**
 * The distribution's cache behaviours.
 *
 * Behaviours, first match wins (order matters only where patterns overlap; none do):
 * 1. `/.well-known/acme-challenge/*`: Vercel, plain HTTP allowed (Vercel issues certificates with HTTP-01), never cached.
 * 2. `/.well-known/vercel/*`: Vercel, never cached (Vercel's verified-proxy requirement).
 * 3. `/_next/static/*`: Vercel, cached long (content-hashed file names).
 * 4. `/_next/image*`: Vercel image optimiser; cache key has the query and `Accept` (format negotiation).
 * 5. `<prefix>/*`: media bucket through OAC, signed URLs (trusted key group), long cache, ranges.
 * Default `*`: Vercel pages; origin `Cache-Control` decides (default TTL 0); cookies, Authorization
 * and the Next.js router headers are in the cache key, so a personalised page is never served to
 * another visitor.
 */
export function cacheBehaviours(ids: BehaviourIds): {
  defaultCacheBehavior: aws.types.input.cloudfront.DistributionDefaultCacheBehavior;
  orderedCacheBehaviors: aws.types.input.cloudfront.DistributionOrderedCacheBehavior[];
} {
  const hostCheck = { eventType: "viewer-request", functionArn: ids.viewerFunctionArn };
  const vercel = {
    targetOriginId: ORIGIN_IDS.vercel,
    originRequestPolicyId: ids.vercelRequestPolicyId,
    compress: true,
    responseHeadersPolicyId: ids.siteHeadersPolicyId,
    functionAssociations: [hostCheck],
    ...(ids.edgeFunctionArn ? { lambdaFunctionAssociations: [{ eventType: "origin-response", lambdaArn: ids.edgeFunctionArn, includeBody: false }] } : {}),
  };
  const orderedCacheBehaviors: aws.types.input.cloudfront.DistributionOrderedCacheBehavior[] = [
    {
      ...vercel,
      pathPattern: "/.well-known/acme-challenge/*",
      viewerProtocolPolicy: "allow-all", // Vercel's HTTP-01 challenge must not be redirected
      allowedMethods: CACHED_METHODS,
      cachedMethods: CACHED_METHODS,
      cachePolicyId: ids.cachingDisabledPolicyId,
    },
    {
      ...vercel,
      pathPattern: "/.well-known/vercel/*",
      viewerProtocolPolicy: "redirect-to-https",
      allowedMethods: READ_METHODS,
      cachedMethods: CACHED_METHODS,
      cachePolicyId: ids.cachingDisabledPolicyId, // never cached (Vercel verified proxy)
    },
    {
      ...vercel,
      pathPattern: "/_next/static/*",
      viewerProtocolPolicy: "redirect-to-https",
      allowedMethods: READ_METHODS,
      cachedMethods: CACHED_METHODS,
      cachePolicyId: ids.staticPolicyId, // up to a year, as Vercel's immutable Cache-Control asks
    },
    {
      ...vercel,
      pathPattern: "/_next/image*",
      viewerProtocolPolicy: "redirect-to-https",
      allowedMethods: CACHED_METHODS,
      cachedMethods: CACHED_METHODS,
      cachePolicyId: ids.imagesPolicyId,
    },
    {
      pathPattern: `${ids.mediaPathPrefix}/*`,
      targetOriginId: ORIGIN_IDS.media,
      viewerProtocolPolicy: "https-only", // signed URLs never travel over plain HTTP
      allowedMethods: READ_METHODS,
      cachedMethods: CACHED_METHODS,
      cachePolicyId: ids.mediaPolicyId,
      // No origin request policy: S3 needs nothing from the viewer. CloudFront passes Range
      // requests to S3 and caches the parts, so progressive video seeks work.
      compress: false,
      trustedKeyGroups: [ids.mediaKeyGroupId], // signed URL or signed cookie required
      responseHeadersPolicyId: ids.mediaHeadersPolicyId,
      functionAssociations: [hostCheck], // Host check, then the prefix strip
    },
  ];
  const defaultCacheBehavior: aws.types.input.cloudfront.DistributionDefaultCacheBehavior = {
    ...vercel,
    viewerProtocolPolicy: "redirect-to-https", // CloudFront.3, CKV_AWS_34
    allowedMethods: ALL_METHODS,
    cachedMethods: CACHED_METHODS,
    cachePolicyId: ids.pagesPolicyId,
    functionAssociations: [hostCheck, { eventType: "viewer-response", functionArn: ids.viewerFunctionArn }],
  };
  return { defaultCacheBehavior, orderedCacheBehaviors };
}

/**
 * The geo restriction rule that stack config and the pack apply too (policies/rules/cloudfront.ts),
 * checked when the Cdn's args are plain values (an Output is checked by the pack at preview).
 */
export function geoRestrictionCheck(component: string, type: pulumi.Input<string> | undefined, locations: pulumi.Input<pulumi.Input<string>[]> | undefined): void {
  const restrictionType = type ?? "none";
  const list = locations ?? [];
  if (typeof restrictionType !== "string" || !Array.isArray(list)) return;
  const argNames = { restrictionType: "geoRestrictionType", locations: "geoRestrictionLocations" } as const;
  const problems = geoRestrictionProblems({ restrictionType, locations: list }, { name: (f) => argNames[f] });
  if (problems.length) throw new Error(describeProblems(component, problems, (f) => argNames[f]));
}
