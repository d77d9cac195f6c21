import * as pulumi from "@pulumi/pulumi";
import { PolicyConfigSchema, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { configWithDefaults } from "../lib/policy";
import taggable from "./taggable-types.json";

/**
 * Required tags. Every taggable AWS resource (the set is derived from the installed @pulumi/aws
 * typings, see tools/generateTaggableTypes.ts) must carry each required key with a non-empty value,
 * and `Environment` must name the stack being deployed.
 *
 * The engine hands policies the provider-checked inputs, where the AWS provider has merged its
 * `defaultTags` into `tagsAll`; so `tagsAll` is read first and `tags` only as a fallback.
 * Mirrors the AWS Resource Tagging Standard controls (`requiredTagKeys`, at most 6 keys).
 */

export const TAGGABLE_TYPES: ReadonlySet<string> = new Set(taggable.types);

export interface RequiredTagsConfig {
  /** Tag keys every taggable resource must carry (at most 6, as Security Hub's tagging controls take). */
  requiredTags: string[];
  /** Tag whose value must equal the stack name; empty string turns the check off. */
  environmentTag: string;
}

export const REQUIRED_TAGS_DEFAULTS: RequiredTagsConfig = {
  requiredTags: ["Project", "Environment", "Owner", "CostCenter", "ManagedBy"],
  environmentTag: "Environment",
};

/** The config both tag policies take (the resource's tags and the provider's default tags answer to the same keys). */
const TAG_CONFIG_SCHEMA: PolicyConfigSchema = {
  properties: {
    requiredTags: { type: "array", items: { type: "string", minLength: 1 }, maxItems: 6, default: REQUIRED_TAGS_DEFAULTS.requiredTags },
    environmentTag: { type: "string", default: REQUIRED_TAGS_DEFAULTS.environmentTag },
  },
};

/** The engine applies schema defaults only when it sends Configure; apply them here too. */
const configOf = (args: { getConfig<T extends object>(): T }): RequiredTagsConfig => configWithDefaults(args, REQUIRED_TAGS_DEFAULTS);

/** Problems with one resource's tags; empty when it is compliant. Pure, for tests and reuse. */
export function tagProblems(tags: Record<string, unknown> | undefined, config: RequiredTagsConfig, stack: string): string[] {
  const present = tags ?? {};
  const problems: string[] = [];
  for (const key of config.requiredTags) {
    const value = present[key];
    if (value === undefined || value === null) {
      const variant = Object.keys(present).find((k) => k !== key && k.toLowerCase() === key.toLowerCase());
      problems.push(variant ? `tag '${key}' is missing (found '${variant}': tag keys are case-sensitive)` : `tag '${key}' is missing`);
    } else if (typeof value !== "string" || value.trim() === "") {
      problems.push(`tag '${key}' is empty`);
    }
  }
  const environment = config.environmentTag ? present[config.environmentTag] : undefined;
  if (typeof environment === "string" && environment.trim() !== "" && environment !== stack) {
    problems.push(`tag '${config.environmentTag}' is '${environment}' but this is the '${stack}' stack`);
  }
  return problems;
}

/**
 * A tag policy: `tagsOf` picks the tag map a resource answers for (`undefined` when the policy does
 * not judge the resource), which is then held to the required tags of this stack.
 */
function tagPolicy(
  name: string,
  description: string,
  tagsOf: (args: ResourceValidationArgs) => { tags: Record<string, unknown> | undefined } | undefined,
  prefix = "",
): ResourceValidationPolicy {
  return {
    name,
    description,
    enforcementLevel: "mandatory",
    configSchema: TAG_CONFIG_SCHEMA,
    validateResource: (args: ResourceValidationArgs, reportViolation) => {
      const judged = tagsOf(args);
      if (!judged) return;
      const problems = tagProblems(judged.tags, configOf(args), pulumi.getStack());
      if (problems.length) reportViolation(`${prefix}${problems.join("; ")}`);
    },
  };
}

export const requiredTags = tagPolicy(
  "required-tags",
  "Taggable AWS resources carry the required tags (Project, Environment, Owner, CostCenter, ManagedBy); Environment names the stack.",
  (args) => (TAGGABLE_TYPES.has(args.type) ? { tags: (args.props.tagsAll ?? args.props.tags) as Record<string, unknown> | undefined } : undefined),
);

/**
 * The provider side of the same promise: each AWS provider applies the required tags as
 * `defaultTags`, so resources created later (or by components we do not own) are tagged too.
 */
export const providerDefaultTags = tagPolicy(
  "provider-default-tags",
  "Every AWS provider sets defaultTags with the required tags, so nothing it creates goes untagged.",
  (args) => {
    if (args.type !== "pulumi:providers:aws") return undefined;
    let defaultTags = args.props.defaultTags as unknown;
    // Provider inputs travel as strings; objects arrive JSON-encoded.
    if (typeof defaultTags === "string") {
      try {
        defaultTags = JSON.parse(defaultTags);
      } catch {
        defaultTags = undefined;
      }
    }
    return { tags: (defaultTags as { tags?: Record<string, unknown> } | undefined)?.tags };
  },
  "defaultTags: ",
);

export const tagPolicies = [requiredTags, providerDefaultTags];
