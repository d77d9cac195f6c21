import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import { ROOT } from "./support/harness";

/**
 * The layers of docs/architecture.md, as import rules. Each layer may import the layers listed for
 * it and nothing else of this repository; a new capability that needs another edge changes
 * docs/architecture.md and this table together.
 *
 * Imports are read with TypeScript's own pre-processor (`ts.preProcessFile`: static imports,
 * re-exports, `import()` and `require()`), so a path inside a string or comment does not count.
 */

/** The layer a repository path belongs to: its longest matching prefix. */
const LAYERS = ["policies/rules", "policies", "functions", "components", "stacks", "org", "tools/mocks", "tools/bench", "tools", "test"] as const;
type Layer = (typeof LAYERS)[number];

/** What each layer may import from this repository (itself always). */
const MAY_IMPORT: Record<Layer, Layer[]> = {
  // Pure rules shared by config, components and the pack: no Pulumi runtime, nothing else here.
  "policies/rules": [],
  // The pack is installed and run on its own by the CLI (test/policies/selfContained.spec.ts).
  policies: ["policies/rules"],
  // Runtime code (Lambda, CloudFront Functions, the Next.js app's helpers): pure rules only.
  functions: ["policies/rules"],
  // Components deploy functions (bundles, the IAM statements a function declares it needs).
  components: ["functions", "policies", "policies/rules"],
  stacks: ["components", "functions", "policies", "policies/rules"],
  org: ["stacks", "components", "policies", "policies/rules"],
  // The mock harness (a program under Pulumi's mocks, with a stack's config as the CLI presents it):
  // the plan and the specs share it, and it knows nothing of either, nor of the program it runs.
  "tools/mocks": [],
  // Benchmarks drive the same emulators the specs start (test/support), so they may import them.
  "tools/bench": ["tools", "tools/mocks", "stacks", "components", "functions", "policies", "policies/rules", "org", "test"],
  // The plan, generators and checks never depend on the test tree.
  tools: ["tools/mocks", "stacks", "components", "functions", "policies", "policies/rules", "org"],
  test: ["tools", "tools/mocks", "tools/bench", "stacks", "components", "functions", "policies", "policies/rules", "org"],
};

/** npm packages a layer must not load, with the reason. */
const FORBIDDEN_PACKAGES: Partial<Record<Layer, { pattern: RegExp; why: string }>> = {
  "policies/rules": { pattern: /^@pulumi\//, why: "rules are pure functions of plain values" },
  functions: { pattern: /^@pulumi\//, why: "runtime code is bundled into Lambda and the app, never the Pulumi SDK" },
};

function layerOf(path: string): Layer | undefined {
  const rel = relative(ROOT, path).split(sep).join("/");
  let best: Layer | undefined;
  for (const layer of LAYERS) {
    if ((rel === layer || rel.startsWith(`${layer}/`)) && (!best || layer.length > best.length)) best = layer;
  }
  return best;
}

const SKIP = new Set(["node_modules", ".git", ".next", "reports", ".stryker-tmp", "bin", ".cognito", ".tmp"]);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (SKIP.has(name)) return [];
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|js|mjs|cjs)$/.test(name) && !/\.d\.ts$/.test(name) ? [path] : [];
  });
}

/** The imports of one source text that break the table, as "file imports specifier (why)". */
function violations(file: string, text: string): string[] {
  const from = layerOf(file);
  if (!from) return [];
  const name = relative(ROOT, file).split(sep).join("/");
  return ts.preProcessFile(text, true, true).importedFiles.flatMap(({ fileName: specifier }) => {
    if (!specifier.startsWith(".")) {
      const rule = FORBIDDEN_PACKAGES[from];
      return rule?.pattern.test(specifier) ? [`${name} imports ${specifier} (${rule.why})`] : [];
    }
    const to = layerOf(resolve(dirname(file), specifier));
    return to && to !== from && !MAY_IMPORT[from].includes(to) ? [`${name} imports ${specifier} (${from} → ${to})`] : [];
  });
}

describe("the layers (docs/architecture.md)", () => {
  const files = LAYERS.filter((l) => !l.includes("/")).flatMap((l) => sources(join(ROOT, l)));

  it("reads the whole tree: every layer has sources", () => {
    for (const layer of LAYERS)
      assert.ok(
        files.some((f) => layerOf(f) === layer),
        `no sources found for ${layer}`,
      );
  });

  it("imports only what each layer may import", () => {
    assert.deepEqual(
      files.flatMap((file) => violations(file, readFileSync(file, "utf8"))),
      [],
    );
  });

  it("names the file, the import and the broken edge when a layer reaches too far", () => {
    // Probes (never written to disk): a component importing the stack config, a function loading
    // Pulumi, the plan tool reaching into the test tree, a pure rule importing the pack. An allowed
    // edge beside each (component → functions, function → rules, …) is not reported.
    const probe = (path: string, text: string) => violations(join(ROOT, path), text);
    assert.deepEqual(probe("components/edge/Probe.ts", 'import { a } from "../../stacks/config";\nimport { b } from "../../functions/edge/headers";'), [
      "components/edge/Probe.ts imports ../../stacks/config (components → stacks)",
    ]);
    assert.deepEqual(probe("functions/mail/probe.ts", 'import * as pulumi from "@pulumi/pulumi";\nimport { c } from "../../policies/rules/videoLadder";'), [
      "functions/mail/probe.ts imports @pulumi/pulumi (runtime code is bundled into Lambda and the app, never the Pulumi SDK)",
    ]);
    assert.deepEqual(probe("tools/plan/probe.ts", 'import { ROOT } from "../../test/support/harness";\nimport "../../stacks/program";'), [
      "tools/plan/probe.ts imports ../../test/support/harness (tools → test)",
    ]);
    assert.deepEqual(probe("tools/mocks/probe.ts", 'import { plan } from "../plan/plan";\nimport { mockCall } from "./state";'), [
      "tools/mocks/probe.ts imports ../plan/plan (tools/mocks → tools)",
    ]);
    assert.deepEqual(probe("tools/bench/probe.ts", 'import { d } from "../../test/support/dynalite";'), []);
    assert.deepEqual(probe("policies/rules/probe.ts", 'const e = require("../catalog");\nconst f = await import("./videoLadder");'), [
      "policies/rules/probe.ts imports ../catalog (policies/rules → policies)",
    ]);
  });
});

/** The file a relative import names, as Node resolves it for the project's sources (.ts, .js, index, JSON). */
function resolveImport(from: string, specifier: string, exists: (path: string) => boolean): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, `${base}.js`, join(base, "index.ts"), base].find((path) => exists(path) && !/\.json$/.test(path));
}

/**
 * Every repository file `entry` reaches through relative imports, with the chain that reaches it
 * (`read` gives a file's text; probes add files that are not on disk).
 */
function reachable(entry: string, read: (path: string) => string | undefined): Map<string, string[]> {
  const chains = new Map<string, string[]>([[entry, [entry]]]);
  const queue = [entry];
  while (queue.length) {
    const file = queue.shift()!;
    const text = read(file);
    if (text === undefined) continue;
    for (const { fileName: specifier } of ts.preProcessFile(text, true, true).importedFiles) {
      if (!specifier.startsWith(".")) continue;
      const to = resolveImport(file, specifier, (path) => read(path) !== undefined);
      if (!to || chains.has(to)) continue;
      chains.set(to, [...chains.get(file)!, to]);
      queue.push(to);
    }
  }
  return chains;
}

/** Component specs that reach the plan tool, directly or through a helper, as "spec → … → tools/plan/x.ts". */
function specsReachingThePlanTool(specs: string[], read: (path: string) => string | undefined): string[] {
  const planTool = join(ROOT, "tools", "plan") + sep;
  const show = (path: string) => relative(ROOT, path).split(sep).join("/");
  return specs.flatMap((spec) =>
    [...reachable(spec, read)]
      // Where a chain first enters the plan tool (not every file behind that entry).
      .filter(([, chain]) => chain.findIndex((file) => file.startsWith(planTool)) === chain.length - 1)
      .map(([, chain]) => chain.map(show).join(" → ")),
  );
}

const fromDisk = (path: string) => (existsSync(path) && statSync(path).isFile() ? readFileSync(path, "utf8") : undefined);

describe("component specs depend on the program, Pulumi's mocks and tools/mocks only (issue 13 item 5)", () => {
  const specs = sources(join(ROOT, "test", "components")).filter((f) => f.endsWith(".spec.ts"));

  it("finds the component specs", () => {
    assert.ok(specs.length >= 13, `${specs.length} component specs`);
  });

  it("none reaches tools/plan/, directly or through test/support", () => {
    assert.deepEqual(specsReachingThePlanTool(specs, fromDisk), []);
  });

  it("names the chain when a spec reaches the plan tool through a helper", () => {
    // Probes (never written to disk): a spec whose helper imports the plan, and one that imports
    // tools/mocks only (not reported).
    const files = new Map([
      [join(ROOT, "test", "components", "probe", "Reaches.spec.ts"), 'import { help } from "../../support/probeHelper";'],
      [join(ROOT, "test", "support", "probeHelper.ts"), 'import { plan } from "../../tools/plan/plan";\nexport const help = plan;'],
      [join(ROOT, "test", "components", "probe", "Clean.spec.ts"), 'import { runUnderMocks } from "../../../tools/mocks/runtime";'],
    ]);
    const read = (path: string) => files.get(path) ?? fromDisk(path);
    assert.deepEqual(
      specsReachingThePlanTool(
        [...files.keys()].filter((f) => f.endsWith(".spec.ts")),
        read,
      ),
      ["test/components/probe/Reaches.spec.ts → test/support/probeHelper.ts → tools/plan/plan.ts"],
    );
  });
});
