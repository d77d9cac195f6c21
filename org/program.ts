import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Organization } from "../components/accounts/Organization";
import { EDGE_REGION_SERVICES } from "../components/accounts/serviceControlPolicies";
import { AccountBaseline } from "../components/baseline/AccountBaseline";
import { StackBudget } from "../components/baseline/StackBudget";
import { AlertTopic } from "../components/monitoring/AlertTopic";
import { EDGE_REGION, PRIMARY_REGION } from "../components/shared/regions";
import { createAwsProvider } from "../stacks/providers";
import { REQUIRED_TAG_KEYS, requiredTags } from "../stacks/tags";
import { loadOrgConfig, OrgConfig } from "./config";

/** Role names of the CI roles every member stack creates (components/ci/CiDeployRole: `mpto-<stack>-deploy` and its `-preview`). */
export const CI_ROLE_NAME_PATTERNS = ["mpto-*-deploy", "mpto-*-deploy-preview"] as const;

/** The member accounts, one per stack of the main project; each stack owns its account's baseline. */
export const MEMBER_STACKS = ["dev", "prod"] as const;

export interface OrgOutputs {
  organizationId: pulumi.Output<string>;
  workloadsOuId: pulumi.Output<string>;
  accountIds: Record<string, pulumi.Output<string>>;
  serviceControlPolicyIds: Record<string, pulumi.Output<string>>;
  budgetName: pulumi.Output<string>;
}

/** Composes the organization from validated config. */
export function composeOrganization(config: OrgConfig, provider: aws.Provider): OrgOutputs {
  const importIds: Record<(typeof MEMBER_STACKS)[number], string | undefined> = { dev: config.devAccountId, prod: config.prodAccountId };
  const org = new Organization(
    "mpto-org",
    {
      rootEmail: config.rootEmail,
      accounts: MEMBER_STACKS.map((stack) => ({ key: stack, name: `${config.accountNamePrefix}${stack}`, importId: importIds[stack] })),
      importOrganizationId: config.organizationId,
      centralRootAccess: config.centralRootAccess,
      scp: {
        homeRegion: PRIMARY_REGION,
        edgeRegion: EDGE_REGION,
        edgeRegionServices: EDGE_REGION_SERVICES,
        adminPrincipalArns: config.adminPrincipalArns,
        ciRoleNamePatterns: CI_ROLE_NAME_PATTERNS,
      },
    },
    { provider },
  );
  // The payer's budget counts every member account's spend (consolidated billing): the one figure the budget owner watches.
  const alerts = new AlertTopic("mpto-org-alerts", { alertEmail: config.alertEmail, edgeTopic: false, displayName: "MPTO organization alerts" }, { provider });
  const budget = new StackBudget("mpto-org-budget", { limitUsd: config.monthlyBudgetUsd, topicArn: alerts.topicArn, emails: [config.alertEmail] }, { provider });
  // SCPs never bind the management account, so it keeps its own trail and detector (who changed an SCP is
  // evidence too). It is the payer: cost allocation tags can only be activated here in this layout.
  new AccountBaseline(
    "mpto-org-baseline",
    {
      alertTopicArn: alerts.topicArn,
      edgeRegionDetector: false,
      guardDutyFeatures: [],
      protect: true,
      costAllocationTagKeys: config.activateCostAllocationTags ? REQUIRED_TAG_KEYS : [],
    },
    { provider },
  );
  return {
    organizationId: org.organizationId,
    workloadsOuId: org.workloadsOuId,
    accountIds: org.accountIds,
    serviceControlPolicyIds: org.policyIds,
    budgetName: budget.budgetName,
  };
}

/**
 * The organization program: validate config (before any resource exists), create the tagged
 * provider, compose. `org/index.ts` runs it for the Pulumi CLI; `npm run plan:org` under mocks.
 */
export async function program(): Promise<OrgOutputs> {
  const config = loadOrgConfig();
  // The stacks' provider and required tags: the Environment tag is this stack's name, as in the stacks.
  const provider = createAwsProvider(requiredTags({ environment: config.stack, owner: config.owner, costCenter: config.costCenter }, pulumi.getProject()));
  return composeOrganization(config, provider);
}
