import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchRow } from "../bench";
import { median } from "../benchStats";
import type { PhaseMark } from "../plan/phases";

/**
 * Toolchain speed (issue 10): the offline plan per stack, a config error and the fast test tier
 * (`test:unit`), each the median of several runs with the figure before the work beside it, and
 * where a plan's time goes (tools/plan/phases.ts marks, written when MPTO_PLAN_PHASES is set).
 *
 * The machine is shared (2 cores, several engineers): each figure comes with the 1-minute load
 * average when its runs started and with CPU time (user + system of the process and every process
 * it starts: plan + policy pack), which other load inflates far less than wall time.
 *
 *   BENCH_RUNS=5          runs per figure (median; min and max shown)
 *   BENCH_BASE=<rev>      also runs <rev>'s tree (a scratch worktree sharing node_modules), run for
 *                         run interleaved with this one, so both see the same load: its medians are
 *                         the like-for-like "before"
 *   BENCH_SUITE=0         skips test:unit (minutes); BENCH_SUITE_RUNS=1 its runs
 */

const ROOT = join(__dirname, "..", "..");

/**
 * Before the speed work, at d646109 (2026-12-02), as measured then: dev 7.7 s wall / 7.2 s user at
 * 02:01 under light load (the session brief), 4.1-5.4 s wall and 5.0-7.1 s CPU at 02:05, load 0.7,
 * warm caches (plan-speed); prod was not timed under light load (BENCH_BASE=d646109 times it beside
 * this tree). Config error: 2.06 s (the session before; ~6 s before that, when the pack started first).
 * Suite: the whole test:unit at d646109, serial, on a quiet machine (load 0.4, 2026-12-02 02:00):
 * 1,833 tests, 206 s wall (mocha 201 s), 220 s CPU (lead's measurement at the session start).
 */
const BEFORE = {
  plan: { dev: "7.7 s (4.1-5.4 s warm)", prod: "not measured at light load" },
  planCpu: { dev: "7.2 s user (5.0-7.1 s warm)", prod: "not measured at light load" },
  configError: "2.06 s",
  suite: "206 s (serial, 1,833 tests, 220 s CPU)",
};
const TARGET = { plan: 3, configError: 2.5, suite: 60 };

interface Timed {
  wall: number;
  cpu: number;
  load: number;
  status: number | null;
  stderr: string;
  phases?: PhaseMark[];
}

let scratch = "";

/** Runs `node <args>` in `cwd`: wall, CPU of the process tree (the shell's `times`), the load when it started. */
function run(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Timed> {
  return new Promise((resolve) => {
    const load = loadavg()[0];
    const phasesFile = join(scratch, "phases.json");
    rmSync(phasesFile, { force: true });
    const started = process.hrtime.bigint();
    const quoted = [process.execPath, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
    const child = spawn("bash", ["-c", `${quoted} >/dev/null 2>"$BENCH_ERR"; s=$?; times >&3; exit $s`], {
      cwd,
      env: { ...process.env, ...env, BENCH_ERR: join(scratch, "stderr.txt"), MPTO_PLAN_PHASES: phasesFile },
      stdio: ["ignore", "ignore", "ignore", "pipe"],
    });
    let times = "";
    child.stdio[3]!.on("data", (d: Buffer) => (times += d.toString()));
    child.on("exit", (status) => {
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      // Second line of `times`: the children's "XmY.YYYs XmZ.ZZZs" (user, system).
      const line = times.trim().split("\n")[1] ?? "";
      const cpu = [...line.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + Number(m[1]) * 60 + Number(m[2]), 0);
      const phases = existsSync(phasesFile) ? (JSON.parse(readFileSync(phasesFile, "utf8")) as PhaseMark[]) : undefined;
      resolve({ wall, cpu, load, status, stderr: readFileSync(join(scratch, "stderr.txt"), "utf8"), phases });
    });
  });
}

const range = (xs: number[]) => `min ${Math.min(...xs).toFixed(2)}, max ${Math.max(...xs).toFixed(2)}`;
const fmt = (n: number) => n.toFixed(2);

/** A worktree of `rev` beside this one, sharing node_modules (removed at the end). */
function baseTree(rev: string): { dir: string; sha: string; remove(): void } {
  const sha = execFileSync("git", ["-C", ROOT, "rev-parse", `${rev}^{commit}`], { encoding: "utf8" }).trim();
  const parent = mkdtempSync(join(tmpdir(), "mpto-bench-base-"));
  const dir = join(parent, "tree");
  execFileSync("git", ["-C", ROOT, "worktree", "add", "--detach", dir, sha], { stdio: "ignore" });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  return {
    dir,
    sha: sha.slice(0, 7),
    remove: () => {
      execFileSync("git", ["-C", ROOT, "worktree", "remove", "--force", dir], { stdio: "ignore" });
      rmSync(parent, { recursive: true, force: true });
    },
  };
}

/** Runs this tree's and (when given) the base tree's command alternately, `runs` times each. */
/**
 * The `test:unit` script of the tree at `root`, as node arguments (its mocha line, quoted globs kept
 * whole), so the bench times what `npm run test:unit` runs there, e.g. --parallel or not.
 */
function unitSuiteArgs(root: string): string[] {
  const script: string = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts["test:unit"];
  const words = [...script.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
  if (words[0] !== "mocha") throw new Error(`test:unit in ${root} is not a mocha command: ${script}`);
  return [join(root, "node_modules", "mocha", "bin", "mocha.js"), ...words.slice(1)];
}

async function interleaved(runs: number, args: (root: string) => string[], base?: { dir: string }, env: NodeJS.ProcessEnv = {}): Promise<{ mine: Timed[]; base: Timed[] }> {
  const mine: Timed[] = [];
  const before: Timed[] = [];
  for (let i = 0; i < runs; i++) {
    mine.push(await run(ROOT, args(ROOT), env));
    if (base) before.push(await run(base.dir, args(base.dir), env));
  }
  return { mine, base: before };
}

function summary(results: Timed[]): string {
  const walls = results.map((r) => r.wall);
  return `${range(walls)}; CPU ${fmt(median(results.map((r) => r.cpu)))} s; load ${fmt(median(results.map((r) => r.load)))}; exit ${results[0].status}`;
}

/** Median time of each phase mark across runs, and the step (wall, this process's CPU) from the mark before. */
function phaseRows(stack: string, results: Timed[]): BenchRow[] {
  const runs = results.map((r) => r.phases).filter((p): p is PhaseMark[] => Boolean(p));
  if (!runs.length) return [];
  const rows: BenchRow[] = [];
  let previous = { at: 0, cpu: 0 };
  for (const mark of runs[0]) {
    const same = runs.map((p) => p.find((m) => m.name === mark.name)).filter((m): m is PhaseMark => Boolean(m));
    const at = median(same.map((m) => m.at)) / 1000;
    const cpu = median(same.map((m) => m.cpu)) / 1000;
    rows.push({
      metric: `  ${stack}: ${mark.name}`,
      value: at,
      unit: "s",
      note: `+${fmt(at - previous.at)} s wall, +${fmt(cpu - previous.cpu)} s CPU of the plan process`,
    });
    previous = { at, cpu };
  }
  return rows;
}

export async function bench(): Promise<BenchRow[]> {
  scratch = mkdtempSync(join(tmpdir(), "mpto-bench-"));
  const rows: BenchRow[] = [];
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  const base = process.env.BENCH_BASE ? baseTree(process.env.BENCH_BASE) : undefined;
  const cli = (root: string) => ["-r", join(root, "tools", "register.js"), join(root, "tools", "plan", "cli.ts")];
  const beforeNote = (label: string, fixed: string, results: Timed[]) =>
    `before ${fixed}${base && results.length ? `; ${base.sha} interleaved: median ${fmt(median(results.map((r) => r.wall)))} s, ${summary(results)}` : ""}; ${label}`;

  try {
    // Warm what any second plan finds warm (the pack's compiled copy, ts-node's output, Node's compile cache, the IAM memo).
    for (const root of [ROOT, ...(base ? [base.dir] : [])]) await run(root, [...cli(root), "dev"]);

    for (const stack of ["dev", "prod"] as const) {
      const { mine, base: before } = await interleaved(runs, (root) => [...cli(root), stack], base);
      rows.push({
        metric: `plan wall (${stack})`,
        value: median(mine.map((r) => r.wall)),
        unit: "s",
        note: `median of ${runs}; ${summary(mine)}; ${beforeNote(`target ${TARGET.plan} s`, BEFORE.plan[stack], before)}`,
      });
      rows.push({
        metric: `plan CPU, plan + pack (${stack})`,
        value: median(mine.map((r) => r.cpu)),
        unit: "s",
        note: `median; before ${BEFORE.planCpu[stack]}${base ? `, ${base.sha}: ${fmt(median(before.map((r) => r.cpu)))} s` : ""}`,
      });
      rows.push({ metric: `  where the time goes (${stack}), medians since the process started`, value: "", unit: "" });
      rows.push(...phaseRows(stack, mine));
    }

    // The pack's start on its own (in a plan it runs beside the program, so no phase shows it whole).
    const packStart = await interleaved(runs, (root) => ["-e", packStartScript(root)], base);
    rows.push({
      metric: "pack start, alone (compiled copy, to its port line)",
      value: median(packStart.mine.map((r) => r.wall)),
      unit: "s",
      note: `median of ${runs}; ${summary(packStart.mine)} (starter + pack)${base ? `; ${base.sha} interleaved: ${fmt(median(packStart.base.map((r) => r.wall)))} s, CPU ${fmt(median(packStart.base.map((r) => r.cpu)))} s` : ""}`,
    });

    // Config error: a stack file with a value the config schema refuses, answered before the pack starts.
    const project = join(scratch, "config-error-project");
    mkdirSync(project);
    copyFileSync(join(ROOT, "Pulumi.yaml"), join(project, "Pulumi.yaml"));
    writeFileSync(join(project, "Pulumi.dev.yaml"), readFileSync(join(ROOT, "Pulumi.dev.yaml"), "utf8").replace(/mpto:environment: dev/, "mpto:environment: dve"));
    const errors = await interleaved(runs, (root) => [...cli(root), "dev", "--project", project, "--program", join(root, "stacks", "program.ts")], base);
    rows.push({
      metric: "config error wall",
      value: median(errors.mine.map((e) => e.wall)),
      unit: "s",
      note: `median of ${runs}; ${summary(errors.mine)}; pack started: ${/starting policy pack/.test(errors.mine[0].stderr) ? "yes" : "no"}; ${beforeNote(`target ${TARGET.configError} s`, BEFORE.configError, errors.base)}`,
    });
    rows.push(...phaseRows("config error", errors.mine));

    if (process.env.BENCH_SUITE !== "0") {
      const suiteRuns = Number(process.env.BENCH_SUITE_RUNS ?? 1);
      const mocha = unitSuiteArgs;
      const suite = await interleaved(suiteRuns, mocha, base);
      rows.push({
        metric: "test:unit wall",
        value: median(suite.mine.map((r) => r.wall)),
        unit: "s",
        note: `median of ${suiteRuns}; ${summary(suite.mine)} (mocha and every process it starts); ${beforeNote(`target ${TARGET.suite} s`, BEFORE.suite, suite.base)}`,
      });
    }
  } finally {
    base?.remove();
    rmSync(scratch, { recursive: true, force: true });
  }
  return rows;
}

/** Starts the pack as a plan does (PolicyPackSession) and exits once it serves. */
function packStartScript(root: string): string {
  return `
require(${JSON.stringify(join(root, "tools", "register.js"))});
const { PolicyPackSession } = require(${JSON.stringify(join(root, "tools", "plan", "analyzer.ts"))});
PolicyPackSession.start(${JSON.stringify(join(root, "policies"))}, { stack: "dev", project: "mpto", organization: "organization", config: {}, secretKeys: [] }, ${JSON.stringify(root)})
  .then((s) => s.stop()).then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });`;
}
