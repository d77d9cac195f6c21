import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CostSection } from "../../tools/plan/cost";
import { plan, PlanResult } from "../../tools/plan/plan";
import { renderJson, renderText } from "../../tools/plan/render";
import { resolvedConfigs } from "../../tools/policyDocs";
import * as pulumi from "@pulumi/pulumi";
import { declareStack, ROOT } from "../support/harness";
import { policyNamed, runResource, runStack, StackResourceSpec } from "../support/policies";

/**
 * The real stacks through the offline plan: the program under mocks with Pulumi.<stack>.yaml,
 * judged by the pack over the analyzer protocol, with the cost section beside the policy results.
 */
describe("the real stacks under the policy pack (offline plan)", function () {
  this.timeout(300_000);

  describe("prod, with policies/config/prod.json", () => {
    let result: PlanResult;
    before(async () => {
      result = await plan({ stack: "prod" });
    });

    it("has no mandatory violation", () => {
      assert.deepEqual(
        result.diagnostics.filter((d) => d.enforcementLevel === "mandatory").map((d) => `${d.policyName}: ${d.message}`),
        [],
      );
    });

    it("reports only policies that prod.json sets to advisory (the known gaps, e.g. Cognito threat protection, CloudTrail to CloudWatch Logs)", () => {
      const advisory = new Set(Object.entries(resolvedConfigs().prod).filter(([, c]) => c.enforcementLevel === "advisory").map(([name]) => name));
      for (const d of result.diagnostics) assert.ok(advisory.has(d.policyName) && d.enforcementLevel === "advisory", `${d.policyName} (${d.enforcementLevel}): ${d.message}`);
    });

    it("prints the cost breakdown and totals beside the policy results, and puts them in --json", () => {
      const text = renderText(result);
      assert.match(text, /Cost estimate \(USD per month, prices of \d{4}-\d{2}-\d{2}/);
      assert.match(text, /list price +\$\d+\.\d\d {2}\(budget \$250\.00, 80% = \$200\.00\) {2}✔/);
      assert.match(text, /expected +\$\d+\.\d\d {2}after \$\d+\.\d\d of always-free allowances/);
      assert.ok(text.indexOf("Policies:") < text.indexOf("Cost estimate"), "the cost section follows the policy results");
      const cost = JSON.parse(renderJson(result)).sections.cost as CostSection;
      assert.equal(cost.budgetUsd, 250);
      assert.equal(cost.withinBudget, true);
      assert.equal(cost.withinFixedCeiling, true);
      assert.ok(cost.fixedMonthlyUsd > 0 && cost.usageMonthlyUsd > 0);
      assert.equal(Math.round((cost.fixedMonthlyUsd + cost.usageMonthlyUsd) * 100), Math.round(cost.totalMonthlyUsd * 100));
      for (const id of ["wafWebAcl", "cloudfrontDataOutEurope", "cognitoEssentialsMau", "guardDutyManagementEvents", "kmsKey"]) assert.ok(cost.lines.some((l) => l.priceId === id), id);
    });
  });

  describe("dev, with its policy config tightened until both billing limits fail", () => {
    let result: PlanResult;
    let dir: string;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), "mpto-policy-"));
      const config = JSON.parse(readFileSync(join(ROOT, "policies", "config", "dev.json"), "utf8"));
      config["monthly-fixed-cost-ceiling"].maxFixedMonthlyUsd = 1;
      config["monthly-cost-estimate"].maxShareOfBudget = 0.01;
      writeFileSync(join(dir, "dev.json"), JSON.stringify(config));
      result = await plan({ stack: "dev", policyConfigFile: join(dir, "dev.json") });
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it("fails nothing else: the rest of the dev stack meets the baseline", () => {
      assert.deepEqual(result.diagnostics.map((d) => d.policyName).sort(), ["monthly-cost-estimate", "monthly-fixed-cost-ceiling"]);
    });

    it("reports the same figures from the stack policies as the plan's cost section (one computation for both)", () => {
      const cost = result.sections.cost as CostSection;
      const fixed = result.diagnostics.find((d) => d.policyName === "monthly-fixed-cost-ceiling")!;
      const total = result.diagnostics.find((d) => d.policyName === "monthly-cost-estimate")!;
      assert.match(fixed.message, new RegExp(`fixed monthly cost \\$${cost.fixedMonthlyUsd.toFixed(2)} exceeds the ceiling of \\$1\\.00`));
      assert.match(total.message, new RegExp(`estimated monthly cost \\$${cost.totalMonthlyUsd.toFixed(2)} \\(fixed \\$${cost.fixedMonthlyUsd.toFixed(2)}, usage \\$${cost.usageMonthlyUsd.toFixed(2)}\\)`));
      assert.equal(result.summary.mandatory, 2);
      assert.equal(cost.withinFixedCeiling, false);
      assert.equal(cost.withinBudget, false);
    });

    it("lists every fixed item in the ceiling violation, resource by resource", () => {
      const cost = result.sections.cost as CostSection;
      const fixed = result.diagnostics.find((d) => d.policyName === "monthly-fixed-cost-ceiling")!;
      for (const line of cost.lines.filter((l) => l.kind === "fixed" && l.monthlyUsd > 0)) assert.ok(fixed.message.includes(`${line.name}: ${line.item}`), `${line.name} ${line.priceId}`);
    });
  });
});

/**
 * The relationship policies on the real dev stack's own resources (outputs merged with inputs, as
 * the plan sends them to AnalyzeStack): they find each companion by value, so removing one is
 * noticed. Proves the stack passes because the links are there, not because nothing was matched.
 */
describe("the relationship policies on the real dev stack's resources", function () {
  this.timeout(120_000);
  let specs: StackResourceSpec[];
  before(async () => {
    const run = await declareStack("dev");
    specs = run.resources
      .filter((r) => r.custom && r.type.startsWith("aws:"))
      .map((r) => ({ type: r.type, name: r.name, props: { ...r.outputs, ...r.inputs }, providerRegion: r.region }));
  });

  const violations = async (policy: string, keep: (s: StackResourceSpec) => boolean = () => true) =>
    (await runStack(policyNamed(policy), specs.filter(keep))).map((v) => v.message);

  const cases: [string, string, RegExp][] = [
    ["s3-tls-only", "aws:s3/bucketPolicy:BucketPolicy", /bucket media-bucket has no bucket policy/],
    ["s3-public-access-block", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", /bucket media-bucket has no public access block/],
    ["s3-access-logging", "aws:s3/bucketLogging:BucketLogging", /bucket media-bucket has no server access logging/],
    ["waf-logging", "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", /has no logging configuration/],
    ["cloudfront-logging", "aws:cloudwatch/logDeliverySource:LogDeliverySource", /has no access logging/],
    ["sns-tls-only", "aws:sns/topicPolicy:TopicPolicy", /has no topic policy/],
    ["sqs-queue-policy", "aws:sqs/queuePolicy:QueuePolicy", /has no queue policy/],
    ["budget-guard", "aws:budgets/budget:Budget", /no monthly COST budget/],
    ["lambda-log-groups-declared", "aws:cloudwatch/logGroup:LogGroup", /which the stack does not declare/],
  ];
  for (const [policy, removed, expected] of cases) {
    it(`${policy}: passes as declared, fails once every ${removed.split(":").pop()} is removed`, async () => {
      const saved = pulumi.runtime.allConfig();
      pulumi.runtime.setAllConfig({ "mpto:monthlyBudgetUsd": "60" });
      try {
        assert.deepEqual(await violations(policy), []);
        const found = await violations(policy, (s) => s.type !== removed);
        assert.ok(found.some((m) => expected.test(m)), found.join("\n") || "no violation");
      } finally {
        pulumi.runtime.setAllConfig(saved);
      }
    });
  }
});

describe("the opt-in paths of the real stacks under every policy (direct calls, dev.json config)", function () {
  this.timeout(120_000);
  for (const [title, overrides] of [["Lambda@Edge security headers (mpto:lambdaEdgeHeaders true)", { "mpto:lambdaEdgeHeaders": "true" }]] as const) {
    it(`${title}: no mandatory violation`, async () => {
      const run = await declareStack("dev", overrides);
      const config = resolvedConfigs().dev;
      const aws = run.resources.filter((r) => r.custom && r.type.startsWith("aws:"));
      const found: string[] = [];
      const saved = pulumi.runtime.allConfig();
      pulumi.runtime.setAllConfig({ "mpto:monthlyBudgetUsd": "60" });
      try {
        for (const [name, c] of Object.entries(config)) {
          if (c.enforcementLevel !== "mandatory" || name === "required-tags" || name === "provider-default-tags") continue;
          const policy = policyNamed(name);
          if ("validateStack" in policy) {
            const specs = aws.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: { ...r.outputs, ...r.inputs }, providerRegion: r.region }));
            for (const v of await runStack(policy, specs, c.properties)) found.push(`${name}: ${v.message}`);
          } else {
            for (const r of aws) for (const m of await runResource(policy, r.type, r.inputs, { name: r.name, urn: r.urn, config: c.properties, providerRegion: r.region })) found.push(`${name} (${r.name}): ${m}`);
          }
        }
      } finally {
        pulumi.runtime.setAllConfig(saved);
      }
      assert.ok(aws.some((r) => r.type === "aws:lambda/function:Function" && r.region === "us-east-1"), "the option declares a Lambda@Edge function");
      assert.deepEqual(found, []);
    });
  }
});
