import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./harness";

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run plan -- <args>` the way a user does (a fresh process), returning its exit status and output. */
export function runPlan(args: string[]): CliRun {
  const result = spawnSync(process.execPath, ["-r", join(ROOT, "tools", "register.js"), join(ROOT, "tools", "plan", "cli.ts"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 180_000,
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
