import * as pulumi from "@pulumi/pulumi";
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { isTrue, list, notANumber, num, regionOf, usd, whenKnown } from "../lib/inputs";
import { resourceRule, SchemaProperty, stackRule, StackView } from "../lib/policy";
import { statementsOf } from "../lib/policyDocuments";
import { CostedResource, estimateCost, formatCostLines, isEdgeLambda, PricingExemption } from "./estimate";
import { PRICE_TABLE_DATE, PRICES } from "./prices";
import { USAGE_DEFAULTS, USAGE_SCHEMA, UsageProfile, usageProfile } from "./usage";

/**
 * Billing limits: what a stack may cost, checked before anything is deployed.
 *  - `monthly-fixed-cost-ceiling`: the fixed monthly cost (web ACLs and rules, dashboards, alarms,
 *    keys, zones, secrets, metric subscriptions) stays under a per-stack ceiling;
 *  - `monthly-cost-estimate`: fixed + usage-driven cost for the stack's usage profile stays within
 *    the stack's budget (`mpto:monthlyBudgetUsd`, stack config: the value the AWS Budget uses too);
 *  - structural guards on what would make usage costs run away: a Budget with alerts, on-demand
 *    (or capped) DynamoDB, the CloudFront price class, log retention, Lambda memory/timeout caps,
 *    and no paid tiers (Cognito Plus, GuardDuty protection plans, ...) unless the stack allows them.
 */

/** The stack's view of its resources, as the estimate needs them. */
export function costedResources(resources: readonly PolicyResource[]): CostedResource[] {
  return resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, props: r.props, region: regionOf(r) }));
}

/** Config key of the stack's monthly budget (stack config, also the AWS Budget's limit). */
export const BUDGET_CONFIG_KEY = "mpto:monthlyBudgetUsd";
/** The same key in the organization program (org/, project mpto-org), whose budget covers every account. */
export const ORG_BUDGET_CONFIG_KEY = "mpto-org:monthlyBudgetUsd";

/** The stack's budget as configured (raw string), from whichever project's key the config holds. */
export function configuredBudget(config: Record<string, string>): string | undefined {
  return config[BUDGET_CONFIG_KEY] ?? config[ORG_BUDGET_CONFIG_KEY];
}

/**
 * The stack's budget in USD, read from the stack config the engine gives the pack (the CLI passes
 * it in `PULUMI_CONFIG`, as it does to programs). Undefined when the key is absent or not a number.
 */
export function stackBudgetUsd(): number | undefined {
  const raw = configuredBudget(pulumi.runtime.allConfig());
  const value = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

// ---------------------------------------------------------------------------------------------

interface FixedCeilingConfig {
  maxFixedMonthlyUsd: number;
}

export const monthlyFixedCostCeiling = stackRule<FixedCeilingConfig>({
  name: "monthly-fixed-cost-ceiling",
  description: `The stack's fixed monthly cost (web ACLs and rules, dashboards, alarms, KMS keys, hosted zones, secrets, metric subscriptions; price table of ${PRICE_TABLE_DATE}) stays under the stack's ceiling.`,
  config: {
    properties: { maxFixedMonthlyUsd: { type: "number", minimum: 0, description: "Ceiling for the fixed monthly cost in USD." } },
    defaults: { maxFixedMonthlyUsd: 40 },
  },
  validate(stack, config, report) {
    const estimate = estimateCost(costedResources(stack.resources), USAGE_DEFAULTS, PRICES);
    const fixed = estimate.lines.filter((l) => l.kind === "fixed");
    if (estimate.fixedMonthlyUsd <= config.maxFixedMonthlyUsd) return;
    report(
      [
        `fixed monthly cost ${usd(estimate.fixedMonthlyUsd)} exceeds the ceiling of ${usd(config.maxFixedMonthlyUsd)} (no free tiers credited; prices of ${estimate.priceTableDate}):`,
        ...formatCostLines(fixed).map((l) => `  ${l}`),
        "Remove or share the costliest items, or raise maxFixedMonthlyUsd in this stack's policy config.",
      ].join("\n"),
    );
  },
});

// ---------------------------------------------------------------------------------------------

interface CostEstimateConfig {
  usage: Partial<UsageProfile>;
  /** Share of the budget the estimate may use (1 = the whole budget). */
  maxShareOfBudget: number;
}

/**
 * Builds the `monthly-cost-estimate` policy. `readBudget` is where the stack's budget comes from
 * (the stack config by default); tests pass their own.
 */
export function makeMonthlyCostEstimate(readBudget: () => number | undefined = stackBudgetUsd): StackValidationPolicy {
  return stackRule<CostEstimateConfig>({
    name: "monthly-cost-estimate",
    description: `The stack's estimated monthly cost (fixed items plus the usage profile in policy config, price table of ${PRICE_TABLE_DATE}) stays within its budget ${BUDGET_CONFIG_KEY}.`,
    config: {
      properties: {
        usage: USAGE_SCHEMA,
        maxShareOfBudget: { type: "number", exclusiveMinimum: 0, maximum: 1, description: "Share of the budget the estimate may use (1 = all of it)." },
      },
      defaults: { usage: USAGE_DEFAULTS, maxShareOfBudget: 1 },
    },
    validate(stack, config, report) {
      const budget = readBudget();
      if (budget === undefined) {
        report(`the stack has no budget to compare the estimate with: set ${BUDGET_CONFIG_KEY} in the stack config (the engine passes stack config to the pack)`);
        return;
      }
      const estimate = estimateCost(costedResources(stack.resources), usageProfile(config.usage), PRICES);
      const limit = budget * config.maxShareOfBudget;
      if (estimate.totalMonthlyUsd <= limit) return;
      const share = config.maxShareOfBudget < 1 ? ` (${Math.round(config.maxShareOfBudget * 100)}% of the ${usd(budget)} budget)` : "";
      report(
        [
          `estimated monthly cost ${usd(estimate.totalMonthlyUsd)} (fixed ${usd(estimate.fixedMonthlyUsd)}, usage ${usd(estimate.usageMonthlyUsd)}) exceeds ${usd(limit)}${share}; ${usd(estimate.byConfidence.unconfirmed)} of it rests on unconfirmed prices. Largest items:`,
          ...formatCostLines(estimate.lines, 12).map((l) => `  ${l}`),
          `Lower the usage profile's assumptions only if they were wrong; otherwise raise ${BUDGET_CONFIG_KEY} or cut the costliest items.`,
        ].join("\n"),
      );
    },
  });
}

export const monthlyCostEstimate = makeMonthlyCostEstimate();

// ---------------------------------------------------------------------------------------------

/** JSON schema of pricing exemptions (shared with the plan's cost section, which lists them). */
export const PRICING_EXEMPTIONS_SCHEMA = {
  type: "array",
  description: "Billable types or resources the price table does not price, exempted on purpose: a type token or a resource URN, and the reason (what it costs, why that is acceptable).",
  items: {
    type: "object",
    required: ["reason"],
    additionalProperties: false,
    anyOf: [{ required: ["type"] }, { required: ["urn"] }],
    properties: {
      type: { type: "string", pattern: "^[a-z0-9-]+:[A-Za-z0-9/]+:[A-Za-z0-9]+$", description: "Type token, e.g. aws:ec2/natGateway:NatGateway." },
      urn: { type: "string", pattern: "^urn:pulumi:", description: "The resource's full URN (stack, project, type chain and name)." },
      reason: { type: "string", minLength: 20, description: "Why the cost may go unpriced, and roughly what it is." },
    },
  },
} as SchemaProperty;

/**
 * Billing must not be blind to what it does not know (issue 14, class 1): a billable resource type
 * the table has no price for (a NAT gateway, a database, a GPU instance, a cache, a search domain,
 * a load balancer, provisioned concurrency, ...), or a setting of a priced type it cannot price
 * (an instance class it does not list, Bot Control, a commercial database licence), would otherwise
 * be costed at $0 and pass every ceiling. Each is refused until it has a price or an exemption with
 * a reason; values unknown during a preview are listed by the plan, not refused.
 */
export const billingUnpricedResources = stackRule<{ exemptions: PricingExemption[] }>({
  name: "billing-unpriced-resources",
  description: `Every billable resource is priced from the dated table (price table of ${PRICE_TABLE_DATE}) or exempted in config with a reason; a type or setting the table cannot price is refused, never costed at $0 (cost guard; no catalogue rule).`,
  config: { properties: { exemptions: PRICING_EXEMPTIONS_SCHEMA }, defaults: { exemptions: [] } },
  validate(stack, config, report) {
    const estimate = estimateCost(costedResources(stack.resources), USAGE_DEFAULTS, PRICES, { exemptions: config.exemptions });
    for (const item of estimate.unpricedItems) {
      if (item.kind === "unknown") continue;
      report(
        `${item.name}${item.type ? ` (${item.type})` : ""}: ${item.reason}. It is unpriced: add a price to policies/billing/prices.ts (or an instance class to billing/hourly.ts), or an explicit exemption with its reason in this policy's config (exemptions: [{ "type" or "urn", "reason" }])`,
        item.urn,
      );
    }
  },
});

// ---------------------------------------------------------------------------------------------

interface BudgetGuardConfig {
  /** The most any stack may budget (the ceiling the Budget's limit must stay under). */
  maxBudgetUsd: number;
  /** An ACTUAL alert must fire at or below this percentage of the limit. */
  maxActualThresholdPercent: number;
  /** A FORECASTED alert must fire at or below this percentage of the limit. */
  maxForecastThresholdPercent: number;
}

function budgetNotifications(budget: PolicyResource): Record<string, any>[] {
  return list<Record<string, any>>(budget.props.notifications);
}

function thresholdPercent(notification: Record<string, any>, limit: number): number {
  const threshold = num(notification.threshold);
  return notification.thresholdType === "ABSOLUTE_VALUE" ? (threshold / limit) * 100 : threshold;
}

/** Whether a topic's policy (found through property dependencies or its ARN) lets AWS Budgets publish. */
function budgetsCanPublishTo(stack: StackView, topic: PolicyResource): boolean {
  const arn = whenKnown(() => topic.props.arn as unknown, undefined);
  return stack.referencing("aws:sns/topicPolicy:TopicPolicy", "arn", topic, [arn]).some((policy) =>
    whenKnown(
      () =>
        (statementsOf(policy.props.policy) ?? []).some(
          (s) => s.Effect === "Allow" && list((s.Principal as { Service?: unknown } | undefined)?.Service).includes("budgets.amazonaws.com") && list<string>(s.Action).some((a) => a === "sns:Publish" || a === "sns:*"),
        ),
      true,
    ),
  );
}

/**
 * Builds `budget-guard`. `readBudget` gives the stack's configured budget; when it is known, the
 * Budget must use exactly that limit (one source of truth: stack config).
 */
export function makeBudgetGuard(readBudget: () => number | undefined = stackBudgetUsd): StackValidationPolicy {
  return stackRule<BudgetGuardConfig>({
    name: "budget-guard",
    description:
      "The stack has a monthly COST budget in USD, limited to the stack's budget and at most the ceiling, with ACTUAL and FORECASTED alerts that reach an email or an SNS topic Budgets may publish to (reference §5.2; no catalogue rule).",
    config: {
      properties: {
        maxBudgetUsd: { type: "number", minimum: 1, description: "The highest monthly budget a stack may set, in USD." },
        maxActualThresholdPercent: { type: "number", minimum: 1, maximum: 100, description: "An ACTUAL alert fires at or below this % of the limit." },
        maxForecastThresholdPercent: { type: "number", minimum: 1, maximum: 200, description: "A FORECASTED alert fires at or below this % of the limit." },
      },
      defaults: { maxBudgetUsd: 100, maxActualThresholdPercent: 100, maxForecastThresholdPercent: 100 },
    },
    validate(stack, config, report) {
      const budgets = stack.ofType("aws:budgets/budget:Budget").filter((b) => b.props.budgetType === "COST" && b.props.timeUnit === "MONTHLY");
      if (!budgets.length) {
        report("the stack has no monthly COST budget (aws.budgets.Budget with budgetType COST, timeUnit MONTHLY): spend would go unwatched");
        return;
      }
      const configured = readBudget();
      for (const budget of budgets) {
        const limit = num(budget.props.limitAmount);
        const problems: string[] = [];
        if (!Number.isFinite(limit) || limit <= 0) problems.push(`limitAmount '${budget.props.limitAmount}' is not a positive amount`);
        else {
          if ((budget.props.limitUnit ?? "USD") !== "USD") problems.push(`limitUnit is ${budget.props.limitUnit}, expected USD`);
          if (limit > config.maxBudgetUsd) problems.push(`limit ${usd(limit)} is above this stack's ceiling of ${usd(config.maxBudgetUsd)}`);
          if (configured !== undefined && Math.abs(limit - configured) > 0.005) problems.push(`limit ${usd(limit)} differs from the stack's ${BUDGET_CONFIG_KEY} (${usd(configured)})`);
        }
        const notifications = budgetNotifications(budget);
        const reaches = (n: Record<string, any>) =>
          list(n.subscriberEmailAddresses).length > 0 || list<string>(n.subscriberSnsTopicArns).length > 0;
        for (const [type, max] of [
          ["ACTUAL", config.maxActualThresholdPercent],
          ["FORECASTED", config.maxForecastThresholdPercent],
        ] as const) {
          const alerts = notifications.filter((n) => n.notificationType === type && n.comparisonOperator === "GREATER_THAN" && reaches(n));
          if (!alerts.length) problems.push(`no ${type} alert (GREATER_THAN, with an email or SNS subscriber)`);
          else if (Number.isFinite(limit) && limit > 0 && !alerts.some((n) => thresholdPercent(n, limit) <= max)) problems.push(`no ${type} alert fires at or below ${max}% of the limit`);
        }
        for (const n of notifications) {
          for (const arn of list<string>(n.subscriberSnsTopicArns)) {
            const topic = stack.ofType("aws:sns/topic:Topic").find((t) => whenKnown(() => t.props.arn === arn, false));
            if (topic && !budgetsCanPublishTo(stack, topic)) problems.push(`SNS subscriber ${arn} has no topic policy letting budgets.amazonaws.com publish: the alert would be dropped`);
          }
        }
        for (const p of problems) report(`budget ${budget.name}: ${p}`, budget.urn);
      }
    },
  });
}

export const budgetGuard = makeBudgetGuard();

// ---------------------------------------------------------------------------------------------

export const dynamodbCapacityGuard = resourceRule<{ allowProvisioned: boolean; requireOnDemandCap: boolean; maxOnDemandReadUnits: number; maxOnDemandWriteUnits: number }>({
  name: "dynamodb-capacity-guard",
  description:
    "DynamoDB tables bill on demand (PAY_PER_REQUEST), optionally with capped on-demand throughput; provisioned tables only where config allows (cost guard; with on-demand, Security Hub DynamoDB.1 and cdk-nag NIST DynamoDBAutoScalingEnabled are met).",
  types: ["aws:dynamodb/table:Table"],
  config: {
    properties: {
      allowProvisioned: { type: "boolean", description: "Allow PROVISIONED billing (then auto-scaling is needed for DynamoDB.1)." },
      requireOnDemandCap: { type: "boolean", description: "Require onDemandThroughput maximums on on-demand tables." },
      maxOnDemandReadUnits: { type: "number", minimum: 1, description: "Highest allowed maxReadRequestUnits when capped." },
      maxOnDemandWriteUnits: { type: "number", minimum: 1, description: "Highest allowed maxWriteRequestUnits when capped." },
    },
    defaults: { allowProvisioned: false, requireOnDemandCap: false, maxOnDemandReadUnits: 40000, maxOnDemandWriteUnits: 40000 },
  },
  validate(props, { config }, report) {
    const mode = props.billingMode ?? "PROVISIONED";
    if (mode !== "PAY_PER_REQUEST") {
      if (!config.allowProvisioned) report(`billingMode is ${mode}: use PAY_PER_REQUEST (on demand), which costs nothing when idle and needs no auto-scaling (DynamoDB.1)`);
      return;
    }
    const cap = props.onDemandThroughput as { maxReadRequestUnits?: number; maxWriteRequestUnits?: number } | undefined;
    if (config.requireOnDemandCap) {
      const read = num(cap?.maxReadRequestUnits);
      const write = num(cap?.maxWriteRequestUnits);
      if (!(read > 0) || !(write > 0)) report("on-demand throughput is uncapped: set onDemandThroughput.maxReadRequestUnits and maxWriteRequestUnits");
    }
    if (cap?.maxReadRequestUnits !== undefined && !(num(cap.maxReadRequestUnits) <= config.maxOnDemandReadUnits)) report(`onDemandThroughput.maxReadRequestUnits ${cap.maxReadRequestUnits} is above ${config.maxOnDemandReadUnits}`);
    if (cap?.maxWriteRequestUnits !== undefined && !(num(cap.maxWriteRequestUnits) <= config.maxOnDemandWriteUnits)) report(`onDemandThroughput.maxWriteRequestUnits ${cap.maxWriteRequestUnits} is above ${config.maxOnDemandWriteUnits}`);
  },
});

export const cloudfrontPriceClass = resourceRule<{ allowedPriceClasses: string[] }>({
  name: "cloudfront-price-class",
  description: "CloudFront distributions use a price class allowed for the stack (PriceClass_100 = North America + Europe, which suits a UK audience); an unset price class means PriceClass_All (cost guard).",
  types: ["aws:cloudfront/distribution:Distribution"],
  config: {
    properties: {
      allowedPriceClasses: { type: "array", items: { type: "string", enum: ["PriceClass_100", "PriceClass_200", "PriceClass_All"] }, minItems: 1, uniqueItems: true, description: "Price classes this stack may use." },
    },
    defaults: { allowedPriceClasses: ["PriceClass_100"] },
  },
  validate(props, { config }, report) {
    const priceClass = props.priceClass ?? "PriceClass_All";
    if (!config.allowedPriceClasses.includes(priceClass)) report(`priceClass ${priceClass}${props.priceClass ? "" : " (unset: AWS default)"} is not allowed here; allowed: ${config.allowedPriceClasses.join(", ")}`);
  },
});

export const logGroupRetention = resourceRule<{ minRetentionDays: number; maxRetentionDays: number }>({
  name: "log-group-retention",
  description:
    "Every CloudWatch log group sets a retention between the stack's minimum and maximum (Security Hub CloudWatch.16, Checkov CKV_AWS_66, cdk-nag NIST CloudWatchLogGroupRetentionPeriod, Control Tower CT.CLOUDWATCH.PR.2; cost guard: logs never kept forever).",
  types: ["aws:cloudwatch/logGroup:LogGroup"],
  config: {
    properties: {
      minRetentionDays: { type: "integer", minimum: 1, description: "Shortest allowed retention in days." },
      maxRetentionDays: { type: "integer", minimum: 1, description: "Longest allowed retention in days (cost cap)." },
    },
    defaults: { minRetentionDays: 7, maxRetentionDays: 731 },
  },
  validate(props, { config }, report) {
    const days = num(props.retentionInDays);
    if (props.retentionInDays !== undefined && props.retentionInDays !== null && notANumber(days, "retentionInDays", props.retentionInDays, report)) return;
    if (props.retentionInDays === undefined || props.retentionInDays === null || days === 0) {
      report("retentionInDays is not set: the logs would be kept (and billed) forever");
      return;
    }
    if (days < config.minRetentionDays) report(`retentionInDays ${days} is below the minimum of ${config.minRetentionDays}`);
    if (days > config.maxRetentionDays) report(`retentionInDays ${days} is above the maximum of ${config.maxRetentionDays}`);
  },
});

export const lambdaLimits = resourceRule<{ maxMemoryMb: number; maxTimeoutSeconds: number; edgeMaxMemoryMb: number; edgeMaxTimeoutSeconds: number; maxEphemeralStorageMb: number }>({
  name: "lambda-limits",
  description: "Lambda functions stay within the stack's memory and timeout caps; Lambda@Edge within the viewer-trigger limits (128 MB, 5 s) (cost guard).",
  types: ["aws:lambda/function:Function"],
  config: {
    properties: {
      maxMemoryMb: { type: "integer", minimum: 128, maximum: 10240, description: "Largest memorySize of a regional function." },
      maxTimeoutSeconds: { type: "integer", minimum: 1, maximum: 900, description: "Longest timeout of a regional function." },
      edgeMaxMemoryMb: { type: "integer", minimum: 128, maximum: 10240, description: "Largest memorySize of a Lambda@Edge function." },
      edgeMaxTimeoutSeconds: { type: "integer", minimum: 1, maximum: 30, description: "Longest timeout of a Lambda@Edge function." },
      maxEphemeralStorageMb: { type: "integer", minimum: 512, maximum: 10240, description: "Largest /tmp size (beyond 512 MB is billed)." },
    },
    defaults: { maxMemoryMb: 1024, maxTimeoutSeconds: 30, edgeMaxMemoryMb: 128, edgeMaxTimeoutSeconds: 5, maxEphemeralStorageMb: 512 },
  },
  validate(props, { config, args }, report) {
    const edge = isEdgeLambda({ type: args.type, props, region: regionOf(args) });
    const memory = num(props.memorySize, 128);
    const timeout = num(props.timeout, 3);
    if (notANumber(memory, "memorySize", props.memorySize, report) || notANumber(timeout, "timeout", props.timeout, report)) return;
    const maxMemory = edge ? config.edgeMaxMemoryMb : config.maxMemoryMb;
    const maxTimeout = edge ? config.edgeMaxTimeoutSeconds : config.maxTimeoutSeconds;
    const kind = edge ? "Lambda@Edge function" : "function";
    if (memory > maxMemory) report(`memorySize ${memory} MB is above the ${kind} cap of ${maxMemory} MB`);
    if (timeout > maxTimeout) report(`timeout ${timeout} s is above the ${kind} cap of ${maxTimeout} s`);
    const storage = num(props.ephemeralStorage?.size, 512);
    if (notANumber(storage, "ephemeralStorage.size", props.ephemeralStorage?.size, report)) return;
    if (storage > config.maxEphemeralStorageMb) report(`ephemeralStorage ${storage} MB is above ${config.maxEphemeralStorageMb} MB`);
  },
});

/** Every regional function writes to a log group the stack declares (so it has retention). */
export const lambdaLogGroupsDeclared = stackRule({
  name: "lambda-log-groups-declared",
  description:
    "Every regional Lambda function logs to a log group the stack declares (its own /aws/lambda/<name> or loggingConfig.logGroup), so Lambda never creates one without retention (cost guard; Security Hub CloudWatch.16).",
  validate(stack, _config, report) {
    const groups = new Set(stack.ofType("aws:cloudwatch/logGroup:LogGroup").map((g) => g.props.name).filter((n): n is string => typeof n === "string"));
    for (const fn of stack.ofType("aws:lambda/function:Function")) {
      if (isEdgeLambda({ type: fn.type, props: fn.props, region: regionOf(fn) })) continue; // logs land in each edge region
      const configured = fn.props.loggingConfig?.logGroup;
      const target = typeof configured === "string" && configured ? configured : `/aws/lambda/${fn.props.name ?? fn.name}`;
      if (!groups.has(target)) report(`function ${fn.name} logs to ${target}, which the stack does not declare: Lambda would create it with no retention`, fn.urn);
    }
  },
});

// ---------------------------------------------------------------------------------------------

/** GuardDuty protection plans (all paid on top of foundational detection). */
const GUARDDUTY_PAID_FEATURES = ["S3_DATA_EVENTS", "EKS_AUDIT_LOGS", "EBS_MALWARE_PROTECTION", "RDS_LOGIN_EVENTS", "EKS_RUNTIME_MONITORING", "LAMBDA_NETWORK_LOGS", "RUNTIME_MONITORING"];
const PAID_WAF_GROUPS = ["AWSManagedRulesBotControlRuleSet", "AWSManagedRulesATPRuleSet", "AWSManagedRulesACFPRuleSet", "AWSManagedRulesAntiDDoSRuleSet"];

interface PaidFeaturesConfig {
  allowCognitoPlus: boolean;
  allowedGuardDutyFeatures: string[];
  allowCloudFrontAdditionalMetrics: boolean;
  allowProvisionedConcurrency: boolean;
  allowPaidWafRuleGroups: boolean;
}

export const paidFeaturesAllowed = resourceRule<PaidFeaturesConfig>({
  name: "paid-features-allowed",
  description:
    "Paid tiers and add-ons only where the stack's config allows them: Cognito Plus (threat protection), GuardDuty protection plans, CloudFront additional metrics, Lambda provisioned concurrency, WAF Bot Control/ATP/ACFP (cost guard).",
  types: [
    "aws:cognito/userPool:UserPool",
    "aws:guardduty/detector:Detector",
    "aws:guardduty/detectorFeature:DetectorFeature",
    "aws:cloudfront/monitoringSubscription:MonitoringSubscription",
    "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig",
    "aws:wafv2/webAcl:WebAcl",
  ],
  config: {
    properties: {
      allowCognitoPlus: { type: "boolean", description: "Allow the Cognito Plus feature plan (needed for threat protection)." },
      allowedGuardDutyFeatures: { type: "array", items: { type: "string", enum: GUARDDUTY_PAID_FEATURES }, uniqueItems: true, description: "GuardDuty protection plans this stack may enable." },
      allowCloudFrontAdditionalMetrics: { type: "boolean", description: "Allow CloudFront additional metrics (billed as custom metrics)." },
      allowProvisionedConcurrency: { type: "boolean", description: "Allow Lambda provisioned concurrency (billed while idle)." },
      allowPaidWafRuleGroups: { type: "boolean", description: "Allow WAF managed groups with their own fees (Bot Control, ATP, ACFP, Anti-DDoS)." },
    },
    defaults: { allowCognitoPlus: false, allowedGuardDutyFeatures: [], allowCloudFrontAdditionalMetrics: false, allowProvisionedConcurrency: false, allowPaidWafRuleGroups: false },
  },
  validate(props, { type, config }, report) {
    switch (type) {
      case "aws:cognito/userPool:UserPool": {
        const tier = String(props.userPoolTier ?? "ESSENTIALS").toUpperCase();
        const mode = props.userPoolAddOns?.advancedSecurityMode ?? "OFF";
        if (!config.allowCognitoPlus && tier === "PLUS") report("userPoolTier PLUS is a paid plan this stack does not allow (allowCognitoPlus)");
        if (!config.allowCognitoPlus && mode !== "OFF") report(`threat protection (advancedSecurityMode ${mode}) needs the paid Plus plan, which this stack does not allow`);
        break;
      }
      case "aws:guardduty/detectorFeature:DetectorFeature":
        if (props.status === "ENABLED" && GUARDDUTY_PAID_FEATURES.includes(props.name) && !config.allowedGuardDutyFeatures.includes(props.name)) {
          report(`GuardDuty feature ${props.name} is a paid protection plan this stack does not allow (allowed: ${config.allowedGuardDutyFeatures.join(", ") || "none"})`);
        }
        break;
      case "aws:guardduty/detector:Detector": {
        const ds = props.datasources ?? {};
        const legacy: [boolean, string][] = [
          [isTrue(ds.s3Logs?.enable), "S3_DATA_EVENTS"],
          [isTrue(ds.kubernetes?.auditLogs?.enable), "EKS_AUDIT_LOGS"],
          [isTrue(ds.malwareProtection?.scanEc2InstanceWithFindings?.ebsVolumes?.enable), "EBS_MALWARE_PROTECTION"],
        ];
        for (const [on, feature] of legacy) if (on && !config.allowedGuardDutyFeatures.includes(feature)) report(`datasources turn on ${feature}, a paid protection plan this stack does not allow`);
        break;
      }
      case "aws:cloudfront/monitoringSubscription:MonitoringSubscription":
        if (props.monitoringSubscription?.realtimeMetricsSubscriptionConfig?.realtimeMetricsSubscriptionStatus === "Enabled" && !config.allowCloudFrontAdditionalMetrics) {
          report(`CloudFront additional metrics are billed (${usd(PRICES.cloudfrontAdditionalMetrics.usd)}/distribution-month) and this stack does not allow them`);
        }
        break;
      case "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig":
        if (!config.allowProvisionedConcurrency) report("provisioned concurrency is billed while idle and this stack does not allow it");
        break;
      case "aws:wafv2/webAcl:WebAcl":
        for (const rule of list<Record<string, any>>(props.rules)) {
          const group = rule?.statement?.managedRuleGroupStatement?.name;
          if (PAID_WAF_GROUPS.includes(group) && !config.allowPaidWafRuleGroups) report(`rule ${rule.name}: managed group ${group} has its own subscription and request fees, not allowed here`);
        }
        break;
    }
  },
});

export const billingPolicies = [
  monthlyFixedCostCeiling,
  monthlyCostEstimate,
  billingUnpricedResources,
  budgetGuard,
  dynamodbCapacityGuard,
  cloudfrontPriceClass,
  logGroupRetention,
  lambdaLimits,
  lambdaLogGroupsDeclared,
  paidFeaturesAllowed,
];
