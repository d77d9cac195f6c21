import { list, notANumber, num, objects, regionOf, strings, whenKnown } from "../lib/inputs";
import { resourceRule, stackRule } from "../lib/policy";

/**
 * WAFv2 web ACLs: rules that act, AWS managed groups (incl. Log4j / KnownBadInputs), a per-IP
 * rate limit, CloudWatch metrics everywhere, logging with sensitive headers redacted.
 * Security Hub WAF.10/.11/.12, Checkov CKV_AWS_175/192/342, CKV2_AWS_31/47, cdk-nag NIST WAFv2LoggingEnabled.
 */

const WEB_ACL = "aws:wafv2/webAcl:WebAcl";
type Rule = Record<string, any>;

function rulesOf(props: Record<string, any>): Rule[] {
  const rules = objects<Rule>(props.rules);
  if (rules.length || typeof props.ruleJson !== "string") return rules;
  try {
    return objects<Rule>(JSON.parse(props.ruleJson));
  } catch {
    return [];
  }
}

/** A `ruleJson` that is set but cannot be read: the ACL's rules are unknown to every WAF policy. */
function unreadableRuleJson(props: Record<string, any>): boolean {
  if (objects(props.rules).length || props.ruleJson === undefined || props.ruleJson === null || props.ruleJson === "") return false;
  if (typeof props.ruleJson !== "string") return true;
  try {
    return !Array.isArray(JSON.parse(props.ruleJson));
  } catch {
    return true;
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
    if (unreadableRuleJson(props)) report("ruleJson is not a JSON list of rules, so the web ACL's rules cannot be judged");
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
  const group = rule.statement?.managedRuleGroupStatement;
  return group && typeof group === "object" ? group : undefined;
}

/**
 * Rules of the AWS managed groups that must keep blocking wherever the stack blocks (AWS WAF
 * Developer Guide, "Baseline rule groups": Core rule set and Known bad inputs rule names). The Log4j
 * rule was one rule, Log4JRCE, until AWS split it by request component (Log4JRCE_HEADER,
 * _QUERYSTRING, _BODY, _URIPATH); both spellings are judged. Size restrictions (SizeRestrictions_*)
 * and user-agent rules are not critical: a site may count them (this one counts the 8 KB body rule).
 */
export const CRITICAL_MANAGED_RULES: Record<string, string[]> = {
  AWSManagedRulesKnownBadInputsRuleSet: [
    "Log4JRCE",
    "Log4JRCE_HEADER",
    "Log4JRCE_QUERYSTRING",
    "Log4JRCE_BODY",
    "Log4JRCE_URIPATH",
    "JavaDeserializationRCE_HEADER",
    "JavaDeserializationRCE_BODY",
    "JavaDeserializationRCE_URIPATH",
    "JavaDeserializationRCE_QUERYSTRING",
    "Host_localhost_HEADER",
    "PROPFIND_METHOD",
    "ExploitablePaths_URIPATH",
  ],
  AWSManagedRulesCommonRuleSet: [
    "CrossSiteScripting_BODY",
    "CrossSiteScripting_COOKIE",
    "CrossSiteScripting_QUERYARGUMENTS",
    "CrossSiteScripting_URIPATH",
    "GenericLFI_BODY",
    "GenericLFI_QUERYARGUMENTS",
    "GenericLFI_URIPATH",
    "GenericRFI_BODY",
    "GenericRFI_QUERYARGUMENTS",
    "GenericRFI_URIPATH",
    "EC2MetaDataSSRF_BODY",
    "EC2MetaDataSSRF_COOKIE",
    "EC2MetaDataSSRF_QUERYARGUMENTS",
    "EC2MetaDataSSRF_URIPATH",
    "RestrictedExtensions_QUERYARGUMENTS",
    "RestrictedExtensions_URIPATH",
  ],
};

const LOG4J = /^Log4JRCE(_[A-Z]+)?$/;

/** Per-rule overrides of a managed group that stop a rule from blocking: ruleActionOverrides other than block, and the deprecated excludedRules (count). */
function weakenedRules(group: Record<string, any>): { name: string; action: string }[] {
  const out: { name: string; action: string }[] = [];
  for (const o of objects(group.ruleActionOverrides)) {
    const action = o.actionToUse && typeof o.actionToUse === "object" ? Object.keys(o.actionToUse).filter((k) => o.actionToUse[k] !== undefined && o.actionToUse[k] !== null) : [];
    if (!action.includes("block")) out.push({ name: String(o.name ?? ""), action: action.join("+") || "none" });
  }
  for (const e of objects(group.excludedRules)) out.push({ name: String(e.name ?? ""), action: "count (excludedRules)" });
  return out;
}

export const wafManagedRules = resourceRule<{ requiredManagedGroups: string[]; allowCountMode: boolean; criticalRules: Record<string, string[]>; soakingRules: string[] }>({
  name: "waf-managed-rules",
  description:
    "The web ACL runs the required AWS managed rule groups (KnownBadInputs blocks Log4Shell), never overrides or excludes the Log4JRCE rules, keeps the critical rules of the Core and Known-bad-inputs groups blocking (no per-rule count/allow override) and blocks unless the stack allows count mode (Checkov CKV_AWS_192, CKV2_AWS_47).",
  types: [WEB_ACL],
  config: {
    properties: {
      requiredManagedGroups: { type: "array", items: { type: "string" }, description: "AWS managed rule groups every web ACL runs." },
      allowCountMode: { type: "boolean", description: "Allow managed groups and rate rules to only count (observe) instead of block." },
      criticalRules: {
        type: "object",
        additionalProperties: { type: "array", items: { type: "string" } },
        description: "Per AWS managed group, rules that may not be overridden to anything but block where the stack blocks.",
      },
      soakingRules: {
        type: "array",
        items: { type: "string" },
        description: "Web ACL rules (group or rule names) reviewed to count while they soak before blocking (docs/edge.md, WAF soak); the stack lists the same names in mpto:wafSoakingRules.",
      },
    },
    defaults: {
      requiredManagedGroups: ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"],
      allowCountMode: false,
      criticalRules: CRITICAL_MANAGED_RULES,
      soakingRules: [],
    },
  },
  validate(props, { config }, report) {
    const rules = rulesOf(props);
    const groups = new Map<string, Rule>();
    for (const rule of rules) {
      const group = managedGroupOf(rule);
      if (group?.vendorName === "AWS" && typeof group.name === "string") groups.set(group.name, rule);
    }
    for (const required of config.requiredManagedGroups) if (!groups.has(required)) report(`managed rule group ${required} is missing`);
    for (const [name, rule] of groups) {
      const group = managedGroupOf(rule)!;
      const critical = new Set(strings((config.criticalRules ?? {})[name]));
      for (const w of weakenedRules(group)) {
        if (name === "AWSManagedRulesKnownBadInputsRuleSet" && LOG4J.test(w.name)) report(`the ${w.name} rule of ${name} is overridden to ${w.action}: Log4Shell (CVE-2021-44228) requests pass (CKV_AWS_192)`);
        else if (w.action.includes("allow")) report(`rule ${w.name} of ${name} is overridden to allow: matching requests skip the rest of the web ACL`);
        else if (critical.has(w.name) && !config.allowCountMode) report(`rule ${w.name} of ${name} is overridden to ${w.action}; it is a critical rule and this stack requires blocking`);
      }
    }
    if (config.allowCountMode) return;
    const soaking = new Set(strings(config.soakingRules));
    for (const rule of rules) {
      if (soaking.has(String(rule.name))) continue; // a reviewed soak: counts by design, for now
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
      const limit = num(r.statement.rateBasedStatement.limit);
      if (notANumber(limit, `rule ${r.name}: limit`, r.statement.rateBasedStatement.limit, report)) continue;
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
