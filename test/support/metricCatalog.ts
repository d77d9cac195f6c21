import assert from "node:assert/strict";
import type { RecordedResource } from "../../tools/mocks/runtime";

/**
 * The CloudWatch metrics this project reads, with the exact dimension set each is published with
 * and where it lives, written down independently of the code under test (AWS "metrics and
 * dimensions" pages; CloudFront/WAF carry no Region dimension for WAF and Region=Global for
 * CloudFront, both only in us-east-1: cdklabs/cdk-monitoring-constructs#681). A dashboard line or
 * alarm naming anything else would show "no data" forever.
 */
export interface CatalogEntry {
  /** Sorted dimension names. */
  dimensions: string[];
  /** "us-east-1" for global-edge metrics; "stack" for the stack's region. */
  region: "us-east-1" | "stack";
  /** Exists only when CloudFront additional metrics are enabled for the distribution. */
  additional?: boolean;
}

const cf = (additional = false): CatalogEntry => ({ dimensions: ["DistributionId", "Region"], region: "us-east-1", additional });
const waf: CatalogEntry = { dimensions: ["Rule", "WebACL"], region: "us-east-1" };
const ses: CatalogEntry = { dimensions: [], region: "stack" };
const lambda: CatalogEntry = { dimensions: ["FunctionName"], region: "stack" };
const ddb: CatalogEntry = { dimensions: ["TableName"], region: "stack" };
const cognito: CatalogEntry = { dimensions: ["UserPool", "UserPoolClient"], region: "stack" };

export const METRIC_CATALOG: Record<string, Record<string, CatalogEntry>> = {
  "AWS/CloudFront": {
    Requests: cf(),
    BytesDownloaded: cf(),
    BytesUploaded: cf(),
    "4xxErrorRate": cf(),
    "5xxErrorRate": cf(),
    TotalErrorRate: cf(),
    CacheHitRate: cf(true),
    OriginLatency: cf(true),
  },
  "AWS/WAFV2": { AllowedRequests: waf, BlockedRequests: waf, CountedRequests: waf },
  "AWS/SES": { Send: ses, Delivery: ses, Bounce: ses, Complaint: ses, "Reputation.BounceRate": ses, "Reputation.ComplaintRate": ses },
  "AWS/Lambda": { Errors: lambda, Throttles: lambda, Invocations: lambda, Duration: lambda },
  "AWS/DynamoDB": {
    ConsumedReadCapacityUnits: ddb,
    ConsumedWriteCapacityUnits: ddb,
    ReadThrottleEvents: ddb,
    WriteThrottleEvents: ddb,
    SystemErrors: { dimensions: ["Operation", "TableName"], region: "stack" },
  },
  "AWS/Cognito": { SignInSuccesses: cognito, SignInThrottles: cognito },
  "AWS/SQS": { ApproximateNumberOfMessagesVisible: { dimensions: ["QueueName"], region: "stack" } },
  "MPTO/Business": { BookingsCreated: { dimensions: ["Environment", "Service"], region: "stack" } },
  // Canary runs publish SuccessPercent per CanaryName in the canary's region (CloudWatch User Guide, "CloudWatch metrics published by canaries").
  CloudWatchSynthetics: { SuccessPercent: { dimensions: ["CanaryName"], region: "stack" } },
  // Published by functions/video/jobStateChange.ts (failures as they happen, stuck jobs every sweep).
  "MPTO/Video": { FailedJobs: { dimensions: ["Pipeline"], region: "stack" }, StuckJobs: { dimensions: ["Pipeline"], region: "stack" } },
};

/** One metric a dashboard line or an alarm reads. */
export interface MetricRef {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  region: string;
  where: string;
}

/** Parses a dashboard body's metric lines: [namespace, name, dimName, dimValue, ..., {options}?]. */
export function dashboardMetrics(body: string): { widgets: any[]; metrics: MetricRef[] } {
  const parsed = JSON.parse(body);
  assert.ok(Array.isArray(parsed.widgets), "dashboard body has a widgets array");
  const metrics: MetricRef[] = [];
  for (const w of parsed.widgets) {
    if (w.type !== "metric") continue;
    for (const line of w.properties.metrics as unknown[][]) {
      const values = line.filter((v) => typeof v === "string") as string[];
      const options = line.filter((v) => typeof v === "object");
      assert.ok(options.length <= 1 && (options.length === 0 || line[line.length - 1] === options[0]), `options object last in ${JSON.stringify(line)}`);
      assert.ok(values.length >= 2 && values.length % 2 === 0, `namespace, name and name/value pairs in ${JSON.stringify(line)}`);
      const [namespace, metricName, ...pairs] = values;
      const dimensions: Record<string, string> = {};
      for (let i = 0; i < pairs.length; i += 2) dimensions[pairs[i]] = pairs[i + 1];
      metrics.push({ namespace, metricName, dimensions, region: w.properties.region, where: `widget "${w.properties.title}"` });
    }
  }
  return { widgets: parsed.widgets, metrics };
}

/** The metrics an alarm reads (single metric or metric-math queries). */
export function alarmMetrics(alarm: RecordedResource): MetricRef[] {
  const i = alarm.inputs as any;
  const region = alarm.region!;
  if (i.metricQueries) {
    return (i.metricQueries as any[])
      .filter((q) => q.metric)
      .map((q) => ({ namespace: q.metric.namespace, metricName: q.metric.metricName, dimensions: q.metric.dimensions ?? {}, region, where: `alarm ${alarm.name}` }));
  }
  return [{ namespace: i.namespace, metricName: i.metricName, dimensions: i.dimensions ?? {}, region, where: `alarm ${alarm.name}` }];
}

/** Asserts the metric exists in the catalogue, with exactly its dimension set, in the right region. */
export function assertKnownMetric(m: MetricRef, stackRegion: string, additionalMetrics: boolean): void {
  const entry = METRIC_CATALOG[m.namespace]?.[m.metricName];
  assert.ok(entry, `${m.where}: ${m.namespace} ${m.metricName} is not a metric this project's resources publish`);
  assert.deepEqual(Object.keys(m.dimensions).sort(), entry.dimensions, `${m.where}: dimensions of ${m.namespace} ${m.metricName}`);
  assert.equal(m.region, entry.region === "us-east-1" ? "us-east-1" : stackRegion, `${m.where}: region of ${m.namespace} ${m.metricName}`);
  if (entry.additional) assert.ok(additionalMetrics, `${m.where}: ${m.metricName} exists only with CloudFront additional metrics`);
  for (const [k, v] of Object.entries(m.dimensions)) assert.ok(typeof v === "string" && v.length > 0, `${m.where}: dimension ${k} has a value`);
}

/** Region of an SNS topic ARN. */
export function topicRegion(arn: string): string {
  const parts = arn.split(":");
  assert.equal(parts[2], "sns", `${arn} is an SNS topic ARN`);
  return parts[3];
}
