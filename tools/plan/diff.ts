import type { Diagnostic } from "./analyzer";
import type { CostSection } from "./cost";
import { pathUnder, REPLACEMENTS, ReplacementRule, replacementRules } from "./replacements";
import { SECRET_MASK } from "./outputs";
import { SECRET_PLACEHOLDER } from "../mocks/stackFile";

/**
 * `--base FILE`: what a change does, against an earlier `--json` plan (e.g. the base branch's).
 *
 * Resources are matched by URN, as the Pulumi engine matches them (a new name, type or parent is a
 * new URN: delete + create), then by the alias URNs the plan records for them (`options.aliases`,
 * tools/mocks/aliases.ts): pulumi/pulumi pkg/resource/deploy/step_generator.go generateSteps looks
 * the resource up in the old state by its URN first and by each alias after, and an alias found
 * there is the same resource, updated in place (no delete, no create). An old resource already
 * present under its own URN, or already claimed by another alias, is not taken again (the engine
 * refuses such a program: "Duplicate resource alias"). Each is
 *  - create / delete: only in the new / the base plan;
 *  - replace: an input changed that the provider replaces on (tools/plan/replacements.ts, with sources);
 *  - update: any other input or resource option changed;
 *  - same.
 * Changed paths are listed old -> new; secrets (stack-config secrets, which the plan sees as a
 * placeholder, and secret-named inputs) are masked. Policy results are compared as new / gone, the
 * cost as list and expected totals and per item, the outputs by name. Pure: both sides are documents.
 */

export type ChangeKind = "create" | "update" | "replace" | "delete" | "same";
export const CHANGE_ORDER: ChangeKind[] = ["replace", "delete", "create", "update", "same"];

/** What `--json` writes (render.ts renderJson), as far as the diff reads it. */
export interface PlanDocument {
  project: string;
  stack: string;
  resources: { urn: string; type: string; name: string; parent: string | null; region: string | null; provider?: string | null; inputs: Record<string, unknown>; options: Record<string, unknown> }[];
  diagnostics: Diagnostic[];
  sections: Record<string, unknown>;
  summary: Record<string, unknown>;
}

export interface PropertyChange {
  path: string;
  old: unknown;
  new: unknown;
  /** The value is a secret: old and new are masked. */
  secret?: boolean;
  /** The provider replaces the resource on this path. */
  replaces?: Pick<ReplacementRule, "reason" | "source">;
}

export interface ResourceChange {
  urn: string;
  type: string;
  name: string;
  kind: Exclude<ChangeKind, "same">;
  /** Matched to the base plan through an alias: the base's URN. */
  aliasOf?: string;
  changes: PropertyChange[];
  /** What a reviewer must know: a replaced resource that is protected, retained or holds data. */
  warnings: string[];
}

export interface CostItemChange {
  key: string;
  name: string;
  item: string;
  old: number;
  new: number;
  delta: number;
}

export interface PlanChanges {
  base: { project: string; stack: string; file: string };
  counts: Record<ChangeKind, number>;
  resources: ResourceChange[];
  /** Resources found in the base plan under an alias (whatever their kind): new URN <- old URN. */
  aliased: { urn: string; aliasOf: string }[];
  policy: { new: Diagnostic[]; gone: Diagnostic[] };
  cost: {
    list: { old: number; new: number; delta: number } | null;
    expected: { old: number; new: number; delta: number } | null;
    items: CostItemChange[];
  } | null;
  outputs: { name: string; old: unknown; new: unknown }[];
}

/** Leaf names whose values are secrets wherever they appear. */
const SECRET_NAME = /^(secret|password|privateKey)|(Secret|SecretString|Password|PrivateKey)$/;

function isSecretValue(path: string, value: unknown): boolean {
  const leaf = path.replace(/\[\d+\]$/, "").split(".").pop() ?? path;
  if (SECRET_NAME.test(leaf)) return true;
  return typeof value === "string" && value.includes(SECRET_PLACEHOLDER);
}

/** A JSON document held in a string input (IAM policies, dashboard bodies): diffed inside. */
function parsedJson(value: unknown): unknown {
  if (typeof value !== "string" || !/^\s*[[{]/.test(value)) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/** Leaf-level differences between two values, as `a.b[0].c` paths. */
export function diffValues(old: unknown, current: unknown, path = ""): { path: string; old: unknown; new: unknown }[] {
  if (JSON.stringify(old) === JSON.stringify(current)) return [];
  const oldJson = parsedJson(old);
  const newJson = parsedJson(current);
  if (oldJson !== undefined && newJson !== undefined && path) return diffValues(oldJson, newJson, path);
  if (isObject(old) && isObject(current)) {
    const keys = [...new Set([...Object.keys(old), ...Object.keys(current)])].sort();
    return keys.flatMap((k) => diffValues(old[k], current[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(old) && Array.isArray(current)) {
    const n = Math.max(old.length, current.length);
    const out: { path: string; old: unknown; new: unknown }[] = [];
    for (let i = 0; i < n; i++) out.push(...diffValues(old[i], current[i], `${path}[${i}]`));
    return out;
  }
  return [{ path, old, new: current }];
}

function propertyChanges(type: string, oldInputs: Record<string, unknown>, newInputs: Record<string, unknown>, rules: readonly ReplacementRule[]): PropertyChange[] {
  return diffValues(oldInputs, newInputs).map((d) => {
    const secret = isSecretValue(d.path, d.old) || isSecretValue(d.path, d.new);
    const rule = replacementRules(type, d.path, "replace", rules)[0];
    return {
      path: d.path,
      old: secret && d.old !== undefined ? SECRET_MASK : d.old,
      new: secret && d.new !== undefined ? SECRET_MASK : d.new,
      ...(secret ? { secret: true } : {}),
      ...(rule ? { replaces: { reason: rule.reason, source: rule.source } } : {}),
    };
  });
}

const OPTION_KEYS = ["protect", "retainOnDelete", "deleteBeforeReplace", "ignoreChanges", "replaceOnChanges", "dependsOn"];

/**
 * The program's own `replaceOnChanges` resource option: the engine replaces when a listed property
 * changes ("*" for any; "a[*].b" for every element), whatever the provider says.
 */
function programReplaces(path: string, replaceOnChanges: unknown): Pick<ReplacementRule, "reason" | "source"> | undefined {
  if (!Array.isArray(replaceOnChanges)) return undefined;
  const hit = replaceOnChanges.find((p) => typeof p === "string" && (p === "*" || pathUnder(path.replace(/\[\d+\]/g, "[*]"), p) || pathUnder(path, p.replace(/\[\*\].*$/, ""))));
  return hit ? { reason: `the program's replaceOnChanges option lists ${hit}`, source: "Pulumi resource option replaceOnChanges (https://www.pulumi.com/docs/iac/concepts/options/replaceonchanges/)" } : undefined;
}

/** Types whose replacement loses data (a new, empty resource). */
const STATEFUL = new Set(["aws:s3/bucket:Bucket", "aws:dynamodb/table:Table", "aws:cognito/userPool:UserPool", "aws:sesv2/emailIdentity:EmailIdentity", "aws:kms/key:Key", "aws:cloudwatch/logGroup:LogGroup"]);

/** Inputs pulumi-aws auto-names when absent: present in the program's inputs, they were set by hand. */
const NAME_INPUTS: Record<string, string> = { "aws:s3/bucket:Bucket": "bucket" };

function warningsFor(kind: ResourceChange["kind"], type: string, options: Record<string, unknown>, inputs: Record<string, unknown> = {}): string[] {
  const out: string[] = [];
  if (kind !== "replace" && kind !== "delete") return out;
  // pulumi-terraform-bridge (pkg/tfbridge nameRequiresDeleteBeforeReplace): a replacement of a resource
  // whose auto-nameable name was set explicitly deletes the old one first, so there is a gap.
  const nameInput = NAME_INPUTS[type] ?? "name";
  if (kind === "replace" && !options.deleteBeforeReplace && typeof inputs[nameInput] === "string") {
    out.push(`its ${nameInput} is set explicitly (${inputs[nameInput]}): the provider deletes it before creating the replacement, so it is gone for a while`);
  }
  if (options.protect) out.push(`protected: pulumi up refuses to ${kind === "replace" ? "replace" : "delete"} it until protect is removed`);
  if (options.retainOnDelete) out.push(`retainOnDelete: the old one stays in AWS, outside the stack${kind === "replace" ? ", and the new name must be free" : ""}`);
  if (STATEFUL.has(type)) out.push(kind === "replace" ? "holds data: the replacement starts empty" : "holds data: deleting it deletes the data");
  return out;
}

const diagnosticKey = (d: Diagnostic) => `${d.policyName}\u0000${d.urn ?? ""}\u0000${d.enforcementLevel}\u0000${d.message}`;
const round2 = (n: number) => Math.round(n * 100) / 100;

function costOf(doc: PlanDocument): CostSection | undefined {
  return doc.sections?.cost as CostSection | undefined;
}

function costChanges(base: PlanDocument, current: PlanDocument): PlanChanges["cost"] {
  const a = costOf(base);
  const b = costOf(current);
  if (!a && !b) return null;
  const itemKey = (l: CostSection["lines"][number]) => `${l.urn ?? "stack"}\u0000${l.name}\u0000${l.priceId}`;
  const oldItems = new Map((a?.lines ?? []).map((l) => [itemKey(l), l]));
  const newItems = new Map((b?.lines ?? []).map((l) => [itemKey(l), l]));
  const items: CostItemChange[] = [];
  for (const key of [...new Set([...oldItems.keys(), ...newItems.keys()])]) {
    const o = oldItems.get(key);
    const n = newItems.get(key);
    if (Math.abs((n?.monthlyUsd ?? 0) - (o?.monthlyUsd ?? 0)) < 1e-9) continue;
    const delta = Math.round(((n?.monthlyUsd ?? 0) - (o?.monthlyUsd ?? 0)) * 1e4) / 1e4;
    const line = (n ?? o)!;
    items.push({ key: key.replace(/\u0000/g, "|"), name: line.name, item: line.item, old: o?.monthlyUsd ?? 0, new: n?.monthlyUsd ?? 0, delta });
  }
  items.sort((x, y) => Math.abs(y.new - y.old) - Math.abs(x.new - x.old) || x.key.localeCompare(y.key));
  const pair = (o: number | undefined, n: number | undefined) => (o === undefined || n === undefined ? null : { old: o, new: n, delta: round2(n - o) });
  return {
    list: pair(a?.totalMonthlyUsd, b?.totalMonthlyUsd),
    expected: pair(a?.expected?.monthlyUsd, b?.expected?.monthlyUsd),
    items,
  };
}

function outputChanges(base: PlanDocument, current: PlanDocument): PlanChanges["outputs"] {
  const values = (doc: PlanDocument) => ((doc.sections?.outputs as { values?: Record<string, unknown> } | undefined)?.values ?? {}) as Record<string, unknown>;
  const a = values(base);
  const b = values(current);
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .sort()
    .filter((name) => JSON.stringify(a[name]) !== JSON.stringify(b[name]))
    .map((name) => ({ name, old: a[name], new: b[name] }));
}

export function diffPlans(base: PlanDocument, current: PlanDocument, baseFile: string, rules: readonly ReplacementRule[] = REPLACEMENTS): PlanChanges {
  if (!Array.isArray(base?.resources) || !Array.isArray(base?.diagnostics)) throw new Error(`${baseFile} is not a plan made with --json (no resources or diagnostics)`);
  const oldByUrn = new Map(base.resources.map((r) => [r.urn, r]));
  const newByUrn = new Map(current.resources.map((r) => [r.urn, r]));
  const counts: Record<ChangeKind, number> = { create: 0, update: 0, replace: 0, delete: 0, same: 0 };
  const resources: ResourceChange[] = [];
  const aliased: PlanChanges["aliased"] = [];
  const claimed = new Set<string>();

  for (const r of current.resources) {
    let o = oldByUrn.get(r.urn);
    let aliasOf: string | undefined;
    if (!o) {
      aliasOf = ((r.options ?? {}).aliases as string[] | undefined)?.find((a) => oldByUrn.has(a) && !newByUrn.has(a) && !claimed.has(a));
      if (aliasOf) {
        claimed.add(aliasOf);
        aliased.push({ urn: r.urn, aliasOf });
        o = oldByUrn.get(aliasOf);
      }
    }
    if (!o) {
      counts.create++;
      resources.push({ urn: r.urn, type: r.type, name: r.name, kind: "create", changes: [], warnings: [] });
      continue;
    }
    // ignoreChanges: the engine keeps the old value of those inputs, so a change there is no change.
    const ignored = ((r.options ?? {}).ignoreChanges ?? []) as string[];
    const changes = propertyChanges(r.type, o.inputs ?? {}, r.inputs ?? {}, rules).filter((c) => !ignored.some((p) => p === "*" || pathUnder(c.path.replace(/\[\d+\]/g, "[*]"), p) || pathUnder(c.path, p))).map((c) => {
      const forced = c.replaces ? undefined : programReplaces(c.path, (r.options ?? {}).replaceOnChanges);
      return forced ? { ...c, replaces: forced } : c;
    });
    if ((o.region ?? null) !== (r.region ?? null) && !changes.some((c) => c.path === "region")) {
      const rule = replacementRules(r.type, "region", "replace", rules)[0];
      changes.push({ path: "region", old: o.region, new: r.region, ...(rule ? { replaces: { reason: rule.reason, source: rule.source } } : {}) });
    }
    for (const key of OPTION_KEYS) {
      const before = (o.options ?? {})[key];
      const after = (r.options ?? {})[key];
      if (JSON.stringify(before ?? null) !== JSON.stringify(after ?? null)) changes.push({ path: `options.${key}`, old: before, new: after });
    }
    if (!changes.length) {
      counts.same++;
      continue;
    }
    const kind = changes.some((c) => c.replaces) ? "replace" : "update";
    counts[kind]++;
    resources.push({ urn: r.urn, type: r.type, name: r.name, kind, ...(aliasOf ? { aliasOf } : {}), changes, warnings: warningsFor(kind, r.type, { ...o.options, ...r.options }, r.inputs ?? {}) });
  }
  for (const o of base.resources) {
    if (newByUrn.has(o.urn) || claimed.has(o.urn)) continue;
    counts.delete++;
    resources.push({ urn: o.urn, type: o.type, name: o.name, kind: "delete", changes: [], warnings: warningsFor("delete", o.type, o.options ?? {}) });
  }
  resources.sort((a, b) => CHANGE_ORDER.indexOf(a.kind) - CHANGE_ORDER.indexOf(b.kind) || a.urn.localeCompare(b.urn));

  const oldDiagnostics = new Set(base.diagnostics.map(diagnosticKey));
  const newDiagnostics = new Set(current.diagnostics.map(diagnosticKey));
  return {
    base: { project: base.project, stack: base.stack, file: baseFile },
    counts,
    resources,
    aliased,
    policy: {
      new: current.diagnostics.filter((d) => !oldDiagnostics.has(diagnosticKey(d))),
      gone: base.diagnostics.filter((d) => !newDiagnostics.has(diagnosticKey(d))),
    },
    cost: costChanges(base, current),
    outputs: outputChanges(base, current),
  };
}

/** "1 to replace, 2 to create, 3 to update, 100 unchanged" in the order a reviewer reads them. */
export function countsLine(counts: Record<ChangeKind, number>): string {
  const words: Record<ChangeKind, string> = { replace: "to replace", delete: "to delete", create: "to create", update: "to update", same: "unchanged" };
  const parts = CHANGE_ORDER.filter((k) => counts[k] > 0 || k === "same").map((k) => `${counts[k]} ${words[k]}`);
  return parts.join(", ");
}

/** "$1.23" with a sign for deltas. */
export function signedUsd(n: number): string {
  const abs = `$${Math.abs(n).toFixed(2)}`;
  return n > 0 ? `+${abs}` : n < 0 ? `-${abs}` : `±${abs}`;
}
