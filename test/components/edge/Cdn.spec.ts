import assert from "node:assert/strict";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { Cdn } from "../../../components/edge/Cdn";
import { ACCESS_LOG_FIELDS, NEXT_ROUTER_HEADERS, ORIGIN_IDS, ORIGIN_SECRET_HEADER, VERCEL_BYPASS_HEADER } from "../../../components/edge/cdnSettings";
import { EDGE_REGION } from "../../../components/shared/regions";
import { DEFAULT_SITE_POLICY, MEDIA_CSP, renderCsp, reportOnly, SITE_CSP, strictSiteDirectives } from "../../../functions/edge/headers";
import { MANAGED_CLOUDFRONT_POLICY_IDS } from "../../../tools/mocks/state";
import type { MockRunResult, RecordedResource } from "../../../tools/mocks/runtime";
import { BASE_CDN_ARGS, Behaviour, behaviourFor, declareCdn, idOf } from "../../support/edge";
import { declare, named, ofType, oneOf } from "../../support/harness";

/** Whether an output is marked secret (Pulumi keeps it encrypted in state and hides it in previews). */
function pulumiIsSecret(o: unknown): Promise<boolean> {
  return (o as { isSecret: Promise<boolean> }).isSecret;
}

const DISTRIBUTION = "aws:cloudfront/distribution:Distribution";

function behaviours(d: RecordedResource): { ordered: Behaviour[]; byPattern: Map<string, Behaviour>; fallback: Behaviour } {
  const ordered = d.inputs.orderedCacheBehaviors as Behaviour[];
  return { ordered, byPattern: new Map(ordered.map((b) => [b.pathPattern!, b])), fallback: d.inputs.defaultCacheBehavior as Behaviour };
}

describe("Cdn component (mpto:edge:Cdn)", () => {
  let result: MockRunResult;
  let distribution: RecordedResource;
  let cdn: Cdn;

  before(async () => {
    ({ result, cdn } = await declareCdn());
    distribution = oneOf(result, DISTRIBUTION);
  });

  it("registers as mpto:edge:Cdn with every child named after it and parented to it (or to its sub-components)", () => {
    const component = oneOf(result, "mpto:edge:Cdn");
    const components = new Set(result.resources.filter((r) => r.type.startsWith("mpto:edge:")).map((r) => r.urn));
    for (const r of result.resources.filter((r) => r.type !== "mpto:edge:Cdn")) {
      assert.ok(r.name.startsWith("edge-"), r.name);
      assert.ok(r.parent === component.urn || components.has(r.parent!), `${r.name} is parented inside the Cdn`);
    }
  });

  describe("behaviours", () => {
    it("come in this order: ACME challenge, Vercel well-known, Next.js static, Next.js images, media", () => {
      assert.deepEqual(
        behaviours(distribution).ordered.map((b) => b.pathPattern),
        ["/.well-known/acme-challenge/*", "/.well-known/vercel/*", "/_next/static/*", "/_next/image*", "/media/*"],
      );
    });

    it("route each path to the behaviour CloudFront would pick", () => {
      const expectations: [string, string | undefined][] = [
        ["/.well-known/acme-challenge/abc", "/.well-known/acme-challenge/*"],
        ["/.well-known/vercel/microfrontend-routing", "/.well-known/vercel/*"],
        ["/_next/static/chunks/app.js", "/_next/static/*"],
        ["/_next/image", "/_next/image*"],
        ["/media/videos/1/a.mp4", "/media/*"],
        ["/", undefined],
        ["/tutors/maths", undefined],
        ["/mediakit", undefined],
      ];
      for (const [path, pattern] of expectations) assert.equal(behaviourFor(distribution, path).pathPattern, pattern, path);
    });

    it("send the site to Vercel and media to the bucket", () => {
      const { ordered, fallback } = behaviours(distribution);
      assert.equal(fallback.targetOriginId, ORIGIN_IDS.vercel);
      for (const b of ordered) assert.equal(b.targetOriginId, b.pathPattern === "/media/*" ? ORIGIN_IDS.media : ORIGIN_IDS.vercel, b.pathPattern);
    });

    it("forward every viewer header, Host included, plus CloudFront-Viewer-Address (Vercel verified proxy), all cookies and the query to Vercel on every Vercel behaviour", () => {
      const policy = named(result, "edge-vercel");
      assert.equal(policy.type, "aws:cloudfront/originRequestPolicy:OriginRequestPolicy");
      // allViewer* keeps the viewer's Host; allExcept [Host] (Managed-AllViewerExceptHostHeader) would drop it.
      assert.equal((policy.inputs.headersConfig as any).headerBehavior, "allViewerAndWhitelistCloudFront");
      assert.ok((policy.inputs.headersConfig as any).headers.items.includes("CloudFront-Viewer-Address"));
      assert.ok(!(policy.inputs.headersConfig as any).headers.items.some((h: string) => h.toLowerCase() === "host"), "Host is a viewer header, not a CloudFront one");
      assert.deepEqual([(policy.inputs.cookiesConfig as any).cookieBehavior, (policy.inputs.queryStringsConfig as any).queryStringBehavior], ["all", "all"]);
      const { ordered, fallback } = behaviours(distribution);
      for (const b of [fallback, ...ordered.filter((b) => b.targetOriginId === "vercel")]) assert.equal(b.originRequestPolicyId, idOf(policy), b.pathPattern ?? "default");
      for (const b of [fallback, ...ordered]) assert.notEqual(b.originRequestPolicyId, MANAGED_CLOUDFRONT_POLICY_IDS["Managed-AllViewerExceptHostHeader"], b.pathPattern ?? "default");
      assert.deepEqual(result.invokes.filter((i) => i.token === "aws:cloudfront/getOriginRequestPolicy:getOriginRequestPolicy"), [], "no managed origin request policy is used");
    });

    it("put Host in the cache key of every cached Vercel behaviour, so one alias's redirect is never served for the other", () => {
      const { ordered, fallback } = behaviours(distribution);
      const cached = [fallback, ...ordered].filter((b) => b.targetOriginId === "vercel" && b.cachePolicyId !== MANAGED_CLOUDFRONT_POLICY_IDS["Managed-CachingDisabled"]);
      assert.equal(cached.length, 3, "pages, static, images");
      for (const b of cached) {
        const policy = ofType(result, "aws:cloudfront/cachePolicy:CachePolicy").find((p) => idOf(p) === b.cachePolicyId)!;
        assert.ok((policy.inputs.parametersInCacheKeyAndForwardedToOrigin as any).headersConfig.headers.items.includes("Host"), b.pathPattern ?? "default");
      }
    });

    it("look the one managed cache policy they use up by name, never by id", () => {
      const names = result.invokes.filter((i) => i.token === "aws:cloudfront/getCachePolicy:getCachePolicy").map((i) => i.inputs.name).sort();
      assert.deepEqual(names, ["Managed-CachingDisabled"]);
    });

    it("never cache /.well-known/vercel/* and /.well-known/acme-challenge/* (Managed-CachingDisabled)", () => {
      const { byPattern } = behaviours(distribution);
      for (const p of ["/.well-known/vercel/*", "/.well-known/acme-challenge/*"]) assert.equal(byPattern.get(p)!.cachePolicyId, MANAGED_CLOUDFRONT_POLICY_IDS["Managed-CachingDisabled"], p);
    });

    it("let plain HTTP through only for ACME challenges; everything else redirects to HTTPS, media is HTTPS only", () => {
      const { ordered, fallback } = behaviours(distribution);
      const policies = Object.fromEntries([...ordered, { ...fallback, pathPattern: "default" }].map((b) => [b.pathPattern, b.viewerProtocolPolicy]));
      assert.deepEqual(policies, {
        "/.well-known/acme-challenge/*": "allow-all",
        "/.well-known/vercel/*": "redirect-to-https",
        "/_next/static/*": "redirect-to-https",
        "/_next/image*": "redirect-to-https",
        "/media/*": "https-only",
        default: "redirect-to-https",
      });
    });

    it("cache /_next/static/* long (content-hashed files): Managed-CachingOptimized's TTLs and compression, plus Host", () => {
      const policy = named(result, "edge-static");
      assert.equal(behaviours(distribution).byPattern.get("/_next/static/*")!.cachePolicyId, idOf(policy));
      assert.deepEqual([policy.inputs.minTtl, policy.inputs.defaultTtl, policy.inputs.maxTtl], [1, 86_400, 31_536_000]);
      const key = policy.inputs.parametersInCacheKeyAndForwardedToOrigin as any;
      assert.deepEqual([key.cookiesConfig.cookieBehavior, key.queryStringsConfig.queryStringBehavior, key.headersConfig.headers.items], ["none", "none", ["Host"]]);
      assert.deepEqual([key.enableAcceptEncodingGzip, key.enableAcceptEncodingBrotli], [true, true]);
    });

    it("let every method reach the site's pages but cache only GET and HEAD", () => {
      const { fallback } = behaviours(distribution);
      assert.deepEqual([...fallback.allowedMethods].sort(), ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]);
      assert.deepEqual(fallback.cachedMethods, ["GET", "HEAD"]);
    });
  });

  describe("page cache policy (default behaviour)", () => {
    let policy: RecordedResource;
    before(() => {
      policy = named(result, "edge-pages");
    });

    it("is the default behaviour's cache policy", () => {
      assert.equal(behaviours(distribution).fallback.cachePolicyId, idOf(policy));
    });

    it("lets the origin's Cache-Control decide: default TTL 0, minimum 0, up to a year", () => {
      assert.deepEqual([policy.inputs.minTtl, policy.inputs.defaultTtl, policy.inputs.maxTtl], [0, 0, 31_536_000]);
    });

    it("never shares a personalised page: all cookies and Authorization are in the cache key", () => {
      const key = policy.inputs.parametersInCacheKeyAndForwardedToOrigin as any;
      assert.equal(key.cookiesConfig.cookieBehavior, "all");
      assert.equal(key.headersConfig.headerBehavior, "whitelist");
      assert.ok(key.headersConfig.headers.items.includes("Authorization"));
      assert.ok(key.headersConfig.headers.items.includes("Host"));
      assert.equal(key.queryStringsConfig.queryStringBehavior, "all");
    });

    it("keys on the Next.js router headers so HTML and RSC payloads of one URL never mix", () => {
      const items = (policy.inputs.parametersInCacheKeyAndForwardedToOrigin as any).headersConfig.headers.items as string[];
      for (const h of NEXT_ROUTER_HEADERS) assert.ok(items.includes(h), h);
      assert.ok(items.length <= 10, "CloudFront allows at most 10 headers in a cache key");
    });
  });

  describe("media behaviour", () => {
    let media: Behaviour;
    before(() => {
      media = behaviours(distribution).byPattern.get("/media/*")!;
    });

    it("reads the bucket through Origin Access Control (SigV4, always signed) on the bucket's regional REST endpoint", () => {
      const origin = (distribution.inputs.origins as any[]).find((o) => o.originId === ORIGIN_IDS.media);
      const oac = oneOf(result, "aws:cloudfront/originAccessControl:OriginAccessControl");
      assert.equal(origin.domainName, BASE_CDN_ARGS.mediaBucketRegionalDomainName);
      assert.equal(origin.originAccessControlId, idOf(oac));
      assert.equal(origin.customOriginConfig, undefined);
      assert.deepEqual([oac.inputs.originAccessControlOriginType, oac.inputs.signingBehavior, oac.inputs.signingProtocol], ["s3", "always", "sigv4"]);
    });

    it("requires signed URLs checked by a trusted key group holding the configured public key", () => {
      const key = oneOf(result, "aws:cloudfront/publicKey:PublicKey");
      const group = oneOf(result, "aws:cloudfront/keyGroup:KeyGroup");
      assert.equal(key.inputs.encodedKey, BASE_CDN_ARGS.mediaSigningPublicKeyPem);
      assert.deepEqual(group.inputs.items, [idOf(key)]);
      assert.deepEqual(media.trustedKeyGroups, [idOf(group)]);
    });

    it("allows GET, HEAD and OPTIONS and caches GET and HEAD", () => {
      assert.deepEqual(media.allowedMethods, ["GET", "HEAD", "OPTIONS"]);
      assert.deepEqual(media.cachedMethods, ["GET", "HEAD"]);
    });

    it("caches long without putting signed-URL parameters, cookies or headers in the key", () => {
      const policy = named(result, "edge-media");
      assert.equal(media.cachePolicyId, idOf(policy));
      assert.ok((policy.inputs.defaultTtl as number) >= 7 * 86_400);
      assert.equal(policy.inputs.maxTtl, 31_536_000);
      const key = policy.inputs.parametersInCacheKeyAndForwardedToOrigin as any;
      assert.deepEqual([key.cookiesConfig.cookieBehavior, key.headersConfig.headerBehavior, key.queryStringsConfig.queryStringBehavior], ["none", "none", "none"]);
    });

    it("keeps range requests intact for progressive video: no compression and no origin request policy rewriting the request", () => {
      assert.equal(media.compress, false);
      assert.equal(media.originRequestPolicyId, undefined);
      const key = named(result, "edge-media").inputs.parametersInCacheKeyAndForwardedToOrigin as any;
      assert.equal(key.enableAcceptEncodingGzip, false);
      assert.equal(key.enableAcceptEncodingBrotli, false);
    });

    it("checks Host and strips the media prefix with the CloudFront Function on viewer request", () => {
      const fn = oneOf(result, "aws:cloudfront/function:Function");
      assert.deepEqual(media.functionAssociations, [{ eventType: "viewer-request", functionArn: fn.outputs.arn }]);
    });

    it("follows a configured prefix", async () => {
      const { result: other } = await declareCdn({ mediaPathPrefix: "/files" });
      const d = oneOf(other, DISTRIBUTION);
      assert.equal(behaviourFor(d, "/files/videos/a.mp4").targetOriginId, ORIGIN_IDS.media);
      assert.equal(behaviourFor(d, "/media/videos/a.mp4").targetOriginId, ORIGIN_IDS.vercel);
    });

    it("refuses a prefix that would shadow Next.js paths, before declaring anything", async () => {
      await assert.rejects(declareCdn({ mediaPathPrefix: "/_next" }), /mediaPathPrefix/);
    });
  });

  describe("security headers without compute", () => {
    it("attach the site Response Headers Policy to every Vercel behaviour and the media policy to the media behaviour", () => {
      const site = idOf(named(result, "edge-site-headers"));
      const media = idOf(named(result, "edge-media-headers"));
      const { ordered, fallback } = behaviours(distribution);
      for (const b of [fallback, ...ordered]) assert.equal(b.responseHeadersPolicyId, b.targetOriginId === "media" ? media : site, b.pathPattern ?? "default");
    });

    it("site policy: HSTS 2 years with includeSubDomains and preload (overriding), nosniff, and an enforced CSP that cannot break the app and yields to the app's own", () => {
      const s = named(result, "edge-site-headers").inputs.securityHeadersConfig as any;
      assert.deepEqual(s.strictTransportSecurity, { accessControlMaxAgeSec: 63_072_000, includeSubdomains: true, preload: true, override: true });
      assert.deepEqual(s.contentTypeOptions, { override: true });
      assert.deepEqual(s.contentSecurityPolicy, { contentSecurityPolicy: SITE_CSP, override: false });
      for (const d of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "upgrade-insecure-requests", "report-uri /api/csp-report"]) assert.ok(SITE_CSP.split("; ").includes(d), d);
      // Nothing that can block the app's inline bootstrap, its uploads, embeds or fetches.
      assert.doesNotMatch(SITE_CSP, /default-src|script-src|connect-src|form-action|frame-src|style-src|img-src/);
      assert.deepEqual(s.frameOptions, { frameOption: "DENY", override: false });
      assert.equal(s.referrerPolicy.referrerPolicy, "strict-origin-when-cross-origin");
    });

    it("site policy: the strict policy rides along as Content-Security-Policy-Report-Only, yielding to the app's own", () => {
      const items = (named(result, "edge-site-headers").inputs as any).customHeadersConfig.items as { header: string; value: string; override: boolean }[];
      const ro = items.find((h) => h.header === "Content-Security-Policy-Report-Only")!;
      assert.deepEqual(ro, { header: "Content-Security-Policy-Report-Only", value: renderCsp(reportOnly(strictSiteDirectives(DEFAULT_SITE_POLICY))), override: false });
      assert.match(ro.value, /(^|; )script-src 'self'(;|$)/);
      assert.match(ro.value, /report-uri \/api\/csp-report/);
      assert.doesNotMatch(ro.value, /unsafe-inline'[^;]*;[^;]*script|script-src[^;]*unsafe/);
    });

    it("refuses, at plan time, a site policy whose CSP outgrows CloudFront's 1,783-character header value", async () => {
      const many = Array.from({ length: 60 }, (_, i) => `https://third-party-script-origin-${i}.example.com`);
      await assert.rejects(declareCdn({ sitePolicy: { ...DEFAULT_SITE_POLICY, scriptSources: many } }), /Content-Security-Policy-Report-Only is \d+ characters; CloudFront takes at most 1783/);
      const ro = (named(result, "edge-site-headers").inputs as any).customHeadersConfig.items.find((h: any) => h.header === "Content-Security-Policy-Report-Only");
      assert.ok(ro.value.length < 1783, "the default fits");
    });

    it("site policy: CORP same-origin as a custom header and the X-Powered-By banner removed", () => {
      const p = named(result, "edge-site-headers").inputs as any;
      assert.ok(p.customHeadersConfig.items.some((h: any) => h.header === "Cross-Origin-Resource-Policy" && h.value === "same-origin"));
      assert.deepEqual(p.removeHeadersConfig.items, [{ header: "X-Powered-By" }]);
    });

    it("media policy: default-src 'none' CSP, HSTS, nosniff, DENY, CORP same-site and noindex, all overriding", () => {
      const p = named(result, "edge-media-headers").inputs as any;
      assert.deepEqual(p.securityHeadersConfig.contentSecurityPolicy, { contentSecurityPolicy: MEDIA_CSP, override: true });
      assert.match(MEDIA_CSP, /^default-src 'none'/);
      assert.equal(p.securityHeadersConfig.strictTransportSecurity.override, true);
      assert.equal(p.securityHeadersConfig.frameOptions.frameOption, "DENY");
      const custom = Object.fromEntries(p.customHeadersConfig.items.map((h: any) => [h.header, [h.value, h.override]]));
      assert.deepEqual(custom, { "Cross-Origin-Resource-Policy": ["same-site", true], "X-Robots-Tag": ["noindex", true] });
    });

    it("run the CloudFront Function (cloudfront-js-2.0) on every behaviour's viewer request (Host check) and the default behaviour's viewer response, and no Lambda@Edge", () => {
      const fn = oneOf(result, "aws:cloudfront/function:Function");
      assert.equal(fn.inputs.runtime, "cloudfront-js-2.0");
      const request = { eventType: "viewer-request", functionArn: fn.outputs.arn };
      assert.deepEqual(behaviours(distribution).fallback.functionAssociations, [request, { eventType: "viewer-response", functionArn: fn.outputs.arn }]);
      for (const b of behaviours(distribution).ordered) assert.deepEqual(b.functionAssociations, [request], b.pathPattern);
      assert.match(fn.inputs.code as string, /"hosts":\["www\.example\.com","example\.com"\]/);
      assert.equal(ofType(result, "aws:lambda/function:Function").length, 0);
      for (const b of [behaviours(distribution).fallback, ...behaviours(distribution).ordered]) assert.equal(b.lambdaFunctionAssociations, undefined);
    });
  });

  describe("viewer side", () => {
    it("serves the configured names with HTTP/2 and HTTP/3 over IPv4 and IPv6", () => {
      assert.deepEqual(distribution.inputs.aliases, BASE_CDN_ARGS.domainNames);
      assert.equal(distribution.inputs.httpVersion, "http2and3");
      assert.equal(distribution.inputs.isIpv6Enabled, true);
      assert.equal(distribution.inputs.enabled, true);
    });

    it("uses the validated us-east-1 ACM certificate, SNI only, TLSv1.2_2021 minimum", () => {
      const validation = oneOf(result, "aws:acm/certificateValidation:CertificateValidation");
      assert.deepEqual(distribution.inputs.viewerCertificate, {
        acmCertificateArn: validation.outputs.certificateArn,
        sslSupportMethod: "sni-only",
        minimumProtocolVersion: "TLSv1.2_2021",
      });
      assert.equal(oneOf(result, "aws:acm/certificate:Certificate").region, EDGE_REGION);
    });

    it("talks to Vercel over HTTPS only with TLS 1.2, waiting up to 60 s for Vercel's functions", () => {
      const origin = (distribution.inputs.origins as any[]).find((o) => o.originId === ORIGIN_IDS.vercel);
      assert.equal(origin.domainName, BASE_CDN_ARGS.vercelOriginHostname);
      assert.equal(origin.customOriginConfig.originProtocolPolicy, "https-only");
      assert.deepEqual(origin.customOriginConfig.originSslProtocols, ["TLSv1.2"]);
      assert.equal(origin.customOriginConfig.originReadTimeout, 60);
    });

    it("takes a longer origin timeout within CloudFront's 180 s ceiling, and refuses one outside 1-180", async () => {
      const { result: longer } = await declareCdn({ originReadTimeoutSeconds: 120 });
      const origin = (oneOf(longer, DISTRIBUTION).inputs.origins as any[]).find((o) => o.originId === ORIGIN_IDS.vercel);
      assert.equal(origin.customOriginConfig.originReadTimeout, 120);
      for (const bad of [0, 181, 30.5]) await assert.rejects(declareCdn({ originReadTimeoutSeconds: bad }), /originReadTimeoutSeconds/, String(bad));
    });

    it("sends a stack-generated secret to Vercel on every origin request (custom origin header, secret output), and no bypass header unless given", async () => {
      const origin = (distribution.inputs.origins as any[]).find((o) => o.originId === ORIGIN_IDS.vercel);
      const secret = named(result, "edge-origin-secret");
      assert.equal(secret.type, "random:index/randomPassword:RandomPassword");
      assert.ok((secret.inputs.length as number) >= 32);
      assert.deepEqual(origin.customHeaders, [{ name: ORIGIN_SECRET_HEADER, value: secret.outputs.result }]);
      const media = (distribution.inputs.origins as any[]).find((o) => o.originId === ORIGIN_IDS.media);
      assert.equal(media.customHeaders, undefined, "S3 gets no secret: OAC signs its requests");
      const exported = await new Promise((resolve) => cdn.originSecret.apply(resolve));
      assert.equal(exported, secret.outputs.result);
      assert.equal(await pulumiIsSecret(cdn.originSecret), true);
    });

    it("adds Vercel's protection-bypass header for a protected preview origin when given one", async () => {
      const { result: preview } = await declareCdn({ vercelProtectionBypass: "abcdefghijklmnopqrstuvwxyz012345" });
      // A secret header makes the whole origins input secret (as in a real preview: shown as [secret]).
      const origins = oneOf(preview, DISTRIBUTION).inputs.origins as any;
      assert.equal(origins[specialSigKey], specialSecretSig); // sdk/nodejs/runtime/rpc.ts
      const origin = (origins.value as any[]).find((o) => o.originId === ORIGIN_IDS.vercel);
      assert.deepEqual(origin.customHeaders.map((h: any) => h.name), [ORIGIN_SECRET_HEADER, VERCEL_BYPASS_HEADER]);
      assert.equal(origin.customHeaders[1].value, "abcdefghijklmnopqrstuvwxyz012345");
    });

    it("defaults to PriceClass_100 and no geo restriction, and takes both from args", async () => {
      assert.equal(distribution.inputs.priceClass, "PriceClass_100");
      assert.deepEqual(distribution.inputs.restrictions, { geoRestriction: { restrictionType: "none", locations: [] } });
      const { result: other } = await declareCdn({ priceClass: "PriceClass_200", geoRestrictionType: "whitelist", geoRestrictionLocations: ["GB", "IE"] });
      const d = oneOf(other, DISTRIBUTION);
      assert.equal(d.inputs.priceClass, "PriceClass_200");
      assert.deepEqual(d.inputs.restrictions, { geoRestriction: { restrictionType: "whitelist", locations: ["GB", "IE"] } });
    });

    it("is protected by the WAFv2 web ACL: its ARN, scope CLOUDFRONT, in us-east-1", () => {
      const acl = oneOf(result, "aws:wafv2/webAcl:WebAcl");
      assert.equal(distribution.inputs.webAclId, acl.outputs.arn);
      assert.match(distribution.inputs.webAclId as string, /^arn:aws:wafv2:us-east-1:\d{12}:global\/webacl\//);
      assert.equal(acl.region, EDGE_REGION);
    });
  });

  describe("standard logging v2", () => {
    it("delivers access logs from the distribution to a us-east-1 log group with retention, all in us-east-1", () => {
      const group = named(result, "edge-access-logs");
      const source = oneOf(result, "aws:cloudwatch/logDeliverySource:LogDeliverySource");
      const destination = oneOf(result, "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination");
      const delivery = oneOf(result, "aws:cloudwatch/logDelivery:LogDelivery");
      for (const r of [group, source, destination, delivery]) assert.equal(r.region, EDGE_REGION, r.name);
      assert.equal(group.inputs.retentionInDays, 30);
      assert.match(group.inputs.namePrefix as string, /^\/aws\/vendedlogs\/cloudfront\//);
      assert.equal(source.inputs.logType, "ACCESS_LOGS");
      assert.equal(source.inputs.resourceArn, distribution.outputs.arn);
      assert.deepEqual(destination.inputs.deliveryDestinationConfiguration, { destinationResourceArn: group.outputs.arn });
      assert.equal(delivery.inputs.deliverySourceName, source.outputs.name);
      assert.equal(delivery.inputs.deliveryDestinationArn, destination.outputs.arn);
    });

    it("leaves cookies and query strings (signed-URL signatures) out of the log records", () => {
      const fields = oneOf(result, "aws:cloudwatch/logDelivery:LogDelivery").inputs.recordFields as string[];
      assert.deepEqual(fields, ACCESS_LOG_FIELDS);
      assert.ok(!fields.includes("cs(Cookie)") && !fields.includes("cs-uri-query"));
      assert.ok(fields.includes("c-ip") && fields.includes("sc-status") && fields.includes("sc-range-start"));
    });

    it("uses the configured retention for access and WAF logs", async () => {
      const { result: other } = await declareCdn({ logRetentionDays: 90 });
      assert.equal(named(other, "edge-access-logs").inputs.retentionInDays, 90);
      assert.equal(named(other, "edge-waf-logs").inputs.retentionInDays, 90);
    });
  });

  describe("DNS", () => {
    it("without a managed zone, creates no records and exports validation CNAMEs and the site records (ALIAS at the apex)", async () => {
      assert.equal(ofType(result, "aws:route53/record:Record").length, 0);
      const records = await new Promise<any[]>((resolve) => cdn.dnsRecords.apply(resolve));
      const site = records.filter((r) => !r.purpose.startsWith("ACM"));
      assert.deepEqual(
        site.map((r) => [r.name, r.type, r.value]),
        [
          ["www.example.com", "CNAME", distribution.outputs.domainName],
          ["example.com", "ALIAS", distribution.outputs.domainName],
        ],
      );
      assert.equal(records.filter((r) => r.purpose.startsWith("ACM")).length, 2);
    });

    it("with a managed zone, creates A and AAAA alias records per name to the distribution, and exports nothing", async () => {
      let withZone: Cdn | undefined;
      const zoned = await declare(() => {
        withZone = new Cdn("edge", { ...BASE_CDN_ARGS, route53ZoneId: "Z0EXAMPLE12345" });
      });
      const d = oneOf(zoned, DISTRIBUTION);
      const aliases = ofType(zoned, "aws:route53/record:Record").filter((r) => r.inputs.aliases);
      assert.deepEqual(aliases.map((r) => `${r.inputs.name} ${r.inputs.type}`).sort(), ["example.com A", "example.com AAAA", "www.example.com A", "www.example.com AAAA"]);
      for (const r of aliases) {
        assert.equal(r.inputs.zoneId, "Z0EXAMPLE12345");
        assert.deepEqual(r.inputs.aliases, [{ name: d.outputs.domainName, zoneId: "Z2FDTNDATAQYW2", evaluateTargetHealth: false }]);
      }
      assert.deepEqual(await new Promise((resolve) => withZone!.dnsRecords.apply(resolve)), []);
    });
  });

  describe("Lambda@Edge opt-in", () => {
    let edge: MockRunResult;
    let d: RecordedResource;
    before(async () => {
      ({ result: edge } = await declareCdn({ lambdaEdgeHeaders: true }));
      d = oneOf(edge, DISTRIBUTION);
    });

    it("associates the published version (qualifiedArn) on origin response with every Vercel behaviour, keeping the site headers policy (errors keep their headers)", () => {
      const fn = oneOf(edge, "aws:lambda/function:Function");
      const site = idOf(named(edge, "edge-site-headers"));
      const cf = oneOf(edge, "aws:cloudfront/function:Function");
      const { ordered, fallback } = behaviours(d);
      for (const b of [fallback, ...ordered.filter((b) => b.targetOriginId === "vercel")]) {
        assert.deepEqual(b.lambdaFunctionAssociations, [{ eventType: "origin-response", lambdaArn: fn.outputs.qualifiedArn, includeBody: false }], b.pathPattern ?? "default");
        assert.match(b.lambdaFunctionAssociations![0].lambdaArn, /:\d+$/);
        assert.equal(b.responseHeadersPolicyId, site);
        // CloudFront refuses CloudFront Functions and Lambda@Edge together on viewer events; origin events mix.
        assert.ok(b.lambdaFunctionAssociations!.every((a) => !a.eventType.startsWith("viewer")));
        assert.equal(b.functionAssociations![0].functionArn, cf.outputs.arn);
      }
      assert.deepEqual(fallback.functionAssociations!.map((a) => a.eventType), ["viewer-request", "viewer-response"]);
    });

    it("creates the function in us-east-1 and keeps both headers policies; media keeps its policy and function", () => {
      assert.equal(oneOf(edge, "aws:lambda/function:Function").region, EDGE_REGION);
      assert.deepEqual(ofType(edge, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy").map((r) => r.name).sort(), ["edge-media-headers", "edge-site-headers"]);
      const media = behaviourFor(d, "/media/a.mp4");
      assert.equal(media.responseHeadersPolicyId, idOf(named(edge, "edge-media-headers")));
      assert.equal(media.functionAssociations![0].eventType, "viewer-request");
    });
  });

  it("keeps every comment within CloudFront's 128-character limit, even with many host names", async () => {
    const many = Array.from({ length: 10 }, (_, i) => `host-number-${i}.example.com`);
    const { result: crowded } = await declareCdn({ domainNames: many });
    const cloudfront = [...result.resources, ...crowded.resources].filter((r) => r.type.startsWith("aws:cloudfront/") && typeof r.inputs.comment === "string");
    assert.ok(cloudfront.length >= 8);
    for (const r of cloudfront) assert.ok((r.inputs.comment as string).length <= 128, `${r.name}: ${(r.inputs.comment as string).length}`);
  });

  it("declares no protected or retained resource: the edge holds no data (Lambda@Edge is retained, see EdgeFunction)", () => {
    for (const r of result.resources) {
      assert.equal(r.options.protect, undefined, r.name);
      assert.equal(r.options.retainOnDelete, undefined, r.name);
    }
  });

  it("exposes what monitoring reads: distribution id and ARN, domain name, web ACL ARN and name, log groups", async () => {
    const value = (o: { apply(f: (v: unknown) => void): unknown }) => new Promise((resolve) => o.apply(resolve));
    assert.equal(await value(cdn.distributionArn), distribution.outputs.arn);
    assert.equal(await value(cdn.domainName), distribution.outputs.domainName);
    assert.equal(await value(cdn.webAclArn), oneOf(result, "aws:wafv2/webAcl:WebAcl").outputs.arn);
    assert.equal(await value(cdn.webAclName), oneOf(result, "aws:wafv2/webAcl:WebAcl").outputs.name);
    assert.ok(await value(cdn.distributionId));
    assert.equal(await value(cdn.accessLogGroupName), named(result, "edge-access-logs").outputs.name);
    assert.equal(await value(cdn.wafLogGroupName), named(result, "edge-waf-logs").outputs.name);
    assert.equal(await value(cdn.mediaSigningKeyId), idOf(oneOf(result, "aws:cloudfront/publicKey:PublicKey")));
  });
});
