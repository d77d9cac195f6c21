import { CloudWatchClient, type CloudWatchClientConfig, MetricDatum, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { CodedError } from "../shared/codedError";
import { boundedClient, CLIENT_LIMITS, type ClientLimits } from "../shared/clientLimits";
import { BOOKING_METRIC, DIMENSION_VALUE_PATTERN } from "./schema";

/**
 * The business metric `MPTO/Business` `BookingsCreated` (dimensions Environment, Service).
 *
 * Bookings are recorded in memory and sent in batches: all bookings of one service in one minute
 * become ONE datum (CloudWatch `Values`/`Counts`), and up to 1000 datums and 1 MB travel in ONE
 * PutMetricData call (the API's limits, API_PutMetricData). A metric must never cost a booking:
 * `record`, `flush` and `trackBookingMetric` never throw and never reject. Problems come back
 * as typed `BookingMetricError`s (and go to `onError`).
 */

export type BookingMetricErrorCode =
  /** The booking event is malformed (count, service or time). Nothing was recorded. */
  | "INVALID_INPUT"
  /** Too many bookings are waiting to be sent (CloudWatch unreachable for long). This one was dropped. */
  | "BUFFER_FULL"
  /** A PutMetricData call failed for now (network, throttling, 5xx); its bookings are kept for the next flush when room allows. */
  | "PUBLISH_FAILED"
  /** CloudWatch refused a datum as invalid (a 400 other than throttling): it is dropped, never re-sent, and the rest of its batch still goes. */
  | "REJECTED"
  /** The recorder's own settings are wrong (environment name, limits) or missing. */
  | "INVALID_CONFIG";

export class BookingMetricError extends CodedError<BookingMetricErrorCode> {
  override readonly name = "BookingMetricError";
}

/** One booking (or several created together). */
export interface BookingEvent {
  /** Service dimension, e.g. "Tutoring" or "GroupClass". Default "Tutoring". Never user text. */
  service?: string;
  /** Bookings created, a whole number from 1 to 1000. Default 1. */
  count?: number;
  /** When the bookings were created. Default now; CloudWatch accepts up to 14 days back and 2 hours ahead. */
  at?: Date;
}

export type RecordResult = { ok: true } | { ok: false; error: BookingMetricError };

export interface FlushResult {
  /** Bookings CloudWatch accepted in this flush. */
  sentBookings: number;
  /** PutMetricData calls made (successful or not). */
  requests: number;
  /** Bookings still waiting after this flush (failed calls put theirs back). */
  pendingBookings: number;
  errors: BookingMetricError[];
}

/** The one SDK method the recorder uses; a real `CloudWatchClient` fits, so does a test mock. */
export type MetricsClient = Pick<CloudWatchClient, "send">;

export interface BookingMetricsOptions {
  /** CloudWatch client (inject one with a request timeout; see `createCloudWatchClient`). */
  client: MetricsClient;
  /** Environment dimension, e.g. "dev" or "prod". Required. */
  environment: string;
  /** Service dimension when an event names none. Default "Tutoring". */
  defaultService?: string;
  /** Datums per PutMetricData call, 1-1000. Default 1000 (the API's limit). */
  maxDatumsPerRequest?: number;
  /** Bytes of request payload per PutMetricData call (estimated as the SDK's JSON), 1000-1000000. Default 1000000 (the API allows 1 MB = 1048576). */
  maxBytesPerRequest?: number;
  /** Flush by itself once this many booking events wait. Default 20. */
  flushAtEvents?: number;
  /** Flush by itself this long after the first unsent event, in ms (timer is unref'd). Default 10000; 0 disables. */
  flushIntervalMs?: number;
  /** Bookings kept while CloudWatch is unreachable; beyond this new ones are dropped. Default 10000. */
  maxPendingEvents?: number;
  /** Clock (tests). Default `() => new Date()`. */
  now?: () => Date;
  /** Told about every problem (never required to handle them). Default: one JSON line on stderr. */
  onError?: (error: BookingMetricError) => void;
}

const MAX_VALUES_PER_DATUM = 150; // API_PutMetricData: up to 150 values per metric with Values/Counts
const MAX_DATUMS_PER_REQUEST = 1000; // API_PutMetricData: no more than 1000 different metrics per request
// API_PutMetricData: "Each PutMetricData request is limited to 1 MB in size for HTTP POST requests."
// 1000000 leaves 48 KB under 1048576 for what the estimate does not count (headers are not part of it).
const MAX_BYTES_PER_REQUEST = 1_000_000;
/** `{"Namespace":"MPTO/Business","MetricData":[` … `]}` around the datums. */
const ENVELOPE_BYTES = 64;
/** Error names CloudWatch answers with HTTP 400 that mean "slow down", not "this datum is invalid". */
const THROTTLING = new Set(["Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException"]);
const MAX_PAST_MS = 14 * 24 * 3600 * 1000;
const MAX_FUTURE_MS = 2 * 3600 * 1000;
const MINUTE_MS = 60_000;

interface Pending {
  service: string;
  count: number;
  /** Start of the minute (ms since epoch). */
  minute: number;
}

function defaultOnError(error: BookingMetricError): void {
  process.stderr.write(`${JSON.stringify({ level: "warn", source: "trackBookingMetric", code: error.code, message: error.message })}\n`);
}

type Failure = { ok: false; error: BookingMetricError };

function invalid(message: string): Failure {
  return { ok: false, error: new BookingMetricError("INVALID_INPUT", message) };
}

function isWholeNumberIn(value: unknown, min: number, max: number): value is number {
  // Number.isInteger is false for anything that is not a number.
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
}

export class BookingMetrics {
  private readonly client: MetricsClient;
  private readonly environment: string;
  private readonly defaultService: string;
  private readonly maxDatumsPerRequest: number;
  private readonly maxBytesPerRequest: number;
  private readonly flushAtEvents: number;
  private readonly flushIntervalMs: number;
  private readonly maxPendingEvents: number;
  private readonly now: () => Date;
  private readonly onError: (error: BookingMetricError) => void;
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<FlushResult> | undefined;

  /** Throws `BookingMetricError` (INVALID_CONFIG) on bad settings: at start-up, never per booking. */
  constructor(options: BookingMetricsOptions) {
    const defaultService = options.defaultService ?? BOOKING_METRIC.defaultService;
    if (typeof options.environment !== "string" || !DIMENSION_VALUE_PATTERN.test(options.environment)) {
      throw new BookingMetricError("INVALID_CONFIG", `environment must match ${DIMENSION_VALUE_PATTERN}`);
    }
    if (!DIMENSION_VALUE_PATTERN.test(defaultService)) throw new BookingMetricError("INVALID_CONFIG", `defaultService must match ${DIMENSION_VALUE_PATTERN}`);
    const maxDatums = options.maxDatumsPerRequest ?? MAX_DATUMS_PER_REQUEST;
    if (!isWholeNumberIn(maxDatums, 1, MAX_DATUMS_PER_REQUEST)) throw new BookingMetricError("INVALID_CONFIG", `maxDatumsPerRequest must be 1-${MAX_DATUMS_PER_REQUEST}`);
    const maxBytes = options.maxBytesPerRequest ?? MAX_BYTES_PER_REQUEST;
    if (!isWholeNumberIn(maxBytes, 1000, MAX_BYTES_PER_REQUEST)) throw new BookingMetricError("INVALID_CONFIG", `maxBytesPerRequest must be 1000-${MAX_BYTES_PER_REQUEST}`);
    const flushAt = options.flushAtEvents ?? 20;
    const maxPending = options.maxPendingEvents ?? 10_000;
    const interval = options.flushIntervalMs ?? 10_000;
    if (!isWholeNumberIn(flushAt, 1, 1_000_000) || !isWholeNumberIn(maxPending, 1, 1_000_000) || !isWholeNumberIn(interval, 0, 3_600_000)) {
      throw new BookingMetricError("INVALID_CONFIG", "flushAtEvents, maxPendingEvents and flushIntervalMs must be whole numbers in range");
    }
    this.client = options.client;
    this.environment = options.environment;
    this.defaultService = defaultService;
    this.maxDatumsPerRequest = maxDatums;
    this.maxBytesPerRequest = maxBytes;
    this.flushAtEvents = flushAt;
    this.flushIntervalMs = interval;
    this.maxPendingEvents = maxPending;
    this.now = options.now ?? (() => new Date());
    this.onError = options.onError ?? defaultOnError;
  }

  /** Booking events waiting to be sent. */
  get pendingEvents(): number {
    return this.pending.length;
  }

  /** Validates and buffers one booking event. Never throws. */
  record(event: BookingEvent = {}): RecordResult {
    try {
      const result = this.validate(event);
      if (!result.ok) return this.report(result);
      if (this.pending.length >= this.maxPendingEvents) {
        return this.report({ ok: false, error: new BookingMetricError("BUFFER_FULL", `${this.pending.length} booking events are waiting; this one was dropped`) });
      }
      this.pending.push(result.value);
      if (this.pending.length >= this.flushAtEvents) void this.flush();
      else this.arm();
      return { ok: true };
    } catch (error) {
      return this.report(invalid(`could not record the booking: ${error instanceof Error ? error.message : String(error)}`));
    }
  }

  /**
   * Sends every waiting booking, batched. Never rejects. Concurrent calls share one flush, then the
   * next call sends whatever arrived meanwhile.
   */
  flush(): Promise<FlushResult> {
    if (this.inFlight) return this.inFlight.then(() => this.flush());
    this.disarm();
    const run = this.send().finally(() => {
      this.inFlight = undefined;
    });
    this.inFlight = run;
    return run;
  }

  /** Stops the flush timer (e.g. before a test or process ends). Pending events stay. */
  close(): void {
    this.disarm();
  }

  private validate(event: unknown): { ok: true; value: Pending } | Failure {
    if (event === null || typeof event !== "object" || Array.isArray(event)) return invalid("a booking event must be an object");
    const e = event as Record<string, unknown>;
    const count = e.count ?? 1;
    if (!isWholeNumberIn(count, 1, 1000)) return invalid("count must be a whole number from 1 to 1000");
    const service = e.service ?? this.defaultService;
    if (typeof service !== "string" || !DIMENSION_VALUE_PATTERN.test(service)) {
      return invalid("service must be 1-64 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit");
    }
    const now = this.now().getTime();
    const at = e.at ?? new Date(now);
    if (!(at instanceof Date) || Number.isNaN(at.getTime())) return invalid("at must be a valid Date");
    if (at.getTime() < now - MAX_PAST_MS || at.getTime() > now + MAX_FUTURE_MS) {
      return invalid("at must be within the last 14 days and at most 2 hours ahead (CloudWatch rejects other timestamps)");
    }
    return { ok: true, value: { service, count, minute: Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS } };
  }

  /** Aggregates events into datums: one per (service, minute), values with their counts. */
  private datums(events: Pending[]): { datum: MetricDatum; events: Pending[] }[] {
    const groups = new Map<string, { service: string; minute: number; counts: Map<number, number>; events: Pending[] }>();
    for (const e of events) {
      const key = `${e.service}\u0000${e.minute}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { service: e.service, minute: e.minute, counts: new Map(), events: [] }));
      group.counts.set(e.count, (group.counts.get(e.count) ?? 0) + 1);
      group.events.push(e);
    }
    const out: { datum: MetricDatum; events: Pending[] }[] = [];
    for (const group of groups.values()) {
      const values = [...group.counts.keys()].sort((a, b) => a - b);
      for (let i = 0; i < values.length; i += MAX_VALUES_PER_DATUM) {
        const slice = values.slice(i, i + MAX_VALUES_PER_DATUM);
        out.push({
          datum: {
            MetricName: BOOKING_METRIC.metricName,
            Dimensions: [
              { Name: BOOKING_METRIC.environmentDimension, Value: this.environment },
              { Name: BOOKING_METRIC.serviceDimension, Value: group.service },
            ],
            Timestamp: new Date(group.minute),
            Unit: BOOKING_METRIC.unit,
            Values: slice,
            Counts: slice.map((v) => group.counts.get(v)!),
          },
          events: group.events.filter((e) => slice.includes(e.count)),
        });
      }
    }
    return out;
  }

  private async send(): Promise<FlushResult> {
    const batch = this.pending;
    this.pending = [];
    const result: FlushResult = { sentBookings: 0, requests: 0, pendingBookings: 0, errors: [] };
    try {
      for (const chunk of this.requests(this.datums(batch))) await this.put(chunk, result);
    } catch (error) {
      const err = new BookingMetricError("PUBLISH_FAILED", `could not send booking metrics: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      result.errors.push(err);
      this.report({ ok: false, error: err });
    }
    result.pendingBookings = this.pending.reduce((s, e) => s + e.count, 0);
    return result;
  }

  /** Groups datums into requests within both limits: datums per call and estimated payload bytes. */
  private requests(datums: { datum: MetricDatum; events: Pending[] }[]): { datum: MetricDatum; events: Pending[] }[][] {
    const out: { datum: MetricDatum; events: Pending[] }[][] = [];
    let current: { datum: MetricDatum; events: Pending[] }[] = [];
    let bytes = ENVELOPE_BYTES;
    for (const d of datums) {
      const size = datumBytes(d.datum);
      if (current.length > 0 && (current.length >= this.maxDatumsPerRequest || bytes + size > this.maxBytesPerRequest)) {
        out.push(current);
        current = [];
        bytes = ENVELOPE_BYTES;
      }
      current.push(d);
      bytes += size;
    }
    if (current.length > 0) out.push(current);
    return out;
  }

  /**
   * One PutMetricData call. A refusal of the data itself (HTTP 400, not throttling, or 413) is
   * never retried as it is: the chunk is halved and each half sent, so one bad datum costs only
   * itself (dropped, REJECTED) and never blocks the others for ever. Transient failures keep the
   * chunk's bookings for the next flush.
   */
  private async put(chunk: { datum: MetricDatum; events: Pending[] }[], result: FlushResult): Promise<void> {
    result.requests++;
    try {
      await this.client.send(new PutMetricDataCommand({ Namespace: BOOKING_METRIC.namespace, MetricData: chunk.map((c) => c.datum) }));
      result.sentBookings += chunk.reduce((sum, c) => sum + c.events.reduce((s, e) => s + e.count, 0), 0);
      return;
    } catch (error) {
      const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      if (isRefusal(error)) {
        if (chunk.length > 1) {
          const half = Math.ceil(chunk.length / 2);
          await this.put(chunk.slice(0, half), result);
          await this.put(chunk.slice(half), result);
          return;
        }
        const dropped = chunk[0].events.length;
        const err = new BookingMetricError("REJECTED", `CloudWatch refused a datum (${detail}); its ${dropped} booking events were dropped`, { cause: error });
        result.errors.push(err);
        this.report({ ok: false, error: err });
        return;
      }
      const failed = chunk.flatMap((c) => c.events);
      const room = Math.max(0, this.maxPendingEvents - this.pending.length);
      const kept = Math.min(room, failed.length);
      // A loop, not push(...failed): spreading a large array overflows the call stack.
      for (let i = 0; i < kept; i++) this.pending.push(failed[i]);
      const dropped = failed.length - kept;
      const err = new BookingMetricError("PUBLISH_FAILED", `PutMetricData failed (${detail}); ${kept} booking events kept for the next flush${dropped ? `, ${dropped} dropped` : ""}`, { cause: error });
      result.errors.push(err);
      this.report({ ok: false, error: err });
    }
  }

  private arm(): void {
    if (this.timer || this.flushIntervalMs === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.flushIntervalMs);
    this.timer.unref();
  }

  private disarm(): void {
    clearTimeout(this.timer); // a no-op for undefined
    this.timer = undefined;
  }

  private report<T extends Failure>(result: T): T {
    try {
      this.onError(result.error);
    } catch {
      // An error handler that throws must not reach the booking path either.
    }
    return result;
  }
}

/**
 * Payload bytes of one datum as the SDK's JSON protocol writes it (@aws-sdk/client-cloudwatch
 * 3.11xx uses AWS JSON 1.0: numbers as numbers, the timestamp as epoch seconds), plus a comma.
 * The older query protocol spells every field out as `MetricData.member.N.…=` and is larger;
 * the 48 KB margin under 1 MB does not cover it, so keep the SDK current.
 */
export function datumBytes(datum: MetricDatum): number {
  const json = JSON.stringify({ ...datum, Timestamp: datum.Timestamp ? datum.Timestamp.getTime() / 1000 : undefined });
  return Buffer.byteLength(json) + 1;
}

/** True for answers that refuse the data itself: retrying the same payload can never succeed. */
function isRefusal(error: unknown): boolean {
  const e = error as { name?: unknown; $metadata?: { httpStatusCode?: number } } | null;
  const status = e?.$metadata?.httpStatusCode;
  if (status === 413) return true;
  // A status means an error object.
  return status === 400 && !THROTTLING.has(String(e!.name));
}

/** A CloudWatch client that gives up quickly: a slow metric must not hold a request open. */
export function createCloudWatchClient(region: string, endpoint?: string, limits: ClientLimits = CLIENT_LIMITS.cloudwatch, credentials?: CloudWatchClientConfig["credentials"]): CloudWatchClient {
  // An undefined endpoint or credentials is no setting: the SDK then uses its defaults (the region's endpoint, the default provider chain).
  return boundedClient(CloudWatchClient, { region, endpoint, credentials }, limits);
}

let shared: BookingMetrics | undefined;

/**
 * The process-wide recorder, configured from the environment: `MPTO_ENVIRONMENT` (Environment
 * dimension) and `AWS_REGION`. Returns a typed error instead of throwing when they are missing.
 */
export function sharedBookingMetrics(env: NodeJS.ProcessEnv = process.env): BookingMetrics | BookingMetricError {
  if (shared) return shared;
  const environment = env.MPTO_ENVIRONMENT;
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!environment || !region) return new BookingMetricError("INVALID_CONFIG", "set MPTO_ENVIRONMENT and AWS_REGION to record booking metrics");
  try {
    shared = new BookingMetrics({ client: createCloudWatchClient(region), environment });
    return shared;
  } catch (error) {
    // Stryker disable next-line all: defensive and unreachable: the constructor throws only BookingMetricError, and the client's constructor nothing.
    return error instanceof BookingMetricError ? error : new BookingMetricError("INVALID_CONFIG", String(error));
  }
}

/**
 * Records bookings for `MPTO/Business` `BookingsCreated`. Call it after the booking is stored;
 * it returns at once (no network call on the booking path) and never throws. Sending happens in
 * batches: when 20 events wait, 10 s after the first, or when you `await metrics.flush()` (do that
 * at the end of a Lambda invocation, before the runtime freezes).
 */
export function trackBookingMetric(event: BookingEvent = {}, metrics: BookingMetrics | BookingMetricError = sharedBookingMetrics()): RecordResult {
  if (metrics instanceof BookingMetricError) return { ok: false, error: metrics };
  return metrics.record(event);
}
