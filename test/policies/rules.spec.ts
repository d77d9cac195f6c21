import assert from "node:assert/strict";
import { Cdn } from "../../components/edge/Cdn";
import { UserPool } from "../../components/identity/UserPool";
import { geoRestrictionProblems } from "../../policies/rules/cloudfront";
import { domainPrefixProblem, hostedSignInProblems, threatProtectionProblems } from "../../policies/rules/cognito";
import { describeProblems } from "../../policies/rules/problem";
import { parseStackConfig, StackConfigError } from "../../stacks/config";
import { loadStackFile } from "../../tools/mocks/stackFile";
import { distribution, userPool } from "./fixtures";
import { declare, ROOT } from "../support/harness";
import { BASE_CDN_ARGS } from "../support/edge";
import { policyNamed, runResource } from "../support/policies";

/**
 * The rule functions of policies/rules/ that stack config, the components and the pack all call:
 * each problem they report and a value that passes, then, for the same input, the same verdict from
 * config (parseStackConfig), the component's constructor and the pack's policy.
 */

describe("rule functions (policies/rules)", () => {
  describe("threatProtectionProblems", () => {
    it("passes threat protection off on any plan, and audit or enforced on Plus", () => {
      for (const featurePlan of ["LITE", "ESSENTIALS", "PLUS"]) assert.deepEqual(threatProtectionProblems({ featurePlan, threatProtection: "OFF" }), []);
      for (const threatProtection of ["AUDIT", "ENFORCED", "audit"]) assert.deepEqual(threatProtectionProblems({ featurePlan: "plus", threatProtection }), []);
    });
    it("reports threat protection without Plus, in the caller's names and spelling", () => {
      assert.deepEqual(threatProtectionProblems({ featurePlan: "ESSENTIALS", threatProtection: "AUDIT" }), [
        { field: "threatProtection", expected: "OFF, since threat protection needs featurePlan PLUS (it is ESSENTIALS)" },
      ]);
      assert.deepEqual(threatProtectionProblems({ featurePlan: "lite", threatProtection: "enforced" }, { name: (f) => `mpto:${f}`, spell: (s) => s.toLowerCase() }), [
        { field: "threatProtection", expected: "off, since threat protection needs mpto:featurePlan plus (it is lite)" },
      ]);
    });
  });

  describe("domainPrefixProblem", () => {
    it("passes a DNS label of 1 to 63 characters", () => {
      for (const prefix of ["a", "mpto-signin", "x".repeat(63), "0-9"]) assert.equal(domainPrefixProblem(prefix), undefined, prefix);
    });
    it("reports what is not a DNS label, and each word Cognito reserves", () => {
      for (const prefix of ["", "-a", "a-", "A", "a_b", "x".repeat(64), "a.b"]) assert.equal(domainPrefixProblem(prefix), "not a DNS label", prefix);
      for (const word of ["aws", "amazon", "cognito"]) assert.equal(domainPrefixProblem(`my-${word}-login`), `contains ${word}, which Cognito reserves`);
    });
  });

  describe("hostedSignInProblems", () => {
    const none = { callbackUrls: [], logoutUrls: [] };
    const hosted = { domainPrefix: "signin", callbackUrls: ["https://a.example/cb"], logoutUrls: ["https://a.example/"] };
    it("passes no hosted sign-in at all, a hosted sign-in with callbacks, and complete Google and OIDC federation", () => {
      assert.deepEqual(hostedSignInProblems(none), []);
      assert.deepEqual(hostedSignInProblems({ ...none, federation: "none" }), []);
      assert.deepEqual(hostedSignInProblems(hosted), []);
      assert.deepEqual(hostedSignInProblems({ ...hosted, federation: "Google", federationClientId: "i", federationClientSecret: "s" }), []);
      assert.deepEqual(
        hostedSignInProblems({
          ...hosted,
          federation: "oidc",
          federationClientId: "i",
          federationClientSecret: "s",
          federationName: "Schools",
          federationIssuerUrl: "https://x.example",
        }),
        [],
      );
    });
    it("reports a bad prefix, a domain without callbacks, and callbacks or logout URLs without a domain", () => {
      assert.deepEqual(hostedSignInProblems({ ...hosted, domainPrefix: "my-aws" }), [
        { field: "domainPrefix", expected: `1-63 lower-case letters, digits and '-', not containing aws, amazon or cognito ("my-aws": contains aws, which Cognito reserves)` },
      ]);
      assert.deepEqual(hostedSignInProblems({ ...hosted, callbackUrls: [] }), [
        { field: "callbackUrls", expected: "at least one URL, since domainPrefix enables the hosted sign-in" },
      ]);
      assert.deepEqual(hostedSignInProblems({ ...none, callbackUrls: ["https://a.example/cb"], logoutUrls: ["https://a.example/"] }, { name: (f) => `<${f}>` }), [
        { field: "callbackUrls", expected: "no URLs unless <domainPrefix> is set (they belong to the hosted sign-in)" },
        { field: "logoutUrls", expected: "no URLs unless <domainPrefix> is set (they belong to the hosted sign-in)" },
      ]);
    });
    it("reports federation without the domain or the client, and OIDC without its name and issuer", () => {
      assert.deepEqual(
        hostedSignInProblems({ ...none, federation: "google" }).map((p) => p.field),
        ["domainPrefix", "federationClientId", "federationClientSecret"],
      );
      assert.deepEqual(hostedSignInProblems({ ...hosted, federation: "OIDC", federationClientId: "i", federationClientSecret: "s" }), [
        { field: "federationName", expected: "a value, since federation is OIDC" },
        { field: "federationIssuerUrl", expected: "a value, since federation is OIDC" },
      ]);
    });
  });

  describe("geoRestrictionProblems", () => {
    it("passes no restriction without countries, and a whitelist or blacklist with countries", () => {
      assert.deepEqual(geoRestrictionProblems({ restrictionType: "none", locations: [] }), []);
      for (const restrictionType of ["whitelist", "blacklist"]) assert.deepEqual(geoRestrictionProblems({ restrictionType, locations: ["GB"] }), []);
    });
    it("reports a restriction without countries, and countries without a restriction", () => {
      assert.deepEqual(geoRestrictionProblems({ restrictionType: "blacklist", locations: [] }), [
        { field: "locations", expected: "at least one country code when restrictionType is blacklist" },
      ]);
      assert.deepEqual(geoRestrictionProblems({ restrictionType: "none", locations: ["GB"] }, { name: (f) => f.toUpperCase() }), [
        { field: "restrictionType", expected: "whitelist or blacklist, since LOCATIONS lists countries" },
      ]);
    });
  });

  it("describeProblems names the component and each arg", () => {
    assert.equal(
      describeProblems(
        "Cdn edge",
        [
          { field: "locations", expected: "x" },
          { field: "restrictionType", expected: "y" },
        ],
        (f) => `geo.${f}`,
      ),
      "Cdn edge: geo.locations: expected x; geo.restrictionType: expected y",
    );
  });
});

describe("config, component and pack give the same verdict for the same input", () => {
  const dev = loadStackFile(ROOT, "dev");
  /** The config keys the config error names for these overrides (none: valid). */
  function configVerdict(overrides: Record<string, string>): string[] {
    try {
      parseStackConfig("dev", { ...dev.config, ...overrides }, new Set(dev.secretKeys));
      return [];
    } catch (e) {
      if (!(e instanceof StackConfigError)) throw e;
      return e.problems.map((p) => p.key);
    }
  }
  async function componentVerdict(build: () => unknown): Promise<string | undefined> {
    try {
      await declare(build);
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  }

  for (const featurePlan of ["LITE", "ESSENTIALS", "PLUS"] as const) {
    for (const threatProtection of ["OFF", "AUDIT", "ENFORCED"] as const) {
      const valid = threatProtection === "OFF" || featurePlan === "PLUS";
      it(`threat protection ${threatProtection} on ${featurePlan}: ${valid ? "accepted" : "refused"} by all three`, async () => {
        const config = configVerdict({ "mpto:userPoolFeaturePlan": featurePlan.toLowerCase(), "mpto:userPoolThreatProtection": threatProtection.toLowerCase() });
        assert.deepEqual(config, valid ? [] : ["mpto:userPoolThreatProtection"]);
        const component = await componentVerdict(() => new UserPool("pool", { featurePlan, threatProtection }));
        assert.equal(component, valid ? undefined : `UserPool pool: threatProtection: expected OFF, since threat protection needs featurePlan PLUS (it is ${featurePlan})`);
        const props = { ...userPool(), userPoolTier: featurePlan, userPoolAddOns: { advancedSecurityMode: threatProtection } };
        const pack = await runResource(policyNamed("cognito-threat-protection"), "aws:cognito/userPool:UserPool", props, { config: { requiredMode: "OFF" } });
        assert.deepEqual(pack, valid ? [] : [`advancedSecurityMode is ${threatProtection}: expected OFF, since threat protection needs userPoolTier PLUS (it is ${featurePlan})`]);
      });
    }
  }

  for (const [restrictionType, locations, bad] of [
    ["none", [], undefined],
    ["whitelist", ["GB"], undefined],
    ["whitelist", [], "locations"],
    ["none", ["GB"], "restrictionType"],
  ] as const) {
    it(`geo restriction ${restrictionType} with ${JSON.stringify(locations)}: ${bad ? `${bad} refused` : "accepted"} by all three`, async () => {
      const configKeys = { locations: "mpto:geoRestrictionLocations", restrictionType: "mpto:geoRestrictionType" };
      assert.deepEqual(configVerdict({ "mpto:geoRestrictionType": restrictionType, "mpto:geoRestrictionLocations": JSON.stringify(locations) }), bad ? [configKeys[bad]] : []);
      const component = await componentVerdict(() => new Cdn("edge", { ...BASE_CDN_ARGS, geoRestrictionType: restrictionType, geoRestrictionLocations: [...locations] }));
      const argNames = { locations: "geoRestrictionLocations", restrictionType: "geoRestrictionType" };
      if (bad) assert.match(component ?? "accepted", new RegExp(`^Cdn edge: ${argNames[bad]}: expected `));
      else assert.equal(component, undefined);
      const props = { ...distribution(), restrictions: { geoRestriction: { restrictionType, locations } } };
      const pack = await runResource(policyNamed("cloudfront-geo-restriction"), "aws:cloudfront/distribution:Distribution", props);
      assert.equal(pack.length, bad ? 1 : 0, pack.join("\n"));
      if (bad) assert.match(pack[0], new RegExp(`^restrictions\\.geoRestriction\\.${bad} is `));
    });
  }

  // The pack has no hosted sign-in rule (it judges each resource alone); config and the component share it.
  for (const [title, config, args, keys] of [
    [
      "a domain with a callback",
      { "mpto:userPoolDomainPrefix": "signin", "mpto:authCallbackUrls": '["https://a.example/cb"]' },
      { hostedUiDomainPrefix: "signin", callbackUrls: ["https://a.example/cb"] },
      [],
    ],
    ["a domain without a callback", { "mpto:userPoolDomainPrefix": "signin" }, { hostedUiDomainPrefix: "signin" }, ["authCallbackUrls"]],
    ["sign-out URLs without a domain", { "mpto:authLogoutUrls": '["https://a.example/"]' }, { logoutUrls: ["https://a.example/"] }, ["authLogoutUrls"]],
  ] as const) {
    it(`hosted sign-in, ${title}: the same verdict from config and the UserPool component`, async () => {
      const argOf: Record<string, string> = { authCallbackUrls: "callbackUrls", authLogoutUrls: "logoutUrls" };
      assert.deepEqual(
        configVerdict(config),
        keys.map((k) => `mpto:${k}`),
      );
      const component = await componentVerdict(
        () =>
          new UserPool("pool", {
            ...args,
            callbackUrls: "callbackUrls" in args ? [...args.callbackUrls] : undefined,
            logoutUrls: "logoutUrls" in args ? [...args.logoutUrls] : undefined,
          }),
      );
      if (keys.length) assert.match(component ?? "accepted", new RegExp(`^UserPool pool: ${keys.map((k) => argOf[k]).join(".*")}: expected `));
      else assert.equal(component, undefined);
    });
  }
});
