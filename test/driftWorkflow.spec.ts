import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { parse } from "yaml";
import { ROOT } from "./support/harness";

const file = join(ROOT, ".github", "workflows", "drift.yml");
const text = readFileSync(file, "utf8");
const workflow = parse(text);

describe("the nightly drift check (.github/workflows/drift.yml)", () => {
  it("is valid against the GitHub Actions workflow schema", () => {
    assert.deepEqual(validateWorkflow(text).errors, []);
  });

  it("runs every night and on demand", () => {
    assert.match(workflow.on.schedule[0].cron, /^\d+ \d+ \* \* \*$/);
    assert.ok("workflow_dispatch" in workflow.on);
  });

  it("previews each stack with refresh and --expect-no-changes, judged by the policy pack with the stack's config", () => {
    const check = workflow.jobs.check;
    assert.deepEqual(check.strategy.matrix.stack, ["dev", "prod"]);
    const preview = check.steps.find((s: any) => String(s.uses).startsWith("pulumi/actions@"));
    assert.equal(preview.with.command, "preview");
    assert.equal(preview.with.refresh, true);
    assert.equal(preview.with["expect-no-changes"], true);
    assert.equal(preview.with.policyPacks, "policies");
    assert.equal(preview.with.policyPackConfigs, "policies/config/${{ matrix.stack }}.json");
    assert.equal(preview["continue-on-error"], true, "a drifted stack must still reach the report job");
  });

  it("assumes the read-only preview role through its environment, never the deploy role", () => {
    const check = workflow.jobs.check;
    assert.equal(check.environment, "${{ matrix.stack }}-preview");
    const creds = check.steps.find((s: any) => String(s.uses).startsWith("aws-actions/configure-aws-credentials@"));
    assert.equal(creds.with["role-to-assume"], "${{ vars.AWS_ROLE_ARN }}");
    assert.doesNotMatch(text, /command: up|pulumi up|aws-secret-access-key/);
  });

  it("grants each job only what it needs: read and OIDC for the check, issues for the report, nothing else", () => {
    assert.deepEqual(workflow.permissions, { contents: "read" });
    assert.deepEqual(workflow.jobs.check.permissions, { contents: "read", "id-token": "write" });
    assert.deepEqual(workflow.jobs.report.permissions, { issues: "write" });
    assert.ok(!JSON.stringify(workflow.jobs.report).includes("configure-aws-credentials"), "the job that writes issues holds no AWS credentials");
    assert.equal(workflow.jobs.report.if, "always()");
  });

  it("opens or updates one issue per stack on drift and closes it when clean, found by a marker", () => {
    const script = workflow.jobs.report.steps.find((s: any) => String(s.uses).startsWith("actions/github-script@")).with.script as string;
    assert.match(script, /<!-- drift-check:mpto\/\$\{stack\} -->/);
    assert.match(script, /issues\.create\(/);
    assert.match(script, /issues\.update\(\{ owner, repo, issue_number: existing\.number, body \}\)/);
    assert.match(script, /state: "closed"/);
  });
});
