import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchRow } from "../bench";
import { preparePack } from "../plan/packCache";

/**
 * Toolchain speed (issue 10): the offline plan per stack, a config error, the pack's start, the
 * fast test tier — each with the figure before the work, and where the plan's time goes.
 *
 * Wall time depends on what else the 2 cores run (8 engineers share this machine); CPU time
 * (user + system of the process and its children, i.e. plan + policy pack) is the steadier figure.
 * `BENCH_SUITE=0` skips the test tier (it takes a minute or more).
 */

const ROOT = join(__dirname, "..", "..");
const REGISTER = join(ROOT, "tools", "register.js");
const CLI = join(ROOT, "tools", "plan", "cli.ts");

/** Before figures, 2026-12-01 on this machine (lead's and issue 10's measurements, pre-change). */
const BEFORE = {
  planWall: 6.6, // dev plan, wall, ts-node pack start ~4 s of it
  packStartCpu: 4.6, // CPU to the pack's port line: ts-node type-aware compile of the pack
  configErrorWall: 6, // issue 10: "a config error ~6 s (the pack starts first)"
  suiteWall: 107, // whole suite, 984 tests
};

interface Timed {
  wall: number;
  cpu: number;
  status: number | null;
  stderr: string;
}

/** Runs a command through /usr/bin/time-like accounting: wall, and CPU of the process tree. */
function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Timed> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    // `bash -c 'cmd; times'`: the shell's `times` prints its children's user/system time.
    const quoted = [process.execPath, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
    const child = spawn("bash", ["-c", `${quoted} >/dev/null 2>"$BENCH_ERR"; s=$?; times >&3; exit $s`], {
      cwd: ROOT,
      env: { ...process.env, ...env, BENCH_ERR: join(scratch, "stderr.txt") },
      stdio: ["ignore", "ignore", "ignore", "pipe"],
    });
    let times = "";
    child.stdio[3]!.on("data", (d: Buffer) => (times += d.toString()));
    child.on("exit", (status) => {
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      // Second line of `times`: children's "XmY.YYYs XmZ.ZZZs".
      const line = times.trim().split("\n")[1] ?? "";
      const cpu = [...line.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + Number(m[1]) * 60 + Number(m[2]), 0);
      resolve({ wall, cpu, status, stderr: readFileSync(join(scratch, "stderr.txt"), "utf8") });
    });
  });
}

let scratch = "";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const range = (xs: number[]) => `min ${Math.min(...xs).toFixed(2)}, max ${Math.max(...xs).toFixed(2)}`;

/** Seconds at which each progress line was printed ("  ▸ message (1.2s)"). */
function phases(stderr: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of stderr.matchAll(/▸ (starting policy pack|declared|policy pack serving|analyzed the stack)[^\n]*\((\d+(?:\.\d+)?)s\)/g)) out[m[1]] = Number(m[2]);
  return out;
}

export async function bench(): Promise<BenchRow[]> {
  scratch = mkdtempSync(join(tmpdir(), "mpto-bench-"));
  const rows: BenchRow[] = [];
  const runs = Number(process.env.BENCH_RUNS ?? 5);

  // Warm the caches once (the pack's compiled copy, ts-node's output), as any second plan finds them.
  const warm = await preparePack(join(ROOT, "policies"), ROOT);
  await run(["-r", REGISTER, CLI, "dev"]);

  for (const stack of ["dev", "prod"]) {
    const results: Timed[] = [];
    for (let i = 0; i < runs; i++) results.push(await run(["-r", REGISTER, CLI, stack]));
    const walls = results.map((r) => r.wall);
    const cpus = results.map((r) => r.cpu);
    rows.push({
      metric: `plan wall (${stack})`,
      value: median(walls),
      unit: "s",
      note: `median of ${runs}; ${range(walls)}; exit ${results[0].status}; before ${BEFORE.planWall} s (dev); target 3 s`,
    });
    rows.push({ metric: `plan CPU, plan + pack (${stack})`, value: median(cpus), unit: "s", note: `median; the figure other load does not inflate` });
    const p = results.map((r) => phases(r.stderr));
    const at = (k: string) => median(p.map((x) => x[k] ?? Number.NaN));
    rows.push({
      metric: `  where the time goes (${stack})`,
      value: "",
      unit: "",
      note: `to config checked and program loaded ${at("starting policy pack").toFixed(2)} s; program run to ${at("declared").toFixed(2)} s; pack serving at ${at("policy pack serving").toFixed(2)} s; analysis done ${at("analyzed the stack").toFixed(2)} s; sections + output to ${median(walls).toFixed(2)} s`,
    });
  }

  // Config error: a stack file with a wrong key; answered before the pack starts.
  const project = mkdtempSync(join(tmpdir(), "mpto-bench-config-"));
  copyFileSync(join(ROOT, "Pulumi.yaml"), join(project, "Pulumi.yaml"));
  writeFileSync(join(project, "Pulumi.dev.yaml"), readFileSync(join(ROOT, "Pulumi.dev.yaml"), "utf8").replace(/mpto:environment: dev/, "mpto:environment: dve"));
  const errors: Timed[] = [];
  for (let i = 0; i < runs; i++) errors.push(await run(["-r", REGISTER, CLI, "dev", "--project", project, "--program", join(ROOT, "stacks", "program.ts")]));
  rows.push({
    metric: "config error wall",
    value: median(errors.map((e) => e.wall)),
    unit: "s",
    note: `median of ${runs}; exit ${errors[0].status}; pack started: ${/starting policy pack/.test(errors[0].stderr) ? "yes" : "no"}; before ~${BEFORE.configErrorWall} s; target 2.5 s`,
  });

  // The pack's start, compiled copy vs the source folder through ts-node (the way it started before).
  const packStart = async (cacheOff: boolean) => {
    const r = await run(["-e", PACK_START], cacheOff ? { MPTO_PACK_CACHE: "off" } : {});
    return r.cpu;
  };
  const warmCpu = median([await packStart(false), await packStart(false), await packStart(false)]);
  const coldCpu = await packStart(true);
  rows.push({ metric: "pack start CPU, compiled copy", value: warmCpu, unit: "s", note: `to the port line; copy ${warm.status}` });
  rows.push({
    metric: "pack start CPU, from source (ts-node)",
    value: coldCpu,
    unit: "s",
    note: `MPTO_PACK_CACHE=off, as every plan did before (before: ${BEFORE.packStartCpu} s)`,
  });

  if (process.env.BENCH_SUITE !== "0") {
    const suite = await run([join(ROOT, "node_modules", "mocha", "bin", "mocha.js"), "test/**/*.spec.ts", "--ignore", "test/site/**"]);
    rows.push({ metric: "test:unit wall", value: suite.wall, unit: "s", note: `one run; exit ${suite.status}; before ${BEFORE.suiteWall} s for the whole suite; target 60 s` });
    rows.push({ metric: "test:unit CPU", value: suite.cpu, unit: "s", note: "mocha and every process it starts (plans, packs, emulators)" });
  }
  return rows;
}

/** Starts the pack as PolicyPackSession does and exits once it serves. */
const PACK_START = `
require(${JSON.stringify(REGISTER)});
const { PolicyPackSession } = require(${JSON.stringify(join(ROOT, "tools", "plan", "analyzer.ts"))});
PolicyPackSession.start(${JSON.stringify(join(ROOT, "policies"))}, { stack: "dev", project: "mpto", organization: "organization", config: {}, secretKeys: [] }, ${JSON.stringify(ROOT)})
  .then((s) => s.stop()).then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });`;
