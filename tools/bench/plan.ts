import { spawnSync } from "node:child_process";
import { join } from "node:path";
import type { BenchRow } from "../bench";

const ROOT = join(__dirname, "..", "..");

function timed(args: string[]): { seconds: number; status: number | null } {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { cwd: ROOT, stdio: "ignore" });
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, status: run.status };
}

/** Wall time of the offline plan per stack (fresh process, as a user runs it) and of the whole test suite. */
export async function bench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const stack of ["dev", "prod"]) {
    const runs = [1, 2, 3].map(() => timed(["-r", join(ROOT, "tools", "register.js"), join(ROOT, "tools", "plan", "cli.ts"), stack]));
    const seconds = runs.map((r) => r.seconds).sort((a, b) => a - b);
    rows.push({
      metric: `plan wall time (${stack})`,
      value: seconds[1],
      unit: "s",
      note: `median of 3; min ${seconds[0].toFixed(2)}, max ${seconds[2].toFixed(2)}; exit ${runs[0].status}`,
    });
  }
  const suite = timed([join(ROOT, "node_modules", "mocha", "bin", "mocha.js"), "test/**/*.spec.ts"]);
  rows.push({ metric: "test suite wall time (npm test)", value: suite.seconds, unit: "s", note: `one run; exit ${suite.status}` });
  return rows;
}
