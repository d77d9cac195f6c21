import { createHash, createHmac, randomBytes } from "node:crypto";

/**
 * The server half of Cognito's SRP-6a (the half no emulator implements), written from the
 * protocol with Node's BigInt and crypto, independently of cognito-srp-helper. Tests use it behind
 * aws-sdk-client-mock so a sign-in succeeds only if the client really proved knowledge of the
 * password: a wrong password gives a wrong PASSWORD_CLAIM_SIGNATURE.
 *
 * Cognito's parameters: the 3072-bit group of RFC 5054 (N, g = 2), k = H(N | g), x = H(salt |
 * H(poolName | userId | ":" | password)), u = H(A | B), HKDF-SHA256 with info "Caldera Derived
 * Key" for a 16-byte key, and the claim HMAC(key, poolName | userId | secretBlock | timestamp),
 * where poolName is the part of the pool id after "_".
 */
const N = BigInt(
  "0x" +
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);
const g = 2n;

/** Hex of a positive integer as Java's BigInteger.toByteArray would give it (sign byte when needed). */
function padHex(n: bigint): string {
  let hex = n.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return /^[89a-f]/i.test(hex) ? `00${hex}` : hex;
}
const sha256Hex = (data: Buffer | string) => createHash("sha256").update(data).digest("hex").padStart(64, "0");
const hexHash = (hex: string) => sha256Hex(Buffer.from(hex, "hex"));

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

const k = BigInt(`0x${hexHash(padHex(N) + padHex(g))}`);

export interface SrpUser {
  /** Cognito's internal user name, returned as USER_ID_FOR_SRP. */
  userId: string;
  password: string;
}

/** One pool's SRP verifiers and the state of challenges in flight. */
export class FakeSrpServer {
  private readonly poolName: string;
  private readonly users = new Map<string, { userId: string; salt: bigint; verifier: bigint }>();
  private readonly pending = new Map<string, { userId: string; A: bigint; b: bigint; B: bigint; salt: bigint; verifier: bigint; secretBlock: string }>();

  /** Server clock in epoch ms (tests move it to check the claim's freshness). */
  now: () => number = Date.now;

  constructor(poolId: string) {
    this.poolName = poolId.split("_")[1];
  }

  /** Registers a user under their email, storing only salt and verifier (as Cognito does). */
  addUser(email: string, user: SrpUser): void {
    const salt = BigInt(`0x${randomBytes(16).toString("hex")}`);
    const x = BigInt(`0x${hexHash(padHex(salt) + sha256Hex(`${this.poolName}${user.userId}:${user.password}`))}`);
    this.users.set(email, { userId: user.userId, salt, verifier: modPow(g, x, N) });
  }

  /** InitiateAuth(USER_SRP_AUTH): the PASSWORD_VERIFIER challenge. Unknown users get a simulated one (RFC 5054), as with preventUserExistenceErrors. */
  initiate(email: string, srpA: string, session: string) {
    const A = BigInt(`0x${srpA}`);
    if (A % N === 0n) throw new Error("SRP_A is zero mod N");
    const known = this.users.get(email);
    const user = known ?? { userId: `simulated-${sha256Hex(email).slice(0, 8)}`, salt: BigInt(`0x${sha256Hex(`salt${email}`).slice(0, 32)}`), verifier: modPow(g, 12345n, N) };
    const b = BigInt(`0x${randomBytes(32).toString("hex")}`);
    const B = (k * user.verifier + modPow(g, b, N)) % N;
    const secretBlock = randomBytes(64).toString("base64");
    this.pending.set(session, { userId: user.userId, A, b, B, salt: user.salt, verifier: user.verifier, secretBlock });
    return {
      ChallengeName: "PASSWORD_VERIFIER" as const,
      Session: session,
      ChallengeParameters: { SALT: padHex(user.salt), SRP_B: B.toString(16), SECRET_BLOCK: secretBlock, USER_ID_FOR_SRP: user.userId, USERNAME: user.userId },
    };
  }

  /** RespondToAuthChallenge(PASSWORD_VERIFIER): true when the claim proves the password. */
  verify(session: string, responses: Record<string, string | undefined>): boolean {
    const state = this.pending.get(session);
    this.pending.delete(session);
    if (!state || responses.USERNAME !== state.userId || responses.PASSWORD_CLAIM_SECRET_BLOCK !== state.secretBlock) return false;
    if (!freshTimestamp(responses.TIMESTAMP, this.now())) return false;
    const u = BigInt(`0x${hexHash(padHex(state.A) + padHex(state.B))}`);
    const S = modPow(state.A * modPow(state.verifier, u, N), state.b, N);
    const prk = createHmac("sha256", Buffer.from(padHex(u), "hex")).update(Buffer.from(padHex(S), "hex")).digest();
    const key = createHmac("sha256", prk).update(Buffer.concat([Buffer.from("Caldera Derived Key", "utf8"), Buffer.from([1])])).digest().subarray(0, 16);
    const message = Buffer.concat([
      Buffer.from(this.poolName, "utf8"),
      Buffer.from(state.userId, "utf8"),
      Buffer.from(state.secretBlock, "base64"),
      Buffer.from(responses.TIMESTAMP ?? "", "utf8"),
    ]);
    const expected = createHmac("sha256", key).update(message).digest("base64");
    return expected === responses.PASSWORD_CLAIM_SIGNATURE;
  }
}

/**
 * TIMESTAMP as Cognito's clients write it, "EEE MMM d HH:mm:ss UTC yyyy" in en-US (e.g. "Tue Dec 1
 * 23:59:01 UTC 2026": day not zero-padded; amazon-cognito-identity-js getNowString, and
 * cognito-srp-helper's equivalent), within 5 minutes of the server clock. Cognito's exact tolerance
 * is not documented; a claim is only worth anything for a short time, and this fake holds the client
 * to a short window so a cached or fixed timestamp fails here as it would there.
 */
const TIMESTAMP = /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):([0-5]\d):([0-5]\d) UTC (\d{4})$/;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

export function freshTimestamp(text: string | undefined, nowMs: number, toleranceMs = 300_000): boolean {
  const m = TIMESTAMP.exec(text ?? "");
  if (!m) return false;
  const at = Date.UTC(Number(m[7]), MONTHS.indexOf(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  if (DAYS[new Date(at).getUTCDay()] !== m[1]) return false;
  return Math.abs(at - nowMs) <= toleranceMs;
}
