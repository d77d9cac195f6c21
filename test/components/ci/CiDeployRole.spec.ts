import assert from "node:assert/strict";
import { CiDeployRole, GITHUB_OIDC_HOST } from "../../../components/ci/CiDeployRole";
import { EDGE_REGION, PRIMARY_REGION } from "../../../components/shared/regions";
import { MOCK_ACCOUNT_ID } from "../../../tools/plan/mockState";
import { declare, named, ofType } from "../../support/harness";
import type { MockRunResult, RecordedResource } from "../../../tools/plan/mockRuntime";

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

  it("scopes IAM to this account's roles, policies and GitHub provider, passes roles only to Lambda, and cannot change the CI roles", () => {
    const iam = attachedPolicies(run, named(run, "ci-deploy")).find((p) => p.name === "ci-deploy-iam")!;
    const statements = statementsOf(iam);
    for (const s of statements.filter((x) => asList<string>(x.Action).some((a) => a.startsWith("iam:")) && x.Effect === "Allow")) {
      for (const r of asList<string>(s.Resource)) assert.match(r, new RegExp(`^arn:aws:iam::${MOCK_ACCOUNT_ID}:`), `${s.Sid} resource ${r}`);
    }
    const pass = statements.find((s) => s.Action === "iam:PassRole");
    assert.deepEqual(pass.Condition.StringEquals["iam:PassedToService"], ["lambda.amazonaws.com", "edgelambda.amazonaws.com"]);
    const deny = statements.find((s) => s.Sid === "DenyChangingTheCiRoles");
    assert.equal(deny.Effect, "Deny");
    assert.deepEqual(deny.Resource, [`arn:aws:iam::${MOCK_ACCOUNT_ID}:role/mpto-prod-deploy`, `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/mpto-prod-deploy-preview`]);
    assert.ok(asList<string>(deny.Action).includes("iam:PutRolePolicy") && asList<string>(deny.Action).includes("iam:UpdateAssumeRolePolicy"));
  });

  it("covers every service the stacks deploy", () => {
    const actions = new Set(attachedPolicies(run, named(run, "ci-deploy")).flatMap((p) => statementsOf(p).flatMap((s) => asList<string>(s.Action))));
    const prefixes = new Set([...actions].map((a) => a.split(":")[0]));
    for (const service of ["cloudfront", "wafv2", "acm", "route53", "s3", "lambda", "sqs", "ses", "cognito-idp", "dynamodb", "sns", "kms", "cloudwatch", "logs", "events", "cloudtrail", "guardduty", "budgets", "ce", "iam", "sts"]) {
      assert.ok(prefixes.has(service), `deploy role can manage ${service}`);
    }
  });

  it("gives the preview role reads of configuration only: no writes and no data reads", () => {
    const [policy] = attachedPolicies(run, named(run, "ci-preview"));
    const actions = statementsOf(policy).flatMap((s) => asList<string>(s.Action));
    for (const a of actions) {
      const verb = a.split(":")[1];
      assert.match(verb, /^(Get|List|Describe|View)/, `${a} is a read`);
    }
    for (const dataRead of ["s3:GetObject", "dynamodb:GetItem", "logs:GetLogEvents", "cognito-idp:ListUsers", "kms:Decrypt", "s3:Get*", "dynamodb:Get*", "logs:Get*"]) {
      assert.ok(!actions.includes(dataRead), `preview cannot ${dataRead}`);
    }
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
    assert.ok(!statements.some((s) => s.Sid !== "PulumiStateObjects" && asList<string>(s.Action).includes("s3:GetObject")));
    assert.equal(ofType(run, "aws:iam/policy:Policy").flatMap((p) => statementsOf(p)).filter((s) => s.Sid === "PulumiStateObjects").length, 0, "none with Pulumi Cloud");
  });
});
