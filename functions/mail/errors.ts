import { CodedError, type CodedErrorOptions } from "../shared/codedError";

/** What went wrong, as a stable string a caller can switch on. */
export type MailErrorCode = "INVALID_BOOKING" | "MAIL_THROTTLED" | "MAIL_REJECTED" | "MAIL_SEND_FAILED" | "MAIL_OUTCOME_UNKNOWN" | "MAIL_LEDGER_UNAVAILABLE";

/**
 * Typed errors of the mail functions. Callers branch on `code` (stable strings), never on messages.
 * Messages never contain user-supplied values, so they are safe to log and to show.
 */
export abstract class MailError extends CodedError<MailErrorCode> {
  /** Each mail error names itself (a string literal: the bundles are minified). */
  abstract override readonly name: string;
  /** True when sending the same message again later may succeed. */
  abstract readonly retryable: boolean;
}

/** One field that failed validation: the path and the rule, never the value itself. */
export interface BookingIssue {
  field: string;
  problem: string;
}

/** The booking is not valid: nothing was sent. */
export class BookingValidationError extends MailError {
  override readonly name = "BookingValidationError";
  readonly retryable = false;
  constructor(readonly issues: BookingIssue[]) {
    super("INVALID_BOOKING", `Invalid booking: ${issues.map((i) => `${i.field} ${i.problem}`).join("; ")}`);
  }
}

/** A failure SES (or the way to it) reported: its code, whether a retry may succeed, and the SES error code (e.g. "Throttling") in the message. */
function sesFailure(name: string, code: MailErrorCode, retryable: boolean, describe: (awsCode: string) => string) {
  return class extends MailError {
    override readonly name: string = name;
    readonly retryable: boolean = retryable;
    constructor(
      /** The SES error code, e.g. "Throttling". */
      readonly awsCode: string,
      options?: CodedErrorOptions,
    ) {
      super(code, describe(awsCode), options);
    }
  };
}

/** SES refused for now (sending rate or daily quota exceeded): try again later, with backoff. */
export class MailThrottledError extends sesFailure("MailThrottledError", "MAIL_THROTTLED", true, (c) => `SES throttled the send (${c})`) {}

/**
 * SES rejected the message or cannot send with this set-up: message rejected, sender or MAIL FROM
 * not verified, configuration set missing or paused, account paused. Not retryable as is.
 */
export class MailRejectedError extends sesFailure("MailRejectedError", "MAIL_REJECTED", false, (c) => `SES rejected the message (${c})`) {}

/** Any other failure (network, timeout, unexpected SES error). May be retried. */
export class MailSendError extends sesFailure("MailSendError", "MAIL_SEND_FAILED", true, (c) => `Sending through SES failed (${c})`) {}

/**
 * SES may or may not have accepted the message: the request was sent but no answer came (a
 * timeout or a connection reset after sending). Not retryable: a blind retry could send the
 * confirmation twice. With a send ledger, retries of the same booking answer this error until the
 * claim's lease ends (the SES events of the `booking-id` tag show whether it went).
 */
export class MailOutcomeUnknownError extends sesFailure(
  "MailOutcomeUnknownError",
  "MAIL_OUTCOME_UNKNOWN",
  false,
  (c) => `SES may have accepted the message; its answer did not arrive (${c})`,
) {}

/** The send ledger could not be read or written: nothing was sent. */
export class MailLedgerError extends MailError {
  override readonly name = "MailLedgerError";
  readonly retryable = true;
  constructor(options?: CodedErrorOptions) {
    super("MAIL_LEDGER_UNAVAILABLE", "the send ledger is unavailable; nothing was sent", options);
  }
}

/** SES error codes (SES v1 API, AWS SDK v3 error names) that mean "slow down". */
const THROTTLING_CODES = new Set(["Throttling", "ThrottlingException", "TooManyRequestsException", "MaxSendingRateExceeded", "LimitExceededException"]);

/** SES error codes that mean the message or the set-up is refused. */
const REJECTION_CODES = new Set([
  "MessageRejected",
  "MailFromDomainNotVerifiedException",
  "FromEmailAddressNotVerifiedException",
  "ConfigurationSetDoesNotExistException",
  "ConfigurationSetSendingPausedException",
  "AccountSendingPausedException",
  "ProductionAccessNotGrantedException",
  "InvalidParameterValue",
]);

/** Network errors raised before the request could reach SES: the message was certainly not sent. */
const NOT_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** True when SES answered (an error document with an HTTP status) or the request never left: then nothing was accepted. */
export function definitelyNotSent(error: unknown): boolean {
  const e = error as { $metadata?: { httpStatusCode?: number }; $response?: unknown; code?: unknown; message?: unknown } | undefined;
  if (typeof e?.$metadata?.httpStatusCode === "number") return true;
  if (typeof e?.code === "string" && NOT_CONNECTED.has(e.code)) return true;
  // @smithy/node-http-handler's connection timeout ("Socket timed out without establishing a connection").
  return typeof e?.message === "string" && /without establishing a connection/.test(e.message);
}

/** Maps an error thrown by the SES client to one of the typed errors above. */
export function classifySesError(error: unknown): MailError {
  if (error instanceof MailError) return error;
  const e = error as { name?: unknown; Code?: unknown; $metadata?: { httpStatusCode?: number } } | undefined;
  const code = typeof e?.name === "string" && e.name !== "Error" ? e.name : typeof e?.Code === "string" ? e.Code : "Unknown";
  if (!definitelyNotSent(error)) return new MailOutcomeUnknownError(code, { cause: error });
  if (THROTTLING_CODES.has(code) || e?.$metadata?.httpStatusCode === 429) return new MailThrottledError(code, { cause: error });
  if (REJECTION_CODES.has(code)) return new MailRejectedError(code, { cause: error });
  return new MailSendError(code, { cause: error });
}
