import { serializeScp, serviceControlPolicies, EDGE_REGION_SERVICES } from "../../../components/accounts/serviceControlPolicies";
import type { PolicyCase } from "./types";

const ORG = "aws:organizations/organization:Organization";
const ACCOUNT = "aws:organizations/account:Account";
const POLICY = "aws:organizations/policy:Policy";
const ATTACHMENT = "aws:organizations/policyAttachment:PolicyAttachment";

/** The organization program's real SCPs, so the cases judge what the program declares. */
const realScps = serviceControlPolicies({
  homeRegion: "eu-west-2",
  edgeRegion: "us-east-1",
  edgeRegionServices: EDGE_REGION_SERVICES,
  adminPrincipalArns: ["arn:aws:iam::*:role/OrganizationAccountAccessRole"],
  ciRoleNamePatterns: ["mpto-*-deploy", "mpto-*-deploy-preview"],
});
const leave = serializeScp(realScps[0].document);
const regionGuard = serializeScp(realScps[1].document);

/** An SCP just over AWS's 5,120 characters: one Deny with many distinct actions. */
const oversized = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Sid: "Big", Effect: "Deny", Action: Array.from({ length: 260 }, (_, i) => `ec2:DescribeSomething${i}`), Resource: "*" }],
});

const organization = { type: ORG, name: "org", props: { featureSet: "ALL", enabledPolicyTypes: ["SERVICE_CONTROL_POLICY"], id: "o-abc1234567" } };
const scp = (name: string, content: string) => ({ type: POLICY, name, props: { type: "SERVICE_CONTROL_POLICY", content, id: `p-${name}` } });
const attach = (name: string, policy: string) => ({ type: ATTACHMENT, name: `${name}-root`, props: { policyId: `p-${policy}`, targetId: "r-ab12" }, deps: { policyId: [policy] } });

export const organizationsCases: PolicyCase[] = [
  { policy: "organizations-policy-document", title: "passes each of the organization program's SCPs", type: POLICY, props: { type: "SERVICE_CONTROL_POLICY", content: regionGuard }, expect: "pass" },
  { policy: "organizations-policy-document", title: "passes a tag policy, whose grammar is not IAM's", type: POLICY, props: { type: "TAG_POLICY", content: '{"tags":{}}' }, expect: "pass" },
  { policy: "organizations-policy-document", title: "fails an SCP over AWS's 5,120-character limit", type: POLICY, props: { type: "SERVICE_CONTROL_POLICY", content: oversized }, expect: /characters; AWS accepts at most 5120/, count: 1 },
  { policy: "organizations-policy-document", title: "fails an SCP that is not JSON", type: POLICY, props: { content: "{ Deny everything" }, expect: /not a policy document AWS would accept: the policy document is not valid JSON/ },
  { policy: "organizations-policy-document", title: "fails an SCP whose content is not a string (never a crash)", type: POLICY, props: { type: "SERVICE_CONTROL_POLICY", content: 42 }, expect: /content is a number, not a JSON string/ },
  { policy: "organizations-account-safety", title: "passes an account that removal leaves open", type: ACCOUNT, props: { name: "mpto-dev", email: "aws+dev@example.com", closeOnDeletion: false }, expect: "pass" },
  { policy: "organizations-account-safety", title: "fails an account that a destroy or replacement would close", type: ACCOUNT, props: { name: "mpto-dev", email: "aws+dev@example.com", closeOnDeletion: true }, expect: /closeOnDeletion is true/, count: 1 },
  { policy: "organizations-account-safety", title: "fails an account without a root email", type: ACCOUNT, props: { name: "mpto-dev", email: null }, expect: /email is not an address/ },
  {
    policy: "organizations-guardrails",
    title: "passes an all-features organization whose SCPs are all attached, one denying LeaveOrganization",
    resources: [organization, scp("leave", leave), attach("leave", "leave"), scp("regions", regionGuard), attach("regions", "regions")],
    expect: "pass",
  },
  {
    policy: "organizations-guardrails",
    title: "fails an SCP declared but attached to nothing",
    resources: [organization, scp("leave", leave), attach("leave", "leave"), scp("regions", regionGuard)],
    expect: /SCP regions is declared but attached to no root, OU or account/,
    count: 1,
  },
  {
    policy: "organizations-guardrails",
    title: "fails an organization no attached SCP keeps members in",
    resources: [organization, scp("regions", regionGuard), attach("regions", "regions")],
    expect: /no attached SCP denies organizations:LeaveOrganization/,
    count: 1,
  },
  {
    policy: "organizations-guardrails",
    title: "fails consolidated-billing-only organizations and SCPs not enabled",
    resources: [{ ...organization, props: { featureSet: "CONSOLIDATED_BILLING", enabledPolicyTypes: [] } }, scp("leave", leave), attach("leave", "leave")],
    expect: [/featureSet CONSOLIDATED_BILLING: SCPs need ALL/, /does not enable SERVICE_CONTROL_POLICY/],
    count: 2,
  },
];
