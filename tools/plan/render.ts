import { countsLine, PlanChanges, ResourceChange, signedUsd } from "./diff";
import { showValue } from "./outputs";
import type { PlanResult, PlannedResource } from "./plan";

/** Human-readable and machine-readable renderings of a plan. Pure functions of the result (and of its changes against a base plan). */

/** `aws:s3/bucket:Bucket` -> `aws:s3:Bucket`, as `pulumi preview` shows types. */
export function displayType(type: string): string {
  const match = /^([^:]+):([^/:]+)\/[^:]+:(.+)$/.exec(type);
  return match ? `${match[1]}:${match[2]}:${match[3]}` : type;
}

function flags(r: PlannedResource): string {
  const out: string[] = [];
  if (r.options.protect) out.push("protected");
  if (r.options.retainOnDelete) out.push("retained on delete");
  return out.join(", ");
}

/** The marks `pulumi preview` puts before a resource: + create, ~ update, +- replace, - delete. */
export const CHANGE_MARK: Record<ResourceChange["kind"], string> = { create: "+ ", update: "~ ", replace: "+-", delete: "- " };

export function renderTree(result: PlanResult, changes?: PlanChanges): string[] {
  const kindOf = new Map((changes?.resources ?? []).map((c) => [c.urn, c.kind]));
  const mark = (urn: string) => (changes ? `${kindOf.has(urn) ? CHANGE_MARK[kindOf.get(urn)!] : "  "} ` : "");
  const children = new Map<string | undefined, PlannedResource[]>();
  const urns = new Set(result.resources.map((r) => r.urn));
  for (const r of result.resources) {
    const parent = r.parent && urns.has(r.parent) ? r.parent : undefined;
    const list = children.get(parent) ?? [];
    list.push(r);
    children.set(parent, list);
  }
  const rows: { tree: string; name: string; region: string; info: string }[] = [];
  const walk = (parent: string | undefined, prefix: string): void => {
    const list = children.get(parent) ?? [];
    list.forEach((r, i) => {
      const last = i === list.length - 1;
      rows.push({ tree: `${mark(r.urn)}${prefix}${last ? "└─ " : "├─ "}${displayType(r.type)}`, name: r.name, region: r.region ?? "", info: flags(r) });
      walk(r.urn, `${prefix}${last ? "   " : "│  "}`);
    });
  };
  walk(undefined, "");
  const treeWidth = Math.max(4, ...rows.map((r) => [...r.tree].length));
  const nameWidth = Math.max(4, ...rows.map((r) => r.name.length));
  const regionWidth = Math.max(6, ...rows.map((r) => r.region.length));
  const pad = (text: string, width: number) => text + " ".repeat(Math.max(0, width - [...text].length));
  return [
    `    ${pad("Type", treeWidth)}  ${pad("Name", nameWidth)}  ${pad("Region", regionWidth)}  Info`,
    `    ${pad(`${changes ? "   " : ""}pulumi:pulumi:Stack`, treeWidth)}  ${result.project}-${result.stack}`,
    ...rows.map((r) => `    ${pad(r.tree, treeWidth)}  ${pad(r.name, nameWidth)}  ${pad(r.region, regionWidth)}  ${r.info}`.trimEnd()),
  ];
}

export function renderCounts(result: PlanResult): string[] {
  const entries = Object.entries(result.summary.byType);
  const width = Math.max(...entries.map(([, n]) => String(n).length));
  return entries.map(([type, n]) => `    ${String(n).padStart(width)}  ${displayType(type)}`);
}

/** Policy results in the layout `pulumi preview` uses. */
export function renderDiagnostics(result: PlanResult): string[] {
  const { name, version, configFile } = result.policyPack;
  const mark = result.summary.mandatory ? "❌" : "✅";
  const lines = [`    ${mark} ${name}@v${version} (local: policies, config: ${configFile})`];
  const byUrn = new Map(result.resources.map((r) => [r.urn, r]));
  for (const d of result.diagnostics) {
    const resource = d.urn ? byUrn.get(d.urn) : undefined;
    const where = resource ? `  (${displayType(resource.type)}: ${resource.name})` : d.urn ? `  (${d.urn})` : "";
    lines.push(`        - [${d.enforcementLevel}]  ${d.policyName}${where}`);
    lines.push(`          ${d.description}`);
    for (const line of d.message.split("\n")) lines.push(`          ${line}`);
  }
  return lines;
}

export function renderSummary(result: PlanResult): string {
  const s = result.summary;
  const verdict = s.mandatory ? `✖ ${s.mandatory} mandatory violation${s.mandatory === 1 ? "" : "s"}` : "✔ no mandatory violations";
  return `Plan ${result.project}/${result.stack}: ${s.resources} resources (${s.customResources} custom, ${s.components} components), ${s.policiesRun} policies, ${verdict}, ${s.advisory} advisory`;
}

/** A value for a one-line diff: JSON, shortened. */
const shown = (value: unknown) => (value === undefined ? "(none)" : showValue(JSON.stringify(value), 120));

/** The "Changes" section of the text output: what the change does, before the full tree. */
export function renderChanges(changes: PlanChanges): string[] {
  const lines = [`Changes against ${changes.base.file} (${changes.base.project}/${changes.base.stack}): ${countsLine(changes.counts)}`];
  for (const r of changes.resources) {
    lines.push(`    ${CHANGE_MARK[r.kind]} ${r.kind.padEnd(7)}  ${displayType(r.type)}  ${r.name}`);
    for (const c of r.changes) lines.push(`          ${c.path}: ${shown(c.old)} → ${shown(c.new)}${c.replaces ? `   (replaces: ${c.replaces.reason})` : ""}`);
    for (const w of r.warnings) lines.push(`          ! ${w}`);
  }
  // Moved under an alias: the same resource to the engine (its kind is above when its inputs changed).
  for (const a of changes.aliased) lines.push(`    moved (alias)  ${a.aliasOf} → ${a.urn}`);
  const p = changes.policy;
  lines.push(`  policy results: ${p.new.length} new, ${p.gone.length} gone`);
  for (const [sign, list] of [["+", p.new], ["-", p.gone]] as const) {
    for (const d of list) lines.push(`    ${sign} [${d.enforcementLevel}] ${d.policyName}${d.urn ? ` (${d.urn.split("::").pop()})` : ""}: ${d.message.split("\n")[0]}`);
  }
  const cost = changes.cost;
  if (cost) {
    const pair = (label: string, v: { old: number; new: number; delta: number } | null) => (v ? `${label} $${v.old.toFixed(2)} → $${v.new.toFixed(2)} (${signedUsd(v.delta)})` : `${label} not in the base plan`);
    lines.push(`  cost per month: ${pair("list price", cost.list)}, ${pair("expected", cost.expected)}`);
    for (const i of cost.items.slice(0, 15)) lines.push(`    ${signedUsd(i.delta).padStart(9)}  ${i.name}: ${i.item} ($${i.old.toFixed(2)} → $${i.new.toFixed(2)})`);
    if (cost.items.length > 15) lines.push(`    ${cost.items.length - 15} more cost items changed`);
  }
  if (changes.outputs.length) {
    lines.push(`  outputs: ${changes.outputs.length} changed`);
    for (const o of changes.outputs) lines.push(`    ${o.name}: ${shown(o.old)} → ${shown(o.new)}`);
  }
  return lines;
}

export function renderText(result: PlanResult, changes?: PlanChanges): string {
  const out: string[] = [];
  out.push(`Offline plan of ${result.project}/${result.stack} (Pulumi mock runtime: nothing is read from or sent to AWS)`, "");
  if (changes) out.push(...renderChanges(changes), "");
  out.push(changes ? "Resources (+ create, ~ update, +- replace, - delete: deleted resources are listed above only):" : "Resources:", ...renderTree(result, changes), "");
  out.push("Resources by type:", ...renderCounts(result), "");
  out.push("Policies:", ...renderDiagnostics(result), "");
  for (const lines of result.sectionLines) out.push(...lines, "");
  for (const log of result.packLogs) out.push(`policy pack warning: ${log}`);
  out.push(renderSummary(result));
  return `${out.join("\n")}\n`;
}

/** One JSON document; stable key order, no timings, so the same config gives identical bytes. With a base plan it gains `changes`. */
export function renderJson(result: PlanResult, changes?: PlanChanges): string {
  return `${JSON.stringify(
    {
      project: result.project,
      stack: result.stack,
      policyPack: result.policyPack,
      resources: result.resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, parent: r.parent ?? null, region: r.region ?? null, provider: r.provider ?? null, inputs: r.inputs, options: r.options })),
      diagnostics: result.diagnostics,
      sections: result.sections,
      summary: result.summary,
      ...(changes ? { changes } : {}),
    },
    null,
    2,
  )}\n`;
}
