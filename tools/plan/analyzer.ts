import * as grpc from "@grpc/grpc-js";
import { ChildProcess, spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { getCompileCacheDir } from "node:module";
import { dirname, join } from "node:path";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import * as engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as enginePb from "@pulumi/pulumi/proto/engine_pb";
import { PackCacheResult, packFolderNow, preparePack } from "./packCache";

/**
 * Drives a policy pack the way the Pulumi CLI does, with no CLI: the pack is started through
 * @pulumi/pulumi's own policy-pack runner (`cmd/run-policy-pack`, which registers ts-node with
 * type-checking, as the CLI's language host does), it prints its port, and we speak the analyzer
 * gRPC protocol to it. A minimal Engine service receives the pack's log messages.
 */

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

export interface PolicyInfo {
  name: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  configSchema?: { properties?: Record<string, any>; required?: string[] };
}

export interface AnalyzerInfo {
  name: string;
  version: string;
  policies: PolicyInfo[];
}

/** One policy's resolved config, as the CLI sends it after applying `--policy-pack-config`. */
export interface ResolvedPolicyConfig {
  enforcementLevel: EnforcementLevel;
  properties: Record<string, unknown>;
}

export interface AnalyzedResource {
  urn: string;
  type: string;
  name: string;
  /** Provider-checked inputs (Analyze) or outputs (AnalyzeStack). */
  properties: Record<string, unknown>;
  parent?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  options: { protect?: boolean; ignoreChanges?: string[]; deleteBeforeReplace?: boolean; parent?: string };
  provider?: { urn: string; type: string; name: string; properties: Record<string, unknown> };
}

export interface Diagnostic {
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  enforcementLevel: EnforcementLevel;
  urn?: string;
  /** The policy's description. */
  description: string;
  /** The violation message (without the description the SDK prefixes). */
  message: string;
}

export interface StackContext {
  stack: string;
  project: string;
  organization: string;
  config: Record<string, string>;
  secretKeys: string[];
  tags?: Record<string, string>;
}

const LEVELS: Record<number, EnforcementLevel> = {
  [analyzerPb.EnforcementLevel.ADVISORY]: "advisory",
  [analyzerPb.EnforcementLevel.MANDATORY]: "mandatory",
  [analyzerPb.EnforcementLevel.DISABLED]: "disabled",
  [analyzerPb.EnforcementLevel.REMEDIATE]: "remediate",
};
const LEVEL_CODES: Record<EnforcementLevel, number> = {
  advisory: analyzerPb.EnforcementLevel.ADVISORY,
  mandatory: analyzerPb.EnforcementLevel.MANDATORY,
  disabled: analyzerPb.EnforcementLevel.DISABLED,
  remediate: analyzerPb.EnforcementLevel.REMEDIATE,
};

function unary<Req, Res>(client: grpc.Client, method: string, request: Req): Promise<Res> {
  return new Promise((resolve, reject) => {
    (client as any)[method](request, { deadline: Date.now() + 120_000 }, (error: grpc.ServiceError | null, response: Res) =>
      error ? reject(new Error(`analyzer ${method} failed: ${error.details || error.message}`)) : resolve(response),
    );
  });
}

function toStruct(value: Record<string, unknown>): Struct {
  // Struct.fromJavaScript rejects undefined; JSON round-trip drops it the way the engine does.
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(value ?? {})));
}

/** A minimal Engine service: the pack logs through it (warnings and errors surface in the plan). */
async function startEngine(logs: string[]): Promise<{ address: string; stop(): void }> {
  const server = new grpc.Server();
  server.addService(engineGrpc.EngineService, {
    log(call: grpc.ServerUnaryCall<enginePb.LogRequest, Empty>, callback: grpc.sendUnaryData<Empty>) {
      const severity = call.request.getSeverity();
      if (severity >= enginePb.LogSeverity.WARNING) logs.push(call.request.getMessage());
      callback(null, new Empty());
    },
    getRootResource(_call: unknown, callback: grpc.sendUnaryData<enginePb.GetRootResourceResponse>) {
      callback(null, new enginePb.GetRootResourceResponse());
    },
    setRootResource(_call: unknown, callback: grpc.sendUnaryData<enginePb.SetRootResourceResponse>) {
      callback(null, new enginePb.SetRootResourceResponse());
    },
  } as any);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return { address: `127.0.0.1:${port}`, stop: () => server.forceShutdown() };
}

export class PolicyPackSession {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: analyzerGrpc.AnalyzerClient,
    private readonly engine: { stop(): void },
    readonly logs: string[],
    private readonly stderr: string[],
    /** Where the pack was started from: its compiled copy (packCache.ts) or its source folder. */
    readonly startedFrom: PackCacheResult,
    private readonly launchedWith: { engineAddress: string; context: StackContext; rootDir: string },
  ) {}

  /**
   * Starts the pack in `packDir` as the CLI does (cwd = pack folder, project/stack/config in the
   * environment) and connects to it. The folder is the pack's compiled copy when one can be made
   * (packCache.ts: what the CLI does with a published pack), else `packDir` itself.
   */
  static async start(packDir: string, context: StackContext, rootDir: string): Promise<PolicyPackSession> {
    return (await PolicyPackSession.launch(packDir, context, rootDir)).ready;
  }

  /**
   * `start` in two steps: resolves once the pack's process is running (or, on a cache miss, its
   * compile is under way in a worker), with `ready` for when it serves. The plan awaits this before
   * it runs the program: a program under mocks keeps the event loop busy with promise jobs, so a
   * spawn left to a later turn of the loop would wait for the whole program and start nothing in parallel.
   */
  static async launch(packDir: string, context: StackContext, rootDir: string): Promise<{ ready: Promise<PolicyPackSession> }> {
    const logs: string[] = [];
    const engine = await startEngine(logs);
    const known = packFolderNow(packDir, rootDir);
    const ready = known
      ? PolicyPackSession.serve(known, engine, logs, context, rootDir)
      : preparePack(packDir, rootDir).then((prepared) => PolicyPackSession.serve(prepared, engine, logs, context, rootDir));
    return { ready };
  }

  /** Spawns the runner in `prepared.dir` (synchronously, at the call) and waits for its port line. */
  private static serve(prepared: PackCacheResult, engine: { address: string; stop(): void }, logs: string[], context: StackContext, rootDir: string): Promise<PolicyPackSession> {
    const child = startRunner(prepared.dir, engine.address, context, rootDir);
    const stderr: string[] = [];
    child.stderr!.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
    const port = new Promise<number>((resolve, reject) => {
      let buffered = "";
      const onData = (chunk: Buffer) => {
        buffered += chunk.toString();
        const line = buffered.split("\n")[0];
        if (buffered.includes("\n") && /^\d+$/.test(line.trim())) {
          child.stdout!.off("data", onData);
          resolve(Number(line.trim()));
        }
      };
      child.stdout!.on("data", onData);
      child.once("exit", (code) => {
        engine.stop();
        reject(new Error(`policy pack exited (code ${code}) before it served:\n${(stderr.join("") + buffered).trim()}`));
      });
    });
    return port.then((p) => {
      child.removeAllListeners("exit");
      const client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${p}`, grpc.credentials.createInsecure());
      return new PolicyPackSession(child, client, engine, logs, stderr, prepared, { engineAddress: engine.address, context, rootDir });
    });
  }

  async getAnalyzerInfo(): Promise<AnalyzerInfo> {
    const info = await unary<Empty, analyzerPb.AnalyzerInfo>(this.client, "getAnalyzerInfo", new Empty());
    return {
      name: info.getName(),
      version: info.getVersion(),
      policies: info.getPoliciesList().map((p) => ({
        name: p.getName(),
        description: p.getDescription(),
        enforcementLevel: LEVELS[p.getEnforcementlevel()],
        configSchema: p.getConfigschema()
          ? { properties: p.getConfigschema()!.getProperties()?.toJavaScript() as Record<string, any>, required: p.getConfigschema()!.getRequiredList() }
          : undefined,
      })),
    };
  }

  async configure(config: Record<string, ResolvedPolicyConfig>): Promise<void> {
    const request = new analyzerPb.ConfigureAnalyzerRequest();
    for (const [name, c] of Object.entries(config)) {
      const pc = new analyzerPb.PolicyConfig();
      pc.setEnforcementlevel(LEVEL_CODES[c.enforcementLevel] as analyzerPb.EnforcementLevel);
      pc.setProperties(toStruct(c.properties));
      request.getPolicyconfigMap().set(name, pc);
    }
    await unary(this.client, "configure", request);
  }

  async configureStack(context: StackContext): Promise<void> {
    const request = new analyzerPb.AnalyzerStackConfigureRequest();
    request.setStack(context.stack);
    request.setProject(context.project);
    request.setOrganization(context.organization);
    request.setDryRun(true);
    request.setConfigSecretKeysList(context.secretKeys);
    for (const [k, v] of Object.entries(context.config)) request.getConfigMap().set(k, v);
    for (const [k, v] of Object.entries(context.tags ?? {})) request.getTagsMap().set(k, v);
    await unary(this.client, "configureStack", request);
  }

  async analyze(resource: AnalyzedResource): Promise<Diagnostic[]> {
    const request = describeResource(new analyzerPb.AnalyzeRequest(), resource);
    const response = await unary<analyzerPb.AnalyzeRequest, analyzerPb.AnalyzeResponse>(this.client, "analyze", request);
    return diagnosticsOf(response, resource.urn);
  }

  /** The AnalyzeStack request for these resources, built ahead of sending it (the plan builds it while the pack analyses the resources one by one). */
  static stackRequest(resources: AnalyzedResource[]): analyzerPb.AnalyzeStackRequest {
    const request = new analyzerPb.AnalyzeStackRequest();
    request.setResourcesList(
      resources.map((r) => {
        const ar = describeResource(new analyzerPb.AnalyzerResource(), r);
        if (r.parent) ar.setParent(r.parent);
        ar.setDependenciesList(r.dependencies ?? []);
        for (const [prop, urns] of Object.entries(r.propertyDependencies ?? {})) {
          const deps = new analyzerPb.AnalyzerPropertyDependencies();
          deps.setUrnsList(urns);
          ar.getPropertydependenciesMap().set(prop, deps);
        }
        return ar;
      }),
    );
    return request;
  }

  async analyzeStack(resources: AnalyzedResource[] | analyzerPb.AnalyzeStackRequest): Promise<Diagnostic[]> {
    const request = Array.isArray(resources) ? PolicyPackSession.stackRequest(resources) : resources;
    const response = await unary<analyzerPb.AnalyzeStackRequest, analyzerPb.AnalyzeResponse>(this.client, "analyzeStack", request);
    return diagnosticsOf(response);
  }

  /** Stops the pack by its PID and the engine service. */
  async stop(): Promise<void> {
    this.client.close();
    if (this.child.exitCode === null && this.child.pid) {
      const exited = new Promise((resolve) => this.child.once("exit", resolve));
      process.kill(this.child.pid, "SIGTERM");
      await exited;
    }
    await warmPackCompileCache(this.startedFrom, this.launchedWith);
    this.engine.stop();
  }

  /** What the pack wrote to stderr (type errors, crashes). */
  get errorOutput(): string {
    return this.stderr.join("");
  }
}

/**
 * The folder for Node's compile cache of the pack's processes: beside this process's own (tools/register.js
 * enables it), not in it. The runner attaches V8's inspector (@pulumi/pulumi runtime/closure/v8Hooks),
 * and V8 rejects code cache made without it, and the other way round: sharing one folder, the plan and
 * the pack would each discard what the other wrote for the modules both load.
 */
function packCompileCache(): string | undefined {
  const dir = getCompileCacheDir?.();
  // getCompileCacheDir() names the per-Node-version subfolder of the folder NODE_COMPILE_CACHE takes.
  return dir ? `${dirname(dir)}-policy-pack` : undefined;
}

/**
 * The pack's process, as the CLI starts it: `node <sdk>/cmd/run-policy-pack <engine> .` with the
 * pack folder as working directory and project, stack and config in the environment (plus, when
 * this process has one, Node's compile cache folder: an environment variable such as a developer
 * could set for the CLI, which hands its environment to the pack). `preload` is only for the one-off
 * start of `warmPackCompileCache`.
 */
function startRunner(dir: string, engineAddress: string, context: StackContext, rootDir: string, preload?: string): ChildProcess {
  const runner = join(rootDir, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack");
  const cache = packCompileCache();
  return spawn(process.execPath, [...(preload ? ["-r", preload] : []), runner, engineAddress, "."], {
    cwd: dir,
    env: {
      ...process.env,
      ...(cache && !process.env.NODE_COMPILE_CACHE ? { NODE_COMPILE_CACHE: cache } : {}),
      PULUMI_NODEJS_PROJECT: context.project,
      PULUMI_NODEJS_STACK: context.stack,
      PULUMI_NODEJS_ORGANIZATION: context.organization,
      PULUMI_NODEJS_DRY_RUN: "true",
      PULUMI_CONFIG: JSON.stringify(context.config),
      PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(context.secretKeys),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/**
 * Fills Node's compile cache for the pack's process, once per compiled copy and Node version. Node
 * writes its cache when a process exits normally, and the pack is stopped by a signal (as the CLI
 * stops it), so its own starts never write one: without this each start compiled @pulumi/policy,
 * ts-node, TypeScript and the pack afresh (~0.4 s of CPU). After a session has stopped, the same
 * command starts once more with a preload that exits as soon as the pack prints its port
 * (tools/plan/packWarmup.js); a marker file in the copy records it. The sessions' own starts are unchanged.
 */
async function warmPackCompileCache(started: PackCacheResult, launched: { engineAddress: string; context: StackContext; rootDir: string }): Promise<void> {
  // Only a compiled copy (the source folder gets no marker file).
  if ((started.status !== "hit" && started.status !== "compiled") || !packCompileCache()) return;
  const marker = join(started.dir, `.node-compile-cache-${process.version}`);
  if (existsSync(marker)) return;
  const child = startRunner(started.dir, launched.engineAddress, launched.context, launched.rootDir, join(__dirname, "packWarmup.js"));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.once("exit", (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  if (code === 0) {
    try {
      writeFileSync(marker, "Node's compile cache holds this copy's modules (tools/plan/analyzer.ts warmPackCompileCache)\n");
    } catch {
      // Only a second warm-up next time.
    }
  }
}

/** The fields AnalyzeRequest and AnalyzerResource share (pulumi/pulumi proto/pulumi/analyzer.proto), filled alike. */
function describeResource<M extends analyzerPb.AnalyzeRequest | analyzerPb.AnalyzerResource>(message: M, r: AnalyzedResource): M {
  message.setType(r.type);
  message.setUrn(r.urn);
  message.setName(r.name);
  message.setProperties(toStruct(r.properties));
  message.setOptions(resourceOptions(r));
  if (r.provider) message.setProvider(providerResource(r.provider));
  return message;
}

function resourceOptions(resource: AnalyzedResource): analyzerPb.AnalyzerResourceOptions {
  // The SDK rejects requests without options ("A more recent version of the Pulumi CLI is required").
  const options = new analyzerPb.AnalyzerResourceOptions();
  options.setProtect(Boolean(resource.options.protect));
  options.setIgnorechangesList(resource.options.ignoreChanges ?? []);
  options.setDeletebeforereplace(Boolean(resource.options.deleteBeforeReplace));
  options.setDeletebeforereplacedefined(resource.options.deleteBeforeReplace !== undefined);
  if (resource.options.parent) options.setParent(resource.options.parent);
  return options;
}

function providerResource(p: NonNullable<AnalyzedResource["provider"]>): analyzerPb.AnalyzerProviderResource {
  const provider = new analyzerPb.AnalyzerProviderResource();
  provider.setType(p.type);
  provider.setUrn(p.urn);
  provider.setName(p.name);
  provider.setProperties(toStruct(p.properties));
  return provider;
}

function diagnosticsOf(response: analyzerPb.AnalyzeResponse, urn?: string): Diagnostic[] {
  return response.getDiagnosticsList().map((d) => {
    const description = d.getDescription();
    const full = d.getMessage();
    // The SDK sends "<description>\n<message>"; keep the message part.
    const message = full.startsWith(`${description}\n`) ? full.slice(description.length + 1) : full;
    return {
      policyName: d.getPolicyname(),
      policyPackName: d.getPolicypackname(),
      policyPackVersion: d.getPolicypackversion(),
      enforcementLevel: LEVELS[d.getEnforcementlevel()],
      urn: d.getUrn() || urn,
      description,
      message,
    };
  });
}
