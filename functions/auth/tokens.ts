import { validateCognitoJwtFields } from "aws-jwt-verify/cognito-verifier";
import { FetchError, JwksValidationError, JwtBaseError, JwtExpiredError } from "aws-jwt-verify/error";
import { Fetcher, SimpleFetcher } from "aws-jwt-verify/https";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";
import { JwtVerifier } from "aws-jwt-verify/jwt-verifier";
import { AuthServiceError, InvalidInputError, InvalidTokenError } from "./errors";

export interface TokenVerifierOptions {
  /** Stack output `userPoolId`, e.g. `eu-west-2_AbC123xyz`. */
  userPoolId: string;
  /** Stack output `userPoolClientId`: tokens issued to other clients are rejected. */
  clientId: string;
  /** Default `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`; an emulator's issuer otherwise. */
  issuer?: string;
  /** Default `<issuer>/.well-known/jwks.json`. */
  jwksUri?: string;
  /** Fetch a JWKS over plain http from 127.0.0.1/localhost/::1 (emulators). Default false: https only. */
  allowLoopbackHttp?: boolean;
  /** Clock skew tolerated on `exp`/`nbf`, in seconds. Default 0. */
  graceSeconds?: number;
}

/** Who a verified token speaks for. */
export interface VerifiedUser {
  /** The user's stable id (`sub`): use it as the session's user id. */
  sub: string;
  /** Cognito's internal user name (the access token's `username`, the ID token's `cognito:username`). */
  username: string;
  /** ID tokens only. */
  email?: string;
  emailVerified?: boolean;
  /** `cognito:groups`: parents, tutors, admins. */
  groups: string[];
  tokenUse: "access" | "id";
  /** Epoch seconds. */
  expiresAt: number;
}

/** Loopback host names as `URL.hostname` spells them (an IPv6 literal keeps its brackets). */
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * The JWKS fetcher: https as aws-jwt-verify does it; plain http only to a loopback host and only
 * when allowed (aws-jwt-verify itself refuses http, which emulators such as cognito-local serve).
 */
class JwksFetcher implements Fetcher {
  private readonly https = new SimpleFetcher();
  constructor(private readonly allowLoopbackHttp: boolean) {}

  async fetch(uri: string, requestOptions?: Record<string, unknown>, data?: ArrayBuffer): Promise<ArrayBuffer> {
    const url = new URL(uri);
    if (url.protocol === "https:") return this.https.fetch(uri, requestOptions, data);
    if (url.protocol === "http:" && this.allowLoopbackHttp && LOOPBACK.has(url.hostname)) {
      const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
      if (!response.ok) throw new FetchError(uri, `HTTP ${response.status}`);
      return response.arrayBuffer();
    }
    throw new FetchError(uri, "the JWKS must be fetched over https");
  }
}

/**
 * Verifies Cognito access and ID tokens offline against the pool's JWKS (aws-jwt-verify: RS256
 * signature, `iss`, `exp`/`nbf`, `token_use`, and `client_id` or `aud`). The JWKS is fetched
 * once and cached; an unknown `kid` triggers one refetch (key rotation). Offline verification
 * cannot see revocation: a revoked access token verifies until it expires.
 */
export class TokenVerifier {
  readonly issuer: string;
  readonly jwksUri: string;
  private readonly access: (token: string) => Promise<Record<string, unknown>>;
  private readonly id: (token: string) => Promise<Record<string, unknown>>;

  constructor(options: TokenVerifierOptions) {
    const region = /^([a-z]{2}(?:-[a-z]+)+-\d+)_/.exec(options.userPoolId)?.[1];
    if (!options.issuer && !region) throw new TypeError("userPoolId must look like <region>_<id>, or give an issuer");
    this.issuer = (options.issuer ?? `https://cognito-idp.${region}.amazonaws.com/${options.userPoolId}`).replace(/\/+$/, "");
    this.jwksUri = options.jwksUri ?? `${this.issuer}/.well-known/jwks.json`;
    const jwksCache = new SimpleJwksCache({ fetcher: new JwksFetcher(options.allowLoopbackHttp ?? false) });
    const make = (tokenUse: "access" | "id") => {
      const verifier = JwtVerifier.create(
        {
          issuer: this.issuer,
          jwksUri: this.jwksUri,
          // The Cognito access token has no `aud`; its client is in `client_id` (checked below).
          audience: null,
          graceSeconds: options.graceSeconds ?? 0,
          customJwtCheck: ({ payload }) => validateCognitoJwtFields(payload, { tokenUse, clientId: options.clientId }),
        },
        { jwksCache },
      );
      return (token: string) => verifier.verify(token) as Promise<Record<string, unknown>>;
    };
    this.access = make("access");
    this.id = make("id");
  }

  /** Verifies an access token (the one to authorise API calls with). */
  verifyAccessToken(token: string): Promise<VerifiedUser> {
    return this.run(token, "access", this.access);
  }

  /** Verifies an ID token (the one that carries email and profile claims). */
  verifyIdToken(token: string): Promise<VerifiedUser> {
    return this.run(token, "id", this.id);
  }

  private async run(token: string, tokenUse: "access" | "id", verify: (token: string) => Promise<Record<string, unknown>>): Promise<VerifiedUser> {
    if (typeof token !== "string" || token.length === 0 || token.length > 16_384) throw new InvalidInputError("token");
    let payload: Record<string, unknown>;
    try {
      payload = await verify(token);
    } catch (error) {
      if (error instanceof JwtExpiredError) throw new InvalidTokenError("expired", { cause: error });
      // The JWKS could not be fetched or is not a JWKS: our side (or the network), not the token.
      if (error instanceof FetchError || error instanceof JwksValidationError) throw new AuthServiceError({ cause: error });
      if (error instanceof JwtBaseError) throw new InvalidTokenError("invalid", { cause: error });
      throw new AuthServiceError({ cause: error });
    }
    const groups = payload["cognito:groups"];
    return {
      sub: String(payload.sub),
      username: String(payload[tokenUse === "access" ? "username" : "cognito:username"] ?? payload.sub),
      ...(typeof payload.email === "string" ? { email: payload.email } : {}),
      ...(typeof payload.email_verified === "boolean" ? { emailVerified: payload.email_verified } : {}),
      groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === "string") : [],
      tokenUse,
      expiresAt: Number(payload.exp),
    };
  }
}
