import assert from "node:assert/strict";
import { BASELINE_MANAGED_RULE_GROUPS, WebAcl, WebAclArgs } from "../../../components/edge/WebAcl";
import { EDGE_REGION } from "../../../components/shared/regions";
import type { MockRunResult } from "../../../tools/plan/mockRuntime";
import { declare, oneOf } from "../../support/harness";

async function declareAcl(args: WebAclArgs = {}): Promise<MockRunResult> {
  return declare(() => {
    new WebAcl("waf", args);
  });
}

const ACL = "aws:wafv2/webAcl:WebAcl";

describe("WebAcl component (mpto:edge:WebAcl)", () => {
  let result: MockRunResult;
  let rules: any[];
  before(async () => {
    result = await declareAcl();
    rules = oneOf(result, ACL).inputs.rules as any[];
  });

  it("is a CLOUDFRONT-scope web ACL in us-east-1 that allows by default", () => {
    const acl = oneOf(result, ACL);
    assert.equal(acl.inputs.scope, "CLOUDFRONT");
    assert.equal(acl.region, EDGE_REGION);
    assert.deepEqual(acl.inputs.defaultAction, { allow: {} });
    // WAF's pattern for descriptions (no parentheses, quotes or semicolons).
    assert.match(acl.inputs.description as string, /^[\w+=:#@/\-,.][\w+=:#@/\-,.\s]+[\w+=:#@/\-,.]$/);
  });

  it("runs AWS's IP reputation, known-bad-inputs and common rule groups, then a per-IP rate rule, in that order", () => {
    assert.deepEqual(
      rules.map((r) => [r.priority, r.name]),
      [
        [0, "AWSManagedRulesAmazonIpReputationList"],
        [1, "AWSManagedRulesKnownBadInputsRuleSet"],
        [2, "AWSManagedRulesCommonRuleSet"],
        [3, "RateLimitPerIp"],
      ],
    );
    for (const r of rules.slice(0, 3)) assert.deepEqual(r.statement, { managedRuleGroupStatement: { vendorName: "AWS", name: r.name } });
    assert.deepEqual(BASELINE_MANAGED_RULE_GROUPS, rules.slice(0, 3).map((r) => r.name));
  });

  it("limits each IP to the configured requests per 5 minutes", async () => {
    assert.deepEqual(rules[3].statement, { rateBasedStatement: { aggregateKeyType: "IP", limit: 1000, evaluationWindowSec: 300 } });
    const other = oneOf(await declareAcl({ rateLimit: 2000 }), ACL).inputs.rules as any[];
    assert.equal(other[3].statement.rateBasedStatement.limit, 2000);
  });

  it("block mode: groups keep their own actions and the rate rule blocks", () => {
    for (const r of rules.slice(0, 3)) assert.deepEqual(r.overrideAction, { none: {} });
    assert.deepEqual(rules[3].action, { block: {} });
  });

  it("count mode: every group and the rate rule only count", async () => {
    const counted = oneOf(await declareAcl({ mode: "count" }), ACL).inputs.rules as any[];
    for (const r of counted.slice(0, 3)) assert.deepEqual(r.overrideAction, { count: {} });
    assert.deepEqual(counted[3].action, { count: {} });
  });

  it("refuses an unknown mode", async () => {
    await assert.rejects(declareAcl({ mode: "allow" as never }), /count or block/);
  });

  it("publishes CloudWatch metrics and sampled requests for every rule and for the ACL, under distinct names", () => {
    const acl = oneOf(result, ACL);
    const configs = [...rules.map((r) => r.visibilityConfig), acl.inputs.visibilityConfig as any];
    for (const v of configs) {
      assert.equal(v.cloudwatchMetricsEnabled, true);
      assert.equal(v.sampledRequestsEnabled, true);
      assert.match(v.metricName, /^[\w-]{1,128}$/);
    }
    assert.equal(new Set(configs.map((v) => v.metricName)).size, configs.length);
  });

  it("logs every request to an aws-waf-logs- log group in us-east-1 with retention, redacting credentials", async () => {
    const group = oneOf(result, "aws:cloudwatch/logGroup:LogGroup");
    const logging = oneOf(result, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration");
    assert.equal(group.region, EDGE_REGION);
    assert.equal(logging.region, EDGE_REGION);
    assert.match(group.outputs.name as string, /^aws-waf-logs-/);
    assert.equal(group.inputs.retentionInDays, 30);
    assert.equal(logging.inputs.resourceArn, oneOf(result, ACL).outputs.arn);
    assert.deepEqual(logging.inputs.logDestinationConfigs, [group.outputs.arn]);
    assert.deepEqual(logging.inputs.redactedFields, [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }]);
    const longer = oneOf(await declareAcl({ logRetentionDays: 365 }), "aws:cloudwatch/logGroup:LogGroup");
    assert.equal(longer.inputs.retentionInDays, 365);
  });

  it("stays under 1,500 WCU (no surcharge): 25 + 200 + 700 + 2", () => {
    const wcu: Record<string, number> = { AWSManagedRulesAmazonIpReputationList: 25, AWSManagedRulesKnownBadInputsRuleSet: 200, AWSManagedRulesCommonRuleSet: 700, RateLimitPerIp: 2 };
    assert.ok(rules.reduce((sum, r) => sum + wcu[r.name], 0) <= 1500);
  });
});
