import * as pulumi from "@pulumi/pulumi";
import { AliasSpec, generateAliases } from "./aliases";
import { mockCall, mockResourceState } from "./state";

/**
 * Runs a Pulumi program under the SDK's mock runtime and records everything the engine would see.
 *
 * Used by the offline plan (one run per process) and by component tests (many runs per process:
 * each run gets its own root stack and its own records, so tests do not see each other's resources).
 */

/** Resource options the program set, as far as the SDK lets us see them. */
export interface RecordedOptions {
  protect?: boolean;
  retainOnDelete?: boolean;
  deleteBeforeReplace?: boolean;
  ignoreChanges?: string[];
  /** Inputs whose change replaces the resource (the read-back check looks for them). */
  replaceOnChanges?: string[];
  dependsOn?: string[];
  /** Id of an existing cloud resource to adopt (`import` option). */
  import?: string;
  /** URNs the engine would also look this resource up by in the old state (`aliases` option, tools/mocks/aliases.ts). */
  aliases?: string[];
}

export interface RecordedResource {
  urn: string;
  type: string;
  name: string;
  /** URN of the parent (the root stack for top-level resources). */
  parent?: string;
  custom: boolean;
  /** `region` input (v7 per-resource region) or the provider's region. */
  region?: string;
  /** URN of the explicit provider, or undefined when the default provider would be used. */
  provider?: string;
  inputs: Record<string, unknown>;
  /** What the mock returned: inputs plus computed outputs (ids, ARNs). */
  outputs: Record<string, unknown>;
  options: RecordedOptions;
}

export interface RecordedInvoke {
  token: string;
  provider?: string;
  inputs: Record<string, unknown>;
}

export interface MockRunResult {
  resources: RecordedResource[];
  invokes: RecordedInvoke[];
  stackOutputs: Record<string, unknown>;
  /** Names of the stack outputs the program returned as secrets (their values must not be shown). */
  secretOutputs: string[];
}

/** The program threw. Carries what it had declared before it failed (config errors: nothing). */
export class ProgramError extends Error {
  override name = "ProgramError";
  constructor(
    readonly reason: unknown,
    readonly declared: { type: string; name: string }[],
  ) {
    super(reason instanceof Error ? reason.message : String(reason));
  }
}

export interface MockRunOptions {
  project: string;
  stack: string;
  /** `namespace:key` -> string value, exactly as `pulumi config` hands them to a program. */
  config?: Record<string, string>;
  secretKeys?: string[];
  /** Region of resources that set neither `region` nor a provider with a region. */
  defaultRegion?: string;
}

interface PendingResource {
  resource: pulumi.Resource;
  type: string;
  name: string;
  custom: boolean;
  opts: pulumi.ResourceOptions;
}

let mocksInstalled = false;
let currentRun: { newResources: Map<string, any[]>; invokes: RecordedInvoke[]; defaultRegion: string } | undefined;

function installMocks(project: string, stack: string): void {
  // setMocks is process-wide; the recording target switches per run.
  pulumi.runtime.setMocks(
    {
      newResource(args) {
        const run = currentRun!;
        const result = mockResourceState(args, run.defaultRegion);
        const key = `${args.type}::${args.name}`;
        const list = run.newResources.get(key) ?? [];
        list.push({ args, result });
        run.newResources.set(key, list);
        return result;
      },
      call(args) {
        const run = currentRun!;
        run.invokes.push({ token: args.token, provider: args.provider || undefined, inputs: args.inputs });
        return mockCall(args, run.defaultRegion);
      },
    },
    project,
    stack,
    false,
  );
  mocksInstalled = true;
}

function outputValue<T>(output: pulumi.Output<T> | undefined): Promise<T | undefined> {
  if (!output) return Promise.resolve(undefined);
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

/** Provider inputs are sent as strings (objects JSON-encoded); decode them back. */
function parseProviderInputs(inputs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inputs)) {
    if (typeof value !== "string") out[key] = value;
    else if (value === "true" || value === "false") out[key] = value === "true";
    else if (/^[[{]/.test(value)) {
      try {
        out[key] = JSON.parse(value);
      } catch {
        out[key] = value;
      }
    } else out[key] = value;
  }
  return out;
}

/**
 * Stack traces off while a program runs under mocks. The SDK records one for every promise it
 * creates (`new Error().stack` in runtime/debuggable.js) and for every resource (Resource.callsites,
 * which lifts `Error.stackTraceLimit` to Infinity); with source maps on, formatting them was most of
 * a run's time (a prod stack ~5x faster without). None of them reaches the mocks: MockMonitor passes
 * no source position or trace to `newResource`, and the leak report that prints them runs at exit.
 * The formatter keeps the `Name: message` line, so an error printed through `.stack` still says what
 * failed; an error created during a run has no frames. `MPTO_STACK_TRACES=on` keeps them (to find
 * where a component throws). Nested or overlapping runs restore the settings when the last one ends.
 */
let tracesOff = 0;
let savedTraces: { limit: number; prepare: typeof Error.prepareStackTrace } | undefined;
function headerOnly(error: Error): string {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return "Error";
  }
}
function stackTracesOff(): () => void {
  if (process.env.MPTO_STACK_TRACES === "on") return () => undefined;
  if (tracesOff++ === 0) {
    savedTraces = { limit: Error.stackTraceLimit, prepare: Error.prepareStackTrace };
    Error.stackTraceLimit = 0;
    Error.prepareStackTrace = headerOnly;
  }
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    if (--tracesOff === 0 && savedTraces) {
      Error.stackTraceLimit = savedTraces.limit;
      Error.prepareStackTrace = savedTraces.prepare;
      savedTraces = undefined;
    }
  };
}

/**
 * Runs `program` under mocks with the given config and returns every resource it declared,
 * with URN, parent, region, provider, inputs, mock outputs and the options the SDK exposes.
 */
export async function runUnderMocks(program: () => Promise<unknown> | unknown, options: MockRunOptions): Promise<MockRunResult> {
  const restoreTraces = stackTracesOff();
  try {
    return await record(program, options, restoreTraces);
  } finally {
    restoreTraces();
  }
}

async function record(program: () => Promise<unknown> | unknown, options: MockRunOptions, restoreTraces: () => void): Promise<MockRunResult> {
  if (!mocksInstalled || pulumi.getStack() !== options.stack || pulumi.getProject() !== options.project) {
    installMocks(options.project, options.stack);
  }
  pulumi.runtime.setAllConfig(options.config ?? {}, options.secretKeys ?? []);
  const run = { newResources: new Map<string, any[]>(), invokes: [] as RecordedInvoke[], defaultRegion: options.defaultRegion ?? "eu-west-2" };
  currentRun = run;
  const pending: PendingResource[] = [];

  // Catch inside so the SDK does not log the failure itself; kept out of the returned value,
  // which the SDK serialises as stack outputs.
  let failure: { error: unknown } | undefined;
  let secretOutputs: string[] = [];
  const stackOutputs = await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      pending.push({ resource: args.resource, type: args.type, name: args.name, custom: args.resource instanceof pulumi.CustomResource, opts: args.opts });
      return undefined;
    });
    try {
      const outputs = await program();
      secretOutputs = await secretOutputNames(outputs);
      return outputs;
    } catch (error) {
      failure = { error };
      return undefined;
    }
  });
  if (failure) {
    await (pulumi.runtime as any).waitForRPCs?.();
    currentRun = undefined;
    // The ProgramError itself carries a stack (where the run failed), as before.
    restoreTraces();
    throw new ProgramError(
      failure.error,
      pending.map((p) => ({ type: p.type, name: p.name })),
    );
  }

  // Wait for every registration to reach the mock monitor.
  const urns = await Promise.all(pending.map((p) => outputValue(p.resource.urn)));
  await (pulumi.runtime as any).waitForRPCs?.();

  const urnOf = new Map<pulumi.Resource, string>();
  pending.forEach((p, i) => urnOf.set(p.resource, urns[i] as string));
  const stackResource = pulumi.runtime.getStackResource();
  const stackUrn = stackResource ? await outputValue(stackResource.urn) : undefined;

  // Provider references reach the mock monitor as "<urn>::<id>"; providers' inputs arrive as strings.
  const providerInputsByUrn = new Map<string, Record<string, unknown>>();
  const taken = new Map<string, number>();
  const registrations = pending.map((p) => {
    const key = `${p.type}::${p.name}`;
    const index = taken.get(key) ?? 0;
    taken.set(key, index + 1);
    return run.newResources.get(key)?.[index];
  });
  pending.forEach((p, i) => {
    if (p.type.startsWith("pulumi:providers:")) providerInputsByUrn.set(urns[i] as string, parseProviderInputs(registrations[i]?.args.inputs ?? {}));
  });

  const resources: RecordedResource[] = [];
  const aliasesOf = new Map<string, string[]>();
  for (let i = 0; i < pending.length; i++) {
    const p = pending[i];
    const parentUrn = p.opts.parent ? (urnOf.get(p.opts.parent) ?? (await outputValue(p.opts.parent.urn))) : stackUrn;
    const aliases = generateAliases(
      { name: p.name, type: p.type, parentUrn, stack: pulumi.getStack(), project: pulumi.getProject() },
      await aliasSpecs(p.opts.aliases, urnOf),
      aliasesOf,
    );
    if (aliases.length) aliasesOf.set(urns[i] as string, aliases);
    const registered = registrations[i];
    const inputs = (registered?.args.inputs ?? {}) as Record<string, unknown>;
    const isProvider = p.type.startsWith("pulumi:providers:");
    const providerRef: string | undefined = registered?.args.provider || undefined;
    const providerUrn = providerRef ? providerRef.slice(0, providerRef.lastIndexOf("::")) : undefined;
    const providerRegion = providerUrn ? (providerInputsByUrn.get(providerUrn)?.region as string | undefined) : undefined;
    resources.push({
      urn: urns[i] as string,
      type: p.type,
      name: p.name,
      parent: parentUrn,
      custom: p.custom,
      region: !p.custom
        ? undefined
        : isProvider
          ? (providerInputsByUrn.get(urns[i] as string)?.region as string | undefined)
          : ((inputs.region as string | undefined) ?? providerRegion ?? run.defaultRegion),
      provider: providerUrn,
      inputs: isProvider ? providerInputsByUrn.get(urns[i] as string)! : inputs,
      outputs: (registered?.result.state ?? {}) as Record<string, unknown>,
      options: {
        protect: p.opts.protect || undefined,
        retainOnDelete: p.opts.retainOnDelete || undefined,
        deleteBeforeReplace: (p.opts as pulumi.CustomResourceOptions).deleteBeforeReplace || undefined,
        ignoreChanges: p.opts.ignoreChanges?.length ? [...p.opts.ignoreChanges] : undefined,
        replaceOnChanges: p.opts.replaceOnChanges?.length ? [...p.opts.replaceOnChanges] : undefined,
        import: (p.opts as pulumi.CustomResourceOptions).import || undefined,
        dependsOn: await dependsOnUrns(p.opts.dependsOn, urnOf),
        aliases: aliases.length ? aliases : undefined,
      },
    });
  }
  currentRun = undefined;
  return { resources, invokes: run.invokes, stackOutputs: (stackOutputs ?? {}) as Record<string, unknown>, secretOutputs };
}

/** Top-level stack outputs that are secret Outputs (the SDK unwraps them in the returned values). */
async function secretOutputNames(outputs: unknown): Promise<string[]> {
  if (!outputs || typeof outputs !== "object") return [];
  const names: string[] = [];
  for (const [name, value] of Object.entries(outputs as Record<string, unknown>)) {
    if (pulumi.Output.isInstance(value) && (await (value as unknown as { isSecret: Promise<boolean> }).isSecret)) names.push(name);
  }
  return names.sort();
}

/** The `aliases` option as the SDK sends it to the engine (runtime/resource.ts mapAliasesForRequest). */
async function aliasSpecs(aliases: pulumi.ResourceOptions["aliases"], urnOf: Map<pulumi.Resource, string>): Promise<AliasSpec[]> {
  const out: AliasSpec[] = [];
  for (const input of aliases ?? []) {
    // An alias spec is a plain object whose fields may be Outputs (and whose parent may be a Resource): unwrap only an Output itself.
    const a = (pulumi.Output.isInstance(input) ? await outputValue(input) : await input) as string | pulumi.Alias;
    if (typeof a === "string") {
      out.push({ urn: a });
      continue;
    }
    const str = async (v: pulumi.Input<string> | undefined) => (v === undefined ? undefined : ((await outputValue(pulumi.output(v))) as string | undefined));
    const spec: AliasSpec = { name: await str(a.name), type: await str(a.type), stack: await str(a.stack), project: await str(a.project) };
    if (Object.prototype.hasOwnProperty.call(a, "parent")) {
      if (a.parent === undefined) spec.noParent = true;
      else
        spec.parentUrn = pulumi.Resource.isInstance(a.parent)
          ? (urnOf.get(a.parent) ?? ((await outputValue(a.parent.urn)) as string))
          : await str(a.parent as pulumi.Input<string>);
    }
    out.push(spec);
  }
  return out;
}

async function dependsOnUrns(dependsOn: pulumi.ResourceOptions["dependsOn"], urnOf: Map<pulumi.Resource, string>): Promise<string[] | undefined> {
  if (!dependsOn) return undefined;
  const resolved = await new Promise<pulumi.Resource[]>((resolve) => pulumi.output(dependsOn as any).apply((v: any) => resolve(([] as pulumi.Resource[]).concat(v ?? []))));
  const list = await Promise.all(resolved.map(async (r) => urnOf.get(r) ?? (await outputValue(r.urn)) ?? ""));
  return list.length ? list : undefined;
}
