import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { stackConfigValues } from "./projectConfig";

/**
 * Reads `Pulumi.<stack>.yaml` and presents it the way `pulumi config` hands config to a program:
 * `namespace:key` -> string, objects and arrays JSON-encoded, bare keys in the project namespace.
 *
 * Secure values (`{ secure: v1:... }`) cannot be decrypted without the stack's secrets provider,
 * so the offline plan substitutes a placeholder and still marks the key secret, exactly as the
 * program would see a secret (it only ever handles it as a Pulumi secret Output).
 */
export interface PresentedConfig {
  config: Record<string, string>;
  secretKeys: string[];
}

export const SECRET_PLACEHOLDER = "offline-plan-secret-placeholder";

export class StackFileError extends Error {
  override name = "StackFileError";
}

export function presentStackConfig(projectName: string, stackFileText: string): PresentedConfig {
  // One reader of stack files: the port of the CLI's config.Map (projectConfig.ts), which keeps
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

const DISABLE_DEFAULT_PROVIDERS = "pulumi:disable-default-providers";

/**
 * The stacks disable the default AWS provider (`pulumi:disable-default-providers: ["aws"]`, or
 * `["*"]`), so a resource that forgets its provider fails instead of being created with the CLI's
 * ambient credentials and region, without the default tags (stacks/providers.ts). Removing the line
 * is reported, not accepted: the plan's own default-provider check would still pass (the program
 * passes its provider everywhere), but `pulumi up` would no longer enforce it.
 * `config` is the merged config (stack file and Pulumi.yaml defaults), as the CLI merges them.
 */
export function defaultProvidersProblem(config: Record<string, string>, stackFile: string): string | undefined {
  const raw = config[DISABLE_DEFAULT_PROVIDERS];
  const fix = `put back under config: in ${stackFile}:\n  ${DISABLE_DEFAULT_PROVIDERS}: ["aws"]`;
  if (raw === undefined) return `${stackFile} no longer sets ${DISABLE_DEFAULT_PROVIDERS}: without it, a resource that forgets its provider is created with the CLI's ambient AWS credentials and region and without the required tags; ${fix}`;
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch {
    list = undefined;
  }
  if (!Array.isArray(list) || !list.some((p) => p === "aws" || p === "*")) return `${stackFile} sets ${DISABLE_DEFAULT_PROVIDERS} to ${raw}, which leaves the default AWS provider enabled; ${fix}`;
  return undefined;
}
