import type { StackResourceSpec } from "../../support/policies";
import { budget, distribution, edgeFunction, nodeFunction, T, topicWithPolicy, TOPIC_ARN, tweak, userPool, webAcl } from "../fixtures";
import type { PolicyCase } from "./types";

const BUDGET = { "mpto:monthlyBudgetUsd": "60" };

/** A small stack: one web ACL with 4 rules, a dashboard, 3 alarms, 2 rotating keys (fixed $16.30). */
function smallStack(): StackResourceSpec[] {
  const alarm = { namespace: "AWS/Lambda", metricName: "Errors", period: 300, alarmActions: [TOPIC_ARN], okActions: [TOPIC_ARN] };
  return [
    { type: T.webAcl, name: "edge-waf", props: webAcl() },
    { type: T.dashboard, name: "dashboard", props: { dashboardName: "mpto", dashboardBody: "{}" } },
    { type: T.alarm, name: "alarm-1", props: alarm },
    { type: T.alarm, name: "alarm-2", props: alarm },
    { type: T.alarm, name: "alarm-3", props: alarm },
    { type: T.key, name: "key-1", props: { enableKeyRotation: true } },
    { type: T.key, name: "key-2", props: { enableKeyRotation: true } },
    { type: T.distribution, name: "edge-distribution", props: distribution() },
    { type: T.userPool, name: "users", props: tweak(userPool(), (p) => (p.userPoolTier = "ESSENTIALS")) },
  ];
}

const withBudget = (b: Record<string, any> = budget()): StackResourceSpec[] => [...topicWithPolicy(), { type: T.budget, name: "budget", props: b }];

export const billingCases: PolicyCase[] = [
  { policy: "monthly-fixed-cost-ceiling", title: "passes a stack whose fixed monthly cost ($16.30) is under the ceiling", resources: smallStack(), config: { maxFixedMonthlyUsd: 20 }, expect: "pass" },
  {
    policy: "monthly-fixed-cost-ceiling",
    title: "fails over the ceiling with a per-resource breakdown, biggest first",
    resources: smallStack(),
    config: { maxFixedMonthlyUsd: 10 },
    expect: [/fixed monthly cost \$16\.30 exceeds the ceiling of \$10\.00/, /\$ {3}5\.00 {2}edge-waf: WAF web ACL/, /\$ {3}4\.00 {2}edge-waf: WAF rule or rule group in a web ACL, 4 x \$1\/rule-month/, /\$ {3}3\.00 {2}dashboard: CloudWatch dashboard.*\[secondary\]/, /key-1: KMS customer-managed key/],
    count: 1,
  },

  { policy: "monthly-cost-estimate", title: "passes an estimate within the stack's budget from stack config", resources: smallStack(), stackConfig: BUDGET, expect: "pass" },
  {
    policy: "monthly-cost-estimate",
    title: "fails an estimate above the budget share, naming the largest items and the unconfirmed share",
    resources: smallStack(),
    stackConfig: BUDGET,
    config: { usage: { dataOutGb: 1000, monthlyActiveUsers: 2000 } },
    expect: [/estimated monthly cost \$\d+\.\d\d \(fixed \$16\.30, usage \$\d+\.\d\d\) exceeds \$60\.00/, /edge-distribution: CloudFront data transfer out.*1000 x \$0\.085\/GB/, /rests on unconfirmed prices/],
    count: 1,
  },
  { policy: "monthly-cost-estimate", title: "fails when the stack config has no budget to compare with", resources: smallStack(), stackConfig: {}, expect: /set mpto:monthlyBudgetUsd/ },
  { policy: "monthly-cost-estimate", title: "fails when the estimate uses more than the allowed share of the budget", resources: smallStack(), stackConfig: { "mpto:monthlyBudgetUsd": "40" }, config: { maxShareOfBudget: 0.5 }, expect: /exceeds \$20\.00 \(50% of the \$40\.00 budget\)/ },

  { policy: "budget-guard", title: "passes a monthly cost budget at the stack's budget with ACTUAL and FORECASTED alerts to a topic Budgets may publish to", resources: withBudget(), stackConfig: BUDGET, expect: "pass" },
  { policy: "budget-guard", title: "fails a stack without a budget", resources: topicWithPolicy(), stackConfig: BUDGET, expect: /no monthly COST budget/ },
  {
    policy: "budget-guard",
    title: "fails a limit above the ceiling and different from the stack's budget",
    resources: withBudget(budget("500")),
    stackConfig: BUDGET,
    config: { maxBudgetUsd: 100 },
    expect: [/limit \$500\.00 is above this stack's ceiling of \$100\.00/, /differs from the stack's mpto:monthlyBudgetUsd \(\$60\.00\)/],
    count: 2,
  },
  {
    policy: "budget-guard",
    title: "fails a budget without a FORECASTED alert, and one whose topic refuses Budgets",
    resources: [
      ...topicWithPolicy().slice(0, 1),
      { type: T.topicPolicy, name: "alerts-topic-policy", props: { arn: TOPIC_ARN, policy: JSON.stringify({ Statement: [] }) } },
      { type: T.budget, name: "budget", props: tweak(budget(), (b) => b.notifications.pop()) },
    ],
    stackConfig: BUDGET,
    expect: [/no FORECASTED alert/, /no topic policy letting budgets\.amazonaws\.com publish/],
  },
  {
    policy: "budget-guard",
    title: "fails ACTUAL alerts that fire only after the whole budget is spent",
    resources: withBudget(tweak(budget(), (b) => (b.notifications = b.notifications.map((n: any) => ({ ...n, threshold: n.notificationType === "ACTUAL" ? 150 : 100 }))))),
    stackConfig: BUDGET,
    expect: /no ACTUAL alert fires at or below 100% of the limit/,
  },

  { policy: "dynamodb-capacity-guard", title: "passes an on-demand table", type: T.table, props: { billingMode: "PAY_PER_REQUEST" }, expect: "pass" },
  { policy: "dynamodb-capacity-guard", title: "fails a provisioned table where the stack allows only on demand", type: T.table, props: { billingMode: "PROVISIONED", readCapacity: 5, writeCapacity: 5 }, expect: /billingMode is PROVISIONED/, rules: ["DynamoDB.1", "NIST DynamoDBAutoScalingEnabled"] },
  { policy: "dynamodb-capacity-guard", title: "fails uncapped on-demand throughput where the stack requires a cap", type: T.table, props: { billingMode: "PAY_PER_REQUEST" }, config: { requireOnDemandCap: true }, expect: /uncapped/ },
  { policy: "dynamodb-capacity-guard", title: "passes capped on-demand throughput where the stack requires a cap", type: T.table, props: { billingMode: "PAY_PER_REQUEST", onDemandThroughput: { maxReadRequestUnits: 100, maxWriteRequestUnits: 50 } }, config: { requireOnDemandCap: true }, expect: "pass" },

  { policy: "cloudfront-price-class", title: "passes PriceClass_100 (North America and Europe)", type: T.distribution, props: distribution(), expect: "pass" },
  { policy: "cloudfront-price-class", title: "fails an unset price class, which means PriceClass_All", type: T.distribution, props: tweak(distribution(), (d) => delete d.priceClass), expect: /priceClass PriceClass_All \(unset: AWS default\) is not allowed/ },
  { policy: "cloudfront-price-class", title: "passes PriceClass_200 where the stack allows it", type: T.distribution, props: tweak(distribution(), (d) => (d.priceClass = "PriceClass_200")), config: { allowedPriceClasses: ["PriceClass_100", "PriceClass_200"] }, expect: "pass" },

  { policy: "log-group-retention", title: "passes a 30-day retention", type: T.logGroup, props: { retentionInDays: 30 }, expect: "pass" },
  { policy: "log-group-retention", title: "fails a group that keeps logs forever", type: T.logGroup, props: {}, expect: /kept \(and billed\) forever/, rules: ["CloudWatch.16", "CKV_AWS_66", "NIST CloudWatchLogGroupRetentionPeriod", "CT.CLOUDWATCH.PR.2"] },
  { policy: "log-group-retention", title: "fails a retention beyond the stack's cost cap", type: T.logGroup, props: { retentionInDays: 3653 }, config: { maxRetentionDays: 30 }, expect: /3653 is above the maximum of 30/ },

  { policy: "lambda-limits", title: "passes a 256 MB, 10 s function and a 128 MB, 5 s edge function", type: T.function, props: nodeFunction(), expect: "pass" },
  { policy: "lambda-limits", title: "fails memory and timeout above the stack's caps", type: T.function, props: tweak(nodeFunction(), (f) => ((f.memorySize = 3008), (f.timeout = 300))), expect: [/memorySize 3008 MB is above the function cap of 1024 MB/, /timeout 300 s is above the function cap of 30 s/], count: 2 },
  { policy: "lambda-limits", title: "fails a Lambda@Edge function beyond the viewer-trigger limits", type: T.function, props: tweak(edgeFunction(), (f) => (f.memorySize = 512)), expect: /Lambda@Edge function cap of 128 MB/ },

  {
    policy: "lambda-log-groups-declared",
    title: "passes a function logging to the log group the stack declares",
    resources: [
      { type: T.function, name: "fn", props: nodeFunction() },
      { type: T.logGroup, name: "fn-logs", props: { name: "/aws/lambda/mail-events-handler-1a2b3c4", retentionInDays: 30 } },
      { type: T.function, name: "edge", props: edgeFunction() },
    ],
    expect: "pass",
  },
  {
    policy: "lambda-log-groups-declared",
    title: "fails a function whose log group Lambda would create without retention",
    resources: [{ type: T.function, name: "fn", props: tweak(nodeFunction(), (f) => delete f.loggingConfig) }],
    expect: /logs to \/aws\/lambda\/mail-events-handler-fn-1a2b3c4, which the stack does not declare/,
  },

  { policy: "paid-features-allowed", title: "passes the Essentials plan without threat protection", type: T.userPool, props: tweak(userPool(), (p) => ((p.userPoolTier = "ESSENTIALS"), delete p.userPoolAddOns)), expect: "pass" },
  { policy: "paid-features-allowed", title: "fails the Plus plan and threat protection in a stack that does not pay for them", type: T.userPool, props: userPool(), expect: [/userPoolTier PLUS is a paid plan/, /needs the paid Plus plan/], count: 2 },
  { policy: "paid-features-allowed", title: "passes the Plus plan where the stack allows it", type: T.userPool, props: userPool(), config: { allowCognitoPlus: true }, expect: "pass" },
  { policy: "paid-features-allowed", title: "fails a GuardDuty protection plan the stack does not allow", type: T.detectorFeature, props: { detectorId: "d", name: "S3_DATA_EVENTS", status: "ENABLED" }, expect: /S3_DATA_EVENTS is a paid protection plan/ },
  { policy: "paid-features-allowed", title: "passes an allowed GuardDuty protection plan", type: T.detectorFeature, props: { detectorId: "d", name: "S3_DATA_EVENTS", status: "ENABLED" }, config: { allowedGuardDutyFeatures: ["S3_DATA_EVENTS"] }, expect: "pass" },
  { policy: "paid-features-allowed", title: "fails legacy detector datasources that turn on S3 Protection", type: T.detector, props: { enable: true, datasources: { s3Logs: { enable: true } } }, expect: /datasources turn on S3_DATA_EVENTS/ },
  {
    policy: "paid-features-allowed",
    title: "fails CloudFront additional metrics, provisioned concurrency and Bot Control where not allowed",
    type: T.monitoringSubscription,
    props: { distributionId: "E1", monitoringSubscription: { realtimeMetricsSubscriptionConfig: { realtimeMetricsSubscriptionStatus: "Enabled" } } },
    expect: /CloudFront additional metrics are billed/,
  },
  { policy: "paid-features-allowed", title: "fails provisioned concurrency", type: T.provisionedConcurrency, props: { functionName: "f", qualifier: "1", provisionedConcurrentExecutions: 2 }, expect: /billed while idle/ },
  {
    policy: "paid-features-allowed",
    title: "fails WAF Bot Control where not allowed",
    type: T.webAcl,
    props: tweak(webAcl(), (w) => w.rules.push({ name: "Bots", priority: 9, overrideAction: { none: {} }, statement: { managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesBotControlRuleSet" } } })),
    expect: /AWSManagedRulesBotControlRuleSet has its own subscription/,
  },
];
