import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/**
 * Reads `Pulumi.<stack>.yaml` and presents it the way `pulumi config` hands config to a program:
 * `namespace:key` -> string, objects and arrays JSON-encoded, bare keys in the project namespace.
 *
 * Secure values (`{ secure: v1:... }`) cannot be decrypted without the stack's secrets provider,
 * so the offline plan substitutes a placeholder and still marks the key secret, exactly as the
 * program would see a secret (it only ever handles it as a Pulumi secret Output).
 *
 * Part of the mock harness: a mock run takes a stack's config in this form (tools/mocks/runtime.ts),
 * and the plan's port of the CLI's project-config rule (tools/plan/projectConfig.ts) reads the
 * same values, so there is one reader of stack files.
 */

/** One stack config value as the CLI holds it (`config.Value`): text, JSON text when `object`. */
export interface StackConfigValue {
  value: string;
  secure: boolean;
  object: boolean;
}

/** `parseConfigKey`: bare keys belong to the project namespace. */
export function fullKey(projectName: string, key: string): string {
  return key.includes(":") ? key : `${projectName}:${key}`;
}

function isSecure(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && "secure" in value && Object.keys(value).length === 1;
}

/** Stack-file values as `config.Map` holds them: scalars as text, `{ secure: … }` secure, the rest JSON. */
export function stackConfigValues(projectName: string, stackFileText: string): Map<string, StackConfigValue> {
  // Integers as BigInt: the CLI keeps 18446744073709551615 exact (TestStackConfigUInt64); a JS number would not.
  const doc = (parse(stackFileText, { intAsBigInt: true }) ?? {}) as { config?: Record<string, unknown> };
  const out = new Map<string, StackConfigValue>();
  const rawJson = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;
  const exact = (_: string, v: unknown) => (typeof v === "bigint" ? rawJson(v.toString()) : v);
  for (const [rawKey, value] of Object.entries(doc.config ?? {})) {
    const key = fullKey(projectName, rawKey);
    if (isSecure(value)) out.set(key, { value: String((value as { secure: unknown }).secure), secure: true, object: false });
    else if (value !== null && typeof value === "object") out.set(key, { value: JSON.stringify(value, exact), secure: false, object: true });
    else out.set(key, { value: value === null || value === undefined ? "" : String(value), secure: false, object: false });
  }
  return out;
}

export interface PresentedConfig {
  config: Record<string, string>;
  secretKeys: string[];
}

export const SECRET_PLACEHOLDER = "offline-plan-secret-placeholder";

export class StackFileError extends Error {
  override name = "StackFileError";
}

export function presentStackConfig(projectName: string, stackFileText: string): PresentedConfig {
  // One reader of stack files: the port of the CLI's config.Map (stackConfigValues), which keeps
  // integers exact (a JS number would turn 18446744073709551615 into 18446744073709552000).
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of stackConfigValues(projectName, stackFileText)) {
    config[key] = value.secure ? SECRET_PLACEHOLDER : value.value;
    if (value.secure) secretKeys.push(key);
  }
  return { config, secretKeys: secretKeys.sort() };
}

/** Parses a YAML file's text; a syntax error names the file, line and column. */
export function parseYamlFile(text: string, file: string): unknown {
  try {
    return parse(text);
  } catch (error) {
    const e = error as Error & { linePos?: { line: number; col: number }[] };
    const at = e.linePos?.[0] ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : "";
    throw new StackFileError(`${file} is not valid YAML${at}: ${e.message.split("\n")[0]}`);
  }
}

export function projectName(root: string): string {
  const doc = parseYamlFile(readFileSync(join(root, "Pulumi.yaml"), "utf8"), "Pulumi.yaml") as { name?: string };
  if (!doc?.name) throw new StackFileError("Pulumi.yaml has no project name");
  return doc.name;
}

/** Loads the stack file of `stack` from the project root. */
export function loadStackFile(root: string, stack: string): PresentedConfig & { project: string; file: string } {
  if (!/^[A-Za-z0-9_.-]+$/.test(stack)) throw new StackFileError(`'${stack}' is not a valid stack name`);
  const file = join(root, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) throw new StackFileError(`no stack file Pulumi.${stack}.yaml in ${root}`);
  const project = projectName(root);
  const text = readFileSync(file, "utf8");
  parseYamlFile(text, `Pulumi.${stack}.yaml`); // a syntax error names the file, line and column
  return { ...presentStackConfig(project, text), project, file };
}
