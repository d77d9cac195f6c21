import assert from "node:assert/strict";
import { BASELINE_MANAGED_RULE_GROUPS, RATE_LIMIT_EXCLUDED_PREFIXES, SIGN_IN_PATH_PREFIXES, WebAcl, WebAclArgs } from "../../../components/edge/WebAcl";
import { EDGE_REGION } from "../../../components/shared/regions";
import type { MockRunResult } from "../../../tools/mocks/runtime";
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

  it("runs AWS's IP reputation, known-bad-inputs and common rule groups, then a per-IP rate rule and a sign-in rate rule, in that order", () => {
    assert.deepEqual(
      rules.map((r) => [r.priority, r.name]),
      [
        [0, "AWSManagedRulesAmazonIpReputationList"],
        [1, "AWSManagedRulesKnownBadInputsRuleSet"],
        [2, "AWSManagedRulesCommonRuleSet"],
        [3, "RateLimitPerIp"],
        [4, "RateLimitSignIn"],
      ],
    );
    for (const r of rules.slice(0, 2)) assert.deepEqual(r.statement, { managedRuleGroupStatement: { vendorName: "AWS", name: r.name } });
    assert.deepEqual(BASELINE_MANAGED_RULE_GROUPS, rules.slice(0, 3).map((r) => r.name));
  });

  it("counts, not blocks, the Common Rule Set's 8 KB body-size rule (Server Actions and long forms), and nothing else of the group", () => {
    assert.deepEqual(rules[2].statement, {
      managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesCommonRuleSet", ruleActionOverrides: [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }] },
    });
    assert.deepEqual(rules[2].overrideAction, { none: {} }, "the rest of the group still blocks");
  });

  /** The path prefixes a scope-down statement matches with STARTS_WITH on the decoded, normalised path. */
  function prefixesOf(statement: any): string[] {
    const one = (s: any) => {
      const b = s.byteMatchStatement;
      assert.deepEqual(b.fieldToMatch, { uriPath: {} });
      assert.equal(b.positionalConstraint, "STARTS_WITH");
      assert.deepEqual(b.textTransformations.map((t: any) => t.type), ["URL_DECODE", "NORMALIZE_PATH"], "a prefix cannot be borrowed with %2e%2e or ../");
      return b.searchString as string;
    };
    return statement.orStatement ? statement.orStatement.statements.map(one) : [one(statement)];
  }

  it("limits each IP to the configured requests per 5 minutes, not counting static chunks, optimised images or the excluded prefixes", async () => {
    const rate = rules[3].statement.rateBasedStatement;
    assert.deepEqual([rate.aggregateKeyType, rate.limit, rate.evaluationWindowSec], ["IP", 1000, 300]);
    assert.deepEqual(prefixesOf(rate.scopeDownStatement.notStatement.statement), RATE_LIMIT_EXCLUDED_PREFIXES);
    assert.ok(RATE_LIMIT_EXCLUDED_PREFIXES.includes("/_next/static/") && RATE_LIMIT_EXCLUDED_PREFIXES.includes("/_next/image"));
    const other = oneOf(await declareAcl({ rateLimit: 2000, rateLimitExcludedPrefixes: ["/_next/static/", "/media/"] }), ACL).inputs.rules as any[];
    assert.equal(other[3].statement.rateBasedStatement.limit, 2000);
    assert.deepEqual(prefixesOf(other[3].statement.rateBasedStatement.scopeDownStatement.notStatement.statement), ["/_next/static/", "/media/"]);
  });

  it("limits sign-in POSTs per IP more tightly (default 100 per 5 minutes on the sign-in paths)", async () => {
    const rate = rules[4].statement.rateBasedStatement;
    assert.deepEqual([rate.aggregateKeyType, rate.limit], ["IP", 100]);
    const [method, paths] = rate.scopeDownStatement.andStatement.statements;
    assert.deepEqual(method.byteMatchStatement.fieldToMatch, { method: {} });
    assert.deepEqual([method.byteMatchStatement.positionalConstraint, method.byteMatchStatement.searchString], ["EXACTLY", "POST"]);
    assert.deepEqual(prefixesOf(paths), SIGN_IN_PATH_PREFIXES);
    const other = oneOf(await declareAcl({ signInRateLimit: 30, signInPathPrefixes: ["/login"] }), ACL).inputs.rules as any[];
    assert.equal(other[4].statement.rateBasedStatement.limit, 30);
    assert.deepEqual(prefixesOf(other[4].statement.rateBasedStatement.scopeDownStatement.andStatement.statements[1]), ["/login"]);
  });

  it("block mode: groups keep their own actions and both rate rules block", () => {
    for (const r of rules.slice(0, 3)) assert.deepEqual(r.overrideAction, { none: {} });
    assert.deepEqual(rules[3].action, { block: {} });
    assert.deepEqual(rules[4].action, { block: {} });
  });

  it("count mode: every group and both rate rules only count", async () => {
    const counted = oneOf(await declareAcl({ mode: "count" }), ACL).inputs.rules as any[];
    for (const r of counted.slice(0, 3)) assert.deepEqual(r.overrideAction, { count: {} });
    assert.deepEqual(counted[3].action, { count: {} });
    assert.deepEqual(counted[4].action, { count: {} });
  });

  it("soak: named rules only count in block mode, the others block; unknown names are refused", async () => {
    const soaking = oneOf(await declareAcl({ soakingRules: ["RateLimitSignIn", "AWSManagedRulesKnownBadInputsRuleSet"] }), ACL).inputs.rules as any[];
    assert.deepEqual(soaking.map((r) => r.action ?? r.overrideAction), [{ none: {} }, { count: {} }, { none: {} }, { block: {} }, { count: {} }]);
    await assert.rejects(declareAcl({ soakingRules: ["RateLimitSignon"] }), /soakingRules names no rule of this web ACL: RateLimitSignon/);
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

  it("logs every request to an aws-waf-logs- log group in us-east-1 with retention, redacting credentials, cookies and query strings", async () => {
    const group = oneOf(result, "aws:cloudwatch/logGroup:LogGroup");
    const logging = oneOf(result, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration");
    assert.equal(group.region, EDGE_REGION);
    assert.equal(logging.region, EDGE_REGION);
    assert.match(group.outputs.name as string, /^aws-waf-logs-/);
    assert.equal(group.inputs.retentionInDays, 30);
    assert.equal(logging.inputs.resourceArn, oneOf(result, ACL).outputs.arn);
    assert.deepEqual(logging.inputs.logDestinationConfigs, [group.outputs.arn]);
    assert.deepEqual(logging.inputs.redactedFields, [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }, { queryString: {} }]);
    const longer = oneOf(await declareAcl({ logRetentionDays: 365 }), "aws:cloudwatch/logGroup:LogGroup");
    assert.equal(longer.inputs.retentionInDays, 365);
  });

  it("stays under 1,500 WCU (no surcharge): 25 + 200 + 700 + two rate rules with their scope-down byte matches", () => {
    // AWS WAF "Rule statements": rate-based 2 + its scope-down; byte match STARTS_WITH 2 per statement
    // plus 10 per text transformation; logical statements cost nothing of their own.
    const byteMatch = (s: any) => 2 + 10 * (s.byteMatchStatement.textTransformations.filter((t: any) => t.type !== "NONE").length);
    const statementWcu = (s: any): number => (s.byteMatchStatement ? byteMatch(s) : s.orStatement ? s.orStatement.statements.reduce((n: number, x: any) => n + statementWcu(x), 0) : s.andStatement ? s.andStatement.statements.reduce((n: number, x: any) => n + statementWcu(x), 0) : statementWcu(s.notStatement.statement));
    const managed: Record<string, number> = { AWSManagedRulesAmazonIpReputationList: 25, AWSManagedRulesKnownBadInputsRuleSet: 200, AWSManagedRulesCommonRuleSet: 700 };
    const total = rules.reduce((sum, r) => sum + (managed[r.name] ?? 2 + statementWcu(r.statement.rateBasedStatement.scopeDownStatement)), 0);
    assert.ok(total <= 1500, `${total} WCU`);
    assert.ok(total > 925, "the rate rules' scope-downs are counted");
  });
});
