import assert from "node:assert/strict";
import type { RecordedResource } from "../../tools/mocks/runtime";
import { costExpressionReadBack, READ_BACK_CHECKERS, READ_BACK_RULES, readBackFindings } from "../../tools/plan/readBack";
import { declareStack, ofType } from "../support/harness";

const MONITOR = "aws:costexplorer/anomalyMonitor:AnomalyMonitor";
const FEATURE = "aws:guardduty/detectorFeature:DetectorFeature";
const DELIVERY = "aws:cloudwatch/logDelivery:LogDelivery";

/** A recorded resource with some inputs or options changed. */
const variant = (r: RecordedResource, inputs: Record<string, unknown>, options: Partial<RecordedResource["options"]> = {}): RecordedResource => ({
  ...r,
  inputs: { ...r.inputs, ...inputs },
  options: { ...r.options, ...options },
});

describe("read-back stability (tools/plan/readBack.ts, the read-back entries of tools/plan/replacements.ts)", function () {
  this.timeout(120_000);
  let prod: RecordedResource[];
  let dev: RecordedResource[];
  before(async () => {
    prod = (await declareStack("prod")).resources;
    dev = (await declareStack("dev")).resources;
  });

  it("every read-back rule has a checker and every checker a rule", () => {
    const rules = READ_BACK_RULES().map((r) => `${r.type}#${r.path}`).sort();
    assert.deepEqual(rules, Object.keys(READ_BACK_CHECKERS).sort());
    assert.ok(READ_BACK_RULES().every((r) => /terraform-provider-aws/.test(r.source)));
  });

  it("both real stacks are written as the provider reads them back", () => {
    assert.deepEqual(readBackFindings(prod), []);
    assert.deepEqual(readBackFindings(dev), []);
    assert.equal(ofType({ resources: prod } as never, MONITOR).length, 1, "prod has an anomaly monitor (costAnomalyAlertUsd 25)");
  });

  it("cost anomaly monitor: the provider's read spells every unset Expression field as null (json.Marshal of the SDK struct)", () => {
    assert.deepEqual(costExpressionReadBack({ Tags: { Key: "Environment", Values: ["prod"], MatchOptions: ["EQUALS"] } }), {
      And: null,
      CostCategories: null,
      Dimensions: null,
      Not: null,
      Or: null,
      Tags: { Key: "Environment", MatchOptions: ["EQUALS"], Values: ["prod"] },
    });
    // encoding/json matches field names case-insensitively and drops unknown keys; DimensionValues.Key is a plain string.
    assert.deepEqual(costExpressionReadBack({ dimensions: { values: ["1"] }, Extra: 1 }), {
      And: null,
      CostCategories: null,
      Dimensions: { Key: "", MatchOptions: null, Values: ["1"] },
      Not: null,
      Or: null,
      Tags: null,
    });
  });

  it("cost anomaly monitor: the short form the stack used to write is flagged (replaced on every update), with the form to write", () => {
    const monitor = ofType({ resources: prod } as never, MONITOR)[0];
    const short = variant(monitor, { monitorSpecification: JSON.stringify({ Tags: { Key: "Environment", Values: ["prod"], MatchOptions: ["EQUALS"] } }) });
    const [finding] = readBackFindings([short]);
    assert.ok(finding);
    assert.match(finding.problem, /replaced on every update/);
    assert.equal(finding.fix, '{"And":null,"CostCategories":null,"Dimensions":null,"Not":null,"Or":null,"Tags":{"Key":"Environment","MatchOptions":["EQUALS"],"Values":["prod"]}}');
  });

  it("GuardDuty features: additional configurations GuardDuty reports must be declared with the feature's status", () => {
    const runtime = ofType({ resources: prod } as never, FEATURE).find((r) => r.inputs.name === "RUNTIME_MONITORING")!;
    assert.equal((runtime.inputs.additionalConfigurations as unknown[]).length, 3);
    const undeclared = variant(runtime, { additionalConfigurations: undefined });
    assert.match(readBackFindings([undeclared])[0].problem, /EKS_ADDON_MANAGEMENT, ECS_FARGATE_AGENT_MANAGEMENT, EC2_AGENT_MANAGEMENT/);
    const mismatched = variant(runtime, { additionalConfigurations: (runtime.inputs.additionalConfigurations as { name: string }[]).map((c) => ({ ...c, status: "ENABLED" })) });
    assert.match(readBackFindings([mismatched])[0].problem, /status differs/);
    const s3 = ofType({ resources: prod } as never, FEATURE).find((r) => r.inputs.name === "S3_DATA_EVENTS")!;
    assert.deepEqual(readBackFindings([s3]), [], "features without additional configurations need none");
  });

  it("log delivery: record fields change by replacement; an in-place update is flagged", () => {
    const delivery = ofType({ resources: dev } as never, DELIVERY)[0];
    assert.deepEqual(delivery.options.replaceOnChanges, ["recordFields"]);
    assert.equal(delivery.options.deleteBeforeReplace, true);
    const inPlace = variant(delivery, {}, { replaceOnChanges: undefined });
    assert.match(readBackFindings([inPlace])[0].problem, /Provided delivery configuration is invalid for the destination type/);
  });
});
