import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { CLOUDFRONT_FUNCTION_RUNTIME, cloudFrontFunctionSource, MEDIA_PATH_PREFIX } from "../../functions/edge/cloudfrontFunction";
import { DEFAULT_SITE_POLICY, MEDIA_HEADERS, siteHeaders, SitePolicy } from "../../functions/edge/headers";
import { SITE_HEADERS_DEFINE } from "../../functions/edge/lambdaEdgeHeaders";
import { cdnAccessLogs } from "./cdnAccessLogs";
import { cdnDns } from "./cdnDns";
import { CdnAlarmArgs, cdnAlarms } from "./cdnAlarms";
import { CACHE_POLICIES, geoRestrictionCheck, ORIGIN_IDS, ORIGIN_READ_TIMEOUT_DEFAULT_MAX, ORIGIN_SECRET_HEADER, VERCEL_BYPASS_HEADER, VERCEL_CLOUDFRONT_HEADERS, cacheBehaviours, responseHeadersPolicyArgs } from "./cdnSettings";
import { DnsRecord, EdgeCertificate } from "./EdgeCertificate";
import { EdgeFunction } from "./EdgeFunction";
import { RATE_LIMIT_EXCLUDED_PREFIXES, WafMode, WebAcl } from "./WebAcl";

export type GeoRestrictionType = "none" | "whitelist" | "blacklist";

/** The CDN's defaults (the priceClass, geoRestrictionType and mediaPathPrefix keys take theirs from here; the WAF's are WEB_ACL_DEFAULTS). */
export const CDN_DEFAULTS = { priceClass: "PriceClass_100", geoRestrictionType: "none", mediaPathPrefix: "/media" } as const;

export interface CdnArgs {
  /** Host names the distribution serves (aliases); the first is the certificate subject. Required. Plain: decides how many records exist. */
  domainNames: string[];
  /** The apex domain, so that its record is exported as ALIAS rather than CNAME. Default unset. */
  apexDomain?: string;
  /** Route 53 hosted zone for certificate validation and alias records. Default unset: the records become the `dnsRecords` output. */
  route53ZoneId?: string;
  /** Host name of the Vercel deployment (custom origin, HTTPS only, TLS 1.2); with the viewer's Host forwarded it is only the DNS name CloudFront connects to. Required. */
  vercelOriginHostname: pulumi.Input<string>;
  /** Vercel's deployment-protection bypass secret, sent as `x-vercel-protection-bypass` to a protected (preview-branch) origin. Default unset (production origin, no protection). */
  vercelProtectionBypass?: pulumi.Input<string>;
  /** Seconds CloudFront waits for the first byte, and between bytes, from Vercel (1-180; above 60 needs a quota increase). Default 60. */
  originReadTimeoutSeconds?: number;
  /** What site pages may load (CSP sources, reporting endpoint, Permissions-Policy). Plain: compiled into the headers. Default {@link DEFAULT_SITE_POLICY}. */
  sitePolicy?: SitePolicy;
  /** Regional REST domain of the media bucket (`<bucket>.s3.<region>.amazonaws.com`), read through OAC. Required. */
  mediaBucketRegionalDomainName: pulumi.Input<string>;
  /** Path prefix routed to the media bucket and stripped before S3. Plain: it is compiled into the CloudFront Function. Default "/media". */
  mediaPathPrefix?: string;
  /** PEM public key (RSA 2048) of the key pair that signs media URLs. Required. */
  mediaSigningPublicKeyPem: pulumi.Input<string>;
  /** Price class. Default "PriceClass_100" (North America and Europe: the UK audience). */
  priceClass?: pulumi.Input<string>;
  /** Geo restriction: none, whitelist (allow only) or blacklist (deny) `geoRestrictionLocations`. Default "none". */
  geoRestrictionType?: pulumi.Input<GeoRestrictionType>;
  /** ISO 3166-1 alpha-2 country codes for the geo restriction. Default []. */
  geoRestrictionLocations?: pulumi.Input<pulumi.Input<string>[]>;
  /** WAF mode: count (observe) or block. Default "block". */
  wafMode?: WafMode;
  /** WAF per-IP limit per 5 minutes (static assets, images and media not counted). Default 1000. */
  wafRateLimit?: pulumi.Input<number>;
  /** WAF per-IP limit of sign-in POSTs per 5 minutes. Default 100. */
  wafSignInRateLimit?: pulumi.Input<number>;
  /** Sign-in path prefixes for that limit. Default the WebAcl's (`/sign-in`, `/api/auth/`). */
  wafSignInPathPrefixes?: string[];
  /** WAF rules that only count while they soak, whatever `wafMode` says. Default []. */
  wafSoakingRules?: string[];
  /** Retention of the access-log and WAF log groups, in days. Default 30. */
  logRetentionDays?: pulumi.Input<number>;
  /** Security headers also set by a Lambda@Edge origin-response function (the response headers policy stays: it also covers errors). Default false. */
  lambdaEdgeHeaders?: boolean;
  /** Viewer TLS policy. Default "TLSv1.2_2021" (TLS 1.2+, forward-secret ciphers). */
  minimumProtocolVersion?: pulumi.Input<string>;
  /** Wait for the distribution to reach Deployed during `pulumi up`. Default true. */
  waitForDeployment?: boolean;
  /** The distribution's and the WAF's alarms (us-east-1 topic, thresholds). Default none: no alarms. */
  alarms?: CdnAlarmArgs & { wafBlockedRequests?: number };
}

/**
 * The site's CloudFront distribution: Vercel behind it for pages, the private media bucket for
 * `<mediaPathPrefix>/*`, WAF in front, zero-compute security headers, TLS 1.2+ with an ACM
 * certificate, standard logging v2, and DNS in Route 53 when the zone is managed here.
 *
 * Behaviours: cdnSettings.ts `cacheBehaviours`, which lists them with their reasons.
 *
 * Every Vercel behaviour forwards every viewer header, the viewer's Host included, plus
 * `CloudFront-Viewer-Address` (custom origin request policy `<name>-vercel`): Vercel serves the
 * custom domains added to its project, Next.js checks Server Actions against that Host and builds
 * absolute URLs and redirects on it, Vercel's own domain redirects fire, and its verified proxy
 * gets the viewer's address. Host is in every cached Vercel behaviour's cache key, so a redirect
 * Vercel sends for the apex can never be served for www. The CloudFront Function refuses any other
 * Host (the distribution's `*.cloudfront.net` name included) on viewer request, before cache and
 * origin. Every origin request carries {@link ORIGIN_SECRET_HEADER}.
 */
export class Cdn extends pulumi.ComponentResource {
  /** Distribution id: `DistributionId` dimension of CloudFront metrics (us-east-1) and the target of invalidations. */
  public readonly distributionId: pulumi.Output<string>;
  /** Distribution ARN: the `AWS:SourceArn` the media bucket policy allows. */
  public readonly distributionArn: pulumi.Output<string>;
  /** `dxxxx.cloudfront.net`: target of CNAME/alias records. */
  public readonly domainName: pulumi.Output<string>;
  /** Route 53 zone id of CloudFront (for alias records). */
  public readonly hostedZoneId: pulumi.Output<string>;
  /** ARN of the WAFv2 web ACL (us-east-1, scope CLOUDFRONT). */
  public readonly webAclArn: pulumi.Output<string>;
  /** Web ACL name: `WebACL` dimension of the WAF metrics (with `Rule=ALL`), in us-east-1. */
  public readonly webAclName: pulumi.Output<string>;
  /** ARN of the validated ACM certificate (us-east-1). */
  public readonly certificateArn: pulumi.Output<string>;
  /** Id of the CloudFront public key: the `Key-Pair-Id` of media signed URLs. */
  public readonly mediaSigningKeyId: pulumi.Output<string>;
  /** Id of the trusted key group on the media behaviour. */
  public readonly mediaKeyGroupId: pulumi.Output<string>;
  /** Log group (us-east-1) receiving the standard access logs (v2). */
  public readonly accessLogGroupName: pulumi.Output<string>;
  /** Log group (us-east-1) receiving the WAF logs. */
  public readonly wafLogGroupName: pulumi.Output<string>;
  /** ARN of the CloudFront Function (media prefix, X-Robots-Tag). */
  public readonly functionArn: pulumi.Output<string>;
  /** Name of the Lambda@Edge headers function, or "" when `lambdaEdgeHeaders` is false. */
  public readonly edgeFunctionName: pulumi.Output<string>;
  /** Records to create by hand when the zone is not managed here (empty when it is). */
  public readonly dnsRecords: pulumi.Output<DnsRecord[]>;
  /** The ACM validation CNAMEs alone: known as soon as the certificate exists, before the distribution. */
  public readonly certificateValidationRecords: pulumi.Output<DnsRecord[]>;
  /** Value of {@link ORIGIN_SECRET_HEADER} on every request to Vercel (a secret): what the Vercel Firewall rule requires. */
  public readonly originSecret: pulumi.Output<string>;
  /** The site policy the headers were built from, as JSON: the app feeds the same to its nonce CSP helper. */
  public readonly sitePolicyJson: pulumi.Output<string>;
  /** The exact CloudFront Function source deployed (for tests and the bench). */
  public readonly functionSource: string;
  /** The Lambda@Edge headers function, when `lambdaEdgeHeaders` is true. */
  public readonly edgeFunction?: EdgeFunction;
  /** Names of the distribution's and the WAF's alarms (none without `alarms`). */
  public readonly alarmNames: pulumi.Output<string[]>;

  constructor(name: string, args: CdnArgs, opts?: pulumi.ComponentResourceOptions) {
    const mediaPathPrefix = args.mediaPathPrefix ?? CDN_DEFAULTS.mediaPathPrefix;
    if (!MEDIA_PATH_PREFIX.test(mediaPathPrefix)) throw new Error(`Cdn ${name}: mediaPathPrefix ${JSON.stringify(mediaPathPrefix)} must match ${MEDIA_PATH_PREFIX}`);
    if (args.domainNames.length === 0) throw new Error(`Cdn ${name}: domainNames must list at least one host name`);
    geoRestrictionCheck(`Cdn ${name}`, args.geoRestrictionType, args.geoRestrictionLocations);
    const functionSource = cloudFrontFunctionSource({ mediaPathPrefix, hosts: args.domainNames });
    super("mpto:edge:Cdn", name, {}, opts);
    this.functionSource = functionSource;
    const child = { parent: this };
    const logRetentionDays = args.logRetentionDays ?? 30;

    // --- Managed policies, by name (never by hard-coded id) ---
    const cachingDisabled = aws.cloudfront.getCachePolicyOutput({ name: "Managed-CachingDisabled" }, child);

    // --- What reaches Vercel ---
    // allViewer includes the viewer's Host (it is what Managed-AllViewerExceptHostHeader leaves
    // out); CloudFront then also uses that Host for SNI and for checking the origin's certificate,
    // which Vercel issues for each custom domain added to the project (docs/edge.md).
    const vercelRequests = new aws.cloudfront.OriginRequestPolicy(
      `${name}-vercel`,
      {
        comment: "Vercel: every viewer header incl. Host, CloudFront-Viewer-Address (verified proxy), cookies, query",
        headersConfig: { headerBehavior: "allViewerAndWhitelistCloudFront", headers: { items: VERCEL_CLOUDFRONT_HEADERS } },
        cookiesConfig: { cookieBehavior: "all" },
        queryStringsConfig: { queryStringBehavior: "all" },
      },
      child,
    );
    // Generated in the stack and kept as a secret output: nobody types it into config.
    const originSecret = new random.RandomPassword(`${name}-origin-secret`, { length: 48, special: false }, child);

    // --- Custom cache policies (cdnSettings.ts CACHE_POLICIES) ---
    const pagesPolicy = new aws.cloudfront.CachePolicy(`${name}-pages`, CACHE_POLICIES.pages, child);
    const imagesPolicy = new aws.cloudfront.CachePolicy(`${name}-images`, CACHE_POLICIES.images, child);
    const staticPolicy = new aws.cloudfront.CachePolicy(`${name}-static`, CACHE_POLICIES.static, child);
    const mediaPolicy = new aws.cloudfront.CachePolicy(`${name}-media`, CACHE_POLICIES.media, child);

    // --- Security headers (no compute): functions/edge/headers.ts ---
    // The site policy stays on the Lambda@Edge path too: response headers policies also apply to
    // error responses, which viewer-response functions never see (CloudFront "Restrictions on all
    // edge functions": no viewer-response invocation when the origin returns 400 or higher).
    const sitePolicy = args.sitePolicy ?? DEFAULT_SITE_POLICY;
    const siteSet = siteHeaders(sitePolicy);
    const siteHeadersPolicy = new aws.cloudfront.ResponseHeadersPolicy(
      `${name}-site-headers`,
      responseHeadersPolicyArgs(siteSet, "Site: HSTS, nosniff; minimal CSP + strict Report-Only, frame/referrer/CORP unless the app sends its own"),
      child,
    );
    const mediaHeaders = new aws.cloudfront.ResponseHeadersPolicy(`${name}-media-headers`, responseHeadersPolicyArgs(MEDIA_HEADERS, "Media: strict CSP (default-src 'none'), HSTS, nosniff, CORP same-site, noindex"), child);

    // --- Edge code ---
    const viewerFunction = new aws.cloudfront.Function(
      `${name}-viewer`,
      {
        runtime: CLOUDFRONT_FUNCTION_RUNTIME,
        comment: "Refuses unknown Host, strips the media prefix (viewer request); X-Robots-Tag on admin paths (viewer response)",
        code: functionSource,
        publish: true, // the distribution uses the LIVE stage
      },
      child,
    );
    let edgeFunction: EdgeFunction | undefined;
    if (args.lambdaEdgeHeaders) {
      // Origin response, not viewer response: CloudFront refuses CloudFront Functions and
      // Lambda@Edge together on viewer events of one behaviour (the Host check is a viewer-request
      // function), and origin-response functions also run on origin errors.
      edgeFunction = new EdgeFunction(
        `${name}-headers`,
        {
          entry: path.join(__dirname, "..", "..", "functions", "edge", "lambdaEdgeHeaders.ts"),
          eventType: "origin-response",
          description: "Security headers on origin responses (opt-in Lambda@Edge path)",
          logRetentionDays,
          define: { [SITE_HEADERS_DEFINE]: JSON.stringify(siteSet) },
        },
        child,
      );
    }

    // --- Signed URLs for media: trusted key group (not account key pairs, which need the root user) ---
    const publicKey = new aws.cloudfront.PublicKey(`${name}-media-signing-key`, { encodedKey: args.mediaSigningPublicKeyPem, comment: "Verifies media playback URLs signed by the app" }, child);
    const keyGroup = new aws.cloudfront.KeyGroup(`${name}-media-signers`, { items: [publicKey.id], comment: "Signers of media playback URLs" }, child);

    // CloudFront.13, AwsSolutions-CFR7: S3 origin through Origin Access Control, SigV4 on every request.
    const oac = new aws.cloudfront.OriginAccessControl(
      `${name}-media-oac`,
      { description: "CloudFront reads the private media bucket", originAccessControlOriginType: "s3", signingBehavior: "always", signingProtocol: "sigv4" },
      child,
    );

    // --- WAF and certificate (both us-east-1) ---
    const waf = new WebAcl(
      `${name}-waf`,
      {
        mode: args.wafMode,
        rateLimit: args.wafRateLimit,
        rateLimitExcludedPrefixes: [...RATE_LIMIT_EXCLUDED_PREFIXES, `${mediaPathPrefix}/`],
        signInRateLimit: args.wafSignInRateLimit,
        signInPathPrefixes: args.wafSignInPathPrefixes,
        soakingRules: args.wafSoakingRules,
        logRetentionDays,
        ...(args.alarms ? { alarmTopicArn: args.alarms.topicArn, blockedRequestsAlarmThreshold: args.alarms.wafBlockedRequests } : {}),
      },
      child,
    );
    const certificate = new EdgeCertificate(`${name}-cert`, { domainNames: args.domainNames, route53ZoneId: args.route53ZoneId }, child);

    // --- Behaviours (cdnSettings.ts cacheBehaviours: first match wins) ---
    const { defaultCacheBehavior, orderedCacheBehaviors } = cacheBehaviours({
      mediaPathPrefix,
      viewerFunctionArn: viewerFunction.arn,
      edgeFunctionArn: edgeFunction?.qualifiedArn,
      vercelRequestPolicyId: vercelRequests.id,
      siteHeadersPolicyId: siteHeadersPolicy.id,
      mediaHeadersPolicyId: mediaHeaders.id,
      cachingDisabledPolicyId: cachingDisabled.apply((p) => p.id!),
      pagesPolicyId: pagesPolicy.id,
      staticPolicyId: staticPolicy.id,
      imagesPolicyId: imagesPolicy.id,
      mediaPolicyId: mediaPolicy.id,
      mediaKeyGroupId: keyGroup.id,
    });

    // Vercel's functions run up to minutes (Fluid compute: 300 s by default on Pro); CloudFront's
    // origin response timeout is both the wait for the first byte and the gap allowed between
    // bytes (CloudFront "Response timeout"), 1-60 s unless a quota increase allows up to 180 s.
    // Streamed responses (App Router, RSC) reset it with every chunk; a long non-streaming
    // function should stream or answer 202 and finish in the background (docs/edge.md).
    const originReadTimeout = args.originReadTimeoutSeconds ?? ORIGIN_READ_TIMEOUT_DEFAULT_MAX;
    if (!Number.isInteger(originReadTimeout) || originReadTimeout < 1 || originReadTimeout > 180) {
      throw new Error(`Cdn ${name}: originReadTimeoutSeconds ${originReadTimeout} must be a whole number from 1 to 180 (above 60 needs a CloudFront quota increase)`);
    }
    const vercelHeaders: aws.types.input.cloudfront.DistributionOriginCustomHeader[] = [{ name: ORIGIN_SECRET_HEADER, value: originSecret.result }];
    if (args.vercelProtectionBypass !== undefined) vercelHeaders.push({ name: VERCEL_BYPASS_HEADER, value: pulumi.secret(args.vercelProtectionBypass) });

    const distribution = new aws.cloudfront.Distribution(
      `${name}-distribution`,
      {
        enabled: true,
        comment: `Site and media for ${args.domainNames.join(", ")}`.slice(0, 128), // CloudFront's comment limit
        aliases: args.domainNames,
        isIpv6Enabled: true,
        httpVersion: "http2and3",
        priceClass: args.priceClass ?? CDN_DEFAULTS.priceClass,
        webAclId: waf.webAclArn, // CloudFront.6, AwsSolutions-CFR2: WAFv2 web ACL ARN
        origins: [
          {
            originId: ORIGIN_IDS.vercel,
            domainName: args.vercelOriginHostname,
            customHeaders: vercelHeaders,
            customOriginConfig: {
              httpPort: 80,
              httpsPort: 443,
              originProtocolPolicy: "https-only", // CloudFront.9
              originSslProtocols: ["TLSv1.2"], // CloudFront.10, AwsSolutions-CFR5
              originReadTimeout,
              originKeepaliveTimeout: 5,
            },
          },
          { originId: ORIGIN_IDS.media, domainName: args.mediaBucketRegionalDomainName, originAccessControlId: oac.id },
        ],
        defaultCacheBehavior,
        orderedCacheBehaviors,
        restrictions: {
          // AwsSolutions-CFR1: geo restriction available from config.
          geoRestriction: { restrictionType: args.geoRestrictionType ?? CDN_DEFAULTS.geoRestrictionType, locations: args.geoRestrictionLocations ?? [] },
        },
        viewerCertificate: {
          acmCertificateArn: certificate.certificateArn, // CloudFront.7: custom certificate
          sslSupportMethod: "sni-only", // CloudFront.8
          minimumProtocolVersion: args.minimumProtocolVersion ?? "TLSv1.2_2021", // CloudFront.15, AwsSolutions-CFR4, CKV_AWS_174
        },
        waitForDeployment: args.waitForDeployment ?? true,
      },
      child,
    );

    // --- Standard logging v2 (CloudFront.5, AwsSolutions-CFR3): cdnAccessLogs.ts ---
    const accessLogs = cdnAccessLogs(this, name, distribution.arn, logRetentionDays);

    // --- DNS: records in Route 53 when the zone is managed here, else exported ---
    this.dnsRecords = cdnDns(this, name, args, distribution, certificate.validationRecords);

    const alarms = args.alarms ? cdnAlarms(this, name, distribution.id, args.alarms) : [];

    this.distributionId = distribution.id;
    this.distributionArn = distribution.arn;
    this.domainName = distribution.domainName;
    this.hostedZoneId = distribution.hostedZoneId;
    this.webAclArn = waf.webAclArn;
    this.webAclName = waf.webAclName;
    this.certificateArn = certificate.certificateArn;
    this.certificateValidationRecords = certificate.validationRecords;
    this.mediaSigningKeyId = publicKey.id;
    this.mediaKeyGroupId = keyGroup.id;
    this.accessLogGroupName = accessLogs.name;
    this.wafLogGroupName = waf.logGroupName;
    this.functionArn = viewerFunction.arn;
    this.edgeFunction = edgeFunction;
    this.edgeFunctionName = edgeFunction ? edgeFunction.functionName : pulumi.output("");
    this.originSecret = pulumi.secret(originSecret.result);
    this.alarmNames = pulumi.all([pulumi.all(alarms.map((a) => a.name)), waf.alarmNames]).apply(([own, wafs]) => [...own, ...wafs]);
    this.sitePolicyJson = pulumi.output(JSON.stringify(sitePolicy));
    this.registerOutputs({
      distributionId: this.distributionId,
      distributionArn: this.distributionArn,
      domainName: this.domainName,
      hostedZoneId: this.hostedZoneId,
      webAclArn: this.webAclArn,
      webAclName: this.webAclName,
      certificateArn: this.certificateArn,
      mediaSigningKeyId: this.mediaSigningKeyId,
      mediaKeyGroupId: this.mediaKeyGroupId,
      accessLogGroupName: this.accessLogGroupName,
      wafLogGroupName: this.wafLogGroupName,
      functionArn: this.functionArn,
      edgeFunctionName: this.edgeFunctionName,
      dnsRecords: this.dnsRecords,
      originSecret: this.originSecret,
      sitePolicyJson: this.sitePolicyJson,
      alarmNames: this.alarmNames,
    });
  }
}
