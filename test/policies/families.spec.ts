import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { isStackPolicy, policyNamed, runResource, runStack } from "../support/policies";
import { CASE_FAMILIES } from "./cases";
import type { PolicyCase } from "./cases/types";

/**
 * Tier 1: every policy of the billing and security families, called directly with arguments built
 * as @pulumi/policy's server builds them. Each case states what must pass and what must fail.
 */

async function violationsOf(c: PolicyCase): Promise<string[]> {
  const policy = policyNamed(c.policy);
  const saved = pulumi.runtime.allConfig();
  if (c.stackConfig) pulumi.runtime.setAllConfig(c.stackConfig);
  try {
    if (isStackPolicy(policy)) {
      assert.ok(c.resources, `${c.policy} is a stack policy: the case needs resources`);
      return (await runStack(policy, c.resources, c.config)).map((v) => v.message);
    }
    assert.ok(c.type && c.props, `${c.policy} is a resource policy: the case needs type and props`);
    return runResource(policy, c.type, c.props, { config: c.config, providerRegion: c.providerRegion });
  } finally {
    if (c.stackConfig) pulumi.runtime.setAllConfig(saved);
  }
}

for (const { family, cases } of CASE_FAMILIES) {
  describe(`policy family ${family} (direct calls)`, () => {
    for (const c of cases) {
      it(`${c.policy}: ${c.title}`, async () => {
        const found = await violationsOf(c);
        if (c.expect === "pass") {
          assert.deepEqual(found, [], `expected no violation, got:\n${found.join("\n")}`);
          return;
        }
        assert.ok(found.length > 0, "expected a violation, got none");
        for (const pattern of ([] as RegExp[]).concat(c.expect)) {
          assert.ok(found.some((m) => pattern.test(m)), `no violation matches ${pattern}; got:\n${found.join("\n")}`);
        }
        if (c.count !== undefined) assert.equal(found.length, c.count, `expected ${c.count} violations, got:\n${found.join("\n")}`);
      });
    }
  });
}
