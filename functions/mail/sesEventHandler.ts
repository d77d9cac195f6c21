import type { SNSEvent } from "aws-lambda";
import { MalformedNotificationError, parseSesNotification, SesEventType } from "./sesEvents";

/**
 * Lambda handler subscribed to the SES events topic. For every SNS record it parses the SES event,
 * writes one structured JSON log line (recipients pseudonymised) and counts it; at the end it writes
 * CloudWatch embedded-metric-format lines: `SesEvents` by `EventType` and `MalformedNotifications`.
 *
 * It never throws: a malformed record is logged (reason and SNS message id, never its content) and
 * counted, and the rest of the batch is still processed. A throw would make Lambda retry the whole
 * invocation and finally dead-letter good events with the bad one.
 *
 * Lines go straight to stdout, not through `console`: with the Lambda JSON log format the runtime
 * wraps console output in its own JSON, which would hide the EMF document from CloudWatch. Each log
 * line has a `level` key, which Lambda's log-level filtering reads.
 */

export interface HandlerDeps {
  /** Writes one line. Default: process.stdout. */
  write: (line: string) => void;
  /** Milliseconds since the epoch, for EMF timestamps. Default Date.now. */
  now: () => number;
  /** CloudWatch namespace of the metrics. Default env METRICS_NAMESPACE or "MPTO/Mail". */
  namespace: string;
  /**
   * Key of the recipient pseudonyms (HMAC-SHA-256), at least 32 bytes. Default: env
   * MPTO_PSEUDONYM_KEY, base64. Without a valid key recipients are logged by domain only, and each
   * batch logs one warning saying so.
   */
  pseudonymKey: Buffer | undefined;
}

/** The pseudonym key from its base64 text, or undefined when absent or shorter than 32 bytes (256 bits). */
export function pseudonymKeyFrom(text: string | undefined): Buffer | undefined {
  if (!text || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  const key = Buffer.from(text, "base64");
  return key.length >= 32 ? key : undefined;
}

export interface HandlerResult {
  processed: number;
  malformed: number;
  byType: Partial<Record<SesEventType, number>>;
}

/** Bounces and complaints are what hurt sender reputation: logged as warnings. */
const WARN_TYPES: ReadonlySet<SesEventType> = new Set(["Bounce", "Complaint", "Reject", "Rendering Failure"]);

export function createHandler(overrides: Partial<HandlerDeps> = {}): (event: unknown) => Promise<HandlerResult> {
  const deps: HandlerDeps = {
    write: (line) => void process.stdout.write(`${line}\n`),
    now: () => Date.now(),
    namespace: process.env.METRICS_NAMESPACE || "MPTO/Mail",
    pseudonymKey: pseudonymKeyFrom(process.env.MPTO_PSEUDONYM_KEY),
    ...overrides,
  };

  const log = (level: "INFO" | "WARN" | "ERROR", msg: string, fields: Record<string, unknown>) =>
    deps.write(JSON.stringify({ level, timestamp: new Date(deps.now()).toISOString(), msg, ...fields }));

  return async (event: unknown): Promise<HandlerResult> => {
    const result: HandlerResult = { processed: 0, malformed: 0, byType: {} };
    const records = (event as Partial<SNSEvent> | null | undefined)?.Records;
    if (!deps.pseudonymKey) log("WARN", "ses-pseudonym-key-missing", { reason: "MPTO_PSEUDONYM_KEY is unset or shorter than 32 bytes: recipients are logged by domain only" });
    if (!Array.isArray(records)) {
      result.malformed = 1;
      log("ERROR", "ses-event-batch-malformed", { reason: "the event has no Records list" });
    } else {
      for (const record of records) {
        const snsMessageId = typeof record?.Sns?.MessageId === "string" ? record.Sns.MessageId.slice(0, 128) : undefined;
        try {
          if (record?.EventSource !== "aws:sns") throw new MalformedNotificationError("the record is not from SNS");
          const summary = parseSesNotification(record.Sns?.Message, deps.pseudonymKey);
          result.processed += 1;
          result.byType[summary.eventType] = (result.byType[summary.eventType] ?? 0) + 1;
          log(WARN_TYPES.has(summary.eventType) ? "WARN" : "INFO", "ses-event", { snsMessageId, ...summary });
        } catch (error) {
          result.malformed += 1;
          const reason = error instanceof MalformedNotificationError ? error.reason : "unexpected error while parsing";
          log("ERROR", "ses-event-malformed", { snsMessageId, reason });
        }
      }
    }
    for (const line of metricLines(result, deps.namespace, deps.now())) deps.write(line);
    return result;
  };
}

/** CloudWatch embedded metric format documents (one per dimension value). */
export function metricLines(result: HandlerResult, namespace: string, timestamp: number): string[] {
  const lines: string[] = [];
  for (const [eventType, count] of Object.entries(result.byType)) {
    lines.push(
      JSON.stringify({
        _aws: { Timestamp: timestamp, CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [["EventType"]], Metrics: [{ Name: "SesEvents", Unit: "Count" }] }] },
        EventType: eventType,
        SesEvents: count,
      }),
    );
  }
  if (result.malformed > 0) {
    lines.push(
      JSON.stringify({
        _aws: { Timestamp: timestamp, CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [[]], Metrics: [{ Name: "MalformedNotifications", Unit: "Count" }] }] },
        MalformedNotifications: result.malformed,
      }),
    );
  }
  return lines;
}

/** The Lambda entry point (NodeFunction `handlerExport: "handler"`). */
export const handler = createHandler();
