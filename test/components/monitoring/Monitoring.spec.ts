import assert from "node:assert/strict";
import { Monitoring, MonitoringArgs } from "../../../components/monitoring/Monitoring";
import { PRIMARY_REGION } from "../../../components/shared/regions";
import { declare, ofType, oneOf } from "../../support/harness";
import { assertKnownMetric, dashboardMetrics } from "../../support/metricCatalog";
import type { MockRunResult, RecordedResource } from "../../../tools/mocks/runtime";

const FULL: MonitoringArgs = {
  environment: "prod",
  bookingServices: ["Tutoring", "GroupClass"],
  distributionId: "E2EXAMPLE12345",
  cloudFrontAdditionalMetrics: true,
  webAclName: "edge-waf-acl",
  functions: [
    { name: "booking-mail-fn-1a2b3c4", label: "booking-mail" },
    { name: "ses-events-fn-5d6e7f8", label: "ses-events" },
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

    it("names only metrics that exist, with their exact dimension sets, on the dashboard", () => {
      const dashboard = oneOf(run, "aws:cloudwatch/dashboard:Dashboard");
      const { metrics } = dashboardMetrics(dashboard.inputs.dashboardBody as string);
      assert.ok(metrics.length > 20);
      for (const m of metrics) assertKnownMetric(m, PRIMARY_REGION, true);
    });

    it("owns no alarm: each is its component's (test/components/alarms.spec.ts)", () => {
      assert.equal(alarmsOf(run).length, 0);
      assert.equal(ofType(run, "aws:cloudfront/monitoringSubscription:MonitoringSubscription").length, 0);
    });

    it("fills every dimension with the watched resource's real identifier", () => {
      const dashboard = oneOf(run, "aws:cloudwatch/dashboard:Dashboard");
      const all = dashboardMetrics(dashboard.inputs.dashboardBody as string).metrics;
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

    it("parents every child to the component", () => {
      const component = run.resources.find((r) => r.type === "mpto:monitoring:Monitoring")!;
      for (const r of run.resources.filter((x) => x.custom)) assert.equal(r.parent, component.urn, r.name);
    });
  });

  it("offers the booking producer a policy that can only put metrics into MPTO/Business", async () => {
    let policy = "";
    await declare(() => {
      const m = new Monitoring("m", { environment: "dev" });
      m.bookingMetricPolicyJson.apply((p) => (policy = p));
    });
    assert.deepEqual(JSON.parse(policy).Statement, [
      { Sid: "PutBookingMetrics", Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*", Condition: { StringEquals: { "cloudwatch:namespace": "MPTO/Business" } } },
    ]);
  });

  it("without additional metrics, does not graph cache hit rate or origin latency (they would not exist)", async () => {
    const run = await declare(() => new Monitoring("m", { ...FULL, cloudFrontAdditionalMetrics: false }));
    const { metrics } = dashboardMetrics(oneOf(run, "aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody as string);
    for (const m of metrics) assertKnownMetric(m, PRIMARY_REGION, false);
  });

  it("re-exports the names of the alarms the other components own, in order", async () => {
    let names: string[] = [];
    await declare(() => {
      const m = new Monitoring("m", { environment: "dev", alarmNames: [["a-1", "a-2"], [], ["b-1"]] });
      m.alarmNames.apply((n) => (names = n));
    });
    assert.deepEqual(names, ["a-1", "a-2", "b-1"]);
  });

  it("with only the environment, shows the bookings and creates no alarm", async () => {
    const run = await declare(() => new Monitoring("m", { environment: "dev" }));
    assert.equal(alarmsOf(run).length, 0);
    const { metrics } = dashboardMetrics(oneOf(run, "aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody as string);
    assert.deepEqual([...new Set(metrics.map((m) => `${m.namespace} ${m.metricName} ${m.dimensions.Environment}`))], ["MPTO/Business BookingsCreated dev"]);
  });

});
