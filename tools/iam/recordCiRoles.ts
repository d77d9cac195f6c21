/**
 * npm run iam:record-ci-roles -- <stack>
 *
 * After an administrator has applied a change to the CI roles from a workstation (docs/monitoring.md,
 * "Changing the CI roles"), records the fingerprint of the CI roles as planned now in
 * tools/iam/ci-roles.lock.json, so the offline plan stops saying the change touches the CI roles.
 * Commit the lock file with the change.
 */
import { plan, PlanError } from "../plan/plan";
import { ciRolesFingerprint, LOCK_FILE, writeLock } from "./planSection";

async function main(): Promise<number> {
  const stack = process.argv[2];
  if (!stack || stack.startsWith("-")) throw new PlanError("usage: npm run iam:record-ci-roles -- <stack>");
  const result = await plan({ stack, progress: (m) => process.stderr.write(`  ▸ ${m}\n`) });
  const fingerprint = ciRolesFingerprint(result);
  if (!fingerprint) throw new PlanError(`stack ${stack} has no CI roles (mpto:githubRepository unset): nothing to record`);
  writeLock(stack, fingerprint, new Date().toISOString().slice(0, 10));
  process.stdout.write(`recorded the CI roles of ${stack}: ${fingerprint} in ${LOCK_FILE}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`\nerror: ${error instanceof PlanError ? error.message : (error as Error).stack ?? String(error)}\n`);
    process.exit(2);
  },
);
