import { CostedResource, CostLine, estimateCost, formatCostLines } from "../../policies/billing/estimate";
import { PRICES } from "../../policies/billing/prices";
import { BUDGET_CONFIG_KEY, configuredBudget } from "../../policies/billing/policies";
import { UsageProfile, usageProfile } from "../../policies/billing/usage";
import type { ResolvedPolicyConfig, StackContext } from "./analyzer";
import type { MockRunResult } from "./mockRuntime";

/**
 * The plan's "Cost estimate" section: the same `estimateCost` the billing policies run, on the
 * resources the program declared (outputs merged with inputs, as the stack policies see them),
 * with the usage profile and ceilings of the stack's policy config and the budget of its stack
 * config. `--json` gets it under `sections.cost`.
 */

export interface CostSection {
  priceTableDate: string;
  currency: string;
  fixedMonthlyUsd: number;
  usageMonthlyUsd: number;
  totalMonthlyUsd: number;
  byConfidence: Record<string, number>;
  /** Stack config mpto:monthlyBudgetUsd (null when unset). */
  budgetUsd: number | null;
  /** Share of the budget the estimate may use (policy config of monthly-cost-estimate). */
  maxShareOfBudget: number;
  /** Fixed-cost ceiling (policy config of monthly-fixed-cost-ceiling). */
  maxFixedMonthlyUsd: number | null;
  withinBudget: boolean | null;
  withinFixedCeiling: boolean | null;
  profile: UsageProfile;
  unpriced: string[];
  /** One line per cost item, in the order the estimate produces them (stack-wide lines have no urn). */
  lines: CostLine[];
}

export function costedFromRun(run: MockRunResult): CostedResource[] {
  return run.resources
    .filter((r) => r.custom && r.type.startsWith("aws:"))
    .map((r) => ({ urn: r.urn, type: r.type, name: r.name, props: { ...r.outputs, ...r.inputs }, region: r.region ?? "eu-west-2" }));
}

export function costSection(run: MockRunResult, context: StackContext, policyConfig: Record<string, ResolvedPolicyConfig>): CostSection {
  const estimateConfig = policyConfig["monthly-cost-estimate"]?.properties ?? {};
  const ceilingConfig = policyConfig["monthly-fixed-cost-ceiling"]?.properties ?? {};
  const profile = usageProfile(estimateConfig.usage as Partial<UsageProfile> | undefined);
  const e = estimateCost(costedFromRun(run), profile, PRICES);
  const rawBudget = Number(configuredBudget(context.config));
  const budgetUsd = Number.isFinite(rawBudget) && rawBudget > 0 ? rawBudget : null;
  const share = typeof estimateConfig.maxShareOfBudget === "number" ? estimateConfig.maxShareOfBudget : 1;
  const ceiling = typeof ceilingConfig.maxFixedMonthlyUsd === "number" ? ceilingConfig.maxFixedMonthlyUsd : null;
  return {
    priceTableDate: e.priceTableDate,
    currency: e.currency,
    fixedMonthlyUsd: e.fixedMonthlyUsd,
    usageMonthlyUsd: e.usageMonthlyUsd,
    totalMonthlyUsd: e.totalMonthlyUsd,
    byConfidence: e.byConfidence,
    budgetUsd,
    maxShareOfBudget: share,
    maxFixedMonthlyUsd: ceiling,
    withinBudget: budgetUsd === null ? null : e.totalMonthlyUsd <= budgetUsd * share,
    withinFixedCeiling: ceiling === null ? null : e.fixedMonthlyUsd <= ceiling,
    profile,
    unpriced: e.unpriced,
    lines: e.lines,
  };
}

const money = (n: number) => `$${n.toFixed(2)}`;

export function costLines(section: CostSection, top = 12): string[] {
  const verdict = (ok: boolean | null) => (ok === null ? "" : ok ? "  ✔" : "  ✖");
  const budget =
    section.budgetUsd === null
      ? "  (no mpto:monthlyBudgetUsd to compare with)"
      : `  (budget ${money(section.budgetUsd)}${section.maxShareOfBudget < 1 ? `, ${Math.round(section.maxShareOfBudget * 100)}% = ${money(section.budgetUsd * section.maxShareOfBudget)}` : ""})${verdict(section.withinBudget)}`;
  const lines = [
    `Cost estimate (USD per month, prices of ${section.priceTableDate}, before free tiers; usage profile from the policy config):`,
    `    fixed  ${money(section.fixedMonthlyUsd).padStart(9)}${section.maxFixedMonthlyUsd === null ? "" : `  (ceiling ${money(section.maxFixedMonthlyUsd)})${verdict(section.withinFixedCeiling)}`}`,
    `    usage  ${money(section.usageMonthlyUsd).padStart(9)}`,
    `    total  ${money(section.totalMonthlyUsd).padStart(9)}${budget}`,
    `    by price confidence: official ${money(section.byConfidence.official)}, secondary ${money(section.byConfidence.secondary)}, unconfirmed ${money(section.byConfidence.unconfirmed)}`,
    "    largest items:",
    ...formatCostLines(section.lines, top).map((l) => `      ${l}`),
  ];
  if (section.unpriced.length) lines.push("    not priced:", ...section.unpriced.map((u) => `      ${u}`));
  return lines;
}

/** The plan extension (registered in plan.ts). */
export function costExtension(run: MockRunResult, context: StackContext, policyConfig: Record<string, ResolvedPolicyConfig>): { key: string; value: unknown; lines: string[] } {
  const section = costSection(run, context, policyConfig);
  return { key: "cost", value: section, lines: costLines(section) };
}
