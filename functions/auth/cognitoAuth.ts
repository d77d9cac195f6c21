import {
  AssociateSoftwareTokenCommand,
  AuthenticationResultType,
  CognitoIdentityProviderClient,
  type CognitoIdentityProviderClientConfig,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  InitiateAuthCommandOutput,
  RespondToAuthChallengeCommand,
  RespondToAuthChallengeCommandOutput,
  RevokeTokenCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createSecretHash, createSrpSession, signSrpSession, wrapAuthChallenge, wrapInitiateAuth } from "cognito-srp-helper";
import { boundedClient, CLIENT_LIMITS, type ClientLimits } from "../shared/clientLimits";
import {
  AuthError,
  AuthServiceError,
  ChallengeExpiredError,
  InvalidCredentialsError,
  InvalidInputError,
  InvalidTokenError,
  MfaCodeMismatchError,
  PasswordPolicyError,
  ThrottledError,
  UnsupportedChallengeError,
} from "./errors";

/** A Cognito client with the project's time limits (functions/shared/clientLimits.ts): a stalled Cognito ends in `AuthServiceError`. */
export function createCognitoClient(config: CognitoIdentityProviderClientConfig = {}, limits: ClientLimits = CLIENT_LIMITS.cognito): CognitoIdentityProviderClient {
  return boundedClient(CognitoIdentityProviderClient, config, limits);
}

export interface CognitoAuthOptions {
  /** Cognito client for the pool's region (or an emulator), from `createCognitoClient` (time limits). */
  client: CognitoIdentityProviderClient;
  /** Stack output `userPoolId`, e.g. `eu-west-2_AbC123xyz`. */
  userPoolId: string;
  /** Stack output `userPoolClientId`. */
  clientId: string;
  /** Only when the app client was created with a secret (`generateSecret`); adds SECRET_HASH to every call. */
  clientSecret?: string;
  /**
   * `USER_SRP_AUTH` (default): the password never leaves this process. `USER_PASSWORD_AUTH` exists
   * for emulators without SRP (cognito-local); the deployed app client does not allow it, so
   * Cognito rejects it there.
   */
  passwordFlow?: "USER_SRP_AUTH" | "USER_PASSWORD_AUTH";
}

/** Tokens of a signed-in user. Keep them server-side (in the session store), never in the browser. */
export interface AuthTokens {
  accessToken: string;
  idToken: string;
  /** Absent after a refresh (Cognito returns a new refresh token only when rotation is on). */
  refreshToken?: string;
  /** Lifetime of the access token in seconds. */
  expiresIn: number;
}

/**
 * A sign-in step waiting for the user. Hand it back to `respondToMfa`, `completeNewPassword` or
 * the MFA set-up calls. `session` lets whoever holds it answer the challenge for a few minutes:
 * keep the whole object server-side (in the session store), never in a cookie or page.
 */
export interface PendingChallenge {
  name: "SOFTWARE_TOKEN_MFA" | "MFA_SETUP" | "NEW_PASSWORD_REQUIRED";
  session: string;
  /** Cognito's internal user name (USER_ID_FOR_SRP), which challenge answers must carry. */
  username: string;
}

export type SignInResult =
  | { status: "SIGNED_IN"; tokens: AuthTokens }
  | { status: "MFA_REQUIRED"; challenge: PendingChallenge }
  | { status: "MFA_SETUP_REQUIRED"; challenge: PendingChallenge }
  | { status: "NEW_PASSWORD_REQUIRED"; challenge: PendingChallenge };

/** A TOTP secret to show as a QR code (`otpauthUri`) or for manual entry (`secretCode`). */
export interface TotpEnrolment {
  secretCode: string;
  otpauthUri: string;
}

type Step = "signIn" | "challenge" | "newPassword" | "token" | "totp";

const MAX_EMAIL = 254;
/** Cognito's own limit on passwords. */
const MAX_PASSWORD = 256;
const TOTP_CODE = /^\d{6}$/;

/**
 * Sign-in against a Cognito user pool for a server-side app (the Next.js server):
 * SRP password check (cognito-srp-helper computes SRP_A and the password claim; the password is
 * never sent), TOTP MFA and MFA set-up challenges returned to the caller, the new-password
 * challenge, refresh, and sign-out by token revocation. Every failure is an `AuthError` whose code
 * and message never say whether an account exists.
 */
export class CognitoAuth {
  private readonly client: CognitoIdentityProviderClient;
  private readonly userPoolId: string;
  private readonly clientId: string;
  private readonly clientSecret?: string;
  private readonly passwordFlow: "USER_SRP_AUTH" | "USER_PASSWORD_AUTH";

  constructor(options: CognitoAuthOptions) {
    this.client = options.client;
    this.userPoolId = options.userPoolId;
    this.clientId = options.clientId;
    this.clientSecret = options.clientSecret;
    this.passwordFlow = options.passwordFlow ?? "USER_SRP_AUTH";
    if (!/^[\w-]+_[0-9A-Za-z]+$/.test(this.userPoolId)) throw new TypeError("userPoolId must look like <region>_<id>");
  }

  /** Checks email and password. Returns tokens, or the next challenge (MFA, MFA set-up, new password). */
  async signIn(email: string, password: string): Promise<SignInResult> {
    const username = normaliseEmail(email);
    if (typeof password !== "string" || password.length === 0 || password.length > MAX_PASSWORD) throw new InvalidInputError("password");
    return this.guard("signIn", async () => {
      if (this.passwordFlow === "USER_PASSWORD_AUTH") {
        const response = await this.client.send(
          new InitiateAuthCommand({ ClientId: this.clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: username, PASSWORD: password, ...this.secretHash(username) } }),
        );
        return this.outcome(response, username);
      }
      const srp = createSrpSession(username, password, this.userPoolId, false);
      const init = await this.client.send(
        new InitiateAuthCommand(wrapInitiateAuth(srp, { ClientId: this.clientId, AuthFlow: "USER_SRP_AUTH", AuthParameters: { USERNAME: username, ...this.secretHash(username) } })),
      );
      if (init.ChallengeName !== "PASSWORD_VERIFIER") {
        throw new AuthServiceError({ cause: new Error(`expected PASSWORD_VERIFIER, got ${init.ChallengeName ?? "no challenge"}`) });
      }
      // Throws (so AuthServiceError) for a challenge without SALT, SRP_B, SECRET_BLOCK or USER_ID_FOR_SRP.
      const signed = signSrpSession(srp, init);
      const userId = String(init.ChallengeParameters?.USER_ID_FOR_SRP);
      const response = await this.client.send(
        new RespondToAuthChallengeCommand(
          wrapAuthChallenge(signed, {
            ClientId: this.clientId,
            ChallengeName: "PASSWORD_VERIFIER",
            Session: init.Session,
            ChallengeResponses: { USERNAME: userId, ...this.secretHash(userId) },
          }),
        ),
      );
      return this.outcome(response, userId);
    });
  }

  /** Answers the TOTP challenge with the 6-digit code from the user's authenticator app. */
  async respondToMfa(challenge: PendingChallenge, code: string): Promise<SignInResult> {
    checkChallenge(challenge, "SOFTWARE_TOKEN_MFA");
    checkCode(code);
    return this.guard("challenge", () => this.respond("SOFTWARE_TOKEN_MFA", challenge.session, challenge.username, { SOFTWARE_TOKEN_MFA_CODE: code }));
  }

  /** Answers NEW_PASSWORD_REQUIRED (first sign-in with a temporary password). */
  async completeNewPassword(challenge: PendingChallenge, newPassword: string): Promise<SignInResult> {
    checkChallenge(challenge, "NEW_PASSWORD_REQUIRED");
    if (typeof newPassword !== "string" || newPassword.length === 0 || newPassword.length > MAX_PASSWORD) throw new InvalidInputError("newPassword");
    return this.guard("newPassword", () => this.respond("NEW_PASSWORD_REQUIRED", challenge.session, challenge.username, { NEW_PASSWORD: newPassword }));
  }

  /**
   * MFA_SETUP (MFA required, user has no authenticator yet): starts TOTP enrolment inside the
   * sign-in. Show the returned secret, then call `completeMfaSetup` with the updated challenge.
   */
  async beginMfaSetup(challenge: PendingChallenge, label: { accountName: string; issuer?: string }): Promise<{ enrolment: TotpEnrolment; challenge: PendingChallenge }> {
    checkChallenge(challenge, "MFA_SETUP");
    return this.guard("challenge", async () => {
      const response = await this.client.send(new AssociateSoftwareTokenCommand({ Session: challenge.session }));
      if (!response.SecretCode || !response.Session) throw new AuthServiceError({ cause: new Error("AssociateSoftwareToken returned no secret or session") });
      return { enrolment: enrolment(response.SecretCode, label), challenge: { ...challenge, session: response.Session } };
    });
  }

  /** Verifies the first TOTP code of an MFA_SETUP enrolment and finishes the sign-in. */
  async completeMfaSetup(challenge: PendingChallenge, code: string): Promise<SignInResult> {
    checkChallenge(challenge, "MFA_SETUP");
    checkCode(code);
    return this.guard("challenge", async () => {
      const verified = await this.client.send(new VerifySoftwareTokenCommand({ Session: challenge.session, UserCode: code }));
      if (verified.Status !== "SUCCESS" || !verified.Session) throw new MfaCodeMismatchError();
      return this.respond("MFA_SETUP", verified.Session, challenge.username, {});
    });
  }

  /** For a signed-in user (pool MFA optional): starts adding an authenticator app. */
  async enrolTotp(accessToken: string, label: { accountName: string; issuer?: string }): Promise<TotpEnrolment> {
    checkToken(accessToken);
    return this.guard("totp", async () => {
      const response = await this.client.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
      if (!response.SecretCode) throw new AuthServiceError({ cause: new Error("AssociateSoftwareToken returned no secret") });
      return enrolment(response.SecretCode, label);
    });
  }

  /** Verifies the first code of `enrolTotp` and makes TOTP the user's preferred (and required) MFA. */
  async confirmTotp(accessToken: string, code: string, deviceName = "Authenticator app"): Promise<void> {
    checkToken(accessToken);
    checkCode(code);
    return this.guard("totp", async () => {
      const verified = await this.client.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: code, FriendlyDeviceName: deviceName.slice(0, 64) }));
      if (verified.Status !== "SUCCESS") throw new MfaCodeMismatchError();
      await this.client.send(new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
    });
  }

  /**
   * New access and ID tokens from a refresh token. `username` (Cognito's internal user name, the
   * access token's `username` claim) is needed only when the client has a secret.
   */
  async refresh(refreshToken: string, username?: string): Promise<AuthTokens> {
    checkToken(refreshToken);
    if (this.clientSecret && !username) throw new InvalidInputError("token");
    return this.guard("token", async () => {
      const response = await this.client.send(
        new InitiateAuthCommand({
          ClientId: this.clientId,
          AuthFlow: "REFRESH_TOKEN_AUTH",
          AuthParameters: { REFRESH_TOKEN: refreshToken, ...(username ? this.secretHash(username) : {}) },
        }),
      );
      const tokens = toTokens(response.AuthenticationResult);
      if (!tokens) throw new InvalidTokenError("invalid");
      return tokens;
    });
  }

  /**
   * Signs out this browser: revokes the refresh token and the access and ID tokens issued from it
   * (the app client has token revocation on). Tokens already verified offline stay valid to a
   * JWT verifier until they expire, so keep access tokens short and end the server session too.
   */
  async signOut(refreshToken: string): Promise<void> {
    checkToken(refreshToken);
    return this.guard("token", async () => {
      await this.client.send(new RevokeTokenCommand({ ClientId: this.clientId, Token: refreshToken, ...(this.clientSecret ? { ClientSecret: this.clientSecret } : {}) }));
    });
  }

  /** Signs the user out on every device: invalidates all of the user's refresh tokens. */
  async signOutEverywhere(accessToken: string): Promise<void> {
    checkToken(accessToken);
    return this.guard("token", async () => {
      await this.client.send(new GlobalSignOutCommand({ AccessToken: accessToken }));
    });
  }

  /** Answers a challenge for `username` (adding SECRET_HASH when the client has a secret) and reads the outcome. */
  private async respond(name: "SOFTWARE_TOKEN_MFA" | "NEW_PASSWORD_REQUIRED" | "MFA_SETUP" | "SELECT_MFA_TYPE", session: string, username: string, answers: Record<string, string>): Promise<SignInResult> {
    const response = await this.client.send(
      new RespondToAuthChallengeCommand({ ClientId: this.clientId, ChallengeName: name, Session: session, ChallengeResponses: { USERNAME: username, ...answers, ...this.secretHash(username) } }),
    );
    return this.outcome(response, username);
  }

  private secretHash(username: string): { SECRET_HASH?: string } {
    return this.clientSecret ? { SECRET_HASH: createSecretHash(username, this.clientId, this.clientSecret) } : {};
  }

  /** Tokens, or the challenge the caller must answer next. SELECT_MFA_TYPE is answered here (TOTP). */
  private async outcome(response: InitiateAuthCommandOutput | RespondToAuthChallengeCommandOutput, username: string): Promise<SignInResult> {
    const tokens = toTokens(response.AuthenticationResult);
    if (tokens) return { status: "SIGNED_IN", tokens };
    const name = response.ChallengeName;
    const session = response.Session;
    const user = response.ChallengeParameters?.USER_ID_FOR_SRP ?? username;
    if (!name || !session) throw new AuthServiceError({ cause: new Error("Cognito returned neither tokens nor a challenge") });
    switch (name) {
      case "SOFTWARE_TOKEN_MFA":
        return { status: "MFA_REQUIRED", challenge: { name, session, username: user } };
      case "MFA_SETUP":
        return { status: "MFA_SETUP_REQUIRED", challenge: { name, session, username: user } };
      case "NEW_PASSWORD_REQUIRED":
        return { status: "NEW_PASSWORD_REQUIRED", challenge: { name, session, username: user } };
      case "SELECT_MFA_TYPE": {
        const choices: unknown = JSON.parse(response.ChallengeParameters?.MFAS_CAN_CHOOSE ?? "[]");
        if (!Array.isArray(choices) || !choices.includes("SOFTWARE_TOKEN_MFA")) throw new UnsupportedChallengeError(name);
        return this.respond("SELECT_MFA_TYPE", session, user, { ANSWER: "SOFTWARE_TOKEN_MFA" });
      }
      default:
        throw new UnsupportedChallengeError(name);
    }
  }

  /** Runs one step and turns every failure into an `AuthError` that is safe to show. */
  private async guard<T>(step: Step, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toAuthError(error, step);
    }
  }
}

function toTokens(result: AuthenticationResultType | undefined): AuthTokens | undefined {
  if (!result?.AccessToken || !result.IdToken) return undefined;
  return { accessToken: result.AccessToken, idToken: result.IdToken, ...(result.RefreshToken ? { refreshToken: result.RefreshToken } : {}), expiresIn: result.ExpiresIn ?? 3600 };
}

function enrolment(secretCode: string, label: { accountName: string; issuer?: string }): TotpEnrolment {
  const issuer = label.issuer ?? "My Private Tutor Online";
  const name = `${encodeURIComponent(issuer)}:${encodeURIComponent(label.accountName)}`;
  return { secretCode, otpauthUri: `otpauth://totp/${name}?secret=${encodeURIComponent(secretCode)}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=6&period=30` };
}

function normaliseEmail(email: unknown): string {
  if (typeof email !== "string") throw new InvalidInputError("email");
  const trimmed = email.trim().toLowerCase();
  // Deliberately loose: one @, something either side, no spaces or control characters.
  if (trimmed.length > MAX_EMAIL || !/^[^\s@\u0000-\u001f]+@[^\s@\u0000-\u001f]+$/.test(trimmed)) throw new InvalidInputError("email");
  return trimmed;
}

function checkCode(code: unknown): void {
  if (typeof code !== "string" || !TOTP_CODE.test(code)) throw new InvalidInputError("code");
}

function checkToken(token: unknown): void {
  if (typeof token !== "string" || token.length === 0 || token.length > 16_384) throw new InvalidInputError("token");
}

function checkChallenge(challenge: PendingChallenge | undefined, name: PendingChallenge["name"]): void {
  if (!challenge || challenge.name !== name || typeof challenge.session !== "string" || typeof challenge.username !== "string" || !challenge.session || !challenge.username) {
    throw new InvalidInputError("challenge");
  }
}

/** Rate limits on the caller or the pool (not tied to one account): safe to report as "try later". */
const THROTTLING = new Set(["TooManyRequestsException", "LimitExceededException"]);
/** Errors that, at the password step, only say "this account cannot sign in now": never distinguished. */
const ACCOUNT_STATE = new Set(["NotAuthorizedException", "UserNotFoundException", "UserNotConfirmedException", "PasswordResetRequiredException", "InvalidPasswordException"]);

/** Maps Cognito's exceptions to the typed errors above; the original stays as `cause`. */
export function toAuthError(error: unknown, step: Step): AuthError {
  if (error instanceof AuthError) return error;
  // Not everything thrown is an Error: an absent name or message reads "undefined", which matches nothing below.
  const name = String((error as { name?: unknown } | null)?.name);
  const message = String((error as { message?: unknown } | null)?.message);
  const cause = { cause: error };
  const lockedOut = name === "TooManyFailedAttemptsException" || (name === "NotAuthorizedException" && /attempts exceeded/i.test(message));
  // At the password step a lock-out must look exactly like a wrong password: only existing
  // accounts lock, so a different answer would tell an attacker which emails have accounts.
  if (step === "signIn" && lockedOut) return new InvalidCredentialsError(cause);
  if (THROTTLING.has(name) || lockedOut) return new ThrottledError(cause);
  switch (step) {
    case "signIn":
      if (ACCOUNT_STATE.has(name)) return new InvalidCredentialsError(cause);
      break;
    case "challenge":
    case "newPassword":
      if (name === "CodeMismatchException" || name === "EnableSoftwareTokenMFAException" || name === "ExpiredCodeException") return new MfaCodeMismatchError(cause);
      if (step === "newPassword" && name === "InvalidPasswordException") return new PasswordPolicyError(cause);
      // An expired or already-used challenge session, or an account that changed meanwhile.
      if (name === "NotAuthorizedException" || name === "UserNotFoundException" || name === "ExpiredTokenException") return new ChallengeExpiredError(cause);
      break;
    case "totp":
      if (name === "CodeMismatchException" || name === "EnableSoftwareTokenMFAException" || name === "ExpiredCodeException") return new MfaCodeMismatchError(cause);
      if (name === "NotAuthorizedException" || name === "UserNotFoundException") return new InvalidTokenError("invalid", cause);
      break;
    case "token":
      if (name === "NotAuthorizedException" || name === "UserNotFoundException" || name === "UnauthorizedException") {
        return new InvalidTokenError(/revoked/i.test(message) ? "revoked" : /expired/i.test(message) ? "expired" : "invalid", cause);
      }
      if (name === "UnsupportedTokenTypeException") return new InvalidTokenError("invalid", cause);
      break;
  }
  // Everything else (InternalErrorException, ResourceNotFoundException for a wrong client id,
  // InvalidParameterException, timeouts, SRP helper errors) is the service's or our configuration's fault.
  return new AuthServiceError(cause);
}
