import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { ROOT } from "../support/harness";

/**
 * The pack can be published on its own (issue 10): `pulumi policy publish` packs policies/ with
 * `npm pack`, and the CLI installs the package's dependencies where it runs the published pack
 * (pulumi/pulumi pkg/backend/httpstate/policypack.go: Publish -> npm.Pack; installRequiredPolicy
 * -> InstallDependencies). So policies/package.json names everything the pack needs at run time,
 * at exactly the versions the root's lockfile installs here (what every test and plan ran with).
 */

const read = (path: string) => JSON.parse(readFileSync(join(ROOT, path), "utf8"));
const pack = read("policies/package.json");
const root = read("package.json");
const installed = (name: string): string => read(`node_modules/${name}/package.json`).version.replace(/^v/, "");

/** Each dependency of the pack whose version differs from the root's installed one. */
function drift(dependencies: Record<string, string>): string[] {
  return Object.entries(dependencies).flatMap(([name, version]) =>
    version === installed(name) ? [] : [`${name}: policies/package.json ${version}, root node_modules ${installed(name)}`],
  );
}

describe("policies/package.json (the pack as published)", () => {
  // The runner (@pulumi/pulumi cmd/run-policy-pack) loads TypeScript through ts-node and typescript
  // from the pack's node_modules, else its vendored TypeScript 3.8 (too old for this code);
  // tsconfig.json's `types: ["node"]` needs @types/node.
  const NEEDS = ["@pulumi/policy", "@pulumi/pulumi", "ts-node", "typescript", "@types/node"];

  it("lists what the pack needs at run time as dependencies", () => {
    assert.deepEqual(Object.keys(pack.dependencies ?? {}).sort(), [...NEEDS].sort());
    assert.equal(pack.devDependencies, undefined, "the CLI may install production dependencies only");
  });

  it("pins each at the version the root installs, and the root declares each as a dependency (kept by npm ci --omit=dev)", () => {
    assert.deepEqual(drift(pack.dependencies), []);
    for (const name of Object.keys(pack.dependencies)) assert.ok(name in (root.dependencies ?? {}), `${name} is a root dependency`);
  });

  it("carries the version PolicyPack reads, the same as PulumiPolicy.yaml's, and an entry point that exists", () => {
    const project = parse(readFileSync(join(ROOT, "policies", "PulumiPolicy.yaml"), "utf8")) as { version?: string; runtime?: string };
    assert.match(pack.version, /^\d+\.\d+\.\d+$/);
    assert.equal(project.version, pack.version);
    assert.equal(project.runtime, "nodejs");
    assert.ok(readFileSync(join(ROOT, "policies", pack.main), "utf8").includes("new PolicyPack("));
  });

  it("fails when a version drifts (so a pass means something)", () => {
    assert.deepEqual(drift({ ...pack.dependencies, "@pulumi/policy": "1.0.0" }), [`@pulumi/policy: policies/package.json 1.0.0, root node_modules ${installed("@pulumi/policy")}`]);
  });
});
