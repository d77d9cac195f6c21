import assert from "node:assert/strict";
import type { PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { unknownCheckingProxy } from "@pulumi/policy";
import { FREE_TYPES, PRICED_TYPES } from "../../policies/billing/estimate";
import { policies } from "../../policies/catalog";
import { isUnknownValueError } from "../../policies/lib/inputs";
import { judgedTypes } from "../../policies/lib/policy";
import { NO_SECURITY_SETTINGS, STACK_JUDGED } from "../../policies/reviewed";
import { bucketSet, budget, distribution, edgeFunction, nodeFunction, responseHeaders, T, topicWithPolicy, trail, userPool, webAcl, wafLogging } from "./fixtures";
import { configFor } from "../support/policies";

/**
 * Issue 14, class 6: no policy may throw on malformed input. In-process (the pack's policies called
 * directly, as @pulumi/policy's server calls them: props behind `unknownCheckingProxy`), a seeded
 * generator throws malformed resources of every type the pack knows at every resource policy, and
 * malformed stacks at every stack policy: null elements in lists, wrong types (strings for numbers,
 * objects for strings), unparseable and hostile policy documents, preview-unknown values, deep and
 * huge values. A policy may report violations or stop at an unknown value (the SDK then reports its
 * advisory "can't run during preview"); it may never throw anything else. The protocol tier
 * (classes.spec.ts) shows the same through gRPC for one malformed resource per policy.
 */

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** mulberry32: small, seeded, reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE_DOCUMENTS = [
  "{",
  "[]",
  "null",
  '{"Statement":null}',
  '{"Statement":"*"}',
  '{"Statement":[null,1,"x",[]]}',
  '{"Statement":{"Effect":"Allow","Action":{},"Resource":[1,null],"Condition":[]}}',
  '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringLike":null,"ArnLike":{"aws:SourceArn":[null,5]}}}]}',
  '{"Statement":[{"Effect":"Allow","Principal":{"AWS":[null,{"x":1}]},"NotAction":"*","NotResource":1,"Condition":{"StringEquals":{"aws:SourceAccount":{"nested":true}}}}]}',
  JSON.stringify({ Statement: Array.from({ length: 3000 }, (_, i) => ({ Sid: `S${i}`, Effect: "Allow", Action: `s3:Get${i}*`, Resource: "*", Principal: "*" })) }),
];

function hugeString(): string {
  return "A".repeat(200_000);
}

function deep(depth: number): unknown {
  let v: unknown = "leaf";
  for (let i = 0; i < depth; i++) v = { nested: v, list: [v] };
  return v;
}

/** A malformed value of any shape. */
function junk(rand: () => number, depth = 0): unknown {
  const pick = Math.floor(rand() * 24);
  switch (pick) {
    case 0: return null;
    case 1: return undefined;
    case 2: return "";
    case 3: return "lots";
    case 4: return "-1";
    case 5: return -1;
    case 6: return 0;
    case 7: return 1e308;
    case 8: return Number.NaN;
    case 9: return true;
    case 10: return [];
    case 11: return [null, 1, "a", {}, []];
    case 12: return {};
    case 13: return { a: null, b: [null] };
    case 14: return UNKNOWN;
    case 15: return [UNKNOWN];
    case 16: return HOSTILE_DOCUMENTS[Math.floor(rand() * HOSTILE_DOCUMENTS.length)];
    case 17: return depth < 3 ? { x: junk(rand, depth + 1), y: [junk(rand, depth + 1), null] } : "x";
    case 18: return depth < 3 ? [junk(rand, depth + 1), junk(rand, depth + 1)] : [];
    case 19: return rand() < 0.2 ? hugeString() : "arn:aws:iam::*:root";
    case 20: return rand() < 0.2 ? deep(60) : { Statement: [{ Effect: "Allow" }] };
    case 21: return rand() < 0.2 ? Array.from({ length: 5000 }, (_, i) => ({ name: `r${i}` })) : ["*"];
    case 22: return "*";
    default: return { Effect: "Allow", Action: "*", Resource: "*", Principal: "*" };
  }
}

/** Valid shapes to start from, so mutations reach the policies' deeper branches. */
const SEEDS: Record<string, Record<string, unknown>[]> = {
  [T.function]: [nodeFunction(), edgeFunction()],
  [T.webAcl]: [webAcl()],
  [T.wafLogging]: [wafLogging()],
  [T.distribution]: [distribution()],
  [T.responseHeaders]: [responseHeaders()],
  [T.userPool]: [userPool()],
  [T.trail]: [trail()],
  [T.budget]: [budget()],
  ...Object.fromEntries(bucketSet("media").map((s) => [s.type, [s.props]])),
  ...Object.fromEntries(topicWithPolicy().map((s) => [s.type, [s.props]])),
};

/** Every key the seeds use, plus keys the policies read that no seed carries. */
const KEYS = [
  ...new Set([
    ...Object.values(SEEDS).flatMap((list) => list.flatMap((p) => Object.keys(p))),
    "policy", "assumeRolePolicy", "inlinePolicies", "managedPolicyArns", "policyArn", "policyArns", "users", "roles", "groups",
    "rules", "ruleJson", "environment", "replicas", "pointInTimeRecovery", "deletionProtectionEnabled", "eventSelectors", "advancedEventSelectors",
    "deliveryOptions", "reputationMetricsEnabled", "suppressionOptions", "corsRules", "instanceType", "instanceClass", "nodeType", "clusterConfig",
    "scalingConfig", "desiredCount", "taskDefinition", "provisionedConcurrentExecutions", "functionName", "schedule", "shardCount", "retentionInDays",
    "deletionWindowInDays", "enableKeyRotation", "kmsMasterKeyId", "principal", "sourceArn", "authorizationType", "status", "name", "arn", "bucket", "region",
  ]),
];

function mutate(base: Record<string, unknown>, rand: () => number): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(base);
  const changes = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < changes; i++) {
    const key = KEYS[Math.floor(rand() * KEYS.length)];
    const existing = out[key];
    if (existing && typeof existing === "object" && !Array.isArray(existing) && rand() < 0.5) {
      const inner = Object.keys(existing as object);
      if (inner.length) (existing as Record<string, unknown>)[inner[Math.floor(rand() * inner.length)]] = junk(rand);
    } else if (Array.isArray(existing) && existing.length && rand() < 0.5) {
      existing[Math.floor(rand() * existing.length)] = junk(rand);
      if (rand() < 0.5) existing.push(null);
    } else out[key] = junk(rand);
  }
  return out;
}

function randomProps(type: string, rand: () => number): Record<string, unknown> {
  const seeds = SEEDS[type];
  if (seeds && rand() < 0.7) return mutate(seeds[Math.floor(rand() * seeds.length)], rand);
  const out: Record<string, unknown> = {};
  const n = Math.floor(rand() * 8);
  for (let i = 0; i < n; i++) out[KEYS[Math.floor(rand() * KEYS.length)]] = junk(rand);
  return out;
}

const resourcePolicies = policies.filter((p): p is ResourceValidationPolicy => typeof (p as ResourceValidationPolicy).validateResource === "function");
const stackPolicies = policies.filter((p): p is StackValidationPolicy => typeof (p as StackValidationPolicy).validateStack === "function");

const TYPES = [
  ...new Set([
    ...resourcePolicies.flatMap((p) => judgedTypes(p)),
    ...Object.keys(STACK_JUDGED),
    ...Object.keys(NO_SECURITY_SETTINGS),
    ...PRICED_TYPES,
    ...FREE_TYPES,
    "aws:sagemaker/endpoint:Endpoint",
    "pulumi:providers:aws",
    "mpto:edge:Cdn",
  ]),
].sort();

const provider = (rand: () => number) => ({ type: "pulumi:providers:aws", name: "aws", urn: "urn:pulumi:fuzz::mpto::pulumi:providers:aws::aws", props: rand() < 0.8 ? { region: rand() < 0.5 ? "eu-west-2" : "us-east-1" } : (junk(rand) as Record<string, unknown>) ?? {} });

/** Runs `call`, accepting a clean return or an UnknownValueError; records anything else. */
async function survives(label: () => string, call: () => unknown, failures: string[]): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (isUnknownValueError(error)) return;
    failures.push(`${label()}: ${error instanceof Error ? error.stack?.split("\n").slice(0, 3).join(" | ") : String(error)}`);
  }
}

describe("policy fuzzing: malformed resources of every known type at every policy (in-process)", function () {
  this.timeout(60_000);

  it(`knows the types it throws (${TYPES.length}) and the policies it throws them at (${resourcePolicies.length} resource, ${stackPolicies.length} stack)`, () => {
    assert.ok(TYPES.length > 100, `only ${TYPES.length} types`);
    assert.ok(resourcePolicies.length > 50 && stackPolicies.length > 15);
  });

  it("no resource policy throws on any generated resource (seeded, 24 resources per type)", async () => {
    const rand = prng(14);
    const failures: string[] = [];
    /** Violations that came from the guard (the policy did not foresee the shape), per policy. */
    const fallbacks = new Map<string, string[]>();
    let judged = 0;
    for (const type of TYPES) {
      for (let i = 0; i < 24; i++) {
        const props = randomProps(type, rand);
        for (const p of resourcePolicies) {
          const reported: unknown[] = [];
          const args = {
            type,
            props: unknownCheckingProxy(props),
            urn: `urn:pulumi:fuzz::mpto::${type}::r${i}`,
            name: `r${i}`,
            opts: {},
            provider: provider(rand),
            stackTags: new Map(),
            isType: () => false,
            asType: () => undefined,
            getConfig: <T extends object>() => configFor(p) as T,
            notApplicable: () => {
              throw new Error("notApplicable");
            },
          } as unknown as ResourceValidationArgs;
          await survives(() => `${p.name} on ${type} #${i} ${JSON.stringify(props).slice(0, 300)}`, () => (p.validateResource as (a: ResourceValidationArgs, r: (m: unknown) => void) => unknown)(args, (m) => reported.push(m)), failures);
          for (const m of reported) if (typeof m !== "string" || m === "") failures.push(`${p.name} on ${type}: reported a non-message ${String(m)}`);
          for (const m of reported) if (typeof m === "string" && m.startsWith("could not judge this input")) fallbacks.set(p.name, [...(fallbacks.get(p.name) ?? []), m]);
          judged += reported.length;
        }
      }
    }
    assert.deepEqual(failures.slice(0, 10), [], `${failures.length} crashes`);
    if (process.env.FUZZ_REPORT) for (const [name, ms] of fallbacks) console.log(`${name}: ${ms.length} guarded (${[...new Set(ms.map((m) => m.slice(27, 120)))].slice(0, 3).join(" / ")})`);
    assert.ok(judged > 0, "the generated resources drew violations (the fuzzer reaches the policies)");
  });

  it("no stack policy throws on generated stacks (seeded, 40 stacks of 30 resources)", async () => {
    const rand = prng(1414);
    const failures: string[] = [];
    for (let s = 0; s < 40; s++) {
      const resources: PolicyResource[] = Array.from({ length: 30 }, (_, i) => {
        const type = TYPES[Math.floor(rand() * TYPES.length)];
        return {
          type,
          name: `r${i}`,
          urn: `urn:pulumi:fuzz::mpto::${type}::r${i}`,
          props: unknownCheckingProxy(randomProps(type, rand)),
          opts: {},
          provider: provider(rand),
          dependencies: [],
          propertyDependencies: rand() < 0.2 ? ({ bucket: [null], arn: "x" } as unknown as Record<string, PolicyResource[]>) : {},
          isType: () => false,
          asType: () => undefined,
        } as unknown as PolicyResource;
      });
      for (const p of stackPolicies) {
        const args = { resources, stackTags: new Map(), getConfig: <T extends object>() => configFor(p) as T, notApplicable: () => { throw new Error("notApplicable"); } } as unknown as StackValidationArgs;
        await survives(() => `${p.name} on stack #${s}`, () => p.validateStack(args, () => undefined), failures);
      }
    }
    assert.deepEqual(failures.slice(0, 10), [], `${failures.length} crashes`);
  });
});
