import { GUARDDUTY_ADDITIONAL_CONFIGURATIONS } from "../../components/baseline/guardDutyFeatures";
import type { RecordedResource } from "../mocks/runtime";
import type { PlanExtension } from "./plan";
import { REPLACEMENTS, ReplacementRule } from "./replacements";

/**
 * Read-back stability: inputs the provider reads back in another form than the program wrote, so a
 * real `pulumi preview` after the first deploy shows a change (or a replacement) on every update,
 * or an update AWS then refuses. Mocks echo inputs and cannot show it; each checker below models the
 * provider's read from its source. The rules are the `kind: "read-back"` entries of
 * `tools/plan/replacements.ts`; every such entry has a checker here (tested).
 */

export interface ReadBackFinding {
  urn: string;
  type: string;
  path: string;
  problem: string;
  /** What to write instead, when the check can say. */
  fix?: string;
  source: string;
}

type Checker = (r: RecordedResource, rule: ReplacementRule) => Omit<ReadBackFinding, "urn" | "type" | "path" | "source"> | undefined;

// --- Cost Explorer Expression, as terraform-provider-aws reads it back -----------------------------
// Read: json.Marshal(monitor.MonitorSpecification) of aws-sdk-go-v2 costexplorer/types.Expression
// (exported fields, no json tags: nil pointers and slices become null), then NormalizeJsonString.
// Diff: SuppressEquivalentJSONDiffs = reflect.DeepEqual of both sides unmarshalled, so a missing key
// and a null key differ. Unmarshal into the struct matches keys case-insensitively and drops unknown ones.


/** encoding/json field lookup: exact name first, then case-insensitive. */
function field(obj: Record<string, unknown>, name: string): unknown {
  if (name in obj) return obj[name];
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : obj[key];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** `*Values` structs: Key (*string, or Dimension: a plain string for DimensionValues), MatchOptions, Values. */
function valuesReadBack(v: unknown, keyIsPlainString: boolean): unknown {
  if (!isObject(v)) return null;
  const key = field(v, "Key");
  const list = (x: unknown) => (Array.isArray(x) ? x : null);
  return { Key: typeof key === "string" ? key : keyIsPlainString ? "" : null, MatchOptions: list(field(v, "MatchOptions")), Values: list(field(v, "Values")) };
}

/** What `GetAnomalyMonitors` → json.Marshal gives back for a specification the program wrote. */
export function costExpressionReadBack(v: unknown): unknown {
  if (!isObject(v)) return null;
  const list = (x: unknown) => (Array.isArray(x) ? x.map(costExpressionReadBack) : null);
  return {
    And: list(field(v, "And")),
    CostCategories: valuesReadBack(field(v, "CostCategories"), false),
    Dimensions: valuesReadBack(field(v, "Dimensions"), true),
    Not: isObject(field(v, "Not")) ? costExpressionReadBack(field(v, "Not")) : null,
    Or: list(field(v, "Or")),
    Tags: valuesReadBack(field(v, "Tags"), false),
  };
}

/** reflect.DeepEqual over unmarshalled JSON (key order free, null ≠ missing). */
export function jsonDeepEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonDeepEqual(x, b[i]));
  if (isObject(a) || isObject(b)) {
    if (!isObject(a) || !isObject(b)) return false;
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && jsonDeepEqual(a[k], b[k]));
  }
  return a === b;
}

const sortKeys = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(sortKeys) : isObject(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])])) : v;

const anomalyMonitorSpecification: Checker = (r) => {
  const text = r.inputs.monitorSpecification;
  if (typeof text !== "string") return undefined;
  let written: unknown;
  try {
    written = JSON.parse(text);
  } catch {
    return { problem: "the specification is not JSON: the provider's StringIsJSON validation refuses it" };
  }
  const read = costExpressionReadBack(written);
  if (jsonDeepEqual(written, read)) return undefined;
  return {
    problem: "AWS reads the specification back with every unset Expression field as null; compared with reflect.DeepEqual, the written form differs, and the attribute forces replacement: the monitor (and its history) is replaced on every update",
    fix: JSON.stringify(sortKeys(read)),
  };
};

const guardDutyAdditionalConfiguration: Checker = (r) => {
  const expected = GUARDDUTY_ADDITIONAL_CONFIGURATIONS[String(r.inputs.name)];
  if (!expected) return undefined;
  const declared = ((r.inputs.additionalConfigurations as { name?: string; status?: string }[] | undefined) ?? []).map((c) => c.name).sort();
  const missing = expected.filter((n) => !declared.includes(n));
  const statuses = new Set(((r.inputs.additionalConfigurations as { status?: string }[] | undefined) ?? []).map((c) => c.status));
  if (missing.length === 0 && (statuses.size === 0 || (statuses.size === 1 && statuses.has(String(r.inputs.status))))) return undefined;
  return {
    problem: missing.length
      ? `GuardDuty reports ${missing.join(", ")} for ${String(r.inputs.name)}; additional_configuration is Optional, not Computed, so every update shows them as removed and calls UpdateDetector again`
      : `the additional configurations' status differs from the feature's (${String(r.inputs.status)}): GuardDuty aligns them, so each update shows a change`,
    fix: `additionalConfigurations: ${JSON.stringify(expected.map((name) => ({ name, status: r.inputs.status })))}`,
  };
};

const logDeliveryRecordFields: Checker = (r) => {
  if (!Array.isArray(r.inputs.recordFields)) return undefined;
  if (r.options.replaceOnChanges?.includes("recordFields") && r.options.deleteBeforeReplace) return undefined;
  return {
    problem: "CloudWatch Logs refuses an in-place change of record fields for this destination (ValidationException: Provided delivery configuration is invalid for the destination type): the first change of the list fails the update",
    fix: "resource options { replaceOnChanges: [\"recordFields\"], deleteBeforeReplace: true }",
  };
};

/** One checker per `kind: "read-back"` entry of REPLACEMENTS, keyed `<type>#<path>`. */
export const READ_BACK_CHECKERS: Record<string, Checker> = {
  "aws:costexplorer/anomalyMonitor:AnomalyMonitor#monitorSpecification": anomalyMonitorSpecification,
  "aws:guardduty/detectorFeature:DetectorFeature#additionalConfigurations": guardDutyAdditionalConfiguration,
  "aws:cloudwatch/logDelivery:LogDelivery#recordFields": logDeliveryRecordFields,
};

export const READ_BACK_RULES = (): ReplacementRule[] => REPLACEMENTS.filter((r) => r.kind === "read-back");

export function readBackFindings(resources: readonly RecordedResource[]): ReadBackFinding[] {
  const findings: ReadBackFinding[] = [];
  for (const rule of READ_BACK_RULES()) {
    const check = READ_BACK_CHECKERS[`${rule.type}#${rule.path}`];
    if (!check) throw new Error(`tools/plan/readBack.ts has no checker for the read-back rule ${rule.type} ${rule.path}`);
    for (const r of resources.filter((x) => x.type === rule.type)) {
      const found = check(r, rule);
      if (found) findings.push({ urn: r.urn, type: r.type, path: rule.path, source: rule.source, ...found });
    }
  }
  return findings;
}

export const readBackExtension: PlanExtension = (run) => {
  const findings = readBackFindings(run.resources);
  const lines = findings.length
    ? [
        `Read-back (${findings.length}): inputs the provider reads back differently — a change or replacement on every update, or an update AWS refuses:`,
        ...findings.flatMap((f) => [`    ! ${f.urn} ${f.path}`, `        ${f.problem}`, ...(f.fix ? [`        write: ${f.fix}`] : []), `        source: ${f.source}`]),
      ]
    : [`Read-back: every input the plan can check (${READ_BACK_RULES().length} rules, tools/plan/replacements.ts) is written as the provider reads it.`];
  return { key: "readBack", value: { rules: READ_BACK_RULES().length, findings }, lines };
};
