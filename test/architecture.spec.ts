import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
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
const LAYERS = ["policies/rules", "policies", "functions", "components", "stacks", "org", "tools/bench", "tools", "test"] as const;
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
  // Benchmarks drive the same emulators the specs start (test/support), so they may import them.
  "tools/bench": ["tools", "stacks", "components", "functions", "policies", "policies/rules", "org", "test"],
  // The plan, generators and checks never depend on the test tree.
  tools: ["stacks", "components", "functions", "policies", "policies/rules", "org"],
  test: ["tools", "tools/bench", "stacks", "components", "functions", "policies", "policies/rules", "org"],
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
    assert.deepEqual(probe("tools/bench/probe.ts", 'import { d } from "../../test/support/dynalite";'), []);
    assert.deepEqual(probe("policies/rules/probe.ts", 'const e = require("../catalog");\nconst f = await import("./videoLadder");'), [
      "policies/rules/probe.ts imports ../catalog (policies/rules → policies)",
    ]);
  });
});
