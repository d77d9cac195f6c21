import assert from "node:assert/strict";
import { join } from "node:path";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { runPlan } from "../support/cli";
import { ROOT } from "../support/harness";

describe("the offline plan (npm run plan)", function () {
  // Each case starts a fresh plan process (program + policy pack), as a user does: allow for slow machines.
  this.timeout(300_000);

  // One process per stack gives both forms: the text on stdout and, with --out, the JSON document
  // (the same document --json prints: the determinism case below compares the two processes' bytes).
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "mpto-plan-"));
  });
  const jsonOut = (name: string) => join(dir, `${name}.json`);

  for (const stack of ["dev", "prod"]) {
    describe(`of the real ${stack} stack`, () => {
      let text: ReturnType<typeof runPlan>;
      before(() => {
        text = runPlan([stack, "--out", jsonOut(stack)]);
      });

      it("exits 0 with no mandatory violation", () => {
        assert.equal(text.status, 0, text.stdout + text.stderr);
        assert.match(text.stdout, /no mandatory violations/);
      });

      it("shows the resource tree under the stack, counts by type, policies and a one-line summary", () => {
        assert.match(text.stdout, new RegExp(`pulumi:pulumi:Stack\\s+mpto-${stack}`));
        assert.match(text.stdout, /├─ pulumi:providers:aws\s+mpto-aws\s+eu-west-2/);
        assert.match(text.stdout, /Resources by type:\n\s+\d+ {2}\S+/);
        assert.match(text.stdout, /Policies:\n {4}✅ mpto-guardrails@v\d+\.\d+\.\d+/);
        assert.match(text.stdout.trimEnd().split("\n").pop()!, new RegExp(`^Plan mpto/${stack}: \\d+ resources`));
      });

      it("shows the cost as a budget owner reads it: list price, expected bill after the always-free allowances it credited, budget, unconfirmed share", () => {
        const cost = text.stdout.slice(text.stdout.indexOf("Cost estimate"));
        assert.match(cost, /\n {4}list price +\$\d+\.\d\d {2}\(budget \$\d+\.\d\d/);
        assert.match(cost, /\n {4}expected +\$\d+\.\d\d {2}after \$\d+\.\d\d of always-free allowances; \d+% of the \$\d+\.\d\d AWS Budget/);
        assert.match(cost, /\n {6}account: [a-z+ ]+; /);
        assert.match(cost, /\n {6}free: CloudWatch dashboards of up to 50 metrics, 3 per month: 1 of [\d.]+ dashboard-month claimable, \$3\.00/);
        assert.match(cost, /by price confidence: .*unconfirmed \$\d+\.\d\d \(\d+% of the list price; check: /);
      });

      it("shows the stack outputs, what to act on, and no secret", () => {
        const outputs = text.stdout.slice(text.stdout.indexOf("\nOutputs ("));
        assert.match(outputs, /\n {4}mailDnsRecords +\d+ items:\n +(CNAME|MX|TXT) /);
        assert.match(outputs, /to act on after the deploy:\n {4}alertTopicArn: confirm the email subscription/);
        assert.match(outputs, /\n {4}cdnOriginSecret +\[secret\]/);
        // Outputs of what the stack does not create are absent, not empty strings (a public client, no hosted domain).
        assert.doesNotMatch(outputs, /\n {4}(userPoolClientSecret|userPoolHostedUiUrl) /);
      });

      it("reports progress on stderr, keeping stdout for the plan", () => {
        assert.match(text.stderr, /▸ declared \d+ resources/);
        assert.match(text.stderr, /▸ analyzed the stack/);
      });
    });
  }

  // A suite of its own: mocha runs a suite's own cases before its child suites, and this one reads
  // the JSON document the dev suite's process wrote.
  describe("as one JSON document", () => {
    it("prints one JSON document with resources, diagnostics and summary, identical byte for byte across runs (and to what --out wrote)", () => {
      const second = runPlan(["dev", "--json"]);
      assert.equal(second.status, 0, second.stderr);
      // Run alone (--grep), the dev suite wrote no document: make the first one here.
      const first = existsSync(jsonOut("dev")) ? readFileSync(jsonOut("dev"), "utf8") : runPlan(["dev", "--json"]).stdout;
      assert.equal(second.stdout, first);
      const doc = JSON.parse(second.stdout);
      assert.deepEqual(Object.keys(doc), ["project", "stack", "policyPack", "resources", "diagnostics", "sections", "summary"]);
      const provider = doc.resources.find((r: any) => r.type === "pulumi:providers:aws");
      assert.deepEqual(provider.inputs.defaultTags.tags, { Project: "mpto", Environment: "dev", Owner: "platform-team", CostCenter: "MPTO-WEB", ManagedBy: "pulumi" });
      for (const r of doc.resources) {
        assert.ok(r.urn.startsWith("urn:pulumi:dev::mpto::"), r.urn);
        assert.ok("options" in r && "inputs" in r && "region" in r && "parent" in r);
      }
      assert.equal(doc.summary.mandatory, 0);
    });
  });

  describe("of a program with untagged resources (one process: text on stdout, the JSON document with --out)", () => {
    let run: ReturnType<typeof runPlan>;
    before(() => {
      run = runPlan(["dev", "--program", join(ROOT, "test", "fixtures", "untaggedProgram.ts"), "--out", jsonOut("untagged")]);
    });

    it("exits 1 and names the URN when a taggable resource is untagged, judged by the pack over the analyzer protocol", () => {
      assert.equal(run.status, 1, run.stderr);
      const doc = JSON.parse(readFileSync(jsonOut("untagged"), "utf8"));
      const topic = doc.resources.find((r: any) => r.name === "untagged-topic");
      const violations = doc.diagnostics.filter((d: any) => d.policyName === "required-tags");
      assert.equal(violations.length, 1);
      assert.equal(violations[0].urn, topic.urn);
      assert.match(topic.urn, /aws:sns\/topic:Topic::untagged-topic$/);
      assert.equal(violations[0].enforcementLevel, "mandatory");
      assert.match(violations[0].message, /tag 'Environment' is missing/);
      assert.match(violations[0].message, /tag 'Owner' is missing/);
      const providerViolation = doc.diagnostics.find((d: any) => d.policyName === "provider-default-tags");
      assert.match(providerViolation.urn, /pulumi:providers:aws::bare$/);
    });

    it("shows violations in the layout pulumi preview uses", () => {
      assert.equal(run.status, 1);
      assert.match(run.stdout, /❌ mpto-guardrails@v/);
      assert.match(run.stdout, /- \[mandatory\] {2}required-tags {2}\(aws:sns:Topic: untagged-topic\)\n {10}Taggable AWS resources carry the required tags/);
      assert.match(run.stdout, /tag 'Environment' is missing; tag 'Owner' is missing; tag 'CostCenter' is missing; tag 'ManagedBy' is missing/);
      const mandatory = (run.stdout.match(/- \[mandatory\]/g) ?? []).length;
      assert.ok(mandatory >= 2);
      assert.match(run.stdout, new RegExp(`✖ ${mandatory} mandatory violations`));
    });
  });

  it("exits 2 with a plain message and no stack trace when the stack does not exist", () => {
    const run = runPlan(["nosuchstack"]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /no stack file Pulumi\.nosuchstack\.yaml/);
    assert.doesNotMatch(run.stderr, /\s+at \S+ \(/);
  });

  it("exits 2 when a resource relies on the default provider, which the stacks disable", () => {
    const run = runPlan(["dev", "--program", join(ROOT, "test", "fixtures", "defaultProviderProgram.ts")]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /default AWS provider.*\n\s+resource urn:pulumi:dev::mpto::\S*aws:sqs\/queue:Queue::orphan-queue/);
  });

  it("exits 2 naming the problem when the policy config file does not fit the pack's schemas", () => {
    const file = join(mkdtempSync(join(tmpdir(), "mpto-policy-")), "bad.json");
    writeFileSync(file, JSON.stringify({ all: "mandatory", "required-tags": { requiredTags: "Owner" }, "no-such-policy": "advisory" }));
    const run = runPlan(["dev", "--policy-config", file]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /'no-such-policy' is not a policy of this pack/);
    assert.match(run.stderr, /required-tags\/requiredTags: must be array/);
  });
});
