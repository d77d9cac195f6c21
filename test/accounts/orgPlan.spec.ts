import assert from "node:assert/strict";
import { join } from "node:path";
import { plan, PlanResult } from "../../tools/plan/plan";
import { ROOT } from "../support/harness";

describe("the organization program's offline plan (npm run plan:org)", () => {
  let result: PlanResult;
  before(async () => {
    result = await plan({ stack: "management", projectDir: join(ROOT, "org"), programModule: join(ROOT, "org", "program.ts"), policyConfigFile: join(ROOT, "policies", "config", "management.json") });
  });

  it("is clean under the policy pack, judged over the analyzer protocol", () => {
    assert.deepEqual(result.diagnostics.map((d) => `${d.policyName}: ${d.message}`), []);
    assert.equal(result.summary.status, "clean");
  });

  it("compares the cost estimate with the organization's budget (mpto-org:monthlyBudgetUsd), as the billing policies do", () => {
    assert.equal((result.sections.cost as { budgetUsd: number | null }).budgetUsd, 400);
  });

  it("declares the organization, the workloads OU, both member accounts and the four SCPs, all under the org project's own provider and tags", () => {
    const count = (type: string) => result.resources.filter((r) => r.type === type).length;
    assert.equal(result.project, "mpto-org");
    assert.equal(count("aws:organizations/organization:Organization"), 1);
    assert.equal(count("aws:organizations/organizationalUnit:OrganizationalUnit"), 1);
    assert.equal(count("aws:organizations/account:Account"), 2);
    assert.equal(count("aws:organizations/policy:Policy"), 4);
    assert.equal(count("aws:organizations/policyAttachment:PolicyAttachment"), 4);
    const provider = result.resources.find((r) => r.type === "pulumi:providers:aws")!;
    assert.equal((provider.inputs.defaultTags as { tags: Record<string, string> }).tags.Environment, "management");
  });
});
