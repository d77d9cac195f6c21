import assert from "node:assert/strict";
import { StackBudget } from "../../../components/baseline/StackBudget";
import { declare, ofType, oneOf } from "../../support/harness";

const TOPIC = "arn:aws:sns:eu-west-2:123456789012:alerts";

describe("StackBudget (mpto:baseline:StackBudget)", () => {
  it("sets a monthly COST budget of the configured limit in USD, counting only the stack's Environment tag", async () => {
    const run = await declare(() => new StackBudget("budget", { limitUsd: 250, topicArn: TOPIC, costTag: { key: "Environment", value: "prod" }, budgetName: "mpto-prod-monthly" }));
    const budget = oneOf(run, "aws:budgets/budget:Budget");
    assert.equal(budget.inputs.budgetType, "COST");
    assert.equal(budget.inputs.timeUnit, "MONTHLY");
    assert.equal(budget.inputs.limitAmount, "250.00");
    assert.equal(budget.inputs.limitUnit, "USD");
    assert.equal(budget.inputs.name, "mpto-prod-monthly");
    assert.deepEqual(budget.inputs.costFilters, [{ name: "TagKeyValue", values: ["user:Environment$prod"] }]);
  });

  it("notifies the alert topic and the emails at the ACTUAL warning, at 100% ACTUAL and at the FORECASTED threshold", async () => {
    const run = await declare(() => new StackBudget("budget", { limitUsd: 60, topicArn: TOPIC, emails: ["ops@example.com"], actualWarningPercent: 75, forecastPercent: 110 }));
    const notifications = oneOf(run, "aws:budgets/budget:Budget").inputs.notifications as any[];
    assert.deepEqual(
      notifications.map((n) => [n.notificationType, n.threshold, n.thresholdType, n.comparisonOperator]),
      [
        ["ACTUAL", 75, "PERCENTAGE", "GREATER_THAN"],
        ["ACTUAL", 100, "PERCENTAGE", "GREATER_THAN"],
        ["FORECASTED", 110, "PERCENTAGE", "GREATER_THAN"],
      ],
    );
    for (const n of notifications) {
      assert.deepEqual(n.subscriberSnsTopicArns, [TOPIC]);
      assert.deepEqual(n.subscriberEmailAddresses, ["ops@example.com"]);
    }
  });

  it("defaults to 80% ACTUAL, 100% ACTUAL and 100% FORECASTED, topic only", async () => {
    const run = await declare(() => new StackBudget("budget", { limitUsd: 10, topicArn: TOPIC }));
    const notifications = oneOf(run, "aws:budgets/budget:Budget").inputs.notifications as any[];
    assert.deepEqual(notifications.map((n) => `${n.notificationType}@${n.threshold}`), ["ACTUAL@80", "ACTUAL@100", "FORECASTED@100"]);
    assert.ok(notifications.every((n) => n.subscriberEmailAddresses === undefined));
  });

  it("creates no anomaly monitor by default, and a tag-scoped one with a daily email summary when asked", async () => {
    const none = await declare(() => new StackBudget("budget", { limitUsd: 10, topicArn: TOPIC }));
    assert.equal(ofType(none, "aws:costexplorer/anomalyMonitor:AnomalyMonitor").length, 0);

    const run = await declare(() => new StackBudget("budget", { limitUsd: 10, topicArn: TOPIC, emails: ["ops@example.com"], costTag: { key: "Environment", value: "dev" }, anomalyAlertUsd: 25 }));
    const monitor = oneOf(run, "aws:costexplorer/anomalyMonitor:AnomalyMonitor");
    assert.equal(monitor.inputs.monitorType, "CUSTOM");
    // Every Expression field spelled out, as the provider reads it back (tools/plan/readBack.ts).
    assert.deepEqual(JSON.parse(monitor.inputs.monitorSpecification as string), {
      And: null,
      CostCategories: null,
      Dimensions: null,
      Not: null,
      Or: null,
      Tags: { Key: "Environment", MatchOptions: ["EQUALS"], Values: ["dev"] },
    });
    const sub = oneOf(run, "aws:costexplorer/anomalySubscription:AnomalySubscription");
    assert.equal(sub.inputs.frequency, "DAILY");
    assert.deepEqual(sub.inputs.subscribers, [{ type: "EMAIL", address: "ops@example.com" }]);
    assert.deepEqual((sub.inputs.thresholdExpression as any).dimension.values, ["25"]);
    assert.deepEqual(sub.inputs.monitorArnLists, [monitor.outputs.arn]);
  });

  it("rejects impossible percentages and an anomaly monitor without an email", async () => {
    await assert.rejects(declare(() => new StackBudget("b", { limitUsd: 10, topicArn: TOPIC, actualWarningPercent: 0 })), /actualWarningPercent/);
    await assert.rejects(declare(() => new StackBudget("b", { limitUsd: 10, topicArn: TOPIC, anomalyAlertUsd: 5 })), /anomalyAlertUsd needs at least one email/);
  });
});
