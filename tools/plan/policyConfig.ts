import Ajv from "ajv";
import { existsSync, readFileSync } from "node:fs";
import type { EnforcementLevel, PolicyInfo, ResolvedPolicyConfig } from "./analyzer";

/**
 * Resolves a `--policy-pack-config` file against the pack's policies the way the Pulumi CLI does:
 * `all` sets every policy's enforcement level, a policy's own entry overrides it (a bare string is
 * a level, an object may carry `enforcementLevel` and properties); schema defaults are applied and
 * the result is validated against each policy's config schema. The SDK applies no defaults itself.
 */

export class PolicyConfigError extends Error {
  override name = "PolicyConfigError";
}

const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export function readPolicyConfigFile(path: string): Record<string, unknown> {
  if (!existsSync(path)) throw new PolicyConfigError(`policy config file ${path} does not exist`);
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8"));
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not a JSON object");
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new PolicyConfigError(`policy config file ${path} is not valid: ${(error as Error).message}`);
  }
}

export function resolvePolicyConfig(policies: PolicyInfo[], file: Record<string, unknown>, source: string): Record<string, ResolvedPolicyConfig> {
  const problems: string[] = [];
  const byName = new Map(policies.map((p) => [p.name, p]));
  for (const name of Object.keys(file)) {
    if (name !== "all" && !byName.has(name)) problems.push(`'${name}' is not a policy of this pack (policies: ${[...byName.keys()].join(", ")})`);
  }
  const all = file.all;
  if (all !== undefined && !LEVELS.includes(all as EnforcementLevel)) problems.push(`'all' must be one of ${LEVELS.join(", ")}`);

  const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
  const resolved: Record<string, ResolvedPolicyConfig> = {};
  for (const policy of policies) {
    const entry = file[policy.name];
    let level = (all as EnforcementLevel | undefined) ?? policy.enforcementLevel;
    let properties: Record<string, unknown> = {};
    if (typeof entry === "string") {
      if (!LEVELS.includes(entry as EnforcementLevel)) problems.push(`${policy.name}: enforcement level '${entry}' is not one of ${LEVELS.join(", ")}`);
      level = entry as EnforcementLevel;
    } else if (entry && typeof entry === "object") {
      const { enforcementLevel, ...rest } = entry as Record<string, unknown>;
      if (enforcementLevel !== undefined) {
        if (!LEVELS.includes(enforcementLevel as EnforcementLevel)) problems.push(`${policy.name}: enforcementLevel '${String(enforcementLevel)}' is not one of ${LEVELS.join(", ")}`);
        level = enforcementLevel as EnforcementLevel;
      }
      properties = rest;
    } else if (entry !== undefined) {
      problems.push(`${policy.name}: expected an enforcement level or an object`);
    }
    if (policy.configSchema?.properties) {
      const schema = { type: "object", properties: policy.configSchema.properties, required: policy.configSchema.required ?? [], additionalProperties: false };
      const validate = ajv.compile(schema);
      properties = JSON.parse(JSON.stringify(properties));
      if (!validate(properties)) {
        for (const e of validate.errors ?? []) problems.push(`${policy.name}${e.instancePath || ""}: ${e.message}${e.params && "additionalProperty" in e.params ? ` ('${(e.params as any).additionalProperty}')` : ""}`);
      }
    } else if (Object.keys(properties).length) {
      problems.push(`${policy.name}: takes no configuration, found ${Object.keys(properties).join(", ")}`);
    }
    resolved[policy.name] = { enforcementLevel: level, properties };
  }
  if (problems.length) throw new PolicyConfigError(`policy config ${source} is invalid:\n  ${problems.join("\n  ")}`);
  return resolved;
}
