import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyJson, PolicyStatement } from "../shared/policyDocument";
import { EDGE_REGION, PRIMARY_REGION } from "../shared/regions";

/** GitHub's OIDC issuer (without scheme, as IAM condition keys name it). */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
const GITHUB_AUDIENCE = "sts.amazonaws.com";

/**
 * What the stacks manage, service by service: the deploy role's permissions. Verbs use partial
 * wildcards (`Create*`) but never a whole service (`s3:*`, Security Hub IAM.21) and never `*:*`
 * (IAM.1). Data-plane reads are left out on purpose: no s3:GetObject, dynamodb:GetItem/Scan,
 * logs:GetLogEvents, cognito-idp:ListUsers or kms:Decrypt.
 */
const CRUD = ["Create*", "Delete*", "Describe*", "Get*", "List*", "Update*", "TagResource", "UntagResource"];
export const DEPLOY_ACTIONS: Record<string, { sid: string; actions: string[] }[]> = {
  edge: [
    { sid: "CloudFront", actions: [...CRUD.map((v) => `cloudfront:${v}`), "cloudfront:PublishFunction", "cloudfront:TestFunction"] },
    { sid: "Wafv2", actions: [...CRUD.map((v) => `wafv2:${v}`), "wafv2:PutLoggingConfiguration", "wafv2:CheckCapacity"] },
    { sid: "Acm", actions: ["acm:RequestCertificate", "acm:DeleteCertificate", "acm:DescribeCertificate", "acm:GetCertificate", "acm:ListCertificates", "acm:ListTagsForCertificate", "acm:AddTagsToCertificate", "acm:RemoveTagsFromCertificate", "acm:UpdateCertificateOptions"] },
    { sid: "Route53", actions: ["route53:ChangeResourceRecordSets", "route53:GetChange", "route53:GetHostedZone", "route53:ListHostedZones", "route53:ListHostedZonesByName", "route53:ListResourceRecordSets", "route53:ListTagsForResource"] },
    {
      sid: "S3BucketConfiguration",
      actions: [
        "s3:CreateBucket",
        "s3:DeleteBucket",
        "s3:DeleteBucketPolicy",
        "s3:DeleteBucketOwnershipControls",
        "s3:GetBucket*",
        "s3:PutBucket*",
        "s3:GetLifecycleConfiguration",
        "s3:PutLifecycleConfiguration",
        "s3:GetEncryptionConfiguration",
        "s3:PutEncryptionConfiguration",
        "s3:GetAccelerateConfiguration",
        "s3:GetReplicationConfiguration",
        "s3:GetIntelligentTieringConfiguration",
        "s3:PutIntelligentTieringConfiguration",
        "s3:GetObjectLockConfiguration",
        "s3:ListBucket",
        "s3:ListAllMyBuckets",
        // forceDestroy of unprotected (dev) buckets empties them first.
        "s3:ListBucketVersions",
        "s3:DeleteObject",
        "s3:DeleteObjectVersion",
      ],
    },
  ],
  app: [
    { sid: "Lambda", actions: [...CRUD.map((v) => `lambda:${v}`), "lambda:PublishVersion", "lambda:AddPermission", "lambda:RemovePermission", "lambda:PutFunctionConcurrency", "lambda:DeleteFunctionConcurrency", "lambda:EnableReplication*", "lambda:DisableReplication*"] },
    { sid: "Sqs", actions: ["sqs:CreateQueue", "sqs:DeleteQueue", "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SetQueueAttributes", "sqs:ListQueues", "sqs:ListQueueTags", "sqs:TagQueue", "sqs:UntagQueue"] },
    { sid: "Ses", actions: [...CRUD.map((v) => `ses:${v}`), "ses:Put*", "ses:Set*", "ses:Verify*"] },
    {
      sid: "Cognito",
      actions: [
        "cognito-idp:CreateUserPool*",
        "cognito-idp:CreateIdentityProvider",
        "cognito-idp:CreateResourceServer",
        "cognito-idp:DeleteUserPool*",
        "cognito-idp:DeleteIdentityProvider",
        "cognito-idp:DeleteResourceServer",
        "cognito-idp:Describe*",
        "cognito-idp:GetUserPoolMfaConfig",
        "cognito-idp:GetLogDeliveryConfiguration",
        "cognito-idp:GetUICustomization",
        "cognito-idp:GetSigningCertificate",
        "cognito-idp:UpdateUserPool*",
        "cognito-idp:UpdateIdentityProvider",
        "cognito-idp:UpdateResourceServer",
        "cognito-idp:SetUserPoolMfaConfig",
        "cognito-idp:SetLogDeliveryConfiguration",
        "cognito-idp:SetRiskConfiguration",
        "cognito-idp:SetUICustomization",
        "cognito-idp:ListUserPools",
        "cognito-idp:ListUserPoolClients",
        "cognito-idp:ListIdentityProviders",
        "cognito-idp:ListResourceServers",
        "cognito-idp:ListTagsForResource",
        "cognito-idp:TagResource",
        "cognito-idp:UntagResource",
      ],
    },
    {
      sid: "DynamoDb",
      actions: ["dynamodb:CreateTable", "dynamodb:DeleteTable", "dynamodb:Describe*", "dynamodb:ListTables", "dynamodb:ListTagsOfResource", "dynamodb:UpdateTable", "dynamodb:UpdateTimeToLive", "dynamodb:UpdateContinuousBackups", "dynamodb:TagResource", "dynamodb:UntagResource"],
    },
  ],
  observability: [
    { sid: "Sns", actions: ["sns:CreateTopic", "sns:DeleteTopic", "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:Subscribe", "sns:Unsubscribe", "sns:GetSubscriptionAttributes", "sns:SetSubscriptionAttributes", "sns:ListTopics", "sns:ListSubscriptionsByTopic", "sns:ListTagsForResource", "sns:TagResource", "sns:UntagResource"] },
    {
      sid: "Kms",
      actions: ["kms:CreateKey", "kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias", "kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListAliases", "kms:ListResourceTags", "kms:PutKeyPolicy", "kms:EnableKeyRotation", "kms:UpdateKeyDescription", "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource"],
    },
    { sid: "CloudWatch", actions: ["cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms", "cloudwatch:PutDashboard", "cloudwatch:GetDashboard", "cloudwatch:DeleteDashboards", "cloudwatch:ListDashboards", "cloudwatch:ListTagsForResource", "cloudwatch:TagResource", "cloudwatch:UntagResource"] },
    {
      sid: "Logs",
      actions: ["logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:DescribeLogGroups", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy", "logs:AssociateKmsKey", "logs:ListTagsForResource", "logs:ListTagsLogGroup", "logs:TagResource", "logs:UntagResource", "logs:PutDelivery*", "logs:GetDelivery*", "logs:DescribeDelivery*", "logs:DescribeDeliveries", "logs:CreateDelivery", "logs:DeleteDelivery*", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DeleteResourcePolicy"],
    },
    { sid: "EventBridge", actions: ["events:PutRule", "events:DeleteRule", "events:DescribeRule", "events:PutTargets", "events:RemoveTargets", "events:ListTargetsByRule", "events:ListTagsForResource", "events:TagResource", "events:UntagResource"] },
    { sid: "CloudTrail", actions: ["cloudtrail:CreateTrail", "cloudtrail:DeleteTrail", "cloudtrail:DescribeTrails", "cloudtrail:GetTrail", "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors", "cloudtrail:GetInsightSelectors", "cloudtrail:UpdateTrail", "cloudtrail:StartLogging", "cloudtrail:StopLogging", "cloudtrail:ListTags", "cloudtrail:AddTags", "cloudtrail:RemoveTags"] },
    { sid: "GuardDuty", actions: [...CRUD.map((v) => `guardduty:${v}`)] },
    { sid: "Budgets", actions: ["budgets:ViewBudget", "budgets:ModifyBudget", "budgets:ListTagsForResource", "budgets:TagResource", "budgets:UntagResource"] },
    {
      sid: "CostExplorer",
      actions: ["ce:CreateAnomalyMonitor", "ce:CreateAnomalySubscription", "ce:DeleteAnomalyMonitor", "ce:DeleteAnomalySubscription", "ce:GetAnomalyMonitors", "ce:GetAnomalySubscriptions", "ce:UpdateAnomalyMonitor", "ce:UpdateAnomalySubscription", "ce:ListCostAllocationTags", "ce:UpdateCostAllocationTagsStatus", "ce:ListTagsForResource", "ce:TagResource", "ce:UntagResource"],
    },
  ],
};

/** Read-only twins for `pulumi preview` on pull requests: describe/list, no writes, no data reads. */
const PREVIEW_ACTIONS = [
  "cloudfront:Get*",
  "cloudfront:List*",
  "cloudfront:Describe*",
  "wafv2:Get*",
  "wafv2:List*",
  "wafv2:Describe*",
  "acm:DescribeCertificate",
  "acm:ListCertificates",
  "acm:ListTagsForCertificate",
  "route53:GetHostedZone",
  "route53:ListResourceRecordSets",
  "route53:ListTagsForResource",
  "s3:GetBucket*",
  "s3:GetLifecycleConfiguration",
  "s3:GetEncryptionConfiguration",
  "s3:GetAccelerateConfiguration",
  "s3:GetReplicationConfiguration",
  "s3:GetIntelligentTieringConfiguration",
  "s3:ListAllMyBuckets",
  "lambda:GetFunction*",
  "lambda:GetPolicy",
  "lambda:ListVersionsByFunction",
  "lambda:ListTags",
  "sqs:GetQueueAttributes",
  "sqs:ListQueueTags",
  "ses:Get*",
  "ses:List*",
  "ses:Describe*",
  "cognito-idp:Describe*",
  "cognito-idp:GetUserPoolMfaConfig",
  "cognito-idp:ListTagsForResource",
  "dynamodb:Describe*",
  "dynamodb:ListTagsOfResource",
  "sns:GetTopicAttributes",
  "sns:GetSubscriptionAttributes",
  "sns:ListTagsForResource",
  "kms:DescribeKey",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListResourceTags",
  "kms:ListAliases",
  "cloudwatch:DescribeAlarms",
  "cloudwatch:GetDashboard",
  "cloudwatch:ListTagsForResource",
  "logs:DescribeLogGroups",
  "logs:ListTagsForResource",
  "events:DescribeRule",
  "events:ListTargetsByRule",
  "events:ListTagsForResource",
  "cloudtrail:DescribeTrails",
  "cloudtrail:GetTrail*",
  "cloudtrail:GetEventSelectors",
  "cloudtrail:ListTags",
  "guardduty:Get*",
  "guardduty:List*",
  "budgets:ViewBudget",
  "ce:GetAnomaly*",
  "ce:ListCostAllocationTags",
  "iam:GetRole*",
  "iam:GetPolicy*",
  "iam:GetOpenIDConnectProvider",
  "iam:ListAttachedRolePolicies",
  "iam:ListRolePolicies",
  "iam:ListRoleTags",
];

/** Services whose service-linked roles a deployment may create (first use in an account). */
const SERVICE_LINKED_ROLE_SERVICES = ["guardduty.amazonaws.com", "malware-protection.guardduty.amazonaws.com", "replicator.lambda.amazonaws.com", "logger.cloudfront.amazonaws.com", "ses.amazonaws.com"];

export interface CiDeployRoleArgs {
  /** GitHub repository "owner/name" whose workflows may assume the roles. Required. */
  repository: pulumi.Input<string>;
  /** GitHub Environment the deploy job runs in (trust subject `repo:<owner>/<name>:environment:<this>`). Required. */
  githubEnvironment: pulumi.Input<string>;
  /** Name of the deploy role (workflows reference it). Required. */
  roleName: pulumi.Input<string>;
  /** Reuse this GitHub OIDC provider. Default: see `createOidcProvider`. */
  oidcProviderArn?: pulumi.Input<string>;
  /** Create the account's GitHub OIDC provider (one per account) when `oidcProviderArn` is unset; otherwise the standard ARN in this account is used. Default false. */
  createOidcProvider?: boolean;
  /** Also create `${roleName}-preview`, read-only, for `pulumi preview` on pull requests. Default true. */
  previewRole?: boolean;
  /** GitHub Environment of the preview job (trust subject `repo:<owner>/<name>:environment:<this>`). Default `${githubEnvironment}-preview`. */
  previewGithubEnvironment?: pulumi.Input<string>;
  /** S3 bucket of a self-managed Pulumi backend (state read/write). Default none: Pulumi Cloud holds state and secrets. */
  stateBucketName?: pulumi.Input<string>;
  /** Longest session a workflow gets, in seconds (3600-43200). Default 3600. */
  maxSessionDurationSeconds?: number;
}

/**
 * Roles GitHub Actions assume through OpenID Connect (no long-lived keys): a deploy role for
 * `pulumi up` and a read-only preview role for pull requests.
 *
 * Trust: the token's audience must be sts.amazonaws.com and its subject exactly
 * `repo:<owner>/<name>:environment:<env>` (deploy) or `...:environment:<env>-preview` (preview, the
 * environment the preview workflow's job names): no wildcards, so no other repository's job can
 * assume them. Which branches may use an environment is GitHub's side: restrict the deploy
 * environments to `main` (deployment branch policy), see docs/monitoring.md.
 *
 * Permissions: the services the stacks manage (DEPLOY_ACTIONS), only in eu-west-2 and us-east-1
 * (global services answer in us-east-1), IAM limited to this account's roles, policies and the
 * GitHub OIDC provider, `iam:PassRole` only to Lambda, and an explicit deny on changing the CI
 * roles themselves: those change only through a person with admin rights (see docs/monitoring.md).
 * The Pulumi CLI itself needs nothing more with the Pulumi Cloud backend (assumed default: state
 * and secrets in Pulumi Cloud, token in the PULUMI_ACCESS_TOKEN secret); with `stateBucketName`
 * the roles also get read/write on that bucket's objects.
 */
export class CiDeployRole extends pulumi.ComponentResource {
  public readonly deployRoleArn: pulumi.Output<string>;
  /** ARN of the preview role, or "" when there is none. */
  public readonly previewRoleArn: pulumi.Output<string>;
  public readonly oidcProviderArn: pulumi.Output<string>;

  constructor(name: string, args: CiDeployRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mpto:ci:CiDeployRole", name, {}, opts);

    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    const maxSession = args.maxSessionDurationSeconds ?? 3600;
    if (!Number.isInteger(maxSession) || maxSession < 3600 || maxSession > 43200) throw new Error(`CiDeployRole ${name}: maxSessionDurationSeconds must be 3600-43200`);

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
    const deployRoleArn = pulumi.interpolate`arn:${partition}:iam::${account}:role/${args.roleName}`;
    const previewRoleName = pulumi.interpolate`${args.roleName}-preview`;
    const ciRoleArns = [deployRoleArn, pulumi.interpolate`arn:${partition}:iam::${account}:role/${previewRoleName}`];
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
    const policies: Record<string, PolicyStatement[]> = {};
    for (const [group, entries] of Object.entries(DEPLOY_ACTIONS)) {
      policies[group] = entries.map((e) => ({ Sid: e.sid, Effect: "Allow" as const, Action: e.actions, Resource: "*", Condition: regions }));
    }
    policies.iam = [
      { Sid: "CallerIdentity", Effect: "Allow", Action: "sts:GetCallerIdentity", Resource: "*" },
      {
        Sid: "IamRolesAndPoliciesOfThisAccount",
        Effect: "Allow",
        Action: [
          "iam:CreateRole",
          "iam:DeleteRole",
          "iam:GetRole",
          "iam:UpdateRole",
          "iam:UpdateRoleDescription",
          "iam:UpdateAssumeRolePolicy",
          "iam:TagRole",
          "iam:UntagRole",
          "iam:ListRoleTags",
          "iam:PutRolePolicy",
          "iam:GetRolePolicy",
          "iam:DeleteRolePolicy",
          "iam:ListRolePolicies",
          "iam:AttachRolePolicy",
          "iam:DetachRolePolicy",
          "iam:ListAttachedRolePolicies",
          "iam:ListInstanceProfilesForRole",
          "iam:CreatePolicy",
          "iam:DeletePolicy",
          "iam:GetPolicy",
          "iam:GetPolicyVersion",
          "iam:ListPolicyVersions",
          "iam:CreatePolicyVersion",
          "iam:DeletePolicyVersion",
          "iam:TagPolicy",
          "iam:UntagPolicy",
        ],
        Resource: [iamArn("role/*"), iamArn("policy/*")],
      },
      {
        Sid: "GitHubOidcProvider",
        Effect: "Allow",
        Action: [
          "iam:CreateOpenIDConnectProvider",
          "iam:DeleteOpenIDConnectProvider",
          "iam:GetOpenIDConnectProvider",
          "iam:UpdateOpenIDConnectProviderThumbprint",
          "iam:AddClientIDToOpenIDConnectProvider",
          "iam:RemoveClientIDFromOpenIDConnectProvider",
          "iam:TagOpenIDConnectProvider",
          "iam:UntagOpenIDConnectProvider",
        ],
        Resource: iamArn(`oidc-provider/${GITHUB_OIDC_HOST}`),
      },
      { Sid: "PassRolesToLambdaOnly", Effect: "Allow", Action: "iam:PassRole", Resource: iamArn("role/*"), Condition: { StringEquals: { "iam:PassedToService": ["lambda.amazonaws.com", "edgelambda.amazonaws.com"] } } },
      { Sid: "ServiceLinkedRoles", Effect: "Allow", Action: "iam:CreateServiceLinkedRole", Resource: iamArn("role/aws-service-role/*"), Condition: { StringEquals: { "iam:AWSServiceName": SERVICE_LINKED_ROLE_SERVICES } } },
      {
        // The CI roles change only through a person with admin rights: a merged pull request
        // cannot widen the permissions of the job that deploys it.
        Sid: "DenyChangingTheCiRoles",
        Effect: "Deny",
        Action: [
          "iam:UpdateAssumeRolePolicy",
          "iam:PutRolePolicy",
          "iam:DeleteRolePolicy",
          "iam:AttachRolePolicy",
          "iam:DetachRolePolicy",
          "iam:UpdateRole",
          "iam:DeleteRole",
          "iam:PutRolePermissionsBoundary",
          "iam:DeleteRolePermissionsBoundary",
          "iam:TagRole",
          "iam:UntagRole",
        ],
        Resource: ciRoleArns,
      },
      ...stateStatements(true),
    ];
    for (const [group, statements] of Object.entries(policies)) {
      // Managed policies (6,144 characters each), not inline ones (10,240 for all of a role).
      const policy = new aws.iam.Policy(`${name}-deploy-${group}`, { description: `CI deploy permissions: ${group}`, policy: policyJson(statements) }, { parent: this });
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
      const previewPolicy = new aws.iam.Policy(
        `${name}-preview-read`,
        {
          description: "CI preview permissions: read configuration, no writes, no data",
          policy: policyJson([
            { Sid: "CallerIdentity", Effect: "Allow", Action: "sts:GetCallerIdentity", Resource: "*" },
            { Sid: "ReadConfiguration", Effect: "Allow", Action: PREVIEW_ACTIONS, Resource: "*", Condition: regions },
            ...stateStatements(false),
          ]),
        },
        { parent: this },
      );
      new aws.iam.RolePolicyAttachment(`${name}-preview-read`, { role: previewRole.name, policyArn: previewPolicy.arn }, { parent: this });
      previewRoleArn = previewRole.arn;
    }

    this.deployRoleArn = deployRole.arn;
    this.previewRoleArn = previewRoleArn;
    this.oidcProviderArn = providerArn;
    this.registerOutputs({ deployRoleArn: this.deployRoleArn, previewRoleArn: this.previewRoleArn, oidcProviderArn: this.oidcProviderArn });
  }
}
