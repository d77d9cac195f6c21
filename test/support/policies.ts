import type { Policy, PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { unknownCheckingProxy } from "@pulumi/policy";
import { policies } from "../../policies/catalog";

/**
 * Tier-1 policy tests (reference §3.4): call a policy's validateResource / validateStack directly
 * with arguments built the way @pulumi/policy's server builds them: props wrapped in
 * `unknownCheckingProxy`, `stackTags`, a throwing `notApplicable`, config with the schema defaults
 * applied (the engine applies them; the SDK does not), and awaited validations.
 */

export const POLICIES: ReadonlyMap<string, Policy> = new Map(policies.map((p) => [p.name, p]));

export function policyNamed(name: string): ResourceValidationPolicy | StackValidationPolicy {
  const p = POLICIES.get(name);
  if (!p) throw new Error(`no policy named ${name}`);
  return p as ResourceValidationPolicy | StackValidationPolicy;
}

export function isStackPolicy(p: Policy): p is StackValidationPolicy {
  return typeof (p as StackValidationPolicy).validateStack === "function";
}

/** The config the engine would send: schema defaults, then the overrides. */
export function configFor(p: Policy, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(p.configSchema?.properties ?? {})) {
    if (schema && typeof schema === "object" && "default" in schema) defaults[key] = JSON.parse(JSON.stringify(schema.default));
  }
  return { ...defaults, ...overrides };
}

class NotApplicableError extends Error {}

const OPTS = { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 } };

export function urnOf(type: string, name: string): string {
  return `urn:pulumi:test::mpto::${type}::${name}`;
}

export interface ResourceCall {
  name?: string;
  /** The resource's URN (default `urn:pulumi:test::mpto::<type>::<name>`); real-stack tests pass the recorded one, so URN-keyed reviews apply. */
  urn?: string;
  config?: Record<string, unknown>;
  /** The provider's region (the stack's); `props.region` overrides it as in v7. */
  providerRegion?: string;
}

/** Runs a resource policy on one resource and returns the violation messages. */
export async function runResource(policy: Policy, type: string, props: Record<string, unknown>, call: ResourceCall = {}): Promise<string[]> {
  const p = policy as ResourceValidationPolicy;
  const name = call.name ?? "subject";
  const found: string[] = [];
  const args: ResourceValidationArgs = {
    type,
    props: unknownCheckingProxy(JSON.parse(JSON.stringify(props))),
    urn: call.urn ?? urnOf(type, name),
    name,
    opts: OPTS,
    provider: { type: "pulumi:providers:aws", name: "mpto-aws", urn: urnOf("pulumi:providers:aws", "mpto-aws"), props: { region: call.providerRegion ?? "eu-west-2" } },
    stackTags: new Map([["environment", "test"]]),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => configFor(policy, call.config) as T,
    notApplicable: (reason?: string) => {
      throw new NotApplicableError(reason);
    },
  };
  const validations = ([] as unknown[]).concat(p.validateResource ?? []) as ((a: ResourceValidationArgs, r: (m: string) => void) => void | Promise<void>)[];
  for (const validate of validations) await validate(args, (message) => found.push(message));
  return found;
}

/** A stack resource as a test declares it; `deps` name other resources of the same stack. */
export interface StackResourceSpec {
  type: string;
  name: string;
  props: Record<string, unknown>;
  /** The resource's URN (default `urn:pulumi:test::mpto::<type>::<name>`). */
  urn?: string;
  /** Provider region (default eu-west-2); a `region` prop overrides it. */
  providerRegion?: string;
  /** Property dependencies by resource name, e.g. `{ bucket: ["media"] }`. */
  deps?: Record<string, string[]>;
}

export interface StackViolation {
  message: string;
  urn?: string;
}

/** Builds the PolicyResource graph the SDK hands a stack policy. */
export function stackResources(specs: StackResourceSpec[]): PolicyResource[] {
  const resources: PolicyResource[] = specs.map((s) => ({
    type: s.type,
    name: s.name,
    urn: s.urn ?? urnOf(s.type, s.name),
    props: unknownCheckingProxy(JSON.parse(JSON.stringify(s.props))),
    opts: OPTS,
    provider: { type: "pulumi:providers:aws", name: "mpto-aws", urn: urnOf("pulumi:providers:aws", "mpto-aws"), props: { region: s.providerRegion ?? "eu-west-2" } },
    dependencies: [],
    propertyDependencies: {},
    isType: () => false,
    asType: () => undefined,
  }));
  const byName = new Map(resources.map((r) => [r.name, r]));
  specs.forEach((s, i) => {
    for (const [prop, names] of Object.entries(s.deps ?? {})) {
      const targets = names.map((n) => {
        const t = byName.get(n);
        if (!t) throw new Error(`dependency ${n} of ${s.name} is not declared`);
        return t;
      });
      resources[i].propertyDependencies[prop] = targets;
      resources[i].dependencies.push(...targets);
    }
  });
  return resources;
}

/** Runs a stack policy over the given resources. */
export async function runStack(policy: Policy, specs: StackResourceSpec[], config: Record<string, unknown> = {}): Promise<StackViolation[]> {
  const p = policy as StackValidationPolicy;
  const found: StackViolation[] = [];
  const args: StackValidationArgs = {
    resources: stackResources(specs),
    stackTags: new Map([["environment", "test"]]),
    getConfig: <T extends object>() => configFor(policy, config) as T,
    notApplicable: (reason?: string) => {
      throw new NotApplicableError(reason);
    },
  };
  await p.validateStack(args, (message, urn) => found.push({ message, urn }));
  return found;
}
