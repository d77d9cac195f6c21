/**
 * Derives the set of taggable AWS resource types from the installed @pulumi/aws typings:
 * a resource is taggable when its class declares `readonly tagsAll:` (the provider merges
 * default tags into it). Writes policies/tags/taggable-types.json, which the policy pack reads.
 *
 *   npm run generate:taggable            rewrite the file
 *   (test/policies/taggableTypes.spec.ts fails when the file is stale for the installed provider)
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export const TAGGABLE_TYPES_FILE = join(__dirname, "..", "policies", "tags", "taggable-types.json");

export function deriveTaggableTypes(awsPackageDir = dirname(require.resolve("@pulumi/aws/package.json"))): { providerVersion: string; types: string[] } {
  const types = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      if (entry === "node_modules" || entry === "types") continue;
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith(".d.ts")) {
        const text = readFileSync(path, "utf8");
        if (!text.includes("readonly tagsAll:")) continue;
        const js = readFileSync(path.replace(/\.d\.ts$/, ".js"), "utf8");
        const match = /__pulumiType = '([^']+)'/.exec(js);
        if (match) types.add(match[1]);
      }
    }
  };
  walk(awsPackageDir);
  const providerVersion = (JSON.parse(readFileSync(join(awsPackageDir, "package.json"), "utf8")) as { version: string }).version;
  return { providerVersion, types: [...types].sort() };
}

export function renderTaggableTypesFile(): string {
  const { providerVersion, types } = deriveTaggableTypes();
  return `${JSON.stringify({ generatedFrom: `@pulumi/aws ${providerVersion}`, count: types.length, types }, null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(TAGGABLE_TYPES_FILE, renderTaggableTypesFile());
  console.log(`wrote ${TAGGABLE_TYPES_FILE}`);
}
