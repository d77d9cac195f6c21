import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { parse } from "yaml";
import { ROOT } from "./support/harness";

const dir = join(ROOT, ".github", "workflows");
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
const load = (file: string) => parse(readFileSync(join(dir, file), "utf8"));

describe("GitHub Actions workflows", () => {
  it("exist for preview and deploy", () => {
    assert.ok(files.includes("preview.yml") && files.includes("deploy.yml"), files.join(", "));
  });

  for (const file of files) {
    it(`${file} is valid against the GitHub Actions workflow schema (@action-validator/core)`, () => {
      const state = validateWorkflow(readFileSync(join(dir, file), "utf8"));
      assert.deepEqual(state.errors, [], JSON.stringify(state.errors, null, 2));
    });

    it(`${file} gets AWS credentials through OIDC only, never from stored keys`, () => {
      const text = readFileSync(join(dir, file), "utf8");
      assert.doesNotMatch(text, /aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/);
      const workflow = load(file);
      const usesAws = JSON.stringify(workflow).includes("aws-actions/configure-aws-credentials");
      if (usesAws) {
        assert.equal(workflow.permissions["id-token"], "write");
        assert.match(text, /role-to-assume:/);
      }
    });
  }

  it("the validator rejects a malformed workflow (so a pass means something)", () => {
    const state = validateWorkflow("on: push\njobs:\n  a:\n    runs-onn: ubuntu-latest\n    steps:\n      - run: echo\n");
    assert.ok(state.errors.length > 0);
  });

  it("preview runs on pull requests with the policy pack and each stack's policy config", () => {
    const preview = load("preview.yml");
    assert.ok("pull_request" in preview.on);
    const steps = preview.jobs.preview.steps;
    const pulumi = steps.find((s: any) => String(s.uses).startsWith("pulumi/actions@"));
    assert.equal(pulumi.with.command, "preview");
    assert.equal(pulumi.with.policyPacks, "policies");
    assert.equal(pulumi.with.policyPackConfigs, "policies/config/${{ matrix.stack }}.json");
    assert.deepEqual(preview.jobs.preview.strategy.matrix.stack, ["dev", "prod"]);
  });

  it("deploy runs pulumi up for dev on merge to main and for prod only by manual dispatch behind its environment", () => {
    const deploy = load("deploy.yml");
    assert.deepEqual(deploy.on.push.branches, ["main"]);
    assert.ok(deploy.on.workflow_dispatch);
    const job = deploy.jobs.deploy;
    assert.equal(job.environment, "${{ github.event_name == 'push' && 'dev' || inputs.stack }}");
    const up = job.steps.find((s: any) => String(s.uses).startsWith("pulumi/actions@"));
    assert.equal(up.with.command, "up");
    assert.equal(up.with.policyPacks, "policies");
    assert.equal(job.concurrency["cancel-in-progress"], false);
  });
});
