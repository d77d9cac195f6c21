import assert from "node:assert/strict";
import { createServer, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { unmocked } from "../../support/unmocked";
import { BookingMetricError, BookingMetrics, createCloudWatchClient, datumBytes } from "../../../functions/metrics/trackBookingMetric";

/** PutMetricData's documented limits (API_PutMetricData): 1 MB per HTTP POST, 1000 metrics per request, 150 values per metric. */
const ONE_MB = 1_048_576;

interface Received {
  /** Uncompressed payload bytes. */
  bytes: number;
  /** Bytes on the wire (the SDK gzips PutMetricData bodies of 10 KB and more). */
  wireBytes: number;
  data: { Dimensions: { Name: string; Value: string }[]; Values: number[]; Counts: number[] }[];
}

/**
 * A loopback stand-in for CloudWatch's PutMetricData (no CloudWatch emulator exists), speaking the
 * AWS JSON 1.0 protocol the real SDK client sends, so the request bodies measured here are the SDK's
 * own serialisation (gunzipped: the SDK compresses bodies of 10 KB and more). It enforces the
 * documented limits (413 over 1 MB, 400 over 1000 metrics or 150 values), reading "1 MB" as the
 * uncompressed payload: AWS does not say whether the limit applies before or after gzip, and this
 * is the reading under which a batch is safe either way. It refuses any datum whose Service is
 * "Poison" (400 InvalidParameterValue), as CloudWatch refuses a datum it considers invalid.
 */
class FakeCloudWatch {
  received: Received[] = [];
  /** Answer every request with this status (e.g. 500) instead. */
  failWith: number | undefined;
  endpoint = "";
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const wire = Buffer.concat(chunks);
      const body = req.headers["content-encoding"] === "gzip" ? gunzipSync(wire) : wire;
      const reply = (status: number, type?: string) => {
        res.writeHead(status, { "content-type": "application/x-amz-json-1.0" });
        res.end(type ? JSON.stringify({ __type: type, message: type }) : "{}");
      };
      if (this.failWith) return reply(this.failWith, "InternalServiceError");
      if (body.length > ONE_MB) return reply(413, "RequestEntityTooLarge");
      const input = JSON.parse(body.toString("utf8")) as { MetricData: Received["data"] };
      if (input.MetricData.length > 1000 || input.MetricData.some((d) => d.Values.length > 150)) return reply(400, "InvalidParameterValueException");
      if (input.MetricData.some((d) => d.Dimensions.some((x) => x.Value === "Poison"))) return reply(400, "InvalidParameterValueException");
      this.received.push({ bytes: body.length, wireBytes: wire.length, data: input.MetricData });
      reply(200);
    });
  });

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe("booking metric batching against a loopback PutMetricData with CloudWatch's limits (real SDK serialisation)", function () {
  this.timeout(60_000);
  const NOW = new Date("2026-03-02T10:15:42.500Z");
  let cw: FakeCloudWatch;
  let errors: BookingMetricError[];

  before(async () => {
    cw = new FakeCloudWatch();
    await cw.start();
  });
  after(() => cw.stop());
  beforeEach(() => {
    cw.received = [];
    cw.failWith = undefined;
    errors = [];
  });

  const recorder = (options: Partial<ConstructorParameters<typeof BookingMetrics>[0]> = {}) =>
    new BookingMetrics({
      client: unmocked(createCloudWatchClient("eu-west-2", cw.endpoint, { connectionTimeoutMs: 2000, requestTimeoutMs: 20_000, maxAttempts: 1 }, { accessKeyId: "t", secretAccessKey: "t" })),
      environment: "dev",
      flushIntervalMs: 0,
      flushAtEvents: 1_000_000,
      maxPendingEvents: 1_000_000,
      now: () => NOW,
      onError: (e) => errors.push(e),
      ...options,
    });

  it("meets the real cap: 1000 datums of 150 values each (about 1.5 MB) go in requests of at most 1 MB each", async () => {
    const m = recorder();
    let bookings = 0;
    for (let group = 0; group < 1000; group++) {
      const at = new Date(NOW.getTime() - (group % 500) * 60_000);
      const service = group < 500 ? "Tutoring" : "GroupClass";
      for (let count = 1; count <= 150; count++) {
        assert.equal(m.record({ service, count: count * 6, at }).ok, true);
        bookings += count * 6;
      }
    }
    const result = await m.flush();
    assert.deepEqual(result.errors, []);
    assert.equal(result.sentBookings, bookings, "every booking was accepted");
    assert.ok(cw.received.length >= 2, `a count-only cap would have sent one ${cw.received.length}-request batch over 1 MB`);
    for (const r of cw.received) {
      assert.ok(r.bytes <= ONE_MB, `a request of ${r.bytes} bytes`);
      assert.ok(r.data.length <= 1000);
    }
    assert.equal(cw.received.reduce((n, r) => n + r.data.length, 0), 1000);
    const biggest = Math.max(...cw.received.map((r) => r.bytes));
    assert.ok(biggest > 900_000, `batches are filled close to the limit (largest ${biggest} bytes)`);
    m.close();
  });

  it("estimates a datum's size at or above what the SDK actually sends", async () => {
    const m = recorder();
    for (let count = 1; count <= 150; count++) m.record({ count: 1000 - count, at: NOW });
    await m.flush();
    const [only] = cw.received;
    const sent = only.bytes;
    const datum = { ...only.data[0], MetricName: "BookingsCreated", Unit: "Count" as const, Timestamp: new Date(Date.parse("2026-03-02T10:15:00Z")) };
    assert.ok(datumBytes(datum) + 64 >= sent, `estimate ${datumBytes(datum) + 64} vs sent ${sent}`);
    m.close();
  });

  it("drops only the datum CloudWatch refuses (a poison point), sends the rest, and never re-sends it", async () => {
    const m = recorder();
    for (let minute = 0; minute < 9; minute++) m.record({ service: "Tutoring", at: new Date(NOW.getTime() - minute * 60_000) });
    m.record({ service: "Poison", count: 3 });
    const first = await m.flush();
    assert.equal(first.sentBookings, 9, "the good datums of the refused batch went");
    assert.equal(first.pendingBookings, 0, "the poison point is not kept to block the next flush");
    assert.deepEqual(first.errors.map((e) => e.code), ["REJECTED"]);
    assert.equal(errors[0].code, "REJECTED");
    assert.ok(first.requests <= 1 + 2 * Math.ceil(Math.log2(10)) + 2, `bisection stays bounded (${first.requests} requests)`);
    const second = await m.flush();
    assert.deepEqual([second.requests, second.sentBookings, second.errors.length], [0, 0, 0]);
    m.close();
  });

  it("keeps every booking of a very large failed batch (no push(...spread) stack overflow)", async () => {
    cw.failWith = 500;
    const m = recorder();
    for (let i = 0; i < 300_000; i++) m.record({ at: new Date(NOW.getTime() - (i % 1000) * 60_000) });
    const failed = await m.flush();
    assert.equal(failed.pendingBookings, 300_000);
    assert.deepEqual([...new Set(failed.errors.map((e) => e.code))], ["PUBLISH_FAILED"]);
    assert.ok(!failed.errors.some((e) => /call stack/i.test(e.message)));
    cw.failWith = undefined;
    const retried = await m.flush();
    assert.equal(retried.sentBookings, 300_000);
    m.close();
  });

  it("refuses a byte cap outside 1000-1000000", () => {
    assert.throws(() => recorder({ maxBytesPerRequest: 999 }), (e: unknown) => e instanceof BookingMetricError && e.code === "INVALID_CONFIG");
    assert.throws(() => recorder({ maxBytesPerRequest: 1_000_001 }), BookingMetricError);
    assert.doesNotThrow(() => recorder({ maxBytesPerRequest: 1000 }).close());
  });
});
