import { z } from "zod";
import { MANAGED_GUARDDUTY_FEATURES as GUARDDUTY_FEATURES, ManagedGuardDutyFeature } from "./guardDutyFeatures";
import { type ConfigValues, fields, type StackOutputs } from "../shared/configField";
import type * as pulumi from "@pulumi/pulumi";
import { ACCOUNT_BASELINE_DEFAULTS, GUARDDUTY_SEVERITY, type AccountBaseline, type AccountBaselineArgs } from "./AccountBaseline";
import { STACK_BUDGET_DEFAULTS, type StackBudget, type StackBudgetArgs } from "./StackBudget";

/** The account baseline (one owner stack per account) and the budget every stack has. */
export const baselineFields = {
  accountBaselineOwner: fields.boolean({
    description:
      "This stack owns the account-wide baseline: CloudTrail, GuardDuty, cost allocation tags, the GitHub OIDC provider. Exactly one stack per AWS account. Default false.",
    default: false,
  }),
  cloudTrailLogRetentionDays: fields.integer({
    description: `Days CloudTrail log files are kept in their bucket before they expire (owner stack). Default ${ACCOUNT_BASELINE_DEFAULTS.logRetentionDays}.`,
    expected: "a whole number of days from 90 to 3650",
    min: 90,
    max: 3650,
    default: ACCOUNT_BASELINE_DEFAULTS.logRetentionDays,
  }),
  activateCostAllocationTags: fields.boolean({
    description:
      "Activate the required tag keys as cost allocation tags (owner stack, payer account). AWS accepts a key only after it has appeared in billing data (about a day after the first deploy). Default false.",
    default: false,
  }),
  guardDutyFeatures: fields.list<ManagedGuardDutyFeature>(z.enum(GUARDDUTY_FEATURES), `GuardDuty features (${GUARDDUTY_FEATURES.join(", ")})`, {
    description: `GuardDuty features to enable; the others are declared disabled (owner stack). Default [${ACCOUNT_BASELINE_DEFAULTS.guardDutyFeatures.join(", ")}].`,
    default: ACCOUNT_BASELINE_DEFAULTS.guardDutyFeatures,
  }),
  guardDutyAlertMinSeverity: fields.decimal({
    description: `GuardDuty findings of at least this severity (1-8.9; 7 = High) are sent to the alert topic (owner stack). Default ${ACCOUNT_BASELINE_DEFAULTS.findingAlertMinSeverity}.`,
    min: GUARDDUTY_SEVERITY.min,
    max: GUARDDUTY_SEVERITY.max,
    default: ACCOUNT_BASELINE_DEFAULTS.findingAlertMinSeverity,
  }),
  budgetActualWarningPercent: fields.integer({
    description: `Budget alert when actual spend reaches this percentage of monthlyBudgetUsd (a second alert fires at 100%). Default ${STACK_BUDGET_DEFAULTS.actualWarningPercent}.`,
    expected: "a whole number of percent from 1 to 99",
    min: 1,
    max: 99,
    default: STACK_BUDGET_DEFAULTS.actualWarningPercent,
  }),
  budgetForecastAlertPercent: fields.integer({
    description: `Budget alert when forecast spend reaches this percentage of monthlyBudgetUsd. Default ${STACK_BUDGET_DEFAULTS.forecastPercent}.`,
    expected: "a whole number of percent from 1 to 1000",
    min: 1,
    max: 1000,
    default: STACK_BUDGET_DEFAULTS.forecastPercent,
  }),
  costAnomalyAlertUsd: fields.integer({
    description: `Email a daily cost-anomaly summary for this stack's Environment tag when an anomaly's impact reaches this many USD; 0 = no anomaly monitor. Default ${STACK_BUDGET_DEFAULTS.anomalyAlertUsd}.`,
    expected: "a whole number of US dollars from 0 to 100000",
    min: 0,
    max: 100_000,
    default: STACK_BUDGET_DEFAULTS.anomalyAlertUsd,
  }),
};

/** The baseline section, and the stack-wide keys the budget and the baseline read (stacks/config/core.ts). */
export type BaselineConfig = ConfigValues<typeof baselineFields> & {
  readonly environment: string;
  readonly alertEmail: string;
  readonly monthlyBudgetUsd: number;
  readonly protectStatefulResources: boolean;
};

/** How the StackBudget reads its config: it counts only the stack's own Environment tag. */
export function stackBudgetArgs(c: BaselineConfig, topicArn: pulumi.Input<string>): StackBudgetArgs {
  return {
    limitUsd: c.monthlyBudgetUsd,
    costTag: { key: "Environment", value: c.environment },
    topicArn,
    emails: [c.alertEmail],
    actualWarningPercent: c.budgetActualWarningPercent,
    forecastPercent: c.budgetForecastAlertPercent,
    budgetName: `mpto-${c.environment}-monthly`,
    anomalyAlertUsd: c.costAnomalyAlertUsd,
  };
}

/** How the AccountBaseline reads its config; undefined unless this stack owns the account's baseline. `tagKeys` are the stack's required tag keys. */
export function accountBaselineArgs(
  c: BaselineConfig,
  topics: { alertTopicArn: pulumi.Input<string>; edgeAlertTopicArn: pulumi.Input<string> },
  tagKeys: readonly string[],
): AccountBaselineArgs | undefined {
  if (!c.accountBaselineOwner) return undefined;
  return {
    ...topics,
    trailName: "mpto-account-trail",
    logRetentionDays: c.cloudTrailLogRetentionDays,
    guardDutyFeatures: c.guardDutyFeatures,
    findingAlertMinSeverity: c.guardDutyAlertMinSeverity,
    costAllocationTagKeys: c.activateCostAllocationTags ? tagKeys : [],
    protect: c.protectStatefulResources,
  };
}

/** The stack outputs of the budget. */
export function budgetStackOutputs(budget: StackBudget): StackOutputs {
  return { budgetName: budget.budgetName };
}

/** The stack outputs of the account baseline. */
export function baselineStackOutputs(baseline: AccountBaseline): StackOutputs {
  return { cloudTrailArn: baseline.trailArn, cloudTrailBucketName: baseline.trailBucketName, guardDutyDetectorId: baseline.guardDutyDetectorId };
}
