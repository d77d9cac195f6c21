import * as aws from "@pulumi/aws";

/** Every field of Cost Explorer's Expression, unset: how the provider's read spells an absent field. */
const EXPRESSION_UNSET = { And: null, CostCategories: null, Dimensions: null, Not: null, Or: null, Tags: null };
import * as pulumi from "@pulumi/pulumi";

/** The budget's defaults, the one home of each: the args below and the budget config keys (components/baseline/config.ts) take them from here. */
export const STACK_BUDGET_DEFAULTS = { actualWarningPercent: 80, forecastPercent: 100, anomalyAlertUsd: 0 } as const;

export interface StackBudgetArgs {
  /** Monthly limit in USD. Required. */
  limitUsd: pulumi.Input<number>;
  /** Count only costs carrying this cost allocation tag (e.g. Environment=prod). Default none: the whole account. */
  costTag?: { key: string; value: pulumi.Input<string> };
  /** SNS topic that receives every budget notification (its policy must let budgets.amazonaws.com publish). Required. */
  topicArn: pulumi.Input<string>;
  /** Addresses also notified directly by Budgets, a safety net if SNS delivery fails. Default none. */
  emails?: pulumi.Input<string>[];
  /** ACTUAL spend warning, percent of the limit; a second ACTUAL alert always fires at 100%. Default 80. */
  actualWarningPercent?: number;
  /** FORECASTED spend alert, percent of the limit. Default 100. */
  forecastPercent?: number;
  /** Budget name (unique in the account). Default: generated from the component name. */
  budgetName?: pulumi.Input<string>;
  /** Daily email of cost anomalies of at least this many USD (tag-scoped custom monitor); 0 = none. Default 0. */
  anomalyAlertUsd?: number;
}

/**
 * The monthly AWS Budget of one stack, with ACTUAL and FORECASTED notifications to the alert topic
 * (and optionally straight to email), plus an optional Cost Anomaly Detection monitor scoped to the
 * same tag. Every stack has one, whether or not it owns the account baseline.
 *
 * Budgets and Cost Explorer are global services: these resources take no region. A tag filter
 * only counts costs once the tag is activated as a cost allocation tag (the baseline owner stack
 * does that; activation and tagged cost data can take up to a day to appear).
 */
export class StackBudget extends pulumi.ComponentResource {
  /** Name of the budget. */
  public readonly budgetName: pulumi.Output<string>;
  /** ARN of the anomaly monitor, or "" when there is none. */
  public readonly anomalyMonitorArn: pulumi.Output<string>;

  constructor(name: string, args: StackBudgetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mpto:baseline:StackBudget", name, {}, opts);

    const warning = args.actualWarningPercent ?? STACK_BUDGET_DEFAULTS.actualWarningPercent;
    const forecast = args.forecastPercent ?? STACK_BUDGET_DEFAULTS.forecastPercent;
    for (const [label, value] of [["actualWarningPercent", warning], ["forecastPercent", forecast]] as const) {
      if (!Number.isInteger(value) || value < 1 || value > 1000) throw new Error(`StackBudget ${name}: ${label} must be a whole percentage from 1 to 1000, got ${value}`);
    }
    const subscribers = { subscriberSnsTopicArns: [args.topicArn], subscriberEmailAddresses: args.emails?.length ? args.emails : undefined };
    const notification = (notificationType: "ACTUAL" | "FORECASTED", threshold: number) => ({
      notificationType,
      comparisonOperator: "GREATER_THAN",
      threshold,
      thresholdType: "PERCENTAGE",
      ...subscribers,
    });
    const actualThresholds = [...new Set([warning, 100])].sort((a, b) => a - b);

    const budget = new aws.budgets.Budget(
      `${name}-budget`,
      {
        name: args.budgetName,
        budgetType: "COST",
        timeUnit: "MONTHLY",
        limitAmount: pulumi.output(args.limitUsd).apply((usd) => usd.toFixed(2)),
        limitUnit: "USD",
        costFilters: args.costTag ? [{ name: "TagKeyValue", values: [pulumi.interpolate`user:${args.costTag.key}$${args.costTag.value}`] }] : undefined,
        notifications: [...actualThresholds.map((t) => notification("ACTUAL", t)), notification("FORECASTED", forecast)],
      },
      { parent: this },
    );

    let anomalyMonitorArn: pulumi.Output<string> = pulumi.output("");
    const anomalyUsd = args.anomalyAlertUsd ?? STACK_BUDGET_DEFAULTS.anomalyAlertUsd;
    if (anomalyUsd > 0) {
      if (!args.emails?.length) throw new Error(`StackBudget ${name}: anomalyAlertUsd needs at least one email (daily summaries go to email only)`);
      const monitor = new aws.costexplorer.AnomalyMonitor(
        `${name}-anomaly-monitor`,
        {
          monitorType: "CUSTOM",
          // A custom monitor scoped to the stack's tag: one per stack, unlike the account's single
          // DIMENSIONAL (per-service) monitor.
          // Written exactly as the provider reads it back, or every update replaces the monitor: the
          // attribute is ForceNew and compared as JSON with reflect.DeepEqual after the read marshals
          // AWS's Expression struct, which spells out every unset field as null (terraform-provider-aws
          // internal/service/ce/anomaly_monitor.go Read; internal/verify/json.go SuppressEquivalentJSONDiffs).
          // The plan's read-back check (tools/plan/readBack.ts) holds this form.
          monitorSpecification: args.costTag
            ? pulumi.jsonStringify({ ...EXPRESSION_UNSET, Tags: { Key: args.costTag.key, MatchOptions: ["EQUALS"], Values: [args.costTag.value] } })
            : pulumi.jsonStringify({ ...EXPRESSION_UNSET, Dimensions: { Key: "LINKED_ACCOUNT", MatchOptions: ["EQUALS"], Values: [aws.getCallerIdentityOutput({}, { parent: this }).accountId] } }),
        },
        { parent: this },
      );
      new aws.costexplorer.AnomalySubscription(
        `${name}-anomaly-alerts`,
        {
          frequency: "DAILY", // daily summaries go to email; IMMEDIATE would need an SNS subscriber
          monitorArnLists: [monitor.arn],
          subscribers: args.emails.map((address) => ({ type: "EMAIL", address })),
          thresholdExpression: { dimension: { key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE", matchOptions: ["GREATER_THAN_OR_EQUAL"], values: [String(anomalyUsd)] } },
        },
        { parent: this },
      );
      anomalyMonitorArn = monitor.arn;
    }

    this.budgetName = budget.name;
    this.anomalyMonitorArn = anomalyMonitorArn;
    this.registerOutputs({ budgetName: this.budgetName, anomalyMonitorArn: this.anomalyMonitorArn });
  }
}
