import assert from "node:assert/strict";
import { Organization, OrganizationArgs } from "../../../components/accounts/Organization";
import { EDGE_REGION_SERVICES, SCP_MAX_CHARACTERS } from "../../../components/accounts/serviceControlPolicies";
import { declare, named, ofType, oneOf } from "../../support/harness";

const args: OrganizationArgs = {
  rootEmail: "aws@example.com",
  accounts: [
    { key: "dev", name: "mpto-dev" },
    { key: "prod", name: "mpto-prod", importId: "222222222222" },
  ],
  scp: {
    homeRegion: "eu-west-2",
    edgeRegion: "us-east-1",
    edgeRegionServices: EDGE_REGION_SERVICES,
    adminPrincipalArns: ["arn:aws:iam::*:role/OrganizationAccountAccessRole"],
    ciRoleNamePatterns: ["mpto-*-deploy", "mpto-*-deploy-preview"],
  },
};

describe("Organization (mpto:accounts:Organization)", () => {
  it("creates an all-features organization with SCPs enabled and IAM trusted for centralised root access, protected", async () => {
    const run = await declare(() => new Organization("org", args));
    const org = oneOf(run, "aws:organizations/organization:Organization");
    assert.equal(org.inputs.featureSet, "ALL");
    assert.deepEqual(org.inputs.enabledPolicyTypes, ["SERVICE_CONTROL_POLICY"]);
    assert.deepEqual(org.inputs.awsServiceAccessPrincipals, ["iam.amazonaws.com"]);
    assert.equal(org.options.protect, true);
    const features = oneOf(run, "aws:iam/organizationsFeatures:OrganizationsFeatures");
    assert.deepEqual(features.inputs.enabledFeatures, ["RootCredentialsManagement", "RootSessions"]);
  });

  it("puts each member account in the workloads OU with a unique plus-addressed root email, never closing it on deletion", async () => {
    const run = await declare(() => new Organization("org", args));
    const ou = oneOf(run, "aws:organizations/organizationalUnit:OrganizationalUnit");
    assert.equal(ou.inputs.name, "workloads");
    const accounts = ofType(run, "aws:organizations/account:Account");
    assert.deepEqual(accounts.map((a) => [a.name, a.inputs.name, a.inputs.email]), [
      ["org-account-dev", "mpto-dev", "aws+dev@example.com"],
      ["org-account-prod", "mpto-prod", "aws+prod@example.com"],
    ]);
    for (const a of accounts) {
      assert.equal(a.inputs.closeOnDeletion, false);
      assert.equal(a.inputs.parentId, run.resources.find((r) => r.urn === ou.urn)!.outputs.id);
    }
  });

  it("protects accounts and ignores the fields pulumi-aws would replace them on (name, email, parent)", async () => {
    const run = await declare(() => new Organization("org", args));
    for (const a of ofType(run, "aws:organizations/account:Account")) {
      assert.equal(a.options.protect, true, a.name);
      for (const field of ["name", "email", "parentId"]) assert.ok(a.options.ignoreChanges?.includes(field), `${a.name} ignores ${field}`);
    }
  });

  it("adopts existing accounts and organizations by import id", async () => {
    const run = await declare(() => new Organization("org", { ...args, importOrganizationId: "o-abcdefghij" }));
    assert.equal(named(run, "org-account-prod").options.import, "222222222222");
    assert.equal(named(run, "org-account-dev").options.import, undefined);
    assert.equal(oneOf(run, "aws:organizations/organization:Organization").options.import, "o-abcdefghij");
  });

  it("attaches each of the four SCPs to the root, so accounts outside the OU are guarded too", async () => {
    const run = await declare(() => new Organization("org", args));
    const policies = ofType(run, "aws:organizations/policy:Policy");
    assert.deepEqual(policies.map((p) => p.inputs.name), ["mpto-deny-leave-organization", "mpto-region-guard", "mpto-protect-baseline", "mpto-deny-root-user"]);
    const rootId = (oneOf(run, "aws:organizations/organization:Organization").outputs.roots as { id: string }[])[0].id;
    const attachments = ofType(run, "aws:organizations/policyAttachment:PolicyAttachment");
    assert.equal(attachments.length, 4);
    for (const a of attachments) assert.equal(a.inputs.targetId, rootId);
    for (const p of policies) {
      assert.equal(p.inputs.type, "SERVICE_CONTROL_POLICY");
      assert.ok((p.inputs.content as string).length <= SCP_MAX_CHARACTERS, `${p.inputs.name} is ${(p.inputs.content as string).length} characters`);
    }
  });

  it("refuses, before declaring anything, an SCP AWS would refuse for its size", async () => {
    const many = Array.from({ length: 120 }, (_, i) => `arn:aws:iam::*:role/administrators-of-the-organization-${i}`);
    await assert.rejects(
      declare(() => new Organization("org", { ...args, scp: { ...args.scp, adminPrincipalArns: many } })),
      (error: Error & { declared?: unknown[] }) => /service control policy protect-baseline is \d+ characters; AWS accepts at most 5120/.test(error.message) && (error.declared?.length ?? 0) <= 1,
    );
  });

  it("leaves out centralised root access when switched off", async () => {
    const run = await declare(() => new Organization("org", { ...args, centralRootAccess: false }));
    assert.equal(ofType(run, "aws:iam/organizationsFeatures:OrganizationsFeatures").length, 0);
    assert.deepEqual(oneOf(run, "aws:organizations/organization:Organization").inputs.awsServiceAccessPrincipals, []);
  });
});
