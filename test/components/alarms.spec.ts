import assert from "node:assert/strict";
import { EDGE_REGION, PRIMARY_REGION } from "../../components/shared/regions";
import type { MockRunResult, RecordedResource } from "../../tools/mocks/runtime";
import { declareStack, ofType, oneOf } from "../support/harness";
import { alarmMetrics, assertKnownMetric, topicRegion } from "../support/metricCatalog";

/**
 * Every alarm of the real stacks, whichever component owns it (all are made by
 * components/shared/alarm.ts): what they share, where they live, what they watch, and the
 * aliases that keep the ones which moved out of Monitoring in place on a deployed stack.
 */

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const MONITORING_CHILD = `mpto:monitoring:Monitoring$${ALARM}`;

/** The alarms Monitoring owned before 2026-12, and their owners now. */
const MOVED: Record<string, { owner: string; name: string; old: string }[]> = {
  dev: [
    { owner: "mpto:edge:Cdn", name: "edge-5xx-errors", old: "monitoring-cloudfront-5xx" },
    { owner: "mpto:edge:Cdn", name: "edge-4xx-errors", old: "monitoring-cloudfront-4xx" },
    { owner: "mpto:edge:WebAcl", name: "edge-waf-blocked", old: "monitoring-waf-blocked" },
    { owner: "mpto:functions:NodeFunction", name: "mail-events-handler-throttles", old: "monitoring-lambda-ses-events-throttles" },
    { owner: "mpto:sessions:SessionTable", name: "sessions-throttles", old: "monitoring-dynamodb-throttles" },
    { owner: "mpto:sessions:SessionTable", name: "sessions-system-errors", old: "monitoring-dynamodb-system-errors" },
    { owner: "mpto:identity:UserPool", name: "identity-signin-throttles", old: "monitoring-cognito-signin-throttles" },
  ],
};
MOVED.prod = [...MOVED.dev, { owner: "mpto:edge:Cdn", name: "edge-origin-latency", old: "monitoring-cloudfront-origin-latency" }];

for (const stack of ["dev", "prod"] as const) {
  describe(`alarms of the ${stack} stack (each owned by its component)`, function () {
    this.timeout(120_000);
    let run: MockRunResult;
    let alarms: RecordedResource[];
    before(async () => {
      run = await declareStack(stack);
      alarms = ofType(run, ALARM);
    });
    const named = (name: string) => alarms.find((a) => a.name === name)!;

    it("gives every alarm the same topic as alarm and OK action, a topic in the alarm's own region", () => {
      assert.ok(alarms.length >= 14, `expected the full set of alarms, got ${alarms.length}`);
      for (const a of alarms) {
        const actions = a.inputs.alarmActions as string[];
        assert.ok(actions.length >= 1, `${a.name} has alarm actions`);
        assert.deepEqual(a.inputs.okActions, actions, `${a.name} has OK actions too`);
        assert.notEqual(a.inputs.actionsEnabled, false);
        for (const arn of actions) assert.equal(topicRegion(arn), a.region, `${a.name}: action topic in the alarm's region`);
      }
    });

    it("treats missing data as not breaching except where the metric must always report (canary, stuck-job sweep)", () => {
      for (const a of alarms) {
        const always = a.name === "uptime-failed" || a.name.endsWith("-stuck-jobs");
        assert.equal(a.inputs.treatMissingData, always ? "breaching" : "notBreaching", a.name);
      }
    });

    it("alarms on CloudFront and WAF metrics in us-east-1 and on everything else in the stack's region", () => {
      for (const a of alarms) {
        const namespaces = new Set(alarmMetrics(a).map((m) => m.namespace));
        const edge = namespaces.has("AWS/CloudFront") || namespaces.has("AWS/WAFV2");
        assert.equal(a.region, edge ? EDGE_REGION : PRIMARY_REGION, a.name);
      }
    });

    it("names only metrics that exist, with their exact dimension sets", () => {
      for (const m of alarms.flatMap(alarmMetrics)) assertKnownMetric(m, PRIMARY_REGION, stack === "prod");
    });

    it("has no alarm left in Monitoring, and gives each moved one an alias to its old URN there", () => {
      assert.ok(!alarms.some((a) => a.urn.includes(MONITORING_CHILD)));
      const monitoring = oneOf(run, "mpto:monitoring:Monitoring");
      assert.equal(run.resources.filter((r) => r.parent === monitoring.urn).filter((r) => r.custom).length, 1, "only the dashboard");
      for (const m of MOVED[stack]) {
        const a = named(m.name);
        assert.ok(a, `${m.name} exists`);
        assert.ok(a.urn.includes(`${m.owner}$${ALARM}::`), `${m.name} is a child of ${m.owner}`);
        assert.ok(a.options.aliases?.includes(`urn:pulumi:${stack}::mpto::${MONITORING_CHILD}::${m.old}`), `${m.name} aliases ${m.old}: ${a.options.aliases}`);
      }
    });

    it("sums DynamoDB system errors over the table's operations with metric math; only the expression is evaluated", () => {
      const queries = named("sessions-system-errors").inputs.metricQueries as any[];
      const expression = queries.filter((q) => q.returnData);
      assert.equal(expression.length, 1);
      assert.equal(expression[0].expression, "SUM([e0, e1, e2, e3, e4])");
      assert.equal(named("sessions-system-errors").inputs.period, undefined, "period lives on each metric query");
      for (const q of queries.filter((x) => x.metric)) assert.equal(q.metric.period, 300);
    });

    it("takes the thresholds from the stack's config, SES rates as the ratio the metric reports", () => {
      const expected =
        stack === "prod" ? { "edge-5xx-errors": 1, "edge-4xx-errors": 10, "edge-waf-blocked": 500 } : { "edge-5xx-errors": 5, "edge-4xx-errors": 25, "edge-waf-blocked": 2000 };
      for (const [name, threshold] of Object.entries(expected)) assert.equal(named(name).inputs.threshold, threshold, name);
      for (const a of alarms.filter((x) => String(x.inputs.metricName).startsWith("Reputation.")))
        assert.ok((a.inputs.threshold as number) < 0.2, `${a.name}: a ratio, not a percentage`);
    });

    if (stack === "prod") {
      it("subscribes the distribution to additional metrics before alarming on origin latency", () => {
        const sub = oneOf(run, "aws:cloudfront/monitoringSubscription:MonitoringSubscription");
        assert.ok(sub.urn.includes("mpto:edge:Cdn$"));
        assert.ok(
          sub.options.aliases?.includes(
            `urn:pulumi:prod::mpto::mpto:monitoring:Monitoring$aws:cloudfront/monitoringSubscription:MonitoringSubscription::monitoring-cloudfront-additional-metrics`,
          ),
        );
        const latency = named("edge-origin-latency");
        assert.equal(latency.inputs.extendedStatistic, "p90");
        assert.deepEqual(latency.options.dependsOn, [sub.urn]);
      });
    }
  });
}
