import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { DecryptCommand, GenerateDataKeyCommand, KMSClient, type KMSClientConfig } from "@aws-sdk/client-kms";
import { SESSION_DATA_CONTEXT } from "./schema";
import { boundedClient, CLIENT_LIMITS, type ClientLimits } from "../shared/clientLimits";

/**
 * Envelope encryption of session data (docs/identity.md "Session data at rest").
 *
 * Session data holds Cognito refresh tokens: whoever reads it can mint access tokens without the
 * password or MFA. So the table never holds it in clear: each item carries its data sealed with
 * AES-256-GCM under a data key, and that data key encrypted by the stack's KMS key
 * (`GenerateDataKey`). Reading needs `kms:Decrypt` on that key, which the key policy gives only to
 * the app runtime role: a table export, a backup or a point-in-time restore read by anyone else is
 * ciphertext.
 *
 * - The GCM additional data binds a sealed value to its table, item key and owner, so a value
 *   copied into another item (or an item whose `userId` was edited) does not open.
 * - The KMS encryption context (`mpto:purpose`, `mpto:table`) is logged by CloudTrail with every
 *   Decrypt and can be required by the key policy.
 * - One data key serves many items (the AWS Encryption SDK's data key caching pattern): a new one
 *   every `dataKeyMaxAgeSeconds` or `dataKeyMaxUses` seals, so KMS is not called on every write.
 *   Decrypted data keys are kept in a small bounded cache for the same age.
 */

/** The KMS calls the cipher makes; a real `KMSClient` fits, so does a test mock. */
export type KmsLike = Pick<KMSClient, "send">;

export interface SessionEncryptionOptions {
  /** KMS client in the key's region (see `createKmsClient` for one with time limits). */
  kms: KmsLike;
  /** The stack's session key: ARN or alias ARN (stack output `sessionDataKeyArn`). */
  keyId: string;
  /** Seconds one data key seals new values before a fresh one is generated. Default 300, 1-86400. */
  dataKeyMaxAgeSeconds?: number;
  /** Values one data key seals before a fresh one is generated. Default 10000, 1-2^32 (GCM random-IV bound). */
  dataKeyMaxUses?: number;
  /** Decrypted data keys kept. Default 100, 1-10000. */
  cacheSize?: number;
}

/** A sealed value as stored: format version, the encrypted data key, and iv|ciphertext|tag. */
export interface SealedValue {
  /** `v1.<base64url iv(12) | ciphertext | tag(16)>` */
  data: string;
  /** base64 of the KMS CiphertextBlob of the data key. */
  dataKey: string;
}

/** KMS failed or refused (no permission, key disabled, throttled): the session cannot be read or written now. */
export class EnvelopeKmsError extends Error {
  override readonly name = "EnvelopeKmsError";
}

const VERSION = "v1.";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MAX_USES_LIMIT = 2 ** 32;

interface DataKey {
  plaintext: Buffer;
  ciphertext: string;
  createdAt: number;
  uses: number;
}

/** A KMS client with the project's time limits (functions/shared/clientLimits.ts). */
export function createKmsClient(config: KMSClientConfig = {}, limits: ClientLimits = CLIENT_LIMITS.kms): KMSClient {
  return boundedClient(KMSClient, config, limits);
}

export class SessionCipher {
  readonly keyId: string;
  private readonly kms: KmsLike;
  private readonly context: Record<string, string>;
  private readonly maxAgeMs: number;
  private readonly maxUses: number;
  private readonly cacheSize: number;
  private readonly clock: () => number;
  private current: DataKey | undefined;
  private pendingKey: Promise<DataKey> | undefined;
  /** Decrypted data keys by ciphertext, oldest first (Map keeps insertion order). */
  private readonly opened = new Map<string, { plaintext: Buffer; at: number }>();

  constructor(options: SessionEncryptionOptions, tableName: string, clock: () => number = Date.now) {
    if (typeof options.keyId !== "string" || options.keyId.length === 0) throw new RangeError("encryption.keyId must name the session KMS key");
    this.kms = options.kms;
    this.keyId = options.keyId;
    this.context = { [SESSION_DATA_CONTEXT.purposeKey]: SESSION_DATA_CONTEXT.purpose, [SESSION_DATA_CONTEXT.tableKey]: tableName };
    this.maxAgeMs = bounded(options.dataKeyMaxAgeSeconds ?? 300, 1, 86_400, "dataKeyMaxAgeSeconds") * 1000;
    this.maxUses = bounded(options.dataKeyMaxUses ?? 10_000, 1, MAX_USES_LIMIT, "dataKeyMaxUses");
    this.cacheSize = bounded(options.cacheSize ?? 100, 1, 10_000, "cacheSize");
    this.clock = clock;
  }

  /** Seals `plaintext` for the item described by `aad`. */
  async seal(plaintext: string, aad: string): Promise<SealedValue> {
    const key = await this.dataKey();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", key.plaintext, iv);
    // Strings are UTF-8 (Node's default encoding) here and below.
    cipher.setAAD(Buffer.from(aad));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { data: VERSION + Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64url"), dataKey: key.ciphertext };
  }

  /**
   * Opens a sealed value. Returns undefined when it is not a value this cipher sealed for this
   * item (tampered, moved, wrong format): the caller treats the session as absent. Throws
   * `EnvelopeKmsError` when KMS cannot be asked (then nothing can be said about the value).
   */
  async open(sealed: { data?: unknown; dataKey?: unknown }, aad: string): Promise<string | undefined> {
    if (typeof sealed.data !== "string" || typeof sealed.dataKey !== "string" || !sealed.data.startsWith(VERSION)) return undefined;
    const raw = Buffer.from(sealed.data.slice(VERSION.length), "base64url");
    if (raw.length < IV_BYTES + TAG_BYTES) return undefined;
    const key = await this.openKey(sealed.dataKey);
    // Stryker disable next-line ConditionalExpression: createDecipheriv throws without a key, and the catch below answers undefined too.
    if (!key) return undefined;
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(aad));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString("utf8");
    } catch {
      return undefined;
    }
  }

  /** The data key for new seals: the cached one while young and not worn out, else a fresh one (one KMS call for concurrent callers). */
  private async dataKey(): Promise<DataKey> {
    const now = this.clock();
    const key = this.current;
    if (key && now - key.createdAt < this.maxAgeMs && key.uses < this.maxUses) {
      key.uses++;
      return key;
    }
    this.pendingKey ??= this.generate().finally(() => {
      this.pendingKey = undefined;
    });
    const fresh = await this.pendingKey;
    fresh.uses++;
    return fresh;
  }

  private async generate(): Promise<DataKey> {
    let result;
    try {
      result = await this.kms.send(new GenerateDataKeyCommand({ KeyId: this.keyId, KeySpec: "AES_256", EncryptionContext: this.context }));
    } catch (error) {
      throw new EnvelopeKmsError("KMS GenerateDataKey failed", { cause: error });
    }
    if (!(result.Plaintext instanceof Uint8Array) || result.Plaintext.length !== 32 || !(result.CiphertextBlob instanceof Uint8Array)) {
      throw new EnvelopeKmsError("KMS GenerateDataKey returned no 256-bit data key");
    }
    const key: DataKey = { plaintext: Buffer.from(result.Plaintext), ciphertext: Buffer.from(result.CiphertextBlob).toString("base64"), createdAt: this.clock(), uses: 0 };
    this.current = key;
    this.remember(key.ciphertext, key.plaintext);
    return key;
  }

  /** The plaintext of an encrypted data key, from the cache or KMS; undefined when KMS says it is not a valid ciphertext for this context. */
  private async openKey(ciphertext: string): Promise<Buffer | undefined> {
    const now = this.clock();
    const cached = this.opened.get(ciphertext);
    if (cached && now - cached.at < this.maxAgeMs) return cached.plaintext;
    let result;
    try {
      result = await this.kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from(ciphertext, "base64"), KeyId: this.keyId, EncryptionContext: this.context }));
    } catch (error) {
      // Not a ciphertext of this key and context: the value was not sealed here.
      if ((error as { name?: unknown } | null)?.name === "InvalidCiphertextException") return undefined;
      throw new EnvelopeKmsError("KMS Decrypt failed", { cause: error });
    }
    if (!(result.Plaintext instanceof Uint8Array) || result.Plaintext.length !== 32) return undefined;
    const plaintext = Buffer.from(result.Plaintext);
    this.remember(ciphertext, plaintext);
    return plaintext;
  }

  private remember(ciphertext: string, plaintext: Buffer): void {
    this.opened.delete(ciphertext);
    this.opened.set(ciphertext, { plaintext, at: this.clock() });
    while (this.opened.size > this.cacheSize) this.opened.delete(this.opened.keys().next().value!);
  }
}

/** The additional authenticated data of one item: table, key and owner (which never changes: see SessionFixationError). */
export function itemAad(tableName: string, pk: string, userId: string | undefined): string {
  // JSON of an array keeps the parts unambiguous whatever they contain; hashing keeps it short.
  return createHash("sha256").update(JSON.stringify(["mpto-session-v1", tableName, pk, userId ?? null])).digest("base64url");
}

function bounded(value: number, min: number, max: number, name: string): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${name} must be a whole number from ${min} to ${max}`);
  return value;
}
