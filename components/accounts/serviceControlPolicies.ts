/**
 * The organization's service control policies as pure functions of their settings: the program
 * declares them, the pack checks their size, and the tests evaluate them with an IAM simulator.
 *
 * SCPs never grant; each statement here is a Deny on top of AWS's default `FullAWSAccess`.
 * They do not apply to the management account or to service-linked roles
 * (docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html).
 */

import { scpSizeProblem, SCP_MAX_CHARACTERS } from "../../policies/rules/organizations";

export { scpSizeProblem, SCP_MAX_CHARACTERS };

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: Array<{
    Sid: string;
    Effect: "Deny";
    Action?: string[];
    NotAction?: string[];
    Resource: string | string[];
    Condition?: Record<string, Record<string, string | string[]>>;
  }>;
}

export interface ServiceControlPolicySettings {
  /** Regions the workloads use. The first is the home region; every service is allowed there. */
  homeRegion: string;
  /** The edge region (CloudFront's control plane): only `edgeRegionServices` are allowed there. */
  edgeRegion: string;
  /** Service prefixes allowed in the edge region, besides the global ones. */
  edgeRegionServices: readonly string[];
  /** Principal ARN patterns (ArnLike) of the administrators' bootstrap roles, the only ones that may change the guarded baseline. */
  adminPrincipalArns: readonly string[];
  /** Role name patterns of the CI roles the stacks create (the baseline they guard). */
  ciRoleNamePatterns: readonly string[];
}

/**
 * Actions of global services, exempt from the region guard: their endpoints live in us-east-1 (or are
 * global) whatever the caller's region. Starting point: AWS's example SCP "Deny access to AWS based on
 * the requested AWS Region" (docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html#example-scp-deny-region),
 * cut to what this estate uses or an administrator needs (billing, support, health).
 */
export const GLOBAL_SERVICE_ACTIONS = [
  "account:*",
  "aws-portal:*",
  "billing:*",
  "budgets:*",
  "ce:*",
  "cloudfront:*",
  "cur:*",
  "health:*",
  "iam:*",
  "organizations:*",
  "pricing:*",
  "route53:*",
  "route53domains:*",
  "s3:GetAccountPublicAccessBlock",
  "s3:ListAllMyBuckets",
  "s3:PutAccountPublicAccessBlock",
  "sts:*",
  "support:*",
  "tax:*",
  "trustedadvisor:*",
] as const;

/**
 * Services the stacks place in us-east-1, from the plans (resources with `region: us-east-1`):
 * ACM (CloudFront certificate), WAFv2 with scope CLOUDFRONT, Lambda@Edge, CloudWatch alarms on
 * CloudFront/WAF metrics, CloudWatch Logs and log delivery (WAF and CloudFront standard logging v2),
 * SNS and KMS for the edge alert topic, GuardDuty's edge detector and its EventBridge finding rule.
 */
export const EDGE_REGION_SERVICES = ["acm", "wafv2", "lambda", "cloudwatch", "logs", "sns", "kms", "guardduty", "events"] as const;

/** Actions that switch off or blind CloudTrail (AWS example SCP "Prevent users from disabling CloudTrail", extended to selectors and event data stores). */
export const CLOUDTRAIL_GUARDED_ACTIONS = [
  "cloudtrail:DeleteTrail",
  "cloudtrail:StopLogging",
  "cloudtrail:UpdateTrail",
  "cloudtrail:PutEventSelectors",
  "cloudtrail:PutInsightSelectors",
  "cloudtrail:DeleteEventDataStore",
  "cloudtrail:UpdateEventDataStore",
  "cloudtrail:StopEventDataStoreIngestion",
] as const;

/** Actions that switch off or narrow GuardDuty (AWS example SCP "Prevent users from disabling Amazon GuardDuty or modifying its configuration"). */
export const GUARDDUTY_GUARDED_ACTIONS = [
  "guardduty:DeleteDetector",
  "guardduty:UpdateDetector",
  "guardduty:DisassociateFromMasterAccount",
  "guardduty:DisassociateFromAdministratorAccount",
  "guardduty:DeleteMembers",
  "guardduty:DisassociateMembers",
  "guardduty:StopMonitoringMembers",
  "guardduty:CreateFilter",
  "guardduty:UpdateFilter",
  "guardduty:DeleteFilter",
  "guardduty:CreateIPSet",
  "guardduty:UpdateIPSet",
  "guardduty:DeletePublishingDestination",
  "guardduty:UpdatePublishingDestination",
  "guardduty:UpdateMemberDetectors",
  "guardduty:UpdateOrganizationConfiguration",
] as const;

/** IAM actions that change a role, its policies, its trust or its boundary. */
export const ROLE_CHANGE_ACTIONS = [
  "iam:AttachRolePolicy",
  "iam:DeleteRole",
  "iam:DeleteRolePermissionsBoundary",
  "iam:DeleteRolePolicy",
  "iam:DetachRolePolicy",
  "iam:PutRolePermissionsBoundary",
  "iam:PutRolePolicy",
  "iam:UpdateAssumeRolePolicy",
  "iam:UpdateRole",
  "iam:UpdateRoleDescription",
  "iam:TagRole",
  "iam:UntagRole",
] as const;

/** IAM actions that change an OIDC identity provider (who may federate into the account). */
export const OIDC_PROVIDER_CHANGE_ACTIONS = [
  "iam:AddClientIDToOpenIDConnectProvider",
  "iam:DeleteOpenIDConnectProvider",
  "iam:RemoveClientIDFromOpenIDConnectProvider",
  "iam:UpdateOpenIDConnectProviderThumbprint",
  "iam:TagOpenIDConnectProvider",
  "iam:UntagOpenIDConnectProvider",
] as const;

/** The GitHub Actions OIDC provider every CI role trusts. */
export const GITHUB_OIDC_PROVIDER_ARN_PATTERN = "arn:aws:iam::*:oidc-provider/token.actions.githubusercontent.com";

function unlessAdmin(settings: ServiceControlPolicySettings): Record<string, Record<string, string[]>> {
  return { ArnNotLike: { "aws:PrincipalArn": [...settings.adminPrincipalArns] } };
}

/** Deny leaving the organization: a member that leaves sheds every SCP (AWS example SCP). */
export function denyLeavingOrganization(): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [{ Sid: "DenyLeaveOrganization", Effect: "Deny", Action: ["organizations:LeaveOrganization"], Resource: "*" }],
  };
}

/**
 * Region guard: outside the home and edge regions nothing but global services; in the edge region
 * only the services the stacks place there. `aws:RequestedRegion` is the region of the endpoint called
 * (IAM global condition keys), which for a global service is us-east-1: hence the global exemption.
 */
export function denyUnusedRegions(settings: ServiceControlPolicySettings): PolicyDocument {
  const global = [...GLOBAL_SERVICE_ACTIONS];
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyOutsideHomeAndEdgeRegions",
        Effect: "Deny",
        NotAction: global,
        Resource: "*",
        Condition: { StringNotEquals: { "aws:RequestedRegion": [settings.homeRegion, settings.edgeRegion] } },
      },
      {
        Sid: "DenyEdgeRegionBeyondEdgeServices",
        Effect: "Deny",
        NotAction: [...global, ...settings.edgeRegionServices.map((s) => `${s}:*`)].sort(),
        Resource: "*",
        Condition: { StringEquals: { "aws:RequestedRegion": [settings.edgeRegion] } },
      },
    ],
  };
}

/**
 * Guard the baseline each member account's stack owns (CloudTrail, GuardDuty, the CI roles and the
 * GitHub OIDC provider): only the administrators' bootstrap roles may change it. So a compromised
 * CI role or person cannot switch off the audit trail, blind GuardDuty, or widen CI's own rights;
 * baseline changes go through the administrators' path (docs/accounts.md).
 */
export function protectBaseline(settings: ServiceControlPolicySettings): PolicyDocument {
  const roleArns = settings.ciRoleNamePatterns.map((p) => `arn:aws:iam::*:role/${p}`);
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "ProtectCloudTrail", Effect: "Deny", Action: [...CLOUDTRAIL_GUARDED_ACTIONS], Resource: "*", Condition: unlessAdmin(settings) },
      { Sid: "ProtectGuardDuty", Effect: "Deny", Action: [...GUARDDUTY_GUARDED_ACTIONS], Resource: "*", Condition: unlessAdmin(settings) },
      { Sid: "ProtectCiRoles", Effect: "Deny", Action: [...ROLE_CHANGE_ACTIONS], Resource: roleArns, Condition: unlessAdmin(settings) },
      { Sid: "ProtectGitHubOidcProvider", Effect: "Deny", Action: [...OIDC_PROVIDER_CHANGE_ACTIONS], Resource: [GITHUB_OIDC_PROVIDER_ARN_PATTERN], Condition: unlessAdmin(settings) },
    ],
  };
}

/**
 * Deny every action by a member account's root user. With centralised root access (the organization's
 * `RootCredentialsManagement` and `RootSessions` features) members have no root credentials at all; this
 * SCP is the belt to those braces (AWS example SCP "Prevent root user actions").
 */
export function denyRootUser(): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [{ Sid: "DenyRootUser", Effect: "Deny", Action: ["*"], Resource: "*", Condition: { StringLike: { "aws:PrincipalArn": ["arn:aws:iam::*:root"] } } }],
  };
}

export interface NamedServiceControlPolicy {
  /** Suffix of the policy's name and of its child resources. */
  key: "deny-leave-organization" | "region-guard" | "protect-baseline" | "deny-root-user";
  description: string;
  document: PolicyDocument;
}

/** Every SCP the organization attaches, in a stable order. */
export function serviceControlPolicies(settings: ServiceControlPolicySettings): NamedServiceControlPolicy[] {
  return [
    { key: "deny-leave-organization", description: "Members cannot leave the organization (and shed its SCPs).", document: denyLeavingOrganization() },
    { key: "region-guard", description: `Only ${settings.homeRegion}, and in ${settings.edgeRegion} only the edge services; global services exempt.`, document: denyUnusedRegions(settings) },
    { key: "protect-baseline", description: "CloudTrail, GuardDuty, the CI roles and the GitHub OIDC provider change only through the administrators' roles.", document: protectBaseline(settings) },
    { key: "deny-root-user", description: "Member accounts' root users can do nothing.", document: denyRootUser() },
  ];
}

/** The document as sent to AWS: compact JSON, whose length AWS compares with the 5,120-character limit. */
export function serializeScp(document: PolicyDocument): string {
  return JSON.stringify(document);
}
