import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { appFields } from "../../components/app/config";
import { baselineFields } from "../../components/baseline/config";
import { ciFields } from "../../components/ci/config";
import { coreFields } from "./core";
import { edgeFields, edgeProblems } from "../../components/edge/config";
import { ConfigField, ConfigValues, decodeConfigValue } from "../../components/shared/configField";
import { identityFields, identityProblems } from "../../components/identity/config";
import { mailFields } from "../../components/mail/config";
import { mediaFields } from "../../components/media/config";
import { monitoringFields } from "../../components/monitoring/config";
import { sessionFields } from "../../components/sessions/config";
import { siteFields } from "./site";

/** Config namespace: the Pulumi project name. */
export const CONFIG_NAMESPACE = "mpto";

/** Every key the program reads, by capability. `Pulumi.yaml` documents exactly these keys. */
export const configFields = {
  ...coreFields,
  ...siteFields,
  ...edgeFields,
  ...mailFields,
  ...mediaFields,
  ...monitoringFields,
  ...baselineFields,
  ...ciFields,
  ...identityFields,
  ...sessionFields,
  ...appFields,
} satisfies Record<string, ConfigField<any>>;

/** The validated stack configuration: every component's section, and the stack's name. */
export type StackConfig = ConfigValues<typeof configFields> & {
  /** The Pulumi stack this config belongs to. */
  readonly stack: string;
};

/** One bad key: which, what was found, what is expected. */
export interface ConfigProblem {
  key: string;
  found: string;
  expected: string;
  /** The command that fixes it (default `set`): `rm` for an unknown key, `set-secret`, `set-list` (a `--path` item). */
  fix?: "set" | "set-secret" | "set-list" | "rm";
}

/** The `pulumi config` command that fixes one problem, naming its key. */
export function fixCommand(stack: string, p: ConfigProblem): string {
  switch (p.fix) {
    case "rm":
      return `pulumi config rm --stack ${stack} ${p.key}`;
    case "set-secret":
      return `pulumi config set --stack ${stack} --secret ${p.key} <value>`;
    case "set-list":
      return `pulumi config set --stack ${stack} --path '${p.key}[0]' <value>`;
    default:
      return `pulumi config set --stack ${stack} ${p.key} <value>`;
  }
}

/**
 * Thrown before any resource is declared when the stack config is invalid. Lists every problem.
 * A `RunError`, so the Pulumi CLI prints the message without a stack trace.
 */
export class StackConfigError extends pulumi.RunError {
  override readonly name = "StackConfigError";
  constructor(
    readonly stackName: string,
    readonly problems: ConfigProblem[],
  ) {
    super(formatConfigProblems(stackName, problems));
  }
}

/** The one message that lists every bad key of a stack, and how to fix it. */
export function formatConfigProblems(stack: string, problems: ConfigProblem[]): string {
  const width = Math.max(...problems.map((p) => p.key.length));
  const lines = problems.map((p) => `  ${p.key.padEnd(width)}  found ${p.found}; expected ${p.expected}`);
  return [
    `Invalid configuration for stack '${stack}' (Pulumi.${stack}.yaml): ${problems.length} problem${problems.length === 1 ? "" : "s"}`,
    ...lines,
    `Fix with: ${[...new Map(problems.map((p) => [p.key, fixCommand(stack, p)])).values()].join("\n          ")}`,
  ].join("\n");
}

function show(raw: string | undefined): string {
  if (raw === undefined) return "nothing (key not set)";
  if (/^[[{]/.test(raw)) return raw.length > 80 ? `${raw.slice(0, 77)}...` : raw;
  const text = raw.length > 80 ? `${raw.slice(0, 77)}...` : raw;
  return JSON.stringify(text);
}

/** Levenshtein distance, for "did you mean" on unknown keys. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

function suggestionFor(namespace: string, known: string[], key: string): string {
  const best = known.map((k) => ({ k, d: distance(key, k) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= Math.max(2, Math.floor(key.length / 4)) ? `; did you mean ${namespace}:${best.k}?` : "";
}

function issuePath(issue: z.core.$ZodIssue): string {
  return issue.path.length ? ` (at ${issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")})` : "";
}

/**
 * Validates the raw config map (`namespace:key` -> string, as `pulumi config` presents it).
 * Pure: no Pulumi runtime needed, so tests can call it directly.
 */
export function parseStackConfig(stack: string, raw: Record<string, string>, secretKeys: ReadonlySet<string> = new Set()): StackConfig {
  const problems: ConfigProblem[] = [];
  const values: Record<string, unknown> = { stack };
  readConfigFields(CONFIG_NAMESPACE, configFields, raw, secretKeys, values, problems);

  problems.push(...crossFieldProblems(stack, values, raw));
  if (problems.length) throw new StackConfigError(stack, problems);
  return values as unknown as StackConfig;
}

/**
 * Reads every field of `fields` from the raw config of one namespace into `values`, recording each
 * unknown, missing or invalid key in `problems`. Shared by the stacks and the organization program.
 */
export function readConfigFields(
  namespace: string,
  fields: Record<string, ConfigField<any>>,
  raw: Record<string, string>,
  secretKeys: ReadonlySet<string>,
  values: Record<string, unknown>,
  problems: ConfigProblem[],
): void {
  const prefix = `${namespace}:`;
  for (const key of Object.keys(raw).sort()) {
    if (!key.startsWith(prefix)) continue;
    const name = key.slice(prefix.length);
    if (!(name in fields)) {
      problems.push({ key, found: show(raw[key]), expected: `no such key${suggestionFor(namespace, Object.keys(fields), name) || " (see Pulumi.yaml for the keys this project reads)"}`, fix: "rm" });
    }
  }

  for (const [name, f] of Object.entries(fields) as [string, ConfigField<unknown>][]) {
    const key = prefix + name;
    const rawValue = raw[key];
    if (rawValue === undefined) {
      if (f.required) problems.push({ key, found: show(undefined), expected: f.expected, fix: f.secret ? "set-secret" : f.pulumiType === "array" ? "set-list" : "set" });
      else values[name] = f.default;
      continue;
    }
    if (f.secret && !secretKeys.has(key)) {
      problems.push({ key, found: "a plain-text value", expected: `a secret: pulumi config set --secret ${key} <value>`, fix: "set-secret" });
      continue;
    }
    const parsed = f.schema.safeParse(decodeConfigValue(f.pulumiType, rawValue));
    if (!parsed.success) {
      // A custom check's message says why (e.g. the PEM key's problem); built-in messages add nothing to `expected`.
      const issue = parsed.error.issues[0];
      const why = issue.code === "custom" && issue.message && issue.message !== "Invalid input" ? ` (${issue.message})` : "";
      problems.push({ key, found: `${f.secret ? "a secret that is not valid" : show(rawValue)}${why}`, expected: f.expected + issuePath(issue), fix: f.secret ? "set-secret" : "set" });
      continue;
    }
    values[name] = f.secret ? pulumi.secret(parsed.data as string) : parsed.data;
  }
}

/** Rules that relate several keys. Only checked for keys that were themselves valid. */
function crossFieldProblems(stack: string, v: Record<string, any>, raw: Record<string, string>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const key = (name: string) => `${CONFIG_NAMESPACE}:${name}`;
  if (typeof v.environment === "string" && v.environment !== stack) {
    problems.push({ key: key("environment"), found: show(v.environment), expected: `"${stack}", the name of this stack (it becomes the Environment tag)` });
  }
  if (typeof v.apexDomain === "string" && Array.isArray(v.siteHostnames)) {
    const outside = (v.siteHostnames as string[]).filter((h) => h !== v.apexDomain && !h.endsWith(`.${v.apexDomain}`));
    if (outside.length) problems.push({ key: key("siteHostnames"), found: show(raw[key("siteHostnames")]), expected: `host names under ${v.apexDomain}; not under it: ${outside.join(", ")}` });
  }
  if (typeof v.bookingsSender === "string" && typeof v.mailDomain === "string" && !v.bookingsSender.endsWith(`@${v.mailDomain}`)) {
    problems.push({ key: key("bookingsSender"), found: show(v.bookingsSender), expected: `an address @${v.mailDomain} (the mail domain SES verifies)` });
  }
  if (typeof v.route53ZoneId === "string" && typeof v.mailDomain === "string" && typeof v.apexDomain === "string" && v.mailDomain !== v.apexDomain && !v.mailDomain.endsWith(`.${v.apexDomain}`)) {
    problems.push({ key: key("mailDomain"), found: show(v.mailDomain), expected: `${v.apexDomain} or one of its subdomains, since the mail DNS records go into the Route 53 zone of ${v.apexDomain} (route53ZoneId)` });
  }
  // The app runtime role trusts one Vercel project of one team: both or neither.
  if ((typeof v.vercelTeamSlug === "string") !== (typeof v.vercelProjectName === "string")) {
    const missing = typeof v.vercelTeamSlug === "string" ? "vercelProjectName" : "vercelTeamSlug";
    problems.push({ key: key(missing), found: show(undefined), expected: `a value, since ${missing === "vercelProjectName" ? "vercelTeamSlug" : "vercelProjectName"} is set (the app runtime role trusts one project of one team)` });
  }
  if (typeof v.userPoolEmailFrom === "string" && typeof v.mailDomain === "string" && !v.userPoolEmailFrom.endsWith(`@${v.mailDomain}`)) {
    problems.push({ key: key("userPoolEmailFrom"), found: show(v.userPoolEmailFrom), expected: `an address @${v.mailDomain} (the mail domain SES verifies)` });
  }
  // Each area's rules over several of its keys, in the order of the areas' fields.
  const found = (name: string) => (Array.isArray(v[name]) && v[name].length === 0 ? "an empty list" : show(raw[key(name)]));
  for (const check of [edgeProblems, identityProblems]) problems.push(...check(v, found).map((p) => ({ key: key(p.field), found: p.found, expected: p.expected })));
  return problems;
}

/** Reads and validates the running stack's config. Call it before declaring any resource. */
export function loadStackConfig(): StackConfig {
  const { raw, secretKeys } = runtimeConfig();
  return parseStackConfig(pulumi.getStack(), raw, secretKeys);
}

/** The config the Pulumi runtime hands the program (`namespace:key` -> string) and which keys are secret. */
export function runtimeConfig(): { raw: Record<string, string>; secretKeys: Set<string> } {
  const raw = pulumi.runtime.allConfig();
  // `isConfigSecret` is exported by the runtime but stripped from its typings; it reads the same
  // PULUMI_CONFIG_SECRET_KEYS list that `Config.getSecret` relies on.
  const runtime = pulumi.runtime as unknown as { isConfigSecret(key: string): boolean };
  return { raw, secretKeys: new Set(Object.keys(raw).filter((k) => runtime.isConfigSecret(k))) };
}
