import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import {
  AssociateSoftwareTokenCommand,
  CodeMismatchException,
  EnableSoftwareTokenMFAException,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  InitiateAuthCommandInput,
  InternalErrorException,
  InvalidPasswordException,
  LimitExceededException,
  NotAuthorizedException,
  PasswordResetRequiredException,
  RespondToAuthChallengeCommand,
  RespondToAuthChallengeCommandInput,
  RevokeTokenCommand,
  TooManyRequestsException,
  UserNotConfirmedException,
  UserNotFoundException,
  VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { PendingChallenge, SignInResult } from "../../../functions/auth/cognitoAuth";
import {
  AuthError,
  AuthServiceError,
  ChallengeExpiredError,
  InvalidCredentialsError,
  InvalidInputError,
  MfaCodeMismatchError,
  PasswordPolicyError,
  ThrottledError,
  UnsupportedChallengeError,
} from "../../../functions/auth/errors";
import { FakeSrpServer, freshTimestamp } from "../../support/srpServer";
import { CLIENT_ID, type CognitoMock, mockedCognitoAuth, POOL_ID, useCognitoMock, USER_ID } from "../../support/cognitoMock";

const EMAIL = "parent@example.com";
const PASSWORD = "Correct-Horse-9-Battery";
const TOKENS = { AccessToken: "access.token.jwt", IdToken: "id.token.jwt", RefreshToken: "refresh-token", ExpiresIn: 3600, TokenType: "Bearer" };
const meta = { $metadata: {} };

type Respond = (input: RespondToAuthChallengeCommandInput) => unknown;

describe("auth SRP sign-in (functions/auth) with in-process SDK mocks (aws-sdk-client-mock) and a fake SRP server — no emulator implements USER_SRP_AUTH", function () {
  let cognito: CognitoMock;
  useCognitoMock((mock) => (cognito = mock));
  let srp: FakeSrpServer;
  let sessions = 0;
  /** What Cognito answers once the password is proven. */
  let afterPassword: (userId: string) => unknown;
  /** What Cognito answers to the other challenges. */
  let onChallenge: Respond;

  const auth = (clientSecret?: string) => mockedCognitoAuth({ clientSecret });

  beforeEach(function () {
    srp = new FakeSrpServer(POOL_ID);
    srp.addUser(EMAIL, { userId: USER_ID, password: PASSWORD });
    afterPassword = () => ({ AuthenticationResult: TOKENS, ChallengeParameters: {} });
    onChallenge = () => {
      throw new Error("unexpected challenge");
    };
    cognito.on(InitiateAuthCommand).callsFake((input: InitiateAuthCommandInput) => {
      if (input.AuthFlow === "USER_SRP_AUTH") return srp.initiate(input.AuthParameters!.USERNAME!, input.AuthParameters!.SRP_A!, `srp-session-${++sessions}`);
      if (input.AuthFlow === "REFRESH_TOKEN_AUTH") return { AuthenticationResult: { AccessToken: "new.access.jwt", IdToken: "new.id.jwt", ExpiresIn: 3600 } };
      throw new NotAuthorizedException({ message: "flow not allowed for this client", ...meta });
    });
    cognito.on(RespondToAuthChallengeCommand).callsFake((input: RespondToAuthChallengeCommandInput) => {
      if (input.ChallengeName !== "PASSWORD_VERIFIER") return onChallenge(input);
      if (!srp.verify(input.Session!, input.ChallengeResponses ?? {})) throw new NotAuthorizedException({ message: "Incorrect username or password.", ...meta });
      return afterPassword(input.ChallengeResponses!.USERNAME!);
    });
  });

  const requestsSent = () => cognito.calls().map((call) => JSON.stringify((call.args[0] as { input: unknown }).input));

  it("signs in with SRP: the fake server accepts the password claim, and the password itself is never sent", async function () {
    const result = await auth().signIn(EMAIL, PASSWORD);
    assert.deepEqual(result, { status: "SIGNED_IN", tokens: { accessToken: TOKENS.AccessToken, idToken: TOKENS.IdToken, refreshToken: TOKENS.RefreshToken, expiresIn: 3600 } });
    const [init, respond] = cognito.calls().map((c) => (c.args[0] as { input: any }).input);
    assert.equal(init.AuthFlow, "USER_SRP_AUTH");
    assert.equal(init.AuthParameters.USERNAME, EMAIL);
    assert.equal(respond.ChallengeResponses.USERNAME, USER_ID, "the claim is made for USER_ID_FOR_SRP");
    assert.ok(requestsSent().every((body) => !body.includes(PASSWORD)), "the password went over the wire");
  });

  it("fails SRP with a wrong password, and fails an unknown email (simulated challenge) with the very same error", async function () {
    const wrong = await auth().signIn(EMAIL, "Wrong-Horse-9-Battery").catch((e: unknown) => e);
    const unknown = await auth().signIn("nobody@example.com", PASSWORD).catch((e: unknown) => e);
    for (const error of [wrong, unknown]) {
      assert.ok(error instanceof InvalidCredentialsError);
      assert.equal((error as AuthError).code, "INVALID_CREDENTIALS");
    }
    assert.equal((wrong as Error).message, (unknown as Error).message);
  });

  it("returns the TOTP challenge after SRP and answers it with respondToMfa", async function () {
    afterPassword = (userId) => ({ ChallengeName: "SOFTWARE_TOKEN_MFA", Session: "mfa-session", ChallengeParameters: { USER_ID_FOR_SRP: userId } });
    onChallenge = (input) => {
      assert.equal(input.ChallengeName, "SOFTWARE_TOKEN_MFA");
      assert.equal(input.Session, "mfa-session");
      assert.equal(input.ChallengeResponses?.USERNAME, USER_ID);
      if (input.ChallengeResponses?.SOFTWARE_TOKEN_MFA_CODE !== "123456") throw new CodeMismatchException({ message: "Invalid code received for user", ...meta });
      return { AuthenticationResult: TOKENS, ChallengeParameters: {} };
    };
    const result = await auth().signIn(EMAIL, PASSWORD);
    assert.equal(result.status, "MFA_REQUIRED");
    const challenge = (result as { challenge: PendingChallenge }).challenge;
    assert.deepEqual(challenge, { name: "SOFTWARE_TOKEN_MFA", session: "mfa-session", username: USER_ID });
    await assert.rejects(auth().respondToMfa(challenge, "654321"), MfaCodeMismatchError);
    assert.equal((await auth().respondToMfa(challenge, "123456")).status, "SIGNED_IN");
  });

  it("enrols TOTP inside the sign-in when MFA is required and not yet set up (MFA_SETUP)", async function () {
    afterPassword = (userId) => ({ ChallengeName: "MFA_SETUP", Session: "setup-1", ChallengeParameters: { USER_ID_FOR_SRP: userId, MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' } });
    cognito.on(AssociateSoftwareTokenCommand, { Session: "setup-1" }).resolves({ SecretCode: "JBSWY3DPEHPK3PXP", Session: "setup-2" });
    cognito.on(VerifySoftwareTokenCommand).callsFake((input) => {
      if (input.UserCode !== "246810") throw new EnableSoftwareTokenMFAException({ message: "Code mismatch", ...meta });
      assert.equal(input.Session, "setup-2");
      return { Status: "SUCCESS", Session: "setup-3" };
    });
    onChallenge = (input) => {
      assert.equal(input.ChallengeName, "MFA_SETUP");
      assert.equal(input.Session, "setup-3");
      return { AuthenticationResult: TOKENS, ChallengeParameters: {} };
    };
    const first = await auth().signIn(EMAIL, PASSWORD);
    assert.equal(first.status, "MFA_SETUP_REQUIRED");
    const { enrolment, challenge } = await auth().beginMfaSetup((first as { challenge: PendingChallenge }).challenge, { accountName: EMAIL });
    assert.equal(enrolment.secretCode, "JBSWY3DPEHPK3PXP");
    assert.equal(enrolment.otpauthUri, "otpauth://totp/My%20Private%20Tutor%20Online:parent%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=My%20Private%20Tutor%20Online&algorithm=SHA1&digits=6&period=30");
    await assert.rejects(auth().completeMfaSetup(challenge, "111111"), MfaCodeMismatchError);
    assert.equal((await auth().completeMfaSetup(challenge, "246810")).status, "SIGNED_IN");
  });

  it("answers SELECT_MFA_TYPE with TOTP itself and returns the TOTP challenge", async function () {
    afterPassword = (userId) => ({ ChallengeName: "SELECT_MFA_TYPE", Session: "select", ChallengeParameters: { USER_ID_FOR_SRP: userId, MFAS_CAN_CHOOSE: '["SMS_MFA","SOFTWARE_TOKEN_MFA"]' } });
    onChallenge = (input) => {
      assert.deepEqual(input.ChallengeResponses, { USERNAME: USER_ID, ANSWER: "SOFTWARE_TOKEN_MFA" });
      return { ChallengeName: "SOFTWARE_TOKEN_MFA", Session: "mfa", ChallengeParameters: { USER_ID_FOR_SRP: USER_ID } };
    };
    assert.equal((await auth().signIn(EMAIL, PASSWORD)).status, "MFA_REQUIRED");
  });

  it("refuses challenges the site does not offer (SMS, email OTP) with a typed error", async function () {
    for (const name of ["SMS_MFA", "EMAIL_OTP", "CUSTOM_CHALLENGE"]) {
      afterPassword = (userId) => ({ ChallengeName: name, Session: "s", ChallengeParameters: { USER_ID_FOR_SRP: userId } });
      await assert.rejects(auth().signIn(EMAIL, PASSWORD), (e: unknown) => e instanceof UnsupportedChallengeError && e.code === "UNSUPPORTED_CHALLENGE");
    }
  });

  it("maps a new password the policy rejects to PASSWORD_POLICY, and an expired challenge to CHALLENGE_EXPIRED", async function () {
    afterPassword = (userId) => ({ ChallengeName: "NEW_PASSWORD_REQUIRED", Session: "np", ChallengeParameters: { USER_ID_FOR_SRP: userId } });
    const result = await auth().signIn(EMAIL, PASSWORD);
    const challenge = (result as { challenge: PendingChallenge }).challenge;
    onChallenge = () => {
      throw new InvalidPasswordException({ message: "Password does not conform to policy: Password not long enough", ...meta });
    };
    await assert.rejects(auth().completeNewPassword(challenge, "short"), (e: unknown) => e instanceof PasswordPolicyError && !e.message.includes("conform"));
    onChallenge = () => {
      throw new NotAuthorizedException({ message: "Invalid session for the user, session is expired.", ...meta });
    };
    await assert.rejects(auth().completeNewPassword(challenge, "Long-Enough-Passw0rd!"), ChallengeExpiredError);
    await assert.rejects(auth().respondToMfa({ name: "SOFTWARE_TOKEN_MFA", session: "old", username: USER_ID }, "123456"), ChallengeExpiredError);
  });

  it("computes SECRET_HASH for a client with a secret: email at InitiateAuth, USER_ID_FOR_SRP at the challenge", async function () {
    const secret = "s3cr3t-client-secret-for-tests";
    const expected = (username: string) => createHmac("sha256", secret).update(username + CLIENT_ID).digest("base64");
    await auth(secret).signIn(EMAIL, PASSWORD);
    const [init, respond] = cognito.calls().map((c) => (c.args[0] as { input: any }).input);
    assert.equal(init.AuthParameters.SECRET_HASH, expected(EMAIL));
    assert.equal(respond.ChallengeResponses.SECRET_HASH, expected(USER_ID));
    await auth(secret).refresh("refresh-token", USER_ID);
    assert.equal(cognito.commandCalls(InitiateAuthCommand)[1].args[0].input.AuthParameters?.SECRET_HASH, expected(USER_ID));
    await auth(secret).signOut("refresh-token");
    assert.equal(cognito.commandCalls(RevokeTokenCommand)[0].args[0].input.ClientSecret, secret);
  });

  it("maps rate limits to THROTTLED, and a lock-out like every account state to the same credentials error as a wrong password (no account-existence oracle)", async function () {
    const cases: [Error, new (...args: any[]) => AuthError][] = [
      [new TooManyRequestsException({ message: "Rate exceeded", ...meta }), ThrottledError],
      [new LimitExceededException({ message: "Attempt limit exceeded", ...meta }), ThrottledError],
      [new NotAuthorizedException({ message: "Password attempts exceeded", ...meta }), InvalidCredentialsError],
      [new NotAuthorizedException({ message: "Incorrect username or password.", ...meta }), InvalidCredentialsError],
      [new UserNotFoundException({ message: "User does not exist.", ...meta }), InvalidCredentialsError],
      [Object.assign(new Error("Too many failed attempts"), { name: "TooManyFailedAttemptsException" }), InvalidCredentialsError],
      [new UserNotConfirmedException({ message: "User is not confirmed.", ...meta }), InvalidCredentialsError],
      [new PasswordResetRequiredException({ message: "Password reset required for the user", ...meta }), InvalidCredentialsError],
      [new InternalErrorException({ message: "internal failure at host 10.0.0.1", ...meta }), AuthServiceError],
    ];
    for (const [thrown, expected] of cases) {
      afterPassword = () => {
        throw thrown;
      };
      const error = await auth().signIn(EMAIL, PASSWORD).catch((e: unknown) => e);
      assert.ok(error instanceof expected, `${thrown.name} became ${(error as Error).name}`);
      assert.ok(!(error as Error).message.includes(thrown.message), "Cognito's message leaked");
      assert.equal((error as AuthError).cause, thrown, "the SDK error is kept as cause for logs");
    }
    afterPassword = () => {
      throw new NotAuthorizedException({ message: "Incorrect username or password.", ...meta });
    };
    const wrong = (await auth().signIn(EMAIL, PASSWORD).catch((e: unknown) => e)) as AuthError;
    afterPassword = () => {
      throw new NotAuthorizedException({ message: "Password attempts exceeded", ...meta });
    };
    const locked = (await auth().signIn(EMAIL, PASSWORD).catch((e: unknown) => e)) as AuthError;
    assert.deepEqual([locked.name, locked.code, locked.message], [wrong.name, wrong.code, wrong.message], "a locked account answers exactly like a wrong password");
  });

  it("reports a lock-out after sign-in (MFA step) as THROTTLED: the account is known by then", async function () {
    const { toAuthError } = await import("../../../functions/auth/cognitoAuth");
    assert.ok(toAuthError(new NotAuthorizedException({ message: "Password attempts exceeded", ...meta }), "challenge") instanceof ThrottledError);
    assert.ok(toAuthError(Object.assign(new Error("x"), { name: "TooManyFailedAttemptsException" }), "totp") instanceof ThrottledError);
  });

  it("sends a TIMESTAMP in Cognito's format that the server finds fresh, and fails when the clocks are 10 minutes apart", async function () {
    assert.equal((await auth().signIn(EMAIL, PASSWORD)).status, "SIGNED_IN");
    const sent = cognito.commandCalls(RespondToAuthChallengeCommand)[0].args[0].input.ChallengeResponses!.TIMESTAMP!;
    assert.match(sent, /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z]{2} [1-9]\d? \d{2}:\d{2}:\d{2} UTC \d{4}$/);
    srp.now = () => Date.now() + 10 * 60_000;
    try {
      await assert.rejects(auth().signIn(EMAIL, PASSWORD), InvalidCredentialsError);
    } finally {
      srp.now = Date.now;
    }
    const now = Date.UTC(2026, 11, 1, 23, 59, 1);
    assert.equal(freshTimestamp("Tue Dec 1 23:59:01 UTC 2026", now), true);
    for (const bad of ["Tue Dec 01 23:59:01 UTC 2026", "Wed Dec 1 23:59:01 UTC 2026", "Tue Dec 1 23:59:01 GMT 2026", "2026-12-01T23:59:01Z", ""]) assert.equal(freshTimestamp(bad, now), false, bad);
    assert.equal(freshTimestamp("Tue Dec 1 23:53:00 UTC 2026", now), false, "six minutes old");
  });

  it("signs out everywhere with GlobalSignOut (cognito-local does not implement it)", async function () {
    cognito.on(GlobalSignOutCommand).resolves({});
    await auth().signOutEverywhere("access.token.jwt");
    assert.equal(cognito.commandCalls(GlobalSignOutCommand)[0].args[0].input.AccessToken, "access.token.jwt");
  });

  it("rejects malformed input before calling Cognito", async function () {
    const challenge: PendingChallenge = { name: "SOFTWARE_TOKEN_MFA", session: "s", username: USER_ID };
    const attempts: [Promise<SignInResult | unknown>, string][] = [
      [auth().signIn("", PASSWORD), "email"],
      [auth().signIn("no-at-sign", PASSWORD), "email"],
      [auth().signIn(`${"a".repeat(250)}@example.com`, PASSWORD), "email"],
      [auth().signIn(EMAIL, ""), "password"],
      [auth().signIn(EMAIL, "x".repeat(257)), "password"],
      [auth().respondToMfa(challenge, "12345"), "code"],
      [auth().respondToMfa(challenge, "abcdef"), "code"],
      // Exactly six digits and nothing else: a longer or decorated code never reaches Cognito.
      [auth().respondToMfa(challenge, "1234567"), "code"],
      [auth().respondToMfa(challenge, "x123456"), "code"],
      [auth().respondToMfa(challenge, "123456 "), "code"],
      [auth().completeMfaSetup({ ...challenge, name: "MFA_SETUP" }, "0123456"), "code"],
      [auth().confirmTotp("access.token.jwt", "12345x"), "code"],
      [auth().respondToMfa({ ...challenge, name: "MFA_SETUP" }, "123456"), "challenge"],
      [auth().refresh(""), "token"],
      [auth(/* secret */ "s").refresh("refresh-token"), "token"],
    ];
    for (const [attempt, field] of attempts) {
      await assert.rejects(attempt, (e: unknown) => e instanceof InvalidInputError && e.field === field && e.code === "INVALID_INPUT");
    }
    assert.equal(cognito.calls().length, 0);
  });
});
