import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CLOUDFRONT_FUNCTION_RUNTIME, cloudFrontFunctionSource, MEDIA_PATH_PREFIX } from "../../functions/edge/cloudfrontFunction";
import { MEDIA_HEADERS, SecurityHeaderSet, SITE_HEADERS } from "../../functions/edge/headers";
import { EDGE_REGION } from "../shared/regions";
import { DnsRecord, EdgeCertificate } from "./EdgeCertificate";
import { EdgeFunction } from "./EdgeFunction";
import { WafMode, WebAcl } from "./WebAcl";

export type GeoRestrictionType = "none" | "whitelist" | "blacklist";

export interface CdnArgs {
  /** Host names the distribution serves (aliases); the first is the certificate subject. Required. Plain: decides how many records exist. */
  domainNames: string[];
  /** The apex domain, so that its record is exported as ALIAS rather than CNAME. Default unset. */
  apexDomain?: string;
  /** Route 53 hosted zone for certificate validation and alias records. Default unset: the records become the `dnsRecords` output. */
  route53ZoneId?: string;
  /** Host name of the Vercel deployment (custom origin, HTTPS only, TLS 1.2). Required. */
  vercelOriginHostname: pulumi.Input<string>;
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
  /** WAF per-IP limit per 5 minutes. Default 1000. */
  wafRateLimit?: pulumi.Input<number>;
  /** Retention of the access-log and WAF log groups, in days. Default 30. */
  logRetentionDays?: pulumi.Input<number>;
  /** Security headers through Lambda@Edge (viewer response) instead of the Response Headers Policy and CloudFront Function. Default false. */
  lambdaEdgeHeaders?: boolean;
  /** Viewer TLS policy. Default "TLSv1.2_2021" (TLS 1.2+, forward-secret ciphers). */
  minimumProtocolVersion?: pulumi.Input<string>;
  /** Wait for the distribution to reach Deployed during `pulumi up`. Default true. */
  waitForDeployment?: boolean;
}

/** Origin ids inside the distribution. */
export const ORIGIN_IDS = { vercel: "vercel", media: "media" } as const;

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

/** CloudFront Response Headers Policy arguments for a header set from functions/edge/headers.ts. */
export function responseHeadersPolicyArgs(set: SecurityHeaderSet, comment: string): aws.cloudfront.ResponseHeadersPolicyArgs {
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

const ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"];
const READ_METHODS = ["GET", "HEAD", "OPTIONS"];
const CACHED_METHODS = ["GET", "HEAD"];
const ONE_YEAR = 31_536_000;

/**
 * The site's CloudFront distribution: Vercel behind it for pages, the private media bucket for
 * `<mediaPathPrefix>/*`, WAF in front, zero-compute security headers, TLS 1.2+ with an ACM
 * certificate, standard logging v2, and DNS in Route 53 when the zone is managed here.
 *
 * Behaviours, first match wins (order matters only where patterns overlap; none do):
 * 1. `/.well-known/acme-challenge/*`: Vercel, plain HTTP allowed (Vercel issues certificates with HTTP-01), never cached.
 * 2. `/.well-known/vercel/*`: Vercel, never cached (Vercel's verified-proxy requirement).
 * 3. `/_next/static/*`: Vercel, cached long (content-hashed file names; Managed-CachingOptimized).
 * 4. `/_next/image*`: Vercel image optimiser; cache key has the query and `Accept` (format negotiation).
 * 5. `<prefix>/*`: media bucket through OAC, signed URLs (trusted key group), long cache, ranges.
 * Default `*`: Vercel pages; origin `Cache-Control` decides (default TTL 0); cookies, Authorization
 * and the Next.js router headers are in the cache key, so a personalised page is never served to
 * another visitor.
 *
 * Every Vercel behaviour forwards all viewer headers except Host (Vercel routes on its own host
 * name) plus CloudFront's headers, among them `CloudFront-Viewer-Address` for Vercel's verified
 * proxy: the managed `AllViewerExceptHostHeader` origin request policy.
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
  /** The exact CloudFront Function source deployed (for tests and the bench). */
  public readonly functionSource: string;
  /** The Lambda@Edge headers function, when `lambdaEdgeHeaders` is true. */
  public readonly edgeFunction?: EdgeFunction;

  constructor(name: string, args: CdnArgs, opts?: pulumi.ComponentResourceOptions) {
    const mediaPathPrefix = args.mediaPathPrefix ?? "/media";
    if (!MEDIA_PATH_PREFIX.test(mediaPathPrefix)) throw new Error(`Cdn ${name}: mediaPathPrefix ${JSON.stringify(mediaPathPrefix)} must match ${MEDIA_PATH_PREFIX}`);
    if (args.domainNames.length === 0) throw new Error(`Cdn ${name}: domainNames must list at least one host name`);
    const functionSource = cloudFrontFunctionSource({ mediaPathPrefix });
    super("mpto:edge:Cdn", name, {}, opts);
    this.functionSource = functionSource;
    const child = { parent: this };
    const logRetentionDays = args.logRetentionDays ?? 30;

    // --- Managed policies, by name (never by hard-coded id) ---
    const cachingOptimized = aws.cloudfront.getCachePolicyOutput({ name: "Managed-CachingOptimized" }, child);
    const cachingDisabled = aws.cloudfront.getCachePolicyOutput({ name: "Managed-CachingDisabled" }, child);
    const allViewerExceptHost = aws.cloudfront.getOriginRequestPolicyOutput({ name: "Managed-AllViewerExceptHostHeader" }, child);

    // --- Custom cache policies ---
    const pagesPolicy = new aws.cloudfront.CachePolicy(
      `${name}-pages`,
      {
        comment: "Site pages: origin Cache-Control decides (default 0 s); per-session cache key",
        minTtl: 0,
        defaultTtl: 0, // no Cache-Control from Vercel: not cached
        maxTtl: ONE_YEAR,
        parametersInCacheKeyAndForwardedToOrigin: {
          cookiesConfig: { cookieBehavior: "all" }, // a signed-in visitor's page is keyed by their cookies
          headersConfig: { headerBehavior: "whitelist", headers: { items: ["Authorization", ...NEXT_ROUTER_HEADERS] } },
          queryStringsConfig: { queryStringBehavior: "all" },
          enableAcceptEncodingGzip: true,
          enableAcceptEncodingBrotli: true,
        },
      },
      child,
    );
    const imagesPolicy = new aws.cloudfront.CachePolicy(
      `${name}-images`,
      {
        comment: "Next.js image optimiser: query and Accept in the key, origin Cache-Control decides",
        minTtl: 0,
        defaultTtl: 0,
        maxTtl: ONE_YEAR,
        parametersInCacheKeyAndForwardedToOrigin: {
          cookiesConfig: { cookieBehavior: "none" },
          headersConfig: { headerBehavior: "whitelist", headers: { items: ["Accept"] } }, // AVIF/WebP negotiation
          queryStringsConfig: { queryStringBehavior: "all" }, // url, w, q
          enableAcceptEncodingGzip: false,
          enableAcceptEncodingBrotli: false,
        },
      },
      child,
    );
    const mediaPolicy = new aws.cloudfront.CachePolicy(
      `${name}-media`,
      {
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
      child,
    );

    // --- Security headers (no compute): functions/edge/headers.ts ---
    // The site policy exists only on the default path; the Lambda@Edge path applies the same set itself.
    const siteHeaders = args.lambdaEdgeHeaders
      ? undefined
      : new aws.cloudfront.ResponseHeadersPolicy(`${name}-site-headers`, responseHeadersPolicyArgs(SITE_HEADERS, "Site: HSTS, nosniff, default CSP/frame/referrer/CORP unless the app sends its own"), child);
    const mediaHeaders = new aws.cloudfront.ResponseHeadersPolicy(`${name}-media-headers`, responseHeadersPolicyArgs(MEDIA_HEADERS, "Media: strict CSP (default-src 'none'), HSTS, nosniff, CORP same-site, noindex"), child);

    // --- Edge code ---
    const viewerFunction = new aws.cloudfront.Function(
      `${name}-viewer`,
      {
        runtime: CLOUDFRONT_FUNCTION_RUNTIME,
        comment: "Media prefix strip (viewer request); X-Robots-Tag on admin paths (viewer response)",
        code: functionSource,
        publish: true, // the distribution uses the LIVE stage
      },
      child,
    );
    let edgeFunction: EdgeFunction | undefined;
    if (args.lambdaEdgeHeaders) {
      edgeFunction = new EdgeFunction(
        `${name}-headers`,
        {
          entry: path.join(__dirname, "..", "..", "functions", "edge", "lambdaEdgeHeaders.ts"),
          eventType: "viewer-response",
          description: "Security headers and X-Robots-Tag (opt-in Lambda@Edge path)",
          logRetentionDays,
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
    const waf = new WebAcl(`${name}-waf`, { mode: args.wafMode ?? "block", rateLimit: args.wafRateLimit ?? 1000, logRetentionDays }, child);
    const certificate = new EdgeCertificate(`${name}-cert`, { domainNames: args.domainNames, route53ZoneId: args.route53ZoneId }, child);

    // --- Behaviours ---
    const siteResponse = edgeFunction
      ? { lambdaFunctionAssociations: [{ eventType: "viewer-response", lambdaArn: edgeFunction.qualifiedArn, includeBody: false }] }
      : { responseHeadersPolicyId: siteHeaders!.id };
    const vercel = {
      targetOriginId: ORIGIN_IDS.vercel,
      originRequestPolicyId: allViewerExceptHost.apply((p) => p.id!),
      compress: true,
      ...siteResponse,
    };
    const orderedCacheBehaviors: aws.types.input.cloudfront.DistributionOrderedCacheBehavior[] = [
      {
        ...vercel,
        pathPattern: "/.well-known/acme-challenge/*",
        viewerProtocolPolicy: "allow-all", // Vercel's HTTP-01 challenge must not be redirected
        allowedMethods: CACHED_METHODS,
        cachedMethods: CACHED_METHODS,
        cachePolicyId: cachingDisabled.apply((p) => p.id!),
      },
      {
        ...vercel,
        pathPattern: "/.well-known/vercel/*",
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: READ_METHODS,
        cachedMethods: CACHED_METHODS,
        cachePolicyId: cachingDisabled.apply((p) => p.id!), // never cached (Vercel verified proxy)
      },
      {
        ...vercel,
        pathPattern: "/_next/static/*",
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: READ_METHODS,
        cachedMethods: CACHED_METHODS,
        cachePolicyId: cachingOptimized.apply((p) => p.id!), // up to a year, as Vercel's immutable Cache-Control asks
      },
      {
        ...vercel,
        pathPattern: "/_next/image*",
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: CACHED_METHODS,
        cachedMethods: CACHED_METHODS,
        cachePolicyId: imagesPolicy.id,
      },
      {
        pathPattern: `${mediaPathPrefix}/*`,
        targetOriginId: ORIGIN_IDS.media,
        viewerProtocolPolicy: "https-only", // signed URLs never travel over plain HTTP
        allowedMethods: READ_METHODS,
        cachedMethods: CACHED_METHODS,
        cachePolicyId: mediaPolicy.id,
        // No origin request policy: S3 needs nothing from the viewer. CloudFront passes Range
        // requests to S3 and caches the parts, so progressive video seeks work.
        compress: false,
        trustedKeyGroups: [keyGroup.id], // signed URL or signed cookie required
        responseHeadersPolicyId: mediaHeaders.id,
        functionAssociations: [{ eventType: "viewer-request", functionArn: viewerFunction.arn }],
      },
    ];
    const defaultCacheBehavior: aws.types.input.cloudfront.DistributionDefaultCacheBehavior = {
      ...vercel,
      viewerProtocolPolicy: "redirect-to-https", // CloudFront.3, CKV_AWS_34
      allowedMethods: ALL_METHODS,
      cachedMethods: CACHED_METHODS,
      cachePolicyId: pagesPolicy.id,
      // The Lambda@Edge path applies X-Robots-Tag itself; one viewer-response handler per behaviour.
      functionAssociations: edgeFunction ? [] : [{ eventType: "viewer-response", functionArn: viewerFunction.arn }],
    };

    const distribution = new aws.cloudfront.Distribution(
      `${name}-distribution`,
      {
        enabled: true,
        comment: `Site and media for ${args.domainNames.join(", ")}`.slice(0, 128), // CloudFront's comment limit
        aliases: args.domainNames,
        isIpv6Enabled: true,
        httpVersion: "http2and3",
        priceClass: args.priceClass ?? "PriceClass_100",
        webAclId: waf.webAclArn, // CloudFront.6, AwsSolutions-CFR2: WAFv2 web ACL ARN
        origins: [
          {
            originId: ORIGIN_IDS.vercel,
            domainName: args.vercelOriginHostname,
            customOriginConfig: {
              httpPort: 80,
              httpsPort: 443,
              originProtocolPolicy: "https-only", // CloudFront.9
              originSslProtocols: ["TLSv1.2"], // CloudFront.10, AwsSolutions-CFR5
              originReadTimeout: 30,
              originKeepaliveTimeout: 5,
            },
          },
          { originId: ORIGIN_IDS.media, domainName: args.mediaBucketRegionalDomainName, originAccessControlId: oac.id },
        ],
        defaultCacheBehavior,
        orderedCacheBehaviors,
        restrictions: {
          // AwsSolutions-CFR1: geo restriction available from config.
          geoRestriction: { restrictionType: args.geoRestrictionType ?? "none", locations: args.geoRestrictionLocations ?? [] },
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

    // --- Standard logging v2 (CloudFront.5, AwsSolutions-CFR3): vended logs to CloudWatch Logs in us-east-1 ---
    const accessLogs = new aws.cloudwatch.LogGroup(
      `${name}-access-logs`,
      {
        region: EDGE_REGION,
        // Under /aws/vendedlogs/ the log-delivery resource policy stays one short wildcard entry.
        namePrefix: `/aws/vendedlogs/cloudfront/${name}-`,
        retentionInDays: logRetentionDays, // CloudWatch.16
      },
      child,
    );
    const logSource = new aws.cloudwatch.LogDeliverySource(`${name}-log-source`, { region: EDGE_REGION, logType: "ACCESS_LOGS", resourceArn: distribution.arn }, child);
    const logDestination = new aws.cloudwatch.LogDeliveryDestination(
      `${name}-log-destination`,
      { region: EDGE_REGION, outputFormat: "json", deliveryDestinationConfiguration: { destinationResourceArn: accessLogs.arn } },
      child,
    );
    new aws.cloudwatch.LogDelivery(
      `${name}-log-delivery`,
      { region: EDGE_REGION, deliverySourceName: logSource.name, deliveryDestinationArn: logDestination.arn, recordFields: ACCESS_LOG_FIELDS },
      // CloudWatch Logs refuses an in-place change of record fields for a log-group destination
      // ("Provided delivery configuration is invalid for the destination type": terraform-provider-aws
      // #46108, #48527; logs/delivery.go Update sends the computed s3_delivery_configuration too), so a
      // change replaces the delivery instead; one delivery per source and destination, hence delete first.
      { ...child, replaceOnChanges: ["recordFields"], deleteBeforeReplace: true },
    );

    // --- DNS ---
    if (args.route53ZoneId) {
      args.domainNames.forEach((host, i) => {
        for (const type of ["A", "AAAA"]) {
          new aws.route53.Record(
            `${name}-alias-${i}-${type.toLowerCase()}`,
            { zoneId: args.route53ZoneId!, name: host, type, aliases: [{ name: distribution.domainName, zoneId: distribution.hostedZoneId, evaluateTargetHealth: false }] },
            child,
          );
        }
      });
    }
    this.dnsRecords = args.route53ZoneId
      ? pulumi.output([] as DnsRecord[])
      : pulumi.all([distribution.domainName, certificate.validationRecords]).apply(([target, validation]) => [
          ...validation,
          ...args.domainNames.map((host) => ({
            name: host,
            type: host === args.apexDomain ? "ALIAS" : "CNAME",
            value: target,
            purpose: host === args.apexDomain ? "apex to CloudFront (ALIAS/ANAME at the DNS host; a CNAME is not allowed at the apex)" : "site to CloudFront",
          })),
        ]);

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
    });
  }
}
