import table from "./replacements.data.json";
import { fields, oneOf, text } from "../../policies/lib/dataFile";

/**
 * Inputs the AWS provider replaces a resource on (delete + create rather than update), and inputs
 * it compares in a way a plan must know about, per Pulumi resource type, with their sources.
 *
 * Shared data module (team RULES "Shared data modules"): the offline plan's `--base` diff
 * (tools/plan/diff.ts) reads it to call a change "replace" instead of "update"; the deploy-fidelity
 * work adds read-back entries (fields the provider reads back normalised or compares as exact JSON,
 * which show a diff or a replacement on every update). One home: add entries here, never copy them.
 *
 * Shape of an entry: `{ type, path, reason, source }` (+ optional `kind`)
 *  - `type`: the Pulumi type token (`aws:s3/bucket:Bucket`), or `*` for every AWS resource type;
 *  - `path`: the Pulumi input property path, camelCase as in the SDK (`hashKey`, `localSecondaryIndexes`);
 *    nested fields with `.` (`monitoringSubscription.realtimeMetricsSubscriptionConfig`). A changed
 *    path matches an entry when it equals the entry's path or lies under it (`a.b` under `a`, `a[0]` under `a`);
 *  - `reason`: one line a reviewer reads in the plan ("the table name is its identity");
 *  - `source`: where the rule comes from: the terraform-provider-aws file whose schema marks the
 *    attribute `ForceNew: true` (SDKv2) or `RequiresReplace()` (plugin framework) — pulumi-aws is a
 *    bridge over that provider, and its Diff reports exactly those attributes in `replaces`
 *    (pulumi/pulumi-terraform-bridge pkg/tfbridge/provider.go, Diff) — or the doc that states it;
 *  - `kind`: "replace" (default) — a change replaces the resource; "read-back" — the provider reads the
 *    value back in another form, so a plan sees a change that is not one (or a replacement on every update).
 *
 * Paths are Pulumi's names for the Terraform attributes (snake_case -> camelCase; Pulumi pluralises
 * list blocks: `local_secondary_index` -> `localSecondaryIndexes`). The files cited are under
 * https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/. Re-read on
 * 2026-12-01: the region rule, dynamodb/table.go, iam/policy.go (description, name, name_prefix, path)
 * and ce/anomaly_monitor.go (monitor_type, monitor_dimension, monitor_specification); the other entries
 * were transcribed from the cited schemas and are the identity attributes of each type (names, keys,
 * parents). Every path is checked against the installed @pulumi/aws typings (test/tools/planReview.spec.ts).
 * Where a type has no entry, every change is reported as an update: say so in the review when it matters.
 *
 * The entries are data, in replacements.data.json (grouped by service, every field of every rule
 * named, sources written out), read and checked here.
 */

export type ReplacementKind = "replace" | "read-back";

export interface ReplacementRule {
  type: string;
  path: string;
  reason: string;
  source: string;
  kind?: ReplacementKind;
}

const KINDS: readonly ReplacementKind[] = ["replace", "read-back"];

/** One rule of replacements.data.json, checked field by field (fields in the file's order). */
export function readReplacementRule(raw: unknown, where: string): ReplacementRule {
  const row = fields(raw, where, ["type", "path", "reason", "source"], ["kind"]);
  const type = text(row, "type", where);
  if (type !== "*" && !/^aws:[a-zA-Z0-9]+\/[a-zA-Z0-9]+:[A-Za-z0-9]+$/.test(type)) throw new Error(`${where}: type ${type} is not a Pulumi AWS type token (or "*")`);
  return {
    type,
    path: text(row, "path", where),
    ...(row.kind === undefined ? {} : { kind: oneOf(row, "kind", KINDS, where) }),
    reason: text(row, "reason", where),
    source: text(row, "source", where),
  };
}

/** Every rule of the data file, in its order (grouped by service, as the file's sections say). */
export function loadReplacementRules(data: { sections: readonly { section: string; rules: readonly unknown[] }[] }): ReplacementRule[] {
  return data.sections.flatMap(({ section, rules }) => rules.map((r, i) => readReplacementRule(r, `replacements.data.json ${section} rule ${i + 1}`)));
}

export const REPLACEMENTS: readonly ReplacementRule[] = loadReplacementRules(table);

/** Whether `changed` (a path such as `a.b[0].c`) is the rule's path or lies under it. */
export function pathUnder(changed: string, rulePath: string): boolean {
  return changed === rulePath || changed.startsWith(`${rulePath}.`) || changed.startsWith(`${rulePath}[`);
}

/** The rules of `kind` (default "replace") that a change of `path` on a resource of `type` hits. */
export function replacementRules(type: string, path: string, kind: ReplacementKind = "replace", rules: readonly ReplacementRule[] = REPLACEMENTS): ReplacementRule[] {
  const isAws = type.startsWith("aws:");
  return rules.filter((r) => (r.kind ?? "replace") === kind && (r.type === type || (r.type === "*" && isAws)) && pathUnder(path, r.path));
}
