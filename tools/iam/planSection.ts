import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Diagnostic, StackContext } from "../plan/analyzer";
import type { MockRunResult } from "../mocks/runtime";
import { checkDeployRoles, DeployRoleReport, formatDeployRoleReport } from "./deployRoleCheck";

/**
 * The offline plan's "Deploy role" section (tools/plan/plan.ts runs it): the deploy-role check of
 * tools/iam/deployRoleCheck.ts on the stack's planned resources, and whether this change touches
 * the CI roles themselves.
 *
 * The CI roles cannot change themselves (components/ci/CiDeployRole.ts denies it), so a change to
 * them — a new type in policies/iam/actions.ts, a new boundary action, a trust change — is applied
 * by an administrator from a workstation before CI deploys again (docs/monitoring.md, "Changing the
 * CI roles"). The plan compares a fingerprint of the CI roles' planned resources with the one the
 * administrator recorded after the last apply (tools/iam/ci-roles.lock.json, written by
 * `npm run iam:record-ci-roles -- <stack>`), and says so when they differ.
 */

export const LOCK_FILE = join(__dirname, "ci-roles.lock.json");
const CI_COMPONENT = "mpto:ci:CiDeployRole";
const PACK = "mpto-offline-plan";

export interface CiRolesChange {
  /** Fingerprint of the CI roles' planned resources (sha256 of their types and inputs), or null when the stack has none. */
  planned: string | null;
  /** Fingerprint recorded after the administrator's last apply, or null when none is recorded. */
  recorded: string | null;
  changed: boolean;
  /** URNs an administrator targets (`pulumi up --target`). */
  resources: string[];
}

export interface DeployRoleSection {
  status: DeployRoleReport["status"];
  failures: string[];
  deployRole: { arn: string; requests: number; denied: number; openEscalationPaths: string[] } | null;
  previewRole: { arn: string; requests: number; denied: number } | null;
  types: DeployRoleReport["types"];
  missingTypes: string[];
  ciRoles: CiRolesChange;
}

/** Resources of the CiDeployRole component (its children, any depth), sorted by URN. */
export function ciRoleResources<R extends { urn: string; type: string; inputs: Record<string, unknown> }>(run: { resources: R[] }): R[] {
  return run.resources.filter((r) => r.urn.includes(`${CI_COMPONENT}$`)).sort((a, b) => a.urn.localeCompare(b.urn));
}

/** Deterministic fingerprint of the CI roles as planned (type, URN and inputs of each resource). */
export function ciRolesFingerprint(run: { resources: { urn: string; type: string; inputs: Record<string, unknown> }[] }): string | null {
  const resources = ciRoleResources(run);
  if (!resources.length) return null;
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical) : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])])) : v;
  const text = JSON.stringify(resources.map((r) => ({ urn: r.urn, type: r.type, inputs: canonical(r.inputs) })));
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

export function readLock(file = LOCK_FILE): Record<string, { fingerprint: string; recorded: string }> {
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
}

export function writeLock(stack: string, fingerprint: string, date: string, file = LOCK_FILE): void {
  const lock = readLock(file);
  lock[stack] = { fingerprint, recorded: date };
  const sorted = Object.fromEntries(Object.keys(lock).sort().map((k) => [k, lock[k]]));
  writeFileSync(file, `${JSON.stringify(sorted, null, 2)}\n`);
}

export function ciRolesChange(run: { resources: { urn: string; type: string; inputs: Record<string, unknown> }[] }, stack: string, lockFile = LOCK_FILE): CiRolesChange {
  const planned = ciRolesFingerprint(run);
  const recorded = readLock(lockFile)[stack]?.fingerprint ?? null;
  return { planned, recorded, changed: planned !== null && planned !== recorded, resources: ciRoleResources(run).map((r) => r.urn) };
}

function diagnostic(policyName: string, level: Diagnostic["enforcementLevel"], description: string, message: string): Diagnostic {
  return { policyName, policyPackName: PACK, policyPackVersion: "0.0.0", enforcementLevel: level, description, message };
}

/** The plan extension: section value, text lines, and diagnostics (the check's failures, mandatory). */
export async function deployRoleSection(run: MockRunResult, context: StackContext, lockFile = LOCK_FILE): Promise<{ key: string; value: DeployRoleSection; lines: string[]; diagnostics: Diagnostic[] }> {
  const report = await checkDeployRoles(run);
  const ci = ciRolesChange(run, context.stack, lockFile);
  const lines = formatDeployRoleReport(report);
  if (ci.planned === null) lines.push("  CI roles: none in this stack");
  else if (!ci.changed) lines.push(`  CI roles: unchanged since the administrator's last recorded apply (${ci.planned})`);
  else {
    lines.push(`  ⚠ this change touches the CI roles (planned ${ci.planned}, recorded ${ci.recorded ?? "none"}): CI cannot apply it (it may not change its own roles).`);
    lines.push(`    An administrator applies it from a workstation first: pulumi up -s ${context.stack} ${ci.resources.map((u) => `--target '${u}'`).join(" ")}`);
    lines.push(`    then records it: npm run iam:record-ci-roles -- ${context.stack}   (docs/monitoring.md, "Changing the CI roles")`);
  }
  const diagnostics = report.failures.map((f) =>
    diagnostic("deploy-role-check", "mandatory", "The CI roles can do what every planned resource needs (policies/iam/actions.ts) and no privilege-escalation path is open (policies/iam/escalation.ts).", f),
  );
  // A CI-role change is said in the section (and --json sections.deployRole.ciRoles.changed), not as a
  // diagnostic: it is not a policy result, and the pack's own results stay comparable across changes.
  return {
    key: "deployRole",
    value: {
      status: report.status,
      failures: report.failures,
      deployRole: report.deploy ? { arn: report.deploy.arn, requests: report.deploy.requests, denied: report.deploy.denied.length, openEscalationPaths: report.deploy.openEscalationPaths.map((p) => p.id) } : null,
      previewRole: report.preview ? { arn: report.preview.arn, requests: report.preview.requests, denied: report.preview.denied.length } : null,
      types: report.types,
      missingTypes: report.missingTypes,
      ciRoles: ci,
    },
    lines,
    diagnostics,
  };
}
