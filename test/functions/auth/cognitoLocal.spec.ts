import assert from "node:assert/strict";
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { generateSync } from "otplib";
import { CognitoAuth, PendingChallenge, SignInResult } from "../../../functions/auth/cognitoAuth";
import { AuthError, AuthServiceError, InvalidCredentialsError, InvalidTokenError, MfaCodeMismatchError } from "../../../functions/auth/errors";
import { TokenVerifier } from "../../../functions/auth/tokens";
import { CognitoLocal, cognitoLocalClient, startCognitoLocal } from "../../support/cognitoLocal";

const PASSWORD = "Correct-Horse-9-Battery";

/**
 * Emulator tests: the password step uses USER_PASSWORD_AUTH because cognito-local has no
 * USER_SRP_AUTH (the SRP step is covered with in-process SDK mocks in srp.spec.ts). Everything
 * after the password step (challenges, TOTP, tokens, JWKS verification, refresh, revocation)
 * runs against the emulator over HTTP.
 */
describe("auth (functions/auth) against cognito-local on 127.0.0.1 — password step via USER_PASSWORD_AUTH, the emulator has no SRP", function () {
  let emulator: CognitoLocal;
  let client: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;
  let otherClientId: string;
  let auth: CognitoAuth;
  let verifier: TokenVerifier;
  let userCount = 0;

  before(async function () {
    emulator = await startCognitoLocal();
    client = cognitoLocalClient(emulator.endpoint);
    const pool = await client.send(
      new CreateUserPoolCommand({ PoolName: "mpto-test", UsernameAttributes: ["email"], UsernameConfiguration: { CaseSensitive: false }, MfaConfiguration: "OPTIONAL" }),
    );
    poolId = pool.UserPool!.Id!;
    const web = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: "web",
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        AccessTokenValidity: 5,
        IdTokenValidity: 5,
        TokenValidityUnits: { AccessToken: "minutes", IdToken: "minutes" },
      }),
    );
    clientId = web.UserPoolClient!.ClientId!;
    otherClientId = (await client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "other" }))).UserPoolClient!.ClientId!;
    for (const group of ["parents", "tutors", "admins"]) await client.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: group }));
    auth = new CognitoAuth({ client, userPoolId: poolId, clientId, passwordFlow: "USER_PASSWORD_AUTH" });
    verifier = new TokenVerifier({ userPoolId: poolId, clientId, issuer: `${emulator.endpoint}/${poolId}`, allowLoopbackHttp: true });
  });

  after(async function () {
    client?.destroy();
    await emulator?.stop();
  });

  /** A confirmed user with a permanent password, in the given groups. */
  async function createUser(options: { temporary?: boolean; groups?: string[] } = {}): Promise<string> {
    const email = `user${++userCount}@example.com`;
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: email,
        TemporaryPassword: "Temporary-Pass-1",
        MessageAction: "SUPPRESS",
        UserAttributes: [
          { Name: "email", Value: email },
          { Name: "email_verified", Value: "true" },
        ],
      }),
    );
    if (!options.temporary) await client.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: email, Password: PASSWORD, Permanent: true }));
    for (const group of options.groups ?? []) await client.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: email, GroupName: group }));
    return email;
  }

  function signedIn(result: SignInResult) {
    assert.equal(result.status, "SIGNED_IN");
    return (result as Extract<SignInResult, { status: "SIGNED_IN" }>).tokens;
  }
  function challenged(result: SignInResult, status: SignInResult["status"]): PendingChallenge {
    assert.equal(result.status, status);
    return (result as { challenge: PendingChallenge }).challenge;
  }

  it("signs in with email and password, email case-insensitively, and returns tokens the JWKS verifies, with the user's groups", async function () {
    const email = await createUser({ groups: ["parents"] });
    const tokens = signedIn(await auth.signIn(`  ${email.toUpperCase()} `, PASSWORD));
    const fromId = await verifier.verifyIdToken(tokens.idToken);
    assert.equal(fromId.email, email);
    assert.equal(fromId.tokenUse, "id");
    assert.deepEqual(fromId.groups, ["parents"]);
    const fromAccess = await verifier.verifyAccessToken(tokens.accessToken);
    assert.equal(fromAccess.sub, fromId.sub);
    assert.equal(fromAccess.tokenUse, "access");
    assert.deepEqual(fromAccess.groups, ["parents"]);
    assert.ok(fromAccess.expiresAt > Date.now() / 1000);
  });

  it("answers the new-password challenge of a user created with a temporary password", async function () {
    const email = await createUser({ temporary: true });
    const challenge = challenged(await auth.signIn(email, "Temporary-Pass-1"), "NEW_PASSWORD_REQUIRED");
    assert.match(challenge.username, /^[0-9a-f-]{36}$/, "the challenge carries Cognito's internal user name");
    const tokens = signedIn(await auth.completeNewPassword(challenge, "Brand-New-Passw0rd!"));
    assert.equal((await verifier.verifyIdToken(tokens.idToken)).email, email);
    signedIn(await auth.signIn(email, "Brand-New-Passw0rd!"));
  });

  it("gives the same error, code and message for a wrong password and for an unknown email", async function () {
    const email = await createUser();
    const wrongPassword = await auth.signIn(email, "Not-The-Passw0rd").catch((e: unknown) => e);
    const unknownUser = await auth.signIn("nobody-here@example.com", PASSWORD).catch((e: unknown) => e);
    assert.ok(wrongPassword instanceof InvalidCredentialsError);
    assert.ok(unknownUser instanceof InvalidCredentialsError);
    assert.equal((wrongPassword as AuthError).code, "INVALID_CREDENTIALS");
    assert.equal((wrongPassword as AuthError).message, (unknownUser as AuthError).message);
    assert.ok(!(wrongPassword as AuthError).message.includes(email));
  });

  it("enrols an authenticator app, then returns the TOTP challenge at sign-in and answers it with respondToMfa", async function () {
    const email = await createUser({ groups: ["tutors"] });
    const first = signedIn(await auth.signIn(email, PASSWORD));
    const enrolment = await auth.enrolTotp(first.accessToken, { accountName: email });
    assert.match(enrolment.otpauthUri, /^otpauth:\/\/totp\/My%20Private%20Tutor%20Online:user\d+%40example\.com\?secret=/);
    await assert.rejects(auth.confirmTotp(first.accessToken, "000000"), MfaCodeMismatchError);
    await auth.confirmTotp(first.accessToken, generateSync({ secret: enrolment.secretCode }));

    const challenge = challenged(await auth.signIn(email, PASSWORD), "MFA_REQUIRED");
    assert.equal(challenge.name, "SOFTWARE_TOKEN_MFA");
    await assert.rejects(auth.respondToMfa(challenge, "000000"), (e: unknown) => e instanceof MfaCodeMismatchError && e.code === "MFA_CODE_MISMATCH");
    const tokens = signedIn(await auth.respondToMfa(challenge, generateSync({ secret: enrolment.secretCode })));
    const user = await verifier.verifyAccessToken(tokens.accessToken);
    assert.deepEqual(user.groups, ["tutors"]);
  });

  it("refreshes tokens, and refuses the refresh token once signed out (revoked)", async function () {
    const email = await createUser();
    const tokens = signedIn(await auth.signIn(email, PASSWORD));
    assert.ok(tokens.refreshToken);
    const refreshed = await auth.refresh(tokens.refreshToken!);
    assert.equal((await verifier.verifyAccessToken(refreshed.accessToken)).username, (await verifier.verifyAccessToken(tokens.accessToken)).username);
    await auth.signOut(tokens.refreshToken!);
    await assert.rejects(auth.refresh(tokens.refreshToken!), (e: unknown) => e instanceof InvalidTokenError && e.code === "INVALID_TOKEN");
  });

  describe("token verification against the emulator's JWKS", function () {
    let tokens: { accessToken: string; idToken: string };
    before(async function () {
      tokens = signedIn(await auth.signIn(await createUser(), PASSWORD));
    });

    it("rejects tokens issued to another app client", async function () {
      const other = new TokenVerifier({ userPoolId: poolId, clientId: otherClientId, issuer: `${emulator.endpoint}/${poolId}`, allowLoopbackHttp: true });
      await assert.rejects(other.verifyAccessToken(tokens.accessToken), InvalidTokenError);
      await assert.rejects(other.verifyIdToken(tokens.idToken), InvalidTokenError);
    });

    it("rejects an ID token offered as an access token, and the reverse", async function () {
      await assert.rejects(verifier.verifyAccessToken(tokens.idToken), InvalidTokenError);
      await assert.rejects(verifier.verifyIdToken(tokens.accessToken), InvalidTokenError);
    });

    it("rejects a token whose payload was altered (signature no longer matches)", async function () {
      const [header, payload, signature] = tokens.accessToken.split(".");
      const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
      claims["cognito:groups"] = ["admins"];
      const forged = [header, Buffer.from(JSON.stringify(claims)).toString("base64url"), signature].join(".");
      await assert.rejects(verifier.verifyAccessToken(forged), (e: unknown) => e instanceof InvalidTokenError && e.reason === "invalid");
      await assert.rejects(verifier.verifyAccessToken("not.a.jwt"), InvalidTokenError);
    });

    it("rejects an expired token as expired", async function () {
      const realNow = Date.now;
      Date.now = () => realNow() + 10 * 60 * 1000;
      try {
        await assert.rejects(verifier.verifyAccessToken(tokens.accessToken), (e: unknown) => e instanceof InvalidTokenError && e.reason === "expired");
      } finally {
        Date.now = realNow;
      }
    });

    it("rejects a token from another issuer", async function () {
      const elsewhere = new TokenVerifier({ userPoolId: poolId, clientId, issuer: `${emulator.endpoint}/local_OtherPool`, jwksUri: `${emulator.endpoint}/${poolId}/.well-known/jwks.json`, allowLoopbackHttp: true });
      await assert.rejects(elsewhere.verifyAccessToken(tokens.accessToken), InvalidTokenError);
    });

    it("refuses to fetch a JWKS over plain http unless told it is a loopback emulator", async function () {
      const strict = new TokenVerifier({ userPoolId: poolId, clientId, issuer: `${emulator.endpoint}/${poolId}` });
      await assert.rejects(strict.verifyAccessToken(tokens.accessToken), (e: unknown) => e instanceof AuthServiceError && e.code === "SERVICE_UNAVAILABLE");
    });
  });
});
