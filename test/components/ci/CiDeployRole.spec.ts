import assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CiDeployRole } from "../../../components/ci/CiDeployRole";
import { actionsByService, DEFAULT_DEPLOY_TYPES, GITHUB_OIDC_HOST, iamDeployStatements, previewActions, tableConditionValues } from "../../../components/ci/deployPolicies";
import { PHASES } from "../../../policies/iam/actions";
import { EDGE_REGION, PRIMARY_REGION } from "../../../components/shared/regions";
import { MOCK_ACCOUNT_ID } from "../../../tools/mocks/state";
import { declare, named, ofType } from "../../support/harness";
import type { MockRunResult, RecordedResource } from "../../../tools/mocks/runtime";

const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const statementsOf = (r: RecordedResource, key = "policy"): any[] => JSON.parse(r.inputs[key] as string).Statement;

/** Policies attached to a role (through RolePolicyAttachment). */
function attachedPolicies(run: MockRunResult, role: RecordedResource): RecordedResource[] {
  const arns = ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    .filter((a) => a.inputs.role === role.outputs.name)
    .map((a) => a.inputs.policyArn);
  return ofType(run, "aws:iam/policy:Policy").filter((p) => arns.includes(p.outputs.arn));
}

/** Asserts IAM.1 / IAM.21 style rules on every Allow statement. */
function assertNoWildcardGrants(statements: any[], where: string): void {
  for (const s of statements) {
    const actions = asList<string>(s.Action);
    assert.ok(!actions.includes("*"), `${where} ${s.Sid}: no "*" action`);
    for (const a of actions) assert.doesNotMatch(a, /^[a-z0-9-]+:\*$/, `${where} ${s.Sid}: no whole-service wildcard (${a})`);
  }
}

describe("CiDeployRole (mpto:ci:CiDeployRole)", () => {
  let run: MockRunResult;
  before(async () => {
    run = await declare(() => new CiDeployRole("ci", { repository: "my-org/mpto-aws", githubEnvironment: "prod", roleName: "mpto-prod-deploy", createOidcProvider: true }));
  });

  it("creates GitHub's OIDC provider for the sts.amazonaws.com audience when asked", () => {
    const provider = ofType(run, "aws:iam/openIdConnectProvider:OpenIdConnectProvider");
    assert.equal(provider.length, 1);
    assert.equal(provider[0].inputs.url, `https://${GITHUB_OIDC_HOST}`);
    assert.deepEqual(provider[0].inputs.clientIdLists, ["sts.amazonaws.com"]);
  });

  it("trusts only the repository's jobs in the stack's GitHub Environment, by exact subject and audience", () => {
    const role = named(run, "ci-deploy");
    assert.equal(role.inputs.name, "mpto-prod-deploy");
    const [trust, ...rest] = statementsOf(role, "assumeRolePolicy");
    assert.equal(rest.length, 0);
    assert.equal(trust.Action, "sts:AssumeRoleWithWebIdentity");
    assert.equal(trust.Principal.Federated, ofType(run, "aws:iam/openIdConnectProvider:OpenIdConnectProvider")[0].outputs.arn);
    assert.deepEqual(Object.keys(trust.Condition), ["StringEquals"], "exact match only, no StringLike wildcards");
    assert.equal(trust.Condition.StringEquals[`${GITHUB_OIDC_HOST}:sub`], "repo:my-org/mpto-aws:environment:prod");
    assert.equal(trust.Condition.StringEquals[`${GITHUB_OIDC_HOST}:aud`], "sts.amazonaws.com");
  });

  it("trusts the preview role to the <env>-preview environment the preview workflow uses", () => {
    const [trust] = statementsOf(named(run, "ci-preview"), "assumeRolePolicy");
    assert.equal(trust.Condition.StringEquals[`${GITHUB_OIDC_HOST}:sub`], "repo:my-org/mpto-aws:environment:prod-preview");
    assert.equal(named(run, "ci-preview").inputs.name, "mpto-prod-deploy-preview");
  });

  it("grants no * action, no whole-service wildcard and attaches no AWS managed policy (no AdministratorAccess)", () => {
    for (const p of ofType(run, "aws:iam/policy:Policy")) assertNoWildcardGrants(statementsOf(p), p.name);
    for (const a of ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")) {
      assert.doesNotMatch(String(a.inputs.policyArn), /^arn:aws:iam::aws:policy\//, `${a.name} attaches a customer policy`);
    }
    assert.equal(ofType(run, "aws:iam/rolePolicy:RolePolicy").length, 0);
  });

  it("keeps each managed policy under IAM's 6,144-character limit", () => {
    for (const p of ofType(run, "aws:iam/policy:Policy")) {
      const size = (p.inputs.policy as string).replace(/\s/g, "").length;
      assert.ok(size <= 6144, `${p.name} is ${size} characters`);
    }
  });

  it("limits service actions to eu-west-2 and us-east-1 (where global services answer)", () => {
    for (const p of attachedPolicies(run, named(run, "ci-deploy"))) {
      for (const s of statementsOf(p).filter((x) => x.Effect === "Allow" && asList<string>(x.Resource).includes("*") && x.Action !== "sts:GetCallerIdentity")) {
        assert.deepEqual(s.Condition.StringEquals["aws:RequestedRegion"], [PRIMARY_REGION, EDGE_REGION], `${p.name} ${s.Sid}`);
      }
    }
  });

  it("scopes IAM: bounded roles in the managed path, passes only managed roles, denies changing the CI roles, policies, boundaries and GitHub provider", () => {
    const statements = attachedPolicies(run, named(run, "ci-deploy"))
      .filter((p) => /^ci-deploy-iam(-\d+)?$/.test(p.name))
      .flatMap((p) => statementsOf(p));
    const boundaryArn = named(run, "ci-boundary").outputs.arn;
    for (const s of statements.filter((x) => asList<string>(x.Action).some((a) => a.startsWith("iam:")) && x.Effect === "Allow")) {
      for (const r of asList<string>(s.Resource)) assert.match(r, new RegExp(`^arn:aws:iam::${MOCK_ACCOUNT_ID}:`), `${s.Sid} resource ${r}`);
    }
    const bounded = statements.find((s) => s.Sid === "BoundedRoles");
    assert.ok(asList<string>(bounded.Action).includes("iam:CreateRole") && asList<string>(bounded.Action).includes("iam:PutRolePolicy") && asList<string>(bounded.Action).includes("iam:AttachRolePolicy"));
    assert.equal(bounded.Resource, `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/mpto-prod-deploy/*`);
    assert.equal(bounded.Condition.StringEquals["iam:PermissionsBoundary"], boundaryArn);
    for (const s of statements.filter((x) => x.Effect === "Allow" && x.Sid !== "BoundedRoles")) {
      for (const a of ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:DeleteRolePermissionsBoundary", "iam:SetDefaultPolicyVersion"]) assert.ok(!asList<string>(s.Action).includes(a), `${s.Sid} grants ${a} without the boundary`);
    }
    const pass = statements.find((s) => s.Action === "iam:PassRole");
    assert.equal(pass.Resource, `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/mpto-prod-deploy/*`, "only roles the CI created (all bounded)");
    assert.deepEqual(pass.Condition.StringEquals["iam:PassedToService"], tableConditionValues(DEFAULT_DEPLOY_TYPES, "passedToService"));
    const deny = (sid: string) => statements.find((s) => s.Sid === sid && s.Effect === "Deny");
    assert.deepEqual(deny("DenyChangingTheCiRoles").Resource, [`arn:aws:iam::${MOCK_ACCOUNT_ID}:role/mpto-prod-deploy`, `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/mpto-prod-deploy-preview`, `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/mpto-prod-deploy-invalidate`]);
    assert.ok(asList<string>(deny("DenyChangingTheCiRoles").Action).includes("iam:PutRolePolicy") && asList<string>(deny("DenyChangingTheCiRoles").Action).includes("iam:UpdateAssumeRolePolicy"));
    assert.equal(deny("DenyChangingTheCiPolicies").Resource, `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy/mpto-prod-deploy-*`);
    assert.ok(asList<string>(deny("DenyChangingTheCiPolicies").Action).includes("iam:CreatePolicyVersion"));
    for (const p of ofType(run, "aws:iam/policy:Policy")) assert.match(String(p.inputs.name), /^mpto-prod-deploy-/, `${p.name} is covered by the deny (named with the role's prefix)`);
    assert.deepEqual(asList<string>(deny("DenyRemovingBoundaries").Action), ["iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"]);
    assert.equal(deny("DenyChangingTheGitHubProvider").Resource, `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/${GITHUB_OIDC_HOST}`);
  });

  it("derives the deploy role's service actions from the action table (policies/iam/actions.ts), exactly", () => {
    const granted = new Set(attachedPolicies(run, named(run, "ci-deploy")).flatMap((p) => statementsOf(p).filter((s) => s.Effect === "Allow").flatMap((s) => asList<string>(s.Action))));
    const wanted = [...actionsByService(DEFAULT_DEPLOY_TYPES, PHASES, true).entries()].filter(([svc]) => svc !== "iam").flatMap(([, a]) => a);
    for (const a of wanted) assert.ok(granted.has(a), `deploy role lacks ${a}`);
    const extra = [...granted].filter((a) => !a.startsWith("iam:") && !wanted.includes(a));
    assert.deepEqual(extra, [], "no action the table does not ask for");
  });

  it("gives the boundary runtime actions only: no IAM beyond passing a role to MediaConvert, no Organizations, no STS role assumption", () => {
    const boundary = statementsOf(named(run, "ci-boundary"));
    const actions = boundary.flatMap((s) => asList<string>(s.Action));
    assert.deepEqual(actions.filter((a) => a.startsWith("iam:")), ["iam:PassRole"]);
    assert.equal(boundary.find((s) => asList<string>(s.Action).includes("iam:PassRole")).Condition.StringEquals["iam:PassedToService"], "mediaconvert.amazonaws.com");
    assert.ok(!actions.some((a) => /^(organizations|sts:AssumeRole|kms:(Create|Put|Schedule))/.test(a)));
    assert.equal(named(run, "ci-boundary").inputs.name, "mpto-prod-deploy-boundary");
  });

  it("managedRoleTransformation gives roles the boundary and the managed path, and leaves an explicit boundary alone", async () => {
    const result = await declare(() => {
      const ci = new CiDeployRole("ci", { repository: "o/r", githubEnvironment: "dev", roleName: "mpto-dev-deploy" });
      const holder = new pulumi.ComponentResource("test:index:Holder", "holder", {}, { transformations: [ci.managedRoleTransformation] });
      new aws.iam.Role("holder-fn", { assumeRolePolicy: "{}" }, { parent: holder });
      new aws.iam.Role("holder-own", { assumeRolePolicy: "{}", permissionsBoundary: "arn:aws:iam::111122223333:policy/other" }, { parent: holder });
    });
    const boundary = named(result, "ci-boundary").outputs.arn;
    assert.equal(named(result, "holder-fn").inputs.permissionsBoundary, boundary);
    assert.equal(named(result, "holder-fn").inputs.path, "/mpto-dev-deploy/");
    assert.match(String(named(result, "holder-fn").outputs.arn), /:role\/mpto-dev-deploy\/holder-fn/);
    assert.equal(named(result, "holder-own").inputs.permissionsBoundary, "arn:aws:iam::111122223333:policy/other");
    assert.equal(named(result, "ci-deploy").inputs.permissionsBoundary, undefined, "the CI roles themselves are not bounded by their own boundary");
  });

  it("refuses an IAM action it has no scope for, and a type the table does not know", () => {
    const scope = { iamArn: (s: string) => `arn:aws:iam::1:${s}`, managedPath: "/p/", boundaryArn: "arn:aws:iam::1:policy/b", ciRoleArns: [], ciPolicyPrefix: "p-" };
    assert.throws(() => iamDeployStatements(["iam:CreateAccessKey"], [], [], scope), /no scope decided for iam:CreateAccessKey/);
    assert.throws(() => new CiDeployRole("x", { repository: "o/r", githubEnvironment: "dev", roleName: "d", resourceTypes: ["aws:ec2/instance:Instance"] }), /no entry in policies\/iam\/actions.ts for aws:ec2\/instance:Instance/);
  });

  it("covers every service the stacks deploy", () => {    const actions = new Set(attachedPolicies(run, named(run, "ci-deploy")).flatMap((p) => statementsOf(p).flatMap((s) => asList<string>(s.Action))));
    const prefixes = new Set([...actions].map((a) => a.split(":")[0]));
    for (const service of ["cloudfront", "wafv2", "acm", "route53", "s3", "lambda", "sqs", "ses", "cognito-idp", "dynamodb", "sns", "kms", "cloudwatch", "logs", "events", "cloudtrail", "guardduty", "budgets", "ce", "iam", "sts"]) {
      assert.ok(prefixes.has(service), `deploy role can manage ${service}`);
    }
  });

  it("gives the preview role reads of configuration only: no writes, and no data reads beyond the stack's own tagged objects", () => {
    const [policy] = attachedPolicies(run, named(run, "ci-preview"));
    const statements = statementsOf(policy);
    const actions = statements.flatMap((s) => asList<string>(s.Action));
    for (const a of actions) {
      const verb = a.split(":")[1];
      assert.match(verb, /^(Get|List|Describe|View)/, `${a} is a read`);
    }
    const untagged = statements.filter((s) => s.Sid !== "StackObjects").flatMap((s) => asList<string>(s.Action));
    for (const dataRead of ["s3:GetObject", "dynamodb:GetItem", "logs:GetLogEvents", "cognito-idp:ListUsers", "kms:Decrypt", "s3:Get*", "dynamodb:Get*", "logs:Get*"]) {
      assert.ok(!untagged.includes(dataRead), `preview cannot ${dataRead}`);
    }
    // Refreshing an aws_s3_object reads it (HeadObject): only objects tagged with the stack's Environment.
    const objects = statements.find((s) => s.Sid === "StackObjects");
    assert.deepEqual(objects.Condition.StringEquals["s3:ExistingObjectTag/Environment"], "prod");
    for (const a of previewActions(DEFAULT_DEPLOY_TYPES)) assert.ok(actions.includes(a), `preview role lacks the read ${a} (table read phase)`);
  });

  it("reuses a given OIDC provider, or the account's standard one, instead of creating it", async () => {
    const given = "arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com";
    const reuse = await declare(() => new CiDeployRole("ci", { repository: "o/r", githubEnvironment: "dev", roleName: "d", oidcProviderArn: given }));
    assert.equal(ofType(reuse, "aws:iam/openIdConnectProvider:OpenIdConnectProvider").length, 0);
    assert.equal(statementsOf(named(reuse, "ci-deploy"), "assumeRolePolicy")[0].Principal.Federated, given);

    const derived = await declare(() => new CiDeployRole("ci", { repository: "o/r", githubEnvironment: "dev", roleName: "d", previewRole: false }));
    assert.equal(ofType(derived, "aws:iam/openIdConnectProvider:OpenIdConnectProvider").length, 0);
    assert.equal(statementsOf(named(derived, "ci-deploy"), "assumeRolePolicy")[0].Principal.Federated, `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/${GITHUB_OIDC_HOST}`);
    assert.equal(ofType(derived, "aws:iam/role:Role").length, 1, "no preview role when turned off");
  });

  it("with a self-managed state bucket, reads and writes that bucket's objects and nothing else's", async () => {
    const withState = await declare(() => new CiDeployRole("ci", { repository: "o/r", githubEnvironment: "dev", roleName: "d", stateBucketName: "mpto-pulumi-state" }));
    const statements = ofType(withState, "aws:iam/policy:Policy").flatMap((p) => statementsOf(p));
    const objects = statements.filter((s) => s.Sid === "PulumiStateObjects");
    assert.equal(objects.length, 2, "deploy and preview roles");
    for (const s of objects) assert.equal(s.Resource, "arn:aws:s3:::mpto-pulumi-state/*");
    const boundaryStatements = statementsOf(named(withState, "ci-boundary"));
    const others = statements.filter((s) => s.Sid !== "PulumiStateObjects" && !boundaryStatements.some((b) => b.Sid === s.Sid) && asList<string>(s.Action).includes("s3:GetObject"));
    assert.ok(others.every((s) => s.Sid === "StackObjects" && s.Condition.StringEquals["s3:ExistingObjectTag/Environment"] === "dev"), "besides the state statements (and the runtime boundary, a ceiling) only the stack's own tagged objects");
    assert.equal(ofType(run, "aws:iam/policy:Policy").flatMap((p) => statementsOf(p)).filter((s) => s.Sid === "PulumiStateObjects").length, 0, "none with Pulumi Cloud");
  });
});
