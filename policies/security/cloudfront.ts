import type { PolicyResource } from "@pulumi/policy";
import { arnRegion, list, num, objects, regionOf, whenKnown } from "../lib/inputs";
import { resourceRule, stackRule } from "../lib/policy";
import { geoRestrictionProblems } from "../rules/cloudfront";

/**
 * CloudFront distributions: HTTPS to viewers and origins, a modern TLS policy on a custom
 * certificate, private S3 origins through OAC, WAF, logging, security headers, geo restriction.
 * cdk-nag AwsSolutions-CFR1..7, Security Hub CloudFront.1/3/5-10/12/13/15, Checkov, Trivy.
 */

const DISTRIBUTION = "aws:cloudfront/distribution:Distribution";
const WEB_ACL = "aws:wafv2/webAcl:WebAcl";

type Behavior = Record<string, any> & { pathPattern?: string };

/** The default behaviour and every ordered behaviour, labelled for messages. */
export function behaviorsOf(props: Record<string, any>): { label: string; behavior: Behavior }[] {
  const out: { label: string; behavior: Behavior }[] = [];
  const main = objects<Behavior>(props.defaultCacheBehavior)[0];
  if (main) out.push({ label: "default behaviour", behavior: main });
  for (const b of objects<Behavior>(props.orderedCacheBehaviors)) out.push({ label: `behaviour ${b.pathPattern}`, behavior: b });
  return out;
}

/** An S3 REST origin: an origin without customOriginConfig (CloudFront treats it as S3). */
export function isS3Origin(origin: Record<string, any>): boolean {
  return Boolean(origin.s3OriginConfig) || !origin.customOriginConfig;
}

/** An S3 static-website endpoint used as a custom origin (public bucket, no OAC possible). */
function isS3WebsiteOrigin(origin: Record<string, any>): boolean {
  return /\.s3-website[.-]/.test(String(origin.domainName ?? ""));
}

export const cloudfrontViewerHttps = resourceRule<{ allowHttpPathPatterns: string[] }>({
  name: "cloudfront-viewer-https",
  description: "Every CloudFront cache behaviour sends viewers over HTTPS (redirect-to-https or https-only) (Security Hub CloudFront.3, Checkov CKV_AWS_34, Trivy AVD-AWS-0012).",
  types: [DISTRIBUTION],
  config: {
    properties: { allowHttpPathPatterns: { type: "array", items: { type: "string" }, description: "Path patterns that may answer plain HTTP (ACME HTTP-01 challenges must not be redirected)." } },
    defaults: { allowHttpPathPatterns: ["/.well-known/acme-challenge/*"] },
  },
  validate(props, { config }, report) {
    for (const { label, behavior } of behaviorsOf(props)) {
      const policy = behavior.viewerProtocolPolicy;
      if (policy === "redirect-to-https" || policy === "https-only") continue;
      if (behavior.pathPattern && config.allowHttpPathPatterns.includes(behavior.pathPattern)) continue;
      report(`${label}: viewerProtocolPolicy is ${policy ?? "unset"}; use redirect-to-https or https-only`);
    }
  },
});

export const cloudfrontViewerTls = resourceRule<{ allowedMinimumProtocolVersions: string[] }>({
  name: "cloudfront-viewer-tls",
  description:
    "CloudFront serves a custom ACM certificate from us-east-1 over SNI with a TLS 1.2+ security policy (cdk-nag AwsSolutions-CFR4, Security Hub CloudFront.7/8/15, Checkov CKV_AWS_174/CKV2_AWS_42/CKV2_AWS_54, Trivy AVD-AWS-0013).",
  types: [DISTRIBUTION],
  config: {
    properties: {
      allowedMinimumProtocolVersions: { type: "array", items: { type: "string" }, minItems: 1, description: "Viewer security policies allowed (minimumProtocolVersion)." },
    },
    defaults: { allowedMinimumProtocolVersions: ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"] },
  },
  validate(props, { config }, report) {
    const cert = props.viewerCertificate ?? {};
    if (cert.cloudfrontDefaultCertificate === true || !cert.acmCertificateArn) {
      report("viewerCertificate uses the default *.cloudfront.net certificate: set acmCertificateArn (CloudFront.7)");
      return;
    }
    const region = arnRegion(cert.acmCertificateArn);
    if (region !== undefined && region !== "us-east-1") report(`the ACM certificate is in ${region}: CloudFront only uses certificates from us-east-1`);
    if (cert.sslSupportMethod !== "sni-only") report(`sslSupportMethod is ${cert.sslSupportMethod ?? "unset"}: use sni-only (CloudFront.8; dedicated-IP vip costs $600/month)`);
    if (!config.allowedMinimumProtocolVersions.includes(cert.minimumProtocolVersion)) {
      report(`minimumProtocolVersion is ${cert.minimumProtocolVersion ?? "unset (TLSv1)"}; allowed: ${config.allowedMinimumProtocolVersions.join(", ")} (AwsSolutions-CFR4)`);
    }
  },
});

export const cloudfrontOriginTls = resourceRule({
  name: "cloudfront-origin-tls",
  description: "CloudFront talks to custom origins over HTTPS only with TLSv1.2 only, and never to an S3 website endpoint (cdk-nag AwsSolutions-CFR5, Security Hub CloudFront.9/10, Checkov CKV2_AWS_72).",
  types: [DISTRIBUTION],
  validate(props, _ctx, report) {
    for (const origin of objects(props.origins)) {
      const custom = origin.customOriginConfig;
      if (isS3WebsiteOrigin(origin)) report(`origin ${origin.originId}: ${origin.domainName} is an S3 website endpoint (public, HTTP only); use the S3 REST endpoint with OAC`);
      if (!custom) continue;
      if (custom.originProtocolPolicy !== "https-only") report(`origin ${origin.originId}: originProtocolPolicy is ${custom.originProtocolPolicy}; use https-only (CloudFront.9)`);
      const weak = list<string>(custom.originSslProtocols).filter((p) => p !== "TLSv1.2");
      if (weak.length || !list(custom.originSslProtocols).length) report(`origin ${origin.originId}: originSslProtocols allows ${weak.join(", ") || "nothing"}; use ["TLSv1.2"] only (AwsSolutions-CFR5, CloudFront.10)`);
    }
  },
});

export const cloudfrontS3OriginAccess = resourceRule({
  name: "cloudfront-s3-origin-access",
  description: "S3 origins are private and reached through Origin Access Control, not a legacy OAI or a public bucket (cdk-nag AwsSolutions-CFR6/CFR7/S5, Security Hub CloudFront.13, Checkov CKV2_AWS_46).",
  types: [DISTRIBUTION],
  validate(props, _ctx, report) {
    for (const origin of objects(props.origins)) {
      if (!isS3Origin(origin)) continue;
      if (!origin.originAccessControlId) report(`S3 origin ${origin.originId} has no originAccessControlId: the bucket would have to be public or use a legacy OAI (CloudFront.13)`);
      const oai = origin.s3OriginConfig?.originAccessIdentity;
      if (typeof oai === "string" && oai !== "") report(`S3 origin ${origin.originId} uses the legacy origin access identity ${oai}; use OAC`);
    }
  },
});

export const cloudfrontDefaultRootObject = resourceRule({
  name: "cloudfront-default-root-object",
  description: "A distribution whose default behaviour serves an S3 origin sets a default root object, so '/' never lists or errors (Security Hub CloudFront.1, Checkov CKV_AWS_305).",
  types: [DISTRIBUTION],
  validate(props, _ctx, report) {
    const target = props.defaultCacheBehavior?.targetOriginId;
    const origin = objects(props.origins).find((o) => o.originId === target);
    if (origin && isS3Origin(origin) && !props.defaultRootObject) report(`the default behaviour serves S3 origin ${target} but defaultRootObject is not set`);
  },
});

export const cloudfrontGeoRestriction = resourceRule<{ required: boolean }>({
  name: "cloudfront-geo-restriction",
  description: "Geo restriction is on where the stack requires it, and a restriction always lists countries (cdk-nag AwsSolutions-CFR1 (warning), Checkov CKV_AWS_374).",
  types: [DISTRIBUTION],
  enforcementLevel: "advisory",
  config: {
    properties: { required: { type: "boolean", description: "Require a whitelist or blacklist geo restriction." } },
    defaults: { required: false },
  },
  validate(props, { config }, report) {
    const geo = props.restrictions?.geoRestriction ?? {};
    const type = geo.restrictionType ?? "none";
    if (type === "none" && config.required) report("geo restriction is none but this stack requires one");
    // The rule stack config and the Cdn component apply too (policies/rules/cloudfront.ts).
    const names = { restrictionType: "restrictions.geoRestriction.restrictionType", locations: "restrictions.geoRestriction.locations" };
    for (const p of geoRestrictionProblems({ restrictionType: String(type), locations: list(geo.locations) }, { name: (f) => names[f] })) report(`${names[p.field]} is ${JSON.stringify(p.field === "locations" ? list(geo.locations) : type)}: expected ${p.expected}`);
  },
});

export const cloudfrontSecurityHeaders = resourceRule<{ minHstsMaxAgeSeconds: number }>({
  name: "cloudfront-security-headers",
  description:
    "Every cache behaviour attaches a response headers policy (or, on the opt-in Lambda@Edge headers path, a viewer- or origin-response Lambda@Edge trigger that sets them), and the stack's response headers policies send HSTS (>= 1 year), nosniff and frame protection (Checkov CKV2_AWS_32).",
  types: [DISTRIBUTION, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy"],
  config: {
    properties: { minHstsMaxAgeSeconds: { type: "integer", minimum: 0, description: "Shortest HSTS max-age accepted, in seconds." } },
    defaults: { minHstsMaxAgeSeconds: 31_536_000 },
  },
  validate(props, { type, config }, report) {
    if (type === DISTRIBUTION) {
      for (const { label, behavior } of behaviorsOf(props)) {
        const edgeHeaders = objects(behavior.lambdaFunctionAssociations).some((a) => a.eventType === "viewer-response" || a.eventType === "origin-response");
        if (!behavior.responseHeadersPolicyId && !edgeHeaders) report(`${label} has no responseHeadersPolicyId nor response trigger: responses go out without security headers`);
      }
      return;
    }
    const security = props.securityHeadersConfig ?? {};
    const hsts = security.strictTransportSecurity;
    if (!hsts) report("no Strict-Transport-Security header");
    else if (!(num(hsts.accessControlMaxAgeSec) >= config.minHstsMaxAgeSeconds)) report(`HSTS max-age ${hsts.accessControlMaxAgeSec} is below ${config.minHstsMaxAgeSeconds} seconds`);
    if (!security.contentTypeOptions) report("no X-Content-Type-Options: nosniff header");
    if (!security.frameOptions && !/frame-ancestors/.test(String(security.contentSecurityPolicy?.contentSecurityPolicy ?? ""))) report("no X-Frame-Options header nor CSP frame-ancestors");
  },
});

// ---------------------------------------------------------------------------------------------
// Stack policies: relationships between the distribution and other resources.

function distributionArns(d: PolicyResource): string[] {
  return [whenKnown(() => d.props.arn as unknown, undefined), whenKnown(() => d.props.id as unknown, undefined)].filter((v): v is string => typeof v === "string");
}

export const cloudfrontWaf = stackRule({
  name: "cloudfront-waf",
  description:
    "Every distribution is protected by a WAFv2 web ACL (ARN in webAclId, not a WAF Classic id); a web ACL of the stack is CLOUDFRONT-scoped in us-east-1 (cdk-nag AwsSolutions-CFR2, Security Hub CloudFront.6, Checkov CKV_AWS_68, Trivy AVD-AWS-0011).",
  validate(stack, _config, report) {
    const acls = stack.ofType(WEB_ACL);
    for (const d of stack.ofType(DISTRIBUTION)) {
      const webAclId = whenKnown(() => d.props.webAclId as unknown, "(unknown)");
      if (webAclId === "(unknown)") continue;
      if (typeof webAclId !== "string" || webAclId === "") {
        report(`distribution ${d.name} has no web ACL (webAclId)`, d.urn);
        continue;
      }
      if (!/^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\//.test(webAclId)) {
        report(`distribution ${d.name}: webAclId '${webAclId}' is not a WAFv2 CLOUDFRONT web ACL ARN (WAF Classic ids are not accepted)`, d.urn);
        continue;
      }
      const acl = acls.find((a) => whenKnown(() => a.props.arn, undefined) === webAclId);
      if (acl && (acl.props.scope !== "CLOUDFRONT" || regionOf(acl) !== "us-east-1")) report(`web ACL ${acl.name} protects a distribution but has scope ${acl.props.scope} in ${regionOf(acl)}; use CLOUDFRONT in us-east-1`, acl.urn);
    }
  },
});

export const cloudfrontLogging = stackRule({
  name: "cloudfront-logging",
  description:
    "Every distribution writes access logs: standard logging v2 (a CloudWatch log delivery source for the distribution with a delivery) or legacy S3 logging (cdk-nag AwsSolutions-CFR3, Security Hub CloudFront.5, Checkov CKV_AWS_86, Trivy AVD-AWS-0010).",
  validate(stack, _config, report) {
    const sources = stack.ofType("aws:cloudwatch/logDeliverySource:LogDeliverySource");
    const deliveries = stack.ofType("aws:cloudwatch/logDelivery:LogDelivery");
    for (const d of stack.ofType(DISTRIBUTION)) {
      if (whenKnown(() => Boolean(d.props.loggingConfig?.bucket), false)) continue;
      const arns = distributionArns(d);
      const mine = sources.filter((s) => whenKnown(() => arns.includes(s.props.resourceArn) && s.props.logType === "ACCESS_LOGS", false));
      const delivered = mine.some((s) => deliveries.some((del) => whenKnown(() => del.props.deliverySourceName === s.props.name, false) || (del.propertyDependencies?.deliverySourceName ?? []).some((r) => r.urn === s.urn)));
      if (!mine.length) report(`distribution ${d.name} has no access logging: add a standard logging v2 delivery (LogDeliverySource ACCESS_LOGS + LogDelivery) or loggingConfig`, d.urn);
      else if (!delivered) report(`distribution ${d.name} has a log delivery source but no LogDelivery sends it anywhere`, d.urn);
    }
  },
});

export const cloudfrontS3OriginExists = stackRule<{ externalOriginDomains: string[] }>({
  name: "cloudfront-s3-origin-exists",
  description: "Every S3 origin of a distribution is a bucket the stack declares (or an allowed external one), so no origin points at a bucket someone else could claim (Security Hub CloudFront.12).",
  config: {
    properties: { externalOriginDomains: { type: "array", items: { type: "string" }, description: "S3 origin domains owned outside this stack." } },
    defaults: { externalOriginDomains: [] },
  },
  validate(stack, config, report) {
    const domains = new Set<string>(config.externalOriginDomains);
    for (const b of stack.ofType("aws:s3/bucket:Bucket")) {
      for (const key of ["bucketRegionalDomainName", "bucketDomainName"]) {
        const v = whenKnown(() => b.props[key] as unknown, undefined);
        if (typeof v === "string") domains.add(v);
      }
    }
    for (const d of stack.ofType(DISTRIBUTION)) {
      for (const origin of whenKnown(() => objects(d.props.origins).map((o) => ({ ...o })), [] as Record<string, any>[])) {
        if (!isS3Origin(origin) || typeof origin.domainName !== "string") continue;
        if (!domains.has(origin.domainName)) report(`distribution ${d.name}: S3 origin ${origin.domainName} is not a bucket of this stack`, d.urn);
      }
    }
  },
});

export const cloudfrontPolicies = [
  cloudfrontViewerHttps,
  cloudfrontViewerTls,
  cloudfrontOriginTls,
  cloudfrontS3OriginAccess,
  cloudfrontDefaultRootObject,
  cloudfrontGeoRestriction,
  cloudfrontSecurityHeaders,
  cloudfrontWaf,
  cloudfrontLogging,
  cloudfrontS3OriginExists,
];
