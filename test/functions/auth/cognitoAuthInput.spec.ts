import assert from "node:assert/strict";
import { InitiateAuthCommand, RespondToAuthChallengeCommand, RevokeTokenCommand } from "@aws-sdk/client-cognito-identity-provider";
import { createSecretHash } from "cognito-srp-helper";
import { type PendingChallenge } from "../../../functions/auth/cognitoAuth";
import { InvalidInputError } from "../../../functions/auth/errors";
import { CLIENT_ID, type CognitoMock, mockedCognitoAuth, useCognitoMock, USER_ID } from "../../support/cognitoMock";

/**
 * What CognitoAuth refuses before any call to Cognito, at every step that takes the input, and that
 * input at its limit still goes out; and SECRET_HASH on every call of a client with a secret. The
 * requests and answers of each step are cognitoAuthCalls.spec.ts, the SRP exchange srp.spec.ts.
 * In-process, with the SDK mocked (aws-sdk-client-mock).
 */

const SECRET = "client-secret-value";
const EMAIL = "parent@example.com";
const TOKENS = { AccessToken: "access.token.jwt", IdToken: "id.token.jwt", RefreshToken: "refresh-token", ExpiresIn: 900 };
const MAX_PASSWORD = 256;
const MAX_TOKEN = 16_384;

describe("CognitoAuth input checks and SECRET_HASH (in-process, SDK mocked)", function () {
  let cognito: CognitoMock;
  useCognitoMock((mock) => (cognito = mock));
  const auth = mockedCognitoAuth;
  const emulatorFlow = (clientSecret?: string) => auth({ passwordFlow: "USER_PASSWORD_AUTH", clientSecret });
  /** The input of the n-th call of a command, as the SDK would send it. */
  const inputOf = <C extends new (...args: never[]) => { input: unknown }>(command: C, n = 0) =>
    cognito.commandCalls(command as never)[n].args[0].input as NonNullable<InstanceType<C>["input"]>;
  const invalid = (field: InvalidInputError["field"]) => (e: unknown) => e instanceof InvalidInputError && e.field === field && e.code === "INVALID_INPUT";

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

  it("adds SECRET_HASH of the user name to every call of a client with a secret (password flow, new password, refresh)", async () => {
    cognito.on(InitiateAuthCommand).resolves({ AuthenticationResult: TOKENS });
    cognito.on(RespondToAuthChallengeCommand).resolves({ AuthenticationResult: TOKENS });
    await emulatorFlow(SECRET).signIn(EMAIL, "pw");
    assert.deepEqual(inputOf(InitiateAuthCommand).AuthParameters, { USERNAME: EMAIL, PASSWORD: "pw", SECRET_HASH: createSecretHash(EMAIL, CLIENT_ID, SECRET) });
    await auth({ clientSecret: SECRET }).completeNewPassword({ name: "NEW_PASSWORD_REQUIRED", session: "s1", username: USER_ID }, "New-Password-1!");
    assert.deepEqual(inputOf(RespondToAuthChallengeCommand).ChallengeResponses, {
      USERNAME: USER_ID,
      NEW_PASSWORD: "New-Password-1!",
      SECRET_HASH: createSecretHash(USER_ID, CLIENT_ID, SECRET),
    });
    await auth({ clientSecret: SECRET }).refresh("refresh-token", USER_ID);
    assert.deepEqual(inputOf(InitiateAuthCommand, 1).AuthParameters, { REFRESH_TOKEN: "refresh-token", SECRET_HASH: createSecretHash(USER_ID, CLIENT_ID, SECRET) });
  });
});
