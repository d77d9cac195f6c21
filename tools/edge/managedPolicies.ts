/**
 * What each AWS-managed CloudFront policy contains, as data.
 *
 * A plan holds only the ids of managed policies (the program looks them up by name; see
 * components/edge/Cdn.ts), so anything that needs to know what a behaviour forwards, keys on or adds
 * (the local edge emulator in tools/edge/edgeEmulator.ts, reviews, tests) reads the contents here.
 * One home for this data: reuse it, do not copy it.
 *
 * Shapes follow the CloudFront API / `aws.cloudfront.*Policy` inputs (camelCase as Pulumi records
 * them), so a managed policy and a custom policy from the plan are handled by the same code.
 *
 * Sources (each entry repeats its own link):
 * - cache policies: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html
 * - origin request policies: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-origin-request-policies.html
 * - response headers policies: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-response-headers-policies.html
 *
 * `checked` says how each entry was checked here: "doc-text" = the settings were compared with the
 * documentation page's text during this session; "doc-summary" = written from the page as remembered
 * and its summary sentence, the full list not re-read (re-read it before relying on a detail).
 * The ids are the ones tools/plan/mockState.ts answers for the same names (a test holds them equal).
 */

export type CheckedHow = "doc-text" | "doc-summary";

/** Headers/cookies/query strings config, as in the CloudFront API (items are names). */
export interface ValuesConfig<B extends string> {
  behavior: B;
  items?: string[];
}

/** `ParametersInCacheKeyAndForwardedToOrigin` plus TTLs: the `aws.cloudfront.CachePolicy` inputs. */
export interface CachePolicyContents {
  minTtl: number;
  defaultTtl: number;
  maxTtl: number;
  parametersInCacheKeyAndForwardedToOrigin: {
    headersConfig: { headerBehavior: "none" | "whitelist"; headers?: { items: string[] } };
    cookiesConfig: { cookieBehavior: "none" | "whitelist" | "allExcept" | "all"; cookies?: { items: string[] } };
    queryStringsConfig: { queryStringBehavior: "none" | "whitelist" | "allExcept" | "all"; queryStrings?: { items: string[] } };
    enableAcceptEncodingGzip: boolean;
    enableAcceptEncodingBrotli: boolean;
  };
}

/** The `aws.cloudfront.OriginRequestPolicy` inputs. */
export interface OriginRequestPolicyContents {
  headersConfig: { headerBehavior: "none" | "whitelist" | "allViewer" | "allViewerAndWhitelistCloudFront" | "allExcept"; headers?: { items: string[] } };
  cookiesConfig: { cookieBehavior: "none" | "whitelist" | "allExcept" | "all"; cookies?: { items: string[] } };
  queryStringsConfig: { queryStringBehavior: "none" | "whitelist" | "allExcept" | "all"; queryStrings?: { items: string[] } };
  /**
   * CloudFront-generated headers (`CloudFront-Viewer-Address`, ...) a managed policy adds although
   * its header behaviour cannot name them (e.g. `allExcept` Host): the documentation lists them
   * in prose. Custom policies name them in `headers.items` instead.
   */
  cloudFrontHeaders?: string[];
}

/** The `aws.cloudfront.ResponseHeadersPolicy` inputs (the parts managed policies use). */
export interface ResponseHeadersPolicyContents {
  corsConfig?: {
    accessControlAllowCredentials: boolean;
    accessControlAllowHeaders: { items: string[] };
    accessControlAllowMethods: { items: string[] };
    accessControlAllowOrigins: { items: string[] };
    accessControlExposeHeaders?: { items: string[] };
    accessControlMaxAgeSec?: number;
    originOverride: boolean;
  };
  securityHeadersConfig?: {
    strictTransportSecurity?: { accessControlMaxAgeSec: number; includeSubdomains?: boolean; preload?: boolean; override: boolean };
    contentTypeOptions?: { override: boolean };
    frameOptions?: { frameOption: string; override: boolean };
    referrerPolicy?: { referrerPolicy: string; override: boolean };
    xssProtection?: { protection: boolean; modeBlock?: boolean; override: boolean };
  };
}

export interface ManagedPolicy<T> {
  /** Name without the `Managed-` prefix, as on the documentation page. */
  name: string;
  id: string;
  doc: string;
  checked: CheckedHow;
  contents: T;
}

const CACHE_DOC = "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html";
const ORIGIN_DOC = "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-origin-request-policies.html";
const RESPONSE_DOC = "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-response-headers-policies.html";
const ONE_YEAR = 31_536_000;

const none = { headerBehavior: "none" } as const;
const noCookies = { cookieBehavior: "none" } as const;
const noQuery = { queryStringBehavior: "none" } as const;

/** The headers CloudFront adds to origin requests when a policy asks for them ("Add CloudFront request headers"), released through June 2022. */
export const CLOUDFRONT_HEADERS_2022_06 = [
  "CloudFront-Forwarded-Proto",
  "CloudFront-Is-Android-Viewer",
  "CloudFront-Is-Desktop-Viewer",
  "CloudFront-Is-IOS-Viewer",
  "CloudFront-Is-Mobile-Viewer",
  "CloudFront-Is-SmartTV-Viewer",
  "CloudFront-Is-Tablet-Viewer",
  "CloudFront-Viewer-Address",
  "CloudFront-Viewer-ASN",
  "CloudFront-Viewer-City",
  "CloudFront-Viewer-Country",
  "CloudFront-Viewer-Country-Name",
  "CloudFront-Viewer-Country-Region",
  "CloudFront-Viewer-Country-Region-Name",
  "CloudFront-Viewer-Http-Version",
  "CloudFront-Viewer-Latitude",
  "CloudFront-Viewer-Longitude",
  "CloudFront-Viewer-Metro-Code",
  "CloudFront-Viewer-Postal-Code",
  "CloudFront-Viewer-Time-Zone",
  "CloudFront-Viewer-TLS",
];

export const MANAGED_CACHE_POLICIES: ManagedPolicy<CachePolicyContents>[] = [
  {
    name: "CachingOptimized",
    id: "658327ea-f89d-4fab-a63d-7e88639e58f6",
    doc: `${CACHE_DOC}#managed-cache-caching-optimized`,
    checked: "doc-text",
    contents: {
      minTtl: 1,
      defaultTtl: 86_400,
      maxTtl: ONE_YEAR,
      // No headers, cookies or query strings; the normalised Accept-Encoding (gzip, br) is in the key.
      parametersInCacheKeyAndForwardedToOrigin: { headersConfig: none, cookiesConfig: noCookies, queryStringsConfig: noQuery, enableAcceptEncodingGzip: true, enableAcceptEncodingBrotli: true },
    },
  },
  {
    name: "CachingOptimizedForUncompressedObjects",
    id: "b2884449-e4de-46a7-ac36-70bc7f1ddd6d",
    doc: `${CACHE_DOC}#managed-cache-caching-optimized-uncompressed`,
    checked: "doc-text",
    contents: {
      minTtl: 1,
      defaultTtl: 86_400,
      maxTtl: ONE_YEAR,
      parametersInCacheKeyAndForwardedToOrigin: { headersConfig: none, cookiesConfig: noCookies, queryStringsConfig: noQuery, enableAcceptEncodingGzip: false, enableAcceptEncodingBrotli: false },
    },
  },
  {
    name: "CachingDisabled",
    id: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
    doc: `${CACHE_DOC}#managed-cache-policy-caching-disabled`,
    checked: "doc-summary",
    contents: {
      minTtl: 0,
      defaultTtl: 0,
      maxTtl: 0,
      parametersInCacheKeyAndForwardedToOrigin: { headersConfig: none, cookiesConfig: noCookies, queryStringsConfig: noQuery, enableAcceptEncodingGzip: false, enableAcceptEncodingBrotli: false },
    },
  },
  {
    name: "UseOriginCacheControlHeaders",
    id: "83da9c7e-98b4-4e11-a168-04f0df8e2c65",
    doc: `${CACHE_DOC}#managed-cache-policy-origin-cache-headers`,
    checked: "doc-summary",
    contents: {
      minTtl: 0,
      defaultTtl: 0,
      maxTtl: ONE_YEAR,
      parametersInCacheKeyAndForwardedToOrigin: {
        headersConfig: { headerBehavior: "whitelist", headers: { items: ["Host", "Origin", "X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"] } },
        cookiesConfig: { cookieBehavior: "all" },
        queryStringsConfig: noQuery,
        enableAcceptEncodingGzip: true,
        enableAcceptEncodingBrotli: true,
      },
    },
  },
  {
    name: "UseOriginCacheControlHeaders-QueryStrings",
    id: "4cc15a8a-d715-48a4-82b8-cc0b614638fe",
    doc: `${CACHE_DOC}#managed-cache-policy-origin-cache-headers-query-strings`,
    checked: "doc-summary",
    contents: {
      minTtl: 0,
      defaultTtl: 0,
      maxTtl: ONE_YEAR,
      parametersInCacheKeyAndForwardedToOrigin: {
        headersConfig: { headerBehavior: "whitelist", headers: { items: ["Host", "Origin", "X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"] } },
        cookiesConfig: { cookieBehavior: "all" },
        queryStringsConfig: { queryStringBehavior: "all" },
        enableAcceptEncodingGzip: true,
        enableAcceptEncodingBrotli: true,
      },
    },
  },
  {
    name: "Amplify",
    id: "2e54312d-136d-493c-8eb9-b001f22f67d2",
    doc: `${CACHE_DOC}#managed-cache-policy-amplify`,
    checked: "doc-text",
    contents: {
      minTtl: 2,
      defaultTtl: 2,
      maxTtl: 600,
      parametersInCacheKeyAndForwardedToOrigin: {
        headersConfig: { headerBehavior: "whitelist", headers: { items: ["Authorization", "CloudFront-Viewer-Country", "Host"] } },
        cookiesConfig: { cookieBehavior: "all" },
        queryStringsConfig: { queryStringBehavior: "all" },
        enableAcceptEncodingGzip: true,
        enableAcceptEncodingBrotli: true,
      },
    },
  },
];

export const MANAGED_ORIGIN_REQUEST_POLICIES: ManagedPolicy<OriginRequestPolicyContents>[] = [
  {
    name: "AllViewer",
    id: "216adef6-5c7f-47e4-b989-5492eafa07d3",
    doc: `${ORIGIN_DOC}#managed-origin-request-policy-all-viewer`,
    checked: "doc-text",
    // Every viewer header, the viewer's Host included; no CloudFront-generated headers.
    contents: { headersConfig: { headerBehavior: "allViewer" }, cookiesConfig: { cookieBehavior: "all" }, queryStringsConfig: { queryStringBehavior: "all" } },
  },
  {
    name: "AllViewerAndCloudFrontHeaders-2022-06",
    id: "33f36d7e-f396-46d9-90e0-52428a34d9dc",
    doc: `${ORIGIN_DOC}#managed-origin-request-policy-all-viewer-and-cloudfront`,
    checked: "doc-text",
    contents: {
      headersConfig: { headerBehavior: "allViewerAndWhitelistCloudFront", headers: { items: CLOUDFRONT_HEADERS_2022_06 } },
      cookiesConfig: { cookieBehavior: "all" },
      queryStringsConfig: { queryStringBehavior: "all" },
    },
  },
  {
    name: "AllViewerExceptHostHeader",
    id: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
    doc: `${ORIGIN_DOC}#managed-origin-request-policy-all-viewer-except-host-header`,
    // The page: "does not include the Host header from the viewer request ... includes all other
    // values (headers, cookies and query strings) ... also includes additional CloudFront headers for
    // HTTP protocol, HTTP version, TLS version, and all device type and viewer location headers".
    // CloudFront-Viewer-Address is one of the viewer location headers ("Add CloudFront request
    // headers"); the exact list below is the 2022-06 set and was not re-read item by item.
    checked: "doc-summary",
    contents: {
      headersConfig: { headerBehavior: "allExcept", headers: { items: ["Host"] } },
      cookiesConfig: { cookieBehavior: "all" },
      queryStringsConfig: { queryStringBehavior: "all" },
      cloudFrontHeaders: CLOUDFRONT_HEADERS_2022_06,
    },
  },
  {
    name: "CORS-CustomOrigin",
    id: "59781a5b-3903-41f3-afcb-af62929ccde1",
    doc: `${ORIGIN_DOC}#managed-origin-request-policy-cors-custom`,
    checked: "doc-text",
    contents: { headersConfig: { headerBehavior: "whitelist", headers: { items: ["Origin"] } }, cookiesConfig: noCookies, queryStringsConfig: noQuery },
  },
  {
    name: "CORS-S3Origin",
    id: "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf",
    doc: `${ORIGIN_DOC}#managed-origin-request-policy-cors-s3`,
    checked: "doc-text",
    contents: {
      headersConfig: { headerBehavior: "whitelist", headers: { items: ["Origin", "Access-Control-Request-Headers", "Access-Control-Request-Method"] } },
      cookiesConfig: noCookies,
      queryStringsConfig: noQuery,
    },
  },
  {
    name: "Elemental-MediaTailor-PersonalizedManifests",
    id: "775133bc-15f2-49f9-abea-afb2e0bf67d2",
    doc: `${ORIGIN_DOC}#managed-origin-request-policy-mediatailor`,
    checked: "doc-text",
    contents: {
      headersConfig: { headerBehavior: "whitelist", headers: { items: ["Origin", "Access-Control-Request-Headers", "Access-Control-Request-Method", "User-Agent", "X-Forwarded-For"] } },
      cookiesConfig: noCookies,
      queryStringsConfig: { queryStringBehavior: "all" },
    },
  },
  {
    name: "UserAgentRefererHeaders",
    id: "acba4595-bd28-49b8-b9fe-13317c0390fa",
    doc: `${ORIGIN_DOC}#managed-origin-request-policy-user-agent-referer`,
    checked: "doc-text",
    contents: { headersConfig: { headerBehavior: "whitelist", headers: { items: ["User-Agent", "Referer"] } }, cookiesConfig: noCookies, queryStringsConfig: noQuery },
  },
];

const ALL_METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];

export const MANAGED_RESPONSE_HEADERS_POLICIES: ManagedPolicy<ResponseHeadersPolicyContents>[] = [
  {
    name: "SecurityHeadersPolicy",
    id: "67f7725c-6f97-4210-82d7-5512b31e9d03",
    doc: `${RESPONSE_DOC}#managed-response-headers-policies-security`,
    checked: "doc-summary",
    contents: {
      securityHeadersConfig: {
        strictTransportSecurity: { accessControlMaxAgeSec: ONE_YEAR, includeSubdomains: false, preload: false, override: false },
        contentTypeOptions: { override: false },
        frameOptions: { frameOption: "SAMEORIGIN", override: false },
        referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: false },
        xssProtection: { protection: true, modeBlock: true, override: false },
      },
    },
  },
  {
    name: "SimpleCORS",
    id: "60669652-455b-4ae9-85a4-c4c02393f86c",
    doc: `${RESPONSE_DOC}#managed-response-headers-policies-cors`,
    checked: "doc-summary",
    contents: {
      corsConfig: {
        accessControlAllowCredentials: false,
        accessControlAllowHeaders: { items: [] },
        accessControlAllowMethods: { items: ["GET", "HEAD"] },
        accessControlAllowOrigins: { items: ["*"] },
        originOverride: false,
      },
    },
  },
  {
    name: "CORS-With-Preflight",
    id: "5cc3b908-e619-4b99-88e5-2cf7f45965bd",
    doc: `${RESPONSE_DOC}#managed-response-headers-policies-cors-preflight`,
    checked: "doc-summary",
    contents: {
      corsConfig: {
        accessControlAllowCredentials: false,
        accessControlAllowHeaders: { items: ["*"] },
        accessControlAllowMethods: { items: ALL_METHODS },
        accessControlAllowOrigins: { items: ["*"] },
        accessControlExposeHeaders: { items: ["*"] },
        originOverride: false,
      },
    },
  },
  {
    name: "CORS-with-preflight-and-SecurityHeadersPolicy",
    id: "eaab4381-ed33-4a86-88ca-d9558dc6cd63",
    doc: `${RESPONSE_DOC}#managed-response-headers-policies-cors-preflight-security`,
    checked: "doc-summary",
    contents: {
      corsConfig: {
        accessControlAllowCredentials: false,
        accessControlAllowHeaders: { items: ["*"] },
        accessControlAllowMethods: { items: ALL_METHODS },
        accessControlAllowOrigins: { items: ["*"] },
        accessControlExposeHeaders: { items: ["*"] },
        originOverride: false,
      },
      securityHeadersConfig: {
        strictTransportSecurity: { accessControlMaxAgeSec: ONE_YEAR, includeSubdomains: false, preload: false, override: false },
        contentTypeOptions: { override: false },
        frameOptions: { frameOption: "SAMEORIGIN", override: false },
        referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: false },
        xssProtection: { protection: true, modeBlock: true, override: false },
      },
    },
  },
];

function byId<T>(list: ManagedPolicy<T>[], id: string): ManagedPolicy<T> | undefined {
  return list.find((p) => p.id === id);
}

/** The managed cache policy with this id, or undefined (then it is a custom policy from the plan). */
export function managedCachePolicy(id: string): ManagedPolicy<CachePolicyContents> | undefined {
  return byId(MANAGED_CACHE_POLICIES, id);
}
export function managedOriginRequestPolicy(id: string): ManagedPolicy<OriginRequestPolicyContents> | undefined {
  return byId(MANAGED_ORIGIN_REQUEST_POLICIES, id);
}
export function managedResponseHeadersPolicy(id: string): ManagedPolicy<ResponseHeadersPolicyContents> | undefined {
  return byId(MANAGED_RESPONSE_HEADERS_POLICIES, id);
}

/** A managed policy of any kind by its name, with or without the `Managed-` prefix. */
export function managedPolicyByName(name: string): ManagedPolicy<unknown> | undefined {
  const bare = name.replace(/^Managed-/, "");
  return [...MANAGED_CACHE_POLICIES, ...MANAGED_ORIGIN_REQUEST_POLICIES, ...MANAGED_RESPONSE_HEADERS_POLICIES].find((p) => p.name === bare) as ManagedPolicy<unknown> | undefined;
}
