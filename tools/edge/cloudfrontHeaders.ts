/**
 * A model of what CloudFront does to response headers, written from CloudFront's documented
 * behaviour and independently of functions/edge/headers.ts, so that comparing its output with the
 * Lambda@Edge handler's is a real check:
 *
 * - a Response Headers Policy (the inputs the program declares for `aws.cloudfront.ResponseHeadersPolicy`):
 *   removes `removeHeadersConfig` headers, then adds each configured header when `override` is true or
 *   the origin response lacks it;
 * - the CloudFront Function's viewer-response result (run in the sandbox) on top of that.
 *
 * Header maps here are lower-case name -> value. Not modelled: CORS and Server-Timing configs (unused).
 */

/** Response Headers Policy inputs as recorded under mocks (the shape of ResponseHeadersPolicyArgs). */
export interface RecordedResponseHeadersPolicy {
  securityHeadersConfig?: {
    strictTransportSecurity?: { accessControlMaxAgeSec: number; includeSubdomains?: boolean; preload?: boolean; override: boolean };
    contentSecurityPolicy?: { contentSecurityPolicy: string; override: boolean };
    contentTypeOptions?: { override: boolean };
    frameOptions?: { frameOption: string; override: boolean };
    referrerPolicy?: { referrerPolicy: string; override: boolean };
    xssProtection?: { protection: boolean; modeBlock?: boolean; reportUri?: string; override: boolean };
  };
  customHeadersConfig?: { items?: { header: string; value: string; override: boolean }[] };
  removeHeadersConfig?: { items?: { header: string }[] };
}

export type HeaderMap = Record<string, string>;

/** The headers CloudFront adds for a policy, as [name, value, override]. */
function policyHeaders(policy: RecordedResponseHeadersPolicy): [string, string, boolean][] {
  const out: [string, string, boolean][] = [];
  const s = policy.securityHeadersConfig ?? {};
  if (s.strictTransportSecurity) {
    const h = s.strictTransportSecurity;
    out.push(["strict-transport-security", `max-age=${h.accessControlMaxAgeSec}${h.includeSubdomains ? "; includeSubDomains" : ""}${h.preload ? "; preload" : ""}`, h.override]);
  }
  if (s.contentSecurityPolicy) out.push(["content-security-policy", s.contentSecurityPolicy.contentSecurityPolicy, s.contentSecurityPolicy.override]);
  if (s.contentTypeOptions) out.push(["x-content-type-options", "nosniff", s.contentTypeOptions.override]);
  if (s.frameOptions) out.push(["x-frame-options", s.frameOptions.frameOption, s.frameOptions.override]);
  if (s.referrerPolicy) out.push(["referrer-policy", s.referrerPolicy.referrerPolicy, s.referrerPolicy.override]);
  if (s.xssProtection) {
    const x = s.xssProtection;
    const value = !x.protection ? "0" : x.modeBlock ? "1; mode=block" : x.reportUri ? `1; report=${x.reportUri}` : "1";
    out.push(["x-xss-protection", value, x.override]);
  }
  for (const item of policy.customHeadersConfig?.items ?? []) out.push([item.header.toLowerCase(), item.value, item.override]);
  return out;
}

/** Applies a Response Headers Policy to an origin response's headers. */
export function applyResponseHeadersPolicy(policy: RecordedResponseHeadersPolicy, originHeaders: HeaderMap): HeaderMap {
  const headers: HeaderMap = {};
  for (const [k, v] of Object.entries(originHeaders)) headers[k.toLowerCase()] = v;
  for (const item of policy.removeHeadersConfig?.items ?? []) delete headers[item.header.toLowerCase()];
  for (const [name, value, override] of policyHeaders(policy)) {
    if (override || !(name in headers)) headers[name] = value;
  }
  return headers;
}

/** `{ "x": { value } }` (CloudFront Functions) to `{ x: value }`. */
export function fromCfHeaders(headers: Record<string, { value: string }>): HeaderMap {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v.value]));
}

/** `{ x: [{ key, value }] }` (Lambda@Edge) to `{ x: value }`. */
export function fromLambdaEdgeHeaders(headers: Record<string, { key?: string; value: string }[]>): HeaderMap {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v.map((h) => h.value).join(", ")]));
}

/** `{ x: value }` to Lambda@Edge form. */
export function toLambdaEdgeHeaders(headers: HeaderMap): Record<string, { key: string; value: string }[]> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), [{ key: k, value: v }]]));
}
