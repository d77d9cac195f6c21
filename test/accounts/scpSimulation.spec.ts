import assert from "node:assert/strict";
import { join } from "node:path";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { CLOUDTRAIL_GUARDED_ACTIONS, GUARDDUTY_GUARDED_ACTIONS, OIDC_PROVIDER_CHANGE_ACTIONS, ROLE_CHANGE_ACTIONS } from "../../components/accounts/serviceControlPolicies";
import { actionName, needsOf, RESOURCE_ACTIONS } from "../../policies/iam/actions";
import { runUnderMocks } from "../../tools/mocks/runtime";
import { loadStackFile } from "../../tools/mocks/stackFile";
import { declareStack, ROOT } from "../support/harness";

/**
 * The organization's SCPs, as the org program declares them, evaluated with an IAM simulator that
 * implements SCP evaluation (@cloud-copilot/iam-simulate, AGPL-3.0-or-later: used by tests only, never
 * shipped or imported by the program or the pack). Every request is made by a principal whose own
 * policy allows everything, so what is denied is denied by the SCPs alone.
 */

const MEMBER_ACCOUNTS = { dev: "111111111111", prod: "222222222222" } as const;
type Stack = keyof typeof MEMBER_ACCOUNTS;

const principals = (stack: Stack) => {
  const account = MEMBER_ACCOUNTS[stack];
  return {
    ordinary: `arn:aws:iam::${account}:role/app-developer`,
    ci: `arn:aws:iam::${account}:role/mpto-${stack}-deploy`,
    ciPreview: `arn:aws:iam::${account}:role/mpto-${stack}-deploy-preview`,
    admin: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`,
    ssoAdmin: `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/eu-west-2/AWSReservedSSO_AdministratorAccess_0123456789abcdef`,
    root: `arn:aws:iam::${account}:root`,
  };
};

type Scp = { name: string; policy: any };
let scps: Scp[] = [];

before(async () => {
  const loaded = loadStackFile(join(ROOT, "org"), "management");
  const { program } = await import("../../org/program");
  const run = await runUnderMocks(program, { project: loaded.project, stack: "management", config: loaded.config, secretKeys: loaded.secretKeys });
  scps = run.resources.filter((r) => r.type === "aws:organizations/policy:Policy").map((r) => ({ name: String(r.inputs.name), policy: JSON.parse(String(r.inputs.content)) }));
  assert.equal(scps.length, 4, "the org program declares four SCPs");
});

/** The decision for one request in a member account under every SCP (plus AWS's default FullAWSAccess) at the root. */
async function decide(stack: Stack, principal: string, action: string, resource: string, region: string): Promise<string> {
  const result = await runSimulation(
    {
      identityPolicies: [{ name: "allow-everything", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } }],
      serviceControlPolicies: [
        {
          orgIdentifier: "r-root",
          policies: [{ name: "FullAWSAccess", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } }, ...scps],
        },
      ],
      resourceControlPolicies: [],
      request: {
        action,
        principal,
        resource: { resource, accountId: MEMBER_ACCOUNTS[stack] },
        contextVariables: { "aws:RequestedRegion": region, "aws:PrincipalArn": principal, "aws:PrincipalAccount": MEMBER_ACCOUNTS[stack] },
      },
    } as Parameters<typeof runSimulation>[0],
    {},
  );
  const r = result as { errors?: unknown; overallResult?: string };
  if (r.errors) throw new Error(`the simulator refused ${action} on ${resource}: ${JSON.stringify(r.errors)}`);
  return String(r.overallResult);
}

const DENIED = "ExplicitlyDenied";
const ALLOWED = "Allowed";

for (const stack of ["dev", "prod"] as const) {
  const account = MEMBER_ACCOUNTS[stack];
  const who = principals(stack);
  const trail = `arn:aws:cloudtrail:eu-west-2:${account}:trail/mpto-${stack}-baseline-trail`;
  const detector = `arn:aws:guardduty:eu-west-2:${account}:detector/0123456789abcdef0123456789abcdef`;
  const ciRole = `arn:aws:iam::${account}:role/mpto-${stack}-deploy`;
  const appRole = `arn:aws:iam::${account}:role/mpto-${stack}-media-upload-role`;
  const githubOidc = `arn:aws:iam::${account}:oidc-provider/token.actions.githubusercontent.com`;

  describe(`service control policies in the ${stack} member account`, () => {
    describe("mpto-deny-leave-organization", () => {
      for (const [label, principal] of [["an ordinary role", who.ordinary], ["the CI role", who.ci], ["the administrators' role", who.admin]] as const) {
        it(`denies organizations:LeaveOrganization to ${label}`, async () => {
          assert.equal(await decide(stack, principal, "organizations:LeaveOrganization", "*", "us-east-1"), DENIED);
        });
      }
    });

    describe("mpto-region-guard", () => {
      const denied: [string, string, string][] = [
        ["s3:CreateBucket", "arn:aws:s3:::mpto-stray-bucket", "eu-west-1"],
        ["ec2:RunInstances", `arn:aws:ec2:us-west-2:${account}:instance/*`, "us-west-2"],
        ["lambda:CreateFunction", `arn:aws:lambda:ap-southeast-1:${account}:function:stray`, "ap-southeast-1"],
        ["dynamodb:CreateTable", `arn:aws:dynamodb:us-east-1:${account}:table/stray`, "us-east-1"],
        ["s3:CreateBucket", "arn:aws:s3:::mpto-stray-bucket", "us-east-1"],
        ["cognito-idp:CreateUserPool", "*", "us-east-1"],
      ];
      for (const [action, resource, region] of denied) {
        for (const [label, principal] of [["an ordinary role", who.ordinary], ["the CI role", who.ci]] as const) {
          it(`denies ${action} in ${region} to ${label}`, async () => {
            assert.equal(await decide(stack, principal, action, resource, region), DENIED);
          });
        }
      }
      const allowed: [string, string, string][] = [
        ["s3:CreateBucket", "arn:aws:s3:::mpto-media", "eu-west-2"],
        ["dynamodb:CreateTable", `arn:aws:dynamodb:eu-west-2:${account}:table/sessions`, "eu-west-2"],
        ["acm:RequestCertificate", "*", "us-east-1"],
        ["wafv2:CreateWebACL", `arn:aws:wafv2:us-east-1:${account}:global/webacl/edge/*`, "us-east-1"],
        ["lambda:CreateFunction", `arn:aws:lambda:us-east-1:${account}:function:edge-headers`, "us-east-1"],
        ["logs:CreateLogDelivery", "*", "us-east-1"],
        ["cloudwatch:PutMetricAlarm", `arn:aws:cloudwatch:us-east-1:${account}:alarm:edge-5xx`, "us-east-1"],
        ["sns:CreateTopic", `arn:aws:sns:us-east-1:${account}:alerts-edge`, "us-east-1"],
        ["kms:CreateKey", "*", "us-east-1"],
        ["guardduty:CreateDetector", "*", "us-east-1"],
        ["events:PutRule", `arn:aws:events:us-east-1:${account}:rule/findings`, "us-east-1"],
        ["iam:CreateRole", `arn:aws:iam::${account}:role/mpto-${stack}-fn-role`, "us-east-1"],
        ["cloudfront:CreateDistribution", "*", "us-east-1"],
        ["route53:ChangeResourceRecordSets", "arn:aws:route53:::hostedzone/Z0EXAMPLE", "us-east-1"],
        ["budgets:ModifyBudget", `arn:aws:budgets::${account}:budget/mpto`, "us-east-1"],
        ["sts:AssumeRoleWithWebIdentity", ciRole, "eu-west-1"],
      ];
      for (const [action, resource, region] of allowed) {
        it(`allows ${action} in ${region} to the CI role`, async () => {
          assert.equal(await decide(stack, who.ci, action, resource, region), ALLOWED);
        });
      }
    });

    describe("mpto-protect-baseline", () => {
      const guarded: [string, string][] = [
        ["cloudtrail:StopLogging", trail],
        ["cloudtrail:DeleteTrail", trail],
        ["cloudtrail:PutEventSelectors", trail],
        ["guardduty:DeleteDetector", detector],
        ["guardduty:UpdateDetector", detector],
        ["iam:AttachRolePolicy", ciRole],
        ["iam:PutRolePolicy", ciRole],
        ["iam:UpdateAssumeRolePolicy", ciRole],
        ["iam:DeleteRolePermissionsBoundary", ciRole],
        ["iam:DeleteOpenIDConnectProvider", githubOidc],
        ["iam:AddClientIDToOpenIDConnectProvider", githubOidc],
      ];
      for (const [action, resource] of guarded) {
        for (const [label, principal] of [["an ordinary role", who.ordinary], ["the CI role", who.ci], ["the CI preview role", who.ciPreview]] as const) {
          it(`denies ${action} to ${label}`, async () => {
            assert.equal(await decide(stack, principal, action, resource, "eu-west-2"), DENIED);
          });
        }
        for (const [label, principal] of [["OrganizationAccountAccessRole", who.admin], ["IAM Identity Center administrators", who.ssoAdmin]] as const) {
          it(`allows ${action} to the administrators (${label})`, async () => {
            assert.equal(await decide(stack, principal, action, resource, "eu-west-2"), ALLOWED);
          });
        }
      }
      it("leaves the CI role free to manage the roles it creates for the stack's functions (their boundary is IAM's job, not the SCP's)", async () => {
        assert.equal(await decide(stack, who.ci, "iam:AttachRolePolicy", appRole, "eu-west-2"), ALLOWED);
        assert.equal(await decide(stack, who.ci, "cloudtrail:DescribeTrails", "*", "eu-west-2"), ALLOWED);
        assert.equal(await decide(stack, who.ci, "guardduty:GetDetector", detector, "eu-west-2"), ALLOWED);
      });
    });

    describe("mpto-deny-root-user", () => {
      it("denies the member account's root user everything", async () => {
        assert.equal(await decide(stack, who.root, "s3:ListAllMyBuckets", "*", "eu-west-2"), DENIED);
        assert.equal(await decide(stack, who.root, "iam:CreateUser", `arn:aws:iam::${account}:user/backdoor`, "us-east-1"), DENIED);
      });
      it("leaves the same requests to other principals", async () => {
        assert.equal(await decide(stack, who.ordinary, "s3:ListAllMyBuckets", "*", "eu-west-2"), ALLOWED);
      });
    });
  });
}

/**
 * Every action the stacks' deploy needs (policies/iam/actions.ts, derived per planned resource) in
 * each member account under the SCPs, as the CI deploy role: allowed, except exactly the baseline
 * changes the SCPs reserve for the administrators (the admin path of docs/accounts.md).
 */
describe("the deploy under the SCPs", () => {
  const GUARDED_BY_TYPE: Record<string, readonly string[]> = {
    "aws:cloudtrail/trail:Trail": CLOUDTRAIL_GUARDED_ACTIONS,
    "aws:guardduty/detector:Detector": GUARDDUTY_GUARDED_ACTIONS,
    "aws:guardduty/detectorFeature:DetectorFeature": GUARDDUTY_GUARDED_ACTIONS,
  };
  const isCiRoleName = (name: unknown) => typeof name === "string" && /^mpto-[a-z0-9-]+-deploy(-preview)?$/.test(name);

  for (const stack of ["dev", "prod"] as const) {
    const account = MEMBER_ACCOUNTS[stack];
    it(`allows the ${stack} deploy every action its planned resources need, but the administrators' baseline changes`, async () => {
      const run = await declareStack(stack);
      const requests = new Map<string, { action: string; resource: string; region: string; reservedForAdmins: boolean; type: string }>();
      for (const r of run.resources.filter((x) => x.custom)) {
        const entry = RESOURCE_ACTIONS[r.type];
        if (!entry) continue; // types without AWS calls; the deploy-role check fails on unknown types itself
        const region = entry.globalRegion ?? r.region ?? "eu-west-2";
        for (const need of needsOf(r.type, r.inputs)) {
          const action = actionName(need);
          let resource = "*";
          let reservedForAdmins = (GUARDED_BY_TYPE[r.type] ?? []).includes(action);
          if (r.type === "aws:iam/role:Role" && typeof r.inputs.name === "string" && action.startsWith("iam:")) {
            resource = `arn:aws:iam::${account}:role/${r.inputs.name}`;
            reservedForAdmins ||= isCiRoleName(r.inputs.name) && (ROLE_CHANGE_ACTIONS as readonly string[]).includes(action);
          }
          if (r.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider" && String(r.inputs.url ?? "").includes("token.actions.githubusercontent.com") && action.startsWith("iam:")) {
            resource = `arn:aws:iam::${account}:oidc-provider/token.actions.githubusercontent.com`;
            reservedForAdmins ||= (OIDC_PROVIDER_CHANGE_ACTIONS as readonly string[]).includes(action);
          }
          requests.set(`${action} ${resource} ${region}`, { action, resource, region, reservedForAdmins, type: r.type });
        }
      }
      assert.ok(requests.size > 100, `derived ${requests.size} requests`);
      const unexpected: string[] = [];
      const reserved: string[] = [];
      for (const q of requests.values()) {
        const decision = await decide(stack, principals(stack).ci, q.action, q.resource, q.region);
        if (q.reservedForAdmins) {
          reserved.push(q.action);
          if (decision !== DENIED) unexpected.push(`${q.action} (${q.type}) in ${q.region} is ${decision}, but the SCPs reserve it for the administrators`);
        } else if (decision !== ALLOWED) unexpected.push(`${q.action} (${q.type}) on ${q.resource} in ${q.region} is ${decision}`);
      }
      assert.deepEqual(unexpected, []);
      // The baseline is in both stacks (each member account owns its own), so each has admin-only changes.
      assert.ok(reserved.some((a) => a.startsWith("cloudtrail:")) && reserved.some((a) => a.startsWith("guardduty:")), `reserved: ${reserved.join(", ")}`);
    });
  }
});
