import { strict as assert } from "assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkDeployRoles, DeployRoleReport } from "../../tools/iam/deployRoleCheck";
import { ciRolesFingerprint, deployRoleSection } from "../../tools/iam/planSection";
import type { MockRunResult, RecordedResource } from "../../tools/mocks/runtime";
import { declareStack } from "../support/harness";

/**
 * The deploy-role check in both directions: both real stacks pass; removing an action a planned
 * resource needs, adding an escalation path, a type the table does not know, a role without the
 * boundary or beyond it, or a KMS key policy that shuts IAM out each fail with a message naming it.
 */

const clone = (run: MockRunResult): MockRunResult => JSON.parse(JSON.stringify(run));
const ciPolicies = (run: MockRunResult, prefix: string) => run.resources.filter((r) => r.type === "aws:iam/policy:Policy" && r.urn.includes("mpto:ci:CiDeployRole$") && r.name.startsWith(prefix));

/** Rewrites the statements of the CI policies whose logical name starts with `prefix`. */
function editStatements(run: MockRunResult, prefix: string, edit: (statements: any[], policy: RecordedResource) => any[]): MockRunResult {
  const out = clone(run);
  const policies = ciPolicies(out, prefix);
  assert.ok(policies.length, `no CI policy named ${prefix}*`);
  for (const p of policies) {
    const doc = JSON.parse(String(p.inputs.policy));
    doc.Statement = edit(doc.Statement, p);
    p.inputs.policy = JSON.stringify(doc);
  }
  return out;
}
const withoutAction = (run: MockRunResult, prefix: string, action: string) =>
  editStatements(run, prefix, (statements) => statements.map((s) => ({ ...s, Action: [s.Action].flat().filter((a: string) => a !== action) })).filter((s) => s.Action.length));
const withStatement = (run: MockRunResult, statement: Record<string, unknown>) =>
  editStatements(run, "ci-deploy-iam", (statements, p) => (p.name === "ci-deploy-iam" ? [...statements, statement] : statements));

const failuresMatching = (report: DeployRoleReport, re: RegExp) => report.failures.filter((f) => re.test(f));

for (const stack of ["dev", "prod"] as const) {
  describe(`deploy-role check on the real ${stack} stack (tools/iam, @cloud-copilot/iam-simulate)`, function () {
    this.timeout(180000);
    let run: MockRunResult;
    let report: DeployRoleReport;
    before(async () => {
      run = await declareStack(stack);
      report = await checkDeployRoles(run);
    });

    it("passes: the deploy role can create, read, update and delete every planned resource, the preview role can read them, no escalation path is open", () => {
      assert.deepEqual(report.failures, []);
      assert.equal(report.status, "pass");
      assert.ok(report.deploy && report.preview);
      assert.ok(report.deploy.requests > 100 && report.preview.requests > 50, "it evaluated real requests");
      assert.deepEqual(report.deploy.denied, []);
      assert.deepEqual(
        report.deploy.openEscalationPaths.map((p) => p.id),
        ["update-function-code"],
        "only the accepted residual path (ACCEPTED_ESCALATION_PATHS, documented in docs/monitoring.md)",
      );
    });

    it("lists per planned type what it derived, including the permissions AWS checks beyond the API calls", () => {
      const planned = new Set(run.resources.filter((r) => r.custom && r.type.startsWith("aws:")).map((r) => r.type));
      assert.deepEqual(new Set(report.types.map((t) => t.type)), planned);
      const of = (type: string) => report.types.find((t) => t.type === type)!;
      assert.ok(of("aws:cloudwatch/logDeliverySource:LogDeliverySource").actions.create!.includes("cloudfront:AllowVendedLogDeliveryForResource"));
      assert.ok(of("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration").actions.create!.includes("logs:CreateLogDelivery"));
      assert.ok(of("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration").actions.delete!.includes("logs:DeleteLogDelivery"));
      assert.deepEqual(of("aws:cognito/userGroup:UserGroup").actions, { create: ["cognito-idp:CreateGroup"], read: ["cognito-idp:GetGroup"], update: ["cognito-idp:UpdateGroup"], delete: ["cognito-idp:DeleteGroup"] });
    });
  });
}

describe("deploy-role check fails on what would fail on AWS (dev stack, mutated)", function () {
  this.timeout(300000);
  let run: MockRunResult;
  before(async () => {
    run = await declareStack("dev");
  });

  it("a needed action removed from the deploy role: that action, its type and phase are named", async () => {
    const report = await checkDeployRoles(withoutAction(run, "ci-deploy-", "cloudfront:AllowVendedLogDeliveryForResource"));
    assert.equal(report.status, "fail");
    assert.ok(failuresMatching(report, /^deploy role: aws:cloudwatch\/logDeliverySource:LogDeliverySource needs cloudfront:AllowVendedLogDeliveryForResource on arn:aws:cloudfront::\d+:distribution\/.* \(create/).length);
    const groups = await checkDeployRoles(withoutAction(run, "ci-deploy-", "cognito-idp:CreateGroup"));
    assert.ok(failuresMatching(groups, /aws:cognito\/userGroup:UserGroup needs cognito-idp:CreateGroup/).length);
  });

  it("a read removed from the preview role fails the preview role (what refresh and the drift check read)", async () => {
    const report = await checkDeployRoles(withoutAction(run, "ci-preview-read", "cloudfront:GetDistribution"));
    assert.ok(failuresMatching(report, /^preview role: aws:cloudfront\/distribution:Distribution needs cloudfront:GetDistribution .*\(read/).length, report.failures.join("\n"));
  });

  it("escalation paths added to the deploy role are found", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ Sid: "Wide", Effect: "Allow", Action: "iam:PutRolePolicy", Resource: "*" }, "put-role-policy"],
      [{ Sid: "Wide", Effect: "Allow", Action: "iam:PassRole", Resource: "*" }, "pass-role-lambda"],
      [{ Sid: "Wide", Effect: "Allow", Action: ["iam:CreateRole", "iam:AttachRolePolicy"], Resource: "*", Condition: { StringLike: { "iam:PermissionsBoundary": "*" } } }, "create-role-with-rights"],
      [{ Sid: "Wide", Effect: "Allow", Action: "iam:UpdateAssumeRolePolicy", Resource: "*" }, "update-assume-role-policy"],
      [{ Sid: "Wide", Effect: "Allow", Action: "iam:CreateUser", Resource: "*" }, "none"],
    ];
    for (const [statement, path] of cases) {
      const report = await checkDeployRoles(withStatement(run, statement));
      const open = failuresMatching(report, /privilege-escalation path (\S+) is open/).map((f) => /path (\S+) is open/.exec(f)![1]);
      if (path === "none") assert.ok(!open.some((p) => p.startsWith("create-user")), "CreateUser alone (no rights, no keys) completes no path");
      else assert.ok(open.includes(path), `${JSON.stringify(statement)} opens ${path}; found ${open.join(", ") || "none"}`);
    }
  });

  it("the CI editing its own policies is found once the deny is gone", async () => {
    const mutated = editStatements(run, "ci-deploy-iam", (statements, p) => [
      ...statements.filter((s) => s.Sid !== "DenyChangingTheCiPolicies"),
      ...(p.name === "ci-deploy-iam" ? [{ Sid: "Versions", Effect: "Allow", Action: "iam:CreatePolicyVersion", Resource: "arn:aws:iam::123456789012:policy/*" }] : []),
    ]);
    const report = await checkDeployRoles(mutated);
    assert.ok(failuresMatching(report, /path create-policy-version is open/).length, report.failures.join("\n"));
    assert.ok(failuresMatching(report, /path edit-boundary-policy is open/).length);
  });

  it("a planned type with no table entry fails with a clear message", async () => {
    const mutated = clone(run);
    mutated.resources.push({ urn: "urn:pulumi:dev::mpto::pulumi:pulumi:Stack$aws:ec2/instance:Instance::box", type: "aws:ec2/instance:Instance", name: "box", custom: true, region: "eu-west-2", inputs: {}, outputs: {}, options: {} });
    const report = await checkDeployRoles(mutated);
    assert.deepEqual(report.missingTypes, ["aws:ec2/instance:Instance"]);
    assert.ok(failuresMatching(report, /^aws:ec2\/instance:Instance: no entry in policies\/iam\/actions.ts/).length);
  });

  it("a role the CI creates without the boundary, or granting beyond it, fails", async () => {
    const unbounded = clone(run);
    const role = unbounded.resources.find((r) => r.type === "aws:iam/role:Role" && !r.urn.includes("CiDeployRole"))!;
    delete role.inputs.permissionsBoundary;
    const report = await checkDeployRoles(unbounded);
    assert.ok(failuresMatching(report, new RegExp(`role ${role.name}: no permissions boundary`)).length);
    assert.ok(failuresMatching(report, /deploy role: aws:iam\/role:Role needs iam:CreateRole .*ImplicitlyDenied/).length, "and IAM would refuse CreateRole");

    const beyond = clone(run);
    const inline = beyond.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy")!;
    const doc = JSON.parse(String(inline.inputs.policy));
    doc.Statement.push({ Sid: "Beyond", Effect: "Allow", Action: ["dynamodb:DeleteTable"], Resource: "arn:aws:dynamodb:eu-west-2:123456789012:table/x" });
    inline.inputs.policy = JSON.stringify(doc);
    const capped = await checkDeployRoles(beyond);
    assert.ok(failuresMatching(capped, /grants dynamodb:DeleteTable, which the permissions boundary does not allow/).length, capped.failures.join("\n"));
  });

  it("S3 object actions reach only the stack's own tagged objects: an object without the stack's Environment tag is denied", async () => {
    const mutated = clone(run);
    const object = mutated.resources.find((r) => r.type === "aws:s3/bucketObjectv2:BucketObjectv2");
    if (!object) return assert.fail("the dev plan has an aws_s3_object (the canary's code) to test this with");
    object.inputs.tags = { ...((object.inputs.tags as Record<string, string>) ?? {}), Environment: "prod" };
    const report = await checkDeployRoles(mutated);
    assert.ok(failuresMatching(report, /aws:s3\/bucketObjectv2:BucketObjectv2 needs s3:GetObject .*ImplicitlyDenied/).length, report.failures.join("\n"));
    assert.ok(failuresMatching(report, /^preview role: aws:s3\/bucketObjectv2:BucketObjectv2 needs s3:GetObject/).length);
  });

  it("a KMS key policy that does not let IAM policies apply denies the deploy role (KMS needs both)", async () => {
    const mutated = clone(run);
    const key = mutated.resources.find((r) => r.type === "aws:kms/key:Key")!;
    key.inputs.policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "OnlySomeoneElse", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:role/someone-else" }, Action: "kms:*", Resource: "*" }] });
    const report = await checkDeployRoles(mutated);
    assert.ok(failuresMatching(report, new RegExp(`aws:kms/key:Key needs kms:PutKeyPolicy on ${String(key.outputs.arn)}`)).length, report.failures.slice(0, 5).join("\n"));
  });

  it("the plan section says when a change touches the CI roles, and is quiet when it does not", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ci-roles-"));
    const lock = join(dir, "lock.json");
    writeFileSync(lock, JSON.stringify({ dev: { fingerprint: ciRolesFingerprint(run), recorded: "2026-12-01" } }));
    const context = { stack: "dev", project: "mpto", organization: "organization", config: {}, secretKeys: [] };
    const same = await deployRoleSection(run, context, lock);
    assert.equal(same.value.ciRoles.changed, false);
    assert.ok(!same.diagnostics.some((d) => d.policyName === "ci-roles-change"));
    assert.ok(same.lines.some((l) => /CI roles: unchanged/.test(l)));

    const changed = withoutAction(run, "ci-deploy-edge", "cloudfront:TagResource");
    const section = await deployRoleSection(changed, context, lock);
    assert.equal(section.value.ciRoles.changed, true);
    assert.ok(section.lines.some((l) => /this change touches the CI roles/.test(l)));
    assert.ok(section.lines.some((l) => /pulumi up -s dev --target/.test(l)) && section.lines.some((l) => /npm run iam:record-ci-roles -- dev/.test(l)));
    assert.equal(section.diagnostics.find((d) => d.policyName === "deploy-role-check")?.enforcementLevel, "mandatory", "and the removed action fails the check");
  });
});
