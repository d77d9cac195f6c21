import assert from "node:assert/strict";
import * as auth from "../../../functions/auth/errors";
import * as mail from "../../../functions/mail/errors";
import * as media from "../../../functions/media/errors";
import * as sessions from "../../../functions/sessions/errors";
import { MalformedNotificationError } from "../../../functions/mail/sesEvents";
import { BookingMetricError } from "../../../functions/metrics/trackBookingMetric";
import { CodedError, fixedError } from "../../../functions/shared/codedError";

/**
 * The codes and messages the functions return are API (callers switch on `code`, show `message`):
 * each is written out here as the app sees it, so a change to one is a deliberate change to this table.
 */
interface Expected {
  error: Error;
  family: abstract new (...args: never[]) => CodedError;
  name: string;
  code: string;
  message: string;
}

const cause = new Error("the SDK's error");

const EXPECTED: Expected[] = [
  // functions/auth
  {
    error: new auth.InvalidCredentialsError({ cause }),
    family: auth.AuthError,
    name: "InvalidCredentialsError",
    code: "INVALID_CREDENTIALS",
    message: "Incorrect email address or password.",
  },
  {
    error: new auth.MfaCodeMismatchError({ cause }),
    family: auth.AuthError,
    name: "MfaCodeMismatchError",
    code: "MFA_CODE_MISMATCH",
    message: "That code is not right. Enter the current code from your authenticator app.",
  },
  {
    error: new auth.ChallengeExpiredError({ cause }),
    family: auth.AuthError,
    name: "ChallengeExpiredError",
    code: "CHALLENGE_EXPIRED",
    message: "This sign-in attempt has expired. Please sign in again.",
  },
  {
    error: new auth.PasswordPolicyError({ cause }),
    family: auth.AuthError,
    name: "PasswordPolicyError",
    code: "PASSWORD_POLICY",
    message: "Choose a password of at least 12 characters with upper- and lower-case letters, a number and a symbol.",
  },
  {
    error: new auth.InvalidTokenError("revoked", { cause }),
    family: auth.AuthError,
    name: "InvalidTokenError",
    code: "INVALID_TOKEN",
    message: "Your session has ended. Please sign in again.",
  },
  {
    error: new auth.ThrottledError({ cause }),
    family: auth.AuthError,
    name: "ThrottledError",
    code: "THROTTLED",
    message: "Too many attempts. Please wait a few minutes and try again.",
  },
  { error: new auth.InvalidInputError("email"), family: auth.AuthError, name: "InvalidInputError", code: "INVALID_INPUT", message: "The email is not valid." },
  { error: new auth.InvalidInputError("newPassword"), family: auth.AuthError, name: "InvalidInputError", code: "INVALID_INPUT", message: "The new password is not valid." },
  {
    error: new auth.UnsupportedChallengeError("SMS_MFA"),
    family: auth.AuthError,
    name: "UnsupportedChallengeError",
    code: "UNSUPPORTED_CHALLENGE",
    message: "This account needs a sign-in step the site does not support. Please contact support.",
  },
  {
    error: new auth.AuthServiceError({ cause }),
    family: auth.AuthError,
    name: "AuthServiceError",
    code: "SERVICE_UNAVAILABLE",
    message: "Sign-in is unavailable at the moment. Please try again shortly.",
  },
  // functions/sessions
  {
    error: new sessions.InvalidSessionIdError(),
    family: sessions.SessionStoreError,
    name: "InvalidSessionIdError",
    code: "INVALID_SESSION_ID",
    message: "session ids must come from SessionStore.generateId (43 base64url characters)",
  },
  {
    error: new sessions.InvalidSessionDataError("not an object", { cause }),
    family: sessions.SessionStoreError,
    name: "InvalidSessionDataError",
    code: "INVALID_SESSION_DATA",
    message: "session data cannot be stored: not an object",
  },
  {
    error: new sessions.SessionTooLargeError(400_001, 350_000),
    family: sessions.SessionStoreError,
    name: "SessionTooLargeError",
    code: "SESSION_TOO_LARGE",
    message: "session data is 400001 bytes; the limit is 350000",
  },
  {
    error: new sessions.InvalidUserIdError(),
    family: sessions.SessionStoreError,
    name: "InvalidUserIdError",
    code: "INVALID_USER_ID",
    message: "user id must be 1-256 characters without control characters",
  },
  {
    error: new sessions.SessionUserMismatchError(),
    family: sessions.SessionStoreError,
    name: "SessionUserMismatchError",
    code: "SESSION_USER_MISMATCH",
    message: "the session belongs to another user; create a new session at sign-in",
  },
  {
    error: new sessions.SessionFixationError(),
    family: sessions.SessionStoreError,
    name: "SessionFixationError",
    code: "SESSION_FIXATION",
    message: "an anonymous session cannot become a signed-in session in place; regenerate the session at sign-in",
  },
  {
    error: new sessions.SessionStoreThrottledError({ cause }),
    family: sessions.SessionStoreError,
    name: "SessionStoreThrottledError",
    code: "STORE_THROTTLED",
    message: "the session table is throttling requests",
  },
  {
    error: new sessions.SessionStoreUnavailableError("read the session", { cause }),
    family: sessions.SessionStoreError,
    name: "SessionStoreUnavailableError",
    code: "STORE_UNAVAILABLE",
    message: "the session table could not read the session",
  },
  // functions/mail
  {
    error: new mail.BookingValidationError([
      { field: "parent.email", problem: "is not an email address" },
      { field: "notes", problem: "is too long" },
    ]),
    family: mail.MailError,
    name: "BookingValidationError",
    code: "INVALID_BOOKING",
    message: "Invalid booking: parent.email is not an email address; notes is too long",
  },
  {
    error: new mail.MailThrottledError("Throttling", { cause }),
    family: mail.MailError,
    name: "MailThrottledError",
    code: "MAIL_THROTTLED",
    message: "SES throttled the send (Throttling)",
  },
  {
    error: new mail.MailRejectedError("MessageRejected", { cause }),
    family: mail.MailError,
    name: "MailRejectedError",
    code: "MAIL_REJECTED",
    message: "SES rejected the message (MessageRejected)",
  },
  {
    error: new mail.MailSendError("InternalFailure", { cause }),
    family: mail.MailError,
    name: "MailSendError",
    code: "MAIL_SEND_FAILED",
    message: "Sending through SES failed (InternalFailure)",
  },
  {
    error: new mail.MailOutcomeUnknownError("TimeoutError", { cause }),
    family: mail.MailError,
    name: "MailOutcomeUnknownError",
    code: "MAIL_OUTCOME_UNKNOWN",
    message: "SES may have accepted the message; its answer did not arrive (TimeoutError)",
  },
  {
    error: new mail.MailLedgerError({ cause }),
    family: mail.MailError,
    name: "MailLedgerError",
    code: "MAIL_LEDGER_UNAVAILABLE",
    message: "the send ledger is unavailable; nothing was sent",
  },
  {
    error: new MalformedNotificationError("no mail object"),
    family: CodedError,
    name: "MalformedNotificationError",
    code: "MALFORMED_SES_NOTIFICATION",
    message: "Malformed SES notification: no mail object",
  },
  // functions/media
  { error: new media.MediaInputError("TOO_LARGE", "the file is too large"), family: CodedError, name: "MediaInputError", code: "TOO_LARGE", message: "the file is too large" },
  { error: new media.MediaConfigError("bucket must be set"), family: CodedError, name: "MediaConfigError", code: "MEDIA_CONFIG", message: "bucket must be set" },
  { error: new media.MediaServiceError("SIGN_FAILED", "could not sign", { cause }), family: CodedError, name: "MediaServiceError", code: "SIGN_FAILED", message: "could not sign" },
  // functions/metrics
  {
    error: new BookingMetricError("BUFFER_FULL", "the buffer is full", { cause }),
    family: CodedError,
    name: "BookingMetricError",
    code: "BUFFER_FULL",
    message: "the buffer is full",
  },
];

describe("coded errors of functions/ (one base: functions/shared/codedError.ts)", () => {
  for (const e of EXPECTED) {
    it(`${e.name} ${e.code}: code, message and name as the app sees them`, () => {
      assert.ok(e.error instanceof CodedError && e.error instanceof e.family && e.error instanceof Error);
      assert.deepEqual({ name: e.error.name, code: e.error.code, message: e.error.message }, { name: e.name, code: e.code, message: e.message });
      // The name also leads the stack trace (what a log shows), and survives minification (a literal).
      assert.ok(e.error.stack?.startsWith(`${e.name}: ${e.message}\n`), e.error.stack);
    });
  }

  it("keeps the cause it was given, and none when it was given none", () => {
    for (const e of EXPECTED.filter((x) => "cause" in x.error)) assert.equal(e.error.cause, cause, e.name);
    assert.ok(!("cause" in new auth.InvalidInputError("code")) && !("cause" in new sessions.InvalidSessionIdError()));
  });

  it("each error carries its own fields", () => {
    assert.equal(new auth.InvalidTokenError("expired").reason, "expired");
    assert.equal(new auth.InvalidInputError("code").field, "code");
    assert.equal(new auth.UnsupportedChallengeError("CUSTOM_CHALLENGE").challengeName, "CUSTOM_CHALLENGE");
    assert.deepEqual({ ...new sessions.SessionTooLargeError(2, 1) }, { name: "SessionTooLargeError", code: "SESSION_TOO_LARGE", bytes: 2, limitBytes: 1 });
    assert.deepEqual(new mail.BookingValidationError([{ field: "a", problem: "b" }]).issues, [{ field: "a", problem: "b" }]);
    assert.equal(new MalformedNotificationError("not JSON").reason, "not JSON");
    assert.equal(new mail.MailRejectedError("MessageRejected").awsCode, "MessageRejected");
  });

  it("mail errors say whether a retry may succeed (a retry after an unknown outcome could mail twice)", () => {
    const retryable = (e: mail.MailError) => e.retryable;
    assert.deepEqual(
      [
        new mail.BookingValidationError([]),
        new mail.MailThrottledError("x"),
        new mail.MailRejectedError("x"),
        new mail.MailSendError("x"),
        new mail.MailOutcomeUnknownError("x"),
        new mail.MailLedgerError(),
      ].map(retryable),
      [false, true, false, true, false, true],
    );
  });

  it("media errors suggest an HTTP status: 413 for too large, 400 for other input, 500 for set-up, 503 for signing", () => {
    assert.deepEqual(
      [
        new media.MediaInputError("TOO_LARGE", "x"),
        new media.MediaInputError("EMPTY_FILE", "x"),
        new media.MediaConfigError("x"),
        new media.MediaServiceError("PRESIGN_FAILED", "x"),
      ].map((e) => e.status),
      [413, 400, 500, 503],
    );
  });

  it("fixedError makes a subclass of the family with one code and message", () => {
    class Family extends CodedError<"A" | "B"> {
      override readonly name: string = "Family";
    }
    class OnlyA extends fixedError(Family, "OnlyA", "A", "always A") {}
    const e = new OnlyA({ cause });
    assert.ok(e instanceof OnlyA && e instanceof Family);
    assert.deepEqual({ name: e.name, code: e.code, message: e.message, cause: e.cause }, { name: "OnlyA", code: "A", message: "always A", cause });
  });
});
