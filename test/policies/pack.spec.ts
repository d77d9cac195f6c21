import assert from "node:assert/strict";
import { join } from "node:path";
import { policies } from "../../policies/catalog";
import { AnalyzedResource, PolicyPackSession, ResolvedPolicyConfig, StackContext } from "../../tools/plan/analyzer";
import { resolvePolicyConfig } from "../../tools/plan/policyConfig";
import { policyInfos, resolvedConfigs } from "../../tools/policyDocs";
import { ROOT } from "../support/harness";
import { stackResources, StackResourceSpec } from "../support/policies";
import { distribution, T, TOPIC_ARN, webAcl } from "./fixtures";

/**
 * Tier 3: the pack as the Pulumi CLI runs it. Started through @pulumi/pulumi's run-policy-pack
 * (ts-node with type-checking, cwd = policies/, stack config in PULUMI_CONFIG) and driven over the
 * analyzer gRPC protocol: GetAnalyzerInfo, Configure, ConfigureStack, Analyze, AnalyzeStack.
 */

const context: StackContext = {
  stack: "dev",
  project: "mpto",
  organization: "organization",
  config: { "mpto:monthlyBudgetUsd": "60", "mpto:environment": "dev" },
  secretKeys: [],
};

const provider = { urn: "urn:pulumi:dev::mpto::pulumi:providers:aws::mpto-aws", type: "pulumi:providers:aws", name: "mpto-aws", properties: { region: "eu-west-2" } };

function resource(type: string, name: string, properties: Record<string, unknown>): AnalyzedResource {
  return { urn: `urn:pulumi:dev::mpto::${type}::${name}`, type, name, properties, options: {}, provider };
}

function stack(specs: StackResourceSpec[]): AnalyzedResource[] {
  return stackResources(specs).map((r, i) => ({
    ...resource(r.type, r.name, specs[i].props),
    propertyDependencies: Object.fromEntries(Object.entries(specs[i].deps ?? {}).map(([k, names]) => [k, names.map((n) => `urn:pulumi:dev::mpto::${specs.find((s) => s.name === n)!.type}::${n}`)])),
  }));
}

const TAGS = { Project: "mpto", Environment: "dev", Owner: "platform-team", CostCenter: "MPTO-WEB", ManagedBy: "pulumi" };
const unencryptedTopic = resource(T.topic, "loose-topic", { tags: TAGS, tagsAll: TAGS });

describe("the policy pack over the analyzer protocol (started as the CLI starts it)", function () {
  this.timeout(180_000);
  let session: PolicyPackSession;
  let dev: Record<string, ResolvedPolicyConfig>;

  /** dev.json with some policies replaced. */
  const devWith = (changes: Record<string, Partial<ResolvedPolicyConfig>>) => {
    const out: Record<string, ResolvedPolicyConfig> = JSON.parse(JSON.stringify(dev));
    for (const [name, c] of Object.entries(changes)) out[name] = { ...out[name], ...c, properties: { ...out[name].properties, ...(c.properties ?? {}) } };
    return out;
  };

  before(async () => {
    dev = resolvedConfigs().dev;
    session = await PolicyPackSession.start(join(ROOT, "policies"), context, ROOT);
    await session.configureStack(context);
  });

  after(async () => {
    await session?.stop();
  });

  it("reports every policy of the catalog with its level, description and config schema (schema defaults included)", async () => {
    const info = await session.getAnalyzerInfo();
    assert.equal(info.name, "mpto-guardrails");
    assert.deepEqual(info.policies.map((p) => p.name).sort(), policies.map((p) => p.name).sort());
    const ceiling = info.policies.find((p) => p.name === "monthly-fixed-cost-ceiling")!;
    assert.equal(ceiling.enforcementLevel, "mandatory");
    assert.equal(ceiling.configSchema?.properties?.maxFixedMonthlyUsd.default, 40);
    assert.equal(info.policies.find((p) => p.name === "cloudfront-geo-restriction")!.enforcementLevel, "advisory");
    // The plan resolves config files against exactly what the pack reports.
    assert.doesNotThrow(() => resolvePolicyConfig(info.policies, { all: "mandatory" }, "inline"));
    assert.deepEqual(
      info.policies.map((p) => p.name).sort(),
      policyInfos().map((p) => p.name).sort(),
    );
  });

  it("reports a mandatory violation with the policy's name and description, under dev.json", async () => {
    await session.configure(dev);
    const diagnostics = await session.analyze(unencryptedTopic);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].policyName, "sns-encryption");
    assert.equal(diagnostics[0].enforcementLevel, "mandatory");
    assert.equal(diagnostics[0].urn, unencryptedTopic.urn);
    assert.match(diagnostics[0].description, /SNS topics are encrypted with a customer-managed KMS key/);
    assert.match(diagnostics[0].message, /not encrypted at rest/);
  });

  it("lowers a policy to advisory, or disables it, as the config file says", async () => {
    await session.configure(devWith({ "sns-encryption": { enforcementLevel: "advisory" } }));
    assert.deepEqual((await session.analyze(unencryptedTopic)).map((d) => d.enforcementLevel), ["advisory"]);
    await session.configure(devWith({ "sns-encryption": { enforcementLevel: "disabled" } }));
    assert.deepEqual(await session.analyze(unencryptedTopic), []);
  });

  it("passes config thresholds through to the policies (log retention caps differ per stack)", async () => {
    const group = resource(T.logGroup, "app-logs", { retentionInDays: 90, tags: TAGS, tagsAll: TAGS });
    await session.configure(dev);
    const devResult = await session.analyze(group);
    assert.deepEqual(devResult.map((d) => [d.policyName, d.message]), [["log-group-retention", "retentionInDays 90 is above the maximum of 30"]]);
    await session.configure(resolvedConfigs().prod);
    assert.deepEqual(await session.analyze(group), []);
  });

  it("runs stack policies over the whole stack: the fixed-cost ceiling with its per-resource breakdown", async () => {
    const resources = stack([
      { type: T.webAcl, name: "edge-waf", props: { ...webAcl(), tags: TAGS, tagsAll: TAGS } },
      { type: T.dashboard, name: "dashboard", props: { dashboardName: "mpto" } },
    ]);
    await session.configure(devWith({ "monthly-fixed-cost-ceiling": { properties: { maxFixedMonthlyUsd: 10 } } }));
    const diagnostics = (await session.analyzeStack(resources)).filter((d) => d.policyName === "monthly-fixed-cost-ceiling");
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].enforcementLevel, "mandatory");
    assert.match(diagnostics[0].message, /fixed monthly cost \$12\.00 exceeds the ceiling of \$10\.00/);
    assert.match(diagnostics[0].message, /edge-waf: WAF rule or rule group in a web ACL, 4 x \$1/);
    await session.configure(dev);
    assert.deepEqual((await session.analyzeStack(resources)).filter((d) => d.policyName === "monthly-fixed-cost-ceiling"), []);
  });

  it("compares the estimate with the budget the stack config carries (PULUMI_CONFIG, as the CLI passes it)", async () => {
    const resources = stack([{ type: T.distribution, name: "edge-distribution", props: { ...distribution(), tags: TAGS, tagsAll: TAGS } }]);
    await session.configure(devWith({ "monthly-cost-estimate": { properties: { usage: { ...(dev["monthly-cost-estimate"].properties.usage as object), dataOutGb: 1000 } } } }));
    const [diagnostic] = (await session.analyzeStack(resources)).filter((d) => d.policyName === "monthly-cost-estimate");
    assert.ok(diagnostic, "the estimate should exceed the budget");
    assert.match(diagnostic.message, /exceeds \$48\.00 \(80% of the \$60\.00 budget\)/);
  });

  it("finds relationships through the engine's property dependencies: a budget alert to a topic Budgets may not publish to", async () => {
    const resources = stack([
      { type: T.topic, name: "alerts", props: { arn: TOPIC_ARN, kmsMasterKeyId: "k" } },
      // The policy's `arn` is not the topic's value here: only the dependency ties them together.
      { type: T.topicPolicy, name: "alerts-policy", deps: { arn: ["alerts"] }, props: { arn: "(resolved by the engine)", policy: JSON.stringify({ Statement: [] }) } },
      {
        type: T.budget,
        name: "budget",
        props: {
          budgetType: "COST",
          timeUnit: "MONTHLY",
          limitAmount: "60",
          limitUnit: "USD",
          notifications: [
            { comparisonOperator: "GREATER_THAN", notificationType: "ACTUAL", threshold: 80, thresholdType: "PERCENTAGE", subscriberSnsTopicArns: [TOPIC_ARN] },
            { comparisonOperator: "GREATER_THAN", notificationType: "FORECASTED", threshold: 100, thresholdType: "PERCENTAGE", subscriberSnsTopicArns: [TOPIC_ARN] },
          ],
        },
      },
    ]);
    await session.configure(dev);
    const diagnostics = await session.analyzeStack(resources);
    const budget = diagnostics.filter((d) => d.policyName === "budget-guard");
    assert.equal(budget.length, 2, budget.map((d) => d.message).join("\n"));
    assert.ok(budget.every((d) => /no topic policy letting budgets\.amazonaws\.com publish/.test(d.message)));
    assert.ok(budget.every((d) => d.urn === "urn:pulumi:dev::mpto::aws:budgets/budget:Budget::budget"));
    const tls = diagnostics.filter((d) => d.policyName === "sns-tls-only").map((d) => d.message);
    assert.deepEqual(tls, ["topic alerts: the topic policy does not deny aws:SecureTransport false"], "the dependency tied the policy to its topic");
  });

  it("downgrades a resource policy to advisory when a value it reads is unknown during preview", async () => {
    await session.configure(dev);
    const unknownString = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    const diagnostics = await session.analyze(resource(T.topic, "pending-topic", { kmsMasterKeyId: unknownString, tags: TAGS, tagsAll: TAGS }));
    assert.deepEqual(diagnostics.map((d) => [d.policyName, d.enforcementLevel]), [["sns-encryption", "advisory"]]);
    assert.match(diagnostics[0].message, /can't run policy 'sns-encryption'.* during preview/);
  });
});
