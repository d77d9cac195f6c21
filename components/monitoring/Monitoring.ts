import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { metricAlarm } from "../shared/alarm";
import { BOOKING_METRIC } from "../../functions/metrics/schema";
import { policyJson } from "../shared/policyDocument";
import { EDGE_REGION } from "../shared/regions";

/** Alarm thresholds. Counts are per 5-minute period; rates are percentages (0-100). */
export interface MonitoringThresholds {
  /** CloudFront 5xxErrorRate, percent of requests. Default 1. */
  cloudFront5xxErrorRatePercent: number;
  /** CloudFront 4xxErrorRate, percent of requests. Default 10. */
  cloudFront4xxErrorRatePercent: number;
  /** CloudFront OriginLatency p90 in ms (additional metrics only). Default 3000. */
  originLatencyMs: number;
  /** WAF BlockedRequests per 5 minutes. Default 500. */
  wafBlockedRequests: number;
  /** SES Reputation.BounceRate, percent. Default 4 (AWS reviews an account at 5%). */
  sesBounceRatePercent: number;
  /** SES Reputation.ComplaintRate, percent. Default 0.08 (AWS reviews an account at 0.1%). */
  sesComplaintRatePercent: number;
  /** Lambda Errors per function per 5 minutes. Default 1. */
  lambdaErrors: number;
  /** Lambda Throttles per function per 5 minutes. Default 1. */
  lambdaThrottles: number;
  /** DynamoDB read + write throttle events per 5 minutes. Default 1. */
  dynamoDbThrottles: number;
  /** Cognito SignInThrottles per 5 minutes. Default 1. */
  cognitoSignInThrottles: number;
}

export const DEFAULT_THRESHOLDS: MonitoringThresholds = {
  cloudFront5xxErrorRatePercent: 1,
  cloudFront4xxErrorRatePercent: 10,
  originLatencyMs: 3000,
  wafBlockedRequests: 500,
  sesBounceRatePercent: 4,
  sesComplaintRatePercent: 0.08,
  lambdaErrors: 1,
  lambdaThrottles: 1,
  dynamoDbThrottles: 1,
  cognitoSignInThrottles: 1,
};

/** A Lambda function to watch: its name and a short label for alarm and widget titles. */
export interface WatchedFunction {
  /** Function name (the FunctionName dimension). */
  name: pulumi.Input<string>;
  /** Short label, e.g. "booking-mail". */
  label: string;
  /** Create the Errors alarm (false when the function's own component already alarms on errors, e.g. NodeFunction with alarmTopicArn). Default true. */
  errorAlarm?: boolean;
}

export interface MonitoringArgs {
  /** Alert topic in the stack's region: alarm and OK actions of regional alarms. Required. */
  alarmTopicArn: pulumi.Input<string>;
  /** Alert topic in us-east-1: alarm and OK actions of CloudFront and WAF alarms. Required when distributionId or webAclName is set. */
  edgeAlarmTopicArn?: pulumi.Input<string>;
  /** Environment dimension of MPTO/Business BookingsCreated; also names the dashboard. Required. */
  environment: string;
  /** Service dimension values of BookingsCreated shown on the dashboard. Default ["Tutoring"]. */
  bookingServices?: string[];
  /** Dashboard name (unique in the account). Default `mpto-${environment}`. */
  dashboardName?: string;
  /** CloudFront distribution id. Default none: no CloudFront alarms or widgets. */
  distributionId?: pulumi.Input<string>;
  /** Subscribe the distribution to CloudFront's additional metrics (cache hit rate, origin latency; billed) and alarm/graph them. Default false. */
  cloudFrontAdditionalMetrics?: boolean;
  /** Name of the CLOUDFRONT-scope WAF web ACL (the WebACL dimension). Default none: no WAF alarm or widget. */
  webAclName?: pulumi.Input<string>;
  /** Regional Lambda functions to watch (errors and throttles). Default none. */
  functions?: WatchedFunction[];
  /** DynamoDB table to watch (throttles, system errors, consumed capacity). Default none. */
  tableName?: pulumi.Input<string>;
  /** Table operations whose SystemErrors are summed into the alarm (metric math, at most 10). Default GetItem, PutItem, UpdateItem, DeleteItem, Query. */
  tableOperations?: string[];
  /** Cognito user pool id; with `userPoolClientId`, enables the sign-in throttle alarm. Default none. */
  userPoolId?: pulumi.Input<string>;
  /** Cognito app client id (the UserPoolClient dimension). Default none. */
  userPoolClientId?: pulumi.Input<string>;
  /** The SES configuration set the stack sends with; its presence turns on the SES widgets and alarms (SES reputation metrics are per account and region). Default none. */
  sesConfigurationSetName?: pulumi.Input<string>;
  /** Create the SES bounce/complaint rate alarms (false when MailDomain already has them with an alarm topic). Default true. */
  sesAlarms?: boolean;
  /** Alarm thresholds; missing ones take DEFAULT_THRESHOLDS. */
  thresholds?: Partial<MonitoringThresholds>;
}

/** One dashboard metric line: namespace, metric name, then dimension name/value pairs, then options. */
type MetricLine = pulumi.Input<string | Record<string, unknown>>[];

/** A widget before layout: what to show. */
type Cell = Pick<Widget, "type" | "properties">;

interface Widget {
  type: "metric" | "text";
  x: number;
  y: number;
  width: number;
  height: number;
  properties: Record<string, unknown>;
}

const PERIOD = 300;

/**
 * Alarms and the stack's dashboard, created last from the other components' outputs. Every input
 * is optional, so the component watches whatever the stack deploys.
 *
 * Regions: CloudFront and CLOUDFRONT-scope WAF metrics exist only in us-east-1, so their alarms
 * are created there (`region: EDGE_REGION`) with the us-east-1 alert topic as action (an alarm's
 * SNS action must be in the alarm's region). Everything else alarms in the stack's region. The
 * dashboard lives in the stack's region; its CloudFront and WAF widgets read us-east-1.
 *
 * Every alarm has the same topic as alarm and OK action (CloudWatch.15 / CT.CLOUDWATCH.PR.1), so
 * the person paged also learns when it is over. Missing data is not breaching: idle sites and
 * quiet nights do not page anyone.
 */
export class Monitoring extends pulumi.ComponentResource {
  public readonly dashboardName: pulumi.Output<string>;
  /** Names of every alarm created, for the stack outputs and runbooks. */
  public readonly alarmNames: pulumi.Output<string[]>;
  /**
   * Identity policy for whatever records bookings (the site's server role): PutMetricData, only
   * into the MPTO/Business namespace (PutMetricData has no resource type, hence "*" plus the
   * cloudwatch:namespace condition).
   */
  public readonly bookingMetricPolicyJson: pulumi.Output<string>;

  private readonly alarms: aws.cloudwatch.MetricAlarm[] = [];

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mpto:monitoring:Monitoring", name, {}, opts);

    const t: MonitoringThresholds = { ...DEFAULT_THRESHOLDS, ...args.thresholds };
    const needsEdge = args.distributionId !== undefined || args.webAclName !== undefined;
    if (needsEdge && args.edgeAlarmTopicArn === undefined) {
      throw new Error(`Monitoring ${name}: edgeAlarmTopicArn (a us-east-1 topic) is required to alarm on CloudFront or WAF metrics`);
    }
    const ops = args.tableOperations ?? ["GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query"];
    if (ops.length < 1 || ops.length > 10) throw new Error(`Monitoring ${name}: tableOperations must list 1 to 10 operations`);
    const services = args.bookingServices ?? [BOOKING_METRIC.defaultService];
    const stackRegion = aws.getRegionOutput({}, { parent: this }).region;
    const widgets: Widget[] = [];
    let y = 0;
    const row = (height: number, ...cells: Cell[]) => {
      const width = Math.floor(24 / cells.length);
      cells.forEach((c, i) => widgets.push({ ...c, x: i * width, y, width, height }));
      y += height;
    };
    const metricWidget = (title: string, region: string | undefined, metrics: MetricLine[], extra: Record<string, unknown> = {}): Cell => ({
      type: "metric" as const,
      properties: { title, region: region ?? stackRegion, view: "timeSeries", stacked: false, period: PERIOD, metrics, ...extra },
    });

    row(1, { type: "text", properties: { markdown: `# MPTO ${args.environment}\nAlarms go to the alert topic (email). CloudFront and WAF graphs read us-east-1.` } });

    // ---- Business ----
    row(
      6,
      metricWidget(
        "Bookings created (per hour)",
        undefined,
        services.map((s) => [BOOKING_METRIC.namespace, BOOKING_METRIC.metricName, BOOKING_METRIC.environmentDimension, args.environment, BOOKING_METRIC.serviceDimension, s, { label: s }]),
        { stat: "Sum", period: 3600 },
      ),
      metricWidget(
        "Bookings created (last 24 h)",
        undefined,
        services.map((s) => [BOOKING_METRIC.namespace, BOOKING_METRIC.metricName, BOOKING_METRIC.environmentDimension, args.environment, BOOKING_METRIC.serviceDimension, s, { label: s }]),
        { stat: "Sum", period: 86400, view: "singleValue", setPeriodToTimeRange: true },
      ),
    );

    // ---- CloudFront (us-east-1) ----
    if (args.distributionId !== undefined) {
      const dist = ["DistributionId", args.distributionId, "Region", "Global"];
      const edgeTopic = args.edgeAlarmTopicArn!;
      this.alarm(`${name}-cloudfront-5xx`, {
        description: `CloudFront 5xx error rate above ${t.cloudFront5xxErrorRatePercent}% for 10 minutes: the origin (Vercel or media) is failing.`,
        namespace: "AWS/CloudFront",
        metricName: "5xxErrorRate",
        dimensions: { DistributionId: args.distributionId, Region: "Global" },
        statistic: "Average",
        threshold: t.cloudFront5xxErrorRatePercent,
        evaluationPeriods: 2,
        region: EDGE_REGION,
        topic: edgeTopic,
      });
      this.alarm(`${name}-cloudfront-4xx`, {
        description: `CloudFront 4xx error rate above ${t.cloudFront4xxErrorRatePercent}% for 10 minutes: broken links, expired signed URLs or the WAF blocking real users.`,
        namespace: "AWS/CloudFront",
        metricName: "4xxErrorRate",
        dimensions: { DistributionId: args.distributionId, Region: "Global" },
        statistic: "Average",
        threshold: t.cloudFront4xxErrorRatePercent,
        evaluationPeriods: 2,
        region: EDGE_REGION,
        topic: edgeTopic,
      });
      const cacheAndLatency: Cell[] = [];
      if (args.cloudFrontAdditionalMetrics) {
        // CacheHitRate and OriginLatency exist only for distributions subscribed to additional metrics.
        const subscription = new aws.cloudfront.MonitoringSubscription(
          `${name}-cloudfront-additional-metrics`,
          { distributionId: args.distributionId, monitoringSubscription: { realtimeMetricsSubscriptionConfig: { realtimeMetricsSubscriptionStatus: "Enabled" } } },
          { parent: this },
        );
        this.alarm(
          `${name}-cloudfront-origin-latency`,
          {
            description: `CloudFront p90 origin latency above ${t.originLatencyMs} ms for 10 minutes: the origin is slow.`,
            namespace: "AWS/CloudFront",
            metricName: "OriginLatency",
            dimensions: { DistributionId: args.distributionId, Region: "Global" },
            extendedStatistic: "p90",
            threshold: t.originLatencyMs,
            evaluationPeriods: 2,
            region: EDGE_REGION,
            topic: edgeTopic,
          },
          [subscription],
        );
        cacheAndLatency.push(
          metricWidget("CloudFront cache hit rate (%)", EDGE_REGION, [["AWS/CloudFront", "CacheHitRate", ...dist]], { stat: "Average", yAxis: { left: { min: 0, max: 100 } } }),
          metricWidget("CloudFront origin latency (ms)", EDGE_REGION, [["AWS/CloudFront", "OriginLatency", ...dist, { stat: "p90", label: "p90" }]]),
        );
      }
      row(
        6,
        metricWidget("CloudFront requests", EDGE_REGION, [["AWS/CloudFront", "Requests", ...dist]], { stat: "Sum" }),
        metricWidget("CloudFront bytes downloaded", EDGE_REGION, [["AWS/CloudFront", "BytesDownloaded", ...dist]], { stat: "Sum" }),
        metricWidget(
          "CloudFront error rates (%)",
          EDGE_REGION,
          [
            ["AWS/CloudFront", "4xxErrorRate", ...dist, { label: "4xx" }],
            ["AWS/CloudFront", "5xxErrorRate", ...dist, { label: "5xx" }],
          ],
          { stat: "Average" },
        ),
      );
      if (cacheAndLatency.length) row(6, ...cacheAndLatency);
    }

    // ---- WAF (us-east-1, CLOUDFRONT scope: dimensions WebACL and Rule only, no Region) ----
    if (args.webAclName !== undefined) {
      const acl = ["WebACL", args.webAclName, "Rule", "ALL"];
      this.alarm(`${name}-waf-blocked`, {
        description: `The WAF blocked more than ${t.wafBlockedRequests} requests in 5 minutes: an attack, or a rule blocking real users.`,
        namespace: "AWS/WAFV2",
        metricName: "BlockedRequests",
        dimensions: { WebACL: args.webAclName, Rule: "ALL" },
        statistic: "Sum",
        threshold: t.wafBlockedRequests,
        evaluationPeriods: 1,
        region: EDGE_REGION,
        topic: args.edgeAlarmTopicArn!,
      });
      row(
        6,
        metricWidget(
          "WAF requests allowed / blocked / counted",
          EDGE_REGION,
          [
            ["AWS/WAFV2", "AllowedRequests", ...acl, { label: "allowed" }],
            ["AWS/WAFV2", "BlockedRequests", ...acl, { label: "blocked" }],
            ["AWS/WAFV2", "CountedRequests", ...acl, { label: "counted" }],
          ],
          { stat: "Sum" },
        ),
      );
    }

    // ---- SES (account-level metrics in the stack's region) ----
    if (args.sesConfigurationSetName !== undefined) {

      if (args.sesAlarms !== false) this.alarm(`${name}-ses-bounce-rate`, {
        description: pulumi.interpolate`SES bounce rate above ${t.sesBounceRatePercent}% (AWS reviews sending at 5%). Configuration set ${args.sesConfigurationSetName}.`,
        namespace: "AWS/SES",
        metricName: "Reputation.BounceRate",
        statistic: "Maximum",
        threshold: t.sesBounceRatePercent / 100, // the metric is a ratio (0.05 = 5%)
        evaluationPeriods: 1,
        topic: args.alarmTopicArn,
      });
      if (args.sesAlarms !== false) this.alarm(`${name}-ses-complaint-rate`, {
        description: pulumi.interpolate`SES complaint rate above ${t.sesComplaintRatePercent}% (AWS reviews sending at 0.1%). Configuration set ${args.sesConfigurationSetName}.`,
        namespace: "AWS/SES",
        metricName: "Reputation.ComplaintRate",
        statistic: "Maximum",
        threshold: t.sesComplaintRatePercent / 100,
        evaluationPeriods: 1,
        topic: args.alarmTopicArn,
      });
      row(
        6,
        metricWidget(
          "SES sends, deliveries, bounces, complaints",
          undefined,
          [
            ["AWS/SES", "Send", { label: "sent" }],
            ["AWS/SES", "Delivery", { label: "delivered" }],
            ["AWS/SES", "Bounce", { label: "bounced" }],
            ["AWS/SES", "Complaint", { label: "complaints" }],
          ],
          { stat: "Sum" },
        ),
        metricWidget(
          "SES reputation (ratio)",
          undefined,
          [
            ["AWS/SES", "Reputation.BounceRate", { label: "bounce rate" }],
            ["AWS/SES", "Reputation.ComplaintRate", { label: "complaint rate" }],
          ],
          { stat: "Maximum" },
        ),
      );
    }

    // ---- Lambda ----
    const functions = args.functions ?? [];
    if (functions.length) {
      for (const fn of functions) {
        if (fn.errorAlarm !== false) {
          this.alarm(`${name}-lambda-${fn.label}-errors`, {
            description: `The ${fn.label} Lambda function reported ${t.lambdaErrors} or more errors in 5 minutes.`,
            namespace: "AWS/Lambda",
            metricName: "Errors",
            dimensions: { FunctionName: fn.name },
            statistic: "Sum",
            threshold: t.lambdaErrors,
            comparison: "GreaterThanOrEqualToThreshold",
            evaluationPeriods: 1,
            topic: args.alarmTopicArn,
          });
        }
        this.alarm(`${name}-lambda-${fn.label}-throttles`, {
          description: `The ${fn.label} Lambda function was throttled ${t.lambdaThrottles} or more times in 5 minutes (concurrency limit reached).`,
          namespace: "AWS/Lambda",
          metricName: "Throttles",
          dimensions: { FunctionName: fn.name },
          statistic: "Sum",
          threshold: t.lambdaThrottles,
          comparison: "GreaterThanOrEqualToThreshold",
          evaluationPeriods: 1,
          topic: args.alarmTopicArn,
        });
      }
      row(
        6,
        metricWidget("Lambda errors", undefined, functions.map((fn) => ["AWS/Lambda", "Errors", "FunctionName", fn.name, { label: fn.label }]), { stat: "Sum" }),
        metricWidget("Lambda throttles", undefined, functions.map((fn) => ["AWS/Lambda", "Throttles", "FunctionName", fn.name, { label: fn.label }]), { stat: "Sum" }),
      );
    }

    // ---- DynamoDB ----
    if (args.tableName !== undefined) {
      const table = args.tableName;
      this.alarm(`${name}-dynamodb-throttles`, {
        description: `The session table throttled ${t.dynamoDbThrottles} or more reads/writes in 5 minutes.`,
        queries: [
          { id: "reads", metric: { namespace: "AWS/DynamoDB", metricName: "ReadThrottleEvents", dimensions: { TableName: table }, stat: "Sum", period: PERIOD } },
          { id: "writes", metric: { namespace: "AWS/DynamoDB", metricName: "WriteThrottleEvents", dimensions: { TableName: table }, stat: "Sum", period: PERIOD } },
          { id: "throttles", expression: "reads + writes", label: "Throttled reads + writes", returnData: true },
        ],
        threshold: t.dynamoDbThrottles,
        comparison: "GreaterThanOrEqualToThreshold",
        evaluationPeriods: 1,
        topic: args.alarmTopicArn,
      });
      this.alarm(`${name}-dynamodb-system-errors`, {
        description: "DynamoDB returned system errors (HTTP 500) to the session table's callers.",
        queries: [
          ...ops.map((op, i) => ({ id: `e${i}`, metric: { namespace: "AWS/DynamoDB", metricName: "SystemErrors", dimensions: { TableName: table, Operation: op }, stat: "Sum", period: PERIOD } })),
          { id: "errors", expression: `SUM([${ops.map((_, i) => `e${i}`).join(", ")}])`, label: "System errors", returnData: true },
        ],
        threshold: 1,
        comparison: "GreaterThanOrEqualToThreshold",
        evaluationPeriods: 1,
        topic: args.alarmTopicArn,
      });
      row(
        6,
        metricWidget(
          "DynamoDB consumed capacity (units)",
          undefined,
          [
            ["AWS/DynamoDB", "ConsumedReadCapacityUnits", "TableName", table, { label: "read" }],
            ["AWS/DynamoDB", "ConsumedWriteCapacityUnits", "TableName", table, { label: "write" }],
          ],
          { stat: "Sum" },
        ),
        metricWidget(
          "DynamoDB throttles",
          undefined,
          [
            ["AWS/DynamoDB", "ReadThrottleEvents", "TableName", table, { label: "read" }],
            ["AWS/DynamoDB", "WriteThrottleEvents", "TableName", table, { label: "write" }],
          ],
          { stat: "Sum" },
        ),
      );
    }

    // ---- Cognito ----
    if (args.userPoolId !== undefined && args.userPoolClientId !== undefined) {
      this.alarm(`${name}-cognito-signin-throttles`, {
        description: `Cognito throttled ${t.cognitoSignInThrottles} or more sign-ins in 5 minutes (quota reached, or an attack on sign-in).`,
        namespace: "AWS/Cognito",
        metricName: "SignInThrottles",
        dimensions: { UserPool: args.userPoolId, UserPoolClient: args.userPoolClientId },
        statistic: "Sum",
        threshold: t.cognitoSignInThrottles,
        comparison: "GreaterThanOrEqualToThreshold",
        evaluationPeriods: 1,
        topic: args.alarmTopicArn,
      });
      row(
        6,
        metricWidget(
          "Cognito sign-ins",
          undefined,
          [
            ["AWS/Cognito", "SignInSuccesses", "UserPool", args.userPoolId, "UserPoolClient", args.userPoolClientId, { label: "successes", stat: "Sum" }],
            ["AWS/Cognito", "SignInThrottles", "UserPool", args.userPoolId, "UserPoolClient", args.userPoolClientId, { label: "throttles", stat: "Sum" }],
          ],
        ),
      );
    }

    const dashboard = new aws.cloudwatch.Dashboard(
      `${name}-dashboard`,
      { dashboardName: args.dashboardName ?? `mpto-${args.environment}`, dashboardBody: pulumi.jsonStringify({ widgets }) },
      { parent: this },
    );

    this.dashboardName = dashboard.dashboardName;
    this.alarmNames = pulumi.all(this.alarms.map((a) => a.name));
    this.bookingMetricPolicyJson = policyJson([
      {
        Sid: "PutBookingMetrics",
        Effect: "Allow",
        Action: "cloudwatch:PutMetricData",
        Resource: "*",
        Condition: { StringEquals: { "cloudwatch:namespace": BOOKING_METRIC.namespace } },
      },
    ]);
    this.registerOutputs({ dashboardName: this.dashboardName, alarmNames: this.alarmNames, bookingMetricPolicyJson: this.bookingMetricPolicyJson });
  }

  /** One alarm with the same topic as ALARM and OK action; missing data does not breach. */
  private alarm(
    name: string,
    a: {
      description: pulumi.Input<string>;
      namespace?: string;
      metricName?: string;
      dimensions?: Record<string, pulumi.Input<string>>;
      statistic?: string;
      extendedStatistic?: string;
      queries?: aws.types.input.cloudwatch.MetricAlarmMetricQuery[];
      threshold: number;
      comparison?: "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold";
      evaluationPeriods: number;
      region?: string;
      topic: pulumi.Input<string>;
    },
    dependsOn: pulumi.Resource[] = [],
  ): void {
    // Only the expression is evaluated against the threshold; the metrics feed it.
    const queries = a.queries?.map((q) => (q.metric ? { ...q, returnData: false } : q));
    this.alarms.push(
      metricAlarm(
        name,
        {
          description: a.description,
          namespace: a.namespace,
          metricName: a.metricName,
          dimensions: a.dimensions,
          statistic: a.statistic,
          extendedStatistic: a.extendedStatistic,
          period: queries ? undefined : PERIOD,
          metricQueries: queries,
          threshold: a.threshold,
          comparisonOperator: a.comparison ?? "GreaterThanThreshold",
          evaluationPeriods: a.evaluationPeriods,
          datapointsToAlarm: a.evaluationPeriods,
          actionsEnabled: true,
          topicArn: a.topic,
          region: a.region,
        },
        { parent: this, dependsOn },
      ),
    );
  }
}
