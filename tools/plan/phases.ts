import { writeFileSync } from "node:fs";

/**
 * Where a plan's time goes, for `npm run bench` (tools/bench/plan.ts): each mark is the time since
 * the process started (`performance.now()`, so module loading counts) and this process's CPU so far
 * (user + system, all its threads; the policy pack's own process is not in it).
 *
 * Marks never reach the plan's output: the CLI writes them to the file named by `MPTO_PLAN_PHASES`,
 * and only when that variable is set.
 */

export interface PhaseMark {
  /** What has just finished, e.g. "program run". */
  name: string;
  /** Milliseconds since the process started. */
  at: number;
  /** CPU milliseconds this process had used by then. */
  cpu: number;
}

const marks: PhaseMark[] = [];

export function markPhase(name: string): void {
  const usage = process.cpuUsage();
  marks.push({ name, at: performance.now(), cpu: (usage.user + usage.system) / 1000 });
}

/** Writes the marks to `$MPTO_PLAN_PHASES` (JSON), when it is set. */
export function writePhases(): void {
  const file = process.env.MPTO_PLAN_PHASES;
  if (!file) return;
  markPhase("exit");
  try {
    writeFileSync(file, `${JSON.stringify(marks)}\n`);
  } catch {
    // A bench's scratch file only.
  }
}
