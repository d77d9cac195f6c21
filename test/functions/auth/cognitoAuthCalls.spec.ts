import assert from "node:assert/strict";
import {
  AssociateSoftwareTokenCommand,
  InitiateAuthCommand,
  NotAuthorizedException,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { CognitoAuth, PendingChallenge } from "../../../functions/auth/cognitoAuth";
import { FakeSrpServer } from "../../support/srpServer";
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
} from "../../../functions/auth/errors";
import { CLIENT_ID, type CognitoMock, mockedCognitoAuth, mockedCognitoClient, POOL_ID, useCognitoMock, USER_ID } from "../../support/cognitoMock";

/**
 * What CognitoAuth asks Cognito for after (or instead of) the SRP password step, and what it makes of
 * Cognito's answers: the calls' inputs as sent, against in-process SDK mocks (aws-sdk-client-mock).
 * The emulator spec (cognitoLocal.spec.ts) runs these flows end to end; this one pins the requests.
 */

const meta = { $metadata: {} };

describe("CognitoAuth's calls to Cognito and its reading of the answers (functions/auth/cognitoAuth.ts, in-process SDK mocks)", function () {
  let cognito: CognitoMock;
  useCognitoMock((mock) => (cognito = mock));
  const client = mockedCognitoClient;
  const auth = mockedCognitoAuth;
  /** A service error whose cause (for the logs) says what Cognito answered. */
  const because = (message: string) => (e: unknown) => e instanceof AuthServiceError && (e.cause as Error)?.message === message;
  const inputs = (command: unknown) => cognito.commandCalls(command as typeof InitiateAuthCommand).map((call) => call.args[0].input as unknown);

  it("refuses a user pool id that is not <region>_<id> when it is built", () => {
    assert.throws(() => new CognitoAuth({ client, userPoolId: "eu-west-2", clientId: CLIENT_ID }), { name: "TypeError", message: "userPoolId must look like <region>_<id>" });
    assert.throws(() => new CognitoAuth({ client, userPoolId: "eu-west-2_Ab12/x", clientId: CLIENT_ID }), TypeError);
    assert.throws(() => new CognitoAuth({ client, userPoolId: `x${POOL_ID}!`, clientId: CLIENT_ID }), TypeError);
    // The id ends up in the issuer URL (https://cognito-idp.<region>.amazonaws.com/<id>): no path characters anywhere in it.
    assert.throws(() => new CognitoAuth({ client, userPoolId: `../${POOL_ID}`, clientId: CLIENT_ID }), TypeError);
    assert.ok(new CognitoAuth({ client, userPoolId: POOL_ID, clientId: CLIENT_ID }));
  });

  it("signs in by USER_PASSWORD_AUTH when told to (emulators), with the email trimmed and lower-cased", async () => {
    cognito.on(InitiateAuthCommand).resolves({ AuthenticationResult: { AccessToken: "a", IdToken: "i", RefreshToken: "r", ExpiresIn: 900 } });
    const result = await auth({ passwordFlow: "USER_PASSWORD_AUTH" }).signIn("  Parent@Example.COM ", "Correct-Horse-9");
    assert.deepEqual(result, { status: "SIGNED_IN", tokens: { accessToken: "a", idToken: "i", refreshToken: "r", expiresIn: 900 } });
    assert.deepEqual(inputs(InitiateAuthCommand), [
      { ClientId: CLIENT_ID, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "parent@example.com", PASSWORD: "Correct-Horse-9" } },
    ]);
  });

  it("fails as the service's fault, proving nothing, when Cognito does not answer the SRP start with PASSWORD_VERIFIER for a user id", async () => {
    const srp = new FakeSrpServer(POOL_ID);
    srp.addUser("parent@example.com", { userId: USER_ID, password: "Correct-Horse-9" });
    const verifier = (input: { AuthParameters?: Record<string, string> }) => srp.initiate(input.AuthParameters!.USERNAME, input.AuthParameters!.SRP_A, "srp-1");
    const answers = [
      (input: { AuthParameters?: Record<string, string> }) => ({ ...verifier(input), ChallengeName: "CUSTOM_CHALLENGE" }),
      (input: { AuthParameters?: Record<string, string> }) => {
        const answer = verifier(input);
        return { ...answer, ChallengeParameters: { ...answer.ChallengeParameters, USER_ID_FOR_SRP: "" } };
      },
    ];
    for (const answer of answers) {
      cognito.reset();
      cognito.on(InitiateAuthCommand).callsFake(answer);
      cognito.on(RespondToAuthChallengeCommand).resolves({ AuthenticationResult: { AccessToken: "a", IdToken: "i" } });
      await assert.rejects(auth().signIn("parent@example.com", "Correct-Horse-9"), AuthServiceError);
      assert.equal(cognito.commandCalls(RespondToAuthChallengeCommand).length, 0, "no password claim sent");
    }
    // The cause (for the logs) names what Cognito answered instead.
    cognito.on(InitiateAuthCommand).resolves({ ChallengeName: "CUSTOM_CHALLENGE" });
    await assert.rejects(auth().signIn("parent@example.com", "Correct-Horse-9"), because("expected PASSWORD_VERIFIER, got CUSTOM_CHALLENGE"));
    cognito.on(InitiateAuthCommand).resolves({});
    await assert.rejects(auth().signIn("parent@example.com", "Correct-Horse-9"), because("expected PASSWORD_VERIFIER, got no challenge"));
  });

  it("accepts an email of up to 254 characters with one @ and no spaces or control characters", async () => {
    cognito.on(InitiateAuthCommand).resolves({ AuthenticationResult: { AccessToken: "a", IdToken: "i" } });
    const longest = `${"a".repeat(254 - "@example.com".length)}@example.com`;
    assert.equal((await auth({ passwordFlow: "USER_PASSWORD_AUTH" }).signIn(longest, "p")).status, "SIGNED_IN");
    for (const bad of [
      `a${longest}`,
      "a@b@example.com",
      "pa rent@example.com",
      "pa\u0000rent@example.com",
      "parent@exa\u0007mple.com",
      "parent@example.com\u001f",
      "@example.com",
      "parent@",
      "   ",
    ]) {
      await assert.rejects(
        auth({ passwordFlow: "USER_PASSWORD_AUTH" }).signIn(bad, "p"),
        (e: unknown) => e instanceof InvalidInputError && e.field === "email",
        JSON.stringify(bad),
      );
    }
    assert.equal(cognito.commandCalls(InitiateAuthCommand).length, 1, "only the valid email reached Cognito");
  });

  it("takes a password of up to 256 characters, Cognito's own limit, and sends it as given", async () => {
    cognito.on(InitiateAuthCommand).resolves({ AuthenticationResult: { AccessToken: "a", IdToken: "i" } });
    const longest = ` ${"p".repeat(254)} `;
    assert.equal((await auth({ passwordFlow: "USER_PASSWORD_AUTH" }).signIn("parent@example.com", longest)).status, "SIGNED_IN");
    assert.equal((inputs(InitiateAuthCommand)[0] as { AuthParameters: { PASSWORD: string } }).AuthParameters.PASSWORD, longest);
    await assert.rejects(
      auth({ passwordFlow: "USER_PASSWORD_AUTH" }).signIn("parent@example.com", `${longest}p`),
      (e: unknown) => e instanceof InvalidInputError && e.field === "password",
    );
  });

  it("refreshes: sends only the refresh token (no secret hash without a client secret), keeps a rotated refresh token and defaults the lifetime to an hour", async () => {
    cognito
      .on(InitiateAuthCommand)
      .resolvesOnce({ AuthenticationResult: { AccessToken: "a2", IdToken: "i2" } })
      .resolvesOnce({ AuthenticationResult: { AccessToken: "a3", IdToken: "i3", RefreshToken: "r3", ExpiresIn: 300 } });
    assert.deepEqual(await auth().refresh("r1"), { accessToken: "a2", idToken: "i2", expiresIn: 3600 });
    assert.deepEqual(await auth().refresh("r1"), { accessToken: "a3", idToken: "i3", refreshToken: "r3", expiresIn: 300 });
    assert.deepEqual(inputs(InitiateAuthCommand)[0], { ClientId: CLIENT_ID, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: "r1" } });
  });

  it("treats a refresh answered without both tokens as an invalid token", async () => {
    for (const result of [undefined, { AccessToken: "a" }, { IdToken: "i" }]) {
      cognito.reset();
      cognito.on(InitiateAuthCommand).resolves({ AuthenticationResult: result });
      await assert.rejects(auth().refresh("r1"), (e: unknown) => e instanceof InvalidTokenError && e.reason === "invalid", JSON.stringify(result));
    }
  });

  it("refuses a token that is empty or longer than 16 KB before calling Cognito", async () => {
    cognito.on(RevokeTokenCommand).resolves({});
    await auth().signOut("t".repeat(16_384));
    for (const bad of ["", "t".repeat(16_385)]) {
      await assert.rejects(auth().signOut(bad), (e: unknown) => e instanceof InvalidInputError && e.field === "token");
    }
    assert.equal(cognito.calls().length, 1);
  });

  it("signs out by revoking the refresh token for this app client (with the client secret only when there is one)", async () => {
    cognito.on(RevokeTokenCommand).resolves({});
    await auth().signOut("r1");
    assert.deepEqual(inputs(RevokeTokenCommand), [{ ClientId: CLIENT_ID, Token: "r1" }]);
    cognito.reset();
    cognito.on(RevokeTokenCommand).rejects(new NotAuthorizedException({ message: "Refresh Token has been revoked", ...meta }));
    await assert.rejects(auth().signOut("r1"), (e: unknown) => e instanceof InvalidTokenError && e.reason === "revoked");
  });

  it("enrols an authenticator app for a signed-in user: the secret as a QR-code URI under the given issuer", async () => {
    cognito.on(AssociateSoftwareTokenCommand).resolves({ SecretCode: "JBSWY3DPEHPK3PXP" });
    const enrolment = await auth().enrolTotp("access.jwt", { accountName: "parent@example.com", issuer: "MPTO & Co" });
    assert.deepEqual(enrolment, {
      secretCode: "JBSWY3DPEHPK3PXP",
      otpauthUri: "otpauth://totp/MPTO%20%26%20Co:parent%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=MPTO%20%26%20Co&algorithm=SHA1&digits=6&period=30",
    });
    assert.deepEqual(inputs(AssociateSoftwareTokenCommand), [{ AccessToken: "access.jwt" }]);
    cognito.reset();
    cognito.on(AssociateSoftwareTokenCommand).resolves({});
    await assert.rejects(auth().enrolTotp("access.jwt", { accountName: "parent@example.com" }), because("AssociateSoftwareToken returned no secret"));
  });

  it("confirms the first code, names the device (at most 64 characters) and makes TOTP the preferred MFA; a wrong code changes nothing", async () => {
    cognito.on(VerifySoftwareTokenCommand).resolves({ Status: "SUCCESS" });
    cognito.on(SetUserMFAPreferenceCommand).resolves({});
    await auth().confirmTotp("access.jwt", "123456");
    await auth().confirmTotp("access.jwt", "123456", "d".repeat(70));
    assert.deepEqual(inputs(VerifySoftwareTokenCommand), [
      { AccessToken: "access.jwt", UserCode: "123456", FriendlyDeviceName: "Authenticator app" },
      { AccessToken: "access.jwt", UserCode: "123456", FriendlyDeviceName: "d".repeat(64) },
    ]);
    assert.deepEqual(inputs(SetUserMFAPreferenceCommand)[0], { AccessToken: "access.jwt", SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } });
    cognito.reset();
    cognito.on(VerifySoftwareTokenCommand).resolves({ Status: "ERROR" });
    await assert.rejects(auth().confirmTotp("access.jwt", "123456"), MfaCodeMismatchError);
    assert.equal(cognito.commandCalls(SetUserMFAPreferenceCommand).length, 0);
  });

  describe("inside a sign-in (MFA set-up and challenges)", () => {
    const setup: PendingChallenge = { name: "MFA_SETUP", session: "setup-1", username: USER_ID };

    it("fails MFA set-up as the service's fault when Cognito returns no secret or no session", async () => {
      for (const answer of [{ Session: "setup-2" }, { SecretCode: "JBSWY3DPEHPK3PXP" }]) {
        cognito.reset();
        cognito.on(AssociateSoftwareTokenCommand).resolves(answer);
        await assert.rejects(
          auth().beginMfaSetup(setup, { accountName: "parent@example.com" }),
          because("AssociateSoftwareToken returned no secret or session"),
          JSON.stringify(answer),
        );
      }
      assert.deepEqual(inputs(AssociateSoftwareTokenCommand), [{ Session: "setup-1" }]);
    });

    it("answers MFA set-up only after Cognito verified the code and gave a new session", async () => {
      for (const verified of [{ Status: "ERROR", Session: "setup-3" }, { Status: "SUCCESS" }] as const) {
        cognito.reset();
        cognito.on(VerifySoftwareTokenCommand).resolves(verified);
        await assert.rejects(auth().completeMfaSetup(setup, "123456"), MfaCodeMismatchError, JSON.stringify(verified));
        assert.equal(cognito.commandCalls(RespondToAuthChallengeCommand).length, 0);
      }
      assert.deepEqual(inputs(VerifySoftwareTokenCommand), [{ Session: "setup-1", UserCode: "123456" }]);
    });

    it("answers the new-password challenge with the new password for Cognito's user name", async () => {
      cognito.on(RespondToAuthChallengeCommand).resolves({ AuthenticationResult: { AccessToken: "a", IdToken: "i" } });
      const result = await auth().completeNewPassword({ name: "NEW_PASSWORD_REQUIRED", session: "np-1", username: USER_ID }, "Long-Enough-Passw0rd!");
      assert.equal(result.status, "SIGNED_IN");
      assert.deepEqual(inputs(RespondToAuthChallengeCommand), [
        { ClientId: CLIENT_ID, ChallengeName: "NEW_PASSWORD_REQUIRED", Session: "np-1", ChallengeResponses: { USERNAME: USER_ID, NEW_PASSWORD: "Long-Enough-Passw0rd!" } },
      ]);
      assert.equal(
        (await auth().completeNewPassword({ name: "NEW_PASSWORD_REQUIRED", session: "np-2", username: USER_ID }, "x".repeat(256))).status,
        "SIGNED_IN",
        "256 characters",
      );
      for (const bad of ["", "x".repeat(257)]) {
        await assert.rejects(
          auth().completeNewPassword({ name: "NEW_PASSWORD_REQUIRED", session: "np-1", username: USER_ID }, bad),
          (e: unknown) => e instanceof InvalidInputError && e.field === "newPassword",
        );
      }
    });

    it("fails as the service's fault when Cognito answers with neither tokens nor a challenge", async () => {
      const mfa: PendingChallenge = { name: "SOFTWARE_TOKEN_MFA", session: "mfa-1", username: USER_ID };
      for (const answer of [
        {},
        { ChallengeName: "SOFTWARE_TOKEN_MFA" },
        { Session: "mfa-2" },
        { AuthenticationResult: { AccessToken: "a" }, ChallengeName: "SOFTWARE_TOKEN_MFA" },
      ] as const) {
        cognito.reset();
        cognito.on(RespondToAuthChallengeCommand).resolves(answer);
        await assert.rejects(auth().respondToMfa(mfa, "123456"), because("Cognito returned neither tokens nor a challenge"), JSON.stringify(answer));
      }
    });

    it("keeps Cognito's user name from the challenge, or the one it answered for", async () => {
      const mfa: PendingChallenge = { name: "SOFTWARE_TOKEN_MFA", session: "mfa-1", username: USER_ID };
      cognito
        .on(RespondToAuthChallengeCommand)
        .resolvesOnce({ ChallengeName: "NEW_PASSWORD_REQUIRED", Session: "np", ChallengeParameters: { USER_ID_FOR_SRP: "other-id" } })
        .resolvesOnce({ ChallengeName: "MFA_SETUP", Session: "setup" });
      assert.deepEqual(await auth().respondToMfa(mfa, "123456"), {
        status: "NEW_PASSWORD_REQUIRED",
        challenge: { name: "NEW_PASSWORD_REQUIRED", session: "np", username: "other-id" },
      });
      assert.deepEqual(await auth().respondToMfa(mfa, "123456"), { status: "MFA_SETUP_REQUIRED", challenge: { name: "MFA_SETUP", session: "setup", username: USER_ID } });
    });

    it("refuses SELECT_MFA_TYPE when TOTP is not among the choices", async () => {
      const mfa: PendingChallenge = { name: "SOFTWARE_TOKEN_MFA", session: "mfa-1", username: USER_ID };
      for (const choices of ['["SMS_MFA"]', '"SOFTWARE_TOKEN_MFA"', undefined]) {
        cognito.reset();
        cognito
          .on(RespondToAuthChallengeCommand)
          .resolvesOnce({ ChallengeName: "SELECT_MFA_TYPE", Session: "select", ChallengeParameters: choices === undefined ? {} : { MFAS_CAN_CHOOSE: choices } })
          .resolves({ AuthenticationResult: { AccessToken: "a", IdToken: "i" } });
        await assert.rejects(auth().respondToMfa(mfa, "123456"), (e: unknown) => e instanceof UnsupportedChallengeError && e.challengeName === "SELECT_MFA_TYPE", String(choices));
        assert.equal(cognito.commandCalls(RespondToAuthChallengeCommand).length, 1, "nothing answered for the user");
      }
    });

    it("refuses a challenge without a session or user name before calling Cognito", async () => {
      for (const challenge of [
        undefined,
        { name: "SOFTWARE_TOKEN_MFA", session: "", username: USER_ID },
        { name: "SOFTWARE_TOKEN_MFA", session: "s", username: "" },
        { name: "SOFTWARE_TOKEN_MFA", session: 1, username: USER_ID },
      ]) {
        await assert.rejects(
          auth().respondToMfa(challenge as unknown as PendingChallenge, "123456"),
          (e: unknown) => e instanceof InvalidInputError && e.field === "challenge",
          JSON.stringify(challenge),
        );
      }
      assert.equal(cognito.calls().length, 0);
    });
  });

  it("shows every failure as a fixed message a user can act on, naming no account, token or Cognito text", () => {
    const shown = (error: AuthError) => [error.code, error.message];
    assert.deepEqual(
      [
        new InvalidCredentialsError(),
        new MfaCodeMismatchError(),
        new ChallengeExpiredError(),
        new PasswordPolicyError(),
        new InvalidTokenError("expired"),
        new ThrottledError(),
        new UnsupportedChallengeError("SMS_MFA"),
        new AuthServiceError(),
      ].map(shown),
      [
        ["INVALID_CREDENTIALS", "Incorrect email address or password."],
        ["MFA_CODE_MISMATCH", "That code is not right. Enter the current code from your authenticator app."],
        ["CHALLENGE_EXPIRED", "This sign-in attempt has expired. Please sign in again."],
        ["PASSWORD_POLICY", "Choose a password of at least 12 characters with upper- and lower-case letters, a number and a symbol."],
        ["INVALID_TOKEN", "Your session has ended. Please sign in again."],
        ["THROTTLED", "Too many attempts. Please wait a few minutes and try again."],
        ["UNSUPPORTED_CHALLENGE", "This account needs a sign-in step the site does not support. Please contact support."],
        ["SERVICE_UNAVAILABLE", "Sign-in is unavailable at the moment. Please try again shortly."],
      ],
    );
    assert.deepEqual(
      (["email", "password", "code", "newPassword", "challenge", "token"] as const).map((field) => new InvalidInputError(field).message),
      [
        "The email is not valid.",
        "The password is not valid.",
        "The code is not valid.",
        "The new password is not valid.",
        "The challenge is not valid.",
        "The token is not valid.",
      ],
    );
  });
});
