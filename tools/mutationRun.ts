/**
 * `npm run mutation [-- <folder>...] [-- --force]`: Stryker over functions/, one folder at a time
 * (stryker.config.mjs reads MUTATION_FOLDER and picks the specs that import that folder), every
 * run reading and extending the one incremental file, then the score per folder and the survivors
 * (tools/mutationReport.ts).
 *
 * One folder at a time because most mutants of functions/ are static (they run at import, so
 * every selected spec runs for each): with all of test/functions selected a full pass takes hours
 * on 2 cores, with each folder's own specs it takes minutes per folder once the incremental file
 * holds the previous results.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = join(__dirname, "..");
const args = process.argv.slice(2);
const passThrough = args.filter((a) => a.startsWith("--"));
const named = args.filter((a) => !a.startsWith("--"));
const all = readdirSync(join(root, "functions"), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();
const unknown = named.filter((f) => !all.includes(f));
if (unknown.length > 0) {
  console.error(`not a folder of functions/: ${unknown.join(", ")} (folders: ${all.join(", ")})`);
  process.exit(2);
}

/**
 * Drops the folder's undetected mutants from its incremental file, so the run tests each again.
 * Stryker reuses a survivor unless a test newly covers it, and for a static mutant (no per-test
 * coverage) no test ever does: a survivor that a new spec kills would otherwise stay "survived".
 */
function retestSurvivors(folder: string): void {
  const file = join(root, "reports", "mutation", "incremental", `${folder}.json`);
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, "utf8")) as { files: Record<string, { mutants: { status: string }[] }> };
  for (const entry of Object.values(report.files)) entry.mutants = entry.mutants.filter((m) => m.status !== "Survived" && m.status !== "NoCoverage");
  writeFileSync(file, JSON.stringify(report, null, 2));
}

for (const folder of named.length > 0 ? named : all) {
  console.log(`\n=== functions/${folder}/`);
  retestSurvivors(folder);
  const run = spawnSync("stryker", ["run", ...passThrough], { cwd: root, stdio: "inherit", env: { ...process.env, MUTATION_FOLDER: folder } });
  if (run.status !== 0) {
    console.error(`stryker failed for functions/${folder}/ (exit ${run.status ?? run.signal})`);
    process.exit(1);
  }
}
spawnSync(process.execPath, ["-r", "./tools/register.js", "tools/mutationReport.ts"], { cwd: root, stdio: "inherit" });
