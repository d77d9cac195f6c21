import {
  actionsOf,
  isAnyonePrincipal,
  isScopedByCondition,
  list,
  resourceRule,
  resourcesOf,
  stackRule,
  Statement,
  statementsOf,
  whenKnown,
} from "../lib/kit";

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

/** Identity policy documents of a resource, labelled for messages. */
function identityDocuments(type: string, props: Record<string, any>): { label: string; statements: Statement[] }[] {
  if (type === ROLE) {
    return list<Record<string, any>>(props.inlinePolicies)
      .map((p) => ({ label: `inline policy ${p.name ?? ""}`.trim(), statements: statementsOf(p.policy) ?? [] }))
      .filter((d) => d.statements.length);
  }
  return [{ label: "policy", statements: statementsOf(props.policy) ?? [] }];
}

/** Managed policy ARNs a resource attaches. */
function attachedPolicyArns(type: string, props: Record<string, any>): string[] {
  if (type === ATTACHMENT) return [String(props.policyArn ?? "")];
  if (type === ROLE) return list<string>(props.managedPolicyArns);
  return [];
}

const ADMIN_POLICIES = /:policy\/(AdministratorAccess|IAMFullAccess|PowerUserAccess)$/;

export const iamNoAdminAccess = resourceRule({
  name: "iam-no-admin-access",
  description:
    "No identity policy allows every action on every resource, and no role gets AdministratorAccess, IAMFullAccess or PowerUserAccess (Security Hub IAM.1, Checkov CKV_AWS_1/CKV_AWS_62/CKV2_AWS_40/CKV_AWS_274/CKV2_AWS_56, cdk-nag NIST IAMPolicyNoStatementsWithAdminAccess).",
  types: [ROLE, ROLE_POLICY, POLICY, ATTACHMENT],
  validate(props, { type }, report) {
    for (const doc of identityDocuments(type, type === ATTACHMENT ? {} : props)) {
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
  description: "Roles do not attach AWS managed policies (broad, and changed by AWS at will) unless the stack lists them as reviewed (cdk-nag AwsSolutions-IAM4).",
  types: [ROLE, ATTACHMENT],
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
  reviewedWildcards: { resource: string; reason: string }[];
}

/** KMS actions that must never apply to every key (Security Hub KMS.1/KMS.2). */
const DECRYPT_ACTIONS = ["kms:decrypt", "kms:reencryptfrom", "kms:*", "*"];

export const iamWildcardPermissions = resourceRule<WildcardConfig>({
  name: "iam-wildcard-permissions",
  description:
    "Identity policies grant no whole-service actions (svc:*) and no decrypt on every key; partial-wildcard actions and the '*' resource only for actions without resource types, or on roles listed with a reason (suppression evidence) (cdk-nag AwsSolutions-IAM5, Security Hub IAM.21/KMS.1/KMS.2, Checkov CKV_AWS_49/CKV_AWS_63/CKV_AWS_355, cdk-nag NIST IAMPolicyNoStatementsWithFullAccess).",
  types: [ROLE, ROLE_POLICY, POLICY],
  config: {
    properties: {
      actionsAllowedOnAnyResource: { type: "array", items: { type: "string" }, description: "Actions for which AWS defines no resource type, so '*' is the only possible resource." },
      reviewedWildcards: {
        type: "array",
        items: {
          type: "object",
          required: ["resource", "reason"],
          additionalProperties: false,
          properties: { resource: { type: "string", minLength: 1 }, reason: { type: "string", minLength: 20 } },
        },
        description: "Logical names of roles/policies whose partial wildcards and '*' resources were reviewed, each with the reason (like a cdk-nag suppression).",
      },
    },
    defaults: {
      // Actions with no resource types in the Service Authorization Reference: "*" is their only valid Resource.
      actionsAllowedOnAnyResource: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "cloudwatch:PutMetricData", "sts:GetCallerIdentity", "s3:ListAllMyBuckets"],
      reviewedWildcards: [],
    },
  },
  validate(props, { type, name, config }, report) {
    const reviewed = config.reviewedWildcards.some((r) => r.resource === name || (type === ROLE_POLICY && r.resource === props.role));
    const free = new Set(config.actionsAllowedOnAnyResource.map((a) => a.toLowerCase()));
    for (const doc of identityDocuments(type, props)) {
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

export const iamTrustPolicy = resourceRule({
  name: "iam-trust-policy",
  description:
    "Role trust policies name who may assume them: no '*' principal, no whole account without conditions, and GitHub OIDC trust pinned to an audience of sts.amazonaws.com and a repository subject without wildcards (Checkov CKV_AWS_60/CKV_AWS_61/CKV_AWS_358).",
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
      if (isAnyonePrincipal(s.Principal) && !isScopedByCondition(s)) report(`${where} lets anyone assume the role`);
      for (const aws of list<string>((s.Principal as { AWS?: unknown } | undefined)?.AWS)) {
        if ((/:root$/.test(aws) || /^\d{12}$/.test(aws)) && !s.Condition) report(`${where} trusts every principal of account ${aws} without a condition (CKV_AWS_61)`);
      }
      const federated = list<string>((s.Principal as { Federated?: unknown } | undefined)?.Federated);
      if (federated.some((f) => typeof f === "string" && f.includes(GITHUB))) {
        const conditions = Object.entries(s.Condition ?? {});
        const values = (key: string) => conditions.flatMap(([op, kv]) => Object.entries(kv ?? {}).filter(([k]) => k === key).map(([, v]) => ({ op, values: list<string>(v) })));
        const aud = values(`${GITHUB}:aud`);
        const sub = values(`${GITHUB}:sub`);
        if (!aud.length || aud.some((a) => a.values.some((v) => v !== "sts.amazonaws.com"))) report(`${where}: the GitHub OIDC audience must be exactly sts.amazonaws.com`);
        if (!sub.length) report(`${where}: no ${GITHUB}:sub condition, so any GitHub repository's workflow can assume the role`);
        for (const c of sub) {
          for (const v of c.values) {
            const repo = /^repo:([^/:*]+)\/([^:*]+):(.+)$/.exec(v);
            if (!repo) report(`${where}: subject '${v}' does not name a repository (repo:<owner>/<name>:...)`);
            else if (/[*?]/.test(repo[3]) && c.op !== "StringEquals") report(`${where}: subject '${v}' lets any branch or environment of ${repo[1]}/${repo[2]} assume the role`);
          }
        }
      }
    }
  },
});

export const iamPolicyManagementConflicts = stackRule({
  name: "iam-policy-management-conflicts",
  description:
    "A role's inline or managed policies are set in one way only: not both the role's inlinePolicies/managedPolicyArns and separate RolePolicy/RolePolicyAttachment resources, which overwrite each other on every update (awsguard iam-role-no-policy-management-conflicts).",
  validate(stack, _config, report) {
    for (const role of stack.ofType(ROLE)) {
      const name = [whenKnown(() => role.props.name as unknown, undefined)];
      const inline = whenKnown(() => list(role.props.inlinePolicies).length > 0, false);
      const managed = whenKnown(() => list(role.props.managedPolicyArns).length > 0, false);
      if (inline && stack.referencing(ROLE_POLICY, "role", role, name).length) report(`role ${role.name} has inlinePolicies and separate RolePolicy resources`, role.urn);
      if (managed && stack.referencing(ATTACHMENT, "role", role, name).length) report(`role ${role.name} has managedPolicyArns and separate RolePolicyAttachment resources`, role.urn);
    }
  },
});

export const iamPolicies = [iamNoAdminAccess, iamNoManagedPolicies, iamWildcardPermissions, iamTrustPolicy, iamPolicyManagementConflicts];
