import type { CostLine } from "./estimate";
import type { Confidence, PriceId } from "./prices";

/**
 * AWS's **always-free** allowances that the stack's cost lines draw on, dated and sourced, and the
 * arithmetic that turns a list-price estimate into the bill a budget owner should expect.
 *
 * Only offers that never expire are here. 12-month offers (S3 5 GB, SES 3,000 messages) and trials
 * (GuardDuty 30 days, Secrets Manager 30 days) are left out on purpose: accounts opened since
 * 2025-07-15 get credits instead of the 12-month tier, and a trial ends before the first bill
 * that matters (https://aws.amazon.com/free/ "Always free" filter; AWS News Blog 2025-07-15).
 *
 * Allowances are per **account** and month, summed over regions, so every stack that shares an
 * account shares them: `creditFreeTier` takes the share this stack may claim (1 / stacks in the
 * account) and never credits more than that share. Confidence marks as in prices.ts.
 */

export const FREE_TIER_DATE = "2026-12-01";

export interface FreeAllowance {
  /** Short id, e.g. "cloudfrontDataOut". */
  id: string;
  /** What is free, as AWS words it. */
  item: string;
  /** The cost lines (by price id) the allowance covers, most expensive first when it covers several. */
  priceIds: PriceId[];
  /** Free quantity per account and month, in the unit of those price entries. */
  quantity: number;
  unit: string;
  source: string;
  confidence: Confidence;
  note?: string;
}

export const ALWAYS_FREE: readonly FreeAllowance[] = [
  {
    id: "cloudfrontDataOut",
    item: "CloudFront data transfer out, 1 TB per month",
    priceIds: ["cloudfrontDataOutEurope"],
    quantity: 1024,
    unit: "GB",
    source: "https://aws.amazon.com/cloudfront/pricing/ (always free: 1 TB out, 10M requests, 2M CloudFront Function invocations; shared/reference/policy-and-pricing.md §5.3 [doc])",
    confidence: "official",
    note: "pay-as-you-go distributions only; a flat-rate plan replaces it",
  },
  {
    id: "cloudfrontRequests",
    item: "CloudFront HTTP/HTTPS requests, 10 million per month",
    priceIds: ["cloudfrontHttpsRequestsEurope"],
    quantity: 1000,
    unit: "10k requests",
    source: "https://aws.amazon.com/cloudfront/pricing/ (always free; shared/reference/policy-and-pricing.md §5.3 [doc])",
    confidence: "official",
  },
  {
    id: "cloudfrontFunctions",
    item: "CloudFront Functions invocations, 2 million per month",
    priceIds: ["cloudfrontFunction"],
    quantity: 2,
    unit: "1M invocations",
    source: "https://aws.amazon.com/cloudfront/pricing/ (always free; shared/reference/policy-and-pricing.md §5.3 [doc])",
    confidence: "official",
    note: "Lambda@Edge has no free tier",
  },
  {
    id: "cognitoMau",
    item: "Cognito user pool monthly active users, 10,000 (Lite and Essentials)",
    priceIds: ["cognitoEssentialsMau", "cognitoLiteMau"],
    quantity: 10_000,
    unit: "monthly active user",
    source: "https://aws.amazon.com/cognito/pricing/ (free tier that does not expire; none for Plus) — shared/reference/policy-and-pricing.md §5.3",
    confidence: "unconfirmed",
    note: "direct and social sign-in; SAML/OIDC federated users have 50 free MAU",
  },
  {
    id: "cloudwatchMetrics",
    item: "CloudWatch metrics (custom and detailed monitoring), 10 per month",
    priceIds: ["cloudwatchCustomMetric"],
    quantity: 10,
    unit: "metric-month",
    source: "https://aws.amazon.com/cloudwatch/pricing/ (free tier: 10 metrics, 10 alarm metrics, 3 dashboards of up to 50 metrics, 5 GB of logs) — §5.3 [secondary]",
    confidence: "secondary",
  },
  {
    id: "cloudwatchAlarms",
    item: "CloudWatch alarm metrics, standard resolution, 10 per month",
    priceIds: ["cloudwatchAlarmStandard"],
    quantity: 10,
    unit: "alarm metric-month",
    source: "https://aws.amazon.com/cloudwatch/pricing/ (free tier) — §5.3 [secondary]",
    confidence: "secondary",
    note: "high-resolution, composite and anomaly-detection alarms are not covered",
  },
  {
    id: "cloudwatchDashboards",
    item: "CloudWatch dashboards of up to 50 metrics, 3 per month",
    priceIds: ["cloudwatchDashboard"],
    quantity: 3,
    unit: "dashboard-month",
    source: "https://aws.amazon.com/cloudwatch/pricing/ (free tier) — §5.3 [secondary]",
    confidence: "secondary",
  },
  {
    id: "cloudwatchLogs",
    item: "CloudWatch Logs data, 5 GB per month (ingestion, storage and Insights scans together)",
    priceIds: ["cloudwatchLogsIngestion"],
    quantity: 5,
    unit: "GB",
    source: "https://aws.amazon.com/cloudwatch/pricing/ (free tier: 5 GB of logs data) [secondary]",
    confidence: "secondary",
    note: "credited to ingestion only (the 5 GB also covers storage and scans, so this does not over-credit)",
  },
  {
    id: "dynamodbStorage",
    item: "DynamoDB data storage, 25 GB per month",
    priceIds: ["dynamodbStorage"],
    quantity: 25,
    unit: "GB-month",
    source: "https://aws.amazon.com/dynamodb/pricing/on-demand/ (always free: 25 GB storage; the 25 WCU/RCU are provisioned-mode only) — §5.3",
    confidence: "secondary",
    note: "on-demand requests and PITR have no free tier",
  },
  {
    id: "lambdaRequests",
    item: "Lambda requests, 1 million per month",
    priceIds: ["lambdaRequests"],
    quantity: 1,
    unit: "1M requests",
    source: "https://aws.amazon.com/lambda/pricing/ (free tier: 1M requests and 400,000 GB-seconds per month, does not expire) [secondary]",
    confidence: "secondary",
    note: "regional functions; Lambda@Edge has no free tier",
  },
  {
    id: "lambdaDuration",
    item: "Lambda compute, 400,000 GB-seconds per month (x86 and arm64 together)",
    priceIds: ["lambdaX86Duration", "lambdaArmDuration"],
    quantity: 400_000,
    unit: "GB-second",
    source: "https://aws.amazon.com/lambda/pricing/ (free tier, does not expire) [secondary]",
    confidence: "secondary",
  },
  {
    id: "snsEmail",
    item: "SNS email notifications, 1,000 per month",
    priceIds: ["snsEmailDelivery"],
    quantity: 0.01,
    unit: "100k notifications",
    source: "https://aws.amazon.com/sns/pricing/ (free tier: 1,000 email deliveries per month) [secondary]",
    confidence: "secondary",
  },
];

/** One allowance as credited to this stack. */
export interface FreeTierCredit {
  id: string;
  item: string;
  /** Per account and month. */
  allowance: number;
  /** The part this stack may claim (allowance x share). */
  claimable: number;
  /** What the stack's lines use of the covered meters. */
  used: number;
  /** Quantity actually credited (min of used and claimable). */
  credited: number;
  unit: string;
  creditedUsd: number;
  confidence: Confidence;
  source: string;
}

export interface FreeTierResult {
  /** Share of each account-wide allowance this stack may claim (1 = the account is its own). */
  share: number;
  credits: FreeTierCredit[];
  /** Free USD per cost line, in the order of the lines given. */
  freeUsdByLine: number[];
  totalCreditedUsd: number;
}

const round = (n: number, places = 4) => Math.round(n * 10 ** places) / 10 ** places;

/**
 * Credits the always-free allowances to the cost lines: for each allowance, the stack may claim
 * `allowance x share`; that quantity is taken from the covered lines, most expensive unit first,
 * then in line order. Pure and deterministic.
 */
export function creditFreeTier(lines: readonly CostLine[], share: number, allowances: readonly FreeAllowance[] = ALWAYS_FREE): FreeTierResult {
  if (!(share > 0 && share <= 1)) throw new Error(`creditFreeTier: share must be in (0, 1], got ${share}`);
  const freeUsdByLine = lines.map(() => 0);
  const credits: FreeTierCredit[] = [];
  for (const a of allowances) {
    const covered = lines
      .map((line, index) => ({ line, index }))
      .filter(({ line }) => (a.priceIds as readonly string[]).includes(line.priceId) && line.quantity > 0)
      .sort((x, y) => y.line.unitUsd - x.line.unitUsd || x.index - y.index);
    if (!covered.length) continue;
    const claimable = a.quantity * share;
    let left = claimable;
    let creditedUsd = 0;
    for (const { line, index } of covered) {
      const take = Math.min(left, line.quantity);
      if (take <= 0) break;
      const usd = Math.min(line.monthlyUsd, take * line.unitUsd);
      freeUsdByLine[index] += usd;
      creditedUsd += usd;
      left -= take;
    }
    const used = covered.reduce((t, { line }) => t + line.quantity, 0);
    credits.push({
      id: a.id,
      item: a.item,
      allowance: a.quantity,
      claimable: round(claimable, 6),
      used: round(used, 6),
      credited: round(Math.min(used, claimable), 6),
      unit: a.unit,
      creditedUsd: round(creditedUsd),
      confidence: a.confidence,
      source: a.source,
    });
  }
  return { share, credits, freeUsdByLine: freeUsdByLine.map((n) => round(n)), totalCreditedUsd: round(credits.reduce((t, c) => t + c.creditedUsd, 0), 2) };
}
