import { SendEmailCommand, SESClient, type SESClientConfig } from "@aws-sdk/client-ses";
import { boundedClient, CLIENT_LIMITS, type ClientLimits } from "../shared/clientLimits";
import { parseBooking, type Booking } from "./booking";
import { BookingValidationError, classifySesError, definitelyNotSent, MailLedgerError, MailOutcomeUnknownError } from "./errors";
import { confirmationKey, type SendLedger } from "./sendLedger";
import { renderConfirmation } from "./templates";

/** The configuration set every transactional mail goes through (created by the MailDomain component). */
export const TRANSACTIONAL_CONFIGURATION_SET = "mpto-transactional";
/** Message tag naming the kind of mail; the CloudWatch event destination uses it as a dimension. */
export const MAIL_TYPE_TAG = "mail-type";

/** What the sender needs besides the booking. Injected so tests point the client at an emulator. */
export interface MailDeps {
  /** An SES (v1 API) client with time limits and no SDK retries: see `createSesClient`. */
  ses: Pick<SESClient, "send">;
  /** From address, on the verified mail domain, e.g. bookings@myprivatetutoronline.com. */
  sender: string;
  /** Display name of the sender. Default "My Private Tutor Online". */
  senderName?: string;
  /** Copied (CC) on every confirmation, and the Reply-To address. */
  adminEmail: string;
  /** SES configuration set. Default "mpto-transactional". */
  configurationSetName?: string;
  /** IANA time zone the session time is shown in. Default "Europe/London". */
  timeZone?: string;
  /**
   * Claims each booking's confirmation before sending, so a retry never mails it twice
   * (`DynamoSendLedger` on the session table). Without one, retrying after a
   * `MailOutcomeUnknownError` may send a second mail. Use one in production.
   */
  ledger?: SendLedger;
}

/**
 * An SES client with the project's time limits (a hung SES call never hangs a request) and one
 * attempt: the SDK would retry a timed-out SendEmail that SES may already have accepted, sending
 * it twice. Retries belong to the caller, after `sendBookingConfirmation` has said whether the
 * message certainly did not go (`retryable`).
 */
export function createSesClient(config: SESClientConfig = {}, limits: ClientLimits = CLIENT_LIMITS.ses): SESClient {
  return boundedClient(SESClient, config, limits);
}

/** Same rule as the booking's one-line fields, applied to the finished header value. */
const HEADER_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** A display name needs no quoting when it has only these. */
const PLAIN_DISPLAY_NAME = /^[A-Za-z0-9 ]{1,64}$/;
/** Configured addresses: one plain ASCII address, nothing that could start another header or recipient. */
const SIMPLE_ADDRESS = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

/** `startsAt` passed parseBooking: an existing moment (day of month, hour, offset checked), which Date reads. */
function formatWhen(startsAt: string, timeZone: string): string {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-GB", { timeZone, weekday: "long", day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
  } catch {
    throw new BookingValidationError([{ field: "timeZone", problem: "is not an IANA time zone" }]);
  }
  return format.format(new Date(startsAt));
}

function formatDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const parts = [h ? `${h} hour${h === 1 ? "" : "s"}` : "", m ? `${m} minute${m === 1 ? "" : "s"}` : ""].filter(Boolean);
  return parts.join(" ");
}

/** The subject line: built from validated one-line values and checked again, so it can never carry CR/LF. */
export function confirmationSubject(booking: Pick<Booking, "studentName" | "subject">, when: string): string {
  const subject = `Tutoring session confirmed: ${booking.studentName}, ${booking.subject}, ${when}`;
  if (HEADER_UNSAFE.test(subject)) throw new BookingValidationError([{ field: "subject line", problem: "contains a line break or control character" }]);
  return subject;
}

/**
 * Validates the booking, renders the confirmation (HTML escaped + plain text) and sends it to the
 * parent, CC the admin, from the bookings sender, through the transactional configuration set with
 * message tags. Returns the SES MessageId. It mails only `parentEmail`, which the caller states is
 * the signed-in parent's verified address (`parentEmailVerified: true`).
 *
 * With a ledger the send is at most once per booking version: a repeated call returns the first
 * MessageId without sending.
 *
 * Throws BookingValidationError (nothing sent), MailThrottledError (not sent; retry later),
 * MailRejectedError (not sent; fix the set-up or the recipient), MailSendError (not sent; may be
 * retried), MailOutcomeUnknownError (may have been sent: do not retry blindly), MailLedgerError
 * (the ledger failed; nothing sent).
 */
export async function sendBookingConfirmation(input: unknown, deps: MailDeps): Promise<string> {
  const booking = parseBooking(input);
  const timeZone = deps.timeZone ?? "Europe/London";
  const when = formatWhen(booking.startsAt, timeZone);
  const { html, text } = renderConfirmation({
    parentName: booking.parentName,
    studentName: booking.studentName,
    tutorName: booking.tutorName,
    subject: booking.subject,
    when,
    duration: formatDuration(booking.durationMinutes),
    bookingId: booking.bookingId,
    notes: booking.notes,
    adminEmail: deps.adminEmail,
  });
  const senderName = deps.senderName ?? "My Private Tutor Online";
  // Deployment settings, not user input; still never allowed to shape a header.
  if (!PLAIN_DISPLAY_NAME.test(senderName)) throw new Error("MailDeps.senderName must be 1-64 of A-Z, a-z, 0-9 and spaces");
  for (const [key, address] of [["sender", deps.sender], ["adminEmail", deps.adminEmail]] as const) {
    if (!SIMPLE_ADDRESS.test(address)) throw new Error(`MailDeps.${key} must be a plain email address`);
  }

  const command = new SendEmailCommand({
    Source: `${senderName} <${deps.sender}>`,
    Destination: { ToAddresses: [booking.parentEmail], CcAddresses: [deps.adminEmail] },
    ReplyToAddresses: [deps.adminEmail],
    Message: {
      Subject: { Data: confirmationSubject(booking, when), Charset: "UTF-8" },
      Body: { Html: { Data: html, Charset: "UTF-8" }, Text: { Data: text, Charset: "UTF-8" } },
    },
    ConfigurationSetName: deps.configurationSetName ?? TRANSACTIONAL_CONFIGURATION_SET,
    // Tag names and values: ASCII letters, digits, '_' and '-' only (bookingId is validated to that).
    Tags: [
      { Name: MAIL_TYPE_TAG, Value: "booking-confirmation" },
      { Name: "booking-id", Value: booking.bookingId },
    ],
  });

  const ledger = deps.ledger;
  const key = confirmationKey(booking);
  if (ledger) {
    const claim = await ledger.claim(key).catch((error: unknown) => {
      throw new MailLedgerError({ cause: error });
    });
    if (claim.state === "sent") return claim.messageId;
    if (claim.state === "pending") throw new MailOutcomeUnknownError("AttemptInProgress");
  }

  let messageId: string | undefined;
  try {
    messageId = (await deps.ses.send(command)).MessageId;
  } catch (error) {
    // SES answered with an error (or the request never left): the claim goes, a retry may send.
    if (ledger && definitelyNotSent(error)) await ledger.release(key).catch(() => undefined);
    throw classifySesError(error);
  }
  if (!messageId) throw classifySesError(Object.assign(new Error("SES returned no MessageId"), { name: "MissingMessageId" }));
  // SES accepted it: a failure to record that only means a retry within the lease says "unknown".
  if (ledger) await ledger.complete(key, messageId).catch(() => undefined);
  return messageId;
}
