import { createHash } from "node:crypto";

/**
 * Parsing of the JSON records SES publishes to SNS: configuration-set event publishing
 * (`eventType`) and identity feedback notifications (`notificationType`), per the SES developer
 * guide ("Contents of event data that Amazon SES publishes to Amazon SNS"). SES may add fields at
 * any time, so unknown fields are ignored; only the fields read here are checked.
 *
 * Recipient addresses are personal data: summaries carry each address's domain and a short
 * SHA-256 pseudonym instead of the address (hash a known address the same way to find its events;
 * the SES account suppression list holds the addresses themselves).
 */

export const SES_EVENT_TYPES = ["Bounce", "Complaint", "Delivery", "Send", "Reject", "Open", "Click", "Rendering Failure", "DeliveryDelay", "Subscription"] as const;
export type SesEventType = (typeof SES_EVENT_TYPES)[number];

/** A recipient without the address: its domain and a pseudonym (first 16 hex digits of SHA-256 of the lower-cased address). */
export interface RedactedRecipient {
  domain: string;
  id: string;
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
export class MalformedNotificationError extends Error {
  override readonly name = "MalformedNotificationError";
  readonly code = "MALFORMED_SES_NOTIFICATION";
  constructor(readonly reason: string) {
    super(`Malformed SES notification: ${reason}`);
  }
}

const EMAIL_IN_TEXT = /[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g;

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

/** Domain and pseudonym of an address; never the address. */
export function redactRecipient(address: string): RedactedRecipient {
  const normalised = address.trim().toLowerCase();
  const at = normalised.lastIndexOf("@");
  return {
    domain: at >= 0 ? normalised.slice(at + 1).replace(/>$/, "") : "unknown",
    id: createHash("sha256").update(normalised).digest("hex").slice(0, 16),
  };
}

/** Removes anything that looks like an address from free text and caps its length. */
export function scrubText(text: unknown, max = 200): string | undefined {
  if (typeof text !== "string" || text.length === 0) return undefined;
  return text.replace(EMAIL_IN_TEXT, "<address>").replace(/[\u0000-\u001f\u007f]/g, " ").slice(0, max);
}

function recipientsFrom(list: unknown, key: string | undefined): { recipients: RedactedRecipient[]; entries: Record<string, unknown>[] } {
  if (!Array.isArray(list)) throw new MalformedNotificationError(`${key ?? "recipients"} is not a list`);
  const entries: Record<string, unknown>[] = [];
  const recipients: RedactedRecipient[] = [];
  for (const item of list) {
    const address = key ? (isObject(item) ? item[key] : undefined) : item;
    if (typeof address !== "string" || !address.includes("@")) throw new MalformedNotificationError("a recipient has no email address");
    recipients.push(redactRecipient(address));
    if (isObject(item)) entries.push(item);
  }
  return { recipients, entries };
}

/** Parses one SES record (the `Message` of an SNS notification). Throws MalformedNotificationError. */
export function parseSesNotification(message: unknown): SesEventSummary {
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
      const { recipients, entries } = recipientsFrom(bounce.bouncedRecipients, "emailAddress");
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
      summary.recipients = recipientsFrom(complaint.complainedRecipients, "emailAddress").recipients;
      summary.complaintFeedbackType = optionalString(complaint.complaintFeedbackType, 64);
      summary.complaintSubType = optionalString(complaint.complaintSubType, 64);
      summary.eventTimestamp = optionalString(complaint.timestamp, 64);
      break;
    }
    case "Delivery": {
      const delivery = record.delivery;
      if (!isObject(delivery)) throw new MalformedNotificationError("a Delivery without a delivery object");
      summary.recipients = recipientsFrom(delivery.recipients, undefined).recipients;
      summary.processingTimeMillis = typeof delivery.processingTimeMillis === "number" ? delivery.processingTimeMillis : undefined;
      summary.diagnostic = scrubText(delivery.smtpResponse);
      summary.eventTimestamp = optionalString(delivery.timestamp, 64);
      break;
    }
    case "Reject": {
      const reject = record.reject;
      if (!isObject(reject)) throw new MalformedNotificationError("a Reject without a reject object");
      summary.recipients = Array.isArray(mail.destination) ? recipientsFrom(mail.destination, undefined).recipients : [];
      summary.rejectReason = scrubText(reject.reason, 100);
      break;
    }
    case "DeliveryDelay": {
      const delay = record.deliveryDelay;
      if (!isObject(delay)) throw new MalformedNotificationError("a DeliveryDelay without a deliveryDelay object");
      const { recipients, entries } = recipientsFrom(delay.delayedRecipients, "emailAddress");
      summary.recipients = recipients;
      summary.delayType = optionalString(delay.delayType, 64);
      summary.statuses = entries.map((e) => optionalString(e.status, 16)).filter((s): s is string => !!s);
      summary.diagnostic = scrubText(entries.map((e) => e.diagnosticCode).find((d) => typeof d === "string"));
      summary.eventTimestamp = optionalString(delay.timestamp, 64);
      break;
    }
    default:
      // Send, Open, Click, Rendering Failure, Subscription: counted and logged with the mail fields only.
      summary.recipients = Array.isArray(mail.destination) ? recipientsFrom(mail.destination, undefined).recipients : [];
  }
  return summary;
}
