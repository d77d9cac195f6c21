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
 */
export interface PresentedConfig {
  config: Record<string, string>;
  secretKeys: string[];
}

export const SECRET_PLACEHOLDER = "offline-plan-secret-placeholder";

export class StackFileError extends Error {
  override name = "StackFileError";
}

function present(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

export function presentStackConfig(projectName: string, stackFileText: string): PresentedConfig {
  const doc = (parse(stackFileText) ?? {}) as { config?: Record<string, unknown> };
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [rawKey, value] of Object.entries(doc.config ?? {})) {
    const key = rawKey.includes(":") ? rawKey : `${projectName}:${rawKey}`;
    if (value && typeof value === "object" && !Array.isArray(value) && "secure" in (value as object)) {
      config[key] = SECRET_PLACEHOLDER;
      secretKeys.push(key);
    } else {
      config[key] = present(value);
    }
  }
  return { config, secretKeys: secretKeys.sort() };
}

export function projectName(root: string): string {
  const doc = parse(readFileSync(join(root, "Pulumi.yaml"), "utf8")) as { name?: string };
  if (!doc?.name) throw new StackFileError("Pulumi.yaml has no project name");
  return doc.name;
}

/** Loads the stack file of `stack` from the project root. */
export function loadStackFile(root: string, stack: string): PresentedConfig & { project: string; file: string } {
  if (!/^[A-Za-z0-9_.-]+$/.test(stack)) throw new StackFileError(`'${stack}' is not a valid stack name`);
  const file = join(root, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) throw new StackFileError(`no stack file Pulumi.${stack}.yaml in ${root}`);
  const project = projectName(root);
  return { ...presentStackConfig(project, readFileSync(file, "utf8")), project, file };
}
