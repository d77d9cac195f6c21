import assert from "node:assert/strict";
import { join } from "node:path";
import { USAGE_DEFAULTS } from "../../policies/billing/usage";
import { PolicyConfigError, readPolicyConfigFile, resolvePolicyConfig } from "../../tools/plan/policyConfig";
import { loadStackFile } from "../../tools/mocks/stackFile";
import { policyInfos, resolvedConfigs } from "../../tools/policyDocs";
import { ROOT } from "../support/harness";

/**
 * The per-stack policy config files (`--policy-pack-config`), resolved the way the CLI and the
 * offline plan resolve them: `all`, per-policy levels, schema defaults, schema validation.
 */
describe("policy config per stack (policies/config/<stack>.json)", () => {
  const infos = policyInfos();
  const configs = resolvedConfigs();

  for (const stack of ["dev", "prod"] as const) {
    it(`${stack}: resolves against every policy's schema with no problem, every policy at a level`, () => {
      const file = readPolicyConfigFile(join(ROOT, "policies", "config", `${stack}.json`));
      const resolved = resolvePolicyConfig(infos, file, `${stack}.json`);
      assert.deepEqual(Object.keys(resolved).sort(), infos.map((p) => p.name).sort());
      for (const [name, c] of Object.entries(resolved)) assert.ok(["advisory", "mandatory", "disabled"].includes(c.enforcementLevel), `${name}: ${c.enforcementLevel}`);
    });

    it(`${stack}: budgets no more than the budget ceiling it is judged against`, () => {
      const budget = Number(loadStackFile(ROOT, stack).config["mpto:monthlyBudgetUsd"]);
      const ceiling = configs[stack]["budget-guard"].properties.maxBudgetUsd as number;
      assert.ok(budget > 0 && budget <= ceiling, `mpto:monthlyBudgetUsd ${budget} vs maxBudgetUsd ${ceiling}`);
    });

    it(`${stack}: gives the cost estimate a complete usage profile`, () => {
      const usage = configs[stack]["monthly-cost-estimate"].properties.usage as Record<string, number>;
      assert.deepEqual(Object.keys(usage).sort(), Object.keys(USAGE_DEFAULTS).sort());
    });
  }

  it("applies schema defaults to what a file leaves out (the SDK does not; the engine and the plan do)", () => {
    const resolved = resolvePolicyConfig(infos, { all: "advisory" }, "inline");
    assert.equal(resolved["kms-deletion-window"].enforcementLevel, "advisory");
    assert.deepEqual(resolved["kms-deletion-window"].properties, { minDeletionWindowDays: 30 });
    assert.deepEqual(resolved["cloudfront-price-class"].properties, { allowedPriceClasses: ["PriceClass_100"] });
  });

  it("differs between the stacks where the product does: count mode, MFA, deletion protection, paid features, baseline ownership", () => {
    const p = (stack: "dev" | "prod", policy: string) => configs[stack][policy].properties;
    assert.equal(p("dev", "waf-managed-rules").allowCountMode, true);
    assert.equal(p("prod", "waf-managed-rules").allowCountMode, false);
    assert.deepEqual(p("prod", "cognito-mfa").allowedMfaConfigurations, ["ON"]);
    assert.equal(p("dev", "cognito-deletion-protection").required, false);
    assert.equal(p("prod", "dynamodb-deletion-protection").required, true);
    assert.deepEqual(p("dev", "paid-features-allowed").allowedGuardDutyFeatures, []);
    assert.equal(p("prod", "cloudtrail-present").required, true);
    assert.equal(configs.prod["cloudtrail-cloudwatch-logs"].enforcementLevel, "advisory");
  });

  describe("rejects a bad file with every problem named", () => {
    const problems = (file: Record<string, unknown>) => {
      try {
        resolvePolicyConfig(infos, file, "bad.json");
      } catch (error) {
        assert.ok(error instanceof PolicyConfigError);
        return error.message;
      }
      assert.fail("the file was accepted");
    };
    it("an unknown policy name", () => assert.match(problems({ "monthly-cost-ceiling": { maxFixedMonthlyUsd: 10 } }), /'monthly-cost-ceiling' is not a policy of this pack/));
    it("a property of the wrong type and an unknown property", () => {
      const message = problems({ "monthly-fixed-cost-ceiling": { maxFixedMonthlyUsd: "ten", ceiling: 3 } });
      assert.match(message, /monthly-fixed-cost-ceiling\/maxFixedMonthlyUsd: must be number/);
      assert.match(message, /must NOT have additional properties \('ceiling'\)/);
    });
    it("a usage profile with a negative or unknown field", () => {
      const message = problems({ "monthly-cost-estimate": { usage: { dataOutGb: -1, visitors: 3 } } });
      assert.match(message, /usage\/dataOutGb: must be >= 0/);
      assert.match(message, /additional properties \('visitors'\)/);
    });
    it("a misspelt enforcement level", () => assert.match(problems({ "budget-guard": { enforcementLevel: "mandetory" } }), /enforcementLevel 'mandetory' is not one of/));
    it("a reviewed wildcard without its reason", () => assert.match(problems({ "iam-wildcard-permissions": { reviewedWildcards: [{ urn: "urn:pulumi:dev::mpto::aws:iam/policy:Policy::x" }] } }), /must have required property 'reason'/));
  });
});
