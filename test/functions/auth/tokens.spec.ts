import assert from "node:assert/strict";
import { createSign, generateKeyPairSync, type KeyObject } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { AuthServiceError, InvalidInputError, InvalidTokenError } from "../../../functions/auth/errors";
import { TokenVerifier, type TokenVerifierOptions } from "../../../functions/auth/tokens";

/**
 * TokenVerifier in-process, against tokens signed here with throw-away RSA keys and a JWKS served
 * on 127.0.0.1 (what Cognito publishes at `<issuer>/.well-known/jwks.json`). The cognito-local
 * spec proves the same against tokens an emulator issues; this one reaches every branch quickly,
 * so that mutation testing (npm run mutation) can judge tokens.ts.
 */

const POOL = "eu-west-2_AbC123xyz";
const CLIENT = "app-client-1";

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  jwk: Record<string, unknown>;
}

function signingKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { kid, privateKey, jwk: { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" } };
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

function sign(key: SigningKey, payload: Record<string, unknown>): string {
  const unsigned = `${base64url({ alg: "RS256", kid: key.kid, typ: "JWT" })}.${base64url(payload)}`;
  return `${unsigned}.${createSign("RSA-SHA256").update(unsigned).sign(key.privateKey).toString("base64url")}`;
}

/** A JWKS endpoint whose answer the test can change (key rotation, outages). */
class JwksServer {
  keys: SigningKey[] = [];
  status = 200;
  body?: string;
  requests = 0;
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((_req, res) => {
      this.requests++;
      res.writeHead(this.status, { "content-type": "application/json" });
      res.end(this.body ?? JSON.stringify({ keys: this.keys.map((k) => k.jwk) }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

describe("TokenVerifier: Cognito access and ID tokens verified offline (in-process)", () => {
  const jwks = new JwksServer();
  const key = signingKey("key-1");
  let endpoint: string;
  let issuer: string;
  const now = () => Math.floor(Date.now() / 1000);

  before(async () => {
    endpoint = await jwks.start();
    issuer = `${endpoint}/${POOL}`;
  });
  after(() => jwks.stop());
  beforeEach(() => {
    jwks.keys = [key];
    jwks.status = 200;
    jwks.body = undefined;
    jwks.requests = 0;
  });

  const verifier = (options: Partial<TokenVerifierOptions> = {}) => new TokenVerifier({ userPoolId: POOL, clientId: CLIENT, issuer, allowLoopbackHttp: true, ...options });
  const accessClaims = (extra: Record<string, unknown> = {}) => ({
    sub: "user-sub-1",
    iss: issuer,
    client_id: CLIENT,
    token_use: "access",
    username: "cognito-user-1",
    exp: now() + 3600,
    iat: now(),
    ...extra,
  });
  const idClaims = (extra: Record<string, unknown> = {}) => ({
    sub: "user-sub-1",
    iss: issuer,
    aud: CLIENT,
    token_use: "id",
    "cognito:username": "cognito-user-1",
    exp: now() + 3600,
    iat: now(),
    ...extra,
  });

  const rejectsWith = (reason: InvalidTokenError["reason"]) => (error: unknown) =>
    error instanceof InvalidTokenError && error.reason === reason && error.code === "INVALID_TOKEN" && error.cause instanceof Error;
  /** AuthServiceError, keeping what went wrong (its cause's message) for the logs. */
  const serviceError =
    (because?: string | RegExp) =>
    (error: unknown): boolean => {
      assert.ok(error instanceof AuthServiceError && error.code === "SERVICE_UNAVAILABLE", String(error));
      if (because !== undefined)
        assert.match(String((error.cause as Error)?.message), typeof because === "string" ? new RegExp(`^${because.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`) : because);
      return true;
    };

  describe("where it looks for the pool", () => {
    it("derives Cognito's issuer and JWKS address from the pool id's region", () => {
      const v = new TokenVerifier({ userPoolId: POOL, clientId: CLIENT });
      assert.equal(v.issuer, `https://cognito-idp.eu-west-2.amazonaws.com/${POOL}`);
      assert.equal(v.jwksUri, `https://cognito-idp.eu-west-2.amazonaws.com/${POOL}/.well-known/jwks.json`);
    });

    it("reads multi-part regions (us-gov-west-1) and multi-digit region numbers from the pool id", () => {
      assert.equal(new TokenVerifier({ userPoolId: "us-gov-west-1_Xyz", clientId: CLIENT }).issuer, "https://cognito-idp.us-gov-west-1.amazonaws.com/us-gov-west-1_Xyz");
      assert.equal(new TokenVerifier({ userPoolId: "ap-east-12_Xyz", clientId: CLIENT }).issuer, "https://cognito-idp.ap-east-12.amazonaws.com/ap-east-12_Xyz");
    });

    it("refuses a pool id without a region unless an issuer is given", () => {
      for (const userPoolId of ["AbC123xyz", "eu-west-2AbC", "x_eu-west-2_AbC", "EU-WEST-2_AbC", ""]) {
        assert.throws(
          () => new TokenVerifier({ userPoolId, clientId: CLIENT }),
          { name: "TypeError", message: "userPoolId must look like <region>_<id>, or give an issuer" },
          userPoolId,
        );
      }
      assert.equal(new TokenVerifier({ userPoolId: "local_pool", clientId: CLIENT, issuer: "http://127.0.0.1:9229/local_pool" }).issuer, "http://127.0.0.1:9229/local_pool");
    });

    it("drops trailing slashes of a given issuer and takes a given JWKS address as is", () => {
      const v = new TokenVerifier({ userPoolId: POOL, clientId: CLIENT, issuer: "https://issuer.example/pool//", jwksUri: "https://keys.example/jwks" });
      assert.equal(v.issuer, "https://issuer.example/pool");
      assert.equal(v.jwksUri, "https://keys.example/jwks");
    });
  });

  describe("a valid token", () => {
    it("gives the access token's user: sub, username, string groups only, expiry", async () => {
      const exp = now() + 600;
      const user = await verifier().verifyAccessToken(sign(key, accessClaims({ exp, "cognito:groups": ["parents", 7, "tutors", null] })));
      assert.deepEqual(user, { sub: "user-sub-1", username: "cognito-user-1", groups: ["parents", "tutors"], tokenUse: "access", expiresAt: exp });
    });

    it("gives the ID token's user with email and its verification flag", async () => {
      const user = await verifier().verifyIdToken(sign(key, idClaims({ email: "parent@example.com", email_verified: false })));
      assert.deepEqual(user, {
        sub: "user-sub-1",
        username: "cognito-user-1",
        email: "parent@example.com",
        emailVerified: false,
        groups: [],
        tokenUse: "id",
        expiresAt: user.expiresAt,
      });
      assert.equal((await verifier().verifyIdToken(sign(key, idClaims({ email_verified: true })))).emailVerified, true);
    });

    it("leaves out email claims that are not of their type, and groups that are not a list", async () => {
      const user = await verifier().verifyIdToken(sign(key, idClaims({ email: 42, email_verified: "true", "cognito:groups": "parents" })));
      assert.equal("email" in user, false);
      assert.equal("emailVerified" in user, false);
      assert.deepEqual(user.groups, []);
    });

    it("falls back to sub when the token names no user, and reads each kind's own username claim", async () => {
      const { username: _access, ...anonymousAccess } = accessClaims();
      assert.equal((await verifier().verifyAccessToken(sign(key, anonymousAccess))).username, "user-sub-1");
      // An access token's `cognito:username` is not its user name claim, nor an ID token's `username`.
      assert.equal((await verifier().verifyAccessToken(sign(key, { ...anonymousAccess, "cognito:username": "other" }))).username, "user-sub-1");
      const { "cognito:username": _id, ...anonymousId } = idClaims();
      assert.equal((await verifier().verifyIdToken(sign(key, { ...anonymousId, username: "other" }))).username, "user-sub-1");
    });

    it("fetches the JWKS once and refetches on an unknown key id (key rotation)", async () => {
      const v = verifier();
      await v.verifyAccessToken(sign(key, accessClaims()));
      await v.verifyAccessToken(sign(key, accessClaims()));
      assert.equal(jwks.requests, 1);
      const rotated = signingKey("key-2");
      jwks.keys = [key, rotated];
      assert.equal((await v.verifyAccessToken(sign(rotated, accessClaims()))).sub, "user-sub-1");
      assert.equal(jwks.requests, 2);
    });
  });

  describe("a token to refuse", () => {
    it("refuses an expired token as expired, unless within the configured grace", async () => {
      const stale = sign(key, accessClaims({ exp: now() - 30 }));
      await assert.rejects(verifier().verifyAccessToken(stale), rejectsWith("expired"));
      assert.equal((await verifier({ graceSeconds: 120 }).verifyAccessToken(stale)).sub, "user-sub-1");
    });

    it("refuses a token of another client, another issuer, the other kind, or a forged signature as invalid", async () => {
      await assert.rejects(verifier().verifyAccessToken(sign(key, accessClaims({ client_id: "other-client" }))), rejectsWith("invalid"));
      await assert.rejects(verifier().verifyIdToken(sign(key, idClaims({ aud: "other-client" }))), rejectsWith("invalid"));
      await assert.rejects(verifier().verifyAccessToken(sign(key, accessClaims({ iss: `${endpoint}/eu-west-2_Other` }))), rejectsWith("invalid"));
      await assert.rejects(verifier().verifyAccessToken(sign(key, idClaims())), rejectsWith("invalid"));
      await assert.rejects(verifier().verifyIdToken(sign(key, accessClaims())), rejectsWith("invalid"));
      const forger = signingKey("key-1");
      await assert.rejects(verifier().verifyAccessToken(sign(forger, accessClaims())), rejectsWith("invalid"));
      await assert.rejects(verifier().verifyAccessToken("not.a.jwt"), rejectsWith("invalid"));
    });

    it("refuses an empty, oversized or non-string token before any fetch", async () => {
      for (const token of ["", "x".repeat(16_385), undefined as unknown as string, 42 as unknown as string]) {
        await assert.rejects(verifier().verifyAccessToken(token), (e: unknown) => e instanceof InvalidInputError && e.field === "token" && e.message === "The token is not valid.");
      }
      assert.equal(jwks.requests, 0);
      // 16 KiB exactly is still a token (it fails on its content, not its size).
      await assert.rejects(verifier().verifyAccessToken("x".repeat(16_384)), rejectsWith("invalid"));
    });
  });

  describe("when the JWKS cannot be had (our side, not the token)", () => {
    it("is unavailable when the JWKS endpoint fails or answers something that is not a JWKS", async () => {
      jwks.status = 500;
      await assert.rejects(verifier().verifyAccessToken(sign(key, accessClaims())), serviceError(`Failed to fetch ${issuer}/.well-known/jwks.json: HTTP 500`));
      jwks.status = 200;
      jwks.body = JSON.stringify({ keys: "none" });
      await assert.rejects(verifier().verifyAccessToken(sign(key, accessClaims())), serviceError(/JWKS/));
    });

    it("is unavailable, not an invalid token, when nothing answers at the JWKS address", async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const nobody = verifier({ jwksUri: `http://127.0.0.1:${port}/jwks.json` });
      await assert.rejects(nobody.verifyAccessToken(sign(key, accessClaims())), serviceError(/fetch failed/));
    });

    it("fetches over plain http only when allowed and only from a loopback host", async () => {
      const httpsOnly = (uri: string) => serviceError(`Failed to fetch ${uri}: the JWKS must be fetched over https`);
      await assert.rejects(verifier({ allowLoopbackHttp: false }).verifyAccessToken(sign(key, accessClaims())), httpsOnly(`${issuer}/.well-known/jwks.json`));
      await assert.rejects(
        new TokenVerifier({ userPoolId: POOL, clientId: CLIENT, issuer }).verifyAccessToken(sign(key, accessClaims())),
        httpsOnly(`${issuer}/.well-known/jwks.json`),
        "default: https only",
      );
      const remote = verifier({ issuer: `http://keys.example/${POOL}`, jwksUri: "http://keys.example/jwks.json" });
      await assert.rejects(remote.verifyAccessToken(sign(key, accessClaims({ iss: `http://keys.example/${POOL}` }))), httpsOnly("http://keys.example/jwks.json"));
      // An IPv6 loopback literal is loopback too (URL.hostname keeps its brackets): fetched, not refused as plain http.
      const ipv6 = verifier({ jwksUri: "http://[::1]:9/jwks.json" });
      await assert.rejects(ipv6.verifyAccessToken(sign(key, accessClaims())), serviceError(/fetch failed/));
      const localhost = verifier({ jwksUri: `${endpoint.replace("127.0.0.1", "localhost")}/jwks.json` });
      assert.equal((await localhost.verifyAccessToken(sign(key, accessClaims()))).sub, "user-sub-1");
      assert.equal(jwks.requests, 1, "only the loopback fetch reached the server");
    });
  });
});
