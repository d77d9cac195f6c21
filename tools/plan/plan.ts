import { join } from "node:path";
import taggable from "../../policies/tags/taggable-types.json";
import { AnalyzedResource, Diagnostic, PolicyPackSession, ResolvedPolicyConfig, StackContext } from "./analyzer";
import { costExtension } from "./cost";
import { firstDeployExtension } from "./firstDeploy";
import { readBackExtension } from "./readBack";
import { graphExtension } from "./graph";
import { MockRunResult, ProgramError, RecordedResource, runUnderMocks } from "../mocks/runtime";
import { callInWorker, WorkerCall } from "./inWorker";
import { outputsExtension } from "./outputs";
import { markPhase } from "./phases";
import { readPolicyConfigFile, resolvePolicyConfig } from "./policyConfig";
import { applyProjectConfigToPlan } from "./projectConfig";
import { defaultProvidersProblem } from "./stackConfig";
import { loadStackFile } from "../mocks/stackFile";

/**
 * The offline plan: the real program under Pulumi's mock runtime with the stack's real config,
 * judged by the policy pack over the analyzer protocol.
 */

export const ROOT = join(__dirname, "..", "..");
const TAGGABLE = new Set(taggable.types);

export interface PlanOptions {
  stack: string;
  /** Policy config file; default `policies/config/<stack>.json`. */
  policyConfigFile?: string;
  /** Module exporting `program()`; default the real program `stacks/program.ts`. */
  programModule?: string;
  /** Policy pack folder; default `policies/`. */
  packDir?: string;
  /** Folder holding `Pulumi.yaml` and `Pulumi.<stack>.yaml`; default the repository root. */
  projectDir?: string;
  /** Progress messages (to stderr in the CLI). */
  progress?: (message: string) => void;
}

export interface PlannedResource {
  urn: string;
  type: string;
  name: string;
  parent?: string;
  region?: string;
  provider?: string;
  inputs: Record<string, unknown>;
  options: RecordedResource["options"];
}

export interface PlanSummary {
  resources: number;
  customResources: number;
  components: number;
  byType: Record<string, number>;
  policiesRun: number;
  mandatory: number;
  advisory: number;
  status: "clean" | "violations";
}

export interface PlanResult {
  project: string;
  stack: string;
  policyPack: { name: string; version: string; configFile: string };
  resources: PlannedResource[];
  diagnostics: Diagnostic[];
  /** Extra sections (e.g. the cost estimate) contributed by plan extensions. */
  sections: Record<string, unknown>;
  /** Text of those sections, for the human-readable output (not part of --json). */
  sectionLines: string[][];
  summary: PlanSummary;
  /** Warnings the pack logged (not policy results). */
  packLogs: string[];
}

/** A config, program, or policy-pack setup problem: exit code 2, message only. */
export class PlanError extends Error {
  override name = "PlanError";
}

/**
 * Plan extensions add sections computed from the recorded resources (e.g. the cost estimate):
 * `value` goes into `--json` under `sections.<key>`, `lines` into the text output.
 */
export type PlanExtension = (
  run: MockRunResult,
  context: StackContext,
  policyConfig: Record<string, ResolvedPolicyConfig>,
) => PlanSection | undefined | Promise<PlanSection | undefined>;
/** A section; `diagnostics` join the pack's (e.g. the deploy-role check's failures, tools/iam/planSection.ts). */
export type PlanSection = { key: string; value: unknown; lines?: string[]; diagnostics?: Diagnostic[] };
/** The cost estimate (policies/billing) is built in: same computation as the billing policies. */
// Also built in: the stack outputs (tools/plan/outputs.ts) and the component graph behind the Mermaid diagram (tools/plan/graph.ts).
// Loaded where it runs (a worker thread, below): the main thread need not load the IAM simulator.
const deployRoleExtension: PlanExtension = async (run, context) => (await import("../iam/planSection")).deployRoleSection(run, context);
const extensions: PlanExtension[] = [costExtension, outputsExtension, firstDeployExtension, readBackExtension, graphExtension, deployRoleExtension];
/**
 * The deploy-role check needs only the program's run, and it is the one CPU-heavy section (the IAM
 * simulator): it starts in a worker thread as soon as the program has run, beside the pack's
 * analysis (tools/plan/inWorker.ts says why not on this thread). Same function, same result.
 */
function startEarlySections(run: MockRunResult, context: StackContext): { sections: Map<PlanExtension, WorkerCall<PlanSection | undefined>>; stop(): Promise<void> } {
  const sections = new Map<PlanExtension, WorkerCall<PlanSection | undefined>>();
  if (extensions.includes(deployRoleExtension)) sections.set(deployRoleExtension, callInWorker(join(__dirname, "..", "iam", "planSection"), "deployRoleSection", [run, context]));
  return { sections, stop: async () => void (await Promise.all([...sections.values()].map((c) => c.stop()))) };
}
export function registerPlanExtension(extension: PlanExtension): void {
  extensions.push(extension);
}

/** Default tags of each provider, by provider URN. */
function providerTags(resources: RecordedResource[]): Map<string, Record<string, string>> {
  const map = new Map<string, Record<string, string>>();
  for (const r of resources) {
    if (r.type.startsWith("pulumi:providers:aws")) {
      map.set(r.urn, ((r.inputs.defaultTags as { tags?: Record<string, string> } | undefined)?.tags ?? {}) as Record<string, string>);
    }
  }
  return map;
}

/**
 * What the engine would send the analyzer: provider-checked inputs. The AWS provider's Check
 * writes `tagsAll = defaultTags ∪ tags` into the inputs of every taggable resource; do the same.
 */
export function toAnalyzed(resources: RecordedResource[], use: "inputs" | "outputs"): AnalyzedResource[] {
  const tagsByProvider = providerTags(resources);
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  return resources.map((r) => {
    const properties: Record<string, unknown> = { ...(use === "inputs" ? r.inputs : { ...r.outputs, ...r.inputs }) };
    if (TAGGABLE.has(r.type)) {
      const defaults = r.provider ? tagsByProvider.get(r.provider) ?? {} : {};
      properties.tagsAll = { ...defaults, ...((r.inputs.tags as Record<string, string> | undefined) ?? {}) };
    }
    const provider = r.provider ? byUrn.get(r.provider) : undefined;
    return {
      urn: r.urn,
      type: r.type,
      name: r.name,
      properties,
      parent: r.parent,
      dependencies: r.options.dependsOn,
      options: { protect: r.options.protect, ignoreChanges: r.options.ignoreChanges, deleteBeforeReplace: r.options.deleteBeforeReplace, parent: r.parent },
      provider: provider ? { urn: provider.urn, type: provider.type, name: provider.name, properties: provider.inputs } : undefined,
    };
  });
}

/** Resources and invokes that would fall back to the default provider, which the stacks disable. */
function defaultProviderUse(run: MockRunResult): string[] {
  const resources = run.resources
    .filter((r) => r.custom && r.type.startsWith("aws:") && !r.provider)
    .map((r) => `resource ${r.urn}`);
  const invokes = run.invokes.filter((i) => i.token.startsWith("aws:") && !i.provider).map((i) => `invoke ${i.token}`);
  return [...resources, ...invokes];
}

export async function plan(options: PlanOptions): Promise<PlanResult> {
  const progress = options.progress ?? (() => undefined);
  const stack = options.stack;
  const packDir = options.packDir ?? join(ROOT, "policies");
  const policyConfigFile = options.policyConfigFile ?? join(ROOT, "policies", "config", `${stack}.json`);

  let loaded: ReturnType<typeof loadStackFile>;
  try {
    loaded = loadStackFile(options.projectDir ?? ROOT, stack);
  } catch (error) {
    throw new PlanError((error as Error).message);
  }
  // The Pulumi CLI's stack-config validation (required keys, types, secrets) and project defaults,
  // before anything runs, as `pulumi preview` does (tools/plan/projectConfig.ts).
  loaded = { ...loaded, ...applyProjectConfigToPlan(options.projectDir ?? ROOT, stack, loaded, (message) => new PlanError(message)) };
  const providersProblem = defaultProvidersProblem(loaded.config, `Pulumi.${stack}.yaml`);
  if (providersProblem) throw new PlanError(providersProblem);
  const policyFile = readPolicyConfigFile(policyConfigFile);
  const context: StackContext = { stack, project: loaded.project, organization: "organization", config: loaded.config, secretKeys: loaded.secretKeys };
  markPhase("stack config checked");

  // The program's own config validation (its `validateConfig` export, stacks/program.ts) before the
  // pack starts: a config error answers without waiting for, or competing with, the pack.
  const programModule = options.programModule ?? join(ROOT, "stacks", "program");
  let module: { program: () => unknown; validateConfig?: (stack: string, config: Record<string, string>, secretKeys: string[]) => void };
  try {
    module = await import(programModule);
  } catch (error) {
    throw new PlanError(`the program failed: ${(error as Error).message}`);
  }
  try {
    module.validateConfig?.(stack, loaded.config, loaded.secretKeys);
  } catch (error) {
    throw new PlanError(`${(error as Error).message} (no resource was declared)`);
  }
  markPhase("program loaded, its config validated");

  // The pack starts while the program runs (from its compiled copy when it has one: packCache.ts):
  // its process is spawned before the program starts, so the two really run side by side.
  progress(`starting policy pack ${relativeToRoot(packDir)}`);
  let sessionPromise: Promise<PolicyPackSession>;
  try {
    sessionPromise = (await PolicyPackSession.launch(packDir, context, ROOT)).ready;
  } catch (error) {
    throw new PlanError((error as Error).message);
  }
  sessionPromise.catch(() => undefined);
  markPhase("pack spawned");

  progress(`running ${options.programModule ? relativeToRoot(options.programModule) : "stacks/program.ts"} under mocks with Pulumi.${stack}.yaml`);
  let run: MockRunResult;
  try {
    run = await runUnderMocks(module.program, { project: loaded.project, stack, config: loaded.config, secretKeys: loaded.secretKeys });
  } catch (error) {
    await sessionPromise.then((s) => s.stop()).catch(() => undefined);
    if (error instanceof ProgramError) {
      const declared = error.declared.length ? ` (${error.declared.length} resources were declared before the error)` : " (no resource was declared)";
      throw new PlanError(`${error.message}${declared}`);
    }
    throw new PlanError(`the program failed: ${(error as Error).message}`);
  }
  progress(`declared ${run.resources.length} resources`);
  markPhase("program run under mocks");

  const strays = defaultProviderUse(run);
  if (strays.length) {
    await sessionPromise.then((s) => s.stop()).catch(() => undefined);
    throw new PlanError(`these use the default AWS provider, which the stacks disable (pass { parent: this } or the stack's provider):\n  ${strays.join("\n  ")}`);
  }

  const early = startEarlySections(run, context);
  let session: PolicyPackSession;
  try {
    session = await sessionPromise;
  } catch (error) {
    await early.stop();
    throw new PlanError((error as Error).message);
  }
  markPhase("pack serving");
  progress(`policy pack serving (${session.startedFrom.status === "hit" ? "its compiled copy" : `from ${session.startedFrom.status === "compiled" ? "a fresh compile" : `source: ${session.startedFrom.status}`}`})`);
  try {
    const info = await session.getAnalyzerInfo();
    const resolved = resolvePolicyConfig(info.policies, policyFile, relativeToRoot(policyConfigFile));
    await session.configure(resolved);
    await session.configureStack(context);
    markPhase("pack configured");

    const analyzed = toAnalyzed(run.resources, "inputs");
    // All Analyze calls in flight at once, as the engine's step executor issues them per resource
    // as steps are ready; results are kept in resource order. Every few requests the event loop
    // turns, so gRPC sends what is encoded and the pack analyses while the rest is encoded; the
    // AnalyzeStack request is built meanwhile too, and sent once every resource has its answer.
    let done = 0;
    const calls: Promise<Diagnostic[]>[] = [];
    for (const [i, resource] of analyzed.entries()) {
      const call = session.analyze(resource).then((found) => {
        done++;
        if (done % 25 === 0 || done === analyzed.length) progress(`analyzed ${done}/${analyzed.length} resources`);
        return found;
      });
      // Awaited below (Promise.all); handled now so a failure while the loop yields is not an unhandled rejection.
      call.catch(() => undefined);
      calls.push(call);
      if (i % 16 === 15) await new Promise((resolve) => setImmediate(resolve));
    }
    const stackRequest = PolicyPackSession.stackRequest(toAnalyzed(run.resources, "outputs"));
    const perResource = await Promise.all(calls);
    const diagnostics: Diagnostic[] = perResource.flat();
    diagnostics.push(...(await session.analyzeStack(stackRequest)));
    progress("analyzed the stack");
    markPhase("analysis");

    const sections: Record<string, unknown> = {};
    const sectionLines: string[][] = [];
    for (const extension of extensions) {
      const started = early.sections.get(extension);
      const section = await (started ? started.result : extension(run, context, resolved));
      markPhase(`section ${section?.key ?? "(none)"}`);
      if (!section) continue;
      if (section.diagnostics) diagnostics.push(...section.diagnostics);
      sections[section.key] = section.value;
      if (section.lines) sectionLines.push(section.lines);
    }

    const activePolicies = Object.values(resolved).filter((c) => c.enforcementLevel !== "disabled").length;
    return {
      project: loaded.project,
      stack,
      policyPack: { name: info.name, version: info.version, configFile: relativeToRoot(policyConfigFile) },
      resources: run.resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, parent: r.parent, region: r.region, provider: r.provider, inputs: r.inputs, options: r.options })),
      diagnostics,
      sections,
      sectionLines,
      summary: summarize(run.resources, diagnostics, activePolicies),
      packLogs: session.logs,
    };
  } catch (error) {
    if (error instanceof PlanError) throw error;
    const stderr = session.errorOutput.trim();
    throw new PlanError(`${(error as Error).message}${stderr ? `\npolicy pack output:\n${stderr}` : ""}`);
  } finally {
    await Promise.all([session.stop(), early.stop()]);
  }
}

function summarize(resources: RecordedResource[], diagnostics: Diagnostic[], policiesRun: number): PlanSummary {
  const byType: Record<string, number> = {};
  for (const r of resources) byType[r.type] = (byType[r.type] ?? 0) + 1;
  const sorted = Object.fromEntries(Object.entries(byType).sort(([a], [b]) => a.localeCompare(b)));
  const mandatory = diagnostics.filter((d) => d.enforcementLevel === "mandatory" || d.enforcementLevel === "remediate").length;
  return {
    resources: resources.length,
    customResources: resources.filter((r) => r.custom).length,
    components: resources.filter((r) => !r.custom).length,
    byType: sorted,
    policiesRun,
    mandatory,
    advisory: diagnostics.filter((d) => d.enforcementLevel === "advisory").length,
    status: mandatory ? "violations" : "clean",
  };
}

function relativeToRoot(path: string): string {
  return path.startsWith(ROOT) ? path.slice(ROOT.length + 1) || "." : path;
}
