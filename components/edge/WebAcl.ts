import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EDGE_REGION } from "../shared/regions";

export type WafMode = "count" | "block";

/** AWS managed rule groups this web ACL can run, in evaluation order. */
export const BASELINE_MANAGED_RULE_GROUPS = [
  // 25 WCU. IPs on Amazon's threat-intelligence lists; cheap, so evaluated first.
  "AWSManagedRulesAmazonIpReputationList",
  // 200 WCU. Request patterns known to be invalid and tied to exploits (Log4j, Spring4Shell, ...).
  "AWSManagedRulesKnownBadInputsRuleSet",
  // 700 WCU. OWASP Top 10 style core rules. Its SizeRestrictions_BODY (8 KB) matters for large
  // form posts; media uploads do not pass through CloudFront (presigned POST straight to S3).
  "AWSManagedRulesCommonRuleSet",
] as const;

export interface WebAclArgs {
  /** count: rules only count matches (observe first); block: matching requests are blocked. Default "block". */
  mode?: WafMode;
  /** Requests per evaluation window one IP may make before the rate rule acts; minimum 10. Default 1000. */
  rateLimit?: pulumi.Input<number>;
  /** Rate-rule evaluation window in seconds: 60, 120, 300 or 600. Default 300. */
  rateEvaluationWindowSec?: pulumi.Input<number>;
  /** AWS managed rule groups, in evaluation order. Default {@link BASELINE_MANAGED_RULE_GROUPS}. */
  managedRuleGroups?: string[];
  /** Retention of the WAF log group, in days. Default 30. */
  logRetentionDays?: pulumi.Input<number>;
}

/**
 * WAFv2 web ACL for CloudFront (scope CLOUDFRONT, so us-east-1): AWS managed groups, a per-IP
 * rate rule, CloudWatch metrics and sampled requests on every rule, and full logging to a
 * CloudWatch log group (name must start `aws-waf-logs-`) with credentials redacted.
 */
export class WebAcl extends pulumi.ComponentResource {
  /** ARN of the web ACL: CloudFront's `webAclId` takes this ARN (not the id). */
  public readonly webAclArn: pulumi.Output<string>;
  /** Name of the web ACL: the `WebACL` dimension of its CloudWatch metrics. */
  public readonly webAclName: pulumi.Output<string>;
  /** Id of the web ACL. */
  public readonly webAclId: pulumi.Output<string>;
  /** Name of the log group receiving WAF logs. */
  public readonly logGroupName: pulumi.Output<string>;
  /** CloudWatch metric names of the rules (`Rule` dimension), by rule name. */
  public readonly ruleMetricNames: Record<string, string>;

  constructor(name: string, args: WebAclArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("mpto:edge:WebAcl", name, {}, opts);
    const mode = args.mode ?? "block";
    if (mode !== "count" && mode !== "block") throw new Error(`WebAcl ${name}: mode must be count or block, not ${String(mode)}`);
    const groups = args.managedRuleGroups ?? [...BASELINE_MANAGED_RULE_GROUPS];

    // Security Hub WAF.12: CloudWatch metrics (and sampled requests) on every rule.
    const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });
    const metricNames: Record<string, string> = {};

    const rules: aws.types.input.wafv2.WebAclRule[] = groups.map((group, priority) => {
      metricNames[group] = `${name}-${group}`;
      return {
        name: group,
        priority,
        // count mode: the group's own block actions become counts.
        overrideAction: mode === "count" ? { count: {} } : { none: {} },
        statement: { managedRuleGroupStatement: { vendorName: "AWS", name: group } }, // CKV_AWS_192 (KnownBadInputs)
        visibilityConfig: visibility(metricNames[group]),
      };
    });
    const rateRule = "RateLimitPerIp";
    metricNames[rateRule] = `${name}-${rateRule}`;
    rules.push({
      name: rateRule,
      priority: groups.length,
      action: mode === "count" ? { count: {} } : { block: {} },
      statement: {
        rateBasedStatement: {
          aggregateKeyType: "IP", // CloudFront gives WAF the viewer's address; no X-Forwarded-For trust needed
          limit: args.rateLimit ?? 1000,
          evaluationWindowSec: args.rateEvaluationWindowSec ?? 300,
        },
      },
      visibilityConfig: visibility(metricNames[rateRule]),
    });

    const acl = new aws.wafv2.WebAcl(
      `${name}-acl`,
      {
        region: EDGE_REGION, // scope CLOUDFRONT exists only in us-east-1
        scope: "CLOUDFRONT",
        // WAF descriptions allow letters, digits, spaces and + = : # @ / - , . only.
        description: `Web ACL in front of the CloudFront distribution, ${mode} mode`,
        defaultAction: { allow: {} },
        rules, // Security Hub WAF.10, CKV_AWS_175: at least one rule
        visibilityConfig: visibility(`${name}-acl`),
      },
      { parent: this },
    );

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      {
        region: EDGE_REGION, // log destination must be in the web ACL's region
        namePrefix: `aws-waf-logs-${name}-`, // WAF only logs to groups named aws-waf-logs-*
        retentionInDays: args.logRetentionDays ?? 30, // CloudWatch.16: retention set (CKV_AWS_338 asks ≥ 1 year; prod sets it by config)
      },
      { parent: this },
    );

    // cdk-nag NIST.800.53.R5-WAFv2LoggingEnabled, CKV2_AWS_31: logging configured.
    new aws.wafv2.WebAclLoggingConfiguration(
      `${name}-logging`,
      {
        region: EDGE_REGION,
        resourceArn: acl.arn,
        logDestinationConfigs: [logGroup.arn],
        // Credentials and session cookies never reach the logs.
        redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
      },
      { parent: this },
    );

    this.webAclArn = acl.arn;
    this.webAclName = acl.name;
    this.webAclId = acl.id;
    this.logGroupName = logGroup.name;
    this.ruleMetricNames = metricNames;
    this.registerOutputs({ webAclArn: this.webAclArn, webAclName: this.webAclName, webAclId: this.webAclId, logGroupName: this.logGroupName });
  }
}
