import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { fullKey, StackConfigValue, stackConfigValues } from "../mocks/stackFile";

/**
 * The Pulumi CLI's project-config rule, applied by the offline plan before the program runs.
 *
 * `pulumi preview` / `up` / `refresh` / `destroy` call `ValidateStackConfigAndApplyProjectConfig`
 * (pulumi/pulumi `pkg/workspace/config.go`, formerly `sdk/go/common/workspace`; read at commit
 * 1b5949891b3c) and stop with "validating stack config: <error>" before the language host starts.
 * Ported here, in the CLI's order and wording:
 *
 *  1. `Project.Validate` (`sdk/go/common/workspace/project.go`): a typed array needs `items`; a
 *     `default` must match the declared type; keys outside the project namespace take a `value`,
 *     never a type or default. Short-hand entries (`key: 3`) become `{ default: 3 }` for project
 *     keys and `{ value: 3 }` for others (`RewriteShorthandConfigValues`).
 *  2. `mergeConfig`: every project-namespace key declared with neither `default` nor `value` that
 *     the stack does not set is missing; all missing keys are reported together ("Stack 'dev' is
 *     missing configuration values 'a' and 'b'"). Otherwise the default (or value) is copied into
 *     the stack's config, which is what the program then reads.
 *  3. `validateStackConfigValues`: for each explicitly typed key, in sorted order, the first
 *     problem stops the run: `secret: true` needs a secure (`pulumi config set --secret`) value —
 *     a project `default` is never secure, so a secret with a default fails too — and the value must
 *     pass `ValidateConfigValue` for its type.
 *
 * Not reproduced: values from Pulumi ESC environments (the stacks use none) and type checks of
 * secure values, which the CLI decrypts first (the plan cannot; it reports them unchecked).
 * There is no way to declare a key optional without a default (pulumi/pulumi#21797, open), so
 * `tools/configDocs.ts` leaves such keys out of `Pulumi.yaml`'s `config:`.
 */

export interface ProjectConfigItemsType {
  type: string;
  items?: ProjectConfigItemsType;
}

export interface ProjectConfigType {
  type?: string;
  description?: string;
  items?: ProjectConfigItemsType;
  default?: unknown;
  value?: unknown;
  secret?: boolean;
}

/** What `pulumi preview` would refuse; `message` is the CLI's own text. */
export class ProjectConfigError extends Error {
  override name = "ProjectConfigError";
}

/** `configKeyIsNamespacedByProject` */
function namespacedByProject(projectName: string, key: string): boolean {
  return !key.includes(":") || key.startsWith(`${projectName}:`);
}

/** `isPrimitiveValue` + `isArray` in `RewriteShorthandConfigValues`. */
function isShorthand(value: unknown): boolean {
  return typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isInteger(value)) || Array.isArray(value);
}

/** `RewriteShorthandConfigValues` over the `config:` block of a parsed `Pulumi.yaml`. */
export function projectConfigTypes(projectName: string, config: Record<string, unknown> | null | undefined): Record<string, ProjectConfigType> {
  const out: Record<string, ProjectConfigType> = {};
  for (const [key, raw] of Object.entries(config ?? {})) {
    if (isShorthand(raw)) out[key] = namespacedByProject(projectName, key) ? { default: raw } : { value: raw };
    else out[key] = (raw ?? {}) as ProjectConfigType;
  }
  return out;
}

/** `InferFullTypeName` */
export function inferFullTypeName(typeName: string, items?: ProjectConfigItemsType): string {
  return items ? `array<${inferFullTypeName(items.type, items.items)}>` : typeName;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Go's `strconv.Atoi` on a 64-bit platform: optional sign, decimal digits, int64 range. */
function atoiAccepts(text: string): boolean {
  if (!/^[+-]?\d+$/.test(text)) return false;
  const n = BigInt(text);
  return n >= INT64_MIN && n <= INT64_MAX;
}

/** `ValidateConfigValue`: the declared type against a value (a default, or a stack value). */
export function validateConfigValue(typeName: string, items: ProjectConfigItemsType | undefined, value: unknown): boolean {
  if (typeName === "string") return typeof value === "string";
  if (typeName === "integer") {
    if (typeof value === "number") return Number.isInteger(value); // YAML/JSON numbers: whole numbers only
    if (typeof value === "string") return atoiAccepts(value);
    return false;
  }
  if (typeName === "boolean") return value === "true" || value === "false" || typeof value === "boolean";
  if (typeName === "object") return typeof value === "object" && value !== null && !Array.isArray(value);
  if (!Array.isArray(value) || !items) return false;
  return value.every((item) => validateConfigValue(items.type, items.items, item));
}

/**
 * `Project.Validate`, config part. Go ranges over a map (random order); keys are sorted here so the
 * plan's answer is deterministic when several entries are wrong.
 */
export function validateProjectConfig(projectName: string, config: Record<string, ProjectConfigType>): void {
  for (const key of Object.keys(config).sort()) {
    const t = config[key];
    if (t.default != null && t.value != null) throw new ProjectConfigError(`project config '${key}' cannot have both a 'default' and 'value' attribute`);
    if (namespacedByProject(projectName, key)) {
      if (t.type !== undefined && t.type === "array" && t.items === undefined) {
        throw new ProjectConfigError(`The configuration key '${key}' declares an array but does not specify the underlying type via the 'items' attribute`);
      }
      if (t.type !== undefined && t.default != null && !validateConfigValue(t.type, t.items, t.default)) {
        throw new ProjectConfigError(`The default value specified for configuration key '${key}' is not of the expected type '${inferFullTypeName(t.type, t.items)}'`);
      }
    } else {
      if (t.type !== undefined) throw new ProjectConfigError(`Configuration key '${key}' is not namespaced by the project and should not define a type`);
      if (t.default != null) {
        throw new ProjectConfigError(`Configuration key '${key}' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?`);
      }
      if (t.value == null) throw new ProjectConfigError(`Configuration key '${key}' is namespaced and must provide an attribute 'value'`);
    }
  }
}

/** `formatMissingKeys` + `missingStackConfigurationKeysError` */
export function missingKeysMessage(stackName: string, missing: string[]): string {
  const keys = [...missing].sort();
  const list = keys.length === 1 ? `'${keys[0]}'` : `${keys.slice(0, -1).map((k) => `'${k}'`).join(", ")} and '${keys[keys.length - 1]}'`;
  return `Stack '${stackName}' is missing configuration ${keys.length === 1 ? "value" : "values"} ${list}`;
}

/** `createConfigValue`: primitives as text, anything else as JSON. */
function configValueOf(raw: unknown): StackConfigValue {
  if (typeof raw === "string" || typeof raw === "boolean" || (typeof raw === "number" && Number.isInteger(raw))) return { value: String(raw), secure: false, object: false };
  return { value: JSON.stringify(raw), secure: false, object: true };
}

/**
 * `ValidateStackConfigAndApplyProjectConfig` without ESC environments. `stackConfig` maps full keys
 * (`namespace:key`) to values; it is not modified — the merged config is returned.
 */
export function validateStackConfigAndApplyProjectConfig(
  stackName: string,
  projectName: string,
  project: Record<string, ProjectConfigType>,
  stackConfig: ReadonlyMap<string, StackConfigValue>,
): { config: Map<string, StackConfigValue>; uncheckedSecureKeys: string[] } {
  const merged = new Map(stackConfig);
  const keys = Object.keys(project).sort();
  const missing: string[] = [];
  for (const projectKey of keys) {
    const t = project[projectKey];
    const key = fullKey(projectName, projectKey);
    const found = merged.has(key);
    const hasDefault = t.default != null;
    const hasValue = t.value != null;
    if (!found && !hasValue && !hasDefault && key.startsWith(`${projectName}:`)) {
      missing.push(projectKey);
      continue;
    }
    // As in the CLI, `default` wins over `value` (Project.Validate refuses both anyway).
    if (!found && (hasValue || hasDefault)) merged.set(key, configValueOf(hasDefault ? t.default : t.value));
  }
  if (missing.length) throw new ProjectConfigError(missingKeysMessage(stackName, missing));

  const uncheckedSecureKeys: string[] = [];
  for (const projectKey of keys) {
    const t = project[projectKey];
    if (t.type === undefined) continue; // IsExplicitlyTyped: untyped keys are not validated, not even `secret`
    const key = fullKey(projectName, projectKey);
    const stackValue = merged.get(key) ?? { value: "", secure: false, object: false };
    if (t.secret && !stackValue.secure) throw new ProjectConfigError(`Stack '${stackName}' with configuration key '${projectKey}' must be encrypted as it's secret`);
    if (stackValue.secure) {
      uncheckedSecureKeys.push(key); // the CLI decrypts and type-checks; the plan holds no key to decrypt with
      continue;
    }
    let content: unknown = stackValue.value;
    if (stackValue.object) {
      try {
        content = JSON.parse(stackValue.value);
      } catch (error) {
        throw new ProjectConfigError((error as Error).message);
      }
    }
    if (!validateConfigValue(t.type, t.items, content)) {
      throw new ProjectConfigError(`Stack '${stackName}' with configuration key '${projectKey}' must be of type '${inferFullTypeName(t.type, t.items)}'`);
    }
  }
  return { config: merged, uncheckedSecureKeys };
}

export interface ProjectFile {
  name: string;
  config: Record<string, ProjectConfigType>;
}

/** Parses and validates `Pulumi.yaml` text as the CLI does (config part). */
export function parseProjectFile(text: string): ProjectFile {
  const doc = (parse(text) ?? {}) as { name?: unknown; config?: Record<string, unknown> };
  if (typeof doc.name !== "string" || doc.name === "") throw new ProjectConfigError("project is missing a non-empty string 'name' attribute");
  const config = projectConfigTypes(doc.name, doc.config);
  validateProjectConfig(doc.name, config);
  return { name: doc.name, config };
}

/**
 * The check the plan runs before the program: `Pulumi.yaml` + `Pulumi.<stack>.yaml` from `root`.
 * Returns the merged config (project defaults applied, as the program will see it) or throws a
 * `ProjectConfigError` with the CLI's message.
 */
export function checkProjectConfig(root: string, stack: string, stackFileText?: string): { project: ProjectFile; config: Map<string, StackConfigValue>; uncheckedSecureKeys: string[] } {
  const project = parseProjectFile(readFileSync(join(root, "Pulumi.yaml"), "utf8"));
  const text = stackFileText ?? readFileSync(join(root, `Pulumi.${stack}.yaml`), "utf8");
  return { project, ...validateStackConfigAndApplyProjectConfig(stack, project.name, project.config, stackConfigValues(project.name, text)) };
}

/**
 * For `plan()`: validates as the CLI does and returns the config the program will read, with the
 * project defaults merged in (`pulumi config` hands them to the program the same way). A failure
 * becomes `fail("validating stack config: …")`, the CLI's own prefix (pkg/cmd/pulumi/operations/preview.go).
 */
export function applyProjectConfigToPlan(
  root: string,
  stack: string,
  presented: { config: Record<string, string>; secretKeys: string[] },
  fail: (message: string) => Error,
): { config: Record<string, string>; secretKeys: string[] } {
  let merged: Map<string, StackConfigValue>;
  try {
    merged = checkProjectConfig(root, stack).config;
  } catch (error) {
    if (error instanceof ProjectConfigError) throw fail(`validating stack config: ${error.message}`);
    throw error;
  }
  const config = { ...presented.config };
  for (const [key, v] of merged) if (!(key in config)) config[key] = v.value;
  return { config, secretKeys: presented.secretKeys };
}
