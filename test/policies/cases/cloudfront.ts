import { distribution, DISTRIBUTION_ARN, MEDIA_DOMAIN, bucketSet, responseHeaders, T, tweak, webAcl, WEB_ACL_ARN } from "../fixtures";
import type { PolicyCase } from "./types";

const D = T.distribution;
const logging = [
  { type: T.logDeliverySource, name: "edge-access-logs-source", providerRegion: "us-east-1", props: { name: "edge-access-logs", logType: "ACCESS_LOGS", resourceArn: DISTRIBUTION_ARN, region: "us-east-1" } },
  { type: T.logDelivery, name: "edge-access-logs-delivery", providerRegion: "us-east-1", props: { deliverySourceName: "edge-access-logs", deliveryDestinationArn: "arn:aws:logs:us-east-1:123456789012:delivery-destination:x", region: "us-east-1" } },
];

export const cloudfrontCases: PolicyCase[] = [
  { policy: "cloudfront-viewer-https", title: "passes behaviours that redirect to HTTPS or are HTTPS-only, with the ACME challenge path left on HTTP", type: D, props: distribution(), expect: "pass" },
  {
    policy: "cloudfront-viewer-https",
    title: "fails a behaviour that lets viewers use plain HTTP",
    type: D,
    props: tweak(distribution(), (d) => (d.orderedCacheBehaviors[0].viewerProtocolPolicy = "allow-all")),
    expect: /behaviour \/media\/\*: viewerProtocolPolicy is allow-all/,
    count: 1,
    rules: ["CloudFront.3", "CKV_AWS_34", "AVD-AWS-0012"],
  },
  {
    policy: "cloudfront-viewer-https",
    title: "fails the ACME path on HTTP when the stack's config does not exempt it",
    type: D,
    props: distribution(),
    config: { allowHttpPathPatterns: [] },
    expect: /acme-challenge.*allow-all/,
  },

  { policy: "cloudfront-viewer-tls", title: "passes an ACM certificate from us-east-1 over SNI with TLSv1.2_2021", type: D, props: distribution(), expect: "pass" },
  {
    policy: "cloudfront-viewer-tls",
    title: "fails the default *.cloudfront.net certificate",
    type: D,
    props: tweak(distribution(), (d) => (d.viewerCertificate = { cloudfrontDefaultCertificate: true })),
    expect: /default \*\.cloudfront\.net certificate/,
    rules: ["CloudFront.7", "CKV2_AWS_42"],
  },
  {
    policy: "cloudfront-viewer-tls",
    title: "fails TLSv1 security policies, dedicated-IP SSL and a certificate outside us-east-1",
    type: D,
    props: tweak(distribution(), (d) => {
      d.viewerCertificate.minimumProtocolVersion = "TLSv1_2016";
      d.viewerCertificate.sslSupportMethod = "vip";
      d.viewerCertificate.acmCertificateArn = "arn:aws:acm:eu-west-2:123456789012:certificate/abcd";
    }),
    expect: [/minimumProtocolVersion is TLSv1_2016/, /sslSupportMethod is vip/, /certificate is in eu-west-2/],
    count: 3,
    rules: ["AwsSolutions-CFR4", "CloudFront.8", "CloudFront.15", "CKV_AWS_174", "CKV2_AWS_54", "AVD-AWS-0013"],
  },

  { policy: "cloudfront-origin-tls", title: "passes a custom origin reached over HTTPS with TLSv1.2 only", type: D, props: distribution(), expect: "pass" },
  {
    policy: "cloudfront-origin-tls",
    title: "fails an origin reached over HTTP or with TLSv1/TLSv1.1 allowed",
    type: D,
    props: tweak(distribution(), (d) => {
      d.origins[0].customOriginConfig.originProtocolPolicy = "match-viewer";
      d.origins[0].customOriginConfig.originSslProtocols = ["TLSv1", "TLSv1.1", "TLSv1.2"];
    }),
    expect: [/originProtocolPolicy is match-viewer/, /originSslProtocols allows TLSv1, TLSv1.1/],
    count: 2,
    rules: ["AwsSolutions-CFR5", "CloudFront.9", "CloudFront.10", "CKV2_AWS_72"],
  },
  {
    policy: "cloudfront-origin-tls",
    title: "fails an S3 website endpoint used as an origin",
    type: D,
    props: tweak(distribution(), (d) => d.origins.push({ originId: "site", domainName: "b.s3-website.eu-west-2.amazonaws.com", customOriginConfig: { originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"] } })),
    expect: /S3 website endpoint/,
    rules: ["AwsSolutions-S5"],
  },

  { policy: "cloudfront-s3-origin-access", title: "passes an S3 origin reached through Origin Access Control", type: D, props: distribution(), expect: "pass" },
  {
    policy: "cloudfront-s3-origin-access",
    title: "fails an S3 origin without OAC, and one that uses a legacy OAI",
    type: D,
    props: tweak(distribution(), (d) => {
      delete d.origins[1].originAccessControlId;
      d.origins[1].s3OriginConfig = { originAccessIdentity: "origin-access-identity/cloudfront/E1" };
    }),
    expect: [/no originAccessControlId/, /legacy origin access identity/],
    rules: ["AwsSolutions-CFR6", "AwsSolutions-CFR7", "CloudFront.13", "CKV2_AWS_46"],
  },

  { policy: "cloudfront-default-root-object", title: "passes a distribution whose default behaviour serves a custom origin", type: D, props: distribution(), expect: "pass" },
  {
    policy: "cloudfront-default-root-object",
    title: "fails a distribution that serves an S3 origin by default without a root object",
    type: D,
    props: tweak(distribution(), (d) => (d.defaultCacheBehavior.targetOriginId = "media")),
    expect: /defaultRootObject is not set/,
    rules: ["CloudFront.1", "CKV_AWS_305"],
  },
  {
    policy: "cloudfront-default-root-object",
    title: "passes an S3 default behaviour with a default root object",
    type: D,
    props: tweak(distribution(), (d) => {
      d.defaultCacheBehavior.targetOriginId = "media";
      d.defaultRootObject = "index.html";
    }),
    expect: "pass",
  },

  { policy: "cloudfront-geo-restriction", title: "passes no geo restriction when the stack does not require one", type: D, props: distribution(), expect: "pass" },
  {
    policy: "cloudfront-geo-restriction",
    title: "fails no geo restriction when the stack requires one",
    type: D,
    props: distribution(),
    config: { required: true },
    expect: /requires one/,
    rules: ["AwsSolutions-CFR1", "CKV_AWS_374"],
  },
  {
    policy: "cloudfront-geo-restriction",
    title: "fails a whitelist that lists no country",
    type: D,
    props: tweak(distribution(), (d) => (d.restrictions.geoRestriction = { restrictionType: "whitelist", locations: [] })),
    expect: /^restrictions.geoRestriction.locations is \[\]: expected at least one country code when restrictions.geoRestriction.restrictionType is whitelist$/,
  },
  {
    policy: "cloudfront-geo-restriction",
    title: "fails countries listed without a restriction",
    type: D,
    props: tweak(distribution(), (d) => (d.restrictions.geoRestriction = { restrictionType: "none", locations: ["GB"] })),
    expect: /^restrictions.geoRestriction.restrictionType is "none": expected whitelist or blacklist, since restrictions.geoRestriction.locations lists countries$/,
  },

  { policy: "cloudfront-security-headers", title: "passes behaviours that all attach a response headers policy", type: D, props: distribution(), expect: "pass" },
  { policy: "cloudfront-security-headers", title: "passes a headers policy with two-year HSTS, nosniff and DENY framing", type: T.responseHeaders, props: responseHeaders(), expect: "pass" },
  {
    policy: "cloudfront-security-headers",
    title: "fails a behaviour without a response headers policy",
    type: D,
    props: tweak(distribution(), (d) => delete d.defaultCacheBehavior.responseHeadersPolicyId),
    expect: /default behaviour has no responseHeadersPolicyId/,
    rules: ["CKV2_AWS_32"],
  },
  {
    policy: "cloudfront-security-headers",
    title: "passes a behaviour whose headers a Lambda@Edge viewer-response trigger sets (the opt-in headers path)",
    type: D,
    props: tweak(distribution(), (d) => {
      delete d.defaultCacheBehavior.responseHeadersPolicyId;
      d.defaultCacheBehavior.lambdaFunctionAssociations = [{ eventType: "viewer-response", lambdaArn: "arn:aws:lambda:us-east-1:123456789012:function:edge-headers:1" }];
    }),
    expect: "pass",
  },
  {
    policy: "cloudfront-security-headers",
    title: "fails a behaviour whose only Lambda@Edge trigger runs on requests",
    type: D,
    props: tweak(distribution(), (d) => {
      delete d.defaultCacheBehavior.responseHeadersPolicyId;
      d.defaultCacheBehavior.lambdaFunctionAssociations = [{ eventType: "viewer-request", lambdaArn: "arn:aws:lambda:us-east-1:123456789012:function:edge:1" }];
    }),
    expect: /default behaviour has no responseHeadersPolicyId nor response trigger/,
  },
  {
    policy: "cloudfront-security-headers",
    title: "fails a headers policy with a short HSTS and no nosniff or frame protection",
    type: T.responseHeaders,
    props: tweak(responseHeaders(), (p) => {
      p.securityHeadersConfig.strictTransportSecurity.accessControlMaxAgeSec = 3600;
      delete p.securityHeadersConfig.contentTypeOptions;
      delete p.securityHeadersConfig.frameOptions;
    }),
    expect: [/HSTS max-age 3600/, /nosniff/, /X-Frame-Options/],
    count: 3,
    rules: ["CKV2_AWS_32"],
  },

  {
    policy: "cloudfront-waf",
    title: "passes a distribution protected by the stack's CLOUDFRONT web ACL in us-east-1",
    resources: [
      { type: D, name: "edge-distribution", props: distribution() },
      { type: T.webAcl, name: "edge-waf", providerRegion: "eu-west-2", props: webAcl() },
    ],
    expect: "pass",
  },
  {
    policy: "cloudfront-waf",
    title: "fails a distribution without a web ACL",
    resources: [{ type: D, name: "edge-distribution", props: tweak(distribution(), (d) => delete d.webAclId) }],
    expect: /has no web ACL/,
    rules: ["AwsSolutions-CFR2", "CloudFront.6", "CKV_AWS_68", "AVD-AWS-0011"],
  },
  {
    policy: "cloudfront-waf",
    title: "fails a WAF Classic web ACL id",
    resources: [{ type: D, name: "edge-distribution", props: tweak(distribution(), (d) => (d.webAclId = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111")) }],
    expect: /not a WAFv2 CLOUDFRONT web ACL ARN/,
    rules: ["CloudFront.6"],
  },
  {
    policy: "cloudfront-waf",
    title: "fails when the stack's web ACL protecting the distribution is REGIONAL",
    resources: [
      { type: D, name: "edge-distribution", props: distribution() },
      { type: T.webAcl, name: "edge-waf", props: tweak(webAcl(), (w) => (w.scope = "REGIONAL")) },
    ],
    expect: /scope REGIONAL/,
  },

  {
    policy: "cloudfront-logging",
    title: "passes a distribution with a standard logging v2 delivery",
    resources: [{ type: D, name: "edge-distribution", props: distribution() }, ...logging],
    expect: "pass",
  },
  {
    policy: "cloudfront-logging",
    title: "passes a distribution with legacy S3 logging",
    resources: [{ type: D, name: "edge-distribution", props: tweak(distribution(), (d) => (d.loggingConfig = { bucket: "logs-1a2b3c4.s3.amazonaws.com" })) }],
    expect: "pass",
  },
  {
    policy: "cloudfront-logging",
    title: "fails a distribution that logs nowhere",
    resources: [{ type: D, name: "edge-distribution", props: distribution() }],
    expect: /has no access logging/,
    rules: ["AwsSolutions-CFR3", "CloudFront.5", "CKV_AWS_86", "AVD-AWS-0010"],
  },
  {
    policy: "cloudfront-logging",
    title: "fails a log delivery source that no delivery sends anywhere",
    resources: [{ type: D, name: "edge-distribution", props: distribution() }, logging[0]],
    expect: /no LogDelivery sends it anywhere/,
  },

  {
    policy: "cloudfront-s3-origin-exists",
    title: "passes an S3 origin that is a bucket of the stack",
    resources: [{ type: D, name: "edge-distribution", props: distribution() }, ...bucketSet("media").slice(0, 1)],
    expect: "pass",
  },
  {
    policy: "cloudfront-s3-origin-exists",
    title: "fails an S3 origin that no bucket of the stack answers to",
    resources: [{ type: D, name: "edge-distribution", props: distribution() }],
    expect: new RegExp(`S3 origin ${MEDIA_DOMAIN.replace(/\./g, "\\.")} is not a bucket of this stack`),
    rules: ["CloudFront.12"],
  },
  {
    policy: "cloudfront-s3-origin-exists",
    title: "passes an S3 origin listed as external in config",
    resources: [{ type: D, name: "edge-distribution", props: distribution() }],
    config: { externalOriginDomains: [MEDIA_DOMAIN] },
    expect: "pass",
  },
];

export const wafv2Cases: PolicyCase[] = [
  { policy: "waf-rules", title: "passes a web ACL whose rules all have an action", type: T.webAcl, props: webAcl(), expect: "pass" },
  { policy: "waf-rules", title: "fails a web ACL without rules", type: T.webAcl, props: tweak(webAcl(), (w) => (w.rules = [])), expect: /has no rules/, rules: ["WAF.10", "CKV_AWS_175"] },
  {
    policy: "waf-rules",
    title: "fails a rule with neither action nor override action",
    type: T.webAcl,
    props: tweak(webAcl(), (w) => delete w.rules[3].action),
    expect: /RateLimitPerIp has neither action nor overrideAction/,
    rules: ["CKV_AWS_342"],
  },

  { policy: "waf-metrics", title: "passes metrics and sampling on the web ACL and every rule", type: T.webAcl, props: webAcl(), expect: "pass" },
  {
    policy: "waf-metrics",
    title: "fails a rule without CloudWatch metrics",
    type: T.webAcl,
    props: tweak(webAcl(), (w) => (w.rules[1].visibilityConfig.cloudwatchMetricsEnabled = false)),
    expect: /rule AWSManagedRulesCommonRuleSet: cloudwatchMetricsEnabled is not true/,
    count: 1,
    rules: ["WAF.12"],
  },

  { policy: "waf-managed-rules", title: "passes Common, KnownBadInputs and IP reputation groups in blocking mode", type: T.webAcl, props: webAcl(), expect: "pass" },
  {
    policy: "waf-managed-rules",
    title: "fails a web ACL without the KnownBadInputs (Log4Shell) group",
    type: T.webAcl,
    props: tweak(webAcl(), (w) => w.rules.splice(2, 1)),
    expect: /AWSManagedRulesKnownBadInputsRuleSet is missing/,
    rules: ["CKV_AWS_192", "CKV2_AWS_47"],
  },
  {
    policy: "waf-managed-rules",
    title: "fails when a Log4JRCE rule of KnownBadInputs is overridden to count or excluded (even where count mode is allowed)",
    type: T.webAcl,
    props: tweak(webAcl(), (w) => {
      w.rules[2].statement.managedRuleGroupStatement.ruleActionOverrides = [{ name: "Log4JRCE_BODY", actionToUse: { count: {} } }];
      w.rules[2].statement.managedRuleGroupStatement.excludedRules = [{ name: "Log4JRCE" }];
    }),
    config: { allowCountMode: true },
    expect: [/Log4JRCE_BODY rule of AWSManagedRulesKnownBadInputsRuleSet is overridden to count/, /Log4JRCE rule .* overridden to count \(excludedRules\)/],
    count: 2,
    rules: ["CKV_AWS_192"],
  },
  {
    policy: "waf-managed-rules",
    title: "fails count mode where the stack requires blocking, and passes it where count mode is allowed",
    type: T.webAcl,
    props: tweak(webAcl(), (w) => (w.rules[1].overrideAction = { count: {} })),
    expect: /only counts/,
  },
  {
    policy: "waf-managed-rules",
    title: "passes count mode in a stack that allows it (dev observes before blocking)",
    type: T.webAcl,
    props: tweak(webAcl(), (w) => {
      w.rules[1].overrideAction = { count: {} };
      w.rules[3].action = { count: {} };
    }),
    config: { allowCountMode: true },
    expect: "pass",
  },

  {
    policy: "waf-managed-rules",
    title: "passes a rule counting while it soaks where the stack lists it, and still fails an unlisted one counting",
    type: T.webAcl,
    props: tweak(webAcl(), (w) => {
      w.rules[3].action = { count: {} };
      w.rules[1].overrideAction = { count: {} };
    }),
    config: { soakingRules: ["RateLimitPerIp"] },
    expect: /rule AWSManagedRulesCommonRuleSet: the managed group only counts/,
    count: 1,
  },
  {
    policy: "waf-managed-rules",
    title: "passes a soaking rate rule listed in soakingRules where the stack blocks",
    type: T.webAcl,
    props: tweak(webAcl(), (w) => (w.rules[3].action = { count: {} })),
    config: { soakingRules: ["RateLimitPerIp"] },
    expect: "pass",
  },

  { policy: "waf-rate-limit", title: "passes a per-IP rate rule at or under the cap", type: T.webAcl, props: webAcl(), expect: "pass" },
  { policy: "waf-rate-limit", title: "fails a web ACL without a rate-based rule", type: T.webAcl, props: tweak(webAcl(), (w) => w.rules.pop()), expect: /no rate-based rule/ },
  { policy: "waf-rate-limit", title: "fails a rate limit above the stack's cap", type: T.webAcl, props: webAcl(), config: { maxRateLimit: 500 }, expect: /limit 1000 per 5 minutes is above 500/ },

  { policy: "waf-scope-region", title: "passes a CLOUDFRONT web ACL in us-east-1", type: T.webAcl, props: webAcl(), expect: "pass" },
  { policy: "waf-scope-region", title: "fails a CLOUDFRONT web ACL in the stack's region", type: T.webAcl, props: tweak(webAcl(), (w) => delete w.region), expect: /region eu-west-2/ },

  {
    policy: "waf-logging",
    title: "passes a web ACL logging to aws-waf-logs- with Authorization and Cookie redacted",
    resources: [
      { type: T.webAcl, name: "edge-waf", props: webAcl() },
      { type: T.wafLogging, name: "edge-waf-logging", props: { resourceArn: WEB_ACL_ARN, logDestinationConfigs: ["arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-edge"], redactedFields: [{ singleHeader: { name: "Authorization" } }, { singleHeader: { name: "cookie" } }] } },
    ],
    expect: "pass",
  },
  {
    policy: "waf-logging",
    title: "fails a web ACL without a logging configuration",
    resources: [{ type: T.webAcl, name: "edge-waf", props: webAcl() }],
    expect: /has no logging configuration/,
    rules: ["WAF.11", "CKV2_AWS_31", "NIST WAFv2LoggingEnabled"],
  },
  {
    policy: "waf-logging",
    title: "fails logs that keep cookies in clear or go to a destination WAF refuses",
    resources: [
      { type: T.webAcl, name: "edge-waf", props: webAcl() },
      { type: T.wafLogging, name: "edge-waf-logging", deps: { resourceArn: ["edge-waf"] }, props: { resourceArn: "(from dependency)", logDestinationConfigs: ["arn:aws:logs:us-east-1:123456789012:log-group:edge-waf"], redactedFields: [{ singleHeader: { name: "authorization" } }] } },
    ],
    expect: [/not named aws-waf-logs-/, /keep the cookie header in clear/],
    count: 2,
  },
];
