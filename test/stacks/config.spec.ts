import assert from "node:assert/strict";
import { configFields, parseStackConfig, StackConfigError } from "../../stacks/config";
import { ProgramError } from "../../tools/mocks/runtime";
import { loadStackFile } from "../../tools/mocks/stackFile";
import { declareStack, ROOT } from "../support/harness";

/** Runs the real program with the dev stack file plus `overrides`, expecting a config error. */
async function rejectDev(overrides: Record<string, string | undefined>): Promise<ProgramError> {
  try {
    await declareStack("dev", overrides);
  } catch (error) {
    assert.ok(error instanceof ProgramError, `expected a ProgramError, got ${error}`);
    assert.ok(error.reason instanceof StackConfigError, `expected a StackConfigError, got ${error.reason}`);
    return error;
  }
  assert.fail("the program accepted invalid config");
}

describe("stack config", () => {
  describe("of the real stack files", () => {
    for (const stack of ["dev", "prod"] as const) {
      it(`accepts Pulumi.${stack}.yaml as it is`, () => {
        const { config, secretKeys } = loadStackFile(ROOT, stack);
        const parsed = parseStackConfig(stack, config, new Set(secretKeys));
        assert.equal(parsed.environment, stack);
        assert.equal(parsed.stack, stack);
      });
    }

    it("applies documented defaults for keys a stack leaves out", () => {
      const { config } = loadStackFile(ROOT, "dev");
      delete config["mpto:priceClass"];
      delete config["mpto:wafMode"];
      const parsed = parseStackConfig("dev", config);
      assert.equal(parsed.priceClass, "PriceClass_100");
      assert.equal(parsed.wafMode, "block");
    });
  });

  describe("rejects bad config before any resource is declared, naming the key, what was found and what is expected", () => {
    const cases: { title: string; overrides: Record<string, string | undefined>; key: string; found: RegExp; expected: RegExp }[] = [
      { title: "a missing required key", overrides: { "mpto:alertEmail": undefined }, key: "mpto:alertEmail", found: /nothing \(key not set\)/, expected: /an email address/ },
      { title: "a malformed alert email", overrides: { "mpto:alertEmail": "alerts@" }, key: "mpto:alertEmail", found: /"alerts@"/, expected: /an email address such as ops@example.com/ },
      { title: "a malformed apex domain", overrides: { "mpto:apexDomain": "My Site.com" }, key: "mpto:apexDomain", found: /"My Site.com"/, expected: /lower-case DNS name/ },
      { title: "a negative budget", overrides: { "mpto:monthlyBudgetUsd": "-5" }, key: "mpto:monthlyBudgetUsd", found: /"-5"/, expected: /whole number of US dollars from 1/ },
      { title: "a budget that is not a number", overrides: { "mpto:monthlyBudgetUsd": "sixty" }, key: "mpto:monthlyBudgetUsd", found: /"sixty"/, expected: /whole number/ },
      { title: "an unknown price class", overrides: { "mpto:priceClass": "PriceClass_50" }, key: "mpto:priceClass", found: /"PriceClass_50"/, expected: /one of PriceClass_100, PriceClass_200, PriceClass_All/ },
      { title: "an Environment tag that does not match the stack", overrides: { "mpto:environment": "prod" }, key: "mpto:environment", found: /"prod"/, expected: /"dev", the name of this stack/ },
      { title: "an unknown WAF mode", overrides: { "mpto:wafMode": "deny" }, key: "mpto:wafMode", found: /"deny"/, expected: /one of count, block/ },
      { title: "a WAF rate limit below AWS's minimum", overrides: { "mpto:wafRateLimit": "5" }, key: "mpto:wafRateLimit", found: /"5"/, expected: /from 10 to/ },
      { title: "a log retention CloudWatch does not offer", overrides: { "mpto:logRetentionDays": "45" }, key: "mpto:logRetentionDays", found: /"45"/, expected: /one of 1, 3, 5, 7, 14, 30, 60/ },
      { title: "a site host name outside the apex domain", overrides: { "mpto:siteHostnames": '["www.example.org"]' }, key: "mpto:siteHostnames", found: /\["www.example.org"\]/, expected: /not under it: www.example.org/ },
      { title: "geo restriction without countries", overrides: { "mpto:geoRestrictionType": "whitelist" }, key: "mpto:geoRestrictionLocations", found: /an empty list/, expected: /at least one country code/ },
      { title: "a lower-case country code", overrides: { "mpto:geoRestrictionType": "whitelist", "mpto:geoRestrictionLocations": '["gb"]' }, key: "mpto:geoRestrictionLocations", found: /\["gb"\]/, expected: /ISO 3166-1 alpha-2 .* \(at \[0\]\)/ },
      { title: "a sender outside the mail domain", overrides: { "mpto:bookingsSender": "bookings@gmail.com" }, key: "mpto:bookingsSender", found: /"bookings@gmail.com"/, expected: /an address @dev.myprivatetutoronline.com/ },
      { title: "a misspelt key", overrides: { "mpto:alertEmial": "x@example.com" }, key: "mpto:alertEmial", found: /"x@example.com"/, expected: /no such key; did you mean mpto:alertEmail\?/ },
      { title: "a cost centre in the wrong form", overrides: { "mpto:costCenter": "web team" }, key: "mpto:costCenter", found: /"web team"/, expected: /upper-case cost centre code/ },
      { title: "a boolean that is not true or false", overrides: { "mpto:protectStatefulResources": "yes" }, key: "mpto:protectStatefulResources", found: /"yes"/, expected: /true or false/ },
    ];

    for (const c of cases) {
      it(`${c.title} (${c.key})`, async () => {
        const error = await rejectDev(c.overrides);
        assert.deepEqual(error.declared, [], "no resource may be declared");
        const problem = (error.reason as StackConfigError).problems.find((p) => p.key === c.key);
        assert.ok(problem, `no problem reported for ${c.key}: ${error.message}`);
        assert.match(problem.found, c.found);
        assert.match(problem.expected, c.expected);
        assert.match(error.message, new RegExp(`^Invalid configuration for stack 'dev' \\(Pulumi\\.dev\\.yaml\\)`));
        // The fix names the actual key (issue 16), not a <key> placeholder.
        assert.match(error.message, new RegExp(`Fix with: (.|\\n)*pulumi config (set|rm) --stack dev (--secret |--path ')?${c.key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
      });
    }

    it("lists every bad key in one message", async () => {
      const error = await rejectDev({ "mpto:alertEmail": "nope", "mpto:monthlyBudgetUsd": "0", "mpto:wafMode": "deny", "mpto:owner": undefined });
      const keys = (error.reason as StackConfigError).problems.map((p) => p.key).sort();
      assert.deepEqual(keys, ["mpto:alertEmail", "mpto:monthlyBudgetUsd", "mpto:owner", "mpto:wafMode"]);
      assert.match(error.message, /4 problems/);
      for (const key of keys) assert.match(error.message, new RegExp(`\\n  ${key}\\s+found `));
    });
  });

  describe("secret keys", () => {
    const secretFields = Object.entries(configFields).filter(([, f]) => (f as { secret?: boolean }).secret);
    for (const [name] of secretFields) {
      it(`refuses a plain-text value for mpto:${name}`, () => {
        const { config, secretKeys } = loadStackFile(ROOT, "dev");
        config[`mpto:${name}`] = "plain-text";
        assert.throws(() => parseStackConfig("dev", config, new Set(secretKeys.filter((k) => k !== `mpto:${name}`))), /a plain-text value; expected a secret: pulumi config set --secret/);
      });
    }
  });

  it("every key has a description and an expected form for its error message", () => {
    for (const [name, f] of Object.entries(configFields)) {
      assert.ok(f.description.length > 10, `mpto:${name} needs a description`);
      assert.ok(f.expected.length > 3, `mpto:${name} needs an expected form`);
    }
  });
});
