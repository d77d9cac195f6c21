import assert from "node:assert/strict";
import { PutMetricDataCommand, type PutMetricDataCommandInput } from "@aws-sdk/client-cloudwatch";
import * as metrics from "../../../functions/metrics/trackBookingMetric";
import { BookingMetricError, BookingMetrics, type BookingMetricsOptions, datumBytes, type FlushResult, type MetricsClient } from "../../../functions/metrics/trackBookingMetric";

/**
 * The booking metric recorder's rules, one at a time, against a recording stand-in for the
 * CloudWatch client (the recorder takes anything with `send`): each input limit at its boundary
 * with its message, how bookings become datums and datums become requests (counts, bytes), what
 * each CloudWatch answer does to the bookings, and when it flushes by itself (timers replaced by
 * a manual clock here, so no test waits). The real SDK's serialisation is in batching.spec.ts.
 */
describe("booking metric recorder rules (in-process, a recording CloudWatch client)", function () {
  const NOW = new Date("2026-03-02T10:15:42.500Z");
  const MINUTE = Date.parse("2026-03-02T10:15:00Z");
  const DAY = 24 * 3600 * 1000;
  let inputs: PutMetricDataCommandInput[];
  let answer: (input: PutMetricDataCommandInput) => Promise<unknown>;
  let errors: BookingMetricError[];
  const client: MetricsClient = {
    send: (async (command: unknown) => {
      assert.ok(command instanceof PutMetricDataCommand);
      inputs.push(command.input);
      return answer(command.input);
    }) as MetricsClient["send"],
  };
  const recorders: BookingMetrics[] = [];
  const recorder = (options: Partial<BookingMetricsOptions> = {}) => {
    const m = new BookingMetrics({ client, environment: "dev", flushIntervalMs: 0, flushAtEvents: 1_000_000, now: () => NOW, onError: (e) => errors.push(e), ...options });
    recorders.push(m);
    return m;
  };
  const awsError = (name: string, status?: number, message = name) => Object.assign(new Error(message), { name, ...(status ? { $metadata: { httpStatusCode: status } } : {}) });
  const failure = (result: { ok: boolean; error?: BookingMetricError }) => {
    assert.equal(result.ok, false);
    return [result.error!.code, result.error!.message];
  };
  const lengths = () => inputs.map((i) => i.MetricData!.length);
  const services = (input: PutMetricDataCommandInput) => input.MetricData!.map((d) => d.Dimensions![1].Value);

  beforeEach(() => {
    inputs = [];
    errors = [];
    answer = async () => ({});
  });
  afterEach(() => recorders.splice(0).forEach((r) => r.close()));

  describe("each booking event, checked when recorded", function () {
    it("takes counts of 1 to 1000 (default 1), refusing others with the rule", async function () {
      const m = recorder();
      for (const count of [1, 1000, undefined]) assert.deepEqual(m.record({ count }), { ok: true });
      for (const count of [0, 1001, 2.5, -1]) assert.deepEqual(failure(m.record({ count })), ["INVALID_INPUT", "count must be a whole number from 1 to 1000"]);
      await m.flush();
      assert.deepEqual(
        [inputs[0].MetricData![0].Values, inputs[0].MetricData![0].Counts],
        [
          [1, 1000],
          [2, 1],
        ],
      );
    });

    it("takes a service of 1-64 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit (default Tutoring or defaultService)", async function () {
      const m = recorder();
      const ok = ["G", "9lives", "Group class_2.b-c", "a".repeat(64)];
      for (const service of ok) assert.deepEqual(m.record({ service }), { ok: true }, service);
      for (const service of ["", " lead", ".lead", "_lead", "-lead", "a".repeat(65), "Tutor\u00edng", "a\nb", "a/b", 42]) {
        assert.deepEqual(
          failure(m.record({ service: service as string })),
          ["INVALID_INPUT", "service must be 1-64 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit"],
          JSON.stringify(service),
        );
      }
      m.record();
      const other = recorder({ defaultService: "GroupClass" });
      other.record({});
      await m.flush();
      await other.flush();
      assert.deepEqual(inputs.map(services), [[...ok, "Tutoring"], ["GroupClass"]]);
    });

    it("takes times from 14 days back to 2 hours ahead, inclusive, refusing others and invalid dates with the rule", async function () {
      const m = recorder();
      for (const at of [new Date(NOW.getTime() - 14 * DAY), new Date(NOW.getTime() + 2 * 3600_000)]) assert.deepEqual(m.record({ at }), { ok: true }, at.toISOString());
      const range = ["INVALID_INPUT", "at must be within the last 14 days and at most 2 hours ahead (CloudWatch rejects other timestamps)"];
      assert.deepEqual(failure(m.record({ at: new Date(NOW.getTime() - 14 * DAY - 1) })), range);
      assert.deepEqual(failure(m.record({ at: new Date(NOW.getTime() + 2 * 3600_000 + 1) })), range);
      for (const at of [new Date(Number.NaN), "2026-03-02T10:00:00Z", NOW.getTime()])
        assert.deepEqual(failure(m.record({ at: at as never })), ["INVALID_INPUT", "at must be a valid Date"]);
      assert.equal(m.pendingEvents, 2);
    });

    it("refuses an event that is not an object, and tells onError about every refusal", function () {
      const m = recorder();
      for (const event of [null, "booking", 7, [{}]]) assert.deepEqual(failure(m.record(event as never)), ["INVALID_INPUT", "a booking event must be an object"]);
      assert.deepEqual(m.record(), { ok: true }, "no event at all is one booking now");
      assert.equal(errors.length, 4);
    });

    it("turns a failure while recording (a broken clock) into INVALID_INPUT instead of throwing", function () {
      const broken = recorder({
        now: () => {
          throw new Error("clock broke");
        },
      });
      assert.deepEqual(failure(broken.record()), ["INVALID_INPUT", "could not record the booking: clock broke"]);
      const odd = recorder({
        now: () => {
          throw "not an Error";
        },
      });
      assert.deepEqual(failure(odd.record()), ["INVALID_INPUT", "could not record the booking: not an Error"]);
      assert.equal(errors.length, 2);
    });

    it("keeps at most maxPendingEvents events (default 10000), dropping the next with BUFFER_FULL", function () {
      const m = recorder();
      for (let i = 0; i < 10_000; i++) assert.equal(m.record().ok, true);
      assert.deepEqual(failure(m.record()), ["BUFFER_FULL", "10000 booking events are waiting; this one was dropped"]);
      assert.equal(m.pendingEvents, 10_000);
      assert.equal(errors[0].code, "BUFFER_FULL");
    });
  });

  describe("datums", function () {
    it("puts each booking in the minute it happened (CloudWatch's one-minute resolution)", async function () {
      const m = recorder();
      m.record({ at: new Date(MINUTE) });
      m.record({ at: new Date(MINUTE + 59_999) });
      m.record({ at: new Date(MINUTE + 60_000) });
      await m.flush();
      assert.deepEqual(
        inputs[0].MetricData!.map((d) => [(d.Timestamp as Date).toISOString(), d.Counts]),
        [
          ["2026-03-02T10:15:00.000Z", [2]],
          ["2026-03-02T10:16:00.000Z", [1]],
        ],
      );
    });

    it("lists each datum's values in ascending order with their counts", async function () {
      const m = recorder();
      for (const count of [5, 2, 900, 2, 10]) m.record({ count });
      await m.flush();
      const [datum] = inputs[0].MetricData!;
      assert.deepEqual(
        [datum.Values, datum.Counts],
        [
          [2, 5, 10, 900],
          [2, 1, 1, 1],
        ],
      );
    });

    it("splits a service-minute with more than 150 distinct counts into datums of at most 150 values, each carrying its own bookings", async function () {
      const m = recorder({ maxDatumsPerRequest: 1 });
      for (let count = 1; count <= 151; count++) m.record({ count });
      answer = async (input) => {
        if (input.MetricData![0].Values![0] === 151) throw awsError("InternalFailure", 500);
        return {};
      };
      const result = await m.flush();
      assert.deepEqual(
        inputs.map((i) => i.MetricData![0].Values!.length),
        [150, 1],
      );
      assert.deepEqual([result.sentBookings, result.pendingBookings, m.pendingEvents], [(150 * 151) / 2, 151, 1]);
    });
  });

  describe("requests", function () {
    it("sends nothing when nothing waits", async function () {
      assert.deepEqual(await recorder().flush(), { sentBookings: 0, requests: 0, pendingBookings: 0, errors: [] });
      assert.equal(inputs.length, 0);
    });

    it("fills a request up to maxBytesPerRequest exactly (64 bytes of envelope plus each datum's estimate), not one byte over", async function () {
      const probe = recorder();
      const record = (m: BookingMetrics) => {
        for (let minute = 0; minute < 8; minute++) m.record({ service: `Service-${minute}`, at: new Date(MINUTE - minute * 60_000) });
      };
      record(probe);
      await probe.flush();
      const sizes = inputs[0].MetricData!.map((d) => datumBytes(d));
      let k = 1;
      // The smallest k whose cap is a valid setting (over 1000), with the cap one byte lower still valid.
      while (64 + sizes.slice(0, k).reduce((a, b) => a + b, 0) <= 1000) k++;
      assert.ok(k > 1 && k < 8);
      const cap = 64 + sizes.slice(0, k).reduce((a, b) => a + b, 0);
      for (const [maxBytesPerRequest, first] of [
        [cap, k],
        [cap - 1, k - 1],
      ]) {
        inputs = [];
        const m = recorder({ maxBytesPerRequest });
        record(m);
        const result = await m.flush();
        assert.equal(lengths()[0], first, `cap ${maxBytesPerRequest}`);
        assert.equal(
          lengths().reduce((a, b) => a + b, 0),
          8,
        );
        assert.equal(result.sentBookings, 8);
      }
    });

    it("sends a datum larger than the byte cap on its own, never an empty request before it", async function () {
      const m = recorder({ maxBytesPerRequest: 1000 });
      for (let count = 851; count <= 1000; count++) m.record({ count });
      m.record({ service: "GroupClass" });
      const result = await m.flush();
      assert.deepEqual(lengths(), [1, 1]);
      assert.ok(datumBytes(inputs[0].MetricData![0]) > 1000);
      assert.equal(result.requests, 2);
    });

    it("estimates a datum as its JSON with the timestamp in epoch seconds, plus a comma", function () {
      const datum = {
        MetricName: "BookingsCreated",
        Dimensions: [
          { Name: "Environment", Value: "dev" },
          { Name: "Service", Value: "Tutoring" },
        ],
        Timestamp: new Date(MINUTE),
        Unit: "Count" as const,
        Values: [2, 5],
        Counts: [3, 1],
      };
      const json =
        '{"MetricName":"BookingsCreated","Dimensions":[{"Name":"Environment","Value":"dev"},{"Name":"Service","Value":"Tutoring"}],"Timestamp":1772446500,"Unit":"Count","Values":[2,5],"Counts":[3,1]}';
      assert.equal(datumBytes(datum), json.length + 1);
      const { Timestamp: _none, ...undated } = datum;
      assert.equal(datumBytes(undated), json.replace('"Timestamp":1772446500,', "").length + 1);
      assert.equal(
        datumBytes({ ...datum, Dimensions: [{ Name: "Service", Value: "Caf\u00e9" }] }),
        Buffer.byteLength(JSON.stringify({ ...datum, Dimensions: [{ Name: "Service", Value: "Caf\u00e9" }], Timestamp: 1772446500 })) + 1,
        "bytes, not characters",
      );
    });
  });

  describe("CloudWatch's answers", function () {
    it("counts bookings, not events, as sent", async function () {
      const m = recorder();
      m.record({ count: 3 });
      m.record({ count: 4, service: "GroupClass" });
      assert.deepEqual(await m.flush(), { sentBookings: 7, requests: 1, pendingBookings: 0, errors: [] });
    });

    it("keeps the bookings of a request that failed for now (throttling at HTTP 400 included, 5xx, no status, no error object) for the next flush", async function () {
      for (const [label, error, detail] of [
        ["Throttling", awsError("Throttling", 400, "Rate exceeded"), "Throttling: Rate exceeded"],
        ["ThrottlingException", awsError("ThrottlingException", 400), "ThrottlingException: ThrottlingException"],
        ["RequestLimitExceeded", awsError("RequestLimitExceeded", 400), "RequestLimitExceeded: RequestLimitExceeded"],
        ["TooManyRequestsException", awsError("TooManyRequestsException", 400), "TooManyRequestsException: TooManyRequestsException"],
        ["500", awsError("InternalFailure", 500, "oops"), "InternalFailure: oops"],
        ["network", new Error("socket hang up"), "Error: socket hang up"],
        ["null", null, "null"],
      ] as const) {
        errors = [];
        answer = () => Promise.reject(error);
        const m = recorder();
        m.record({ count: 2 });
        m.record();
        const result = await m.flush();
        assert.deepEqual([result.sentBookings, result.pendingBookings, m.pendingEvents], [0, 3, 2], label);
        assert.deepEqual(
          result.errors.map((e) => [e.code, e.message]),
          [["PUBLISH_FAILED", `PutMetricData failed (${detail}); 2 booking events kept for the next flush`]],
          label,
        );
        assert.equal(result.errors[0].cause, error);
        assert.deepEqual(errors, result.errors, "onError is told too");
      }
    });

    it("drops the datum CloudWatch refuses (400 not throttling, or 413), halving the request to find it; the rest goes", async function () {
      for (const status of [400, 413]) {
        inputs = [];
        answer = async (input) => {
          if (services(input).includes("Poison")) throw awsError("InvalidParameterValueException", status, "bad value");
          return {};
        };
        const m = recorder();
        for (const service of ["A", "B", "Poison", "C", "D"]) m.record({ service, count: 2 });
        m.record({ service: "Poison" });
        const result = await m.flush();
        assert.deepEqual(inputs.map(services), [["A", "B", "Poison", "C", "D"], ["A", "B", "Poison"], ["A", "B"], ["Poison"], ["C", "D"]], `HTTP ${status}`);
        assert.deepEqual([result.sentBookings, result.pendingBookings, result.requests], [8, 0, 5]);
        assert.deepEqual(
          result.errors.map((e) => [e.code, e.message]),
          [["REJECTED", "CloudWatch refused a datum (InvalidParameterValueException: bad value); its 2 booking events were dropped"]],
        );
        assert.equal((result.errors[0].cause as Error).name, "InvalidParameterValueException", "CloudWatch's answer stays as the cause");
        assert.equal(m.pendingEvents, 0, "a refused datum is never re-sent");
      }
    });

    it("keeps failed bookings only while there is room: those beyond maxPendingEvents are dropped and counted", async function () {
      let release!: () => void;
      answer = () => new Promise((_, reject) => (release = () => reject(new Error("network down"))));
      const m = recorder({ maxPendingEvents: 4 });
      for (let i = 0; i < 3; i++) m.record();
      const flushing = m.flush();
      m.record({ service: "GroupClass" });
      m.record({ service: "GroupClass" });
      release();
      const result = await flushing;
      assert.deepEqual(
        result.errors.map((e) => e.message),
        ["PutMetricData failed (Error: network down); 2 booking events kept for the next flush, 1 dropped"],
      );
      assert.deepEqual([result.pendingBookings, m.pendingEvents], [4, 4]);
      const full = recorder({ maxPendingEvents: 2 });
      full.record();
      const again = full.flush();
      full.record({ service: "GroupClass" });
      full.record({ service: "GroupClass" });
      release();
      assert.deepEqual(
        (await again).errors.map((e) => e.message),
        ["PutMetricData failed (Error: network down); 0 booking events kept for the next flush, 1 dropped"],
      );
    });

    it("never rejects, even when the error it gets cannot be described (PUBLISH_FAILED)", async function () {
      const hostile = new Error("x");
      Object.defineProperty(hostile, "name", {
        get() {
          throw new Error("bad name");
        },
      });
      answer = () => Promise.reject(hostile);
      const m = recorder();
      m.record();
      const result = await m.flush();
      assert.deepEqual(
        result.errors.map((e) => [e.code, e.message]),
        [["PUBLISH_FAILED", "could not send booking metrics: bad name"]],
      );
      assert.equal((result.errors[0].cause as Error).message, "bad name");
      assert.deepEqual(errors, result.errors);
      assert.equal(result.sentBookings, 0);
    });
  });

  describe("flushing by itself", function () {
    interface Timer {
      fn: () => void;
      ms: number;
      cleared: boolean;
      unrefed: boolean;
    }
    let timers: Timer[];
    const real = { setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout };
    beforeEach(() => {
      timers = [];
      globalThis.setTimeout = ((fn: () => void, ms: number) => {
        const timer: Timer & { unref(): Timer } = {
          fn,
          ms,
          cleared: false,
          unrefed: false,
          unref() {
            timer.unrefed = true;
            return timer;
          },
        };
        timers.push(timer);
        return timer;
      }) as unknown as typeof setTimeout;
      globalThis.clearTimeout = ((timer: Timer | undefined) => {
        if (timer) timer.cleared = true;
      }) as typeof clearTimeout;
    });
    afterEach(() => {
      globalThis.setTimeout = real.setTimeout;
      globalThis.clearTimeout = real.clearTimeout;
    });
    const live = () => timers.filter((t) => !t.cleared);
    const settle = () => new Promise((resolve) => setImmediate(resolve));

    it("arms one timer (default 10 s, not keeping the process alive) at the first waiting event, and flushes when it fires", async function () {
      const m = recorder({ flushIntervalMs: undefined });
      m.record();
      m.record();
      assert.deepEqual(
        timers.map((t) => [t.ms, t.unrefed]),
        [[10_000, true]],
        "one timer for both events",
      );
      timers[0].fn();
      await settle();
      assert.deepEqual(
        inputs.map((i) => i.MetricData![0].Counts),
        [[2]],
      );
      m.record();
      assert.deepEqual(
        timers.map((t) => t.cleared),
        [false, false],
        "armed again for the next event",
      );
    });

    it("arms no timer when flushIntervalMs is 0", async function () {
      const m = recorder({ flushIntervalMs: 0 });
      m.record();
      await settle();
      assert.deepEqual([timers.length, inputs.length, m.pendingEvents], [0, 0, 1]);
    });

    it("disarms the timer on flush and on close; pending events stay after close", async function () {
      const m = recorder({ flushIntervalMs: 5000 });
      m.record();
      await m.flush();
      assert.deepEqual(
        timers.map((t) => [t.ms, t.cleared]),
        [[5000, true]],
      );
      m.record();
      m.close();
      assert.equal(live().length, 0);
      assert.equal(m.pendingEvents, 1);
      m.record();
      assert.equal(live().length, 1, "close does not stop later events from arming it");
    });

    it("flushes at flushAtEvents waiting events (default 20) without waiting for the timer", async function () {
      const m = recorder({ flushAtEvents: undefined, flushIntervalMs: 5000 });
      for (let i = 0; i < 19; i++) m.record();
      await settle();
      assert.equal(inputs.length, 0);
      m.record();
      await settle();
      assert.deepEqual(
        inputs.map((i) => i.MetricData![0].Counts),
        [[20]],
      );
      assert.equal(live().length, 0, "the flush disarmed the timer");
    });

    it("lets concurrent flushes share the one in flight, then sends what arrived meanwhile", async function () {
      let release!: () => void;
      answer = () => new Promise((resolve) => (release = () => resolve({})));
      const m = recorder();
      m.record();
      const first = m.flush();
      m.record({ service: "GroupClass" });
      const second = m.flush();
      await settle();
      assert.equal(inputs.length, 1, "the second flush waits for the first");
      release();
      const firstResult: FlushResult = await first;
      await settle();
      release();
      const secondResult = await second;
      assert.deepEqual(inputs.map(services), [["Tutoring"], ["GroupClass"]]);
      assert.deepEqual([firstResult.sentBookings, secondResult.sentBookings], [1, 1]);
    });
  });

  describe("settings", function () {
    const refuses = (options: Partial<BookingMetricsOptions>, message: string) =>
      assert.throws(
        () => recorder(options),
        (e: unknown) => e instanceof BookingMetricError && e.code === "INVALID_CONFIG" && e.message === message,
        JSON.stringify(options),
      );

    it("needs an environment and a default service that are dimension values", function () {
      for (const environment of [undefined, "", "dev env;", 42]) refuses({ environment: environment as never }, "environment must match /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/");
      refuses({ defaultService: "<b>" }, "defaultService must match /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/");
      assert.ok(recorder({ environment: "prod", defaultService: "GroupClass" }));
    });

    it("takes whole numbers within each limit, ends included", function () {
      for (const maxDatumsPerRequest of [0, 1001, 1.5]) refuses({ maxDatumsPerRequest }, "maxDatumsPerRequest must be 1-1000");
      for (const maxBytesPerRequest of [999, 1_000_001, 1000.5]) refuses({ maxBytesPerRequest }, "maxBytesPerRequest must be 1000-1000000");
      const ranged = "flushAtEvents, maxPendingEvents and flushIntervalMs must be whole numbers in range";
      for (const flushAtEvents of [0, 1_000_001, 1.5]) refuses({ flushAtEvents }, ranged);
      for (const maxPendingEvents of [0, 1_000_001, 1.5]) refuses({ maxPendingEvents }, ranged);
      for (const flushIntervalMs of [-1, 3_600_001, 1.5]) refuses({ flushIntervalMs }, ranged);
      for (const ok of [
        { maxDatumsPerRequest: 1, maxBytesPerRequest: 1000, flushAtEvents: 1, maxPendingEvents: 1, flushIntervalMs: 0 },
        { maxDatumsPerRequest: 1000, maxBytesPerRequest: 1_000_000, flushAtEvents: 1_000_000, maxPendingEvents: 1_000_000, flushIntervalMs: 3_600_000 },
      ]) {
        assert.ok(recorder(ok));
      }
    });

    it("sends up to 1000 datums per request by default", async function () {
      const m = recorder();
      for (let i = 0; i < 1001; i++) m.record({ service: `S${i}` });
      await m.flush();
      assert.deepEqual(lengths(), [1000, 1]);
    });
  });

  describe("the process-wide recorder (a fresh copy of the module: it is created once per process)", function () {
    const fresh = (): typeof metrics => {
      const path = require.resolve("../../../functions/metrics/trackBookingMetric");
      const cached = require.cache[path];
      delete require.cache[path];
      try {
        return require(path) as typeof metrics;
      } finally {
        require.cache[path] = cached;
      }
    };

    it("needs MPTO_ENVIRONMENT and AWS_REGION (or AWS_DEFAULT_REGION), then makes one recorder and keeps it", function () {
      const m = fresh();
      for (const env of [{}, { MPTO_ENVIRONMENT: "dev" }, { AWS_REGION: "eu-west-2" }, { MPTO_ENVIRONMENT: "", AWS_REGION: "eu-west-2" }]) {
        const missing = m.sharedBookingMetrics(env);
        assert.ok(missing instanceof m.BookingMetricError);
        assert.deepEqual([missing.code, missing.message], ["INVALID_CONFIG", "set MPTO_ENVIRONMENT and AWS_REGION to record booking metrics"], JSON.stringify(env));
      }
      const refused = m.sharedBookingMetrics({ MPTO_ENVIRONMENT: "dev env;", AWS_REGION: "eu-west-2" });
      assert.ok(
        refused instanceof m.BookingMetricError && refused.code === "INVALID_CONFIG" && /^environment must match/.test(refused.message),
        "a bad environment is returned, not thrown",
      );
      const shared = m.sharedBookingMetrics({ MPTO_ENVIRONMENT: "dev", AWS_DEFAULT_REGION: "eu-west-2" });
      assert.ok(shared instanceof m.BookingMetrics);
      assert.equal(m.sharedBookingMetrics({}), shared, "the same recorder for the life of the process");
      assert.equal(shared.pendingEvents, 0);
    });
  });
});
