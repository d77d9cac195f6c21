import { createPublicKey } from "node:crypto";
import { z } from "zod";
import { MEDIA_PATH_PREFIX } from "../../functions/edge/cloudfrontFunction";
import { DEFAULT_SITE_POLICY } from "../../functions/edge/headers";
import { SIGN_IN_PATH_PREFIXES, WAF_MODES, WEB_ACL_DEFAULTS } from "./WebAcl";
import { geoRestrictionProblems } from "../../policies/rules/cloudfront";
import { ConfigField, configProblems, type ConfigValues, CrossFieldCheck, fields } from "../shared/configField";
import * as pulumi from "@pulumi/pulumi";
import { PRIMARY_REGION } from "../shared/regions";
import type { MediaBucket } from "../media/MediaBucket";
import { type Cdn, type CdnArgs, CDN_DEFAULTS } from "./Cdn";

/** ISO 3166-1 alpha-2 country codes, upper case. */
const COUNTRY_CODE = z.string().regex(/^[A-Z]{2}$/);

/**
 * CloudFront key groups take RSA 2048 public keys for signed URLs (the documented requirement, and
 * what functions/media's signer accepts). Anything else is refused here rather than by the
 * CloudFront API at deploy time.
 */
export function signingKeyProblem(pem: string): string | undefined {
  const text = pem.trim();
  const begin = /^-----BEGIN ([A-Z0-9 ]+)-----/.exec(text)?.[1];
  if (!begin) return "not PEM: a public key starts with the line -----BEGIN PUBLIC KEY-----";
  if (/PRIVATE KEY/.test(begin)) return `a private key (${begin}): only the public half belongs in config: openssl rsa -in k.pem -pubout`;
  if (begin === "RSA PUBLIC KEY")
    return "a PKCS#1 block (-----BEGIN RSA PUBLIC KEY-----); CloudFront takes SubjectPublicKeyInfo (-----BEGIN PUBLIC KEY-----): openssl rsa -RSAPublicKey_in -in k.pem -pubout";
  if (begin !== "PUBLIC KEY") return `a ${begin} block, not a public key (-----BEGIN PUBLIC KEY-----)`;
  if (!/-----END PUBLIC KEY-----$/.test(text))
    return "truncated: there is no -----END PUBLIC KEY----- line (a YAML block scalar `|` keeps every line; check the value was not cut)";
  const body = text
    .replace(/^-----BEGIN PUBLIC KEY-----/, "")
    .replace(/-----END PUBLIC KEY-----$/, "")
    .replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return "the body between the BEGIN and END lines is not base64";
  let key: ReturnType<typeof createPublicKey>;
  try {
    key = createPublicKey(pem);
  } catch {
    const bytes = Math.floor((body.length * 3) / 4);
    return `truncated or corrupted: its ${bytes} bytes do not decode to a public key (an RSA 2048 public key is 294 bytes, 392 base64 characters)`;
  }
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === "rsa" && details.modulusLength === 2048) return undefined;
  if (key.asymmetricKeyType === "rsa") return `an RSA key of ${details.modulusLength} bits; CloudFront key groups take RSA 2048 only: openssl genrsa -out k.pem 2048`;
  return `not RSA: a ${key.asymmetricKeyType} key${details.namedCurve ? ` on ${details.namedCurve}` : ""}; CloudFront key groups take RSA 2048 only`;
}

/** A CSP host source: https, a host (optionally `*.` first), an optional port, no path. */
const CSP_ORIGIN = z.string().regex(/^https:\/\/(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:\d{1,5})?$/);

/** A Permissions-Policy directive: `feature=()`, `feature=(self)`, `feature=(self "https://x.example")`, `feature=*`. */
const PERMISSION = z.string().regex(/^[a-z][a-z-]*=(\*|\((self|\s|"https:\/\/[a-z0-9.:-]+")*\))$/);

/** A path prefix: `/` then URL path characters, no query. */
const PATH_PREFIX = z.string().regex(/^\/[A-Za-z0-9._~/-]{0,100}$/);

/** A PEM public key for CloudFront signed URLs. Only the public half is ever in config. */
const signingPublicKeyField: ConfigField<string> = {
  pulumiType: "string",
  // The reason goes into the config error (stacks/config/index.ts shows a custom issue's message).
  schema: z.string().superRefine((pem, ctx) => {
    const problem = signingKeyProblem(pem);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
  description:
    "PEM public key (RSA 2048) of the key pair that signs media playback URLs; CloudFront checks signatures with it (trusted key group). Required; the private key stays with the app.",
  expected: "a PEM public key (-----BEGIN PUBLIC KEY-----) of an RSA 2048 key pair, e.g. from: openssl genrsa -out k.pem 2048 && openssl rsa -in k.pem -pubout",
  required: true,
};

/** CloudFront and WAF settings. */
export const edgeFields = {
  priceClass: fields.oneOf(["PriceClass_100", "PriceClass_200", "PriceClass_All"], {
    description: `CloudFront price class. PriceClass_100 (North America and Europe) suits a UK audience. Default ${CDN_DEFAULTS.priceClass}.`,
    default: CDN_DEFAULTS.priceClass,
  }),
  geoRestrictionType: fields.oneOf(["none", "whitelist", "blacklist"], {
    description: `CloudFront geo restriction: none, or allow (whitelist) / deny (blacklist) the listed countries. Default ${CDN_DEFAULTS.geoRestrictionType}.`,
    default: CDN_DEFAULTS.geoRestrictionType,
  }),
  geoRestrictionLocations: fields.list(COUNTRY_CODE, "ISO 3166-1 alpha-2 country codes such as GB", {
    description: "Countries for the geo restriction (ISO 3166-1 alpha-2, e.g. GB, IE); required unless the type is none.",
    default: [],
  }),
  wafMode: fields.oneOf(WAF_MODES, {
    description: `WAF action for managed rule groups and the rate limit: count (observe) or block. Default ${WEB_ACL_DEFAULTS.mode}.`,
    default: WEB_ACL_DEFAULTS.mode,
  }),
  wafRateLimit: fields.integer({
    description: `Requests per 5 minutes one IP address may make before the WAF rate rule acts; static chunks (/_next/static), optimised images (/_next/image) and media are not counted. Default ${WEB_ACL_DEFAULTS.rateLimit}.`,
    expected: "a whole number of requests per 5 minutes from 10 to 2000000000",
    min: 10,
    max: 2_000_000_000,
    default: WEB_ACL_DEFAULTS.rateLimit,
  }),
  wafSignInRateLimit: fields.integer({
    description: `Sign-in POSTs (wafSignInPathPrefixes) per 5 minutes one IP address may make before the WAF sign-in rule acts. Default ${WEB_ACL_DEFAULTS.signInRateLimit}.`,
    expected: "a whole number of requests per 5 minutes from 10 to 100000",
    min: 10,
    max: 100_000,
    default: WEB_ACL_DEFAULTS.signInRateLimit,
  }),
  wafSignInPathPrefixes: fields.list(PATH_PREFIX, "path prefixes such as /sign-in", {
    description: `Path prefixes whose POSTs the WAF sign-in rate rule counts. Default ${SIGN_IN_PATH_PREFIXES.join(", ")}.`,
    minItems: 1,
    maxItems: 5,
    default: SIGN_IN_PATH_PREFIXES,
  }),
  wafSoakingRules: fields.list(z.string().regex(/^[A-Za-z0-9_-]{1,128}$/), "WAF rule names such as RateLimitSignIn", {
    description: "WAF rules that only count while they soak, whatever wafMode says (docs/edge.md, WAF soak). Default none.",
    default: [],
  }),
  vercelProtectionBypass: fields.text({
    description:
      "Vercel deployment-protection bypass secret for a protected (preview-branch) origin, sent as x-vercel-protection-bypass (pulumi config set --secret). Default none: the production origin is not protected.",
    expected: "the 32-character secret from Vercel Project Settings > Deployment Protection > Protection Bypass for Automation",
    pattern: /^[A-Za-z0-9_-]{16,128}$/,
    secret: true,
    required: false,
  }),
  cspFrameSources: fields.list(CSP_ORIGIN, "https origins such as https://player.vimeo.com", {
    description: `Origins site pages may frame (video embeds): CSP frame-src. Default ${DEFAULT_SITE_POLICY.frameSources.join(", ")}.`,
    default: DEFAULT_SITE_POLICY.frameSources,
  }),
  cspScriptSources: fields.list(CSP_ORIGIN, "https origins such as https://js.stripe.com", {
    description: "Third-party script origins site pages load (CSP script-src). Default none.",
    default: [],
  }),
  cspConnectSources: fields.list(CSP_ORIGIN, "https origins such as https://api.example.com", {
    description: "Third-party origins site pages fetch from (CSP connect-src); the media bucket's upload endpoint is added by the stack. Default none.",
    default: [],
  }),
  cspImgSources: fields.list(CSP_ORIGIN, "https origins such as https://i.ytimg.com", {
    description: "Third-party image origins (CSP img-src). Default none.",
    default: [],
  }),
  cspReportUri: fields.text({
    description: `Where browsers send CSP violation reports: a path on the site or an https URL. Default ${DEFAULT_SITE_POLICY.reportUri}.`,
    expected: "a path such as /api/csp-report or an https URL",
    pattern: /^(\/[A-Za-z0-9._~/-]*|https:\/\/[^\s;,]+)$/,
    default: DEFAULT_SITE_POLICY.reportUri,
  }),
  sitePermissionsPolicy: fields.list(PERMISSION, "Permissions-Policy directives such as camera=(self) or usb=()", {
    description: `Permissions-Policy of site pages, one directive per feature. Default ${DEFAULT_SITE_POLICY.permissions.join(", ")}.`,
    minItems: 1,
    default: DEFAULT_SITE_POLICY.permissions,
  }),
  mediaPathPrefix: fields.text({
    description: `Path prefix CloudFront routes to the media bucket (stripped before S3, so /media/videos/a.mp4 reads key videos/a.mp4). Default ${CDN_DEFAULTS.mediaPathPrefix}.`,
    expected: "'/' then 1-31 lower-case letters, digits or dashes, e.g. /media (not /_next or /.well-known)",
    pattern: MEDIA_PATH_PREFIX,
    maxLength: 32,
    default: CDN_DEFAULTS.mediaPathPrefix,
  }),
  mediaSigningPublicKey: signingPublicKeyField,
  lambdaEdgeHeaders: fields.boolean({
    description:
      "Add the security headers with a Lambda@Edge viewer-response function (us-east-1) instead of the zero-compute Response Headers Policy and CloudFront Function. Same headers, higher cost; for parity with the audit only. Default false.",
    default: false,
  }),
};

const GEO_KEYS = { restrictionType: "geoRestrictionType", locations: "geoRestrictionLocations" } as const;

/** A geo restriction lists countries, and none lists none (policies/rules/cloudfront.ts). */
export const edgeProblems: CrossFieldCheck = (v, found) =>
  typeof v.geoRestrictionType === "string" && Array.isArray(v.geoRestrictionLocations)
    ? configProblems(geoRestrictionProblems({ restrictionType: v.geoRestrictionType, locations: v.geoRestrictionLocations }, { name: (f) => GEO_KEYS[f] }), GEO_KEYS, found)
    : [];

/** The edge's config section, and the stack-wide keys the Cdn reads (stacks/config/site.ts, core.ts; its alarm thresholds in monitoring's). */
export type EdgeConfig = ConfigValues<typeof edgeFields> & {
  readonly alarmCloudFront5xxErrorRatePercent: number;
  readonly alarmCloudFront4xxErrorRatePercent: number;
  readonly cloudFrontAdditionalMetrics: boolean;
  readonly alarmOriginLatencyMs: number;
  readonly alarmWafBlockedRequests: number;
  readonly siteHostnames: string[];
  readonly apexDomain: string;
  readonly route53ZoneId?: string;
  readonly vercelOriginHostname: string;
  readonly logRetentionDays: number;
};

/** How the Cdn reads its config: the keys above, the media bucket it fronts and the us-east-1 topic its alarms publish to. */
export function cdnArgs(c: EdgeConfig, media: Pick<MediaBucket, "bucketRegionalDomainName">, edgeAlarmTopicArn: pulumi.Input<string>): CdnArgs {
  return {
    domainNames: c.siteHostnames,
    apexDomain: c.apexDomain,
    route53ZoneId: c.route53ZoneId,
    vercelOriginHostname: c.vercelOriginHostname,
    mediaBucketRegionalDomainName: media.bucketRegionalDomainName,
    mediaPathPrefix: c.mediaPathPrefix,
    mediaSigningPublicKeyPem: c.mediaSigningPublicKey,
    priceClass: c.priceClass,
    geoRestrictionType: c.geoRestrictionType,
    geoRestrictionLocations: c.geoRestrictionLocations,
    wafMode: c.wafMode,
    wafRateLimit: c.wafRateLimit,
    wafSignInRateLimit: c.wafSignInRateLimit,
    wafSignInPathPrefixes: c.wafSignInPathPrefixes,
    wafSoakingRules: c.wafSoakingRules,
    vercelProtectionBypass: c.vercelProtectionBypass,
    sitePolicy: {
      // Presigned POSTs go to <bucket>.s3.<region>.amazonaws.com; the bucket is auto-named, so the
      // CDN's Report-Only copy names the region's endpoints and the app's nonce policy the exact
      // bucket (stack output mediaUploadOrigin).
      uploadOrigins: [`https://*.s3.${PRIMARY_REGION}.amazonaws.com`],
      frameSources: c.cspFrameSources,
      scriptSources: c.cspScriptSources,
      connectSources: c.cspConnectSources,
      imgSources: c.cspImgSources,
      reportUri: c.cspReportUri,
      permissions: c.sitePermissionsPolicy,
    },
    logRetentionDays: c.logRetentionDays,
    lambdaEdgeHeaders: c.lambdaEdgeHeaders,
    alarms: {
      topicArn: edgeAlarmTopicArn,
      errorRate5xxPercent: c.alarmCloudFront5xxErrorRatePercent,
      errorRate4xxPercent: c.alarmCloudFront4xxErrorRatePercent,
      additionalMetrics: c.cloudFrontAdditionalMetrics,
      originLatencyMs: c.alarmOriginLatencyMs,
      wafBlockedRequests: c.alarmWafBlockedRequests,
    },
  };
}

/** The stack outputs the edge contributes, in the stack's order. */
export function cdnStackOutputs(cdn: Cdn, c: Pick<EdgeConfig, "mediaPathPrefix">, media: Pick<MediaBucket, "bucketRegionalDomainName">): Record<string, pulumi.Input<unknown>> {
  return {
    cdnDistributionId: cdn.distributionId,
    cdnDistributionArn: cdn.distributionArn,
    cdnDomainName: cdn.domainName,
    cdnWebAclArn: cdn.webAclArn,
    cdnWebAclName: cdn.webAclName,
    cdnAccessLogGroupName: cdn.accessLogGroupName,
    cdnWafLogGroupName: cdn.wafLogGroupName,
    mediaPathPrefix: c.mediaPathPrefix,
    mediaSigningKeyId: cdn.mediaSigningKeyId,
    edgeDnsRecords: cdn.dnsRecords,
    // For the Vercel Firewall rule (docs/edge.md) and the app's nonce CSP helper.
    cdnOriginSecret: cdn.originSecret,
    siteCspPolicy: cdn.sitePolicyJson,
    mediaUploadOrigin: pulumi.interpolate`https://${media.bucketRegionalDomainName}`,
    // From the certificate alone (not the distribution, which waits for it): recorded even when the
    // first update times out on validation (stack outputs that resolved are kept, pulumi/pulumi#14621).
    edgeCertificateValidationRecords: cdn.certificateValidationRecords,
  };
}
