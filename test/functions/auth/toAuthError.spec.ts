import assert from "node:assert/strict";
import { toAuthError } from "../../../functions/auth/cognitoAuth";
import {
  AuthServiceError,
  ChallengeExpiredError,
  InvalidCredentialsError,
  InvalidTokenError,
  MfaCodeMismatchError,
  PasswordPolicyError,
  ThrottledError,
} from "../../../functions/auth/errors";

/**
 * toAuthError, the whole table: each Cognito exception name (as the SDK sets `name`) at each step
 * of sign-in, and what the app is told. Written out here, not derived from the code, so that a
 * changed row is a deliberate change. The lock-out row is the account-existence oracle of issue 15:
 * at the password step it must read exactly as a wrong password.
 */
type Step = Parameters<typeof toAuthError>[1];
type Expected = [error: new (...args: never[]) => Error, reason?: "expired" | "invalid" | "revoked"];

const STEPS: Step[] = ["signIn", "challenge", "newPassword", "totp", "token"];
const SERVICE: Expected = [AuthServiceError];
const CREDENTIALS: Expected = [InvalidCredentialsError];
const THROTTLED: Expected = [ThrottledError];
const MFA: Expected = [MfaCodeMismatchError];
const EXPIRED_CHALLENGE: Expected = [ChallengeExpiredError];
const BAD_TOKEN: Expected = [InvalidTokenError, "invalid"];

/** name (and message) -> expected per step, in STEPS order. */
const TABLE: [name: string, message: string, perStep: Expected[]][] = [
  ["NotAuthorizedException", "Incorrect username or password.", [CREDENTIALS, EXPIRED_CHALLENGE, EXPIRED_CHALLENGE, BAD_TOKEN, BAD_TOKEN]],
  ["NotAuthorizedException", "Password attempts exceeded", [CREDENTIALS, THROTTLED, THROTTLED, THROTTLED, THROTTLED]],
  ["NotAuthorizedException", "Refresh Token has been revoked", [CREDENTIALS, EXPIRED_CHALLENGE, EXPIRED_CHALLENGE, BAD_TOKEN, [InvalidTokenError, "revoked"]]],
  ["NotAuthorizedException", "Access Token has expired", [CREDENTIALS, EXPIRED_CHALLENGE, EXPIRED_CHALLENGE, BAD_TOKEN, [InvalidTokenError, "expired"]]],
  ["TooManyFailedAttemptsException", "", [CREDENTIALS, THROTTLED, THROTTLED, THROTTLED, THROTTLED]],
  ["TooManyRequestsException", "Rate exceeded", [THROTTLED, THROTTLED, THROTTLED, THROTTLED, THROTTLED]],
  ["LimitExceededException", "", [THROTTLED, THROTTLED, THROTTLED, THROTTLED, THROTTLED]],
  ["UserNotFoundException", "", [CREDENTIALS, EXPIRED_CHALLENGE, EXPIRED_CHALLENGE, BAD_TOKEN, BAD_TOKEN]],
  ["UserNotConfirmedException", "", [CREDENTIALS, SERVICE, SERVICE, SERVICE, SERVICE]],
  ["PasswordResetRequiredException", "", [CREDENTIALS, SERVICE, SERVICE, SERVICE, SERVICE]],
  ["InvalidPasswordException", "", [CREDENTIALS, SERVICE, [PasswordPolicyError], SERVICE, SERVICE]],
  ["CodeMismatchException", "", [SERVICE, MFA, MFA, MFA, SERVICE]],
  ["EnableSoftwareTokenMFAException", "", [SERVICE, MFA, MFA, MFA, SERVICE]],
  ["ExpiredCodeException", "", [SERVICE, MFA, MFA, MFA, SERVICE]],
  ["ExpiredTokenException", "", [SERVICE, EXPIRED_CHALLENGE, EXPIRED_CHALLENGE, SERVICE, SERVICE]],
  ["UnauthorizedException", "", [SERVICE, SERVICE, SERVICE, SERVICE, BAD_TOKEN]],
  ["UnsupportedTokenTypeException", "revoked", [SERVICE, SERVICE, SERVICE, SERVICE, BAD_TOKEN]],
  ["InternalErrorException", "", [SERVICE, SERVICE, SERVICE, SERVICE, SERVICE]],
  ["ResourceNotFoundException", "", [SERVICE, SERVICE, SERVICE, SERVICE, SERVICE]],
  ["TimeoutError", "", [SERVICE, SERVICE, SERVICE, SERVICE, SERVICE]],
];

describe("toAuthError: every Cognito exception at every step", () => {
  for (const [name, message, perStep] of TABLE) {
    it(`${name}${message ? ` ("${message}")` : ""}`, () => {
      STEPS.forEach((step, i) => {
        const sdkError = Object.assign(new Error(message), { name });
        const error = toAuthError(sdkError, step);
        const [type, reason] = perStep[i];
        assert.equal(error.constructor, type, `${name} at ${step}: ${error.name}`);
        if (reason) assert.equal((error as InvalidTokenError).reason, reason, `${name} at ${step}`);
        assert.equal(error.cause, sdkError, "the SDK error stays as the cause");
      });
    });
  }

  it("matches the lock-out message in any case, and only the lock-out message", () => {
    const locked = Object.assign(new Error("password ATTEMPTS EXCEEDED"), { name: "NotAuthorizedException" });
    assert.equal(toAuthError(locked, "totp").constructor, ThrottledError);
    const other = Object.assign(new Error("attempts were made"), { name: "NotAuthorizedException" });
    assert.equal(toAuthError(other, "totp").constructor, InvalidTokenError);
  });

  it("takes only NotAuthorizedException's lock-out message as a lock-out", () => {
    const mismatch = Object.assign(new Error("Password attempts exceeded"), { name: "CodeMismatchException" });
    assert.equal(toAuthError(mismatch, "challenge").constructor, MfaCodeMismatchError);
    assert.equal(toAuthError(mismatch, "token").constructor, AuthServiceError);
  });

  it("passes its own errors through and copes with things that are not errors", () => {
    const own = new ThrottledError();
    assert.equal(toAuthError(own, "signIn"), own);
    for (const odd of [null, undefined, "NotAuthorizedException", 42, { name: 7 }]) {
      const error = toAuthError(odd, "signIn");
      assert.equal(error.constructor, AuthServiceError, String(odd));
      assert.equal(error.cause, odd);
    }
  });
});
