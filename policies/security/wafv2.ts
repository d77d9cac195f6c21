import { list, regionOf, resourceRule, stackRule, whenKnown } from "../lib/kit";

/**
 * WAFv2 web ACLs: rules that act, AWS managed groups (incl. Log4j / KnownBadInputs), a per-IP
 * rate limit, CloudWatch metrics everywhere, logging with sensitive headers redacted.
 * Security Hub WAF.10/.11/.12, Checkov CKV_AWS_175/192/342, CKV2_AWS_31/47, cdk-nag NIST WAFv2LoggingEnabled.
 */

const WEB_ACL = "aws:wafv2/webAcl:WebAcl";
type Rule = Record<string, any>;

function rulesOf(props: Record<string, any>): Rule[] {
  const rules = list<Rule>(props.rules);
  if (rules.length || typeof props.ruleJson !== "string") return rules;
  try {
    return list<Rule>(JSON.parse(props.ruleJson));
  } catch {
    return [];
  }
}

function hasAction(rule: Rule): boolean {
  const action = rule.action ?? rule.overrideAction;
  return Boolean(action && typeof action === "object" && Object.keys(action).some((k) => action[k] !== undefined && action[k] !== null));
}

export const wafRules = resourceRule({
  name: "waf-rules",
  description: "A web ACL has at least one rule or rule group, and every rule has an action or override action (Security Hub WAF.10, Checkov CKV_AWS_175/CKV_AWS_342).",
  types: [WEB_ACL],
  validate(props, _ctx, report) {
    const rules = rulesOf(props);
    if (!rules.length) {
      report("the web ACL has no rules: it only applies its default action");
      return;
    }
    for (const rule of rules) if (!hasAction(rule)) report(`rule ${rule.name} has neither action nor overrideAction`);
  },
});

export const wafMetrics = resourceRule({
  name: "waf-metrics",
  description: "The web ACL and each of its rules publish CloudWatch metrics and sample requests (Security Hub WAF.12).",
  types: [WEB_ACL],
  validate(props, _ctx, report) {
    const check = (what: string, v: Record<string, any> | undefined) => {
      if (v?.cloudwatchMetricsEnabled !== true) report(`${what}: cloudwatchMetricsEnabled is not true`);
      if (v?.sampledRequestsEnabled !== true) report(`${what}: sampledRequestsEnabled is not true`);
    };
    check("web ACL", props.visibilityConfig);
    for (const rule of rulesOf(props)) check(`rule ${rule.name}`, rule.visibilityConfig);
  },
});

/** A managed rule group's statement, even when nested in a rate or scope-down statement. */
function managedGroupOf(rule: Rule): Record<string, any> | undefined {
  return rule.statement?.managedRuleGroupStatement;
}

export const wafManagedRules = resourceRule<{ requiredManagedGroups: string[]; allowCountMode: boolean }>({
  name: "waf-managed-rules",
  description:
    "The web ACL runs the required AWS managed rule groups (KnownBadInputs blocks Log4Shell), without excluding the Log4JRQ rule, and in blocking mode unless the stack allows count mode (Checkov CKV_AWS_192, CKV2_AWS_47).",
  types: [WEB_ACL],
  config: {
    properties: {
      requiredManagedGroups: { type: "array", items: { type: "string" }, description: "AWS managed rule groups every web ACL runs." },
      allowCountMode: { type: "boolean", description: "Allow managed groups and rate rules to only count (observe) instead of block." },
    },
    defaults: { requiredManagedGroups: ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"], allowCountMode: false },
  },
  validate(props, { config }, report) {
    const rules = rulesOf(props);
    const groups = new Map<string, Rule>();
    for (const rule of rules) {
      const group = managedGroupOf(rule);
      if (group?.vendorName === "AWS" && typeof group.name === "string") groups.set(group.name, rule);
    }
    for (const required of config.requiredManagedGroups) if (!groups.has(required)) report(`managed rule group ${required} is missing`);
    const knownBad = groups.get("AWSManagedRulesKnownBadInputsRuleSet");
    if (knownBad) {
      const group = managedGroupOf(knownBad)!;
      const overrides = [...list<Rule>(group.ruleActionOverrides), ...list<Rule>(group.excludedRules)];
      if (overrides.some((o) => o.name === "Log4JRQ" && !o.actionToUse?.block)) report("the Log4JRQ rule of AWSManagedRulesKnownBadInputsRuleSet is overridden or excluded (CVE-2021-44228)");
    }
    if (config.allowCountMode) return;
    for (const rule of rules) {
      if (managedGroupOf(rule) && rule.overrideAction?.count) report(`rule ${rule.name}: the managed group only counts (overrideAction count); this stack requires blocking`);
      if (rule.statement?.rateBasedStatement && rule.action?.count) report(`rule ${rule.name}: the rate limit only counts; this stack requires blocking`);
    }
  },
});

export const wafRateLimit = resourceRule<{ maxRateLimit: number }>({
  name: "waf-rate-limit",
  description: "The web ACL has a per-IP rate-based rule whose limit is at most the stack's maximum (design default: floods and credential stuffing; no catalogue rule).",
  types: [WEB_ACL],
  config: {
    properties: { maxRateLimit: { type: "integer", minimum: 10, description: "Highest allowed requests per 5 minutes per IP." } },
    defaults: { maxRateLimit: 2000 },
  },
  validate(props, { config }, report) {
    const rate = rulesOf(props).filter((r) => r.statement?.rateBasedStatement);
    if (!rate.length) {
      report("no rate-based rule: one client can flood the origin");
      return;
    }
    for (const r of rate) {
      const limit = Number(r.statement.rateBasedStatement.limit);
      const key = r.statement.rateBasedStatement.aggregateKeyType ?? "IP";
      if (limit > config.maxRateLimit) report(`rule ${r.name}: limit ${limit} per 5 minutes is above ${config.maxRateLimit}`);
      if (key !== "IP" && key !== "FORWARDED_IP" && key !== "CUSTOM_KEYS") report(`rule ${r.name}: aggregateKeyType ${key} does not limit per client`);
    }
  },
});

export const wafScope = resourceRule({
  name: "waf-scope-region",
  description: "A CLOUDFRONT-scoped web ACL is created in us-east-1, the only region CloudFront accepts it from (functional; no catalogue rule).",
  types: [WEB_ACL],
  validate(props, { args }, report) {
    if (props.scope === "CLOUDFRONT" && regionOf(args) !== "us-east-1") report(`scope CLOUDFRONT but region ${regionOf(args)}: set region us-east-1`);
  },
});

export const wafLogging = stackRule<{ requiredRedactedHeaders: string[] }>({
  name: "waf-logging",
  description:
    "Every web ACL has a logging configuration to an aws-waf-logs- destination that redacts credentials (Authorization, Cookie) (Security Hub WAF.11, Checkov CKV2_AWS_31, cdk-nag NIST WAFv2LoggingEnabled).",
  config: {
    properties: { requiredRedactedHeaders: { type: "array", items: { type: "string" }, description: "Headers the logs must redact (lower case)." } },
    defaults: { requiredRedactedHeaders: ["authorization", "cookie"] },
  },
  validate(stack, config, report) {
    for (const acl of stack.ofType(WEB_ACL)) {
      const mine = stack.referencing("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", "resourceArn", acl, [whenKnown(() => acl.props.arn as unknown, undefined)]);
      if (!mine.length) {
        report(`web ACL ${acl.name} has no logging configuration`, acl.urn);
        continue;
      }
      for (const c of mine) {
        const destinations = whenKnown(() => list<string>(c.props.logDestinationConfigs), ["(unknown)"]);
        for (const d of destinations) {
          if (d === "(unknown)") continue;
          if (!/aws-waf-logs-/.test(d)) report(`web ACL ${acl.name}: log destination ${d} is not named aws-waf-logs-* (WAF refuses it)`, c.urn);
        }
        const redacted = whenKnown(
          () => list<Record<string, any>>(c.props.redactedFields).map((f) => String(f.singleHeader?.name ?? "").toLowerCase()),
          config.requiredRedactedHeaders,
        );
        const missing = config.requiredRedactedHeaders.filter((h) => !redacted.includes(h.toLowerCase()));
        if (missing.length) report(`web ACL ${acl.name}: logs keep the ${missing.join(", ")} header${missing.length > 1 ? "s" : ""} in clear; add them to redactedFields`, c.urn);
      }
    }
  },
});

export const wafv2Policies = [wafRules, wafMetrics, wafManagedRules, wafRateLimit, wafScope, wafLogging];
