import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { actionName, actionsForTypes, INVOKE_ACTIONS, Phase, PHASES, PROVIDER_ACTIONS, RESOURCE_ACTIONS } from "../../policies/iam/actions";
import { boundaryDocument } from "../../policies/iam/boundary";
import { takesPermissionsBoundary } from "../../policies/iam/escalation";
import { policyJson, PolicyStatement } from "../shared/policyDocument";
import { EDGE_REGION, PRIMARY_REGION } from "../shared/regions";

/** GitHub's OIDC issuer (without scheme, as IAM condition keys name it). */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
const GITHUB_AUDIENCE = "sts.amazonaws.com";

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
const SERVICE_GROUP: Record<string, string> = {
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
  if (reads.length) statements.push({ Sid: "IamReads", Effect: "Allow", Action: reads, Resource: [scope.iamArn("role/*"), scope.iamArn("policy/*"), scope.iamArn("oidc-provider/*")] });
  if (bounded.length) statements.push({ Sid: "BoundedRoles", Effect: "Allow", Action: bounded, Resource: managedRoles, Condition: { StringEquals: { "iam:PermissionsBoundary": scope.boundaryArn } } });
  if (roleTags.length) statements.push({ Sid: "ManagedRoleTags", Effect: "Allow", Action: roleTags, Resource: managedRoles });
  if (policies.length) statements.push({ Sid: "ManagedPolicies", Effect: "Allow", Action: policies, Resource: managedPolicies });
  if (oidc.length) statements.push({ Sid: "OidcProviders", Effect: "Allow", Action: oidc, Resource: scope.iamArn("oidc-provider/*") });
  if (passRole) statements.push({ Sid: "PassManagedRoles", Effect: "Allow", Action: "iam:PassRole", Resource: managedRoles, Condition: { StringEquals: { "iam:PassedToService": [...passedTo] } } });
  if (slr) statements.push({ Sid: "ServiceLinkedRoles", Effect: "Allow", Action: "iam:CreateServiceLinkedRole", Resource: scope.iamArn("role/aws-service-role/*"), Condition: { StringEquals: { "iam:AWSServiceName": [...slrServices] } } });
  statements.push(
    // The CI roles change only through a person with admin rights: a merged pull request cannot
    // widen the permissions of the job that deploys it (docs/monitoring.md, "Changing the CI roles").
    { Sid: "DenyChangingTheCiRoles", Effect: "Deny", Action: ROLE_WRITES, Resource: scope.ciRoleArns },
    { Sid: "DenyChangingTheCiPolicies", Effect: "Deny", Action: POLICY_WRITES, Resource: pulumi.interpolate`${scope.iamArn("policy/")}${scope.ciPolicyPrefix}*` },
    { Sid: "DenyRemovingBoundaries", Effect: "Deny", Action: ["iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"], Resource: "*" },
    { Sid: "DenyOtherBoundaries", Effect: "Deny", Action: ["iam:PutRolePermissionsBoundary", "iam:PutUserPermissionsBoundary"], Resource: "*", Condition: { StringNotEquals: { "iam:PermissionsBoundary": scope.boundaryArn } } },
    { Sid: "DenyChangingTheGitHubProvider", Effect: "Deny", Action: OIDC_WRITES, Resource: scope.iamArn(`oidc-provider/${GITHUB_OIDC_HOST}`) },
  );
  return statements;
}

/** IAM's managed-policy limit is 6,144 characters without whitespace; keep a margin for ARNs resolved later. */
const POLICY_BUDGET = 5600;
const placeholders = (v: unknown): unknown =>
  pulumi.Output.isInstance(v) ? "x".repeat(70) : Array.isArray(v) ? v.map(placeholders) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, placeholders(x)])) : v;
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

function stackObjectStatement(actions: string[], key: "existing" | "request", environment: pulumi.Input<string>, regions: { StringEquals: Record<string, string[]> }): PolicyStatement {
  const tagKey = key === "existing" ? "s3:ExistingObjectTag/Environment" : "s3:RequestObjectTag/Environment";
  return {
    Sid: key === "existing" ? "StackObjects" : "StackObjectUploads",
    Effect: "Allow",
    Action: actions,
    Resource: "arn:aws:s3:::*/*",
    Condition: { StringEquals: { ...regions.StringEquals, [tagKey]: environment } },
  };
}

const sidOf = (service: string) => service.split("-").map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("");

/** Read-only twins for `pulumi preview` (and `preview --refresh`, the drift check): the table's read phase and the invokes. */
export function previewActions(types: readonly string[]): string[] {
  const names = new Set(actionsForTypes(types, ["read"]));
  for (const needs of Object.values(INVOKE_ACTIONS)) for (const n of needs) names.add(actionName(n));
  for (const n of PROVIDER_ACTIONS) names.add(actionName(n));
  return [...names].sort();
}

export interface CiDeployRoleArgs {
  /** GitHub repository "owner/name" whose workflows may assume the roles. Required. */
  repository: pulumi.Input<string>;
  /** GitHub Environment the deploy job runs in (trust subject `repo:<owner>/<name>:environment:<this>`). Required. */
  githubEnvironment: pulumi.Input<string>;
  /** Name of the deploy role (workflows reference it); also the prefix of its policies and boundary. Required. */
  roleName: string;
  /** Reuse this GitHub OIDC provider. Default: see `createOidcProvider`. */
  oidcProviderArn?: pulumi.Input<string>;
  /** Create the account's GitHub OIDC provider (one per account) when `oidcProviderArn` is unset; otherwise the standard ARN in this account is used. Default false. */
  createOidcProvider?: boolean;
  /** Also create `${roleName}-preview`, read-only, for `pulumi preview` on pull requests. Default true. */
  previewRole?: boolean;
  /** GitHub Environment of the preview job (trust subject `repo:<owner>/<name>:environment:<this>`). Default `${githubEnvironment}-preview`. */
  previewGithubEnvironment?: pulumi.Input<string>;
  /**
   * Also create `${roleName}-invalidate` for .github/workflows/invalidate.yml, trusted only from the
   * GitHub Environment `${githubEnvironment}-cdn`: it may create and read invalidations of the
   * CloudFront distributions tagged `Environment` = this value (the stack's own; CloudFront's
   * distribution resource takes aws:ResourceTag conditions, Service Authorization Reference), nothing
   * else. Default none.
   */
  invalidationEnvironmentTag?: pulumi.Input<string>;
  /** S3 bucket of a self-managed Pulumi backend (state read/write). Default none: Pulumi Cloud holds state and secrets. */
  stateBucketName?: pulumi.Input<string>;
  /** Longest session a workflow gets, in seconds (3600-43200). Default 3600. */
  maxSessionDurationSeconds?: number;
  /** Pulumi resource types the deploy role manages (keys of policies/iam/actions.ts). Default DEFAULT_DEPLOY_TYPES (all but the organization program's). */
  resourceTypes?: readonly string[];
  /** IAM path of every role the CI creates (`managedRoleTransformation` sets it). Default `/${roleName}/`. */
  managedPath?: string;
}

/**
 * Roles GitHub Actions assume through OpenID Connect (no long-lived keys): a deploy role for
 * `pulumi up` and a read-only preview role for pull requests, plus the permissions boundary every
 * role the deploy role creates must carry.
 *
 * Trust: the token's audience must be sts.amazonaws.com and its subject exactly
 * `repo:<owner>/<name>:environment:<env>` (deploy) or `...:environment:<env>-preview` (preview, the
 * environment the preview workflow's job names): no wildcards, so no other repository's job can
 * assume them. Which branches may use an environment is GitHub's side: restrict the deploy
 * environments to `main` (deployment branch policy), see docs/monitoring.md.
 *
 * Permissions: derived from policies/iam/actions.ts for `resourceTypes` (see iamDeployStatements
 * for IAM), only in eu-west-2 and us-east-1 (global services answer in us-east-1). The roles the CI
 * creates live under `managedPath` and carry `${roleName}-boundary` (policies/iam/boundary.ts);
 * `managedRoleTransformation` applies both to every role of the components it is given to. The CI
 * can change neither its own roles, policies and boundary nor the GitHub OIDC provider: those change
 * only through an administrator from a workstation (docs/monitoring.md, "Changing the CI roles").
 * tools/iam/deployRoleCheck.ts evaluates the planned policies against every planned resource's
 * needs and the escalation paths. The Pulumi CLI itself needs nothing more with the Pulumi Cloud
 * backend (state and secrets in Pulumi Cloud, token in the PULUMI_ACCESS_TOKEN secret); with
 * `stateBucketName` the roles also get read/write on that bucket's objects.
 */
export class CiDeployRole extends pulumi.ComponentResource {
  public readonly deployRoleArn: pulumi.Output<string>;
  /** ARN of the preview role, or "" when there is none. */
  public readonly previewRoleArn: pulumi.Output<string>;
  /** ARN of the CDN invalidation role, or "" when there is none. */
  public readonly invalidateRoleArn: pulumi.Output<string>;
  public readonly oidcProviderArn: pulumi.Output<string>;
  /** The permissions boundary the roles the CI creates carry. */
  public readonly permissionsBoundaryArn: pulumi.Output<string>;
  /** The IAM path of the roles the CI creates. */
  public readonly managedPath: string;
  /**
   * Give this to the components whose roles the CI deploys (`transformations` option): each
   * `aws:iam/role:Role` without a boundary gets the CI boundary and the managed path, so the deploy
   * role may create, edit and pass it (a new role added later is covered without a change here).
   */
  public readonly managedRoleTransformation: pulumi.ResourceTransformation;

  constructor(name: string, args: CiDeployRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mpto:ci:CiDeployRole", name, {}, opts);

    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    const maxSession = args.maxSessionDurationSeconds ?? 3600;
    if (!Number.isInteger(maxSession) || maxSession < 3600 || maxSession > 43200) throw new Error(`CiDeployRole ${name}: maxSessionDurationSeconds must be 3600-43200`);
    const types = args.resourceTypes ?? DEFAULT_DEPLOY_TYPES;
    const unknown = types.filter((t) => !RESOURCE_ACTIONS[t]);
    if (unknown.length) throw new Error(`CiDeployRole ${name}: no entry in policies/iam/actions.ts for ${unknown.join(", ")}`);
    const managedPath = args.managedPath ?? `/${args.roleName}/`;
    if (!/^\/([\w+=,.@-]+\/)+$/.test(managedPath)) throw new Error(`CiDeployRole ${name}: managedPath must look like /name/ (got ${managedPath})`);

    let providerArn: pulumi.Output<string>;
    if (args.oidcProviderArn !== undefined) providerArn = pulumi.output(args.oidcProviderArn);
    else if (args.createOidcProvider) {
      // IAM trusts GitHub's certificate through its own CA library; no thumbprint needs pinning.
      providerArn = new aws.iam.OpenIdConnectProvider(`${name}-github-oidc`, { url: `https://${GITHUB_OIDC_HOST}`, clientIdLists: [GITHUB_AUDIENCE] }, { parent: this }).arn;
    } else providerArn = pulumi.interpolate`arn:${partition}:iam::${account}:oidc-provider/${GITHUB_OIDC_HOST}`;

    const trust = (subject: pulumi.Input<string>) =>
      policyJson([
        {
          Sid: "GitHubActionsOidc",
          Effect: "Allow",
          Principal: { Federated: providerArn },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: { StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_AUDIENCE, [`${GITHUB_OIDC_HOST}:sub`]: subject } },
        },
      ]);
    const regions = { StringEquals: { "aws:RequestedRegion": [PRIMARY_REGION, EDGE_REGION] } };
    const iamArn = (resource: string) => pulumi.interpolate`arn:${partition}:iam::${account}:${resource}`;
    const deployRoleArn = iamArn(`role/${args.roleName}`);
    const previewRoleName = `${args.roleName}-preview`;
    const invalidateRoleName = `${args.roleName}-invalidate`;
    const ciRoleArns = [deployRoleArn, iamArn(`role/${previewRoleName}`), iamArn(`role/${invalidateRoleName}`)];
    const stateStatements = (write: boolean): PolicyStatement[] =>
      args.stateBucketName === undefined
        ? []
        : [
            { Sid: "PulumiStateBucketList", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: pulumi.interpolate`arn:${partition}:s3:::${args.stateBucketName}` },
            {
              Sid: "PulumiStateObjects",
              Effect: "Allow",
              Action: write ? ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] : ["s3:GetObject", "s3:PutObject"], // preview writes its lock/history too
              Resource: pulumi.interpolate`arn:${partition}:s3:::${args.stateBucketName}/*`,
            },
          ];

    // ---- Permissions boundary of the roles the CI creates ----
    const boundary = new aws.iam.Policy(
      `${name}-boundary`,
      {
        name: `${args.roleName}-boundary`,
        description: "Permissions boundary of every role the CI deploy role creates (runtime, data-plane actions only)",
        policy: pulumi.jsonStringify(account.apply((id) => boundaryDocument(id, managedPath))),
      },
      { parent: this },
    );

    // ---- Deploy role ----
    const deployRole = new aws.iam.Role(
      `${name}-deploy`,
      {
        name: args.roleName,
        description: "Assumed by GitHub Actions (OIDC) to deploy this Pulumi stack",
        assumeRolePolicy: trust(pulumi.interpolate`repo:${args.repository}:environment:${args.githubEnvironment}`),
        maxSessionDuration: maxSession,
      },
      { parent: this },
    );
    const groups: Record<string, PolicyStatement[]> = {};
    for (const [service, actions] of actionsByService(types, PHASES, true)) {
      if (service === "iam" || service === "sts") continue;
      const group = SERVICE_GROUP[service] ?? "other";
      const tagged = actions.filter((a) => STACK_OBJECT_ACTIONS[a]);
      const rest = actions.filter((a) => !STACK_OBJECT_ACTIONS[a]);
      if (rest.length) (groups[group] ??= []).push({ Sid: sidOf(service), Effect: "Allow", Action: rest, Resource: "*", Condition: regions });
      for (const key of ["existing", "request"] as const) {
        const these = tagged.filter((a) => STACK_OBJECT_ACTIONS[a] === key);
        if (these.length) (groups[group] ??= []).push(stackObjectStatement(these, key, args.githubEnvironment, regions));
      }
    }
    groups.iam = [
      ...iamDeployStatements(actionsForTypes(types, PHASES), tableConditionValues(types, "passedToService"), tableConditionValues(types, "awsServiceName"), {
        iamArn,
        managedPath,
        boundaryArn: boundary.arn,
        ciRoleArns,
        ciPolicyPrefix: `${args.roleName}-`,
      }),
      ...stateStatements(true),
    ];
    for (const [group, statements] of Object.entries(packPolicies(groups))) {
      // Managed policies (6,144 characters each), not inline ones (10,240 for all of a role).
      const policy = new aws.iam.Policy(`${name}-deploy-${group}`, { name: `${args.roleName}-${group}`, description: `CI deploy permissions: ${group}`, policy: policyJson(statements) }, { parent: this });
      new aws.iam.RolePolicyAttachment(`${name}-deploy-${group}`, { role: deployRole.name, policyArn: policy.arn }, { parent: this });
    }

    // ---- Preview role ----
    let previewRoleArn: pulumi.Output<string> = pulumi.output("");
    if (args.previewRole !== false) {
      const previewRole = new aws.iam.Role(
        `${name}-preview`,
        {
          name: previewRoleName,
          description: "Assumed by GitHub Actions (OIDC) on pull requests for a read-only pulumi preview",
          assumeRolePolicy: trust(pulumi.interpolate`repo:${args.repository}:environment:${args.previewGithubEnvironment ?? pulumi.interpolate`${args.githubEnvironment}-preview`}`),
          maxSessionDuration: 3600,
        },
        { parent: this },
      );
      const reads = previewActions(types);
      const previewPolicy = new aws.iam.Policy(
        `${name}-preview-read`,
        {
          name: `${args.roleName}-preview-read`,
          description: "CI preview permissions: read configuration, no writes, no data",
          policy: policyJson([
            { Sid: "CallerIdentity", Effect: "Allow", Action: "sts:GetCallerIdentity", Resource: "*" },
            { Sid: "ReadConfiguration", Effect: "Allow", Action: reads.filter((a) => !a.startsWith("iam:") && !a.startsWith("sts:") && !STACK_OBJECT_ACTIONS[a]), Resource: "*", Condition: regions },
            ...(reads.some((a) => STACK_OBJECT_ACTIONS[a]) ? [stackObjectStatement(reads.filter((a) => STACK_OBJECT_ACTIONS[a] === "existing"), "existing", args.githubEnvironment, regions)] : []),
            { Sid: "IamReads", Effect: "Allow", Action: reads.filter((a) => a.startsWith("iam:")), Resource: [iamArn("role/*"), iamArn("policy/*"), iamArn("oidc-provider/*")] },
            ...stateStatements(false),
          ]),
        },
        { parent: this },
      );
      new aws.iam.RolePolicyAttachment(`${name}-preview-read`, { role: previewRole.name, policyArn: previewPolicy.arn }, { parent: this });
      previewRoleArn = previewRole.arn;
    }

    // ---- CDN invalidation role (invalidate.yml, after a Vercel production deployment) ----
    let invalidateRoleArn: pulumi.Output<string> = pulumi.output("");
    if (args.invalidationEnvironmentTag !== undefined) {
      const invalidateRole = new aws.iam.Role(
        `${name}-invalidate`,
        {
          name: invalidateRoleName,
          description: "Assumed by GitHub Actions (OIDC) to invalidate this stack's CloudFront cache after a site deployment",
          assumeRolePolicy: trust(pulumi.interpolate`repo:${args.repository}:environment:${args.githubEnvironment}-cdn`),
          maxSessionDuration: 3600,
        },
        { parent: this },
      );
      const invalidatePolicy = new aws.iam.Policy(
        `${name}-invalidate`,
        {
          name: invalidateRoleName,
          description: "CI CDN invalidation: create and read invalidations of this stack's distributions only",
          policy: policyJson([
            {
              Sid: "InvalidateThisStacksDistributions",
              Effect: "Allow",
              Action: ["cloudfront:CreateInvalidation", "cloudfront:GetInvalidation"],
              Resource: pulumi.interpolate`arn:${partition}:cloudfront::${account}:distribution/*`,
              Condition: { StringEquals: { "aws:ResourceTag/Environment": args.invalidationEnvironmentTag } },
            },
          ]),
        },
        { parent: this },
      );
      new aws.iam.RolePolicyAttachment(`${name}-invalidate`, { role: invalidateRole.name, policyArn: invalidatePolicy.arn }, { parent: this });
      invalidateRoleArn = invalidateRole.arn;
    }

    this.deployRoleArn = deployRole.arn;
    this.previewRoleArn = previewRoleArn;
    this.invalidateRoleArn = invalidateRoleArn;
    this.oidcProviderArn = providerArn;
    this.permissionsBoundaryArn = boundary.arn;
    this.managedPath = managedPath;
    const boundaryArn = boundary.arn;
    this.managedRoleTransformation = (t) => {
      if (t.type !== "aws:iam/role:Role" || t.props.permissionsBoundary !== undefined) return undefined;
      return { props: { ...t.props, permissionsBoundary: boundaryArn, path: t.props.path ?? managedPath }, opts: t.opts };
    };
    this.registerOutputs({ deployRoleArn: this.deployRoleArn, previewRoleArn: this.previewRoleArn, invalidateRoleArn: this.invalidateRoleArn, oidcProviderArn: this.oidcProviderArn, permissionsBoundaryArn: this.permissionsBoundaryArn });
  }
}
