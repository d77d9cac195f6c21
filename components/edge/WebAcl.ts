import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { metricAlarm, movedFromMonitoring } from "../shared/alarm";
import { EDGE_REGION } from "../shared/regions";

/** What the managed rule groups and the rate rules do: observe (count) or act (block); the one list config (mpto:wafMode) accepts. */
export const WAF_MODES = ["count", "block"] as const;
export type WafMode = (typeof WAF_MODES)[number];

/** AWS managed rule groups this web ACL can run, in evaluation order. */
export const BASELINE_MANAGED_RULE_GROUPS = [
  // 25 WCU. IPs on Amazon's threat-intelligence lists; cheap, so evaluated first.
  "AWSManagedRulesAmazonIpReputationList",
  // 200 WCU. Request patterns known to be invalid and tied to exploits (Log4j, Spring4Shell, ...).
  "AWSManagedRulesKnownBadInputsRuleSet",
  // 700 WCU. OWASP Top 10 style core rules. Its SizeRestrictions_BODY blocks every body over
  // 8 KB (a limit AWS does not let us change), which Server Actions and long forms exceed: it is
  // overridden to count (BODY_SIZE_RULE). Media uploads do not pass through CloudFront (presigned
  // POST straight to S3).
  "AWSManagedRulesCommonRuleSet",
] as const;

/**
 * The Common Rule Set rule that blocks request bodies over 8 KB. AWS: "SizeRestrictions_BODY ...
 * Inspects for request bodies that are over 8 KB (8,192 bytes)"; the limit is fixed, only the
 * rule's action can be overridden (AWS WAF Developer Guide, "Core rule set (CRS) managed rule
 * group"). Counted, it still labels requests (`awswaf:managed:aws:core-rule-set:SizeRestrictions_Body`)
 * and shows in metrics and logs.
 */
export const BODY_SIZE_RULE = { group: "AWSManagedRulesCommonRuleSet", rule: "SizeRestrictions_BODY" } as const;

/** Names of the rules this component writes besides the managed groups. */
export const RATE_RULE = "RateLimitPerIp";
export const SIGN_IN_RATE_RULE = "RateLimitSignIn";

/**
 * Paths the general rate rule does not count: content-hashed static chunks and optimised images
 * (a page view fetches dozens; most are CloudFront cache hits the origin never sees). Media is
 * added by the Cdn (its prefix is config). Signed media URLs are the media's own access control.
 */
export const RATE_LIMIT_EXCLUDED_PREFIXES = ["/_next/static/", "/_next/image"];

/** Sign-in paths of the Next.js app: the page's form posts and the auth API routes. */
export const SIGN_IN_PATH_PREFIXES = ["/sign-in", "/api/auth/"];

/** What WAF logs leave out (WAF logging "redactedFields": single headers, the query string). */
export const WAF_REDACTED_FIELDS = [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }, { queryString: {} }];

/** The web ACL's defaults (the wafMode, wafRateLimit, wafSignInRateLimit and alarmWafBlockedRequests keys take theirs from here). */
export const WEB_ACL_DEFAULTS = { mode: "block", rateLimit: 1000, signInRateLimit: 100, blockedRequestsAlarmThreshold: 500 } as const;

export interface WebAclArgs {
  /** count: rules only count matches (observe first); block: matching requests are blocked. Default "block". */
  mode?: WafMode;
  /** Requests per evaluation window one IP may make (static assets, images and media not counted) before the rate rule acts; minimum 10. Default 1000. */
  rateLimit?: pulumi.Input<number>;
  /** Path prefixes the general rate rule does not count. Default {@link RATE_LIMIT_EXCLUDED_PREFIXES}. */
  rateLimitExcludedPrefixes?: string[];
  /** Path prefixes whose POSTs the sign-in rate rule counts. Default {@link SIGN_IN_PATH_PREFIXES}. */
  signInPathPrefixes?: string[];
  /** POSTs to sign-in paths one IP may make per evaluation window before the sign-in rule acts. Default 100. */
  signInRateLimit?: pulumi.Input<number>;
  /**
   * Rules (managed group names, {@link RATE_RULE}, {@link SIGN_IN_RATE_RULE}) that only count
   * whatever `mode` says: a new rule set soaks in count mode before it blocks (docs/edge.md,
   * "WAF soak"). Default [].
   */
  soakingRules?: string[];
  /** Rate-rule evaluation window in seconds: 60, 120, 300 or 600. Default 300. */
  rateEvaluationWindowSec?: pulumi.Input<number>;
  /** AWS managed rule groups, in evaluation order. Default {@link BASELINE_MANAGED_RULE_GROUPS}. */
  managedRuleGroups?: string[];
  /** Retention of the WAF log group, in days. Default 30. */
  logRetentionDays?: pulumi.Input<number>;
  /** Alert topic in us-east-1 for the blocked-requests alarm (CLOUDFRONT-scope WAF metrics exist only there). Default none: no alarm. */
  alarmTopicArn?: pulumi.Input<string>;
  /** BlockedRequests per 5 minutes above which the alarm fires. Default 500. */
  blockedRequestsAlarmThreshold?: number;
}

/**
 * WAFv2 web ACL for CloudFront (scope CLOUDFRONT, so us-east-1): AWS managed groups (the 8 KB
 * body rule counting), a per-IP rate rule that ignores static assets, images and media, a tighter
 * one for sign-in POSTs, count mode for rules still soaking, CloudWatch metrics and sampled
 * requests on every rule, and full logging to a CloudWatch log group (name must start
 * `aws-waf-logs-`) with credentials, cookies and query strings redacted.
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
  /** Names of the web ACL's alarms (none without `alarmTopicArn`). */
  public readonly alarmNames: pulumi.Output<string[]>;

  constructor(name: string, args: WebAclArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("mpto:edge:WebAcl", name, {}, opts);
    const mode = args.mode ?? WEB_ACL_DEFAULTS.mode;
    if (!WAF_MODES.includes(mode)) throw new Error(`WebAcl ${name}: mode must be count or block, not ${String(mode)}`);
    const groups = args.managedRuleGroups ?? [...BASELINE_MANAGED_RULE_GROUPS];

    // Security Hub WAF.12: CloudWatch metrics (and sampled requests) on every rule.
    const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });
    const metricNames: Record<string, string> = {};

    const soaking = new Set(args.soakingRules ?? []);
    const known = new Set([...groups, RATE_RULE, SIGN_IN_RATE_RULE]);
    const unknown = [...soaking].filter((r) => !known.has(r));
    if (unknown.length) throw new Error(`WebAcl ${name}: soakingRules names no rule of this web ACL: ${unknown.join(", ")}`);
    const counts = (rule: string) => mode === "count" || soaking.has(rule);

    const rules: aws.types.input.wafv2.WebAclRule[] = groups.map((group, priority) => {
      metricNames[group] = `${name}-${group}`;
      return {
        name: group,
        priority,
        // count: the group's own block actions become counts.
        overrideAction: counts(group) ? { count: {} } : { none: {} },
        statement: {
          managedRuleGroupStatement: {
            vendorName: "AWS",
            name: group, // CKV_AWS_192 (KnownBadInputs)
            ...(group === BODY_SIZE_RULE.group ? { ruleActionOverrides: [{ name: BODY_SIZE_RULE.rule, actionToUse: { count: {} } }] } : {}),
          },
        },
        visibilityConfig: visibility(metricNames[group]),
      };
    });

    // WAF matches the raw URI; decode then normalise it (`/_next/static/../x` is `/x` to Vercel)
    // so a prefix cannot be borrowed to dodge the rate rules (AWS WAF "Text transformation
    // options": URL_DECODE, NORMALIZE_PATH).
    const pathStartsWith = (prefix: string) => ({
      byteMatchStatement: {
        fieldToMatch: { uriPath: {} },
        positionalConstraint: "STARTS_WITH",
        searchString: prefix,
        textTransformations: [
          { priority: 0, type: "URL_DECODE" },
          { priority: 1, type: "NORMALIZE_PATH" },
        ],
      },
    });
    const anyPath = (prefixes: string[]) => (prefixes.length === 1 ? pathStartsWith(prefixes[0]) : { orStatement: { statements: prefixes.map(pathStartsWith) } });

    // A rate-based rule counts every request that reaches it unless scoped down, cache hits
    // included (AWS WAF "Rate-based rule statement"): one page view is dozens of chunk, image and
    // video-range requests, and a school or mobile-carrier NAT shares one address.
    const excluded = args.rateLimitExcludedPrefixes ?? RATE_LIMIT_EXCLUDED_PREFIXES;
    metricNames[RATE_RULE] = `${name}-${RATE_RULE}`;
    rules.push({
      name: RATE_RULE,
      priority: groups.length,
      action: counts(RATE_RULE) ? { count: {} } : { block: {} },
      statement: {
        rateBasedStatement: {
          aggregateKeyType: "IP", // CloudFront gives WAF the viewer's address; no X-Forwarded-For trust needed
          limit: args.rateLimit ?? WEB_ACL_DEFAULTS.rateLimit,
          evaluationWindowSec: args.rateEvaluationWindowSec ?? 300,
          ...(excluded.length ? { scopeDownStatement: { notStatement: { statement: anyPath(excluded) } } } : {}),
        },
      },
      visibilityConfig: visibility(metricNames[RATE_RULE]),
    });

    // Credential stuffing: far fewer sign-in POSTs than page requests come from one honest address.
    const signIn = args.signInPathPrefixes ?? SIGN_IN_PATH_PREFIXES;
    if (signIn.length) {
      metricNames[SIGN_IN_RATE_RULE] = `${name}-${SIGN_IN_RATE_RULE}`;
      rules.push({
        name: SIGN_IN_RATE_RULE,
        priority: groups.length + 1,
        action: counts(SIGN_IN_RATE_RULE) ? { count: {} } : { block: {} },
        statement: {
          rateBasedStatement: {
            aggregateKeyType: "IP",
            limit: args.signInRateLimit ?? WEB_ACL_DEFAULTS.signInRateLimit,
            evaluationWindowSec: args.rateEvaluationWindowSec ?? 300,
            scopeDownStatement: {
              andStatement: {
                statements: [
                  { byteMatchStatement: { fieldToMatch: { method: {} }, positionalConstraint: "EXACTLY", searchString: "POST", textTransformations: [{ priority: 0, type: "NONE" }] } },
                  anyPath(signIn),
                ],
              },
            },
          },
        },
        visibilityConfig: visibility(metricNames[SIGN_IN_RATE_RULE]),
      });
    }

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
        // Credentials, session cookies and query strings (signed-URL signatures, OAuth codes and
        // states, password-reset tokens) never reach the logs.
        redactedFields: WAF_REDACTED_FIELDS,
      },
      { parent: this },
    );

    const alarms: aws.cloudwatch.MetricAlarm[] = [];
    if (args.alarmTopicArn !== undefined) {
      const threshold = args.blockedRequestsAlarmThreshold ?? WEB_ACL_DEFAULTS.blockedRequestsAlarmThreshold;
      alarms.push(
        metricAlarm(
          `${name}-blocked`,
          {
            description: `The WAF blocked more than ${threshold} requests in 5 minutes: an attack, or a rule blocking real users.`,
            namespace: "AWS/WAFV2",
            metricName: "BlockedRequests",
            // CLOUDFRONT scope: dimensions WebACL and Rule only, no Region.
            dimensions: { WebACL: acl.name, Rule: "ALL" },
            statistic: "Sum",
            period: 300,
            threshold,
            comparisonOperator: "GreaterThanThreshold",
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
            actionsEnabled: true,
            region: EDGE_REGION,
            topicArn: args.alarmTopicArn,
          },
          { parent: this, aliases: [movedFromMonitoring("monitoring-waf-blocked")] },
        ),
      );
    }

    this.webAclArn = acl.arn;
    this.webAclName = acl.name;
    this.webAclId = acl.id;
    this.logGroupName = logGroup.name;
    this.ruleMetricNames = metricNames;
    this.alarmNames = pulumi.all(alarms.map((a) => a.name));
    this.registerOutputs({ webAclArn: this.webAclArn, webAclName: this.webAclName, webAclId: this.webAclId, logGroupName: this.logGroupName, alarmNames: this.alarmNames });
  }
}
