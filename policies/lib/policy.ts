import type {
  PolicyConfigSchema,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { isUnknownValueError, whenKnown } from "./inputs";

/**
 * How a policy of the pack is defined: `resourceRule` and `stackRule` (name, description, level,
 * config schema with defaults, a validation that never throws) and the `StackView` stack policies
 * read resources through. Pack code stays free of `@pulumi/aws` imports (the pack is type-checked
 * by ts-node at start-up, and the aws typings are huge): types are matched by their token strings,
 * e.g. "aws:s3/bucket:Bucket".
 */

export type Level = "advisory" | "mandatory" | "disabled";

/** JSON-schema fragment for one config property (what `configSchema.properties` holds). */
export type SchemaProperty = PolicyConfigSchema["properties"][string];

/**
 * The engine applies a policy's schema defaults only when it sends Configure; tests and direct
 * calls may not. Merge the defaults here so a policy behaves the same either way.
 */
export function configWithDefaults<T extends object>(args: { getConfig<C extends object>(): C }, defaults: T): T {
  return { ...defaults, ...args.getConfig<Partial<T>>() };
}

/** A config schema whose every property carries its default (so `pulumi policy validate-config` shows it). */
export function schemaOf(properties: Record<string, SchemaProperty>, defaults: Record<string, unknown>): PolicyConfigSchema {
  const withDefaults: Record<string, SchemaProperty> = {};
  for (const [key, schema] of Object.entries(properties)) {
    withDefaults[key] = key in defaults ? ({ ...schema, default: defaults[key] } as SchemaProperty) : schema;
  }
  return { properties: withDefaults };
}

export interface ResourceRuleSpec<C extends object> {
  name: string;
  /** One sentence; names the public rule IDs it covers (cdk-nag, Security Hub, Checkov, Trivy). */
  description: string;
  /** Type tokens this policy judges; other types are skipped. "*" judges every type. */
  types: readonly string[] | "*";
  enforcementLevel?: Level;
  /** Config properties (JSON schema) and their defaults. */
  config?: { properties: Record<string, SchemaProperty>; defaults: C };
  validate(props: Record<string, any>, ctx: { type: string; name: string; urn: string; config: C; args: ResourceValidationArgs }, report: (message: string) => void): void;
}

/** What every policy of the pack declares: name, description, level (mandatory unless said), config schema. */
function policyHeader<C extends object>(spec: {
  name: string;
  description: string;
  enforcementLevel?: Level;
  config?: { properties: Record<string, SchemaProperty>; defaults: C };
}) {
  return {
    name: spec.name,
    description: spec.description,
    enforcementLevel: spec.enforcementLevel ?? "mandatory",
    ...(spec.config ? { configSchema: schemaOf(spec.config.properties, spec.config.defaults as Record<string, unknown>) } : {}),
  };
}

/**
 * Runs a validation so that it never throws (issue 14, class 6): a policy that throws makes
 * @pulumi/policy's server fail the whole Analyze/AnalyzeStack call (server.js rethrows anything
 * but UnknownValueError as a gRPC error), which erases every other policy's result and fails the
 * preview. A value unknown during preview is rethrown, so the SDK reports its advisory "can't run
 * during preview"; anything else (malformed input the policy did not foresee) becomes a violation
 * that says the resource could not be judged, at the policy's level.
 */
export function guarded(policy: string, run: () => void, report: (message: string) => void): void {
  try {
    run();
  } catch (error) {
    if (isUnknownValueError(error)) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    report(`could not judge this input (${detail.slice(0, 200)}): malformed or unexpected values are refused until ${policy} can read them`);
  }
}

/** A resource policy restricted to the listed type tokens. */
export function resourceRule<C extends object = Record<string, never>>(spec: ResourceRuleSpec<C>): ResourceValidationPolicy {
  const types = new Set(spec.types === "*" ? [] : spec.types);
  const defaults = (spec.config?.defaults ?? {}) as C;
  const policy: ResourceValidationPolicy = {
    ...policyHeader(spec),
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      if (spec.types !== "*" && !types.has(args.type)) return;
      guarded(
        spec.name,
        () => {
          const config = configWithDefaults(args, defaults);
          spec.validate(args.props, { type: args.type, name: args.name, urn: args.urn, config, args }, (message) => reportViolation(String(message)));
        },
        (message) => reportViolation(message),
      );
    },
  };
  if (spec.types !== "*") JUDGED.set(policy, [...types]);
  return policy;
}

const JUDGED = new WeakMap<object, string[]>();

/** The type tokens a resource policy built with `resourceRule` judges ([] for others and for "*"). */
export function judgedTypes(policy: object): readonly string[] {
  return JUDGED.get(policy) ?? [];
}

export interface StackRuleSpec<C extends object> {
  name: string;
  description: string;
  enforcementLevel?: Level;
  config?: { properties: Record<string, SchemaProperty>; defaults: C };
  validate(stack: StackView, config: C, report: ReportViolation, args: StackValidationArgs): void;
}

/** A stack policy (sees every resource's outputs, parents and dependencies). */
export function stackRule<C extends object = Record<string, never>>(spec: StackRuleSpec<C>): StackValidationPolicy {
  const defaults = (spec.config?.defaults ?? {}) as C;
  return {
    ...policyHeader(spec),
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
      guarded(
        spec.name,
        () => spec.validate(new StackView(args.resources), configWithDefaults(args, defaults), reportViolation, args),
        (message) => reportViolation(message),
      );
    },
  };
}

/** Read-only helpers over the resources a stack policy receives. */
export class StackView {
  constructor(readonly resources: readonly PolicyResource[]) {}

  ofType(...types: string[]): PolicyResource[] {
    return this.resources.filter((r) => types.includes(r.type));
  }

  /**
   * Judges each resource of `type` on its own, so that a malformed one is reported (at its URN)
   * without stopping the judgement of the others; a value unknown during preview skips just that
   * resource.
   */
  eachOf(type: string, report: ReportViolation, judge: (resource: PolicyResource) => void): void {
    for (const resource of this.ofType(type)) {
      try {
        guarded(
          "this policy",
          () => judge(resource),
          (message) => report(`${resource.name}: ${message}`, resource.urn),
        );
      } catch (error) {
        if (!isUnknownValueError(error)) throw error;
      }
    }
  }

  /**
   * Resources of `type` whose `property` refers to `target`: through the engine's property
   * dependencies when present, otherwise by value (the target's id-like outputs: name, arn, id).
   */
  referencing(type: string, property: string, target: PolicyResource, targetValues: unknown[]): PolicyResource[] {
    const values = new Set(targetValues.filter((v) => typeof v === "string" && v !== ""));
    return this.ofType(type).filter((r) => {
      const deps = r.propertyDependencies?.[property];
      if (deps && deps.some((d) => d.urn === target.urn)) return true;
      const value = whenKnown(() => r.props[property] as unknown, undefined);
      return typeof value === "string" && values.has(value);
    });
  }
}
