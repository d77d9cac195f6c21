import assert from "node:assert/strict";
import { AppRuntimeRole, AppRuntimeRoleArgs, mediaUploadStatement, vercelSubject } from "../../../components/app/AppRuntimeRole";
import { SESSION_DATA_CONTEXT } from "../../../functions/sessions/schema";
import type { MockRunResult, RecordedResource } from "../../../tools/mocks/runtime";
import { declare, declareStack, named, ofType, oneOf } from "../../support/harness";

const ROLE = "aws:iam/role:Role";
const KEY = "aws:kms/key:Key";
const PROVIDER = "aws:iam/openIdConnectProvider:OpenIdConnectProvider";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";

type Doc = { Statement: { Sid?: string; Effect: string; Principal?: any; Action: string | string[]; Resource?: unknown; Condition?: any }[] };
const doc = (json: unknown): Doc => JSON.parse(String(json));
const actions = (s: Doc["Statement"][number]) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

const base: AppRuntimeRoleArgs = { vercelTeamSlug: "acme-tutors", vercelProjectName: "mpto-web", sessionTableName: "sessions-table-1234" };

function declareRole(args: Partial<AppRuntimeRoleArgs> = {}): Promise<MockRunResult> {
  return declare(() => {
    new AppRuntimeRole("app", { ...base, ...args });
  });
}

describe("AppRuntimeRole (mpto:app:AppRuntimeRole) under mocks", () => {
  describe("with defaults", () => {
    let r: MockRunResult;
    before(async () => {
      r = await declareRole({
        policyDocuments: { sessions: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:eu-west-2:1:table/t" }] }) },
        statements: { media: [mediaUploadStatement("arn:aws:s3:::media-bucket")] },
      });
    });

    it("creates the IAM OIDC provider of the team's Vercel issuer, with the team audience", () => {
      const p = oneOf(r, PROVIDER);
      assert.equal(p.name, "app-vercel-oidc");
      assert.equal(p.inputs.url, "https://oidc.vercel.com/acme-tutors");
      assert.deepEqual(p.inputs.clientIdLists, ["https://vercel.com/acme-tutors"]);
      assert.equal(p.parent, oneOf(r, "mpto:app:AppRuntimeRole").urn);
    });

    it("trusts only AssumeRoleWithWebIdentity from that provider, with aud and sub pinned to the project's production environment", () => {
      const trust = doc(oneOf(r, ROLE).inputs.assumeRolePolicy);
      assert.equal(trust.Statement.length, 1);
      const [s] = trust.Statement;
      assert.equal(s.Effect, "Allow");
      assert.equal(s.Action, "sts:AssumeRoleWithWebIdentity");
      assert.equal(s.Principal.Federated, oneOf(r, PROVIDER).outputs.arn);
      assert.deepEqual(s.Condition, {
        StringEquals: {
          "oidc.vercel.com/acme-tutors:aud": "https://vercel.com/acme-tutors",
          "oidc.vercel.com/acme-tutors:sub": "owner:acme-tutors:project:mpto-web:environment:production",
        },
      });
      assert.equal(oneOf(r, ROLE).inputs.maxSessionDuration, 3600);
    });

    it("has a rotating session data key that the account administers but only this role may use, with the session context of its table", () => {
      const key = oneOf(r, KEY);
      assert.equal(key.name, "app-session-key");
      assert.equal(key.inputs.enableKeyRotation, true);
      assert.equal(key.inputs.deletionWindowInDays, 30);
      const policy = doc(key.inputs.policy);
      const admin = policy.Statement.find((s) => s.Sid === "AdministerWithoutUse")!;
      assert.match(admin.Principal.AWS, /^arn:aws:iam::\d{12}:root$/);
      for (const forbidden of ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:CreateGrant", "kms:*"]) {
        assert.ok(!actions(admin).includes(forbidden), `the account statement grants ${forbidden}`);
      }
      assert.ok(!actions(admin).some((a) => a.includes("*")), "no wildcard administration (kms:Create* would include CreateGrant)");
      const use = policy.Statement.filter((s) => actions(s).includes("kms:Decrypt"));
      assert.equal(use.length, 1, "one statement may decrypt");
      assert.equal(use[0].Principal.AWS, oneOf(r, ROLE).outputs.arn, "and its principal is the app role only");
      assert.deepEqual(actions(use[0]).sort(), ["kms:Decrypt", "kms:GenerateDataKey"]);
      assert.deepEqual(use[0].Condition, {
        StringEquals: { [`kms:EncryptionContext:${SESSION_DATA_CONTEXT.purposeKey}`]: "session-data", [`kms:EncryptionContext:${SESSION_DATA_CONTEXT.tableKey}`]: "sessions-table-1234" },
      });
      assert.equal(oneOf(r, "aws:kms/alias:Alias").inputs.namePrefix, "alias/app-session-data-");
    });

    it("attaches exactly the given documents and statements, one inline policy each, and nothing for the key", () => {
      const policies = ofType(r, ROLE_POLICY);
      assert.deepEqual(policies.map((p) => p.name).sort(), ["app-media", "app-sessions"]);
      for (const p of policies) assert.equal(p.inputs.role, oneOf(r, ROLE).outputs.name);
      assert.deepEqual(doc(named(r, "app-sessions").inputs.policy).Statement, [{ Effect: "Allow", Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:eu-west-2:1:table/t" }]);
      assert.deepEqual(doc(named(r, "app-media").inputs.policy).Statement, [
        { Sid: "PresignMediaUploads", Effect: "Allow", Action: "s3:PutObject", Resource: ["arn:aws:s3:::media-bucket/videos/*", "arn:aws:s3:::media-bucket/images/*"] },
      ]);
      assert.ok(!policies.some((p) => doc(p.inputs.policy).Statement.some((st) => actions(st).some((a) => a.startsWith("kms:")))), "no IAM grant on the key: only its key policy grants use")
    });

    it("creates no access key or user anywhere", () => {
      assert.deepEqual(r.resources.filter((x) => /iam\/(accessKey|user)/.test(x.type)), []);
    });
  });

  it("lists several environments as any-of subjects, and reuses a given OIDC provider", async () => {
    const arn = "arn:aws:iam::123456789012:oidc-provider/oidc.vercel.com/acme-tutors";
    const r = await declareRole({ vercelEnvironments: ["preview", "development"], oidcProviderArn: arn });
    assert.equal(ofType(r, PROVIDER).length, 0);
    const [s] = doc(oneOf(r, ROLE).inputs.assumeRolePolicy).Statement;
    assert.equal(s.Principal.Federated, arn);
    assert.deepEqual(s.Condition.StringEquals["oidc.vercel.com/acme-tutors:sub"], [vercelSubject("acme-tutors", "mpto-web", "preview"), vercelSubject("acme-tutors", "mpto-web", "development")]);
  });

  it("refuses a bad team, project, environment list, session limit or policy name before declaring anything", async () => {
    for (const bad of [
      { vercelTeamSlug: "Acme" },
      { vercelTeamSlug: "acme/other" },
      { vercelTeamSlug: "" },
      { vercelProjectName: "web:*" },
      { vercelEnvironments: [] },
      { vercelEnvironments: ["*"] },
      { vercelEnvironments: ["production", "prev:iew"] },
      { maxSessionDurationSeconds: 60 },
      { maxSessionDurationSeconds: 50_000 },
      { policyDocuments: { mail: "{}" }, statements: { mail: [] } },
      { statements: { "Bad Name": [] } },
    ] as Partial<AppRuntimeRoleArgs>[]) {
      await assert.rejects(declareRole(bad), /AppRuntimeRole app/, JSON.stringify(bad));
    }
  });
});

describe("AppRuntimeRole in the real stacks (composition)", () => {
  const vercel = { "mpto:vercelTeamSlug": "myprivatetutoronline", "mpto:vercelProjectName": "mpto-web" };
  const withVercel = async (stack: "dev" | "prod", extra: Record<string, string> = {}) => declareStack(stack, { ...vercel, ...extra });
  const policyOf = (r: MockRunResult, name: string) => doc(named(r, name).inputs.policy).Statement;

  it("gives the role the session, metric, mail and media statements the components export, and outputs the role and key", async () => {
    const r = await withVercel("prod");
    const role = ofType(r, ROLE).find((x) => x.name === "app-role")!;
    assert.ok(role, "prod has the app role");
    assert.deepEqual(ofType(r, ROLE_POLICY).filter((p) => p.inputs.role === role.outputs.name).map((p) => p.name).sort(), ["app-mail", "app-media", "app-metrics", "app-sessions"]);
    const sessions = policyOf(r, "app-sessions");
    assert.deepEqual(sessions.map((s) => s.Sid), ["SessionItems", "SessionsOfUser"]);
    assert.deepEqual(policyOf(r, "app-metrics")[0].Condition, { StringEquals: { "cloudwatch:namespace": "MPTO/Business" } });
    const [mail] = policyOf(r, "app-mail");
    assert.deepEqual(actions(mail), ["ses:SendEmail", "ses:SendRawEmail"]);
    assert.deepEqual(mail.Condition, { StringEquals: { "ses:FromAddress": "bookings@myprivatetutoronline.com" } });
    const key = ofType(r, KEY).find((k) => k.name === "app-session-key")!;
    const table = ofType(r, "aws:dynamodb/table:Table").find((t) => t.name === "sessions-table")!;
    const use = doc(key.inputs.policy).Statement.find((s) => actions(s).includes("kms:Decrypt"))!;
    assert.equal(use.Condition.StringEquals[`kms:EncryptionContext:${SESSION_DATA_CONTEXT.tableKey}`], table.outputs.name, "the key opens only this stack's table's sessions");
    assert.equal(r.stackOutputs.appRuntimeRoleArn, role.outputs.arn);
    assert.equal(r.stackOutputs.sessionDataKeyArn, key.outputs.arn);
    const [s] = doc(role.inputs.assumeRolePolicy).Statement;
    assert.equal(s.Condition.StringEquals["oidc.vercel.com/myprivatetutoronline:sub"], "owner:myprivatetutoronline:project:mpto-web:environment:production");
  });

  it("carries the CI permissions boundary when the stack has CI roles (the deploy role may only create bounded roles)", async () => {
    const r = await withVercel("dev", { "mpto:vercelEnvironments": JSON.stringify(["preview"]) });
    const role = ofType(r, ROLE).find((x) => x.name === "app-role")!;
    assert.ok(role.inputs.permissionsBoundary, "the managed-role transformation gave it the boundary");
    const [s] = doc(role.inputs.assumeRolePolicy).Statement;
    assert.equal(s.Condition.StringEquals["oidc.vercel.com/myprivatetutoronline:sub"], "owner:myprivatetutoronline:project:mpto-web:environment:preview");
  });

  it("is absent without a Vercel team, and the config refuses a team without a project", async () => {
    const r = await declareStack("dev", { "mpto:vercelTeamSlug": undefined, "mpto:vercelProjectName": undefined });
    assert.equal(r.resources.filter((x: RecordedResource) => x.type === "mpto:app:AppRuntimeRole").length, 0);
    assert.equal(r.stackOutputs.appRuntimeRoleArn, undefined);
    await assert.rejects(declareStack("dev", { "mpto:vercelTeamSlug": "myprivatetutoronline", "mpto:vercelProjectName": undefined }), /vercelProjectName/);
  });
});
