import { CodedError, type CodedErrorOptions, fixedError } from "../shared/codedError";

/** What went wrong, as a stable string a caller can switch on (and show a message for). */
export type AuthErrorCode =
  | "INVALID_CREDENTIALS"
  | "MFA_CODE_MISMATCH"
  | "CHALLENGE_EXPIRED"
  | "PASSWORD_POLICY"
  | "INVALID_TOKEN"
  | "THROTTLED"
  | "INVALID_INPUT"
  | "UNSUPPORTED_CHALLENGE"
  | "SERVICE_UNAVAILABLE";

/**
 * Base class of every error `functions/auth` throws. Messages are fixed, user-presentable texts:
 * they never contain the email address, a token, Cognito's own message or anything that tells
 * whether an account exists. The SDK error, if any, is kept as `cause` for server-side logs.
 */
export class AuthError extends CodedError<AuthErrorCode> {
  // Stryker disable next-line StringLiteral: every error of the family names itself (fixedError and the classes below); the family's own name is never seen, and fixedError needs the family to be concrete.
  override readonly name: string = "AuthError";
}

/**
 * Wrong email or password, or no such account, or an account that cannot sign in yet (not
 * confirmed, disabled, password reset pending): deliberately indistinguishable.
 */
export class InvalidCredentialsError extends fixedError(AuthError, "InvalidCredentialsError", "INVALID_CREDENTIALS", "Incorrect email address or password.") {}

/** The one-time code from the authenticator app was wrong (or already used). */
export class MfaCodeMismatchError extends fixedError(
  AuthError,
  "MfaCodeMismatchError",
  "MFA_CODE_MISMATCH",
  "That code is not right. Enter the current code from your authenticator app.",
) {}

/** The sign-in challenge (MFA, new password, MFA set-up) is no longer valid: start again. */
export class ChallengeExpiredError extends fixedError(AuthError, "ChallengeExpiredError", "CHALLENGE_EXPIRED", "This sign-in attempt has expired. Please sign in again.") {}

/** A new password that the pool's password policy rejects. */
export class PasswordPolicyError extends fixedError(
  AuthError,
  "PasswordPolicyError",
  "PASSWORD_POLICY",
  "Choose a password of at least 12 characters with upper- and lower-case letters, a number and a symbol.",
) {}

/** A token that is malformed, expired, revoked, from another pool or client, or of the wrong kind. */
export class InvalidTokenError extends AuthError {
  override readonly name = "InvalidTokenError";
  constructor(
    readonly reason: "expired" | "invalid" | "revoked",
    options?: CodedErrorOptions,
  ) {
    super("INVALID_TOKEN", "Your session has ended. Please sign in again.", options);
  }
}

/** Cognito is throttling this caller or account (request rate, or too many failed attempts). */
export class ThrottledError extends fixedError(AuthError, "ThrottledError", "THROTTLED", "Too many attempts. Please wait a few minutes and try again.") {}

/** Input rejected before any call to Cognito (empty, too long, a code that is not 6 digits). */
export class InvalidInputError extends AuthError {
  override readonly name = "InvalidInputError";
  constructor(readonly field: "email" | "password" | "code" | "newPassword" | "challenge" | "token") {
    super("INVALID_INPUT", `The ${field === "newPassword" ? "new password" : field} is not valid.`);
  }
}

/** Cognito asked for a challenge this app does not offer (SMS or email OTP, custom auth, device SRP). */
export class UnsupportedChallengeError extends AuthError {
  override readonly name = "UnsupportedChallengeError";
  constructor(readonly challengeName: string) {
    super("UNSUPPORTED_CHALLENGE", "This account needs a sign-in step the site does not support. Please contact support.");
  }
}

/** Cognito failed, timed out, or is misconfigured (unknown client, pool, JWKS unreachable). */
export class AuthServiceError extends fixedError(AuthError, "AuthServiceError", "SERVICE_UNAVAILABLE", "Sign-in is unavailable at the moment. Please try again shortly.") {}
