import assert from "node:assert/strict";
import { estimateCost } from "../../../policies/billing/estimate";
import { canaryRunsPerMonth } from "../../../policies/billing/estate";
import { USAGE_DEFAULTS } from "../../../policies/billing/usage";

/** The hourly types a small estate grows into (billing/estate.ts): the arithmetic of each line, and the gaps it names. */

const r = (type: string, name: string, props: Record<string, unknown>) => ({ urn: `urn:pulumi:t::p::${type}::${name}`, type, name, props, region: "eu-west-2" });
const cost = (resources: ReturnType<typeof r>[]) => estimateCost(resources, USAGE_DEFAULTS);
const total = (e: ReturnType<typeof cost>, name: string) => Math.round(e.lines.filter((l) => l.name === name).reduce((t, l) => t + l.monthlyUsd, 0) * 100) / 100;

describe("estimate: hourly types (billing/estate.ts)", () => {
  it("prices a NAT gateway and an Elastic IP by the hour (730 a month), as fixed costs", () => {
    const e = cost([r("aws:ec2/natGateway:NatGateway", "nat", {}), r("aws:ec2/eip:Eip", "ip", {})]);
    assert.equal(total(e, "nat"), 32.85);
    assert.equal(total(e, "ip"), 3.65);
    assert.ok(e.lines.filter((l) => l.name === "nat" || l.name === "ip").every((l) => l.kind === "fixed"));
    assert.deepEqual(e.unpricedItems, []);
  });

  it("doubles a Multi-AZ RDS instance and its storage", () => {
    const single = total(cost([r("aws:rds/instance:Instance", "db", { instanceClass: "db.t4g.micro", allocatedStorage: 20 })]), "db");
    const multi = total(cost([r("aws:rds/instance:Instance", "db", { instanceClass: "db.t4g.micro", allocatedStorage: 20, multiAz: true })]), "db");
    assert.equal(single, Math.round((0.016 * 730 + 20 * 0.115) * 100) / 100);
    assert.equal(multi, Math.round(2 * single * 100) / 100);
  });

  it("prices a GPU instance it lists, and names the gap for one it does not", () => {
    assert.equal(total(cost([r("aws:ec2/instance:Instance", "g", { instanceType: "g5.xlarge", rootBlockDevice: { volumeSize: 100, volumeType: "gp3" } })]), "g"), Math.round((1.006 * 730 + 100 * 0.08) * 100) / 100);
    const e = cost([r("aws:ec2/instance:Instance", "big", { instanceType: "p4de.24xlarge" })]);
    assert.match(e.unpriced.join("\n"), /instance type p4de\.24xlarge has no hourly rate/);
  });

  it("keeps provisioned concurrency warm all month at the function's memory", () => {
    const e = cost([
      r("aws:lambda/function:Function", "fn", { name: "fn", memorySize: 1024, architectures: ["x86_64"] }),
      r("aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig", "pc", { functionName: "fn", provisionedConcurrentExecutions: 2 }),
    ]);
    assert.equal(total(e, "pc"), Math.round(2 * 1 * 730 * 3600 * 0.0000041667 * 100) / 100);
  });

  it("prices Fargate services from their task definition, and refuses one whose task is not in the stack", () => {
    const e = cost([
      r("aws:ecs/taskDefinition:TaskDefinition", "task", { family: "web", cpu: "512", memory: "1024" }),
      r("aws:ecs/service:Service", "svc", { launchType: "FARGATE", desiredCount: 2, taskDefinition: "web" }),
    ]);
    assert.equal(total(e, "svc"), Math.round((2 * 0.5 * 730 * 0.04048 + 2 * 1 * 730 * 0.004445) * 100) / 100);
    assert.match(cost([r("aws:ecs/service:Service", "svc", { launchType: "FARGATE", desiredCount: 1, taskDefinition: "elsewhere" })]).unpriced.join(), /task definition elsewhere is not in the stack/);
  });

  it("counts canary runs from rate() schedules and refuses cron ones", () => {
    assert.equal(Math.round(canaryRunsPerMonth("rate(5 minutes)")!), 8755);
    assert.equal(canaryRunsPerMonth("rate(0 minute)"), 1);
    assert.equal(canaryRunsPerMonth("cron(0 * * * ? *)"), undefined);
    assert.match(cost([r("aws:synthetics/canary:Canary", "c", { schedule: { expression: "cron(0 * * * ? *)" } })]).unpriced.join(), /not a rate\(\)/);
  });

  it("refuses a billable type without a price, and exempts it by type or URN only with the exemption", () => {
    const model = r("aws:sagemaker/endpoint:Endpoint", "model", {});
    assert.match(cost([model]).unpriced.join(), /has no price in the table/);
    const exempt = estimateCost([model], USAGE_DEFAULTS, undefined, { exemptions: [{ urn: model.urn, reason: "serverless inference, budgeted separately" }] });
    assert.deepEqual([exempt.unpriced, exempt.exempted.map((x) => x.exemption)], [[], ["serverless inference, budgeted separately"]]);
  });

  it("counts nothing for the engine's own types and the project's components", () => {
    assert.deepEqual(cost([r("pulumi:providers:aws", "aws", {}), r("mpto:edge:Cdn", "cdn", {}), r("random:index/randomPassword:RandomPassword", "pw", {})]).unpricedItems, []);
  });
});
