import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BOOKING_METRIC } from "../../functions/metrics/schema";
import { policyJson } from "../shared/policyDocument";
import { EDGE_REGION } from "../shared/regions";

/** A Lambda function to graph: its name and a short label for widget titles. */
export interface WatchedFunction {
  /** Function name (the FunctionName dimension). */
  name: pulumi.Input<string>;
  /** Short label, e.g. "booking-mail". */
  label: string;
}

export interface MonitoringArgs {
  /** Environment dimension of MPTO/Business BookingsCreated; also names the dashboard. Required. */
  environment: string;
  /** Service dimension values of BookingsCreated shown on the dashboard. Default ["Tutoring"]. */
  bookingServices?: string[];
  /** Dashboard name (unique in the account). Default `mpto-${environment}`. */
  dashboardName?: string;
  /** CloudFront distribution id. Default none: no CloudFront widgets. */
  distributionId?: pulumi.Input<string>;
  /** The distribution is subscribed to CloudFront's additional metrics (Cdn `alarms.additionalMetrics`): graph cache hit rate and origin latency. Default false. */
  cloudFrontAdditionalMetrics?: boolean;
  /** Name of the CLOUDFRONT-scope WAF web ACL (the WebACL dimension). Default none: no WAF widget. */
  webAclName?: pulumi.Input<string>;
  /** Regional Lambda functions to graph (errors and throttles). Default none. */
  functions?: WatchedFunction[];
  /** DynamoDB table to graph (consumed capacity, throttles). Default none. */
  tableName?: pulumi.Input<string>;
  /** Cognito user pool id; with `userPoolClientId`, graphs sign-ins. Default none. */
  userPoolId?: pulumi.Input<string>;
  /** Cognito app client id (the UserPoolClient dimension). Default none. */
  userPoolClientId?: pulumi.Input<string>;
  /** The SES configuration set the stack sends with; its presence turns on the SES widgets (SES reputation metrics are per account and region). Default none. */
  sesConfigurationSetName?: pulumi.Input<string>;
  /** Names of the alarms the other components own, re-exported as `alarmNames` for the stack outputs and runbooks. Default none. */
  alarmNames?: pulumi.Input<string[]>[];
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
 * The stack's dashboard, created last from the other components' outputs. Every input is
 * optional, so the component graphs whatever the stack deploys.
 *
 * Alarms belong to the component whose metric they watch (Cdn and WebAcl: CloudFront and WAF in
 * us-east-1; MailDomain: SES reputation and its handler; SessionTable; UserPool; NodeFunction;
 * UptimeCanary; VideoPipeline), all made by components/shared/alarm.ts. Monitoring owns what no
 * component owns: today the dashboard and the booking-metric policy, and no alarm.
 *
 * The dashboard lives in the stack's region; its CloudFront and WAF widgets read us-east-1, where
 * those metrics exist.
 */
export class Monitoring extends pulumi.ComponentResource {
  public readonly dashboardName: pulumi.Output<string>;
  /** Names of the alarms given in `alarmNames` (owned by other components), for the stack outputs and runbooks. */
  public readonly alarmNames: pulumi.Output<string[]>;
  /**
   * Identity policy for whatever records bookings (the site's server role): PutMetricData, only
   * into the MPTO/Business namespace (PutMetricData has no resource type, hence "*" plus the
   * cloudwatch:namespace condition).
   */
  public readonly bookingMetricPolicyJson: pulumi.Output<string>;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mpto:monitoring:Monitoring", name, {}, opts);

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
      const cacheAndLatency: Cell[] = [];
      if (args.cloudFrontAdditionalMetrics) {
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
      row(
        6,
        metricWidget("Lambda errors", undefined, functions.map((fn) => ["AWS/Lambda", "Errors", "FunctionName", fn.name, { label: fn.label }]), { stat: "Sum" }),
        metricWidget("Lambda throttles", undefined, functions.map((fn) => ["AWS/Lambda", "Throttles", "FunctionName", fn.name, { label: fn.label }]), { stat: "Sum" }),
      );
    }

    // ---- DynamoDB ----
    if (args.tableName !== undefined) {
      const table = args.tableName;
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
    this.alarmNames = pulumi.all(args.alarmNames ?? []).apply((lists) => lists.flat());
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
}
