import { createHmac } from "node:crypto";
import { CodedError } from "../shared/codedError";

/**
 * Parsing of the JSON records SES publishes to SNS: configuration-set event publishing
 * (`eventType`) and identity feedback notifications (`notificationType`), per the SES developer
 * guide ("Contents of event data that Amazon SES publishes to Amazon SNS"). SES may add fields at
 * any time, so unknown fields are ignored; only the fields read here are checked.
 *
 * Recipient addresses are personal data: summaries carry each address's domain and a keyed
 * pseudonym (HMAC-SHA-256 under a secret key) instead of the address. An unkeyed hash would be
 * reversible by anyone with a list of candidate addresses (hash them all and compare); with the
 * key, only someone holding it can find a known address's events (`redactRecipient(address, key)`).
 * Without a key no pseudonym is written at all. The SES suppression list holds the addresses themselves.
 */

export const SES_EVENT_TYPES = ["Bounce", "Complaint", "Delivery", "Send", "Reject", "Open", "Click", "Rendering Failure", "DeliveryDelay", "Subscription"] as const;
export type SesEventType = (typeof SES_EVENT_TYPES)[number];

/** A recipient without the address: its domain and, when a key is configured, a pseudonym (first 16 hex digits of HMAC-SHA-256 of the lower-cased address). */
export interface RedactedRecipient {
  domain: string;
  id?: string;
}

/** What is logged for one SES event. */
export interface SesEventSummary {
  eventType: SesEventType;
  messageId: string;
  /** When SES accepted the original message (ISO 8601). */
  sentAt?: string;
  configurationSet?: string;
  /** The `mail-type` message tag, e.g. booking-confirmation. */
  mailType?: string;
  /** The `booking-id` message tag. */
  bookingId?: string;
  recipients: RedactedRecipient[];
  bounceType?: string;
  bounceSubType?: string;
  complaintFeedbackType?: string;
  complaintSubType?: string;
  /** SMTP status codes of the affected recipients, e.g. ["5.1.1"]. */
  statuses?: string[];
  /** Diagnostic text, addresses removed, at most 200 characters. */
  diagnostic?: string;
  rejectReason?: string;
  delayType?: string;
  processingTimeMillis?: number;
  eventTimestamp?: string;
}

/** The record is not an SES event this handler can read. `reason` never includes record content. */
export class MalformedNotificationError extends CodedError<"MALFORMED_SES_NOTIFICATION"> {
  override readonly name = "MalformedNotificationError";
  constructor(readonly reason: string) {
    super("MALFORMED_SES_NOTIFICATION", `Malformed SES notification: ${reason}`);
  }
}

/**
 * Scrubbing is linear in the input: the text is first cut to `max + SCRUB_LOOKAHEAD` characters
 * (enough for any address that starts inside the kept part, even percent-encoded), then split into
 * tokens by one greedy character class (no backtracking), and any token holding an `@` or its
 * percent-encoding (`%40`, `%2540`, …) is replaced. The old pattern (`[^…]+@[^…]+` with /g) retried
 * from every position of a long run without `@`: quadratic, 80 KB took 7 s.
 */
const SCRUB_LOOKAHEAD = 1024;
const TOKEN = /[^\s<>"'(),:[\]{}|]+/g;
const AT_SIGN = /@|%(?:25)*40|&#0*64|&#x0*40|&commat/i;
/** A quoted local part (`"ann smith"@example.com`, RFC 5321 §4.1.2): the quotes would split it into harmless-looking tokens. */
const QUOTED_LOCAL_PART = /"[^"\r\n]{0,130}"\s{0,4}(?=@|%(?:25)*40)/gi;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown, max = 200): string | undefined {
  return typeof value === "string" && value.length > 0 ? value.slice(0, max) : undefined;
}

/** First value of an SES tag (`mail.tags` maps names to arrays of strings). */
function tag(tags: unknown, name: string): string | undefined {
  if (!isObject(tags)) return undefined;
  const values = tags[name];
  return Array.isArray(values) ? optionalString(values[0], 256) : undefined;
}

/** The address itself: `Ann <ann@x.com>` and `<ann@x.com>` give `ann@x.com`; trimmed and lower-cased. */
export function normaliseAddress(address: string): string {
  const angle = /<([^<>]*)>\s*$/.exec(address);
  return (angle ? angle[1] : address).trim().toLowerCase();
}

/** Domain and (with a key) keyed pseudonym of an address; never the address. */
export function redactRecipient(address: string, key?: Buffer): RedactedRecipient {
  const normalised = normaliseAddress(address);
  const at = normalised.lastIndexOf("@");
  const domain = at >= 0 ? normalised.slice(at + 1) : "unknown";
  return key ? { domain, id: createHmac("sha256", key).update(normalised, "utf8").digest("hex").slice(0, 16) } : { domain };
}

/** Removes anything that looks like an address (plain, quoted or percent-encoded) from free text, in linear time, and caps its length. */
export function scrubText(text: unknown, max = 200): string | undefined {
  if (typeof text !== "string" || text.length === 0) return undefined;
  const capped = text.slice(0, max + SCRUB_LOOKAHEAD);
  // Stryker disable next-line StringLiteral: the replacement always joins the address token that follows (the lookahead is its @), which the next step replaces whole, so its text never reaches the output.
  const unquoted = capped.replace(QUOTED_LOCAL_PART, "quoted");
  return unquoted
    .replace(TOKEN, (token) => (AT_SIGN.test(token) ? "<address>" : token))
    .replace(/[\u0000-\u001f\u007f]/g, " ")
    .slice(0, max);
}

function recipientsFrom(list: unknown, key: string | undefined, hmacKey: Buffer | undefined): { recipients: RedactedRecipient[]; entries: Record<string, unknown>[] } {
  if (!Array.isArray(list)) throw new MalformedNotificationError(`${key ?? "recipients"} is not a list`);
  const entries: Record<string, unknown>[] = [];
  const recipients: RedactedRecipient[] = [];
  for (const item of list) {
    const address = key ? (isObject(item) ? item[key] : undefined) : item;
    if (typeof address !== "string" || !address.includes("@")) throw new MalformedNotificationError("a recipient has no email address");
    recipients.push(redactRecipient(address, hmacKey));
    // Stryker disable next-line ConditionalExpression: entries are read only for keyed lists, whose items passed the object check above; unkeyed items (plain strings) are never read from entries.
    if (isObject(item)) entries.push(item);
  }
  return { recipients, entries };
}

/** Parses one SES record (the `Message` of an SNS notification). Throws MalformedNotificationError. `pseudonymKey` keys the recipient pseudonyms. */
export function parseSesNotification(message: unknown, pseudonymKey?: Buffer): SesEventSummary {
  if (typeof message !== "string" || message.length === 0) throw new MalformedNotificationError("the SNS message is empty or not a string");
  if (message.length > 262_144) throw new MalformedNotificationError("the SNS message is larger than SNS allows (256 KiB)");
  let record: unknown;
  try {
    record = JSON.parse(message);
  } catch {
    throw new MalformedNotificationError("the SNS message is not JSON");
  }
  if (!isObject(record)) throw new MalformedNotificationError("the SNS message is not a JSON object");

  const type = record.eventType ?? record.notificationType;
  if (typeof type !== "string") throw new MalformedNotificationError("no eventType or notificationType");
  if (!(SES_EVENT_TYPES as readonly string[]).includes(type)) throw new MalformedNotificationError("unknown event type");
  const eventType = type as SesEventType;

  const mail = record.mail;
  if (!isObject(mail)) throw new MalformedNotificationError("no mail object");
  const messageId = optionalString(mail.messageId, 256);
  if (!messageId) throw new MalformedNotificationError("mail.messageId is missing");

  const summary: SesEventSummary = {
    eventType,
    messageId,
    sentAt: optionalString(mail.timestamp, 64),
    configurationSet: tag(mail.tags, "ses:configuration-set"),
    mailType: tag(mail.tags, "mail-type"),
    bookingId: tag(mail.tags, "booking-id"),
    recipients: [],
  };

  switch (eventType) {
    case "Bounce": {
      const bounce = record.bounce;
      if (!isObject(bounce)) throw new MalformedNotificationError("a Bounce without a bounce object");
      const { recipients, entries } = recipientsFrom(bounce.bouncedRecipients, "emailAddress", pseudonymKey);
      summary.recipients = recipients;
      summary.bounceType = optionalString(bounce.bounceType, 32);
      summary.bounceSubType = optionalString(bounce.bounceSubType, 64);
      if (!summary.bounceType) throw new MalformedNotificationError("a Bounce without bounceType");
      summary.statuses = entries.map((e) => optionalString(e.status, 16)).filter((s): s is string => !!s);
      summary.diagnostic = scrubText(entries.map((e) => e.diagnosticCode).find((d) => typeof d === "string"));
      summary.eventTimestamp = optionalString(bounce.timestamp, 64);
      break;
    }
    case "Complaint": {
      const complaint = record.complaint;
      if (!isObject(complaint)) throw new MalformedNotificationError("a Complaint without a complaint object");
      summary.recipients = recipientsFrom(complaint.complainedRecipients, "emailAddress", pseudonymKey).recipients;
      summary.complaintFeedbackType = optionalString(complaint.complaintFeedbackType, 64);
      summary.complaintSubType = optionalString(complaint.complaintSubType, 64);
      summary.eventTimestamp = optionalString(complaint.timestamp, 64);
      break;
    }
    case "Delivery": {
      const delivery = record.delivery;
      if (!isObject(delivery)) throw new MalformedNotificationError("a Delivery without a delivery object");
      summary.recipients = recipientsFrom(delivery.recipients, undefined, pseudonymKey).recipients;
      summary.processingTimeMillis = typeof delivery.processingTimeMillis === "number" ? delivery.processingTimeMillis : undefined;
      summary.diagnostic = scrubText(delivery.smtpResponse);
      summary.eventTimestamp = optionalString(delivery.timestamp, 64);
      break;
    }
    case "Reject": {
      const reject = record.reject;
      if (!isObject(reject)) throw new MalformedNotificationError("a Reject without a reject object");
      summary.recipients = Array.isArray(mail.destination) ? recipientsFrom(mail.destination, undefined, pseudonymKey).recipients : [];
      summary.rejectReason = scrubText(reject.reason, 100);
      break;
    }
    case "DeliveryDelay": {
      const delay = record.deliveryDelay;
      if (!isObject(delay)) throw new MalformedNotificationError("a DeliveryDelay without a deliveryDelay object");
      const { recipients, entries } = recipientsFrom(delay.delayedRecipients, "emailAddress", pseudonymKey);
      summary.recipients = recipients;
      summary.delayType = optionalString(delay.delayType, 64);
      summary.statuses = entries.map((e) => optionalString(e.status, 16)).filter((s): s is string => !!s);
      summary.diagnostic = scrubText(entries.map((e) => e.diagnosticCode).find((d) => typeof d === "string"));
      summary.eventTimestamp = optionalString(delay.timestamp, 64);
      break;
    }
    default:
      // Send, Open, Click, Rendering Failure, Subscription: counted and logged with the mail fields only.
      summary.recipients = Array.isArray(mail.destination) ? recipientsFrom(mail.destination, undefined, pseudonymKey).recipients : [];
  }
  return summary;
}
