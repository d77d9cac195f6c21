import { createHash, randomBytes } from "node:crypto";
import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { boundedClient, CLIENT_LIMITS, type ClientLimits } from "../shared/clientLimits";
import { itemAad, SessionCipher, type SessionEncryptionOptions } from "./envelope";
import {
  InvalidSessionDataError,
  InvalidSessionIdError,
  InvalidUserIdError,
  SessionStoreError,
  SessionStoreThrottledError,
  SessionStoreUnavailableError,
  SessionFixationError,
  SessionTooLargeError,
  SessionUserMismatchError,
} from "./errors";
import { SESSION_TABLE } from "./schema";

/** Session data: a plain JSON object. Dates inside it come back as ISO strings (it is stored as JSON). */
export type SessionData = Record<string, unknown>;

/** A live session as the store returns it. Times are epoch seconds. */
export interface StoredSession<T extends SessionData = SessionData> {
  /** The session id (the cookie value). Only its SHA-256 is stored in the table. */
  id: string;
  /** Owner, when the session belongs to a signed-in user. */
  userId?: string;
  data: T;
  createdAt: number;
  lastSeenAt: number;
  /** When the session ends unless touched again: the earlier of the idle and the absolute expiry. */
  expiresAt: number;
  /** When the session ends however active it is. */
  absoluteExpiresAt: number;
}

export interface SessionStoreOptions {
  /** A DynamoDB client (or document client) pointed at the session table's region or an emulator. Build it with `createDynamoClient` (time limits). */
  client: DynamoDBClient | DynamoDBDocumentClient;
  /**
   * Envelope encryption of session data under the stack's KMS key (stack output
   * `sessionDataKeyArn`). Required unless `plaintextData` is set: session data holds refresh tokens.
   */
  encryption?: SessionEncryptionOptions;
  /** Store session data as plain JSON. Only for local development and emulator tests; never with tokens. Default false. */
  plaintextData?: boolean;
  /** The table created by the `SessionTable` component (stack output `sessionTableName`). */
  tableName: string;
  /** Idle timeout: a session not touched for this long is gone. Default 1800 (30 minutes). */
  idleTimeoutSeconds?: number;
  /** Absolute lifetime: no touch extends a session beyond this. Default 43200 (12 hours). */
  absoluteTimeoutSeconds?: number;
  /**
   * Largest serialised session accepted, in bytes (UTF-8 JSON). Default and maximum 300000: sealed,
   * base64url grows it by a third, and a DynamoDB item is at most 400 KB with its attribute names.
   */
  maxDataBytes?: number;
  /** Clock in epoch milliseconds. Default `Date.now`; tests inject their own. */
  now?: () => number;
}

/** Session ids are 32 bytes from the CSPRNG, base64url-encoded: exactly 43 characters. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;
/** Control characters (C0, DEL, C1), which have no place in a user id. */
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;
/** Largest `maxDataBytes`: 300000 × 4/3 (base64url) + data key + other attributes stays under DynamoDB's 409600-byte item limit. */
const MAX_DATA_BYTES = 300_000;
const BATCH_SIZE = 25;
const BATCH_RETRIES = 6;

const { partitionKey, userIdAttribute, userIndexName, ttlAttribute } = SESSION_TABLE;
/** Attribute names used in expressions (`data` is a DynamoDB reserved word; the rest for symmetry). */
const NAMES = {
  "#pk": partitionKey,
  "#uid": userIdAttribute,
  "#exp": ttlAttribute,
  "#abs": "absoluteExpiresAt",
  "#seen": "lastSeenAt",
  "#data": "data",
  "#dk": "dataKey",
} as const;
/** Live: the item exists, and neither the idle nor the absolute expiry has passed. */
const LIVE = "attribute_exists(#pk) AND #exp > :now AND #abs > :now";

interface SessionItem {
  pk: string;
  userId?: string;
  /** JSON, or (encrypted) `v1.<sealed>`. */
  data: string;
  /** Encrypted data key (base64 KMS ciphertext), present when the data is sealed. */
  dataKey?: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  absoluteExpiresAt: number;
}

/**
 * A server-side session store on the DynamoDB table declared by `SessionTable`.
 *
 * - Ids come from `crypto.randomBytes` (256 bits); the table key is their SHA-256, so a copy of
 *   the table (backup, export, PITR restore) does not hand out live session cookies.
 * - Reads are strongly consistent. An item whose expiry has passed is treated as absent at once,
 *   whether or not DynamoDB's TTL (which can lag by a day or more) has deleted it yet.
 * - Every write to an existing session is conditional on the session being live, and destroy
 *   deletes the item, so a destroyed or expired session can never be revived by a late touch or
 *   save racing the destroy. New sessions are only ever created under a fresh CSPRNG id.
 * - Malformed ids are treated as absent without a request to DynamoDB.
 * - Session data is envelope-encrypted under the stack's KMS key (see `./envelope`), sealed to its
 *   item and owner: the table, an export or a restore holds no token in clear.
 * - A session's owner is fixed when it is created: an anonymous session is never upgraded in
 *   place (`SessionFixationError`); sign-in calls `regenerate`, which ends the old id.
 */
export class SessionStore {
  readonly tableName: string;
  readonly idleTimeoutSeconds: number;
  readonly absoluteTimeoutSeconds: number;
  private readonly doc: DynamoDBDocumentClient;
  private readonly maxDataBytes: number;
  private readonly clock: () => number;
  private readonly cipher: SessionCipher | undefined;

  constructor(options: SessionStoreOptions) {
    this.tableName = options.tableName;
    this.idleTimeoutSeconds = positiveInteger(options.idleTimeoutSeconds ?? 1800, "idleTimeoutSeconds");
    this.absoluteTimeoutSeconds = positiveInteger(options.absoluteTimeoutSeconds ?? 43_200, "absoluteTimeoutSeconds");
    if (this.absoluteTimeoutSeconds < this.idleTimeoutSeconds) throw new RangeError("absoluteTimeoutSeconds must be at least idleTimeoutSeconds");
    this.maxDataBytes = positiveInteger(options.maxDataBytes ?? MAX_DATA_BYTES, "maxDataBytes");
    if (this.maxDataBytes > MAX_DATA_BYTES) throw new RangeError(`maxDataBytes must be at most ${MAX_DATA_BYTES} (DynamoDB items are at most 400 KB)`);
    this.clock = options.now ?? Date.now;
    if (options.encryption && options.plaintextData) throw new RangeError("choose encryption or plaintextData, not both");
    if (!options.encryption && options.plaintextData !== true) throw new RangeError("session data holds tokens: give `encryption` (the stack's session KMS key) or, for local tests only, `plaintextData: true`");
    this.cipher = options.encryption ? new SessionCipher(options.encryption, this.tableName, this.clock) : undefined;
    // Every value the store sends is defined (an anonymous item has no userId attribute at all), so the document client's default marshalling serves.
    this.doc = options.client instanceof DynamoDBDocumentClient ? options.client : DynamoDBDocumentClient.from(options.client);
  }

  /** A new session id: 32 bytes from the operating system's CSPRNG, base64url (43 characters). */
  static generateId(): string {
    return randomBytes(32).toString("base64url");
  }

  /** True for strings shaped like the ids `generateId` returns. */
  static isValidId(id: unknown): id is string {
    return typeof id === "string" && SESSION_ID.test(id);
  }

  /** Creates a session under a fresh id. */
  async create<T extends SessionData>(init: { userId?: string; data?: T } = {}): Promise<StoredSession<T>> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const created = await this.insert(SessionStore.generateId(), init);
      if (created) return created;
    }
    // Two collisions of 256-bit random ids do not happen; a table that says so is misbehaving.
    throw new SessionStoreUnavailableError("create a session (id collision reported twice)");
  }

  /**
   * Creates a session under an id the caller minted with `generateId` (express-session mints ids
   * itself). Returns null, writing nothing, when a session with that id already exists.
   */
  async insert<T extends SessionData>(id: string, init: { userId?: string; data?: T } = {}): Promise<StoredSession<T> | null> {
    if (!SessionStore.isValidId(id)) throw new InvalidSessionIdError();
    if (init.userId !== undefined) checkUserId(init.userId);
    const pk = keyOf(id);
    const json = this.serialise(init.data ?? {});
    const stored = await this.seal("create a session", json, pk, init.userId);
    const now = this.nowSeconds();
    const item: SessionItem = {
      pk,
      ...(init.userId !== undefined ? { userId: init.userId } : {}),
      ...stored,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + this.idleTimeoutSeconds,
      absoluteExpiresAt: now + this.absoluteTimeoutSeconds,
    };
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: "attribute_not_exists(#pk)",
          ExpressionAttributeNames: { "#pk": partitionKey },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return null;
      throw storeError("create a session", error);
    }
    return this.describe<T>(id, item, JSON.parse(json) as T);
  }

  /** The live session with this id, or null (unknown, destroyed, expired or malformed id). */
  async get<T extends SessionData = SessionData>(id: unknown): Promise<StoredSession<T> | null> {
    if (!SessionStore.isValidId(id)) return null;
    let item: SessionItem | undefined;
    try {
      const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { [partitionKey]: keyOf(id) }, ConsistentRead: true }));
      item = result.Item as SessionItem | undefined;
    } catch (error) {
      throw storeError("read a session", error);
    }
    return item ? this.toSession<T>(id, item, "read a session") : null;
  }

  /**
   * Sliding expiry: moves the idle expiry to now + idle timeout (never past the absolute expiry,
   * never backwards). Returns the session, or null when it is not live (nothing is written then).
   */
  async touch<T extends SessionData = SessionData>(id: unknown): Promise<StoredSession<T> | null> {
    if (!SessionStore.isValidId(id)) return null;
    const now = this.nowSeconds();
    try {
      const result = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [partitionKey]: keyOf(id) },
          UpdateExpression: "SET #exp = :exp, #seen = :now",
          // `#exp <= :exp`: a touch computed with an earlier clock reading never shortens a session
          // that a concurrent touch has already extended further.
          ConditionExpression: `${LIVE} AND #exp <= :exp`,
          ExpressionAttributeNames: pick(NAMES, "#pk", "#exp", "#abs", "#seen"),
          ExpressionAttributeValues: { ":now": now, ":exp": now + this.idleTimeoutSeconds },
          ReturnValues: "ALL_NEW",
        }),
      );
      return await this.toSession<T>(id, result.Attributes as SessionItem, "touch a session");
    } catch (error) {
      if (!isConditionFailure(error)) throw storeError("touch a session", error);
    }
    // Either the session is gone, or a concurrent touch extended it further: a consistent read tells which.
    return this.get<T>(id);
  }

  /**
   * Replaces the data of a live session and slides its expiry. `userId`, when given, must be the
   * session's owner: it is checked, never set. An anonymous session cannot gain an owner in place
   * (`SessionFixationError`: call `regenerate` at sign-in) and an owned one never changes owner
   * (`SessionUserMismatchError`). Without `userId` the store learns the owner from the item.
   * Returns null, writing nothing, when the session is not live.
   */
  async update<T extends SessionData>(id: unknown, change: { data: T; userId?: string }): Promise<StoredSession<T> | null> {
    if (!SessionStore.isValidId(id)) return null;
    if (change.userId !== undefined) checkUserId(change.userId);
    const json = this.serialise(change.data);
    const first = await this.write<T>(id, json, change.userId);
    if (first !== "condition") return first;
    // The session is gone, or its owner is not the one assumed: a consistent read tells which.
    const current = await this.get(id);
    if (!current) return null;
    if (change.userId === undefined) {
      // The caller did not name the owner: write again for the owner the item has (fixed for life).
      if (current.userId === undefined) return null;
      const second = await this.write<T>(id, json, current.userId);
      return second === "condition" ? null : second;
    }
    if (current.userId === undefined) throw new SessionFixationError();
    if (current.userId !== change.userId) throw new SessionUserMismatchError();
    return null;
  }

  /**
   * Sign-in (and any change of privilege): ends the session under `oldId`, if any, and creates a
   * new one under a fresh id with `init`. The old id, which may have been planted by an attacker
   * (session fixation), never becomes a signed-in session. Returns the new session.
   */
  async regenerate<T extends SessionData>(oldId: unknown, init: { userId?: string; data?: T } = {}): Promise<StoredSession<T>> {
    if (init.userId !== undefined) checkUserId(init.userId);
    await this.destroy(oldId);
    return this.create<T>(init);
  }

  /** One conditional update: data sealed for `owner`, live and owned by exactly `owner` (or anonymous). */
  private async write<T extends SessionData>(id: string, json: string, owner: string | undefined): Promise<StoredSession<T> | null | "condition"> {
    const pk = keyOf(id);
    const stored = await this.seal("save a session", json, pk, owner);
    const now = this.nowSeconds();
    const values: Record<string, unknown> = { ":now": now, ":exp": now + this.idleTimeoutSeconds, ":data": stored.data };
    let set = "SET #data = :data, #exp = :exp, #seen = :now";
    if (stored.dataKey !== undefined) {
      set += ", #dk = :dk";
      values[":dk"] = stored.dataKey;
    }
    let condition = `${LIVE} AND attribute_not_exists(#uid)`;
    if (owner !== undefined) {
      condition = `${LIVE} AND #uid = :uid`;
      values[":uid"] = owner;
    }
    try {
      const result = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [partitionKey]: pk },
          UpdateExpression: set,
          ConditionExpression: condition,
          ExpressionAttributeNames: stored.dataKey !== undefined ? { ...NAMES } : pick(NAMES, "#pk", "#uid", "#exp", "#abs", "#seen", "#data"),
          ExpressionAttributeValues: values,
          ReturnValues: "ALL_NEW",
        }),
      );
      const item = result.Attributes as SessionItem;
      return this.describe<T>(id, item, JSON.parse(json) as T);
    } catch (error) {
      if (isConditionFailure(error)) return "condition";
      throw storeError("save a session", error);
    }
  }

  /** Destroys a session. True when an item was deleted. Idempotent; a destroyed session stays destroyed. */
  async destroy(id: unknown): Promise<boolean> {
    if (!SessionStore.isValidId(id)) return false;
    try {
      const result = await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { [partitionKey]: keyOf(id) }, ReturnValues: "ALL_OLD" }));
      return result.Attributes !== undefined;
    } catch (error) {
      throw storeError("destroy a session", error);
    }
  }

  /**
   * Destroys every session of a user (sign-out everywhere, password change, account lock). Reads
   * the sparse `byUser` index, which is eventually consistent: a session created in the same
   * instant may be missed. Returns how many sessions were deleted.
   */
  async destroyAllForUser(userId: string): Promise<number> {
    checkUserId(userId);
    let deleted = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      let page;
      try {
        page = await this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: userIndexName,
            KeyConditionExpression: "#uid = :uid",
            ExpressionAttributeNames: { "#uid": userIdAttribute },
            ExpressionAttributeValues: { ":uid": userId },
            ExclusiveStartKey: startKey,
          }),
        );
      } catch (error) {
        throw storeError("list a user's sessions", error);
      }
      const keys = (page.Items ?? []).map((item) => item[partitionKey] as string);
      // Stryker disable next-line EqualityOperator: at i === keys.length the slice is empty, and deleteKeys sends nothing for no keys.
      for (let i = 0; i < keys.length; i += BATCH_SIZE) {
        await this.deleteKeys(keys.slice(i, i + BATCH_SIZE));
      }
      deleted += keys.length;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return deleted;
  }

  /** Unconditional batch delete (a delete cannot revive anything), retrying unprocessed keys with backoff. */
  private async deleteKeys(keys: string[]): Promise<void> {
    let requests = keys.map((pk) => ({ DeleteRequest: { Key: { [partitionKey]: pk } } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt === BATCH_RETRIES) throw new SessionStoreThrottledError();
      if (attempt > 0) await sleep(25 * 2 ** attempt);
      try {
        const result = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
        requests = (result.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
      } catch (error) {
        throw storeError("destroy a user's sessions", error);
      }
    }
  }

  private nowSeconds(): number {
    return Math.floor(this.clock() / 1000);
  }

  /** JSON of a plain object (no class instances such as Date or Map, whose JSON is not an object), within the size limit. */
  private serialise(data: unknown): string {
    if (typeof data !== "object" || data === null || Array.isArray(data)) throw new InvalidSessionDataError("it must be a plain object");
    const proto: unknown = Object.getPrototypeOf(data);
    if (proto !== Object.prototype && proto !== null) throw new InvalidSessionDataError("it must be a plain object");
    let json: unknown;
    try {
      json = JSON.stringify(data);
    } catch (error) {
      throw new InvalidSessionDataError("it is not JSON-serialisable", { cause: error });
    }
    // A toJSON() can turn the object into anything (undefined, a string, an array).
    if (typeof json !== "string" || !json.startsWith("{")) throw new InvalidSessionDataError("its JSON is not an object");
    const bytes = Buffer.byteLength(json);
    if (bytes > this.maxDataBytes) throw new SessionTooLargeError(bytes, this.maxDataBytes);
    return json;
  }

  /** The stored form of the data: sealed to the item and owner, or plain JSON in plaintext mode. */
  private async seal(operation: string, json: string, pk: string, owner: string | undefined): Promise<{ data: string; dataKey?: string }> {
    if (!this.cipher) return { data: json };
    try {
      return await this.cipher.seal(json, itemAad(this.tableName, pk, owner));
    } catch (error) {
      throw storeError(operation, error);
    }
  }

  /** The session an item describes, or null when it is not live, not well-formed, or its data does not open here. */
  private async toSession<T extends SessionData>(id: string, item: SessionItem, operation: string): Promise<StoredSession<T> | null> {
    if (!this.isLive(item)) return null;
    let json: string | undefined;
    if (this.cipher) {
      try {
        json = await this.cipher.open(item, itemAad(this.tableName, item.pk, typeof item.userId === "string" ? item.userId : undefined));
      } catch (error) {
        throw storeError(operation, error);
      }
    } else {
      // Stryker disable next-line ConditionalExpression: JSON.parse of a stored number or boolean gives a non-object and of a map a syntax error, both answered null below as a missing string is.
      json = item.dataKey === undefined && typeof item.data === "string" ? item.data : undefined;
    }
    // Stryker disable next-line ConditionalExpression: JSON.parse(undefined) throws as well, and the catch below answers null too.
    if (json === undefined) return null;
    let data: T;
    try {
      data = JSON.parse(json) as T;
    } catch {
      return null;
    }
    if (typeof data !== "object" || data === null || Array.isArray(data)) return null;
    return this.describe(id, item, data);
  }

  private isLive(item: SessionItem): boolean {
    const now = this.nowSeconds();
    const { createdAt, lastSeenAt, expiresAt, absoluteExpiresAt } = item;
    // Number.isFinite is false for anything that is not a number (a string "5" included).
    if (![createdAt, lastSeenAt, expiresAt, absoluteExpiresAt].every((n) => Number.isFinite(n))) return false;
    return expiresAt > now && absoluteExpiresAt > now;
  }

  private describe<T extends SessionData>(id: string, item: SessionItem, data: T): StoredSession<T> {
    return {
      id,
      ...(typeof item.userId === "string" ? { userId: item.userId } : {}),
      data,
      createdAt: item.createdAt,
      lastSeenAt: item.lastSeenAt,
      expiresAt: Math.min(item.expiresAt, item.absoluteExpiresAt),
      absoluteExpiresAt: item.absoluteExpiresAt,
    };
  }
}

/**
 * A DynamoDB client with the project's time limits (functions/shared/clientLimits.ts): a stalled
 * table ends in `SessionStoreUnavailableError` within maxAttempts × (connection + request timeout)
 * plus back-off, instead of holding the page for ever.
 */
export function createDynamoClient(config: DynamoDBClientConfig = {}, limits: ClientLimits = CLIENT_LIMITS.dynamodb): DynamoDBClient {
  return boundedClient(DynamoDBClient, config, limits);
}

/** The table key of a session id: base64url SHA-256 (43 characters). */
export function keyOf(id: string): string {
  return createHash("sha256").update(id).digest("base64url");
}

function checkUserId(userId: unknown): asserts userId is string {
  if (typeof userId !== "string" || userId.length === 0 || userId.length > 256 || CONTROL_CHARS.test(userId)) throw new InvalidUserIdError();
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive whole number of seconds or bytes`);
  return value;
}

function isConditionFailure(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === "ConditionalCheckFailedException";
}

const THROTTLING = new Set(["ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"]);

function storeError(operation: string, error: unknown): SessionStoreError {
  if (error instanceof SessionStoreError) return error;
  // Only the table's own throttling is STORE_THROTTLED. A KMS failure (an EnvelopeKmsError, KMS throttling included) means the data
  // cannot be sealed or opened now: unavailable, not "retry the table".
  if (THROTTLING.has(String((error as { name?: unknown } | null)?.name))) return new SessionStoreThrottledError({ cause: error });
  return new SessionStoreUnavailableError(operation, { cause: error });
}

function pick<T extends Record<string, string>, K extends keyof T>(source: T, ...keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, source[k]])) as Pick<T, K>;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
