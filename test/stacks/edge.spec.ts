import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { EDGE_REGION } from "../../components/shared/regions";
import { parseStackConfig, StackConfigError } from "../../stacks/config";
import { signingKeyProblem } from "../../components/edge/config";
import type { MockRunResult, RecordedResource } from "../../tools/mocks/runtime";
import { loadStackFile } from "../../tools/mocks/stackFile";
import { loadCloudFrontFunction, viewerRequestEvent } from "../../tools/edge/cloudfrontFunctionsSandbox";
import { Behaviour, behaviourFor, idOf } from "../support/edge";
import { declareStack, named, ofType, oneOf, ROOT } from "../support/harness";

const pem = (type: "rsa" | "ec", bits = 2048) =>
  (type === "rsa" ? generateKeyPairSync("rsa", { modulusLength: bits }) : generateKeyPairSync("ec", { namedCurve: "prime256v1" })).publicKey.export({ type: "spki", format: "pem" }) as string;

/** Resources declared inside the `edge` Cdn component (any depth). */
function edgeResources(result: MockRunResult): RecordedResource[] {
  const inside = new Set(result.resources.filter((r) => r.type === "mpto:edge:Cdn").map((r) => r.urn));
  const out: RecordedResource[] = [];
  for (const r of result.resources) {
    if (r.parent && inside.has(r.parent)) {
      inside.add(r.urn);
      out.push(r);
    }
  }
  return out;
}

describe("edge in the real stacks (Pulumi.dev.yaml, Pulumi.prod.yaml)", () => {
  const stacks: Record<string, MockRunResult> = {};
  before(async () => {
    stacks.dev = await declareStack("dev");
    stacks.prod = await declareStack("prod");
  });

  for (const stack of ["dev", "prod"] as const) {
    describe(stack, () => {
      const config = () => parseStackConfig(stack, loadStackFile(ROOT, stack).config);

      it("serves the stack's host names in front of its Vercel deployment", () => {
        const d = oneOf(stacks[stack], "aws:cloudfront/distribution:Distribution");
        assert.deepEqual(d.inputs.aliases, config().siteHostnames);
        assert.equal((d.inputs.origins as any[]).find((o) => o.originId === "vercel").domainName, config().vercelOriginHostname);
        assert.equal(d.inputs.priceClass, config().priceClass);
      });

      it("reads the media bucket through OAC, and the bucket policy lets only this distribution read", () => {
        const result = stacks[stack];
        const d = oneOf(result, "aws:cloudfront/distribution:Distribution");
        const bucket = named(result, "media-bucket");
        const mediaOrigin = (d.inputs.origins as any[]).find((o) => o.originId === "media");
        assert.equal(mediaOrigin.domainName, bucket.outputs.bucketRegionalDomainName);
        assert.ok(mediaOrigin.originAccessControlId);
        const policies = ofType(result, "aws:s3/bucketPolicy:BucketPolicy").map((p) => JSON.parse(p.inputs.policy as string));
        const read = policies.flatMap((p) => p.Statement).find((s: any) => s.Principal?.Service === "cloudfront.amazonaws.com");
        assert.ok(read, "a statement for CloudFront");
        assert.equal(read.Condition.StringEquals["AWS:SourceArn"], d.outputs.arn);
        assert.equal(behaviourFor(d, `${config().mediaPathPrefix}/videos/x.mp4`).targetOriginId, "media");
      });

      it("puts WAF in the configured mode with the configured rate limit and log retention", () => {
        const acl = oneOf(stacks[stack], "aws:wafv2/webAcl:WebAcl");
        const rules = acl.inputs.rules as any[];
        const rate = rules.find((r) => r.statement.rateBasedStatement);
        assert.equal(rate.statement.rateBasedStatement.limit, config().wafRateLimit);
        assert.deepEqual(rate.action, config().wafMode === "block" ? { block: {} } : { count: {} });
        const wafLogs = edgeResources(stacks[stack]).find((r) => r.name === "edge-waf-logs")!;
        assert.equal(wafLogs.inputs.retentionInDays, config().logRetentionDays);
      });

      it("keeps the certificate, WAF and log delivery in us-east-1", () => {
        const types = ["aws:acm/certificate:Certificate", "aws:acm/certificateValidation:CertificateValidation", "aws:wafv2/webAcl:WebAcl", "aws:cloudwatch/logDeliverySource:LogDeliverySource", "aws:cloudwatch/logDelivery:LogDelivery"];
        for (const r of edgeResources(stacks[stack]).filter((r) => types.includes(r.type))) assert.equal(r.region, EDGE_REGION, r.name);
      });

      it("uses the default zero-compute headers path (no Lambda@Edge)", () => {
        assert.equal(config().lambdaEdgeHeaders, false);
        assert.equal(edgeResources(stacks[stack]).filter((r) => r.type === "aws:lambda/function:Function").length, 0);
        const d = oneOf(stacks[stack], "aws:cloudfront/distribution:Distribution");
        assert.ok((d.inputs.defaultCacheBehavior as Behaviour).responseHeadersPolicyId);
      });

      it("protects no edge resource (nothing there holds data); the media bucket's protection follows protectStatefulResources", () => {
        for (const r of edgeResources(stacks[stack])) assert.equal(r.options.protect, undefined, r.name);
        const bucket = named(stacks[stack], "media-bucket");
        assert.equal(bucket.options.protect ?? false, config().protectStatefulResources);
      });

      it("exports what the app, monitoring and DNS need", () => {
        const out = stacks[stack].stackOutputs;
        for (const key of ["cdnDistributionId", "cdnDistributionArn", "cdnDomainName", "cdnWebAclArn", "cdnWebAclName", "mediaSigningKeyId", "mediaPathPrefix", "edgeDnsRecords", "cdnOriginSecret", "siteCspPolicy", "mediaUploadOrigin"]) assert.ok(key in out, key);
        assert.ok(stacks[stack].secretOutputs.includes("cdnOriginSecret"), "the origin secret is a secret output");
        assert.match(out.mediaUploadOrigin as string, /^https:\/\/[a-z0-9.-]+\.s3\.eu-west-2\.amazonaws\.com$/);
        assert.deepEqual(JSON.parse(out.siteCspPolicy as string).frameSources, config().cspFrameSources);
      });

      it("forwards the viewer's Host and CloudFront-Viewer-Address to Vercel on the default and /.well-known/* behaviours, with the origin secret", () => {
        const result = stacks[stack];
        const d = oneOf(result, "aws:cloudfront/distribution:Distribution");
        const orp = named(result, "edge-vercel");
        for (const path of ["/", "/.well-known/vercel/flags", "/.well-known/acme-challenge/t0k3n"]) {
          const b = behaviourFor(d, path);
          assert.equal(b.originRequestPolicyId, idOf(orp), path);
        }
        assert.equal((orp.inputs.headersConfig as any).headerBehavior, "allViewerAndWhitelistCloudFront");
        assert.ok((orp.inputs.headersConfig as any).headers.items.includes("CloudFront-Viewer-Address"));
        const vercel = (d.inputs.origins as any[]).find((o) => o.originId === "vercel");
        assert.equal(vercel.customHeaders[0].name, "x-mpto-origin-secret");
      });

      it("refuses the *.cloudfront.net name: the function serves exactly the stack's host names", () => {
        const fn = loadCloudFrontFunction(oneOf(stacks[stack], "aws:cloudfront/function:Function").inputs.code as string);
        for (const host of config().siteHostnames) assert.equal((fn.invoke(viewerRequestEvent({ uri: "/", host })) as { statusCode?: number }).statusCode, undefined, host);
        const d = oneOf(stacks[stack], "aws:cloudfront/distribution:Distribution");
        assert.equal((fn.invoke(viewerRequestEvent({ uri: "/", host: d.outputs.domainName as string })) as { statusCode?: number }).statusCode, 403);
      });

      it("enforces a site CSP that lets the inline bootstrap run, with the strict policy as Report-Only", () => {
        const policy = named(stacks[stack], "edge-site-headers").inputs as any;
        const enforced = policy.securityHeadersConfig.contentSecurityPolicy.contentSecurityPolicy as string;
        assert.doesNotMatch(enforced, /script-src|default-src/);
        assert.match(enforced, /frame-ancestors 'none'/);
        const ro = policy.customHeadersConfig.items.find((h: any) => h.header === "Content-Security-Policy-Report-Only");
        assert.match(ro.value, /script-src 'self'/);
        assert.match(ro.value, /connect-src 'self' https:\/\/\*\.s3\.eu-west-2\.amazonaws\.com/);
        assert.match(ro.value, /form-action 'self' https:\/\/\*\.s3\.eu-west-2\.amazonaws\.com/);
      });

      it("scopes the WAF rate rule down, counts the 8 KB body rule, limits sign-in POSTs and redacts query strings in WAF logs", () => {
        const acl = oneOf(stacks[stack], "aws:wafv2/webAcl:WebAcl");
        const rules = acl.inputs.rules as any[];
        const general = rules.find((r) => r.name === "RateLimitPerIp").statement.rateBasedStatement;
        const excluded = general.scopeDownStatement.notStatement.statement.orStatement.statements.map((s: any) => s.byteMatchStatement.searchString);
        assert.deepEqual(excluded, ["/_next/static/", "/_next/image", `${config().mediaPathPrefix}/`]);
        const crs = rules.find((r) => r.name === "AWSManagedRulesCommonRuleSet").statement.managedRuleGroupStatement;
        assert.deepEqual(crs.ruleActionOverrides, [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }]);
        const signIn = rules.find((r) => r.name === "RateLimitSignIn");
        assert.equal(signIn.statement.rateBasedStatement.limit, config().wafSignInRateLimit);
        // A new rule soaks in count mode first (prod lists it in mpto:wafSoakingRules); dev counts everything.
        assert.deepEqual(signIn.action, config().wafMode === "count" || config().wafSoakingRules.includes("RateLimitSignIn") ? { count: {} } : { block: {} });
        if (stack === "prod") assert.deepEqual(config().wafSoakingRules, ["RateLimitSignIn"]);
        const logging = oneOf(stacks[stack], "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration");
        assert.ok((logging.inputs.redactedFields as any[]).some((f) => f.queryString));
      });
    });
  }

  it("prod (zone managed) creates validation and alias records in its zone and exports none", () => {
    const zone = parseStackConfig("prod", loadStackFile(ROOT, "prod").config).route53ZoneId;
    const records = edgeResources(stacks.prod).filter((r) => r.type === "aws:route53/record:Record");
    assert.equal(records.filter((r) => r.inputs.aliases).length, 2 * 2, "A and AAAA for www and apex");
    assert.equal(records.filter((r) => r.inputs.type === "CNAME").length, 2, "one validation CNAME per name");
    for (const r of records) assert.equal(r.inputs.zoneId, zone);
    assert.deepEqual(stacks.prod.stackOutputs.edgeDnsRecords, []);
  });

  it("dev (DNS elsewhere) creates no records and exports the validation CNAME and the site CNAME", () => {
    assert.equal(edgeResources(stacks.dev).filter((r) => r.type === "aws:route53/record:Record").length, 0);
    const records = stacks.dev.stackOutputs.edgeDnsRecords as { name: string; type: string }[];
    assert.deepEqual(records.map((r) => r.type), ["CNAME", "CNAME"]);
    assert.ok(records.some((r) => r.name === "dev.myprivatetutoronline.com"));
  });

  it("dev with lambdaEdgeHeaders=true gets the Lambda@Edge function in us-east-1 on the site behaviours", async () => {
    const result = await declareStack("dev", { "mpto:lambdaEdgeHeaders": "true" });
    const fn = named(result, "edge-headers-fn");
    assert.equal(fn.region, EDGE_REGION);
    const d = oneOf(result, "aws:cloudfront/distribution:Distribution");
    assert.equal((d.inputs.defaultCacheBehavior as Behaviour).lambdaFunctionAssociations![0].lambdaArn, fn.outputs.qualifiedArn);
  });
});

describe("edge config keys (components/edge/config.ts)", () => {
  const dev = () => loadStackFile(ROOT, "dev").config;
  const problemsWith = (overrides: Record<string, string>) => {
    try {
      parseStackConfig("dev", { ...dev(), ...overrides });
    } catch (error) {
      assert.ok(error instanceof StackConfigError);
      return error.problems.map((p) => p.key);
    }
    return [];
  };

  it("accept the committed public keys of both stacks (RSA 2048)", () => {
    for (const stack of ["dev", "prod"]) assert.equal(signingKeyProblem(loadStackFile(ROOT, stack).config["mpto:mediaSigningPublicKey"]), undefined, stack);
  });

  it("refuse ECDSA and RSA 1024 public keys, a private key and garbage", () => {
    assert.match(signingKeyProblem(pem("ec"))!, /ec key on prime256v1/);
    assert.match(signingKeyProblem(pem("rsa", 1024))!, /1024 bits/);
    const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }) as string;
    assert.match(signingKeyProblem(privateKey)!, /a private key \(PRIVATE KEY\)/);
    assert.match(signingKeyProblem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")!, /truncated or corrupted: its 3 bytes do not decode to a public key/);
    assert.deepEqual(problemsWith({ "mpto:mediaSigningPublicKey": "ssh-rsa AAAA" }), ["mpto:mediaSigningPublicKey"]);
  });

  it("require the signing key (no default) and refuse a media prefix that would shadow Next.js or Vercel paths", () => {
    const config = dev();
    delete config["mpto:mediaSigningPublicKey"];
    assert.throws(() => parseStackConfig("dev", config), (e: unknown) => e instanceof StackConfigError && e.problems.some((p) => p.key === "mpto:mediaSigningPublicKey"));
    for (const bad of ["/_next", "/.well-known", "media", "/media/"]) assert.deepEqual(problemsWith({ "mpto:mediaPathPrefix": bad }), ["mpto:mediaPathPrefix"], bad);
  });

  it("take the Vercel protection-bypass value only as a secret, and do not require it", () => {
    assert.equal(parseStackConfig("dev", dev()).vercelProtectionBypass, undefined);
    assert.deepEqual(problemsWith({ "mpto:vercelProtectionBypass": "abcdefghijklmnopqrstuvwxyz012345" }), ["mpto:vercelProtectionBypass"], "plain text refused");
    const parsed = parseStackConfig("dev", { ...dev(), "mpto:vercelProtectionBypass": "abcdefghijklmnopqrstuvwxyz012345" }, new Set(["mpto:vercelProtectionBypass"]));
    assert.ok(parsed.vercelProtectionBypass, "a secret Output");
  });

  it("refuse CSP sources that are not https origins and Permissions-Policy entries that are not directives", () => {
    for (const bad of ["http://player.vimeo.com", "https://player.vimeo.com/video", "*", "'unsafe-inline'", "https://a.example;script-src *"]) {
      assert.deepEqual(problemsWith({ "mpto:cspFrameSources": JSON.stringify([bad]) }), ["mpto:cspFrameSources"], bad);
      assert.deepEqual(problemsWith({ "mpto:cspScriptSources": JSON.stringify([bad]) }), ["mpto:cspScriptSources"], bad);
    }
    assert.deepEqual(problemsWith({ "mpto:cspScriptSources": JSON.stringify(["https://js.stripe.com", "https://*.example.org:8443"]) }), []);
    for (const bad of ["camera", "camera=self", "camera=(self), usb=()", "camera=('self')"]) assert.deepEqual(problemsWith({ "mpto:sitePermissionsPolicy": JSON.stringify([bad]) }), ["mpto:sitePermissionsPolicy"], bad);
    assert.deepEqual(problemsWith({ "mpto:sitePermissionsPolicy": JSON.stringify(["camera=()", 'fullscreen=(self "https://www.youtube-nocookie.com")', "usb=()"]) }), []);
    assert.deepEqual(problemsWith({ "mpto:cspReportUri": "javascript:alert(1)" }), ["mpto:cspReportUri"]);
  });

  it("default to /media and the zero-compute headers path", () => {
    const config = dev();
    delete config["mpto:mediaPathPrefix"];
    delete config["mpto:lambdaEdgeHeaders"];
    const parsed = parseStackConfig("dev", config);
    assert.equal(parsed.mediaPathPrefix, "/media");
    assert.equal(parsed.lambdaEdgeHeaders, false);
  });
});
