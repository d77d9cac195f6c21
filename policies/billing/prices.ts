/**
 * The price table behind the billing-limit policies and the offline plan's cost estimate.
 *
 * Static and dated on purpose: Infracost has no Pulumi support and needs network access to its
 * pricing API, so the pack prices resources from this committed table. Every entry carries its
 * unit, USD price, the region the price applies to, its source and a confidence mark exactly as
 * `shared/reference/policy-and-pricing.md` §5.3 gives them:
 *  - official: read on an AWS pricing page or AWS document;
 *  - secondary: third-party pages (cost blogs, billing-code pages), consistent with each other;
 *  - unconfirmed: from memory or a single source; check before relying on it.
 * Prices are pay-as-you-go, before free tiers (free tiers are per account and dev and prod may
 * share one). Where only the us-east-1 price is known and the resource lives in eu-west-2, the
 * us-east-1 price is used and the entry says so: London is typically equal or a few % higher.
 * Where a London rate is known, the entry carries it under `regional["eu-west-2"]` and the estimate
 * uses it for resources in eu-west-2 (the line's confidence is then the regional rate's).
 *
 * Update: change the entry, its `source` and `confidence`, then `PRICE_TABLE_DATE`.
 */

export type Confidence = "official" | "secondary" | "unconfirmed";

export interface PriceEntry {
  /** Service and item, e.g. "WAF web ACL". */
  item: string;
  /** What one unit is, e.g. "web ACL-month", "1M requests", "GB-month". */
  unit: string;
  usd: number;
  /** Region the price applies to: an AWS region, "global" (same in every region) or "edge-europe" (CloudFront's Europe column). */
  region: string;
  source: string;
  confidence: Confidence;
  note?: string;
  /**
   * Rates of other regions where they differ from `usd` (keyed by AWS region, e.g. "eu-west-2").
   * The estimate uses the rate of the region the resource lives in, and the entry's own rate elsewhere.
   */
  regional?: Record<string, RegionalPrice>;
}

/** A region's rate for an entry: its own price, source and confidence. */
export interface RegionalPrice {
  usd: number;
  source: string;
  confidence: Confidence;
}

/** When the table was last reviewed (prices collected up to 2026-07, reviewed on this date). */
export const PRICE_TABLE_DATE = "2026-11-25";
export const PRICE_TABLE_CURRENCY = "USD";

const REF = "shared/reference/policy-and-pricing.md §5.3";

const TABLE = {
  // --- Fixed monthly items (billed whether or not anyone visits) -------------------------------
  wafWebAcl: {
    item: "WAF web ACL",
    unit: "web ACL-month",
    usd: 5.0,
    region: "global",
    source: `https://aws.amazon.com/waf/pricing/ (AWS blog: "consistent across all AWS Regions"; ${REF})`,
    confidence: "official",
    note: "prorated hourly",
  },
  wafRule: {
    item: "WAF rule or rule group in a web ACL",
    unit: "rule-month",
    usd: 1.0,
    region: "global",
    source: `https://aws.amazon.com/waf/pricing/ (${REF})`,
    confidence: "official",
    note: "a managed rule group counts as one rule",
  },
  cloudwatchDashboard: {
    item: "CloudWatch dashboard",
    unit: "dashboard-month",
    usd: 3.0,
    region: "us-east-1",
    source: `https://aws.amazon.com/cloudwatch/pricing/ (${REF})`,
    confidence: "secondary",
    note: "3 dashboards of up to 50 metrics free per account (not credited here)",
  },
  cloudwatchAlarmStandard: {
    item: "CloudWatch alarm, standard resolution",
    unit: "alarm metric-month",
    usd: 0.1,
    region: "us-east-1",
    source: `https://aws.amazon.com/cloudwatch/pricing/ (${REF})`,
    confidence: "secondary",
    note: "a metric-math alarm bills each metric it reads; 10 alarms free per account (not credited)",
  },
  cloudwatchAlarmHighResolution: {
    item: "CloudWatch alarm, high resolution (period < 60 s)",
    unit: "alarm metric-month",
    usd: 0.3,
    region: "us-east-1",
    source: `https://aws.amazon.com/cloudwatch/pricing/ (${REF})`,
    confidence: "secondary",
  },
  cloudwatchAlarmAnomaly: {
    item: "CloudWatch anomaly-detection alarm",
    unit: "alarm-month",
    usd: 0.3,
    region: "us-east-1",
    source: `https://aws.amazon.com/cloudwatch/pricing/ (${REF})`,
    confidence: "secondary",
    note: "bills 3 metrics (the metric and its band)",
  },
  cloudwatchCompositeAlarm: {
    item: "CloudWatch composite alarm",
    unit: "alarm-month",
    usd: 0.5,
    region: "us-east-1",
    source: `https://aws.amazon.com/cloudwatch/pricing/ (${REF})`,
    confidence: "secondary",
  },
  cloudwatchCustomMetric: {
    item: "CloudWatch custom metric (each unique name + dimensions)",
    unit: "metric-month",
    usd: 0.3,
    region: "us-east-1",
    source: `https://aws.amazon.com/cloudwatch/pricing/ (${REF})`,
    confidence: "secondary",
    note: "first 10k metrics; lower tiers beyond; 10 metrics free per account (not credited)",
  },
  cloudfrontAdditionalMetrics: {
    item: "CloudFront additional metrics subscription",
    unit: "distribution-month",
    usd: 2.4,
    region: "us-east-1",
    source: "billed as 8 CloudWatch custom metrics per distribution at $0.30 (AWS CloudFront developer guide, 'additional CloudFront distribution metrics')",
    confidence: "unconfirmed",
  },
  kmsKey: {
    item: "KMS customer-managed key",
    unit: "key-month",
    usd: 1.0,
    region: "global",
    source: `https://aws.amazon.com/kms/pricing/ (${REF})`,
    confidence: "official",
  },
  kmsRotation: {
    item: "KMS rotated backing key (automatic rotation)",
    unit: "key-month",
    usd: 1.0,
    region: "global",
    source: `https://aws.amazon.com/kms/pricing/ + May 2024 rotation price change (${REF})`,
    confidence: "secondary",
    note: "+$1/month after each yearly rotation, capped after the 2nd: priced here as the 2nd-year steady state of one rotation",
  },
  route53HostedZone: {
    item: "Route 53 hosted zone",
    unit: "zone-month",
    usd: 0.5,
    region: "global",
    source: `https://aws.amazon.com/route53/pricing/ (${REF})`,
    confidence: "secondary",
    note: "first 25 zones; $0.10 beyond",
  },
  secretsManagerSecret: {
    item: "Secrets Manager secret",
    unit: "secret-month",
    usd: 0.4,
    region: "global",
    source: `https://aws.amazon.com/secrets-manager/pricing/ (${REF})`,
    confidence: "secondary",
  },
  cloudtrailFirstTrail: {
    item: "CloudTrail trail, first copy of management events",
    unit: "trail-month",
    usd: 0,
    region: "global",
    source: `https://aws.amazon.com/cloudtrail/pricing/ (${REF})`,
    confidence: "official",
    note: "storage in S3 is billed as S3; additional copies $2.00 per 100k events",
  },
  cloudtrailAdditionalCopy: {
    item: "CloudTrail additional copy of management events (second trail onwards)",
    unit: "100k events",
    usd: 2.0,
    region: "global",
    source: `https://aws.amazon.com/cloudtrail/pricing/ (${REF})`,
    confidence: "official",
  },
  budgetsBudget: {
    item: "AWS Budgets budget without actions",
    unit: "budget-month",
    usd: 0,
    region: "global",
    source: `https://aws.amazon.com/aws-cost-management/aws-budgets/pricing/ (${REF} §5.2)`,
    confidence: "unconfirmed",
  },
  budgetsAction: {
    item: "AWS Budgets action-enabled budget (beyond the first two)",
    unit: "budget-month",
    usd: 3.04,
    region: "global",
    source: `$0.10/day x 30.4 days (${REF} §5.2)`,
    confidence: "unconfirmed",
  },
  costAnomalyMonitor: {
    item: "Cost Anomaly Detection monitor",
    unit: "monitor-month",
    usd: 0,
    region: "global",
    source: "https://aws.amazon.com/aws-cost-management/aws-cost-anomaly-detection/ (no charge)",
    confidence: "unconfirmed",
  },
  // --- Usage-driven items --------------------------------------------------------------------
  wafRequests: {
    item: "WAF requests inspected",
    unit: "1M requests",
    usd: 0.6,
    region: "global",
    source: `https://aws.amazon.com/waf/pricing/ (${REF})`,
    confidence: "official",
  },
  cloudfrontDataOutEurope: {
    item: "CloudFront data transfer out, Europe / North America, first 10 TB",
    unit: "GB",
    usd: 0.085,
    region: "edge-europe",
    source: `https://aws.amazon.com/cloudfront/pricing/ (${REF})`,
    confidence: "official",
    note: "1 TB/month always free per account (not credited)",
  },
  cloudfrontHttpsRequestsEurope: {
    item: "CloudFront HTTPS requests, Europe",
    unit: "10k requests",
    usd: 0.012,
    region: "edge-europe",
    source: `https://aws.amazon.com/cloudfront/pricing/ (${REF})`,
    confidence: "unconfirmed",
    note: "one secondary page says ~$0.0075/10k; 10M requests/month always free (not credited)",
  },
  cloudfrontFunction: {
    item: "CloudFront Functions invocations",
    unit: "1M invocations",
    usd: 0.1,
    region: "global",
    source: `cur.vantage.sh billing code page, 2026 articles (${REF})`,
    confidence: "secondary",
  },
  lambdaEdgeRequests: {
    item: "Lambda@Edge requests",
    unit: "1M requests",
    usd: 0.6,
    region: "global",
    source: `AWS what's-new 2021 (1 ms billing) + secondary rate pages (${REF})`,
    confidence: "secondary",
  },
  lambdaEdgeDuration: {
    item: "Lambda@Edge duration",
    unit: "GB-second",
    usd: 0.00005001,
    region: "global",
    source: `${REF}`,
    confidence: "secondary",
  },
  lambdaRequests: {
    item: "Lambda requests",
    unit: "1M requests",
    usd: 0.2,
    region: "us-east-1",
    source: "https://aws.amazon.com/lambda/pricing/ (cloudchipr.com 2024 and other secondary pages agree)",
    confidence: "secondary",
    note: "us-east-1 price; eu-west-2 unconfirmed",
  },
  lambdaArmDuration: {
    item: "Lambda duration, arm64",
    unit: "GB-second",
    usd: 0.0000133334,
    region: "us-east-1",
    source: "https://aws.amazon.com/lambda/pricing/ (cloudchipr.com 2024 and other secondary pages agree)",
    confidence: "secondary",
    note: "x86_64 is $0.0000166667; us-east-1 price; eu-west-2 unconfirmed",
  },
  lambdaX86Duration: {
    item: "Lambda duration, x86_64",
    unit: "GB-second",
    usd: 0.0000166667,
    region: "us-east-1",
    source: "https://aws.amazon.com/lambda/pricing/ (cloudchipr.com 2024 and other secondary pages agree)",
    confidence: "secondary",
  },
  cloudwatchLogsIngestion: {
    item: "CloudWatch Logs ingestion, standard class",
    unit: "GB",
    usd: 0.5,
    region: "us-east-1",
    source: `https://aws.amazon.com/cloudwatch/pricing/ (${REF})`,
    confidence: "secondary",
    regional: { "eu-west-2": { usd: 0.5985, source: "https://aws.amazon.com/cloudwatch/pricing/ (Europe (London) column of the pricing page, from memory; check before relying on it)", confidence: "unconfirmed" } },
  },
  cloudwatchLogsStorage: {
    item: "CloudWatch Logs storage",
    unit: "GB-month",
    usd: 0.03,
    region: "us-east-1",
    source: `https://aws.amazon.com/cloudwatch/pricing/ (${REF})`,
    confidence: "secondary",
    regional: { "eu-west-2": { usd: 0.0315, source: "https://aws.amazon.com/cloudwatch/pricing/ (Europe (London) column of the pricing page, from memory; check before relying on it)", confidence: "unconfirmed" } },
  },
  cognitoEssentialsMau: {
    item: "Cognito user pool, Essentials plan",
    unit: "monthly active user",
    usd: 0.015,
    region: "us-east-1",
    source: `https://aws.amazon.com/cognito/pricing/ (${REF})`,
    confidence: "unconfirmed",
    note: "10,000 MAU free tier for Lite and Essentials (not credited)",
  },
  cognitoLiteMau: {
    item: "Cognito user pool, Lite plan",
    unit: "monthly active user",
    usd: 0.0055,
    region: "us-east-1",
    source: `https://aws.amazon.com/cognito/pricing/ (${REF})`,
    confidence: "unconfirmed",
    note: "first tier; lower beyond",
  },
  cognitoPlusMau: {
    item: "Cognito user pool, Plus plan (threat protection)",
    unit: "monthly active user",
    usd: 0.02,
    region: "us-east-1",
    source: `https://aws.amazon.com/cognito/pricing/ (${REF})`,
    confidence: "unconfirmed",
    note: "no free tier",
  },
  sesEmail: {
    item: "SES outbound email",
    unit: "1,000 emails",
    usd: 0.1,
    region: "global",
    source: `https://aws.amazon.com/ses/pricing/ (${REF})`,
    confidence: "unconfirmed",
  },
  dynamodbWrite: {
    item: "DynamoDB on-demand write request units",
    unit: "1M WRU",
    usd: 0.625,
    region: "us-east-1",
    source: `airbyte.com 2025, after the 2024-11-01 price cut (${REF})`,
    confidence: "secondary",
    regional: { "eu-west-2": { usd: 0.7425, source: "https://aws.amazon.com/dynamodb/pricing/on-demand/ (Europe (London) column of the pricing page, from memory: the 2024-11-01 50% cut applied to London's $1.485; check before relying on it)", confidence: "unconfirmed" } },
  },
  dynamodbRead: {
    item: "DynamoDB on-demand read request units",
    unit: "1M RRU",
    usd: 0.125,
    region: "us-east-1",
    source: `airbyte.com 2025, after the 2024-11-01 price cut (${REF})`,
    confidence: "secondary",
    regional: { "eu-west-2": { usd: 0.1485, source: "https://aws.amazon.com/dynamodb/pricing/on-demand/ (Europe (London) column of the pricing page, from memory: the 2024-11-01 50% cut applied to London's $0.297; check before relying on it)", confidence: "unconfirmed" } },
  },
  dynamodbStorage: {
    item: "DynamoDB storage, standard table class",
    unit: "GB-month",
    usd: 0.25,
    region: "us-east-1",
    source: REF,
    confidence: "unconfirmed",
    regional: { "eu-west-2": { usd: 0.297, source: "https://aws.amazon.com/dynamodb/pricing/on-demand/ (Europe (London) column of the pricing page, from memory; check before relying on it)", confidence: "unconfirmed" } },
  },
  dynamodbPitr: {
    item: "DynamoDB point-in-time recovery",
    unit: "GB-month",
    usd: 0.2,
    region: "us-east-1",
    source: REF,
    confidence: "unconfirmed",
    regional: { "eu-west-2": { usd: 0.2376, source: "https://aws.amazon.com/dynamodb/pricing/on-demand/ (Europe (London) column of the pricing page, from memory; check before relying on it)", confidence: "unconfirmed" } },
  },
  s3StandardStorageLondon: {
    item: "S3 Standard storage, first 50 TB",
    unit: "GB-month",
    usd: 0.024,
    region: "eu-west-2",
    source: `${REF} (eu-west-2 from memory; us-east-1 is $0.023 [secondary])`,
    confidence: "unconfirmed",
    note: "Intelligent-Tiering's frequent tier is priced like Standard; colder tiers are cheaper",
  },
  s3IntelligentTieringMonitoring: {
    item: "S3 Intelligent-Tiering monitoring and automation",
    unit: "1,000 objects-month",
    usd: 0.0025,
    region: "us-east-1",
    source: REF,
    confidence: "secondary",
    note: "objects > 128 KB only",
  },
  guardDutyManagementEvents: {
    item: "GuardDuty analysis of CloudTrail management events",
    unit: "1M events",
    usd: 4.0,
    region: "us-east-1",
    source: `2026 secondary article (${REF})`,
    confidence: "secondary",
    note: "tiered down at volume; 30-day free trial",
    regional: { "eu-west-2": { usd: 4.6, source: "https://aws.amazon.com/guardduty/pricing/ (Europe (London) column of the pricing page, from memory; check before relying on it)", confidence: "unconfirmed" } },
  },
  guardDutyS3DataEvents: {
    item: "GuardDuty S3 Protection (S3 data events)",
    unit: "1M events",
    usd: 0.8,
    region: "us-east-1",
    source: "https://aws.amazon.com/guardduty/pricing/ (from memory)",
    confidence: "unconfirmed",
    regional: { "eu-west-2": { usd: 0.92, source: "https://aws.amazon.com/guardduty/pricing/ (Europe (London) column of the pricing page, from memory; check before relying on it)", confidence: "unconfirmed" } },
  },
  guardDutyLambdaNetwork: {
    item: "GuardDuty Lambda Protection (network activity logs)",
    unit: "GB",
    usd: 1.0,
    region: "us-east-1",
    source: `VPC Flow log analysis rate (${REF}); Lambda network logs priced alike (from memory)`,
    confidence: "unconfirmed",
    regional: { "eu-west-2": { usd: 1.15, source: "https://aws.amazon.com/guardduty/pricing/ (Europe (London) column of the pricing page, from memory; check before relying on it)", confidence: "unconfirmed" } },
  },
  snsEmailDelivery: {
    item: "SNS email notifications",
    unit: "100k notifications",
    usd: 2.0,
    region: "us-east-1",
    source: "factualminds.com 2026-06 'Amazon SNS pricing' (secondary)",
    confidence: "secondary",
  },
  snsPublish: {
    item: "SNS standard topic publishes",
    unit: "1M publishes",
    usd: 0.5,
    region: "us-east-1",
    source: "factualminds.com 2026-06 'Amazon SNS pricing' (secondary)",
    confidence: "secondary",
  },
  sqsRequests: {
    item: "SQS standard queue requests",
    unit: "1M requests",
    usd: 0.4,
    region: "us-east-1",
    source: "https://aws.amazon.com/sqs/pricing/ (from memory)",
    confidence: "unconfirmed",
  },
  acmPublicCertificate: {
    item: "ACM public certificate",
    unit: "certificate-month",
    usd: 0,
    region: "global",
    source: "https://aws.amazon.com/certificate-manager/pricing/ (public certificates are free)",
    confidence: "unconfirmed",
  },
} satisfies Record<string, PriceEntry>;

export type PriceId = keyof typeof TABLE;
export type PriceTable = Record<PriceId, PriceEntry>;
export const PRICES: PriceTable = TABLE;
