import * as pulumi from "@pulumi/pulumi";
import { actionName, actionsForTypes, INVOKE_ACTIONS, Phase, PHASES, PROVIDER_ACTIONS, RESOURCE_ACTIONS } from "../../policies/iam/actions";
import { takesPermissionsBoundary } from "../../policies/iam/escalation";
import { PolicyStatement } from "../shared/policyDocument";

/**
 * What the CI roles are allowed, as pure data and builders (no resources): the GitHub OIDC facts,
 * the actions each resource type needs by phase (policies/iam/actions.ts), how they are grouped and
 * packed into managed policies under IAM's size limit, the IAM statements with their conditions,
 * and the read-only twins for previews. components/ci/CiDeployRole.ts turns them into roles.
 */

/** GitHub's OIDC issuer (without scheme, as IAM condition keys name it). */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
export const GITHUB_AUDIENCE = "sts.amazonaws.com";

/**
 * The deploy role's permissions are derived from the action table (policies/iam/actions.ts): every
 * action the managed resource types need to create, read, update and delete, by service, exact
 * actions (no `svc:*`, Security Hub IAM.21; no `*:*`, IAM.1), only in eu-west-2 and us-east-1.
 * IAM is scoped by what it acts on (iamDeployStatements). Data-plane reads stay out (no
 * s3:GetObject, dynamodb:GetItem, logs:GetLogEvents, kms:Decrypt): the table has none.
 */

const ORGANIZATION_PROGRAM_TYPE = /^aws:(organizations\/|iam\/organizationsFeatures:)/;
/** Types the deploy role manages by default: every table entry but the organization program's (run from the management account). */
export const DEFAULT_DEPLOY_TYPES: readonly string[] = Object.keys(RESOURCE_ACTIONS).filter((t) => !ORGANIZATION_PROGRAM_TYPE.test(t));

/** Which managed policy of the role a service's statement goes in (stable names: the pack's reviewed list keys on them). */
export const SERVICE_GROUP: Record<string, string> = {
  cloudfront: "edge",
  wafv2: "edge",
  acm: "edge",
  route53: "edge",
  s3: "edge",
  lambda: "app",
  sqs: "app",
  ses: "app",
  "cognito-idp": "app",
  dynamodb: "app",
  synthetics: "app",
  mediaconvert: "app",
  sns: "observability",
  kms: "observability",
  cloudwatch: "observability",
  logs: "observability",
  events: "observability",
  cloudtrail: "observability",
  guardduty: "observability",
  budgets: "observability",
  ce: "observability",
};

/** Actions of the phases for the types (and, with `invokes`, the data sources' and provider's), by service, sorted. */
export function actionsByService(types: readonly string[], phases: readonly Phase[], invokes = false): Map<string, string[]> {
  const names = new Set(actionsForTypes(types, phases));
  if (invokes) for (const n of [...Object.values(INVOKE_ACTIONS).flat(), ...PROVIDER_ACTIONS]) names.add(actionName(n));
  const out = new Map<string, string[]>();
  for (const a of [...names].sort()) {
    const service = a.split(":")[0];
    out.set(service, [...(out.get(service) ?? []), a]);
  }
  return out;
}

/** The `passedToService` / `awsServiceName` values the types' needs name (for iam:PassRole / CreateServiceLinkedRole conditions). */
export function tableConditionValues(types: readonly string[], key: "passedToService" | "awsServiceName"): string[] {
  const values = new Set<string>();
  for (const t of types) for (const p of PHASES) for (const n of RESOURCE_ACTIONS[t]?.[p] ?? []) if (typeof n !== "string" && n[key]) values.add(n[key]!);
  return [...values].sort();
}

/** IAM actions a role's policies may change the CI roles with: denied to CI on its own roles. */
const ROLE_WRITES = [
  "iam:AttachRolePolicy",
  "iam:DeleteRole",
  "iam:DeleteRolePermissionsBoundary",
  "iam:DeleteRolePolicy",
  "iam:DetachRolePolicy",
  "iam:PassRole",
  "iam:PutRolePermissionsBoundary",
  "iam:PutRolePolicy",
  "iam:TagRole",
  "iam:UntagRole",
  "iam:UpdateAssumeRolePolicy",
  "iam:UpdateRole",
  "iam:UpdateRoleDescription",
];
const POLICY_WRITES = ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:TagPolicy", "iam:UntagPolicy"];
const OIDC_WRITES = [
  "iam:AddClientIDToOpenIDConnectProvider",
  "iam:CreateOpenIDConnectProvider",
  "iam:DeleteOpenIDConnectProvider",
  "iam:RemoveClientIDFromOpenIDConnectProvider",
  "iam:TagOpenIDConnectProvider",
  "iam:UntagOpenIDConnectProvider",
  "iam:UpdateOpenIDConnectProviderThumbprint",
];

export interface IamScope {
  /** `arn:<partition>:iam::<account>:<suffix>`. */
  iamArn: (suffix: string) => pulumi.Input<string>;
  /** Path of the roles and policies the CI creates, e.g. `/mpto-dev-deploy/`. */
  managedPath: pulumi.Input<string>;
  boundaryArn: pulumi.Input<string>;
  /** ARNs of the CI roles themselves. */
  ciRoleArns: pulumi.Input<string>[];
  /** Name prefix of the CI's own managed policies and its boundary (`<roleName>-`). */
  ciPolicyPrefix: pulumi.Input<string>;
}

/**
 * The deploy role's IAM statements for the table's IAM actions, each scoped so that no
 * privilege-escalation path of policies/iam/escalation.ts stays open:
 * - role writes that take `iam:PermissionsBoundary` only on roles in the managed path *and* carrying
 *   the boundary (on CreateRole: the boundary the new role must carry) ("permissions-boundary");
 * - `iam:PassRole` only to roles in the managed path (all created with the boundary) and only to the
 *   services the table passes roles to ("scoped-pass-role");
 * - customer-managed policies only in the managed path; reads anywhere (refresh reads the CI's own);
 * - explicit denies: the CI roles, their policies and the boundary policy, removing or replacing a
 *   boundary, and the GitHub OIDC provider ("no-self-edit", "deny-boundary-change").
 * An IAM action the table adds that fits none of these throws, so its scope is decided here.
 */
export function iamDeployStatements(actions: readonly string[], passedTo: readonly string[], slrServices: readonly string[], scope: IamScope): PolicyStatement[] {
  const managedRoles = pulumi.interpolate`${scope.iamArn("role")}${scope.managedPath}*`;
  const managedPolicies = pulumi.interpolate`${scope.iamArn("policy")}${scope.managedPath}*`;
  const bounded: string[] = [];
  const reads: string[] = [];
  const roleTags: string[] = [];
  const policies: string[] = [];
  const oidc: string[] = [];
  let passRole = false;
  let slr = false;
  for (const a of [...new Set(actions)].sort()) {
    if (!a.startsWith("iam:")) continue;
    if (a === "iam:PassRole") passRole = true;
    else if (a === "iam:CreateServiceLinkedRole") slr = true;
    else if (takesPermissionsBoundary(a)) bounded.push(a);
    else if (/^iam:(Get|List)/.test(a)) reads.push(a);
    else if (/^iam:(Tag|Untag)Role$/.test(a)) roleTags.push(a);
    else if (/OpenIDConnectProvider/.test(a)) oidc.push(a);
    else if (/Policy(Version)?$/.test(a)) policies.push(a);
    else throw new Error(`CiDeployRole: no scope decided for ${a} (policies/iam/actions.ts added it); classify it in iamDeployStatements`);
  }
  const statements: PolicyStatement[] = [{ Sid: "CallerIdentity", Effect: "Allow", Action: "sts:GetCallerIdentity", Resource: "*" }];
  if (reads.length)
    statements.push({ Sid: "IamReads", Effect: "Allow", Action: reads, Resource: [scope.iamArn("role/*"), scope.iamArn("policy/*"), scope.iamArn("oidc-provider/*")] });
  if (bounded.length)
    statements.push({
      Sid: "BoundedRoles",
      Effect: "Allow",
      Action: bounded,
      Resource: managedRoles,
      Condition: { StringEquals: { "iam:PermissionsBoundary": scope.boundaryArn } },
    });
  if (roleTags.length) statements.push({ Sid: "ManagedRoleTags", Effect: "Allow", Action: roleTags, Resource: managedRoles });
  if (policies.length) statements.push({ Sid: "ManagedPolicies", Effect: "Allow", Action: policies, Resource: managedPolicies });
  if (oidc.length) statements.push({ Sid: "OidcProviders", Effect: "Allow", Action: oidc, Resource: scope.iamArn("oidc-provider/*") });
  if (passRole)
    statements.push({
      Sid: "PassManagedRoles",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: managedRoles,
      Condition: { StringEquals: { "iam:PassedToService": [...passedTo] } },
    });
  if (slr)
    statements.push({
      Sid: "ServiceLinkedRoles",
      Effect: "Allow",
      Action: "iam:CreateServiceLinkedRole",
      Resource: scope.iamArn("role/aws-service-role/*"),
      Condition: { StringEquals: { "iam:AWSServiceName": [...slrServices] } },
    });
  statements.push(
    // The CI roles change only through a person with admin rights: a merged pull request cannot
    // widen the permissions of the job that deploys it (docs/monitoring.md, "Changing the CI roles").
    { Sid: "DenyChangingTheCiRoles", Effect: "Deny", Action: ROLE_WRITES, Resource: scope.ciRoleArns },
    { Sid: "DenyChangingTheCiPolicies", Effect: "Deny", Action: POLICY_WRITES, Resource: pulumi.interpolate`${scope.iamArn("policy/")}${scope.ciPolicyPrefix}*` },
    { Sid: "DenyRemovingBoundaries", Effect: "Deny", Action: ["iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"], Resource: "*" },
    {
      Sid: "DenyOtherBoundaries",
      Effect: "Deny",
      Action: ["iam:PutRolePermissionsBoundary", "iam:PutUserPermissionsBoundary"],
      Resource: "*",
      Condition: { StringNotEquals: { "iam:PermissionsBoundary": scope.boundaryArn } },
    },
    { Sid: "DenyChangingTheGitHubProvider", Effect: "Deny", Action: OIDC_WRITES, Resource: scope.iamArn(`oidc-provider/${GITHUB_OIDC_HOST}`) },
  );
  return statements;
}

/** IAM's managed-policy limit is 6,144 characters without whitespace; keep a margin for ARNs resolved later. */
const POLICY_BUDGET = 5600;
const placeholders = (v: unknown): unknown =>
  pulumi.Output.isInstance(v)
    ? "x".repeat(70)
    : Array.isArray(v)
      ? v.map(placeholders)
      : v && typeof v === "object"
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, placeholders(x)]))
        : v;
// (Outputs stand in as 70-character ARNs: JSON.stringify would call Output.toJSON, a long warning text.)
const estimate = (statements: PolicyStatement[]) => JSON.stringify(placeholders(statements)).length + 40;

/** Split grouped statements into managed policies that fit (`edge`, `edge-2`, ...). */
export function packPolicies(groups: Record<string, PolicyStatement[]>): Record<string, PolicyStatement[]> {
  const out: Record<string, PolicyStatement[]> = {};
  for (const [group, statements] of Object.entries(groups)) {
    let n = 1;
    let current: PolicyStatement[] = [];
    const flush = () => {
      if (!current.length) return;
      out[n === 1 ? group : `${group}-${n}`] = current;
      n++;
      current = [];
    };
    for (const st of statements) {
      // A statement too large on its own is split by actions.
      const parts: PolicyStatement[] = [];
      const actions = ([] as string[]).concat(st.Action);
      let chunk: string[] = [];
      for (const a of actions) {
        if (chunk.length && estimate([{ ...st, Action: [...chunk, a] }]) > POLICY_BUDGET) {
          parts.push({ ...st, Sid: `${st.Sid}${parts.length + 1}`, Action: chunk });
          chunk = [];
        }
        chunk.push(a);
      }
      parts.push(parts.length ? { ...st, Sid: `${st.Sid}${parts.length + 1}`, Action: chunk } : st);
      for (const part of parts) {
        if (current.length && estimate([...current, part]) > POLICY_BUDGET) flush();
        current.push(part);
      }
    }
    flush();
  }
  return out;
}

/**
 * Object-level S3 actions the stacks need for the objects they upload themselves (aws_s3_object:
 * the canary's code). Data-plane, so not on every object: only on objects tagged with the stack's
 * `Environment` (the provider's default tags, which aws_s3_object sends with PutObject), through
 * `s3:ExistingObjectTag/Environment` or, on upload, `s3:RequestObjectTag/Environment` (SAR, Amazon S3
 * condition keys). User media carries no such tag, so neither role can read or overwrite it.
 * DeleteObject/DeleteObjectVersion stay unconditioned: emptying an unprotected dev bucket on destroy.
 */
export const STACK_OBJECT_ACTIONS: Record<string, "existing" | "request"> = {
  "s3:GetObject": "existing",
  "s3:GetObjectTagging": "existing",
  "s3:PutObjectTagging": "existing",
  "s3:DeleteObjectTagging": "existing",
  "s3:PutObject": "request",
};

export function stackObjectStatement(
  actions: string[],
  key: "existing" | "request",
  environment: pulumi.Input<string>,
  regions: { StringEquals: Record<string, string[]> },
): PolicyStatement {
  const tagKey = key === "existing" ? "s3:ExistingObjectTag/Environment" : "s3:RequestObjectTag/Environment";
  return {
    Sid: key === "existing" ? "StackObjects" : "StackObjectUploads",
    Effect: "Allow",
    Action: actions,
    Resource: "arn:aws:s3:::*/*",
    Condition: { StringEquals: { ...regions.StringEquals, [tagKey]: environment } },
  };
}

export const sidOf = (service: string) =>
  service
    .split("-")
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");

/** Read-only twins for `pulumi preview` (and `preview --refresh`, the drift check): the table's read phase and the invokes. */
export function previewActions(types: readonly string[]): string[] {
  const names = new Set(actionsForTypes(types, ["read"]));
  for (const needs of Object.values(INVOKE_ACTIONS)) for (const n of needs) names.add(actionName(n));
  for (const n of PROVIDER_ACTIONS) names.add(actionName(n));
  return [...names].sort();
}
