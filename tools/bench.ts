/**
 * `npm run bench`: prints figures to watch (speed, size, cost). Never pass/fail.
 * Each area contributes a module in tools/bench/ exporting `bench(): Promise<BenchRow[]>`.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";

export interface BenchRow {
  /** What was measured, e.g. "plan wall time (dev)". */
  metric: string;
  value: number | string;
  unit: string;
  /** How it was measured, briefly. */
  note?: string;
}

async function main(): Promise<void> {
  const dir = join(__dirname, "bench");
  const only = process.argv.slice(2);
  const modules = readdirSync(dir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .sort()
    .filter((f) => only.length === 0 || only.includes(f.replace(/\.ts$/, "")));
  for (const file of modules) {
    const area = file.replace(/\.ts$/, "");
    process.stderr.write(`bench: ${area} ...\n`);
    const mod = (await import(join(dir, file))) as { bench(): Promise<BenchRow[]> };
    const rows = await mod.bench();
    console.log(`\n== ${area}`);
    const width = Math.max(...rows.map((r) => r.metric.length));
    for (const r of rows) {
      const value = typeof r.value === "number" ? formatNumber(r.value) : r.value;
      console.log(`  ${r.metric.padEnd(width)}  ${String(value).padStart(12)} ${r.unit}${r.note ? `   (${r.note})` : ""}`);
    }
  }
}

function formatNumber(n: number): string {
  if (Number.isInteger(n)) return n.toLocaleString("en-GB");
  return n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toPrecision(3);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
