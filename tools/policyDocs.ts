/**
 * `npm run policies:docs`: renders the generated parts of policies/README.md from the pack itself
 * (policy catalog, per-stack policy config, coverage table, price table). Between the markers
 * `<!-- BEGIN GENERATED: <name> -->` and `<!-- END GENERATED: <name> -->`; the rest is prose.
 * test/policies/coverage.spec.ts fails when the README is out of date.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Policy } from "@pulumi/policy";
import { allClassPrices } from "../policies/billing/hourly";
import { PRICE_TABLE_DATE, PRICES } from "../policies/billing/prices";
import { families } from "../policies/catalog";
import { COVERAGE } from "../policies/coverage";
import type { PolicyInfo, ResolvedPolicyConfig } from "./plan/analyzer";
import { readPolicyConfigFile, resolvePolicyConfig } from "./plan/policyConfig";

export const ROOT = join(__dirname, "..");
export const README = join(ROOT, "policies", "README.md");
export const STACKS = ["dev", "prod"] as const;

/** What GetAnalyzerInfo reports for each policy of the catalog (the pack's level is mandatory). */
export function policyInfos(): PolicyInfo[] {
  return Object.values(families)
    .flat()
    .map((p: Policy) => ({ name: p.name, description: p.description, enforcementLevel: p.enforcementLevel ?? "mandatory", configSchema: p.configSchema }));
}

/** The config each stack's policy config file resolves to (levels, properties with defaults). */
export function resolvedConfigs(): Record<(typeof STACKS)[number], Record<string, ResolvedPolicyConfig>> {
  const infos = policyInfos();
  const out = {} as Record<(typeof STACKS)[number], Record<string, ResolvedPolicyConfig>>;
  for (const stack of STACKS) {
    const file = join(ROOT, "policies", "config", `${stack}.json`);
    out[stack] = resolvePolicyConfig(infos, readPolicyConfigFile(file), `policies/config/${stack}.json`);
  }
  return out;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function levels(name: string, configs: ReturnType<typeof resolvedConfigs>): string {
  const [dev, prod] = STACKS.map((s) => configs[s][name]?.enforcementLevel ?? "?");
  return dev === prod ? dev : `dev ${dev}, prod ${prod}`;
}

export function renderPolicies(configs = resolvedConfigs()): string {
  const lines: string[] = [];
  for (const [family, policies] of Object.entries(families)) {
    lines.push(`**${family}**`, "", "| Policy | Kind | Level | What it checks |", "|---|---|---|---|");
    for (const p of policies) {
      const kind = "validateStack" in p ? "stack" : "resource";
      lines.push(`| \`${p.name}\` | ${kind} | ${levels(p.name, configs)} | ${cell(p.description)} |`);
    }
    lines.push("");
  }
  return lines.join("\n").trimEnd();
}

export function renderCoverage(configs = resolvedConfigs()): string {
  const lines = ["| Rule | Catalogue | Meaning | Status | Policy | Level | Notes |", "|---|---|---|---|---|---|---|"];
  for (const row of COVERAGE) {
    const policy = row.policy ? `\`${row.policy}\`` : "";
    const level = row.policy ? levels(row.policy, configs) : "";
    const rule = row.source ? `[${cell(row.rule)}](${row.source})` : cell(row.rule);
    lines.push(`| ${rule} | ${cell(row.catalogue)} | ${cell(row.meaning)} | ${row.status} | ${policy} | ${level} | ${cell(row.note ?? "")} |`);
  }
  const count = (s: string) => COVERAGE.filter((r) => r.status === s).length;
  lines.push(
    "",
    `${COVERAGE.length} rules: ${count("covered")} covered, ${count("partial")} partial, ${count("nominal")} nominal (a policy, but advisory or switched off in both stacks), ${count("not-adopted")} not adopted, ${count("not-applicable")} not applicable.`,
  );
  return lines.join("\n");
}

export function renderPrices(): string {
  const lines = [`Prices of ${PRICE_TABLE_DATE} (USD; policies/billing/prices.ts).`, "", "| Id | Item | Unit | USD | Region | Confidence | Source |", "|---|---|---|---|---|---|---|"];
  const rows = [...Object.entries(PRICES), ...allClassPrices().map((c) => [c.id, c.entry] as const)];
  for (const [id, p] of rows) {
    lines.push(`| \`${id}\` | ${cell(p.item)} | ${cell(p.unit)} | ${p.usd} | ${p.region} | ${p.confidence} | ${cell(p.source)}${p.note ? ` (${cell(p.note)})` : ""} |`);
  }
  return lines.join("\n");
}

export function renderReadme(current: string, configs = resolvedConfigs()): string {
  const sections: Record<string, string> = { policies: renderPolicies(configs), coverage: renderCoverage(configs), prices: renderPrices() };
  let out = current;
  for (const [name, body] of Object.entries(sections)) {
    const pattern = new RegExp(`(<!-- BEGIN GENERATED: ${name} -->\\n)[\\s\\S]*?(<!-- END GENERATED: ${name} -->)`);
    if (!pattern.test(out)) throw new Error(`policies/README.md has no markers for the generated section '${name}'`);
    out = out.replace(pattern, (_m, begin: string, end: string) => `${begin}${body}\n${end}`);
  }
  return out;
}

if (require.main === module) {
  const current = readFileSync(README, "utf8");
  const next = renderReadme(current);
  if (next !== current) writeFileSync(README, next);
  console.log(next === current ? "policies/README.md is up to date" : "policies/README.md updated");
}
