import table from "./managedPolicies.data.json";
import { fields, number, oneOf, text, textList } from "../../policies/lib/dataFile";

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
 * The ids are the ones tools/mocks/state.ts answers for the same names (a test holds them equal).
 *
 * The entries are data, in managedPolicies.data.json (contents exactly as the API spells them; a
 * header list used by several policies is written once under `headerLists` and named where it is
 * used), read and checked here.
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
  /** What the documentation says that the contents alone do not (e.g. headers named only in prose). */
  note?: string;
  contents: T;
}

const CHECKED: readonly CheckedHow[] = ["doc-text", "doc-summary"];
const CACHE_BEHAVIORS = {
  headerBehavior: ["none", "whitelist"],
  cookieBehavior: ["none", "whitelist", "allExcept", "all"],
  queryStringBehavior: ["none", "whitelist", "allExcept", "all"],
} as const;
const ORIGIN_BEHAVIORS = { ...CACHE_BEHAVIORS, headerBehavior: ["none", "whitelist", "allViewer", "allViewerAndWhitelistCloudFront", "allExcept"] } as const;

type HeaderLists = Record<string, unknown>;

/** A header list: written out, or the name of one of the file's `headerLists`. */
function headerList(value: unknown, lists: HeaderLists, where: string): string[] {
  if (typeof value === "string" && !(value in lists)) throw new Error(`${where}: no header list named ${value}`);
  return textList({ items: typeof value === "string" ? lists[value] : value }, "items", where);
}

/** The headers, cookies and query strings blocks, with their behaviours checked and named header lists resolved. */
function valuesConfigs<T extends { headersConfig: object; cookiesConfig: object; queryStringsConfig: object }>(
  raw: unknown,
  allowed: Record<string, readonly string[]>,
  lists: HeaderLists,
  where: string,
): T {
  const contents = raw as Record<string, Record<string, unknown>>;
  for (const [block, behavior, list] of [
    ["headersConfig", "headerBehavior", "headers"],
    ["cookiesConfig", "cookieBehavior", "cookies"],
    ["queryStringsConfig", "queryStringBehavior", "queryStrings"],
  ] as const) {
    const config = fields(contents[block], `${where} ${block}`, [behavior], [list]);
    oneOf(config, behavior, allowed[behavior], `${where} ${block}`);
    if (config[list] !== undefined) config[list] = { items: headerList(fields(config[list], `${where} ${block}.${list}`, ["items"]).items, lists, `${where} ${block}.${list}`) };
  }
  return raw as T;
}

function readCacheContents(raw: unknown, where: string, lists: HeaderLists): CachePolicyContents {
  const row = fields(raw, where, ["minTtl", "defaultTtl", "maxTtl", "parametersInCacheKeyAndForwardedToOrigin"]);
  for (const key of ["minTtl", "defaultTtl", "maxTtl"]) number(row, key, where, 0);
  const parameters = fields(row.parametersInCacheKeyAndForwardedToOrigin, `${where} parameters`, [
    "headersConfig",
    "cookiesConfig",
    "queryStringsConfig",
    "enableAcceptEncodingGzip",
    "enableAcceptEncodingBrotli",
  ]);
  for (const key of ["enableAcceptEncodingGzip", "enableAcceptEncodingBrotli"]) if (typeof parameters[key] !== "boolean") throw new Error(`${where}: ${key} must be true or false`);
  valuesConfigs(parameters, CACHE_BEHAVIORS, lists, `${where} parameters`);
  return raw as CachePolicyContents;
}

function readOriginRequestContents(raw: unknown, where: string, lists: HeaderLists): OriginRequestPolicyContents {
  const row = fields(raw, where, ["headersConfig", "cookiesConfig", "queryStringsConfig"], ["cloudFrontHeaders"]);
  if (row.cloudFrontHeaders !== undefined) row.cloudFrontHeaders = headerList(row.cloudFrontHeaders, lists, `${where} cloudFrontHeaders`);
  return valuesConfigs(row, ORIGIN_BEHAVIORS, lists, where);
}

function readResponseHeadersContents(raw: unknown, where: string): ResponseHeadersPolicyContents {
  const row = fields(raw, where, [], ["corsConfig", "securityHeadersConfig"]);
  if (row.corsConfig === undefined && row.securityHeadersConfig === undefined) throw new Error(`${where}: a response headers policy sets CORS or security headers`);
  if (row.corsConfig !== undefined) {
    const cors = fields(
      row.corsConfig,
      `${where} corsConfig`,
      ["accessControlAllowCredentials", "accessControlAllowHeaders", "accessControlAllowMethods", "accessControlAllowOrigins", "originOverride"],
      ["accessControlExposeHeaders", "accessControlMaxAgeSec"],
    );
    for (const key of ["accessControlAllowHeaders", "accessControlAllowMethods", "accessControlAllowOrigins", "accessControlExposeHeaders"]) {
      if (cors[key] !== undefined) textList(fields(cors[key], `${where} corsConfig.${key}`, ["items"]), "items", `${where} corsConfig.${key}`);
    }
  }
  if (row.securityHeadersConfig !== undefined) {
    fields(row.securityHeadersConfig, `${where} securityHeadersConfig`, [], ["strictTransportSecurity", "contentTypeOptions", "frameOptions", "referrerPolicy", "xssProtection"]);
  }
  return raw as ResponseHeadersPolicyContents;
}

/** One entry of managedPolicies.data.json: name, id, documentation link, how it was checked, contents. */
function readManagedPolicy<T>(raw: unknown, where: string, lists: HeaderLists, contents: (raw: unknown, where: string, lists: HeaderLists) => T): ManagedPolicy<T> {
  const row = fields(raw, where, ["name", "id", "doc", "checked", "contents"], ["note"]);
  const name = text(row, "name", where);
  const at = `${where} (${name})`;
  const id = text(row, "id", at);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) throw new Error(`${at}: id ${id} is not a CloudFront policy id`);
  const doc = text(row, "doc", at);
  if (!doc.startsWith("https://docs.aws.amazon.com/AmazonCloudFront/")) throw new Error(`${at}: doc must link the CloudFront Developer Guide`);
  return {
    name,
    id,
    doc,
    checked: oneOf(row, "checked", CHECKED, at),
    ...(row.note === undefined ? {} : { note: text(row, "note", at) }),
    contents: contents(row.contents, `${at} contents`, lists),
  };
}

/** Every entry of a managed-policies data file, by kind, with its named header lists resolved. */
export function loadManagedPolicies(data: { headerLists: HeaderLists; cache: readonly unknown[]; originRequest: readonly unknown[]; responseHeaders: readonly unknown[] }) {
  const read = <T>(kind: string, rows: readonly unknown[], contents: (raw: unknown, where: string, lists: HeaderLists) => T) =>
    rows.map((p, i) => readManagedPolicy(p, `managedPolicies.data.json ${kind} ${i + 1}`, data.headerLists, contents));
  return {
    cache: read("cache", data.cache, readCacheContents),
    originRequest: read("originRequest", data.originRequest, readOriginRequestContents),
    responseHeaders: read("responseHeaders", data.responseHeaders, readResponseHeadersContents),
  };
}

const MANAGED = loadManagedPolicies(table);

/** The headers CloudFront adds to origin requests when a policy asks for them ("Add CloudFront request headers"), released through June 2022. */
export const CLOUDFRONT_HEADERS_2022_06: string[] = headerList("CloudFront-2022-06", table.headerLists, "managedPolicies.data.json headerLists");
export const MANAGED_CACHE_POLICIES: ManagedPolicy<CachePolicyContents>[] = MANAGED.cache;
export const MANAGED_ORIGIN_REQUEST_POLICIES: ManagedPolicy<OriginRequestPolicyContents>[] = MANAGED.originRequest;
export const MANAGED_RESPONSE_HEADERS_POLICIES: ManagedPolicy<ResponseHeadersPolicyContents>[] = MANAGED.responseHeaders;

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
