import assert from "node:assert/strict";
import { Monitoring, MonitoringArgs, DEFAULT_THRESHOLDS } from "../../../components/monitoring/Monitoring";
import { EDGE_REGION, PRIMARY_REGION } from "../../../components/shared/regions";
import { declare, ofType, oneOf } from "../../support/harness";
import { alarmMetrics, assertKnownMetric, dashboardMetrics, topicRegion } from "../../support/metricCatalog";
import type { MockRunResult, RecordedResource } from "../../../tools/plan/mockRuntime";

const TOPIC = `arn:aws:sns:${PRIMARY_REGION}:123456789012:alerts`;
const EDGE_TOPIC = `arn:aws:sns:${EDGE_REGION}:123456789012:alerts-edge`;

const FULL: MonitoringArgs = {
  alarmTopicArn: TOPIC,
  edgeAlarmTopicArn: EDGE_TOPIC,
  environment: "prod",
  bookingServices: ["Tutoring", "GroupClass"],
  distributionId: "E2EXAMPLE12345",
  cloudFrontAdditionalMetrics: true,
  webAclName: "edge-waf-acl",
  functions: [
    { name: "booking-mail-fn-1a2b3c4", label: "booking-mail" },
    { name: "ses-events-fn-5d6e7f8", label: "ses-events", errorAlarm: false },
  ],
  tableName: "sessions-table-9a8b7c6",
  userPoolId: "eu-west-2_AbCdEfGhI",
  userPoolClientId: "1example23456789clientid0",
  sesConfigurationSetName: "mpto-transactional",
};

function alarmsOf(run: MockRunResult): RecordedResource[] {
  return ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm");
}

describe("Monitoring (mpto:monitoring:Monitoring)", () => {
  describe("with every input", () => {
    let run: MockRunResult;
    before(async () => {
      run = await declare(() => new Monitoring("monitoring", FULL));
    });

    it("gives every alarm the same topic as alarm and OK action, a topic in the alarm's own region", () => {
      const alarms = alarmsOf(run);
      assert.ok(alarms.length >= 12, `expected the full set of alarms, got ${alarms.length}`);
      for (const a of alarms) {
        const actions = a.inputs.alarmActions as string[];
        assert.ok(actions.length >= 1, `${a.name} has alarm actions`);
        assert.deepEqual(a.inputs.okActions, actions, `${a.name} has OK actions too`);
        assert.notEqual(a.inputs.actionsEnabled, false);
        for (const arn of actions) assert.equal(topicRegion(arn), a.region, `${a.name}: action topic in the alarm's region`);
        assert.equal(a.inputs.treatMissingData, "notBreaching");
      }
    });

    it("alarms on CloudFront and WAF metrics in us-east-1 and on everything else in the stack's region", () => {
      for (const a of alarmsOf(run)) {
        const namespaces = new Set(alarmMetrics(a).map((m) => m.namespace));
        const edge = namespaces.has("AWS/CloudFront") || namespaces.has("AWS/WAFV2");
        assert.equal(a.region, edge ? EDGE_REGION : PRIMARY_REGION, a.name);
      }
    });

    it("names only metrics that exist, with their exact dimension sets, in alarms and on the dashboard", () => {
      const dashboard = oneOf(run, "aws:cloudwatch/dashboard:Dashboard");
      const { metrics } = dashboardMetrics(dashboard.inputs.dashboardBody as string);
      assert.ok(metrics.length > 20);
      for (const m of [...metrics, ...alarmsOf(run).flatMap(alarmMetrics)]) assertKnownMetric(m, PRIMARY_REGION, true);
    });

    it("fills every dimension with the watched resource's real identifier", () => {
      const dashboard = oneOf(run, "aws:cloudwatch/dashboard:Dashboard");
      const all = [...dashboardMetrics(dashboard.inputs.dashboardBody as string).metrics, ...alarmsOf(run).flatMap(alarmMetrics)];
      const expected: Record<string, string[]> = {
        DistributionId: ["E2EXAMPLE12345"],
        Region: ["Global"],
        WebACL: ["edge-waf-acl"],
        Rule: ["ALL"],
        FunctionName: ["booking-mail-fn-1a2b3c4", "ses-events-fn-5d6e7f8"],
        TableName: ["sessions-table-9a8b7c6"],
        UserPool: ["eu-west-2_AbCdEfGhI"],
        UserPoolClient: ["1example23456789clientid0"],
        Environment: ["prod"],
        Service: ["Tutoring", "GroupClass"],
        Operation: ["GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query"],
      };
      for (const m of all) {
        for (const [k, v] of Object.entries(m.dimensions)) assert.ok(expected[k]?.includes(v), `${m.where}: ${k}=${v}`);
      }
      const seen = new Set(all.flatMap((m) => Object.entries(m.dimensions).map(([k, v]) => `${k}=${v}`)));
      for (const [k, values] of Object.entries(expected)) for (const v of values) assert.ok(seen.has(`${k}=${v}`), `some metric reads ${k}=${v}`);
    });

    it("lays the dashboard out on the 24-column grid without overlaps, bookings first", () => {
      const { widgets } = dashboardMetrics(oneOf(run, "aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody as string);
      const cells = new Set<string>();
      for (const w of widgets) {
        assert.ok(w.x >= 0 && w.width > 0 && w.x + w.width <= 24, `${w.properties.title} fits the grid`);
        for (let x = w.x; x < w.x + w.width; x++)
          for (let y = w.y; y < w.y + w.height; y++) {
            assert.ok(!cells.has(`${x},${y}`), `overlap at ${x},${y}`);
            cells.add(`${x},${y}`);
          }
      }
      const firstMetric = widgets.find((w: any) => w.type === "metric");
      assert.match(firstMetric.properties.title, /^Bookings created/);
      const titles = widgets.map((w: any) => w.properties.title).filter(Boolean).join(" | ");
      for (const wanted of [/Bookings/, /CloudFront requests/, /bytes/, /cache hit rate/, /error rates/, /WAF requests allowed \/ blocked/, /SES sends/, /Lambda errors/, /DynamoDB consumed capacity/]) {
        assert.match(titles, wanted);
      }
    });

    it("names the dashboard after the environment", () => {
      assert.equal(oneOf(run, "aws:cloudwatch/dashboard:Dashboard").inputs.dashboardName, "mpto-prod");
    });

    it("subscribes the distribution to additional metrics before alarming on origin latency", () => {
      const sub = oneOf(run, "aws:cloudfront/monitoringSubscription:MonitoringSubscription");
      assert.equal(sub.inputs.distributionId, "E2EXAMPLE12345");
      assert.equal((sub.inputs.monitoringSubscription as any).realtimeMetricsSubscriptionConfig.realtimeMetricsSubscriptionStatus, "Enabled");
      const latency = alarmsOf(run).find((a) => a.inputs.metricName === "OriginLatency")!;
      assert.equal(latency.inputs.extendedStatistic, "p90");
      assert.deepEqual(latency.options.dependsOn, [sub.urn]);
    });

    it("uses the default thresholds, converting SES percentages to the ratio the metric reports", () => {
      const byMetric = (metric: string) => alarmsOf(run).find((a) => a.inputs.metricName === metric)!;
      assert.equal(byMetric("5xxErrorRate").inputs.threshold, DEFAULT_THRESHOLDS.cloudFront5xxErrorRatePercent);
      assert.equal(byMetric("Reputation.BounceRate").inputs.threshold, 0.04);
      assert.equal(byMetric("Reputation.ComplaintRate").inputs.threshold, 0.0008);
      assert.equal(byMetric("BlockedRequests").inputs.threshold, DEFAULT_THRESHOLDS.wafBlockedRequests);
    });

    it("sums DynamoDB system errors over the table's operations with metric math; only the expression is evaluated", () => {
      const alarm = alarmsOf(run).find((a) => a.name === "monitoring-dynamodb-system-errors")!;
      const queries = alarm.inputs.metricQueries as any[];
      const expression = queries.filter((q) => q.returnData);
      assert.equal(expression.length, 1);
      assert.equal(expression[0].expression, "SUM([e0, e1, e2, e3, e4])");
      assert.equal(alarm.inputs.period, undefined, "period lives on each metric query");
      for (const q of queries.filter((x) => x.metric)) assert.equal(q.metric.period, 300);
    });

    it("skips the Errors alarm of a function whose own component alarms on errors, but keeps its throttles alarm", () => {
      const names = alarmsOf(run).map((a) => a.name);
      assert.ok(names.includes("monitoring-lambda-booking-mail-errors"));
      assert.ok(!names.includes("monitoring-lambda-ses-events-errors"));
      assert.ok(names.includes("monitoring-lambda-ses-events-throttles"));
    });

    it("parents every child to the component", () => {
      const component = run.resources.find((r) => r.type === "mpto:monitoring:Monitoring")!;
      for (const r of run.resources.filter((x) => x.custom)) assert.equal(r.parent, component.urn, r.name);
    });
  });

  it("offers the booking producer a policy that can only put metrics into MPTO/Business", async () => {
    let policy = "";
    await declare(() => {
      const m = new Monitoring("m", { alarmTopicArn: TOPIC, environment: "dev" });
      m.bookingMetricPolicyJson.apply((p) => (policy = p));
    });
    assert.deepEqual(JSON.parse(policy).Statement, [
      { Sid: "PutBookingMetrics", Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*", Condition: { StringEquals: { "cloudwatch:namespace": "MPTO/Business" } } },
    ]);
  });

  it("takes thresholds from its args", async () => {
    const run = await declare(() => new Monitoring("m", { ...FULL, thresholds: { cloudFront5xxErrorRatePercent: 2.5, sesBounceRatePercent: 3, lambdaThrottles: 7, originLatencyMs: 1500 } }));
    const byMetric = (metric: string) => alarmsOf(run).find((a) => a.inputs.metricName === metric)!;
    assert.equal(byMetric("5xxErrorRate").inputs.threshold, 2.5);
    assert.equal(byMetric("Reputation.BounceRate").inputs.threshold, 0.03);
    assert.equal(byMetric("Throttles").inputs.threshold, 7);
    assert.equal(byMetric("OriginLatency").inputs.threshold, 1500);
  });

  it("without additional metrics, neither graphs nor alarms on cache hit rate or origin latency (they would not exist)", async () => {
    const run = await declare(() => new Monitoring("m", { ...FULL, cloudFrontAdditionalMetrics: false }));
    assert.equal(ofType(run, "aws:cloudfront/monitoringSubscription:MonitoringSubscription").length, 0);
    const { metrics } = dashboardMetrics(oneOf(run, "aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody as string);
    for (const m of [...metrics, ...alarmsOf(run).flatMap(alarmMetrics)]) assertKnownMetric(m, PRIMARY_REGION, false);
  });

  it("with only the environment, shows the bookings and creates no alarm", async () => {
    const run = await declare(() => new Monitoring("m", { alarmTopicArn: TOPIC, environment: "dev" }));
    assert.equal(alarmsOf(run).length, 0);
    const { metrics } = dashboardMetrics(oneOf(run, "aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody as string);
    assert.deepEqual([...new Set(metrics.map((m) => `${m.namespace} ${m.metricName} ${m.dimensions.Environment}`))], ["MPTO/Business BookingsCreated dev"]);
  });

  it("leaves SES alarms to the mail component when told to, keeping the SES widgets", async () => {
    const run = await declare(() => new Monitoring("m", { ...FULL, sesAlarms: false }));
    assert.ok(!alarmsOf(run).some((a) => String(a.inputs.namespace) === "AWS/SES"));
    const { metrics } = dashboardMetrics(oneOf(run, "aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody as string);
    assert.ok(metrics.some((m) => m.namespace === "AWS/SES" && m.metricName === "Bounce"));
  });

  it("refuses CloudFront or WAF monitoring without a us-east-1 topic to alarm to", async () => {
    await assert.rejects(
      declare(() => new Monitoring("m", { alarmTopicArn: TOPIC, environment: "dev", distributionId: "E2EXAMPLE12345" })),
      /edgeAlarmTopicArn/,
    );
  });
});
