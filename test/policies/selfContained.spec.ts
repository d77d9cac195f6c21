import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { ROOT } from "../support/harness";

/**
 * The pack is self-contained (issue 14): the CLI installs and runs policies/ on its own, so its
 * modules import only each other, @pulumi/policy (and @pulumi/pulumi, its peer dependency, which
 * the policy SDK itself loads), and Node built-ins. Shared data modules other engineers own
 * (policies/iam/*.ts, policies/billing/prices.ts) live inside policies/ for this reason.
 */

const PACK = join(ROOT, "policies");
const ALLOWED_PACKAGES = new Set(["@pulumi/policy", "@pulumi/pulumi"]);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "node_modules" || name === "bin") return [];
    if (statSync(path).isDirectory()) return sources(path);
    return /\.ts$/.test(name) && !/\.d\.ts$/.test(name) ? [path] : [];
  });
}

describe("the policy pack is self-contained", () => {
  it("imports nothing outside policies/ but @pulumi/policy, its peer @pulumi/pulumi and Node built-ins", () => {
    const wrong: string[] = [];
    for (const file of sources(PACK)) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^"'\n]*?from\s+["']([^"']+)["']|require\(\s*["']([^"']+)["']\s*\)/g)) {
        const spec = m[1] ?? m[2];
        if (spec.startsWith(".")) {
          const target = resolve(dirname(file), spec);
          if (relative(PACK, target).startsWith("..")) wrong.push(`${relative(ROOT, file)} imports ${spec} (outside policies/)`);
        } else if (!ALLOWED_PACKAGES.has(spec) && !spec.startsWith("node:") && !builtinModules.includes(spec)) {
          wrong.push(`${relative(ROOT, file)} imports ${spec}`);
        }
      }
    }
    assert.deepEqual(wrong, []);
  });
});
