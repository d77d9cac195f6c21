import type { CostSection } from "./cost";
import { confidenceSummary, formatQuantity, money, percent } from "./cost";
import { CHANGE_ORDER, countsLine, PlanChanges, signedUsd } from "./diff";
import { GraphSection, renderMermaid } from "./graph";
import { OutputsSection, recordLine, showValue } from "./outputs";
import type { PlanResult } from "./plan";
import { CHANGE_MARK, displayType, renderSummary } from "./render";

/**
 * `--format markdown`: the plan as a pull-request comment (GitHub-flavoured Markdown), in the order
 * a reviewer reads it: the summary line, what changes (against `--base`), policy results, cost and
 * its change, a Mermaid diagram of the components (GitHub renders ```mermaid blocks), the outputs.
 * Long parts sit in <details>. Pure and deterministic. GitHub limits a comment to 65,536 characters:
 * tables are cut at `MAX_ROWS` rows with a count of the rest.
 */

export const MAX_ROWS = 60;
/** First line of every comment: the workflow finds and updates its own comment by it. */
export const commentMarker = (project: string, stack: string) => `<!-- offline-plan:${project}/${stack} -->`;

/** Text inside a table cell: no pipes or newlines, inline code kept short. */
export function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}
/** Inline code of a value as JSON (strings quoted, so "" and absent differ). */
const code = (value: unknown, max = 80) => literal(value === undefined ? "(none)" : showValue(JSON.stringify(value), max));
/** Inline code of a text as it is. */
const literal = (text: string) => `\`${cell(text).replace(/`/g, "'")}\``;

function changeSection(changes: PlanChanges | undefined): string[] {
  if (!changes) return ["### Changes", "", "_No base plan given (`--base`): every resource below is as planned, not compared._", ""];
  const out = ["### Changes", "", `Against \`${cell(changes.base.file)}\`: **${countsLine(changes.counts)}**.`, ""];
  const rows = changes.resources;
  if (!rows.length) return [...out, "_No resource changes._", ""];
  out.push("| | resource | type | what changes |", "| --- | --- | --- | --- |");
  for (const r of rows.slice(0, MAX_ROWS)) {
    const details = r.changes.slice(0, 6).map((c) => `${literal(c.path)}: ${code(c.old)} → ${code(c.new)}${c.replaces ? ` **(replaces: ${cell(c.replaces.reason)})**` : ""}`);
    if (r.changes.length > 6) details.push(`${r.changes.length - 6} more`);
    for (const w of r.warnings) details.push(`⚠️ ${cell(w)}`);
    out.push(`| \`${CHANGE_MARK[r.kind].trim()}\` ${r.kind} | \`${cell(r.name)}\` | ${cell(displayType(r.type))} | ${details.join("<br>") || "—"} |`);
  }
  if (rows.length > MAX_ROWS) out.push(`| | ${rows.length - MAX_ROWS} more | | |`);
  out.push("");
  return out;
}

function policySection(result: PlanResult, changes: PlanChanges | undefined): string[] {
  const s = result.summary;
  const out = ["### Policy results", "", `${s.mandatory ? "❌" : "✅"} ${result.policyPack.name}@v${result.policyPack.version}: ${s.policiesRun} policies, ${s.mandatory} mandatory violation${s.mandatory === 1 ? "" : "s"}, ${s.advisory} advisory${changes ? ` (${changes.policy.new.length} new, ${changes.policy.gone.length} gone since the base)` : ""}.`, ""];
  const byUrn = new Map(result.resources.map((r) => [r.urn, r]));
  const isNew = new Set(changes?.policy.new ?? []);
  const rows = [...result.diagnostics.map((d) => ({ d, status: changes ? (isNew.has(d) ? "new" : "still") : "" })), ...(changes?.policy.gone ?? []).map((d) => ({ d, status: "gone" }))];
  if (!rows.length) return out;
  out.push(`| level | policy | resource | message |${changes ? " since base |" : ""}`, `| --- | --- | --- | --- |${changes ? " --- |" : ""}`);
  for (const { d, status } of rows.slice(0, MAX_ROWS)) {
    const r = d.urn ? byUrn.get(d.urn) : undefined;
    const where = r ? `${displayType(r.type)}: ${r.name}` : d.urn ? d.urn.split("::").pop()! : "stack";
    out.push(`| ${d.enforcementLevel} | \`${d.policyName}\` | ${cell(where)} | ${cell(d.message.split("\n")[0])} |${changes ? ` ${status} |` : ""}`);
  }
  if (rows.length > MAX_ROWS) out.push(`| | ${rows.length - MAX_ROWS} more | | |${changes ? " |" : ""}`);
  out.push("");
  return out;
}

function costSectionMd(cost: CostSection | undefined, changes: PlanChanges | undefined): string[] {
  if (!cost) return [];
  const x = cost.expected;
  const delta = changes?.cost;
  const d = (v: { delta: number } | null | undefined) => (changes ? ` | ${v ? signedUsd(v.delta) : "n/a"}` : "");
  const out = [
    "### Cost per month",
    "",
    `| | USD${changes ? " | change |" : " |"}`,
    `| --- | --- |${changes ? " --- |" : ""}`,
    `| list price (what the billing policies check) | **${money(cost.totalMonthlyUsd)}**${d(delta?.list)} |`,
    `| expected bill after always-free allowances | **${money(x.monthlyUsd)}**${d(delta?.expected)} |`,
    `| AWS Budget (\`mpto:monthlyBudgetUsd\`) | ${cost.budgetUsd === null ? "not set" : `${money(cost.budgetUsd)}${x.shareOfBudget === null ? "" : ` (expected: ${percent(x.shareOfBudget)})`}`} |${changes ? " |" : ""}`,
    "",
    `Fixed ${money(cost.fixedMonthlyUsd)}${cost.maxFixedMonthlyUsd === null ? "" : ` (ceiling ${money(cost.maxFixedMonthlyUsd)})`}, usage ${money(cost.usageMonthlyUsd)}; prices of ${cost.priceTableDate}. By price confidence: ${cell(confidenceSummary(cost))}.`,
    "",
    `Free allowances counted account-wide — account: ${cell(x.accountStacks.join(" + "))}; ${cell(x.accountBasis)}${x.share < 1 ? `, so this stack claims ${percent(x.share)} of each` : ""}. Credited ${money(x.freeUsd)} (allowances of ${x.freeTierDate}; no 12-month or trial offers).`,
    "",
  ];
  if (delta?.items.length) {
    out.push("| cost item | before | after | change |", "| --- | --- | --- | --- |");
    for (const i of delta.items.slice(0, 20)) out.push(`| ${cell(`${i.name}: ${i.item}`)} | ${money(i.old)} | ${money(i.new)} | ${signedUsd(i.delta)} |`);
    if (delta.items.length > 20) out.push(`| ${delta.items.length - 20} more | | | |`);
    out.push("");
  }
  const credited = x.credits.filter((c) => c.creditedUsd > 0);
  if (credited.length) {
    out.push("<details><summary>Free allowances credited</summary>", "", "| allowance | used | claimable here | credited |", "| --- | --- | --- | --- |");
    for (const c of credited) out.push(`| ${cell(c.item)} | ${formatQuantity(c.used)} ${cell(c.unit)} | ${formatQuantity(c.claimable)} | ${money(c.creditedUsd)} |`);
    out.push("", "</details>", "");
  }
  return out;
}

function diagramSection(result: PlanResult, graph: GraphSection | undefined, changes: PlanChanges | undefined): string[] {
  if (!graph?.nodes.length) return [];
  // A component is marked with the strongest change among the resources inside it (deleted ones are not in this plan's tree).
  const marks: Record<string, "create" | "update" | "replace" | "delete"> = {};
  const nodes = new Set(graph.nodes.map((n) => n.urn));
  const parentOf = new Map(result.resources.map((r) => [r.urn, r.parent]));
  for (const c of changes?.resources ?? []) {
    let owner: string | undefined = c.urn;
    while (owner && !nodes.has(owner)) owner = parentOf.get(owner);
    if (!owner) continue;
    const current = marks[owner];
    if (!current || CHANGE_ORDER.indexOf(c.kind) < CHANGE_ORDER.indexOf(current)) marks[owner] = c.kind;
  }
  return ["### Components", "", "Solid arrows: a component uses another's resource (an ARN or name in its inputs); dotted: contains.", "", "```mermaid", ...renderMermaid(graph, marks), "```", ""];
}

function outputsSectionMd(outputs: OutputsSection | undefined, changes: PlanChanges | undefined): string[] {
  if (!outputs) return [];
  const names = Object.keys(outputs.values);
  const out = ["### Outputs", ""];
  if (outputs.actions.length) {
    out.push("To act on after the deploy:", "");
    for (const a of outputs.actions) out.push(`- \`${a.output}\`: ${cell(a.action)}`);
    out.push("");
  }
  const changed = new Set((changes?.outputs ?? []).map((o) => o.name));
  out.push(`<details><summary>${names.length} stack outputs (as the program returns them under mocks; ids and ARNs are the mock's)${changed.size ? `, ${changed.size} changed` : ""}</summary>`, "", "| output | value |", "| --- | --- |");
  for (const name of names) {
    const value = outputs.values[name];
    const shownValue = Array.isArray(value) && value.length && value.every((v) => v && typeof v === "object") ? value.map((v) => `\`${cell(recordLine(v as Record<string, unknown>)).replace(/`/g, "'")}\``).join("<br>") : code(value, 120);
    out.push(`| \`${name}\`${changed.has(name) ? " (changed)" : ""} | ${shownValue} |`);
  }
  out.push("", "</details>", "");
  return out;
}

/**
 * Sections other plan extensions print (e.g. "Before the first deploy"), as their text in <details>:
 * the comment carries everything the text output does. Cost and outputs have their own tables above.
 */
function otherSections(result: PlanResult): string[] {
  const out: string[] = [];
  for (const lines of result.sectionLines ?? []) {
    if (!lines.length || /^(Cost estimate|Outputs)\b/.test(lines[0])) continue;
    out.push(`<details><summary>${cell(lines[0].replace(/:$/, ""))}</summary>`, "", "```text", ...lines.slice(1).map((l) => l.replace(/`{3,}/g, "'")), "```", "", "</details>", "");
  }
  return out;
}

export function renderMarkdown(result: PlanResult, changes?: PlanChanges): string {
  const s = result.summary;
  const verdict = s.mandatory ? `❌ ${s.mandatory} mandatory violation${s.mandatory === 1 ? "" : "s"}` : "✅ no mandatory violations";
  const head = changes ? `${countsLine(changes.counts)}` : `${s.resources} resources, not compared with a base`;
  const out = [
    commentMarker(result.project, result.stack),
    `## Offline plan: ${result.project}/${result.stack} — ${verdict}`,
    "",
    `**${head}** · ${cell(renderSummary(result))}`,
    "",
    ...changeSection(changes),
    ...policySection(result, changes),
    ...costSectionMd(result.sections.cost as CostSection | undefined, changes),
    ...diagramSection(result, result.sections.graph as GraphSection | undefined, changes),
    ...outputsSectionMd(result.sections.outputs as OutputsSection | undefined, changes),
    ...otherSections(result),
    `<sub>Offline plan: the program under Pulumi's mock runtime with Pulumi.${result.stack}.yaml, judged by the policy pack over the analyzer protocol; nothing was read from or sent to AWS. A real \`pulumi preview\` also runs the provider's own checks.</sub>`,
  ];
  return `${out.join("\n")}\n`;
}
