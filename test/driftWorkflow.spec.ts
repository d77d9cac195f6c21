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

/** Runs the report job's github-script as GitHub would (an async function of github, context, require) against a recording fake. */
async function runReport(files: Record<string, object>, openIssues: { number: number; body: string; pull_request?: object }[]) {
  const script = workflow.jobs.report.steps.find((s: any) => String(s.uses).startsWith("actions/github-script@")).with.script as string;
  const calls: { call: string; args: any }[] = [];
  const record = (call: string) => async (args: any) => {
    calls.push({ call, args });
    return { data: {} };
  };
  const github = {
    paginate: async () => openIssues,
    rest: { issues: { listForRepo: {}, create: record("create"), update: record("update"), createComment: record("comment") } },
  };
  const fakeFs = {
    existsSync: (path: string) => path in files,
    readFileSync: (path: string) => JSON.stringify(files[path]),
  };
  const context = { repo: { owner: "o", repo: "r" } };
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor;
  await new AsyncFunction("github", "context", "require", script)(github, context, (m: string) => (m === "fs" ? fakeFs : require(m)));
  return calls;
}

describe("the drift report job's script, run against a fake GitHub", () => {
  const drifted = { stack: "prod", outcome: "failure", output: "~ aws:s3/bucket:Bucket media-bucket update [diff: ~tags]\nerror: no changes were expected but changes were proposed", runUrl: "https://github.com/o/r/actions/runs/1" };
  const clean = (stack: string) => ({ stack, outcome: "success", output: "", runUrl: "https://github.com/o/r/actions/runs/1" });

  it("opens one issue for a drifted stack, with the preview's output, and none for a clean one", async () => {
    const calls = await runReport({ "drift-dev.json": clean("dev"), "drift-prod.json": drifted }, []);
    assert.deepEqual(calls.map((c) => c.call), ["create"]);
    assert.equal(calls[0].args.title, "Drift: mpto/prod");
    assert.match(calls[0].args.body, /^<!-- drift-check:mpto\/prod -->/);
    assert.match(calls[0].args.body, /no changes were expected/);
  });

  it("updates the open issue instead of opening a second one", async () => {
    const calls = await runReport({ "drift-dev.json": clean("dev"), "drift-prod.json": drifted }, [{ number: 7, body: "<!-- drift-check:mpto/prod -->\nold" }]);
    assert.deepEqual(calls.map((c) => [c.call, c.args.issue_number]), [["update", 7]]);
    assert.equal(calls[0].args.state, undefined);
  });

  it("closes the issue with a comment once the stack is clean", async () => {
    const calls = await runReport({ "drift-dev.json": clean("dev"), "drift-prod.json": clean("prod") }, [{ number: 7, body: "<!-- drift-check:mpto/prod -->\nold" }, { number: 8, body: "<!-- drift-check:mpto/prod -->", pull_request: {} }]);
    assert.deepEqual(calls.map((c) => [c.call, c.args.issue_number, c.args.state]), [
      ["comment", 7, undefined],
      ["update", 7, "closed"],
    ]);
  });

  it("treats a stack whose check never reported as not checked, never as clean", async () => {
    const calls = await runReport({ "drift-prod.json": clean("prod") }, []);
    assert.deepEqual(calls.map((c) => [c.call, c.args.title]), [["create", "Drift: mpto/dev"]]);
    assert.match(calls[0].args.body, /was not checked \(missing\)/);
  });
});
