import { list, strings, whenKnown } from "../lib/inputs";
import { resourceRule, stackRule } from "../lib/policy";
import { readDocument } from "../lib/policyDocuments";
import { scpSizeProblem } from "../rules/organizations";

/**
 * AWS Organizations (the org/ program): SCPs AWS would accept and that are attached, accounts whose
 * removal never closes them, and an organization whose guardrails members cannot shed.
 * Sources: AWS Organizations quotas (orgs_reference_limits.html: 5,120 characters per SCP);
 * `aws_organizations_account.close_on_deletion` (terraform-provider-aws docs);
 * AWS example SCP "Prevent member accounts from leaving the organization" (orgs_manage_policies_scps_examples_general.html).
 */

const ORGANIZATION = "aws:organizations/organization:Organization";
const ACCOUNT = "aws:organizations/account:Account";
const POLICY = "aws:organizations/policy:Policy";
const ATTACHMENT = "aws:organizations/policyAttachment:PolicyAttachment";
const AUTHORIZATION_POLICY_TYPES = ["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"];

export const organizationsPolicyDocument = resourceRule({
  name: "organizations-policy-document",
  description: "Every SCP and RCP is a parseable IAM policy document within AWS's 5,120-character limit (AWS Organizations quotas), so the deploy does not fail at CreatePolicy.",
  types: [POLICY],
  validate(props, _args, report) {
    const type = props.type ?? "SERVICE_CONTROL_POLICY";
    if (typeof type !== "string" || !AUTHORIZATION_POLICY_TYPES.includes(type)) return; // tag, backup and AI opt-out policies have other grammars
    if (typeof props.content !== "string") {
      report(`content is ${props.content === undefined ? "missing" : `a ${typeof props.content}, not a JSON string`}`);
      return;
    }
    const tooBig = scpSizeProblem(props.content);
    if (tooBig) report(`the ${type} ${tooBig}: split it into two policies`);
    const document = readDocument(props.content);
    if (document.absent || document.problem) report(`content is not a policy document AWS would accept: ${document.problem ?? "it is empty"}`);
  },
});

export const organizationsAccountSafety = resourceRule({
  name: "organizations-account-safety",
  description: "Removing a member account from the program never closes it (closeOnDeletion false: a closed account is suspended for 90 days and counts against the closure quota), and its root email is set.",
  types: [ACCOUNT],
  validate(props, _args, report) {
    if (props.closeOnDeletion === true || props.closeOnDeletion === "true") report("closeOnDeletion is true: a `pulumi destroy` or a replacement would close the account; set it false and close accounts by hand");
    if (typeof props.email !== "string" || !props.email.includes("@")) report("email is not an address: every account needs a unique root email");
  },
});

export const organizationsGuardrails = stackRule({
  name: "organizations-guardrails",
  description: "An organization declared here has all features with SCPs enabled, every SCP it declares is attached, and one attached SCP denies organizations:LeaveOrganization (AWS example SCP; Security Hub has no control for it).",
  validate(stack, _config, report) {
    stack.eachOf(ORGANIZATION, report, (org) => {
      if (org.props.featureSet !== undefined && org.props.featureSet !== "ALL") report(`organization ${org.name} has featureSet ${String(org.props.featureSet)}: SCPs need ALL`, org.urn);
      if (!strings(org.props.enabledPolicyTypes).includes("SERVICE_CONTROL_POLICY")) report(`organization ${org.name} does not enable SERVICE_CONTROL_POLICY`, org.urn);
    });
    const scps = stack.ofType(POLICY).filter((p) => whenKnown(() => (p.props.type ?? "SERVICE_CONTROL_POLICY") === "SERVICE_CONTROL_POLICY", true));
    const attached = scps.filter((p) => stack.referencing(ATTACHMENT, "policyId", p, [whenKnown(() => p.props.id as unknown, undefined), whenKnown(() => p.props.arn as unknown, undefined)]).length > 0);
    for (const p of scps.filter((s) => !attached.includes(s))) report(`SCP ${p.name} is declared but attached to no root, OU or account: it guards nothing`, p.urn);
    if (stack.ofType(ORGANIZATION).length) {
      const deniesLeaving = attached.some((p) =>
        whenKnown(() => {
          const document = readDocument(p.props.content);
          return document.statements.some((s) => s.Effect === "Deny" && list<string>(s.Action).some((a) => a === "organizations:LeaveOrganization" || a === "organizations:*" || a === "*"));
        }, true),
      );
      if (!deniesLeaving) report("no attached SCP denies organizations:LeaveOrganization: a member could leave and shed every SCP");
    }
  },
});

export const organizationsPolicies = [organizationsPolicyDocument, organizationsAccountSafety, organizationsGuardrails];
