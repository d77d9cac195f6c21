import type {
  PolicyConfigSchema,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";

/**
 * Small building blocks shared by the policy families. Pack code stays free of `@pulumi/aws`
 * imports (the pack is type-checked by ts-node at start-up, and the aws typings are huge): types
 * are matched by their token strings, e.g. "aws:s3/bucket:Bucket".
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
  /** Type tokens this policy judges; other types are skipped. */
  types: readonly string[];
  enforcementLevel?: Level;
  /** Config properties (JSON schema) and their defaults. */
  config?: { properties: Record<string, SchemaProperty>; defaults: C };
  validate(props: Record<string, any>, ctx: { type: string; name: string; urn: string; config: C; args: ResourceValidationArgs }, report: (message: string) => void): void;
}

/** What every policy of the pack declares: name, description, level (mandatory unless said), config schema. */
function policyHeader<C extends object>(spec: { name: string; description: string; enforcementLevel?: Level; config?: { properties: Record<string, SchemaProperty>; defaults: C } }) {
  return {
    name: spec.name,
    description: spec.description,
    enforcementLevel: spec.enforcementLevel ?? "mandatory",
    ...(spec.config ? { configSchema: schemaOf(spec.config.properties, spec.config.defaults as Record<string, unknown>) } : {}),
  };
}

/** A resource policy restricted to the listed type tokens. */
export function resourceRule<C extends object = Record<string, never>>(spec: ResourceRuleSpec<C>): ResourceValidationPolicy {
  const types = new Set(spec.types);
  const defaults = (spec.config?.defaults ?? {}) as C;
  return {
    ...policyHeader(spec),
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      if (!types.has(args.type)) return;
      const config = configWithDefaults(args, defaults);
      spec.validate(args.props, { type: args.type, name: args.name, urn: args.urn, config, args }, (message) => reportViolation(message));
    },
  };
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
      spec.validate(new StackView(args.resources), configWithDefaults(args, defaults), reportViolation, args);
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

/** Region of a resource: the v7 per-resource `region`, else its provider's, else the fallback. */
export function regionOf(r: { props: Record<string, any>; provider?: { props: Record<string, any> } }, fallback = "eu-west-2"): string {
  const own = r.props.region;
  if (typeof own === "string" && own) return own;
  const provider = r.provider?.props?.region;
  return typeof provider === "string" && provider ? provider : fallback;
}

/** Lists that may be absent. */
export function list<T = any>(value: unknown): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? (value as T[]) : [value as T];
}

export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

// ---------------------------------------------------------------------------------------------
// Policy documents (IAM identity policies, bucket/topic/queue/key resource policies)

export interface Statement {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** Statements of a policy document given as JSON text or an object; `undefined` when absent or unreadable. */
export function statementsOf(document: unknown): Statement[] | undefined {
  if (document === undefined || document === null || document === "") return undefined;
  let parsed: unknown = document;
  if (typeof document === "string") {
    try {
      parsed = JSON.parse(document);
    } catch {
      return undefined;
    }
  }
  const statement = (parsed as { Statement?: unknown })?.Statement;
  if (statement === undefined) return undefined;
  return list<Statement>(statement);
}

/** True when the principal is anyone: "*" or {AWS: "*"} (also inside lists). */
export function isAnyonePrincipal(principal: unknown): boolean {
  if (principal === "*") return true;
  if (principal && typeof principal === "object") {
    const aws = (principal as { AWS?: unknown }).AWS;
    return list(aws).includes("*");
  }
  return false;
}

/** Condition keys that tie an "anyone" principal to this account, an organisation, a source or a VPC. */
const SCOPING_CONDITION_KEYS = [
  "aws:sourceaccount",
  "aws:sourcearn",
  "aws:sourceowner",
  "aws:principalaccount",
  "aws:principalorgid",
  "aws:principalarn",
  "aws:sourcevpc",
  "aws:sourcevpce",
  "aws:userid",
  "kms:calleraccount",
  "kms:viaservice",
];

/** Whether an Allow statement's condition limits who can use it (so "*" is not public). */
export function isScopedByCondition(statement: Statement): boolean {
  for (const operands of Object.values(statement.Condition ?? {})) {
    for (const key of Object.keys(operands ?? {})) {
      if (SCOPING_CONDITION_KEYS.includes(key.toLowerCase())) return true;
    }
  }
  return false;
}

/** Allow statements open to anyone (no principal restriction and no scoping condition). */
export function publicAllowStatements(statements: Statement[]): Statement[] {
  return statements.filter((s) => s.Effect === "Allow" && (isAnyonePrincipal(s.Principal) || s.NotPrincipal !== undefined) && !isScopedByCondition(s));
}

/** A Deny of every principal when aws:SecureTransport is false (TLS-only resource policy). */
export function hasSecureTransportDeny(statements: Statement[]): boolean {
  return statements.some((s) => {
    if (s.Effect !== "Deny" || !isAnyonePrincipal(s.Principal)) return false;
    for (const [operator, operands] of Object.entries(s.Condition ?? {})) {
      for (const [key, value] of Object.entries(operands ?? {})) {
        if (key.toLowerCase() !== "aws:securetransport") continue;
        const values = list(value).map(String);
        if (/^Bool(IfExists)?$/.test(operator) && values.includes("false")) return true;
      }
    }
    return false;
  });
}

/** Actions of a statement as a list (NotAction statements count as "*"). */
export function actionsOf(statement: Statement): string[] {
  if (statement.NotAction !== undefined) return ["*"];
  return list<string>(statement.Action);
}

/** Resources of a statement as a list (NotResource statements count as "*"). */
export function resourcesOf(statement: Statement): string[] {
  if (statement.NotResource !== undefined) return ["*"];
  return list<string>(statement.Resource);
}

/** Account id of an ARN (`arn:aws:iam::123456789012:root` -> 123456789012), or a bare 12-digit id. */
export function accountOf(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  const match = /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(principal);
  return match ? match[1] : undefined;
}

/** Region of an ARN (empty string for global services), or undefined when it is not an ARN. */
export function arnRegion(arn: unknown): string | undefined {
  if (typeof arn !== "string") return undefined;
  const match = /^arn:[^:]+:[^:]+:([^:]*):/.exec(arn);
  return match ? match[1] : undefined;
}

/** Formats USD amounts in messages. */
export function usd(amount: number): string {
  return `$${amount.toFixed(2)}`;
}

/**
 * During a preview some outputs are unknown; @pulumi/policy's proxy throws `UnknownValueError`
 * when a policy reads one (the SDK then downgrades the whole policy to an advisory "can't run
 * during preview"). Stack policies use this to skip just the unknown part instead.
 */
export function isUnknownValueError(error: unknown): boolean {
  return error instanceof Error && error.constructor?.name === "UnknownValueError";
}

/** `read()`, or `fallback` when it touches a value unknown during preview. */
export function whenKnown<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch (error) {
    if (isUnknownValueError(error)) return fallback;
    throw error;
  }
}
