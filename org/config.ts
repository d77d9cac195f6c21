import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ConfigProblem, readConfigFields, runtimeConfig, StackConfigError } from "../stacks/config";
import { fields } from "../components/shared/configField";

/** Config namespace of the organization program: its Pulumi project name. */
export const ORG_CONFIG_NAMESPACE = "mpto-org";

const principalArnPattern = z.string().regex(/^arn:aws:iam::(\*|\d{12}):(role|user)\/[\w+=,.@*/-]+$/);

/** Every key the organization program reads. `org/Pulumi.yaml` declares the required ones and those with defaults (optional keys without one are not declared: pulumi/pulumi#21797). */
export const orgConfigFields = {
  owner: fields.text({ description: "Owner tag: the team or person answerable for the organization.", expected: "a team or person, e.g. platform-team" }),
  costCenter: fields.text({ description: "CostCenter tag.", expected: "a cost centre, e.g. MPTO-WEB" }),
  rootEmail: fields.email({
    description: "Base root email of the member accounts; each gets a plus-addressed one (aws+dev@…), since every account needs a unique root email.",
  }),
  alertEmail: fields.email({ description: "Address that receives the organization budget's alerts (confirm the SNS subscription once)." }),
  monthlyBudgetUsd: fields.integer({
    description: "Monthly budget of the whole organization in USD (the payer's budget counts every member account); alerts at 80% actual and 100% forecast. Default 400.",
    expected: "a whole number of US dollars from 1 to 100000",
    min: 1,
    max: 100_000,
    default: 400,
  }),
  accountNamePrefix: fields.text({ description: "Member account names are <prefix><stack>. Default mpto-.", pattern: /^[A-Za-z0-9 ._-]{1,40}$/, default: "mpto-" }),
  devAccountId: fields.text({
    description: "Existing dev account to adopt (imported on the next `pulumi up`); unset = create a new account.",
    expected: "a 12-digit account id",
    pattern: /^\d{12}$/,
    required: false,
  }),
  prodAccountId: fields.text({
    description: "Existing prod account to adopt (imported on the next `pulumi up`); unset = create a new account.",
    expected: "a 12-digit account id",
    pattern: /^\d{12}$/,
    required: false,
  }),
  organizationId: fields.text({
    description: "Existing organization to adopt (imported); unset = create it from this management account.",
    expected: "an organization id such as o-abcd123456",
    pattern: /^o-[a-z0-9]{10,32}$/,
    required: false,
  }),
  adminPrincipalArns: fields.list(principalArnPattern, "IAM principal ARN patterns", {
    description:
      "Principal ARN patterns (ArnLike) of the administrators' bootstrap roles: the only principals in member accounts that may change CloudTrail, GuardDuty, the CI roles and the GitHub OIDC provider. Default: OrganizationAccountAccessRole and IAM Identity Center AdministratorAccess.",
    minItems: 1,
    default: ["arn:aws:iam::*:role/OrganizationAccountAccessRole", "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_AdministratorAccess_*"],
  }),
  activateCostAllocationTags: fields.boolean({
    description:
      "Activate the required tag keys as cost allocation tags (the management account is the payer, the only one that can). AWS accepts a key only once it has appeared in billing data (about a day after the member stacks' first deploy). Default false.",
    default: false,
  }),
  centralRootAccess: fields.boolean({
    description: "Centralised root access: member accounts have no root credentials; root tasks run as short sessions from the management account. Default true.",
    default: true,
  }),
};

export interface OrgConfig {
  readonly stack: string;
  readonly owner: string;
  readonly costCenter: string;
  readonly rootEmail: string;
  readonly alertEmail: string;
  readonly monthlyBudgetUsd: number;
  readonly accountNamePrefix: string;
  readonly devAccountId?: string;
  readonly prodAccountId?: string;
  readonly organizationId?: string;
  readonly adminPrincipalArns: string[];
  readonly activateCostAllocationTags: boolean;
  readonly centralRootAccess: boolean;
}

/** The organization program's config errors are the stacks' own: one RunError naming every bad key. */
export { StackConfigError as OrgConfigError };

/** Validates the raw config map; throws one error naming every bad key, before any resource is declared. */
export function parseOrgConfig(stack: string, raw: Record<string, string>, secretKeys: ReadonlySet<string> = new Set()): OrgConfig {
  const problems: ConfigProblem[] = [];
  const values: Record<string, unknown> = { stack };
  readConfigFields(ORG_CONFIG_NAMESPACE, orgConfigFields, raw, secretKeys, values, problems);
  if (problems.length) throw new StackConfigError(stack, problems);
  return values as unknown as OrgConfig;
}

/** Reads the organization stack's config as `pulumi config` presents it to the program. */
export function loadOrgConfig(): OrgConfig {
  const { raw, secretKeys } = runtimeConfig();
  return parseOrgConfig(pulumi.getStack(), raw, secretKeys);
}
