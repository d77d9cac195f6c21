import assert from "node:assert/strict";
import {
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  type InitiateAuthCommandOutput,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { mockClient } from "aws-sdk-client-mock";
import { createSecretHash } from "cognito-srp-helper";
import { CognitoAuth, type PendingChallenge, toAuthError } from "../../../functions/auth/cognitoAuth";
import { AuthServiceError, InvalidInputError, MfaCodeMismatchError, UnsupportedChallengeError } from "../../../functions/auth/errors";

/**
 * CognitoAuth's steps besides the SRP exchange (srp.spec.ts): what each one refuses before any call
 * to Cognito, what it sends, and how it reads an answer Cognito should not give. In-process, with
 * the SDK mocked (aws-sdk-client-mock).
 */

const POOL_ID = "eu-west-2_Ab12Cd34E";
const CLIENT_ID = "5m3examplec1ient1d00000000";
const SECRET = "client-secret-value";
const EMAIL = "parent@example.com";
const USER_ID = "a1b2c3d4-0000-4000-8000-000000000001";
const TOKENS = { AccessToken: "access.token.jwt", IdToken: "id.token.jwt", RefreshToken: "refresh-token", ExpiresIn: 900 };
const MAX_PASSWORD = 256;
const MAX_TOKEN = 16_384;

describe("CognitoAuth steps (in-process, SDK mocked)", function () {
  let cognito: ReturnType<typeof mockClient>;
  const client = new CognitoIdentityProviderClient({ region: "eu-west-2", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  const auth = (options: { clientSecret?: string; passwordFlow?: "USER_SRP_AUTH" | "USER_PASSWORD_AUTH" } = {}) =>
    new CognitoAuth({ client, userPoolId: POOL_ID, clientId: CLIENT_ID, ...options });
  const emulatorFlow = (clientSecret?: string) => auth({ passwordFlow: "USER_PASSWORD_AUTH", clientSecret });
  /** The input of the n-th call of a command, as the SDK would send it. */
  const inputOf = <C extends new (...args: never[]) => { input: unknown }>(command: C, n = 0) =>
    cognito.commandCalls(command as never)[n].args[0].input as NonNullable<InstanceType<C>["input"]>;
  const invalid = (field: InvalidInputError["field"]) => (e: unknown) => e instanceof InvalidInputError && e.field === field && e.code === "INVALID_INPUT";
  const serviceError = (because: string) => (e: unknown) => e instanceof AuthServiceError && e.code === "SERVICE_UNAVAILABLE" && (e.cause as Error).message === because;

  before(() => {
    cognito = mockClient(CognitoIdentityProviderClient);
  });
  beforeEach(() => cognito.reset());
  after(() => cognito.restore());

  describe("constructing", () => {
    it("takes a pool id of the form <region>_<id> and refuses anything around it", () => {
      assert.doesNotThrow(() => new CognitoAuth({ client, userPoolId: "local_pool1", clientId: CLIENT_ID }));
      for (const userPoolId of ["Ab12Cd34E", "eu-west-2_", "pool eu-west-2_Ab12", "eu-west-2_Ab12!", "eu-west-2_Ab12\n"]) {
        assert.throws(
          () => new CognitoAuth({ client, userPoolId, clientId: CLIENT_ID }),
          { name: "TypeError", message: "userPoolId must look like <region>_<id>" },
          JSON.stringify(userPoolId),
        );
      }
    });
  });

  describe("signIn with USER_PASSWORD_AUTH (emulators without SRP)", () => {
    it("sends the normalised email and the password, with SECRET_HASH only for a client with a secret", async () => {
      cognito.on(InitiateAuthCommand).resolves({ AuthenticationResult: TOKENS });
      assert.deepEqual(await emulatorFlow().signIn("  Parent@Example.COM ", "pw"), {
        status: "SIGNED_IN",
        tokens: { accessToken: "access.token.jwt", idToken: "id.token.jwt", refreshToken: "refresh-token", expiresIn: 900 },
      });
      assert.deepEqual(inputOf(InitiateAuthCommand), { ClientId: CLIENT_ID, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: EMAIL, PASSWORD: "pw" } });
      await emulatorFlow(SECRET).signIn(EMAIL, "pw");
      assert.deepEqual(inputOf(InitiateAuthCommand, 1).AuthParameters, { USERNAME: EMAIL, PASSWORD: "pw", SECRET_HASH: createSecretHash(EMAIL, CLIENT_ID, SECRET) });
    });

    it("reads Cognito's default token lifetime (one hour) when ExpiresIn is absent, and no refresh token when none came", async () => {
      cognito.on(InitiateAuthCommand).resolves({ AuthenticationResult: { AccessToken: "a", IdToken: "i" } });
      assert.deepEqual(await emulatorFlow().signIn(EMAIL, "pw"), { status: "SIGNED_IN", tokens: { accessToken: "a", idToken: "i", expiresIn: 3600 } });
    });

    it("is a service error when Cognito answers with neither tokens nor a challenge", async () => {
      const answers: InitiateAuthCommandOutput[] = [{}, { AuthenticationResult: { AccessToken: "a" } }, { ChallengeName: "SOFTWARE_TOKEN_MFA" }, { Session: "s" }].map(
        (a) => ({ ...a, $metadata: {} }) as InitiateAuthCommandOutput,
      );
      for (const answer of answers) {
        cognito.on(InitiateAuthCommand).resolves(answer);
        await assert.rejects(emulatorFlow().signIn(EMAIL, "pw"), serviceError("Cognito returned neither tokens nor a challenge"), JSON.stringify(answer));
      }
    });

    it("returns a challenge for the email it signed in with when Cognito names no USER_ID_FOR_SRP", async () => {
      cognito.on(InitiateAuthCommand).resolves({ ChallengeName: "NEW_PASSWORD_REQUIRED", Session: "s1", ChallengeParameters: {} });
      assert.deepEqual(await emulatorFlow().signIn(EMAIL, "pw"), { status: "NEW_PASSWORD_REQUIRED", challenge: { name: "NEW_PASSWORD_REQUIRED", session: "s1", username: EMAIL } });
    });

    it("refuses SELECT_MFA_TYPE without TOTP among the choices, or without any list of choices", async () => {
      const choices: Record<string, string>[] = [{}, { MFAS_CAN_CHOOSE: '["SMS_MFA"]' }, { MFAS_CAN_CHOOSE: '"SOFTWARE_TOKEN_MFA"' }];
      for (const ChallengeParameters of choices) {
        cognito.on(InitiateAuthCommand).resolves({ ChallengeName: "SELECT_MFA_TYPE", Session: "s1", ChallengeParameters });
        await assert.rejects(
          emulatorFlow().signIn(EMAIL, "pw"),
          (e: unknown) => e instanceof UnsupportedChallengeError && e.challengeName === "SELECT_MFA_TYPE",
          JSON.stringify(ChallengeParameters),
        );
      }
    });
  });

  describe("signIn with SRP when Cognito does not ask for the password verifier", () => {
    it("is a service error naming what came instead", async () => {
      cognito.on(InitiateAuthCommand).resolves({ ChallengeName: "CUSTOM_CHALLENGE", ChallengeParameters: { USER_ID_FOR_SRP: USER_ID } });
      await assert.rejects(auth().signIn(EMAIL, "pw"), serviceError("expected PASSWORD_VERIFIER, got CUSTOM_CHALLENGE"));
      cognito.on(InitiateAuthCommand).resolves({});
      await assert.rejects(auth().signIn(EMAIL, "pw"), serviceError("expected PASSWORD_VERIFIER, got no challenge"));
      cognito.on(InitiateAuthCommand).resolves({ ChallengeName: "PASSWORD_VERIFIER", ChallengeParameters: {} });
      await assert.rejects(auth().signIn(EMAIL, "pw"), serviceError("expected PASSWORD_VERIFIER, got PASSWORD_VERIFIER"), "a verifier challenge without USER_ID_FOR_SRP");
      assert.equal(cognito.commandCalls(RespondToAuthChallengeCommand).length, 0);
    });
  });

  describe("input refused before any call to Cognito", () => {
    const challenge = (name: PendingChallenge["name"]): PendingChallenge => ({ name, session: "session-1", username: USER_ID });
    afterEach(() => assert.equal(cognito.calls().length, 0, "no request reached Cognito"));

    it("emails: not a string, empty, longer than 254 characters, or not exactly one local part and one domain", async () => {
      const local = "a".repeat(254 - "@example.com".length);
      for (const email of [42, "   ", `${local}x@example.com`, "a@b@c", "@example.com", "parent@", "par ent@example.com", "parent@exa\u0001mple.com", "parent@@example.com"]) {
        await assert.rejects(auth().signIn(email as string, "pw"), invalid("email"), JSON.stringify(email));
      }
    });

    it("passwords and new passwords: not a string, empty, or longer than Cognito's 256 characters", async () => {
      for (const password of [undefined, 42, "", "x".repeat(MAX_PASSWORD + 1)]) {
        await assert.rejects(auth().signIn(EMAIL, password as string), invalid("password"), String(password).slice(0, 10));
        await assert.rejects(auth().completeNewPassword(challenge("NEW_PASSWORD_REQUIRED"), password as string), invalid("newPassword"), String(password).slice(0, 10));
      }
    });

    it("codes: anything but exactly six digits, at every step that takes one", async () => {
      for (const code of ["12345", "1234567", "x123456", "123456x", "12 456", 123456]) {
        await assert.rejects(auth().respondToMfa(challenge("SOFTWARE_TOKEN_MFA"), code as string), invalid("code"), String(code));
        await assert.rejects(auth().completeMfaSetup(challenge("MFA_SETUP"), code as string), invalid("code"), String(code));
        await assert.rejects(auth().confirmTotp("access.token.jwt", code as string), invalid("code"), String(code));
      }
    });

    it("tokens: not a string, empty, or longer than 16 KiB, at every step that takes one", async () => {
      for (const token of [undefined, "", "t".repeat(MAX_TOKEN + 1)]) {
        const t = token as string;
        for (const attempt of [auth().refresh(t), auth().signOut(t), auth().signOutEverywhere(t), auth().enrolTotp(t, { accountName: EMAIL }), auth().confirmTotp(t, "123456")]) {
          await assert.rejects(attempt, invalid("token"), String(token).slice(0, 10));
        }
      }
    });

    it("challenges: absent, of another step, or without a session or user name", async () => {
      const bad = [
        undefined,
        challenge("MFA_SETUP"),
        { ...challenge("SOFTWARE_TOKEN_MFA"), session: "" },
        { ...challenge("SOFTWARE_TOKEN_MFA"), username: "" },
        { ...challenge("SOFTWARE_TOKEN_MFA"), session: 7 },
        { ...challenge("SOFTWARE_TOKEN_MFA"), username: 7 },
      ];
      for (const c of bad) await assert.rejects(auth().respondToMfa(c as PendingChallenge, "123456"), invalid("challenge"), JSON.stringify(c));
      await assert.rejects(auth().completeNewPassword(challenge("SOFTWARE_TOKEN_MFA"), "New-Password-1!"), invalid("challenge"));
      await assert.rejects(auth().beginMfaSetup(challenge("SOFTWARE_TOKEN_MFA"), { accountName: EMAIL }), invalid("challenge"));
      await assert.rejects(auth().completeMfaSetup(challenge("NEW_PASSWORD_REQUIRED"), "123456"), invalid("challenge"));
    });
  });

  describe("at the limits, the input is still sent", () => {
    it("a 254-character email, a 256-character password and new password, a 16 KiB token", async () => {
      cognito.on(InitiateAuthCommand).resolves({ AuthenticationResult: TOKENS });
      cognito.on(RespondToAuthChallengeCommand).resolves({ AuthenticationResult: TOKENS });
      cognito.on(RevokeTokenCommand).resolves({});
      const email = `${"a".repeat(254 - "@example.com".length)}@example.com`;
      await emulatorFlow().signIn(email, "p".repeat(MAX_PASSWORD));
      assert.equal(inputOf(InitiateAuthCommand).AuthParameters!.USERNAME, email);
      await auth().completeNewPassword({ name: "NEW_PASSWORD_REQUIRED", session: "s", username: USER_ID }, "n".repeat(MAX_PASSWORD));
      assert.equal(inputOf(RespondToAuthChallengeCommand).ChallengeResponses!.NEW_PASSWORD, "n".repeat(MAX_PASSWORD));
      await auth().signOut("t".repeat(MAX_TOKEN));
      assert.equal(inputOf(RevokeTokenCommand).Token!.length, MAX_TOKEN);
    });
  });

  describe("challenge answers", () => {
    it("completeNewPassword answers NEW_PASSWORD_REQUIRED with the user, the new password and the client's SECRET_HASH", async () => {
      cognito.on(RespondToAuthChallengeCommand).resolves({ AuthenticationResult: TOKENS });
      await auth({ clientSecret: SECRET }).completeNewPassword({ name: "NEW_PASSWORD_REQUIRED", session: "s1", username: USER_ID }, "New-Password-1!");
      assert.deepEqual(inputOf(RespondToAuthChallengeCommand), {
        ClientId: CLIENT_ID,
        ChallengeName: "NEW_PASSWORD_REQUIRED",
        Session: "s1",
        ChallengeResponses: { USERNAME: USER_ID, NEW_PASSWORD: "New-Password-1!", SECRET_HASH: createSecretHash(USER_ID, CLIENT_ID, SECRET) },
      });
    });

    it("beginMfaSetup associates a token with the sign-in session and carries Cognito's new session on", async () => {
      cognito.on(AssociateSoftwareTokenCommand).resolves({ SecretCode: "JBSWY3DPEHPK3PXP", Session: "s2" });
      const { enrolment, challenge } = await auth().beginMfaSetup({ name: "MFA_SETUP", session: "s1", username: USER_ID }, { accountName: EMAIL });
      assert.deepEqual(inputOf(AssociateSoftwareTokenCommand), { Session: "s1" });
      assert.deepEqual(challenge, { name: "MFA_SETUP", session: "s2", username: USER_ID });
      assert.equal(
        enrolment.otpauthUri,
        "otpauth://totp/My%20Private%20Tutor%20Online:parent%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=My%20Private%20Tutor%20Online&algorithm=SHA1&digits=6&period=30",
      );
    });

    it("beginMfaSetup is a service error when Cognito gives no secret or no session", async () => {
      for (const answer of [{ Session: "s2" }, { SecretCode: "JBSWY3DPEHPK3PXP" }]) {
        cognito.on(AssociateSoftwareTokenCommand).resolves(answer);
        await assert.rejects(
          auth().beginMfaSetup({ name: "MFA_SETUP", session: "s1", username: USER_ID }, { accountName: EMAIL }),
          serviceError("AssociateSoftwareToken returned no secret or session"),
        );
      }
    });

    it("completeMfaSetup verifies the code in the session, then answers MFA_SETUP with the verified session", async () => {
      cognito.on(VerifySoftwareTokenCommand).resolves({ Status: "SUCCESS", Session: "s3" });
      cognito.on(RespondToAuthChallengeCommand).resolves({ AuthenticationResult: TOKENS });
      assert.equal((await auth().completeMfaSetup({ name: "MFA_SETUP", session: "s2", username: USER_ID }, "123456")).status, "SIGNED_IN");
      assert.deepEqual(inputOf(VerifySoftwareTokenCommand), { Session: "s2", UserCode: "123456" });
      assert.deepEqual(inputOf(RespondToAuthChallengeCommand), { ClientId: CLIENT_ID, ChallengeName: "MFA_SETUP", Session: "s3", ChallengeResponses: { USERNAME: USER_ID } });
    });

    it("completeMfaSetup is a wrong code when Cognito does not report SUCCESS with a session", async () => {
      for (const answer of [{ Status: "ERROR", Session: "s3" }, { Status: "SUCCESS" }]) {
        cognito.reset();
        cognito.on(VerifySoftwareTokenCommand).resolves(answer as never);
        await assert.rejects(auth().completeMfaSetup({ name: "MFA_SETUP", session: "s2", username: USER_ID }, "123456"), MfaCodeMismatchError, JSON.stringify(answer));
        assert.equal(cognito.commandCalls(RespondToAuthChallengeCommand).length, 0);
      }
    });
  });

  describe("an authenticator app for a signed-in user", () => {
    it("enrolTotp associates a token with the access token and labels it for the account", async () => {
      cognito.on(AssociateSoftwareTokenCommand).resolves({ SecretCode: "SECRET/CODE" });
      const enrolment = await auth().enrolTotp("access.token.jwt", { accountName: "a b@example.com", issuer: "MPTO & Co" });
      assert.deepEqual(inputOf(AssociateSoftwareTokenCommand), { AccessToken: "access.token.jwt" });
      assert.deepEqual(enrolment, {
        secretCode: "SECRET/CODE",
        otpauthUri: "otpauth://totp/MPTO%20%26%20Co:a%20b%40example.com?secret=SECRET%2FCODE&issuer=MPTO%20%26%20Co&algorithm=SHA1&digits=6&period=30",
      });
    });

    it("enrolTotp is a service error when Cognito gives no secret", async () => {
      cognito.on(AssociateSoftwareTokenCommand).resolves({});
      await assert.rejects(auth().enrolTotp("access.token.jwt", { accountName: EMAIL }), serviceError("AssociateSoftwareToken returned no secret"));
    });

    it("confirmTotp verifies the code under a device name of at most 64 characters, then makes TOTP the preferred MFA", async () => {
      cognito.on(VerifySoftwareTokenCommand).resolves({ Status: "SUCCESS" });
      cognito.on(SetUserMFAPreferenceCommand).resolves({});
      await auth().confirmTotp("access.token.jwt", "123456");
      assert.deepEqual(inputOf(VerifySoftwareTokenCommand), { AccessToken: "access.token.jwt", UserCode: "123456", FriendlyDeviceName: "Authenticator app" });
      assert.deepEqual(inputOf(SetUserMFAPreferenceCommand), { AccessToken: "access.token.jwt", SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } });
      await auth().confirmTotp("access.token.jwt", "654321", "d".repeat(70));
      assert.equal(inputOf(VerifySoftwareTokenCommand, 1).FriendlyDeviceName, "d".repeat(64));
    });

    it("confirmTotp is a wrong code, and sets no preference, unless Cognito reports SUCCESS", async () => {
      cognito.on(VerifySoftwareTokenCommand).resolves({ Status: "ERROR" });
      await assert.rejects(auth().confirmTotp("access.token.jwt", "123456"), MfaCodeMismatchError);
      assert.equal(cognito.commandCalls(SetUserMFAPreferenceCommand).length, 0);
    });
  });

  describe("signing out", () => {
    it("signOut revokes the refresh token for this client, with the client secret when it has one", async () => {
      cognito.on(RevokeTokenCommand).resolves({});
      await auth().signOut("refresh-token");
      assert.deepEqual(inputOf(RevokeTokenCommand), { ClientId: CLIENT_ID, Token: "refresh-token" });
      await auth({ clientSecret: SECRET }).signOut("refresh-token");
      assert.deepEqual(inputOf(RevokeTokenCommand, 1), { ClientId: CLIENT_ID, Token: "refresh-token", ClientSecret: SECRET });
    });

    it("signOutEverywhere signs the access token's user out globally", async () => {
      cognito.on(GlobalSignOutCommand).resolves({});
      await auth().signOutEverywhere("access.token.jwt");
      assert.deepEqual(inputOf(GlobalSignOutCommand), { AccessToken: "access.token.jwt" });
    });
  });

  describe("refresh", () => {
    it("sends the refresh token, with SECRET_HASH of the user name when the client has a secret", async () => {
      cognito.on(InitiateAuthCommand).resolves({ AuthenticationResult: { AccessToken: "a2", IdToken: "i2", ExpiresIn: 600 } });
      assert.deepEqual(await auth().refresh("refresh-token"), { accessToken: "a2", idToken: "i2", expiresIn: 600 });
      assert.deepEqual(inputOf(InitiateAuthCommand), { ClientId: CLIENT_ID, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: "refresh-token" } });
      await auth({ clientSecret: SECRET }).refresh("refresh-token", USER_ID);
      assert.deepEqual(inputOf(InitiateAuthCommand, 1).AuthParameters, { REFRESH_TOKEN: "refresh-token", SECRET_HASH: createSecretHash(USER_ID, CLIENT_ID, SECRET) });
    });
  });

  describe("toAuthError", () => {
    it("takes only NotAuthorizedException's lock-out message as a lock-out", () => {
      const mismatch = Object.assign(new Error("Password attempts exceeded"), { name: "CodeMismatchException" });
      assert.equal(toAuthError(mismatch, "challenge").constructor, MfaCodeMismatchError);
      assert.equal(toAuthError(mismatch, "token").constructor, AuthServiceError);
    });
  });
});
