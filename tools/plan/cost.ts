import { readdirSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import { join } from "node:path";
import { CostedResource, CostLine, estimateCost, formatCostLines, PricingExemption } from "../../policies/billing/estimate";
import { creditFreeTier, FREE_TIER_DATE, FreeTierCredit } from "../../policies/billing/freeTier";
import { PRICES } from "../../policies/billing/prices";
import { configuredBudget } from "../../policies/billing/policies";
import { UsageProfile, usageProfile } from "../../policies/billing/usage";
import type { ResolvedPolicyConfig, StackContext } from "./analyzer";
import type { MockRunResult } from "../mocks/runtime";
import { projectName } from "../mocks/stackFile";

/**
 * The plan's "Cost estimate" section, read as a budget owner reads a bill: the same `estimateCost`
 * the billing policies run (outputs merged with inputs, as the stack policies see them), with the
 * usage profile and ceilings of the stack's policy config and the budget of its stack config.
 *
 * Two figures:
 *  - **list**: pay-as-you-go prices, no free tier. The ceiling the billing policies check.
 *  - **expected**: the list price less the always-free allowances (policies/billing/freeTier.ts)
 *    this stack may claim. Allowances are per account: when several stacks of the project share an
 *    account, each claims an equal share (see `accountStacks`). This is what the AWS Budget
 *    (tag-scoped to the stack) should see.
 * Beside the total: how much of it rests on unconfirmed prices, naming the items to check.
 * `--json` gets it under `sections.cost`.
 */

const ROOT = join(__dirname, "..", "..");

export interface CostLineWithFree extends CostLine {
  /** Part of the line covered by this stack's share of an always-free allowance. */
  freeUsd: number;
}

export interface CostSection {
  priceTableDate: string;
  currency: string;
  fixedMonthlyUsd: number;
  usageMonthlyUsd: number;
  /** The list price (no free tier): what the billing policies compare with their limits. */
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
  /** The bill to expect after the always-free allowances this stack may claim. */
  expected: {
    monthlyUsd: number;
    freeUsd: number;
    freeTierDate: string;
    /** Stacks of this project taken to share the AWS account (this one included). */
    accountStacks: string[];
    /** Share of each account-wide allowance claimed here (1 / accountStacks.length). */
    share: number;
    /** How the account was worked out. */
    accountBasis: string;
    credits: FreeTierCredit[];
    /** Expected bill / budget (null without a budget). */
    shareOfBudget: number | null;
  };
  /** The part of the list price that rests on unconfirmed prices, and the items to check first. */
  unconfirmed: { monthlyUsd: number; shareOfTotal: number; check: { priceId: string; item: string; monthlyUsd: number; source: string }[] };
  profile: UsageProfile;
  unpriced: string[];
  /** Unpriced items the policy config exempts (billing-unpriced-resources.exemptions), each with its reason. */
  exempted: string[];
  /** One line per cost item, in the order the estimate produces them (stack-wide lines have no urn). */
  lines: CostLineWithFree[];
}

export function costedFromRun(run: MockRunResult): CostedResource[] {
  return run.resources
    .filter((r) => r.custom && r.type.startsWith("aws:"))
    .map((r) => ({ urn: r.urn, type: r.type, name: r.name, props: { ...r.outputs, ...r.inputs }, region: r.region ?? "eu-west-2" }));
}

const OWNER_KEY = "mpto:accountBaselineOwner";

/**
 * Which of the project's stacks share this stack's AWS account, from the stack files: exactly one
 * stack per account owns the account baseline (`mpto:accountBaselineOwner`, components/baseline/config.ts),
 * so a stack that does not own it lives in an owner's account. With one owner, every stack shares
 * its account; with none, they are taken to share one; with several owners, each owner is alone
 * unless stacks without the baseline exist, which cannot be placed — then every stack is counted
 * (the smallest share, never an over-credit). Stacks of another project (the organization program)
 * have their own account.
 */
export function accountStacks(stack: string, project: string, root = ROOT): { stacks: string[]; basis: string } {
  let files: string[];
  try {
    files = readdirSync(root).filter((f) => /^Pulumi\.[A-Za-z0-9_.-]+\.yaml$/.test(f));
  } catch {
    files = [];
  }
  const owners: string[] = [];
  const others: string[] = [];
  let rootProject: string | undefined;
  try {
    // The top-level `name:` line is enough here (a full parse of the generated Pulumi.yaml costs ~50 ms).
    rootProject = /^name:\s*["']?([^"'\s#]+)/m.exec(readFileSync(join(root, "Pulumi.yaml"), "utf8"))?.[1] ?? projectName(root);
  } catch {
    rootProject = undefined;
  }
  // Stack files of another project (the organization program has its own folder) have their own account.
  if (rootProject !== project) files = [];
  for (const file of files.sort()) {
    const name = file.slice("Pulumi.".length, -".yaml".length);
    let config: Record<string, unknown>;
    try {
      config = ((parse(readFileSync(join(root, file), "utf8")) ?? {}) as { config?: Record<string, unknown> }).config ?? {};
    } catch {
      continue;
    }
    const owner = config[OWNER_KEY] ?? config["accountBaselineOwner"];
    (owner === true || owner === "true" ? owners : others).push(name);
  }
  const all = [...owners, ...others].sort();
  if (!all.includes(stack)) return { stacks: [stack], basis: "its own account: no other stack file of this project" };
  if (owners.length === 1) return { stacks: all, basis: all.length === 1 ? "its own account" : `one account: ${owners[0]} owns the account baseline, ${others.join(", ")} ${others.length === 1 ? "uses" : "use"} it` };
  if (owners.length === 0) return { stacks: all, basis: "no stack owns an account baseline: taken as one shared account" };
  if (others.length === 0) return { stacks: [stack], basis: "its own account: every stack owns its account's baseline (mpto:accountBaselineOwner), one per account" };
  return { stacks: all, basis: `several baseline owners (${owners.join(", ")}) and stacks without one (${others.join(", ")}): allowances split over every stack` };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function costSection(run: MockRunResult, context: StackContext, policyConfig: Record<string, ResolvedPolicyConfig>, root = ROOT): CostSection {
  const estimateConfig = policyConfig["monthly-cost-estimate"]?.properties ?? {};
  const ceilingConfig = policyConfig["monthly-fixed-cost-ceiling"]?.properties ?? {};
  const profile = usageProfile(estimateConfig.usage as Partial<UsageProfile> | undefined);
  // The same exemptions the billing-unpriced-resources policy applies (its config), so the plan lists what they hide.
  const exemptions = (policyConfig["billing-unpriced-resources"]?.properties?.exemptions ?? []) as PricingExemption[];
  const e = estimateCost(costedFromRun(run), profile, PRICES, { exemptions });
  // The same reading as the billing policies: the stacks' mpto:monthlyBudgetUsd or the organization program's own key.
  const rawBudget = Number(configuredBudget(context.config));
  const budgetUsd = Number.isFinite(rawBudget) && rawBudget > 0 ? rawBudget : null;
  const share = typeof estimateConfig.maxShareOfBudget === "number" ? estimateConfig.maxShareOfBudget : 1;
  const ceiling = typeof ceilingConfig.maxFixedMonthlyUsd === "number" ? ceilingConfig.maxFixedMonthlyUsd : null;

  const account = accountStacks(context.stack, context.project, root);
  const free = creditFreeTier(e.lines, 1 / account.stacks.length);
  const lines = e.lines.map((l, i) => ({ ...l, freeUsd: free.freeUsdByLine[i] }));
  const expectedUsd = round2(Math.max(0, e.totalMonthlyUsd - free.totalCreditedUsd));

  const unconfirmedByPrice = new Map<string, number>();
  for (const l of e.lines) if (l.confidence === "unconfirmed" && l.monthlyUsd > 0) unconfirmedByPrice.set(l.priceId, (unconfirmedByPrice.get(l.priceId) ?? 0) + l.monthlyUsd);
  const check = [...unconfirmedByPrice.entries()]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([priceId, usd]) => {
      // Instance-class rates (billing/hourly.ts) are not keys of PRICES: their line carries item and source.
      const line = e.lines.find((l) => l.priceId === priceId)!;
      const entry = PRICES[priceId as keyof typeof PRICES] ?? { item: line.item, source: line.source ?? "policies/billing/hourly.ts" };
      const regional = e.lines.find((l) => l.priceId === priceId && l.priceRegion && l.confidence === "unconfirmed");
      const source = regional?.priceRegion ? entry.regional?.[regional.priceRegion]?.source ?? entry.source : entry.source;
      return { priceId, item: `${entry.item}${regional?.priceRegion ? ` (${regional.priceRegion})` : ""}`, monthlyUsd: round2(usd), source };
    });

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
    expected: {
      monthlyUsd: expectedUsd,
      freeUsd: free.totalCreditedUsd,
      freeTierDate: FREE_TIER_DATE,
      accountStacks: account.stacks,
      share: Math.round((1 / account.stacks.length) * 1e6) / 1e6,
      accountBasis: account.basis,
      credits: free.credits,
      shareOfBudget: budgetUsd === null ? null : Math.round((expectedUsd / budgetUsd) * 1000) / 1000,
    },
    unconfirmed: {
      monthlyUsd: e.byConfidence.unconfirmed,
      shareOfTotal: e.totalMonthlyUsd > 0 ? Math.round((e.byConfidence.unconfirmed / e.totalMonthlyUsd) * 1000) / 1000 : 0,
      check,
    },
    profile,
    unpriced: e.unpriced,
    exempted: e.exempted.map((x) => `${x.name}${x.type ? ` (${x.type})` : ""}: ${x.reason}; exempted: ${x.exemption}`),
    lines,
  };
}

export const money = (n: number) => `$${n.toFixed(2)}`;
export const percent = (fraction: number) => `${Math.round(fraction * 100)}%`;

/** "official $x, secondary $y, unconfirmed $z (n% of the total: check a, b)". */
export function confidenceSummary(section: CostSection, names = 3): string {
  const u = section.unconfirmed;
  const items = u.check.slice(0, names).map((c) => `${c.item} ${money(c.monthlyUsd)}`);
  const more = u.check.length > names ? `, ${u.check.length - names} more` : "";
  return `official ${money(section.byConfidence.official)}, secondary ${money(section.byConfidence.secondary)}, unconfirmed ${money(u.monthlyUsd)} (${percent(u.shareOfTotal)} of the list price${items.length ? `; check: ${items.join(", ")}${more}` : ""})`;
}

export function costLines(section: CostSection, top = 12): string[] {
  const verdict = (ok: boolean | null) => (ok === null ? "" : ok ? "  ✔" : "  ✖");
  const budget =
    section.budgetUsd === null
      ? "  (no mpto:monthlyBudgetUsd to compare with)"
      : `  (budget ${money(section.budgetUsd)}${section.maxShareOfBudget < 1 ? `, ${percent(section.maxShareOfBudget)} = ${money(section.budgetUsd * section.maxShareOfBudget)}` : ""})${verdict(section.withinBudget)}`;
  const x = section.expected;
  const lines = [
    `Cost estimate (USD per month, prices of ${section.priceTableDate}; usage profile from the policy config):`,
    `    list price  ${money(section.totalMonthlyUsd).padStart(9)}${budget}`,
    `      fixed     ${money(section.fixedMonthlyUsd).padStart(9)}${section.maxFixedMonthlyUsd === null ? "" : `  (ceiling ${money(section.maxFixedMonthlyUsd)})${verdict(section.withinFixedCeiling)}`}`,
    `      usage     ${money(section.usageMonthlyUsd).padStart(9)}`,
    `    expected    ${money(x.monthlyUsd).padStart(9)}  after ${money(x.freeUsd)} of always-free allowances${x.shareOfBudget === null ? "" : `; ${percent(x.shareOfBudget)} of the ${money(section.budgetUsd!)} AWS Budget`}`,
    `      account: ${x.accountStacks.join(" + ")}; ${x.accountBasis}${x.share < 1 ? `; this stack claims ${x.share === 0.5 ? "half" : percent(x.share)} of each allowance` : ""}`,
    ...x.credits.filter((c) => c.creditedUsd > 0).map((c) => `      free: ${c.item}: ${formatQuantity(c.credited)} of ${formatQuantity(c.claimable)} ${c.unit} claimable, ${money(c.creditedUsd)}`),
    `    by price confidence: ${confidenceSummary(section)}`,
    "    largest items (list price):",
    ...formatCostLines(section.lines, top).map((l) => `      ${l}`),
  ];
  if (section.unpriced.length) lines.push("    not priced:", ...section.unpriced.map((u) => `      ${u}`));
  if (section.exempted.length) lines.push("    not priced, exempted in the policy config:", ...section.exempted.map((u) => `      ${u}`));
  return lines;
}

export function formatQuantity(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString("en-GB") : n >= 100 ? Math.round(n).toLocaleString("en-GB") : n >= 1 ? n.toFixed(2) : String(Number(n.toPrecision(2)));
}

/** The plan extension (registered in plan.ts). */
export function costExtension(run: MockRunResult, context: StackContext, policyConfig: Record<string, ResolvedPolicyConfig>): { key: string; value: unknown; lines: string[] } {
  const section = costSection(run, context, policyConfig);
  return { key: "cost", value: section, lines: costLines(section) };
}
