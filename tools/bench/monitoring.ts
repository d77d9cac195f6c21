import type { PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { BookingMetrics, MetricsClient } from "../../functions/metrics/trackBookingMetric";
import type { BenchRow } from "../bench";
import { percentile, timeEach } from "../benchStats";

/**
 * The booking metric, in-process: the cost of `record` on the booking path, how many bookings one
 * PutMetricData call carries, and the request size (the CloudWatch call is replaced by a client
 * that returns at once, so only our code is timed). Then what monitoring the real stacks declare.
 */
export async function bench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  let calls = 0;
  let maxBytes = 0;
  const client: MetricsClient = {
    send: (async (command: PutMetricDataCommand) => {
      calls++;
      maxBytes = Math.max(maxBytes, Buffer.byteLength(JSON.stringify(command.input)));
      return {};
    }) as unknown as MetricsClient["send"],
  };
  const start = Date.parse("2026-03-02T10:00:00Z");
  let clock = start;
  const metrics = new BookingMetrics({ client, environment: "prod", flushIntervalMs: 0, flushAtEvents: 1_000_000, maxPendingEvents: 1_000_000, now: () => new Date(clock) });
  const services = ["Tutoring", "GroupClass", "ExamPrep"];
  const events = 20_000;
  await timeEach(1000, (i) => metrics.record({ service: services[i % 3] }));
  await metrics.flush();
  calls = 0;
  // 20,000 bookings spread over 100 minutes and 3 services.
  const recordTimes = await timeEach(events, (i) => {
    clock = start + Math.floor(i / 200) * 60_000;
    return metrics.record({ service: services[i % 3] });
  });
  const flushStarted = process.hrtime.bigint();
  const result = await metrics.flush();
  const flushMs = Number(process.hrtime.bigint() - flushStarted) / 1e6;
  rows.push(
    { metric: "record() p50", value: percentile(recordTimes, 50) * 1000, unit: "µs", note: "validate + buffer, on the booking path" },
    { metric: "record() p99", value: percentile(recordTimes, 99) * 1000, unit: "µs" },
    { metric: "bookings sent", value: result.sentBookings, unit: "bookings", note: `${events} recorded over 100 minutes, 3 services` },
    { metric: "PutMetricData calls", value: calls, unit: "calls", note: "one datum per service and minute, up to 1000 per call" },
    { metric: "largest request body", value: maxBytes / 1024, unit: "KiB", note: "JSON of the command input; the API limit is 1 MB" },
    { metric: "flush() time", value: flushMs, unit: "ms", note: "aggregation and batching only" },
  );
  metrics.close();

  const { declareStack } = await import("../../test/support/harness");
  for (const stack of ["dev", "prod"] as const) {
    const run = await declareStack(stack);
    const alarms = run.resources.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm");
    const dashboard = run.resources.find((r) => r.type === "aws:cloudwatch/dashboard:Dashboard");
    const widgets = dashboard ? JSON.parse(dashboard.inputs.dashboardBody as string).widgets.length : 0;
    rows.push(
      { metric: `${stack}: alarms`, value: alarms.length, unit: "alarms", note: `${alarms.filter((a) => a.region === "us-east-1").length} in us-east-1` },
      { metric: `${stack}: dashboard widgets`, value: widgets, unit: "widgets" },
      {
        metric: `${stack}: dashboard body`,
        value: dashboard ? Buffer.byteLength(String(dashboard.inputs.dashboardBody)) / 1024 : 0,
        unit: "KiB",
        note: "PutDashboard accepts up to 1 MB",
      },
    );
  }
  return rows;
}
