/**
 * Reads the per-folder incremental results of Stryker (reports/mutation/incremental/<folder>.json,
 * committed; mutation-testing-report-schema) and prints the mutation score per folder and every
 * surviving mutant, one line each.
 *
 *   npm run mutation                 runs Stryker per folder (tools/mutationRun.ts), then this
 *   node -r ./tools/register.js tools/mutationReport.ts [report.json...]
 *
 * Score = (killed + timed out) / (killed + timed out + survived + no coverage), as Stryker counts
 * it ("mutation score" over valid mutants; compile errors and ignored mutants do not count).
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

interface Mutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: { line: number; column: number } };
}
interface Report {
  files: Record<string, { source: string; mutants: Mutant[] }>;
}

export interface FolderScore {
  folder: string;
  killed: number;
  survived: number;
  noCoverage: number;
  timeout: number;
  score: number;
}

const DETECTED = new Set(["Killed", "Timeout"]);
const UNDETECTED = new Set(["Survived", "NoCoverage"]);

/** Scores per folder (and "functions/" overall), from a parsed report. */
export function scores(report: Report, root: string): FolderScore[] {
  const byFolder = new Map<string, FolderScore>();
  const bump = (folder: string, status: string) => {
    let s = byFolder.get(folder);
    if (!s) byFolder.set(folder, (s = { folder, killed: 0, survived: 0, noCoverage: 0, timeout: 0, score: 0 }));
    if (status === "Killed") s.killed++;
    else if (status === "Timeout") s.timeout++;
    else if (status === "Survived") s.survived++;
    else if (status === "NoCoverage") s.noCoverage++;
  };
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const rel = relative(root, file).split("\\").join("/");
    const folder = `${dirname(rel)}/`;
    for (const m of mutants) {
      if (!DETECTED.has(m.status) && !UNDETECTED.has(m.status)) continue;
      bump(folder, m.status);
      bump(`${rel.split("/")[0]}/`, m.status);
    }
  }
  for (const s of byFolder.values()) {
    const valid = s.killed + s.timeout + s.survived + s.noCoverage;
    s.score = valid === 0 ? 100 : (100 * (s.killed + s.timeout)) / valid;
  }
  return [...byFolder.values()].sort((a, b) => a.folder.localeCompare(b.folder));
}

/** Every undetected mutant as `file:line:col mutator -> replacement (status)`. */
export function survivors(report: Report, root: string): string[] {
  const lines: string[] = [];
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const rel = relative(root, file).split("\\").join("/");
    for (const m of mutants) {
      if (!UNDETECTED.has(m.status)) continue;
      const replacement = (m.replacement ?? "").replace(/\s+/g, " ").slice(0, 80);
      lines.push(`${rel}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName} -> ${replacement} (${m.status})`);
    }
  }
  return lines.sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}

function main(): void {
  const root = join(__dirname, "..");
  const dir = join(root, "reports", "mutation", "incremental");
  const files =
    process.argv.length > 2
      ? process.argv.slice(2)
      : readdirSync(dir)
          .filter((f) => f.endsWith(".json"))
          .map((f) => join(dir, f));
  const report: Report = { files: {} };
  for (const file of files) Object.assign(report.files, (JSON.parse(readFileSync(file, "utf8")) as Report).files);
  console.log("Mutation score per folder (killed + timeout) / valid mutants, over the mutants each folder's last run reached (an interrupted run keeps what it tested):");
  for (const s of scores(report, root)) {
    console.log(`  ${s.folder.padEnd(22)} ${s.score.toFixed(1).padStart(5)}%  killed ${s.killed}, timeout ${s.timeout}, survived ${s.survived}, no coverage ${s.noCoverage}`);
  }
  const measured = new Set(scores(report, root).map((s) => s.folder));
  const missing = readdirSync(join(root, "functions"), { withFileTypes: true })
    .filter((e) => e.isDirectory() && !measured.has(`functions/${e.name}/`))
    .map((e) => `functions/${e.name}/`);
  if (missing.length > 0) console.log(`  not measured yet: ${missing.join(", ")} (npm run mutation -- <folder>)`);
  const left = survivors(report, root);
  console.log(`\nSurviving mutants (${left.length}):`);
  for (const line of left) console.log(`  ${line}`);
}

if (require.main === module) main();
