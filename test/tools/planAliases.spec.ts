import assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { collapseAlias, createUrn, generateAliases, planUrn } from "../../tools/mocks/aliases";
import { diffPlans, PlanDocument } from "../../tools/plan/diff";
import { declare, named } from "../support/harness";

/**
 * `aliases` in the offline plan: recorded as the engine computes them, and honoured by `--base` as
 * the engine honours them (pulumi/pulumi pkg/resource/deploy/step_generator.go: a resource is
 * looked up in the old state by its URN, then by each alias; an alias found there is the same
 * resource).
 */

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const OLD_URN = `urn:pulumi:dev::mpto::mpto:monitoring:Monitoring$${ALARM}::monitoring-dynamodb-throttles`;
const NEW_URN = `urn:pulumi:dev::mpto::mpto:sessions:SessionTable$${ALARM}::sessions-throttles`;

function plan(resources: { urn: string; inputs?: Record<string, unknown>; aliases?: string[] }[]): PlanDocument {
  return {
    project: "mpto",
    stack: "dev",
    resources: resources.map((r) => ({
      urn: r.urn,
      type: ALARM,
      name: r.urn.split("::").pop()!,
      parent: null,
      region: "eu-west-2",
      provider: null,
      inputs: r.inputs ?? { threshold: 1 },
      options: r.aliases ? { aliases: r.aliases } : {},
    })),
    diagnostics: [],
    sections: {},
    summary: {},
  };
}

describe("aliases in the offline plan (tools/mocks/aliases.ts, as the engine's collapseAliasToUrn)", () => {
  const goal = { name: "sessions-throttles", type: ALARM, parentUrn: "urn:pulumi:dev::mpto::mpto:sessions:SessionTable::sessions", stack: "dev", project: "mpto" };

  it("spells URNs as the plan does (the mock runtime's newUrn): the parent's last type, the root stack for top-level resources", () => {
    assert.equal(createUrn("b", ALARM, "urn:pulumi:dev::mpto::mpto:x:A$mpto:x:B::b0", "mpto", "dev"), `urn:pulumi:dev::mpto::mpto:x:B$${ALARM}::b`);
    assert.equal(createUrn("a", "mpto:x:A", "urn:pulumi:dev::mpto::pulumi:pulumi:Stack::mpto-dev", "mpto", "dev"), "urn:pulumi:dev::mpto::pulumi:pulumi:Stack$mpto:x:A::a");
    assert.equal(createUrn("a", "mpto:x:A", undefined, "mpto", "dev"), "urn:pulumi:dev::mpto::pulumi:pulumi:Stack$mpto:x:A::a");
  });

  it("turns an engine-spelled URN (whole chain, no root stack) into the plan's, and leaves plan URNs alone", () => {
    assert.equal(planUrn("urn:pulumi:dev::mpto::mpto:monitoring:Monitoring::monitoring"), "urn:pulumi:dev::mpto::pulumi:pulumi:Stack$mpto:monitoring:Monitoring::monitoring");
    assert.equal(planUrn(`urn:pulumi:dev::mpto::mpto:edge:Cdn$mpto:edge:WebAcl$${ALARM}::a`), `urn:pulumi:dev::mpto::mpto:edge:WebAcl$${ALARM}::a`);
    assert.equal(planUrn(OLD_URN), OLD_URN);
    assert.equal(
      planUrn("urn:pulumi:dev::mpto::pulumi:pulumi:Stack$mpto:monitoring:Monitoring::monitoring"),
      "urn:pulumi:dev::mpto::pulumi:pulumi:Stack$mpto:monitoring:Monitoring::monitoring",
    );
  });

  it("fills what an alias spec leaves out from the resource: name, type, parent, stack, project", () => {
    assert.deepEqual(collapseAlias(goal, { name: "monitoring-dynamodb-throttles", parentUrn: "urn:pulumi:dev::mpto::mpto:monitoring:Monitoring::monitoring" }), [OLD_URN]);
    assert.deepEqual(collapseAlias(goal, { name: "old" }), [`urn:pulumi:dev::mpto::mpto:sessions:SessionTable$${ALARM}::old`]);
    assert.deepEqual(collapseAlias(goal, { noParent: true }), [`urn:pulumi:dev::mpto::pulumi:pulumi:Stack$${ALARM}::sessions-throttles`]);
    assert.deepEqual(collapseAlias(goal, { urn: "urn:pulumi:dev::mpto::x::y" }), ["urn:pulumi:dev::mpto::pulumi:pulumi:Stack$x::y"]);
  });

  it("gives a child of an aliased parent its inherited alias, renaming a `${parent}-` prefix (inheritedChildAlias)", () => {
    const parentAliases = new Map([[goal.parentUrn, ["urn:pulumi:dev::mpto::pulumi:pulumi:Stack$mpto:old:Table::old"]]]);
    assert.deepEqual(generateAliases(goal, [], parentAliases), [`urn:pulumi:dev::mpto::mpto:old:Table$${ALARM}::old-throttles`]);
    assert.deepEqual(generateAliases(goal, [], new Map()), []);
  });

  it("records the option under mocks: a child whose alias names its old parent by URN, and one aliased to its old parent as a Resource", async () => {
    const r = await declare(() => {
      const before = new pulumi.ComponentResource("mpto:test:Before", "before");
      const after = new pulumi.ComponentResource("mpto:test:After", "after");
      new aws.sns.Topic("after-topic", {}, { parent: after, aliases: [{ name: "before-topic", parent: pulumi.createUrn("before", "mpto:test:Before") }] });
      new aws.sns.Topic("after-queue", {}, { parent: after, aliases: [{ parent: before }] });
      new aws.sns.Topic("plain", {}, { parent: after });
    });
    assert.deepEqual(named(r, "after-topic").options.aliases, ["urn:pulumi:test::mpto::mpto:test:Before$aws:sns/topic:Topic::before-topic"]);
    assert.deepEqual(named(r, "after-queue").options.aliases, ["urn:pulumi:test::mpto::mpto:test:Before$aws:sns/topic:Topic::after-queue"]);
    assert.equal(named(r, "plain").options.aliases, undefined);
  });
});

describe("--base honours aliases as the engine does (step_generator.go generateSteps)", () => {
  it("without the alias, a moved resource is a delete and a create", () => {
    const c = diffPlans(plan([{ urn: OLD_URN }]), plan([{ urn: NEW_URN }]), "base");
    assert.deepEqual(c.resources.map((r) => `${r.kind} ${r.urn}`).sort(), [`create ${NEW_URN}`, `delete ${OLD_URN}`]);
    assert.deepEqual(c.aliased, []);
  });

  it("with the alias, it is the same resource: unchanged when its inputs are, and recorded as moved", () => {
    const c = diffPlans(plan([{ urn: OLD_URN }]), plan([{ urn: NEW_URN, aliases: [OLD_URN] }]), "base");
    assert.deepEqual(c.resources, []);
    assert.deepEqual(c.counts, { create: 0, update: 0, replace: 0, delete: 0, same: 1 });
    assert.deepEqual(c.aliased, [{ urn: NEW_URN, aliasOf: OLD_URN }]);
  });

  it("with the alias and a changed input, it is an update of the old resource, naming it", () => {
    const c = diffPlans(plan([{ urn: OLD_URN, inputs: { threshold: 1 } }]), plan([{ urn: NEW_URN, inputs: { threshold: 2 }, aliases: [OLD_URN] }]), "base");
    assert.equal(c.resources.length, 1);
    assert.equal(c.resources[0].kind, "update");
    assert.equal(c.resources[0].aliasOf, OLD_URN);
    assert.deepEqual(
      c.resources[0].changes.map((x) => [x.path, x.old, x.new]),
      [["threshold", 1, 2]],
    );
  });

  it("looks up the URN first: an alias naming a resource that still exists under its own URN claims nothing", () => {
    const c = diffPlans(plan([{ urn: OLD_URN }]), plan([{ urn: OLD_URN }, { urn: NEW_URN, aliases: [OLD_URN] }]), "base");
    assert.deepEqual(
      c.resources.map((r) => `${r.kind} ${r.urn}`),
      [`create ${NEW_URN}`],
    );
  });

  it("lets one old resource be claimed once: a second resource with the same alias is a create", () => {
    const other = NEW_URN.replace("sessions-throttles", "sessions-throttles-2");
    const c = diffPlans(
      plan([{ urn: OLD_URN }]),
      plan([
        { urn: NEW_URN, aliases: [OLD_URN] },
        { urn: other, aliases: [OLD_URN] },
      ]),
      "base",
    );
    assert.deepEqual(
      c.resources.map((r) => `${r.kind} ${r.urn}`),
      [`create ${other}`],
    );
    assert.deepEqual(c.aliased, [{ urn: NEW_URN, aliasOf: OLD_URN }]);
  });
});
