import { openEscalationPaths } from "../iam/escalation";
import { list, objects, strings, whenKnown } from "../lib/inputs";
import { resourceRule, type SchemaProperty, stackRule } from "../lib/policy";
import { actionsOf, isAnyonePrincipal, isScopedByCondition, readDocument, resourcesOf, scopeProblems, Statement, statementsOf } from "../lib/policyDocuments";

/**
 * IAM roles and policies: no administrator access, no AWS managed policies, wildcards only where
 * reviewed, trust policies that name who may assume the role (GitHub OIDC: repository and
 * environment), and one way of attaching policies per role.
 * cdk-nag AwsSolutions-IAM4/IAM5, Security Hub IAM.1/IAM.21/KMS.1/KMS.2, Checkov CKV_AWS_1/49/60/61/62/63/274/355/358, CKV2_AWS_40/56.
 */

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const POLICY = "aws:iam/policy:Policy";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
// Users and groups are judged like roles (issue 14, class 3): their inline policies and every way
// of attaching a managed policy to a role, user or group (Checkov CKV_AWS_274 judges
// aws_iam_role, aws_iam_policy_attachment, aws_iam_role_policy_attachment,
// aws_iam_user_policy_attachment and aws_iam_group_policy_attachment alike).
const USER = "aws:iam/user:User";
const USER_POLICY = "aws:iam/userPolicy:UserPolicy";
const GROUP_POLICY = "aws:iam/groupPolicy:GroupPolicy";
const POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment";
const USER_ATTACHMENT = "aws:iam/userPolicyAttachment:UserPolicyAttachment";
const GROUP_ATTACHMENT = "aws:iam/groupPolicyAttachment:GroupPolicyAttachment";
const EXCLUSIVE_ATTACHMENTS = [
  "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
  "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive",
  "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive",
];
const ATTACHING = [ROLE, ATTACHMENT, POLICY_ATTACHMENT, USER_ATTACHMENT, GROUP_ATTACHMENT, ...EXCLUSIVE_ATTACHMENTS];
const DOCUMENTS = [ROLE, ROLE_POLICY, POLICY, USER_POLICY, GROUP_POLICY];

/** Identity policy documents of a resource, labelled for messages; `problem` when a document is present but unreadable. */
function identityDocuments(type: string, props: Record<string, any>): { label: string; statements: Statement[]; problem?: string }[] {
  if (type === ROLE) {
    return objects(props.inlinePolicies)
      .map((p) => {
        const doc = readDocument(p.policy);
        return { label: `inline policy ${p.name ?? ""}`.trim(), statements: doc.statements, problem: doc.problem };
      })
      .filter((d) => d.statements.length || d.problem);
  }
  if (!DOCUMENTS.includes(type)) return [];
  const doc = readDocument(props.policy);
  return [{ label: "policy", statements: doc.statements, problem: doc.absent ? "the policy document is missing" : doc.problem }];
}

/** Managed policy ARNs a resource attaches (to a role, user or group). */
function attachedPolicyArns(type: string, props: Record<string, any>): string[] {
  if (type === ATTACHMENT || type === POLICY_ATTACHMENT || type === USER_ATTACHMENT || type === GROUP_ATTACHMENT) return strings(props.policyArn);
  if (EXCLUSIVE_ATTACHMENTS.includes(type)) return strings(props.policyArns);
  if (type === ROLE) return strings(props.managedPolicyArns);
  return [];
}

/**
 * A reviewed exception, keyed by the resource's URN (stack, project, parent type chain and name) or
 * its ARN, never by its logical name: another resource (another component, another type) may
 * reuse a name, and must not inherit the review (issue 14, class 3).
 */
export interface ReviewedResource {
  urn?: string;
  arn?: string;
  reason: string;
}

const REVIEWED_PROPERTIES = {
  urn: { type: "string", pattern: "^urn:pulumi:[^:]+::[^:]+::.+::.+$", description: "The resource's full URN." },
  arn: { type: "string", pattern: "^arn:aws[a-z-]*:iam::\\d{12}:(policy|role)/", description: "The policy's or role's ARN." },
  reason: { type: "string", minLength: 20 },
};

const REVIEWED_ITEMS = {
  type: "object",
  required: ["reason"],
  additionalProperties: false,
  anyOf: [{ required: ["urn"] }, { required: ["arn"] }],
  properties: REVIEWED_PROPERTIES,
} as SchemaProperty;

/** Whether the resource (by URN, or by its ARN when known) is listed. */
function isListed(listed: readonly ReviewedResource[] | undefined, urn: string, props: Record<string, any>): ReviewedResource | undefined {
  const arn = whenKnown(() => props.arn as unknown, undefined);
  return (listed ?? []).find((r) => r && ((r.urn !== undefined && r.urn === urn) || (r.arn !== undefined && typeof arn === "string" && r.arn === arn)));
}

const ADMIN_POLICIES = /:policy\/(AdministratorAccess|IAMFullAccess|PowerUserAccess)$/;

export const iamNoAdminAccess = resourceRule({
  name: "iam-no-admin-access",
  description:
    "No identity policy (of a role, user or group) allows every action on every resource, and no role, user or group gets AdministratorAccess, IAMFullAccess or PowerUserAccess through any attachment (Security Hub IAM.1, Checkov CKV_AWS_1/CKV_AWS_62/CKV2_AWS_40/CKV_AWS_274/CKV2_AWS_56, cdk-nag NIST IAMPolicyNoStatementsWithAdminAccess).",
  types: [...DOCUMENTS, ...ATTACHING.filter((t) => t !== ROLE)],
  validate(props, { type }, report) {
    for (const doc of identityDocuments(type, props)) {
      if (doc.problem) report(`${doc.label}: ${doc.problem}, so it cannot be judged`);
      for (const s of doc.statements) {
        if (s.Effect !== "Allow") continue;
        if (actionsOf(s).includes("*") && resourcesOf(s).includes("*")) report(`${doc.label}: statement ${s.Sid ?? "(no Sid)"} allows "*" on "*" (administrator access)`);
      }
    }
    for (const arn of attachedPolicyArns(type, props)) if (ADMIN_POLICIES.test(arn)) report(`attaches ${arn}`);
  },
});

export const iamNoManagedPolicies = resourceRule<{ allowedManagedPolicies: string[] }>({
  name: "iam-no-managed-policies",
  description: "Roles, users and groups do not attach AWS managed policies (broad, and changed by AWS at will) unless the stack lists them as reviewed (cdk-nag AwsSolutions-IAM4).",
  types: ATTACHING,
  config: {
    properties: { allowedManagedPolicies: { type: "array", items: { type: "string" }, description: "AWS managed policy ARNs that were reviewed and may be attached." } },
    defaults: { allowedManagedPolicies: [] },
  },
  validate(props, { type, config }, report) {
    for (const arn of attachedPolicyArns(type, props)) {
      if (/^arn:aws[a-z-]*:iam::aws:policy\//.test(arn) && !config.allowedManagedPolicies.includes(arn)) report(`attaches the AWS managed policy ${arn}; write a least-privilege policy instead`);
    }
  },
});

interface WildcardConfig {
  actionsAllowedOnAnyResource: string[];
  reviewedWildcards: ReviewedResource[];
  permissionsBoundaries: ReviewedResource[];
}

/** KMS actions that must never apply to every key (Security Hub KMS.1/KMS.2). */
const DECRYPT_ACTIONS = ["kms:decrypt", "kms:reencryptfrom", "kms:*", "*"];

export const iamWildcardPermissions = resourceRule<WildcardConfig>({
  name: "iam-wildcard-permissions",
  description:
    "Identity policies grant no whole-service actions (svc:*) and no decrypt on every key; partial-wildcard actions and the '*' resource only for actions without resource types, or on roles listed with a reason (suppression evidence) (cdk-nag AwsSolutions-IAM5, Security Hub IAM.21/KMS.1/KMS.2, Checkov CKV_AWS_49/CKV_AWS_63/CKV_AWS_355, cdk-nag NIST IAMPolicyNoStatementsWithFullAccess).",
  types: DOCUMENTS,
  config: {
    properties: {
      actionsAllowedOnAnyResource: { type: "array", items: { type: "string" }, description: "Actions for which AWS defines no resource type, so '*' is the only possible resource." },
      reviewedWildcards: {
        type: "array",
        items: REVIEWED_ITEMS,
        description: "Roles/policies (by URN or ARN, never by logical name) whose partial wildcards and '*' resources were reviewed, each with the reason (like a cdk-nag suppression).",
      },
      permissionsBoundaries: {
        type: "array",
        items: REVIEWED_ITEMS,
        description: "Managed policies used only as permissions boundaries (by URN or ARN), with the reason: a boundary grants nothing, it caps, so its wildcards are ceilings, not grants.",
      },
    },
    defaults: {
      // Actions with no resource types in the Service Authorization Reference: "*" is their only valid Resource.
      actionsAllowedOnAnyResource: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "cloudwatch:PutMetricData", "sts:GetCallerIdentity", "s3:ListAllMyBuckets"],
      reviewedWildcards: [],
      permissionsBoundaries: [],
    },
  },
  validate(props, { type, urn, config }, report) {
    // A boundary "does not grant permissions on its own" (IAM User Guide, "Permissions boundaries for IAM entities").
    if (type === POLICY && isListed(config.permissionsBoundaries, urn, props)) return;
    const reviewed = isListed(config.reviewedWildcards, urn, props) !== undefined;
    const free = new Set(config.actionsAllowedOnAnyResource.map((a) => a.toLowerCase()));
    for (const doc of identityDocuments(type, props)) {
      if (doc.problem) report(`${doc.label}: ${doc.problem}, so it cannot be judged`);
      for (const s of doc.statements) {
        if (s.Effect !== "Allow") continue;
        const where = `${doc.label}: statement ${s.Sid ?? "(no Sid)"}`;
        const actions = actionsOf(s);
        const anyResource = resourcesOf(s).includes("*");
        const whole = actions.filter((a) => a === "*" || /^[a-z0-9-]+:\*$/i.test(a));
        if (whole.length) report(`${where} grants whole services: ${whole.join(", ")} (IAM.21)`);
        if (anyResource && actions.some((a) => DECRYPT_ACTIONS.includes(a.toLowerCase()))) report(`${where} allows decrypting with every KMS key (KMS.1/KMS.2)`);
        if (reviewed) continue;
        const partial = actions.filter((a) => a.includes("*") && !whole.includes(a));
        if (partial.length) report(`${where} uses wildcard actions ${partial.join(", ")}; list them, or record the review in reviewedWildcards (AwsSolutions-IAM5)`);
        const restrictable = actions.filter((a) => !free.has(a.toLowerCase()));
        if (anyResource && restrictable.length && !isScopedByCondition(s)) report(`${where} applies ${restrictable.slice(0, 4).join(", ")}${restrictable.length > 4 ? ", ..." : ""} to every resource ("*"); name the resources (AwsSolutions-IAM5, CKV_AWS_355)`);
      }
    }
  },
});

const GITHUB = "token.actions.githubusercontent.com";

/**
 * What a GitHub OIDC subject pins (GitHub docs, "About security hardening with OpenID Connect",
 * example subject claims): `repo:<owner>/<repo>:environment:<name>`, `repo:<owner>/<repo>:ref:refs/heads/<branch>`
 * (or refs/tags/), `repo:<owner>/<repo>:pull_request`, `repo:<owner>/<repo>:job_workflow_ref:...`.
 * A deploy role must pin the repository and an environment or a branch/tag: a bare `repo:o/r:*`
 * lets any branch's workflow deploy. A `pull_request` subject is any pull request, forks included
 * when workflows run for them: such a role may only read (iam-pull-request-roles-read-only).
 */
export function githubSubject(value: string, wildcards: boolean): { repo?: string; pin?: "environment" | "ref" | "pull_request" | "other"; problem?: string } {
  const m = /^repo:([^/:]+)\/([^:]+):(.+)$/.exec(value);
  if (!m) return { problem: `subject '${value}' does not name a repository (repo:<owner>/<name>:...)` };
  const [, owner, name, rest] = m;
  const wild = (v: string) => wildcards && /[*?]/.test(v);
  if (wild(owner) || wild(name)) return { problem: `subject '${value}' has a wildcard in the repository` };
  const repo = `${owner}/${name}`;
  if (wild(rest)) return { repo, problem: `subject '${value}' lets any branch, environment or event of ${repo} assume the role` };
  if (/^environment:[^:]+$/.test(rest)) return { repo, pin: "environment" };
  if (/^ref:refs\/(heads|tags)\/.+$/.test(rest)) return { repo, pin: "ref" };
  if (rest === "pull_request") return { repo, pin: "pull_request" };
  return { repo, pin: "other", problem: `subject '${value}' pins neither an environment nor a branch or tag of ${repo}` };
}

/** The GitHub OIDC subjects a trust statement accepts, with the operator that compares them. */
function githubSubjects(s: Statement): { op: string; values: string[] }[] {
  const out: { op: string; values: string[] }[] = [];
  for (const [op, kv] of Object.entries(s.Condition ?? {})) {
    if (!kv || typeof kv !== "object") continue;
    for (const [k, v] of Object.entries(kv)) if (k.toLowerCase() === `${GITHUB}:sub`) out.push({ op, values: list(v).map(String) });
  }
  return out;
}

const trustsGitHub = (s: Statement) => list((s.Principal as { Federated?: unknown } | undefined)?.Federated).some((f) => typeof f === "string" && f.includes(GITHUB));

export const iamTrustPolicy = resourceRule({
  name: "iam-trust-policy",
  description:
    "Role trust policies name who may assume them: no '*' principal without a scoping condition judged by value, no whole account without conditions, and GitHub OIDC trust pinned to an audience of sts.amazonaws.com and a repository subject that also pins an environment or a branch or tag, without wildcards (Checkov CKV_AWS_60/CKV_AWS_61/CKV_AWS_358).",
  types: [ROLE],
  validate(props, _ctx, report) {
    const statements = statementsOf(props.assumeRolePolicy);
    if (!statements) {
      report("assumeRolePolicy is missing or not JSON");
      return;
    }
    for (const s of statements) {
      if (s.Effect !== "Allow") continue;
      const where = `trust statement ${s.Sid ?? "(no Sid)"}`;
      if (isAnyonePrincipal(s.Principal) && !isScopedByCondition(s)) report(`${where} lets anyone assume the role${scopeProblems(s)}`);
      for (const aws of list((s.Principal as { AWS?: unknown } | undefined)?.AWS).map(String)) {
        if ((/:root$/.test(aws) || /^\d{12}$/.test(aws)) && !s.Condition) report(`${where} trusts every principal of account ${aws} without a condition (CKV_AWS_61)`);
      }
      if (!trustsGitHub(s)) continue;
      const conditions = Object.entries(s.Condition ?? {});
      const values = (key: string) => conditions.flatMap(([op, kv]) => Object.entries(kv && typeof kv === "object" ? kv : {}).filter(([k]) => k.toLowerCase() === key).map(([, v]) => ({ op, values: list(v).map(String) })));
      const aud = values(`${GITHUB}:aud`);
      const sub = githubSubjects(s);
      if (!aud.length || aud.some((a) => !/^StringEquals$/i.test(a.op) || a.values.some((v) => v !== "sts.amazonaws.com"))) report(`${where}: the GitHub OIDC audience must be exactly sts.amazonaws.com (StringEquals)`);
      if (!sub.length) report(`${where}: no ${GITHUB}:sub condition, so any GitHub repository's workflow can assume the role`);
      for (const c of sub) {
        if (/IfExists$|Not/i.test(c.op)) report(`${where}: the subject is compared with ${c.op}, which does not pin it`);
        for (const v of c.values) {
          const judged = githubSubject(v, /Like$/i.test(c.op));
          if (judged.problem) report(`${where}: ${judged.problem}`);
        }
      }
    }
  },
});

/** Verbs of read-only actions (no write, no data exfiltration beyond reads the preview needs). */
const READ_VERBS = /^(Get|List|Describe|Head|View|Lookup|BatchGet|Search|Check|Estimate|Simulate|Validate)/;

function isReadOnlyAction(action: string): boolean {
  const [service, verb] = action.split(":");
  if (!service || !verb || verb.includes("*") && !/^(Get|List|Describe)[A-Za-z]*\*$/.test(verb)) return false;
  return READ_VERBS.test(verb);
}

/** AWS managed policies that only read. */
const READ_ONLY_MANAGED = /:policy\/(ReadOnlyAccess|ViewOnlyAccess|SecurityAudit)$/;

/**
 * A role that GitHub pull requests may assume (a `pull_request` subject, or one whose wildcard
 * admits it) runs code anyone can propose: it may only read (issue 14, class 3). Judged over the
 * whole stack, since a role's rights also come from RolePolicy resources and attachments of
 * customer managed policies the stack declares.
 */
export const iamPullRequestRolesReadOnly = stackRule({
  name: "iam-pull-request-roles-read-only",
  description:
    "A role whose GitHub OIDC trust admits pull_request workflows only reads: its inline, RolePolicy and attached policies allow Get/List/Describe-style actions only, and no AWS managed policy but ReadOnlyAccess/ViewOnlyAccess/SecurityAudit (GitHub OIDC hardening; no catalogue rule).",
  validate(stack, _config, report) {
    stack.eachOf(ROLE, report, (role) => {
      const trust = statementsOf(role.props.assumeRolePolicy) ?? [];
      const admitsPullRequests = trust.some(
        (s) =>
          s.Effect === "Allow" &&
          trustsGitHub(s) &&
          githubSubjects(s).some((c) => c.values.some((v) => githubSubject(v, /Like$/i.test(c.op)).pin === "pull_request" || (/Like$/i.test(c.op) && /^repo:[^:]+\/[^:]+:.*[*?]/.test(v)))),
      );
      if (!admitsPullRequests) return;
      const name = whenKnown(() => role.props.name as unknown, undefined);
      const roleArn = whenKnown(() => role.props.arn as unknown, undefined);
      const docs: { label: string; statements: Statement[] }[] = identityDocuments(ROLE, role.props);
      for (const p of stack.referencing(ROLE_POLICY, "role", role, [name, roleArn])) docs.push({ label: `RolePolicy ${p.name}`, statements: whenKnown(() => statementsOf(p.props.policy) ?? [], []) });
      const arns = [...strings(role.props.managedPolicyArns), ...stack.referencing(ATTACHMENT, "role", role, [name, roleArn]).flatMap((a) => strings(whenKnown(() => a.props.policyArn as unknown, undefined)))];
      for (const arn of arns) {
        if (/^arn:aws[a-z-]*:iam::aws:policy\//.test(arn)) {
          if (!READ_ONLY_MANAGED.test(arn)) report(`role ${role.name} admits pull_request workflows and attaches ${arn}, which is not read-only`, role.urn);
          continue;
        }
        const policy = stack.ofType(POLICY).find((p) => whenKnown(() => p.props.arn === arn, false));
        if (policy) docs.push({ label: `policy ${policy.name}`, statements: whenKnown(() => statementsOf(policy.props.policy) ?? [], []) });
      }
      for (const d of docs) {
        for (const st of d.statements) {
          if (st.Effect !== "Allow") continue;
          const writes = actionsOf(st).filter((a) => !isReadOnlyAction(a));
          if (writes.length) report(`role ${role.name} admits pull_request workflows, but ${d.label} (${st.Sid ?? "no Sid"}) allows ${writes.slice(0, 4).join(", ")}${writes.length > 4 ? ", ..." : ""}: a pull request may only read`, role.urn);
        }
      }
    });
  },
});

/**
 * Privilege escalation (issue 14, class 3), from the one list the deploy-role check shares
 * (policies/iam/escalation.ts: paths, why, sources, what closes them). An identity policy that
 * grants every step of a path, without the permissions-boundary condition that limits it to bounded
 * roles and users, lets its holder give itself more than it was granted. Reviewed exceptions are
 * keyed by URN or ARN, per path, with the reason (e.g. the deploy role's Deny statements on its
 * own ARNs, which the pack cannot tell from other ARNs).
 */
export const iamPrivilegeEscalation = resourceRule<{ reviewedEscalations: (ReviewedResource & { paths: string[] })[] }>({
  name: "iam-privilege-escalation",
  description:
    "No identity policy of a role, user or group opens a privilege-escalation path (creating or updating policies and their versions, attaching or putting policies, passing roles to compute, creating roles or users with rights, updating trust policies, removing boundaries) without a pinned iam:PermissionsBoundary condition, unless the path is reviewed for that resource by URN or ARN (Rhino Security Labs escalation methods; policies/iam/escalation.ts; no catalogue rule).",
  types: DOCUMENTS,
  config: {
    properties: {
      reviewedEscalations: {
        type: "array",
        description: "Per resource (URN or ARN), escalation path ids that were reviewed as closed by something the pack cannot see, with the reason.",
        items: {
          type: "object",
          required: ["reason", "paths"],
          additionalProperties: false,
          anyOf: [{ required: ["urn"] }, { required: ["arn"] }],
          properties: { ...REVIEWED_PROPERTIES, paths: { type: "array", items: { type: "string" }, minItems: 1 } },
        } as SchemaProperty,
      },
    },
    defaults: { reviewedEscalations: [] },
  },
  validate(props, { type, urn, config }, report) {
    const reviewed = (config.reviewedEscalations ?? []).filter((r) => r && isListed([r], urn, props));
    for (const doc of identityDocuments(type, props)) {
      for (const open of openEscalationPaths(doc.statements)) {
        if (reviewed.some((r) => strings(r.paths).includes(open.path.id))) continue;
        const via = open.via.map((v) => `${v.action}${v.sid ? ` (${v.sid})` : ""}`).join(" + ");
        report(`${doc.label} opens the escalation path ${open.path.id}: ${via}. ${open.path.why} Closed by: ${open.path.closedBy.join(" or ")}; or review it for this resource (reviewedEscalations, by URN or ARN)`);
      }
    }
  },
});

/**
 * IAM users: people and CI use roles (SSO, GitHub OIDC); a user has long-lived credentials. Security
 * Hub IAM.2 (no policies attached to users), Checkov CKV_AWS_40 (policies attached only to groups or
 * roles) and CKV_AWS_273 (access through SSO, not IAM users); access keys and console passwords are
 * the long-lived credentials IAM.3/IAM.5 would then have to police.
 */
export const iamUsers = resourceRule<{ allowUsers: boolean }>({
  name: "iam-users",
  description:
    "No IAM users where the stack does not allow them, no policies attached to users (inline, attachment, policy attachment or exclusive attachments), and no long-lived access keys or console passwords (Security Hub IAM.2, Checkov CKV_AWS_40/CKV_AWS_273).",
  types: [USER, USER_POLICY, USER_ATTACHMENT, POLICY_ATTACHMENT, "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive", "aws:iam/accessKey:AccessKey", "aws:iam/userLoginProfile:UserLoginProfile"],
  config: { properties: { allowUsers: { type: "boolean", description: "Allow IAM users at all (people and CI should use roles)." } }, defaults: { allowUsers: false } },
  validate(props, { type, config }, report) {
    switch (type) {
      case USER:
        if (!config.allowUsers) report("an IAM user: people sign in through SSO and CI through OIDC roles; a user's credentials outlive every session (CKV_AWS_273)");
        break;
      case POLICY_ATTACHMENT:
        if (strings(props.users).length) report(`policy ${String(props.policyArn)} is attached to users ${strings(props.users).join(", ")}: attach it to a group or role (IAM.2, CKV_AWS_40)`);
        break;
      case "aws:iam/accessKey:AccessKey":
        report("a long-lived access key: use a role (OIDC for CI), whose credentials expire");
        break;
      case "aws:iam/userLoginProfile:UserLoginProfile":
        report("a console password for an IAM user: people sign in through SSO");
        break;
      default:
        report("a policy attached directly to a user: attach it to a group or role (IAM.2, CKV_AWS_40)");
    }
  },
});

export const iamPolicyManagementConflicts = stackRule({
  name: "iam-policy-management-conflicts",
  description:
    "A role's inline or managed policies are set in one way only: not both the role's inlinePolicies/managedPolicyArns and separate RolePolicy/RolePolicyAttachment resources, which overwrite each other on every update (awsguard iam-role-no-policy-management-conflicts).",
  validate(stack, _config, report) {
    stack.eachOf(ROLE, report, (role) => {
      const name = [whenKnown(() => role.props.name as unknown, undefined)];
      const inline = whenKnown(() => list(role.props.inlinePolicies).length > 0, false);
      const managed = whenKnown(() => list(role.props.managedPolicyArns).length > 0, false);
      if (inline && stack.referencing(ROLE_POLICY, "role", role, name).length) report(`role ${role.name} has inlinePolicies and separate RolePolicy resources`, role.urn);
      if (managed && stack.referencing(ATTACHMENT, "role", role, name).length) report(`role ${role.name} has managedPolicyArns and separate RolePolicyAttachment resources`, role.urn);
    });
  },
});

export const iamPolicies = [iamNoAdminAccess, iamNoManagedPolicies, iamWildcardPermissions, iamTrustPolicy, iamPullRequestRolesReadOnly, iamPrivilegeEscalation, iamUsers, iamPolicyManagementConflicts];
