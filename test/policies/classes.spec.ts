import assert from "node:assert/strict";
import { join } from "node:path";
import { policies } from "../../policies/catalog";
import { judgedTypes } from "../../policies/lib/policy";
import type { AnalyzedResource, Diagnostic, ResolvedPolicyConfig, StackContext } from "../../tools/plan/analyzer";
import { PolicyPackSession } from "../../tools/plan/analyzer";
import { resolvedConfigs } from "../../tools/policyDocs";
import { ROOT } from "../support/harness";
import { classCases } from "./cases/classes";
import type { PolicyCase } from "./cases/types";
import { bucketSet, T } from "./fixtures";

/**
 * Issue 14 over the analyzer protocol: the pack started as the CLI starts it and driven over gRPC
 * (Configure, ConfigureStack, Analyze, AnalyzeStack), as the red team drove it.
 *  - every class case (billing blind spots, scoping by value, IAM, WAF/CloudTrail/SES v1/DynamoDB
 *    replicas/Lambda secrets, the tripwire, malformed numbers and documents) passes or fails here
 *    as it does in the direct tier (test/policies/families.spec.ts);
 *  - robustness, per policy: a malformed resource of a type each resource policy judges, and a
 *    malformed stack at every stack policy, come back as diagnostics, never as a gRPC error, and a
 *    malformed resource does not erase another policy's result;
 *  - the tripwire's level per stack (advisory in dev, mandatory in prod).
 */

const context = (stack: "dev" | "prod"): StackContext => ({
  stack,
  project: "mpto",
  organization: "organization",
  config: { "mpto:monthlyBudgetUsd": stack === "dev" ? "60" : "250", "mpto:environment": stack },
  secretKeys: [],
});

const provider = { urn: "urn:pulumi:test::mpto::pulumi:providers:aws::mpto-aws", type: "pulumi:providers:aws", name: "mpto-aws", properties: { region: "eu-west-2" } };

/** The same URN scheme as the direct tier (test/support/policies.ts), so URN-keyed exemptions in cases match. */
function resource(type: string, name: string, properties: Record<string, unknown>, region?: string): AnalyzedResource {
  return { urn: `urn:pulumi:test::mpto::${type}::${name}`, type, name, properties, options: {}, provider: region ? { ...provider, properties: { region } } : provider };
}

const MALFORMED: Record<string, unknown> = {
  policy: "{not json",
  assumeRolePolicy: '{"Statement":[null]}',
  inlinePolicies: [null, { name: 1, policy: "[" }],
  rules: [null, "rule", { name: 7, statement: "x" }],
  ruleJson: "[{",
  environment: { variables: "A=B" },
  memorySize: "lots",
  timeout: { s: 3 },
  retentionInDays: "forever",
  deletionWindowInDays: "soon",
  eventSelectors: [null],
  advancedEventSelectors: "all",
  replicas: [null, 5],
  corsRules: "none",
  deliveryOptions: [null],
  passwordPolicy: { minimumLength: "twelve" },
  origins: [null],
  defaultCacheBehavior: "x",
  orderedCacheBehaviors: [null],
  notifications: [null, { threshold: "high" }],
  tags: "none",
  tagsAll: [null],
  instanceType: 42,
  shardCount: "many",
};

describe("issue 14 classes over the analyzer protocol (the pack started as the CLI starts it)", function () {
  this.timeout(240_000);
  let session: PolicyPackSession;
  let configs: ReturnType<typeof resolvedConfigs>;

  before(async () => {
    configs = resolvedConfigs();
    session = await PolicyPackSession.start(join(ROOT, "policies"), context("prod"), ROOT);
    await session.configureStack(context("prod"));
  });

  after(async () => {
    await session?.stop();
  });

  async function diagnosticsOf(c: PolicyCase): Promise<Diagnostic[]> {
    // Cases are written against the schema defaults plus their own overrides (as the direct tier runs them).
    const defaults: Record<string, ResolvedPolicyConfig> = JSON.parse(JSON.stringify(configs.prod));
    const policy = policies.find((p) => p.name === c.policy)!;
    const schemaDefaults = Object.fromEntries(Object.entries(policy.configSchema?.properties ?? {}).map(([k, v]) => [k, (v as { default?: unknown }).default]));
    defaults[c.policy] = { enforcementLevel: "mandatory", properties: { ...schemaDefaults, ...(c.config ?? {}) } };
    await session.configure(defaults);
    if (c.resources) {
      const resources = c.resources.map((r) => ({
        ...resource(r.type, r.name, r.props, r.providerRegion),
        propertyDependencies: Object.fromEntries(Object.entries(r.deps ?? {}).map(([k, names]) => [k, names.map((n) => `urn:pulumi:test::mpto::${c.resources!.find((s) => s.name === n)!.type}::${n}`)])),
      }));
      return (await session.analyzeStack(resources)).filter((d) => d.policyName === c.policy);
    }
    return (await session.analyze(resource(c.type!, "subject", c.props!, c.providerRegion))).filter((d) => d.policyName === c.policy);
  }

  for (const c of classCases.filter((x) => !x.stackConfig)) {
    it(`${c.policy}: ${c.title}`, async () => {
      const found = await diagnosticsOf(c);
      const messages = found.map((d) => d.message);
      if (c.expect === "pass") {
        assert.deepEqual(messages, [], `expected no violation, got:\n${messages.join("\n")}`);
        return;
      }
      assert.ok(found.length > 0, "expected a violation, got none");
      assert.ok(found.every((d) => d.enforcementLevel === "mandatory"), "reported at the policy's level");
      for (const pattern of ([] as RegExp[]).concat(c.expect)) assert.ok(messages.some((m) => pattern.test(m)), `no violation matches ${pattern}; got:\n${messages.join("\n")}`);
    });
  }

  it("answers a malformed resource of a judged type with diagnostics, never a gRPC error, for every resource policy", async () => {
    await session.configure(configs.prod);
    const judged = new Map<string, string>();
    for (const p of policies) for (const type of judgedTypes(p)) if (!judged.has(type)) judged.set(type, p.name);
    const errors: string[] = [];
    for (const type of judged.keys()) {
      try {
        const diagnostics = await session.analyze(resource(type, "malformed", MALFORMED));
        for (const d of diagnostics) assert.ok(typeof d.message === "string" && d.message.length > 0);
      } catch (error) {
        errors.push(`${type}: ${(error as Error).message}`);
      }
    }
    assert.deepEqual(errors, []);
    assert.ok(judged.size > 40, `${judged.size} types`);
  });

  it("keeps every stack policy's result when one resource of the stack is malformed", async () => {
    await session.configure(configs.prod);
    const stack = [
      ...bucketSet("media", { log: true }).filter((s) => s.type !== T.bucketBlock).map((s) => resource(s.type, s.name, s.props)),
      ...policies.flatMap((p) => judgedTypes(p)).slice(0, 40).map((type, i) => resource(type, `malformed-${i}`, MALFORMED)),
      resource(T.queue, "dlq", { url: 5, policy: [null] }),
    ];
    const diagnostics = await session.analyzeStack(stack);
    assert.ok(diagnostics.some((d) => d.policyName === "s3-public-access-block" && /media has no public access block/.test(d.message)), "the bucket without a public access block is still reported");
    assert.ok(diagnostics.some((d) => d.policyName === "sqs-queue-policy"), "the malformed queue is judged, not skipped");
  });

  it("reports an unreviewed type as advisory in dev and mandatory in prod", async () => {
    const unreviewed = resource("aws:sagemaker/endpoint:Endpoint", "model", { endpointConfigName: "c" });
    await session.configure(configs.dev);
    const dev = (await session.analyze(unreviewed)).filter((d) => d.policyName === "unreviewed-resource-types");
    await session.configure(configs.prod);
    const prod = (await session.analyze(unreviewed)).filter((d) => d.policyName === "unreviewed-resource-types");
    assert.deepEqual([dev.map((d) => d.enforcementLevel), prod.map((d) => d.enforcementLevel)], [["advisory"], ["mandatory"]]);
    assert.match(prod[0].message, /aws:sagemaker\/endpoint:Endpoint has not been reviewed/);
  });

  it("refuses an unpriced billable type in the stack (mandatory), with the way out in the message", async () => {
    await session.configure(configs.prod);
    const diagnostics = (await session.analyzeStack([resource("aws:ec2/instance:Instance", "gpu", { instanceType: "p4de.24xlarge" })])).filter((d) => d.policyName === "billing-unpriced-resources");
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].enforcementLevel, "mandatory");
    assert.match(diagnostics[0].message, /add a price .* or an explicit exemption/);
  });
});
