import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { plusAddress } from "../../policies/rules/organizations";
import { scpSizeProblem, serializeScp, serviceControlPolicies, ServiceControlPolicySettings } from "./serviceControlPolicies";

/** A member account of the workloads OU. */
export interface MemberAccountArgs {
  /** Short key, e.g. `dev`: names the child resource and the plus-address tag of the root email. Required. */
  key: string;
  /** Account name shown in Organizations. Required. */
  name: string;
  /** Id of an existing account to adopt (`pulumi up` imports it) instead of creating one. Default none: a new account. */
  importId?: string;
}

export interface OrganizationArgs {
  /** Base root email; each account gets a plus-addressed one (`aws+dev@…`), unique as AWS requires. Required. */
  rootEmail: string;
  /** Member accounts, placed in the workloads OU. Required. */
  accounts: MemberAccountArgs[];
  /** The SCP settings (regions, admin roles, CI role names). Required. */
  scp: ServiceControlPolicySettings;
  /** Name of the OU that holds the workload accounts. Default "workloads". */
  workloadsOuName?: string;
  /** Id of an existing organization to adopt (`pulumi up` imports it). Default none: create it. */
  importOrganizationId?: string;
  /** Centralised root access: members have no root credentials, root tasks run as short sessions from the management account. Default true. */
  centralRootAccess?: boolean;
}

/**
 * The AWS organization, run once from the management account: all features, a workloads OU with the
 * member accounts, and service control policies that nobody inside a member account can switch off.
 *
 * SCPs are attached to the root, not only to the OU: an adopted account that has not been moved into
 * the OU yet (moving is a separate, manual step, see docs/accounts.md) is guarded from its first
 * day, and SCPs never apply to the management account itself.
 *
 * Accounts are protected and ignore changes to the fields that would replace them: with pulumi-aws,
 * a change of name, email or parent is planned as a replacement (pulumi/pulumi-aws#6242), i.e. closing
 * an account; those changes are made in the console or with the Account Management API instead.
 */
export class Organization extends pulumi.ComponentResource {
  public readonly organizationId: pulumi.Output<string>;
  public readonly rootId: pulumi.Output<string>;
  public readonly workloadsOuId: pulumi.Output<string>;
  /** Account ids by key. */
  public readonly accountIds: Record<string, pulumi.Output<string>>;
  /** SCP ids by key. */
  public readonly policyIds: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: OrganizationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mpto:accounts:Organization", name, {}, opts);

    // Refuse an SCP AWS would refuse before declaring anything, so a failed preview leaves nothing half-made.
    const scps = serviceControlPolicies(args.scp).map((scp) => ({ ...scp, content: serializeScp(scp.document) }));
    for (const scp of scps) {
      const tooBig = scpSizeProblem(scp.content);
      if (tooBig) throw new pulumi.RunError(`service control policy ${scp.key} ${tooBig}; split it into two policies`);
    }

    const centralRootAccess = args.centralRootAccess ?? true;
    const organization = new aws.organizations.Organization(
      `${name}-organization`,
      {
        featureSet: "ALL",
        enabledPolicyTypes: ["SERVICE_CONTROL_POLICY"],
        // Trusted access for IAM is what centralised root access needs (id_root-user.html#id_root-user-access-management).
        awsServiceAccessPrincipals: centralRootAccess ? ["iam.amazonaws.com"] : [],
      },
      { parent: this, protect: true, import: args.importOrganizationId },
    );
    const rootId = organization.roots.apply((roots) => roots[0].id);

    const ou = new aws.organizations.OrganizationalUnit(`${name}-workloads`, { name: args.workloadsOuName ?? "workloads", parentId: rootId }, { parent: this, protect: true });

    this.accountIds = {};
    for (const account of args.accounts) {
      const created = new aws.organizations.Account(
        `${name}-account-${account.key}`,
        {
          name: account.name,
          email: plusAddress(args.rootEmail, account.key),
          parentId: ou.id,
          // Deleting the resource only removes the account from the organization; it never closes it.
          closeOnDeletion: false,
          roleName: "OrganizationAccountAccessRole",
          // Members' IAM principals may read their own billing: each stack keeps a budget and an anomaly monitor.
          iamUserAccessToBilling: "ALLOW",
        },
        {
          parent: this,
          protect: true,
          import: account.importId,
          ignoreChanges: ["name", "email", "parentId", "roleName", "iamUserAccessToBilling"],
        },
      );
      this.accountIds[account.key] = created.id;
    }

    this.policyIds = {};
    for (const scp of scps) {
      const policy = new aws.organizations.Policy(
        `${name}-scp-${scp.key}`,
        { name: `mpto-${scp.key}`, type: "SERVICE_CONTROL_POLICY", description: scp.description, content: scp.content },
        { parent: this, dependsOn: [organization] },
      );
      new aws.organizations.PolicyAttachment(`${name}-scp-${scp.key}-root`, { policyId: policy.id, targetId: rootId }, { parent: this });
      this.policyIds[scp.key] = policy.id;
    }

    if (centralRootAccess) {
      new aws.iam.OrganizationsFeatures(`${name}-root-access`, { enabledFeatures: ["RootCredentialsManagement", "RootSessions"] }, { parent: this, dependsOn: [organization] });
    }

    this.organizationId = organization.id;
    this.rootId = rootId;
    this.workloadsOuId = ou.id;
    this.registerOutputs({ organizationId: this.organizationId, rootId: this.rootId, workloadsOuId: this.workloadsOuId, accountIds: this.accountIds, policyIds: this.policyIds });
  }
}
