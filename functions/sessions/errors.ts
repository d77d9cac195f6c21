import { CodedError, type CodedErrorOptions, fixedError } from "../shared/codedError";

/** What went wrong, as a stable string a caller can switch on. */
export type SessionStoreErrorCode =
  "INVALID_SESSION_ID" | "INVALID_SESSION_DATA" | "SESSION_TOO_LARGE" | "INVALID_USER_ID" | "SESSION_USER_MISMATCH" | "SESSION_FIXATION" | "STORE_THROTTLED" | "STORE_UNAVAILABLE";

/**
 * Base class of every error the session store throws. Messages never contain a session id, a
 * user id or session data: they are safe to log. The underlying SDK error, if any, is `cause`.
 */
export class SessionStoreError extends CodedError<SessionStoreErrorCode> {
  override readonly name: string = "SessionStoreError";
}

/** A caller-chosen session id that the store did not mint (see `SessionStore.generateId`). */
export class InvalidSessionIdError extends fixedError(
  SessionStoreError,
  "InvalidSessionIdError",
  "INVALID_SESSION_ID",
  "session ids must come from SessionStore.generateId (43 base64url characters)",
) {}

/** The session data cannot be stored: not JSON-serialisable (cycles, BigInt) or not an object. */
export class InvalidSessionDataError extends SessionStoreError {
  override readonly name = "InvalidSessionDataError";
  constructor(reason: string, options?: CodedErrorOptions) {
    super("INVALID_SESSION_DATA", `session data cannot be stored: ${reason}`, options);
  }
}

/** The serialised session is larger than the store accepts (DynamoDB items are at most 400 KB). */
export class SessionTooLargeError extends SessionStoreError {
  override readonly name = "SessionTooLargeError";
  constructor(
    readonly bytes: number,
    readonly limitBytes: number,
  ) {
    super("SESSION_TOO_LARGE", `session data is ${bytes} bytes; the limit is ${limitBytes}`);
  }
}

/** A user id that is empty, too long or contains control characters. */
export class InvalidUserIdError extends fixedError(SessionStoreError, "InvalidUserIdError", "INVALID_USER_ID", "user id must be 1-256 characters without control characters") {}

/** An attempt to move a session that belongs to one user to another (regenerate the session instead). */
export class SessionUserMismatchError extends fixedError(
  SessionStoreError,
  "SessionUserMismatchError",
  "SESSION_USER_MISMATCH",
  "the session belongs to another user; create a new session at sign-in",
) {}

/**
 * An anonymous session was about to gain an owner in place. Sign-in must start a new session
 * (`SessionStore.regenerate`, or `req.session.regenerate` with express-session): an id the
 * visitor had before signing in may have been planted by someone else (session fixation).
 */
export class SessionFixationError extends fixedError(
  SessionStoreError,
  "SessionFixationError",
  "SESSION_FIXATION",
  "an anonymous session cannot become a signed-in session in place; regenerate the session at sign-in",
) {}

/** DynamoDB throttled the request; retrying later may succeed. */
export class SessionStoreThrottledError extends fixedError(SessionStoreError, "SessionStoreThrottledError", "STORE_THROTTLED", "the session table is throttling requests") {}

/** DynamoDB (or KMS, for the session data key) failed, refused, or did not answer within the client's time limits. */
export class SessionStoreUnavailableError extends SessionStoreError {
  override readonly name = "SessionStoreUnavailableError";
  constructor(operation: string, options?: CodedErrorOptions) {
    super("STORE_UNAVAILABLE", `the session table could not ${operation}`, options);
  }
}
