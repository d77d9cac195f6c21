import assert from "node:assert/strict";
import { CloudWatchClient, PutMetricDataCommand, PutMetricDataCommandInput } from "@aws-sdk/client-cloudwatch";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { BookingMetricError, BookingMetrics, BookingMetricsOptions, sharedBookingMetrics, trackBookingMetric } from "../../../functions/metrics/trackBookingMetric";
import { BOOKING_METRIC } from "../../../functions/metrics/schema";

// No CloudWatch emulator exists among the local AWS emulators (SES, Cognito, S3, DynamoDB only), so
// these tests drive the real SDK client with aws-sdk-client-mock intercepting `send` in-process.
describe("trackBookingMetric (in-process CloudWatch client mock: aws-sdk-client-mock, no CloudWatch emulator exists)", () => {
  // Installed in before(), not when the file loads: mockClient patches every CloudWatchClient, and
  // other specs drive real clients against loopback servers.
  let cw: AwsClientStub<CloudWatchClient>;
  before(() => {
    cw = mockClient(CloudWatchClient);
  });
  const client = new CloudWatchClient({ region: "eu-west-2", credentials: { accessKeyId: "x", secretAccessKey: "y" } });
  const NOW = new Date("2026-03-02T10:15:42.500Z");
  let errors: BookingMetricError[];
  const recorders: BookingMetrics[] = [];

  function recorder(options: Partial<BookingMetricsOptions> = {}): BookingMetrics {
    const m = new BookingMetrics({ client, environment: "dev", flushIntervalMs: 0, flushAtEvents: 1000, now: () => NOW, onError: (e) => errors.push(e), ...options });
    recorders.push(m);
    return m;
  }
  function calls(): PutMetricDataCommandInput[] {
    return cw.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input);
  }

  beforeEach(() => {
    cw.reset();
    cw.on(PutMetricDataCommand).resolves({});
    errors = [];
  });
  afterEach(() => recorders.splice(0).forEach((r) => r.close()));
  after(() => cw.restore());

  it("writes MPTO/Business BookingsCreated with the Environment and Service dimensions, a Count unit and the minute it happened", async () => {
    const m = recorder();
    assert.deepEqual(trackBookingMetric({}, m), { ok: true });
    const result = await m.flush();
    assert.deepEqual(result, { sentBookings: 1, requests: 1, pendingBookings: 0, errors: [] });
    const [input] = calls();
    assert.equal(input.Namespace, "MPTO/Business");
    assert.equal(input.MetricData!.length, 1);
    const datum = input.MetricData![0];
    assert.equal(datum.MetricName, "BookingsCreated");
    assert.deepEqual(datum.Dimensions, [
      { Name: "Environment", Value: "dev" },
      { Name: "Service", Value: "Tutoring" },
    ]);
    assert.equal(datum.Unit, "Count");
    assert.deepEqual(datum.Timestamp, new Date("2026-03-02T10:15:00.000Z"));
    assert.deepEqual(datum.Values, [1]);
    assert.deepEqual(datum.Counts, [1]);
  });

  it("batches many bookings into one PutMetricData call: one datum per service and minute, values with their counts", async () => {
    const m = recorder();
    for (let i = 0; i < 20; i++) m.record({ service: "Tutoring" });
    for (let i = 0; i < 3; i++) m.record({ service: "GroupClass", count: 2 });
    m.record({ service: "GroupClass", count: 5 });
    m.record({ service: "Tutoring", at: new Date(NOW.getTime() - 60_000) });
    const result = await m.flush();
    assert.equal(calls().length, 1, "a single API call");
    assert.equal(result.sentBookings, 20 + 6 + 5 + 1);
    const data = calls()[0].MetricData!;
    assert.equal(data.length, 3);
    const tutoringNow = data.find((d) => d.Dimensions![1].Value === "Tutoring" && (d.Timestamp as Date).getTime() === Date.parse("2026-03-02T10:15:00Z"))!;
    assert.deepEqual([tutoringNow.Values, tutoringNow.Counts], [[1], [20]]);
    const group = data.find((d) => d.Dimensions![1].Value === "GroupClass")!;
    assert.deepEqual([group.Values, group.Counts], [[2, 5], [3, 1]]);
    const sum = data.reduce((s, d) => s + d.Values!.reduce((a, v, i) => a + v * d.Counts![i], 0), 0);
    assert.equal(sum, 32, "the Sum statistic equals the bookings recorded");
  });

  it("splits a flush into several calls when there are more datums than one call may carry", async () => {
    const m = recorder({ maxDatumsPerRequest: 2 });
    for (let minute = 0; minute < 5; minute++) m.record({ at: new Date(NOW.getTime() - minute * 60_000) });
    const result = await m.flush();
    assert.deepEqual(calls().map((c) => c.MetricData!.length), [2, 2, 1]);
    assert.equal(result.requests, 3);
    assert.equal(result.sentBookings, 5);
  });

  it("flushes by itself once flushAtEvents bookings wait, and after flushIntervalMs otherwise", async () => {
    const m = recorder({ flushAtEvents: 3 });
    m.record();
    m.record();
    assert.equal(calls().length, 0);
    m.record();
    await m.flush(); // waits for the automatic flush already running
    assert.equal(calls().length, 1);
    assert.deepEqual(calls()[0].MetricData![0].Counts, [3]);

    const timed = recorder({ flushIntervalMs: 20 });
    timed.record();
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(calls().length, 2);
    assert.equal(timed.pendingEvents, 0);
  });

  for (const [label, event] of [
    ["a count of zero", { count: 0 }],
    ["a negative count", { count: -3 }],
    ["a fractional count", { count: 1.5 }],
    ["a count that is not a number", { count: "3" }],
    ["NaN", { count: Number.NaN }],
    ["more than 1000 at once", { count: 1001 }],
    ["a service with markup", { service: "<script>alert(1)</script>" }],
    ["an empty service", { service: "" }],
    ["a service of 65 characters", { service: "a".repeat(65) }],
    ["a service that is not a string", { service: 42 }],
    ["an invalid date", { at: new Date("nope") }],
    ["a time 15 days ago", { at: new Date(NOW.getTime() - 15 * 24 * 3600 * 1000) }],
    ["a time 3 hours ahead", { at: new Date(NOW.getTime() + 3 * 3600 * 1000) }],
    ["a time given as a string", { at: "2026-03-02T10:00:00Z" }],
  ] as const) {
    it(`rejects ${label} with INVALID_INPUT, records nothing and does not throw`, async () => {
      const m = recorder();
      const result = trackBookingMetric(event as never, m);
      assert.equal(result.ok, false);
      assert.ok(!result.ok && result.error instanceof BookingMetricError && result.error.code === "INVALID_INPUT");
      assert.equal(errors.length, 1);
      assert.equal(m.pendingEvents, 0);
      await m.flush();
      assert.equal(calls().length, 0);
    });
  }

  for (const bad of [null, "booking", 7, [1]]) {
    it(`rejects a non-object event (${JSON.stringify(bad)}) without throwing`, () => {
      const result = recorder().record(bad as never);
      assert.ok(!result.ok && result.error.code === "INVALID_INPUT");
    });
  }

  it("without onError, reports a problem as one JSON warning line on stderr (code and message, no booking data)", () => {
    const m = new BookingMetrics({ client, environment: "dev", flushIntervalMs: 0, flushAtEvents: 1000, now: () => NOW });
    recorders.push(m);
    const written: string[] = [];
    const original = process.stderr.write;
    process.stderr.write = ((chunk: string) => written.push(chunk) > 0) as typeof process.stderr.write;
    let result;
    try {
      result = m.record({ service: "<b>x</b>" } as never);
    } finally {
      process.stderr.write = original;
    }
    assert.ok(!result.ok);
    assert.equal(written.length, 1);
    assert.ok(written[0].endsWith("\n") && !written[0].slice(0, -1).includes("\n"));
    assert.deepEqual(JSON.parse(written[0]), { level: "warn", source: "trackBookingMetric", code: "INVALID_INPUT", message: result.error.message });
    assert.ok(!written[0].includes("<b>"), "the event's own text is not logged");
  });

  it("does not throw or reject when CloudWatch fails: the flush reports PUBLISH_FAILED and keeps the bookings for the next flush", async () => {
    cw.on(PutMetricDataCommand).rejectsOnce(Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" })).resolves({});
    const m = recorder();
    m.record({ count: 2 });
    m.record();
    const failed = await m.flush();
    assert.equal(failed.sentBookings, 0);
    assert.equal(failed.pendingBookings, 3);
    assert.equal(failed.errors.length, 1);
    assert.equal(failed.errors[0].code, "PUBLISH_FAILED");
    assert.match(failed.errors[0].message, /ThrottlingException/);
    assert.equal(errors[0].code, "PUBLISH_FAILED");
    const retried = await m.flush();
    assert.equal(retried.sentBookings, 3);
    assert.equal(retried.pendingBookings, 0);
    assert.equal(calls().length, 2);
  });

  it("bounds memory while CloudWatch is unreachable: beyond maxPendingEvents new bookings are dropped with BUFFER_FULL", async () => {
    cw.on(PutMetricDataCommand).rejects(new Error("network down"));
    const m = recorder({ maxPendingEvents: 3 });
    for (let i = 0; i < 3; i++) assert.equal(m.record().ok, true);
    const dropped = m.record();
    assert.ok(!dropped.ok && dropped.error.code === "BUFFER_FULL");
    const result = await m.flush();
    assert.equal(result.pendingBookings, 3);
    assert.equal(m.pendingEvents, 3);
  });

  it("never throws into the booking path, even when the error handler itself throws", () => {
    const m = recorder({
      onError: () => {
        throw new Error("handler bug");
      },
    });
    assert.doesNotThrow(() => trackBookingMetric({ count: -1 }, m));
    assert.equal(trackBookingMetric({ count: -1 }, m).ok, false);
  });

  it("returns INVALID_CONFIG instead of throwing when the environment is not configured", () => {
    const missing = sharedBookingMetrics({});
    assert.ok(missing instanceof BookingMetricError && missing.code === "INVALID_CONFIG");
    const result = trackBookingMetric({}, missing);
    assert.ok(!result.ok && result.error.code === "INVALID_CONFIG");
  });

  it("refuses bad settings at start-up (not per booking) with a typed INVALID_CONFIG error", () => {
    assert.throws(() => new BookingMetrics({ client, environment: "dev env; DROP" }), (e: unknown) => e instanceof BookingMetricError && e.code === "INVALID_CONFIG");
    assert.throws(() => new BookingMetrics({ client, environment: "dev", maxDatumsPerRequest: 1001 }), (e: unknown) => e instanceof BookingMetricError && e.code === "INVALID_CONFIG");
  });

  it("shares the metric's names with the dashboard through functions/metrics/schema", () => {
    assert.deepEqual([BOOKING_METRIC.namespace, BOOKING_METRIC.metricName, BOOKING_METRIC.environmentDimension, BOOKING_METRIC.serviceDimension], ["MPTO/Business", "BookingsCreated", "Environment", "Service"]);
  });
});
