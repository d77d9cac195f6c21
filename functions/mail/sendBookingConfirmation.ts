import { SendEmailCommand, SESClient, type SESClientConfig } from "@aws-sdk/client-ses";
import { boundedClientConfig, CLIENT_LIMITS, type ClientLimits } from "../shared/clientLimits";
import { parseBooking, type Booking } from "./booking";
import { BookingValidationError, classifySesError } from "./errors";
import { renderConfirmation } from "./templates";

/** The configuration set every transactional mail goes through (created by the MailDomain component). */
export const TRANSACTIONAL_CONFIGURATION_SET = "mpto-transactional";
/** Message tag naming the kind of mail; the CloudWatch event destination uses it as a dimension. */
export const MAIL_TYPE_TAG = "mail-type";

/** What the sender needs besides the booking. Injected so tests point the client at an emulator. */
export interface MailDeps {
  /** An SES (v1 API) client. Give it timeouts: see `createSesClient`. */
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
}

/** An SES client with the timeouts every client in this project must have (a hung SES call never hangs a request). */
export function createSesClient(config: SESClientConfig = {}, limits: ClientLimits = CLIENT_LIMITS.ses): SESClient {
  return new SESClient({ region: "eu-west-2", ...config, ...boundedClientConfig(limits) });
}

/** Same rule as the booking's one-line fields, applied to the finished header value. */
const HEADER_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** A display name needs no quoting when it has only these. */
const PLAIN_DISPLAY_NAME = /^[A-Za-z0-9 ]{1,64}$/;
/** Configured addresses: one plain ASCII address, nothing that could start another header or recipient. */
const SIMPLE_ADDRESS = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

function formatWhen(startsAt: string, timeZone: string): string {
  const date = new Date(startsAt);
  if (Number.isNaN(date.getTime())) throw new BookingValidationError([{ field: "startsAt", problem: "is not a real date" }]);
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-GB", { timeZone, weekday: "long", day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
  } catch {
    throw new BookingValidationError([{ field: "timeZone", problem: "is not an IANA time zone" }]);
  }
  return format.format(date);
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
 * message tags. Returns the SES MessageId.
 *
 * Throws BookingValidationError (nothing sent), MailThrottledError (retry later), MailRejectedError
 * (fix the set-up or the recipient), MailSendError (other failures).
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

  let messageId: string | undefined;
  try {
    messageId = (await deps.ses.send(command)).MessageId;
  } catch (error) {
    throw classifySesError(error);
  }
  if (!messageId) throw classifySesError(Object.assign(new Error("SES returned no MessageId"), { name: "MissingMessageId" }));
  return messageId;
}
