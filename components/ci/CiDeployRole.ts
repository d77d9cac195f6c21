import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { actionsForTypes, PHASES, RESOURCE_ACTIONS } from "../../policies/iam/actions";
import { boundaryDocument } from "../../policies/iam/boundary";
import { policyJson, PolicyStatement } from "../shared/policyDocument";
import { EDGE_REGION, PRIMARY_REGION } from "../shared/regions";
import { DEFAULT_DEPLOY_TYPES, GITHUB_AUDIENCE, GITHUB_OIDC_HOST, SERVICE_GROUP, STACK_OBJECT_ACTIONS, actionsByService, iamDeployStatements, packPolicies, previewActions, sidOf, stackObjectStatement, tableConditionValues } from "./deployPolicies";

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
