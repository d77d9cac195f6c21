import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import {
  InvalidSessionDataError,
  InvalidSessionIdError,
  InvalidUserIdError,
  SessionFixationError,
  SessionStoreError,
  SessionStoreThrottledError,
  SessionStoreUnavailableError,
  SessionTooLargeError,
  SessionUserMismatchError,
} from "../../../functions/sessions/errors";
import { SessionStore, type SessionStoreOptions } from "../../../functions/sessions/store";
import { FakeKms } from "../../support/fakeKms";

/**
 * What the session store sends to DynamoDB and how it reads the answers, request by request, with
 * the table answered in-process (aws-sdk-client-mock on one document client). The behaviour against
 * a real table is in store.spec.ts (dynalite); here each request's exact shape, each limit at its
 * boundary and each answer DynamoDB may give is pinned.
 */
describe("session store requests and answers (in-process DynamoDB mock)", function () {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: "eu-west-2", credentials: { accessKeyId: "t", secretAccessKey: "t" } }));
  const mock = mockClient(doc);
  const IDLE = 600;
  const ABSOLUTE = 7200;
  /** 999 ms past a whole second: times are whole epoch seconds, rounded down. */
  const T0 = Date.UTC(2030, 0, 1, 9, 0, 0) + 999;
  const NOW = Math.floor(T0 / 1000);
  let nowMs = T0;
  const options = (extra: Partial<SessionStoreOptions> = {}): SessionStoreOptions => ({
    client: doc,
    tableName: "sessions",
    plaintextData: true,
    idleTimeoutSeconds: IDLE,
    absoluteTimeoutSeconds: ABSOLUTE,
    now: () => nowMs,
    ...extra,
  });
  const store = new SessionStore(options());
  const named = (name: string) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: 400 } });
  const conditionFailed = () => named("ConditionalCheckFailedException");
  /** The table key as the table's readers see it: base64url SHA-256 of the id. */
  const sha = (id: string) => createHash("sha256").update(id).digest("base64url");
  const LIVE = "attribute_exists(#pk) AND #exp > :now AND #abs > :now";
  /** A live plaintext item as the store writes it. */
  const item = (id: string, extra: Record<string, unknown> = {}) => ({
    pk: sha(id),
    data: JSON.stringify({ a: 1 }),
    createdAt: NOW - 100,
    lastSeenAt: NOW - 10,
    expiresAt: NOW + 50,
    absoluteExpiresAt: NOW + 5000,
    ...extra,
  });
  const inputs = <C extends typeof GetCommand | typeof PutCommand | typeof UpdateCommand | typeof DeleteCommand | typeof QueryCommand | typeof BatchWriteCommand>(command: C) =>
    mock.commandCalls(command as never).map((c) => (c.args[0] as { input: Record<string, any> }).input);
  const sent = () => mock.calls().length;

  beforeEach(() => {
    mock.reset();
    nowMs = T0;
  });
  after(() => mock.restore());

  describe("session ids", function () {
    it("accepts exactly 43 base64url characters, every letter, digit, '-' and '_' included, and nothing else", function () {
      const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
      for (const start of [0, 21, 42, 63]) {
        const id = (alphabet + alphabet).slice(start, start + 43);
        assert.equal(SessionStore.isValidId(id), true, id);
      }
      const good = SessionStore.generateId();
      assert.equal(good.length, 43);
      assert.equal(SessionStore.isValidId(good), true);
      for (const bad of [
        good.slice(1),
        `${good}a`,
        `.${good.slice(1)}`,
        `${good.slice(0, 42)}=`,
        `${good.slice(0, 20)}+${good.slice(21)}`,
        `${good.slice(0, 42)}/`,
        ` ${good}`,
        `${good}\n`,
      ]) {
        assert.equal(SessionStore.isValidId(bad), false, JSON.stringify(bad));
      }
      assert.equal(SessionStore.isValidId([good]), false, "an array whose string form is an id is not an id");
      assert.equal(SessionStore.isValidId({ toString: () => good }), false);
    });

    it("mints ids from 32 random bytes (base64url), a new one each time", function () {
      const ids = new Set(Array.from({ length: 50 }, () => SessionStore.generateId()));
      assert.equal(ids.size, 50);
      for (const id of ids) assert.equal(Buffer.from(id, "base64url").length, 32);
    });

    it("refuses to insert under an id it did not mint, sending nothing", async function () {
      await assert.rejects(store.insert("not-an-id"), InvalidSessionIdError);
      await assert.rejects(store.insert(`${SessionStore.generateId()}x`), InvalidSessionIdError);
      assert.equal(sent(), 0);
    });

    it("answers a malformed id as absent without a request: get, touch and update null, destroy false", async function () {
      for (const id of [undefined, "short", ["x".repeat(43)]]) {
        assert.equal(await store.get(id), null);
        assert.equal(await store.touch(id), null);
        assert.equal(await store.update(id, { data: {} }), null);
        assert.equal(await store.destroy(id), false);
      }
      assert.equal(sent(), 0);
    });
  });

  describe("create", function () {
    it("puts one item, only if the key is new: SHA-256 key, owner, data, whole-second times, idle expiry as the TTL attribute", async function () {
      mock.on(PutCommand).resolves({});
      const created = await store.create({ userId: "user-1", data: { cart: ["lesson-1"] } });
      const [put] = inputs(PutCommand);
      assert.deepEqual(put, {
        TableName: "sessions",
        Item: {
          pk: sha(created.id),
          userId: "user-1",
          data: JSON.stringify({ cart: ["lesson-1"] }),
          createdAt: NOW,
          lastSeenAt: NOW,
          expiresAt: NOW + IDLE,
          absoluteExpiresAt: NOW + ABSOLUTE,
        },
        ConditionExpression: "attribute_not_exists(#pk)",
        ExpressionAttributeNames: { "#pk": "pk" },
      });
      assert.deepEqual(created, {
        id: created.id,
        userId: "user-1",
        data: { cart: ["lesson-1"] },
        createdAt: NOW,
        lastSeenAt: NOW,
        expiresAt: NOW + IDLE,
        absoluteExpiresAt: NOW + ABSOLUTE,
      });
    });

    it("writes no owner attribute for an anonymous session (the user index is sparse) and empty data when none is given", async function () {
      mock.on(PutCommand).resolves({});
      const created = await store.create();
      const [put] = inputs(PutCommand);
      assert.ok(!("userId" in put.Item), "an anonymous item has no userId attribute");
      assert.equal(put.Item.data, "{}");
      assert.ok(!("userId" in created));
      assert.deepEqual(created.data, {});
      const id = SessionStore.generateId();
      assert.deepEqual((await store.insert(id))?.data, {});
      assert.equal(inputs(PutCommand)[1].Item.pk, sha(id));
    });

    it("defaults to a 30-minute idle timeout, a 12-hour lifetime and the system clock", async function () {
      mock.on(PutCommand).resolves({});
      const plain = new SessionStore({ client: doc, tableName: "sessions", plaintextData: true });
      assert.deepEqual([plain.idleTimeoutSeconds, plain.absoluteTimeoutSeconds, plain.tableName], [1800, 43_200, "sessions"]);
      const before = Math.floor(Date.now() / 1000);
      const created = await plain.create();
      const after = Math.floor(Date.now() / 1000);
      assert.ok(created.createdAt >= before && created.createdAt <= after, `createdAt ${created.createdAt} is now`);
      assert.equal(created.expiresAt, created.createdAt + 1800);
      assert.equal(created.absoluteExpiresAt, created.createdAt + 43_200);
    });

    it("insert answers null when the id exists (nothing overwritten); create then retries once under a fresh id", async function () {
      mock.on(PutCommand).rejectsOnce(conditionFailed()).resolves({});
      const id = SessionStore.generateId();
      assert.equal(await store.insert(id, { data: { a: 1 } }), null);
      const created = await store.create({ data: { b: 2 } });
      const puts = inputs(PutCommand);
      assert.equal(puts.length, 2);
      assert.equal(puts[1].Item.pk, sha(created.id));
      assert.notEqual(created.id, id);
    });

    it("reports a failed Put as STORE_UNAVAILABLE naming the operation, or STORE_THROTTLED when throttled", async function () {
      mock.on(PutCommand).rejects(named("InternalServerError"));
      await assert.rejects(store.create(), (e: unknown) => e instanceof SessionStoreUnavailableError && e.message === "the session table could not create a session");
      const throttled = named("ThrottlingException");
      mock.on(PutCommand).rejects(throttled);
      await assert.rejects(store.insert(SessionStore.generateId()), (e: unknown) => e instanceof SessionStoreThrottledError && e.cause === throttled);
    });
  });

  describe("reading", function () {
    it("reads strongly consistently by the SHA-256 key and returns the session, its expiry the earlier of idle and absolute", async function () {
      const id = SessionStore.generateId();
      mock.on(GetCommand).resolves({ Item: item(id, { userId: "user-1" }) });
      assert.deepEqual(await store.get(id), {
        id,
        userId: "user-1",
        data: { a: 1 },
        createdAt: NOW - 100,
        lastSeenAt: NOW - 10,
        expiresAt: NOW + 50,
        absoluteExpiresAt: NOW + 5000,
      });
      assert.deepEqual(inputs(GetCommand), [{ TableName: "sessions", Key: { pk: sha(id) }, ConsistentRead: true }]);
      mock.on(GetCommand).resolves({ Item: item(id, { expiresAt: NOW + 900, absoluteExpiresAt: NOW + 30 }) });
      assert.equal((await store.get(id))?.expiresAt, NOW + 30, "capped at the absolute expiry");
    });

    it("treats a session as gone at the second its idle or its absolute expiry is reached, whatever the other says", async function () {
      const id = SessionStore.generateId();
      const at = async (extra: Record<string, unknown>) => {
        mock.on(GetCommand).resolves({ Item: item(id, extra) });
        return store.get(id);
      };
      assert.ok(await at({ expiresAt: NOW + 1 }), "live one second before the idle expiry");
      assert.equal(await at({ expiresAt: NOW }), null, "gone at the idle expiry");
      assert.ok(await at({ absoluteExpiresAt: NOW + 1 }), "live one second before the absolute expiry");
      assert.equal(await at({ absoluteExpiresAt: NOW }), null, "gone at the absolute expiry");
      assert.equal(await at({ expiresAt: NOW - 1, absoluteExpiresAt: NOW + 5000 }), null, "idle expiry passed, lifetime left");
      assert.equal(await at({ expiresAt: NOW + 50, absoluteExpiresAt: NOW - 1 }), null, "lifetime over, idle time left");
    });

    it("treats an item with any time missing or not a finite number as absent", async function () {
      const id = SessionStore.generateId();
      for (const field of ["createdAt", "lastSeenAt", "expiresAt", "absoluteExpiresAt"]) {
        for (const value of [undefined, String(NOW + 50), Number.NaN, Number.POSITIVE_INFINITY]) {
          mock.on(GetCommand).resolves({ Item: item(id, { [field]: value }) });
          assert.equal(await store.get(id), null, `${field}: ${String(value)}`);
        }
      }
    });

    it("treats stored data that is not a JSON object as absent (null, an array, a number, a string, broken JSON)", async function () {
      const id = SessionStore.generateId();
      for (const data of ["null", "[1]", "5", '"text"', "{broken", 7]) {
        mock.on(GetCommand).resolves({ Item: item(id, { data }) });
        assert.equal(await store.get(id), null, String(data));
      }
    });

    it("in plaintext mode does not read a sealed item (one with a data key) as plain JSON", async function () {
      const id = SessionStore.generateId();
      mock.on(GetCommand).resolves({ Item: item(id, { dataKey: "a2V5" }) });
      assert.equal(await store.get(id), null);
    });

    it("does not take an owner attribute that is not a string (no store writes one) for an owner", async function () {
      const id = SessionStore.generateId();
      mock.on(GetCommand).resolves({ Item: item(id, { userId: 42 }) });
      const found = await store.get(id);
      assert.ok(found && !("userId" in found));
    });

    it("returns null for an id the table does not know, and reports a failed read naming it", async function () {
      mock.on(GetCommand).resolves({});
      assert.equal(await store.get(SessionStore.generateId()), null);
      mock.on(GetCommand).rejects(named("InternalServerError"));
      await assert.rejects(
        store.get(SessionStore.generateId()),
        (e: unknown) => e instanceof SessionStoreUnavailableError && e.message === "the session table could not read a session",
      );
    });

    it("reports a failure that carries no error object as STORE_UNAVAILABLE too", async function () {
      mock.on(GetCommand).callsFake(() => Promise.reject(null));
      mock.on(UpdateCommand).callsFake(() => Promise.reject(undefined));
      await assert.rejects(store.get(SessionStore.generateId()), (e: unknown) => e instanceof SessionStoreUnavailableError && e.code === "STORE_UNAVAILABLE");
      await assert.rejects(
        store.touch(SessionStore.generateId()),
        (e: unknown) => e instanceof SessionStoreUnavailableError && e.message === "the session table could not touch a session",
      );
    });
  });

  describe("touch", function () {
    it("slides the idle expiry with one conditional update: live, and never moving the expiry backwards", async function () {
      const id = SessionStore.generateId();
      mock.on(UpdateCommand).resolves({ Attributes: item(id, { lastSeenAt: NOW, expiresAt: NOW + IDLE }) });
      const touched = await store.touch(id);
      assert.deepEqual(inputs(UpdateCommand), [
        {
          TableName: "sessions",
          Key: { pk: sha(id) },
          UpdateExpression: "SET #exp = :exp, #seen = :now",
          ConditionExpression: `${LIVE} AND #exp <= :exp`,
          ExpressionAttributeNames: { "#pk": "pk", "#exp": "expiresAt", "#abs": "absoluteExpiresAt", "#seen": "lastSeenAt" },
          ExpressionAttributeValues: { ":now": NOW, ":exp": NOW + IDLE },
          ReturnValues: "ALL_NEW",
        },
      ]);
      assert.deepEqual(touched, { id, data: { a: 1 }, createdAt: NOW - 100, lastSeenAt: NOW, expiresAt: NOW + IDLE, absoluteExpiresAt: NOW + 5000 });
      assert.equal(inputs(GetCommand).length, 0, "a touch that succeeded reads nothing");
    });

    it("when the condition fails, reads the session: a concurrent touch that went further is the answer, a gone session is null", async function () {
      const id = SessionStore.generateId();
      mock.on(UpdateCommand).rejects(conditionFailed());
      mock.on(GetCommand).resolves({ Item: item(id, { expiresAt: NOW + IDLE + 5 }) });
      assert.equal((await store.touch(id))?.expiresAt, NOW + IDLE + 5);
      assert.deepEqual(inputs(GetCommand)[0], { TableName: "sessions", Key: { pk: sha(id) }, ConsistentRead: true });
      mock.on(GetCommand).resolves({});
      assert.equal(await store.touch(id), null);
    });

    it("reports a failed touch naming it, without falling back to a read", async function () {
      mock.on(UpdateCommand).rejects(named("InternalServerError"));
      mock.on(GetCommand).resolves({});
      await assert.rejects(
        store.touch(SessionStore.generateId()),
        (e: unknown) => e instanceof SessionStoreUnavailableError && e.message === "the session table could not touch a session",
      );
      assert.equal(inputs(GetCommand).length, 0);
    });
  });

  describe("update", function () {
    it("saves an anonymous session only while it is live and still anonymous, sliding its expiry", async function () {
      const id = SessionStore.generateId();
      mock.on(UpdateCommand).resolves({ Attributes: item(id, { data: '{"step":2}', lastSeenAt: NOW, expiresAt: NOW + IDLE }) });
      const saved = await store.update(id, { data: { step: 2 } });
      assert.deepEqual(inputs(UpdateCommand), [
        {
          TableName: "sessions",
          Key: { pk: sha(id) },
          UpdateExpression: "SET #data = :data, #exp = :exp, #seen = :now",
          ConditionExpression: `${LIVE} AND attribute_not_exists(#uid)`,
          ExpressionAttributeNames: { "#pk": "pk", "#uid": "userId", "#exp": "expiresAt", "#abs": "absoluteExpiresAt", "#seen": "lastSeenAt", "#data": "data" },
          ExpressionAttributeValues: { ":now": NOW, ":exp": NOW + IDLE, ":data": '{"step":2}' },
          ReturnValues: "ALL_NEW",
        },
      ]);
      assert.deepEqual(saved, { id, data: { step: 2 }, createdAt: NOW - 100, lastSeenAt: NOW, expiresAt: NOW + IDLE, absoluteExpiresAt: NOW + 5000 });
      assert.equal(inputs(GetCommand).length, 0, "a save that succeeded reads nothing");
    });

    it("saves an owned session only for its owner (#uid = :uid) and returns it with the owner", async function () {
      const id = SessionStore.generateId();
      mock.on(UpdateCommand).resolves({ Attributes: item(id, { userId: "user-1" }) });
      const saved = await store.update(id, { data: { a: 1 }, userId: "user-1" });
      const [update] = inputs(UpdateCommand);
      assert.equal(update.ConditionExpression, `${LIVE} AND #uid = :uid`);
      assert.deepEqual(update.ExpressionAttributeValues, { ":now": NOW, ":exp": NOW + IDLE, ":data": '{"a":1}', ":uid": "user-1" });
      assert.equal(saved?.userId, "user-1");
    });

    it("without a named owner, learns it from the item and writes once more for that owner", async function () {
      const id = SessionStore.generateId();
      mock
        .on(UpdateCommand)
        .rejectsOnce(conditionFailed())
        .resolves({ Attributes: item(id, { userId: "user-1" }) });
      mock.on(GetCommand).resolves({ Item: item(id, { userId: "user-1" }) });
      const saved = await store.update(id, { data: { b: 2 } });
      const updates = inputs(UpdateCommand);
      assert.equal(updates.length, 2);
      assert.match(updates[0].ConditionExpression, /attribute_not_exists\(#uid\)$/);
      assert.equal(updates[1].ConditionExpression, `${LIVE} AND #uid = :uid`);
      assert.equal(updates[1].ExpressionAttributeValues[":uid"], "user-1");
      assert.deepEqual([saved?.userId, saved?.data], ["user-1", { b: 2 }]);
    });

    it("answers null, with no further write, when the session is gone or the second write misses too", async function () {
      const id = SessionStore.generateId();
      mock.on(UpdateCommand).rejects(conditionFailed());
      mock.on(GetCommand).resolves({});
      assert.equal(await store.update(id, { data: {} }), null, "gone");
      assert.equal(inputs(UpdateCommand).length, 1);
      mock.on(GetCommand).resolves({ Item: item(id) });
      assert.equal(await store.update(id, { data: {} }), null, "still anonymous: the write lost a race; nothing is written again");
      assert.equal(inputs(UpdateCommand).length, 2);
      mock.on(GetCommand).resolves({ Item: item(id, { userId: "user-1" }) });
      assert.equal(await store.update(id, { data: {} }), null, "the owner's write missed as well");
      assert.equal(inputs(UpdateCommand).length, 4);
    });

    it("refuses to give an anonymous session an owner (fixation) or an owned one another owner; its own owner's miss is null", async function () {
      const id = SessionStore.generateId();
      mock.on(UpdateCommand).rejects(conditionFailed());
      mock.on(GetCommand).resolves({ Item: item(id) });
      await assert.rejects(store.update(id, { data: {}, userId: "user-1" }), (e: unknown) => e instanceof SessionFixationError && e.code === "SESSION_FIXATION");
      mock.on(GetCommand).resolves({ Item: item(id, { userId: "user-2" }) });
      await assert.rejects(store.update(id, { data: {}, userId: "user-1" }), (e: unknown) => e instanceof SessionUserMismatchError && e.code === "SESSION_USER_MISMATCH");
      mock.on(GetCommand).resolves({ Item: item(id, { userId: "user-1" }) });
      assert.equal(await store.update(id, { data: {}, userId: "user-1" }), null);
      assert.equal(inputs(UpdateCommand).length, 3, "one write each, never a second");
    });

    it("checks the named owner and the data before writing anything", async function () {
      const id = SessionStore.generateId();
      await assert.rejects(store.update(id, { data: {}, userId: "" }), InvalidUserIdError);
      await assert.rejects(store.update(id, { data: null as never }), InvalidSessionDataError);
      assert.equal(sent(), 0);
    });

    it("reports a failed save naming it", async function () {
      mock.on(UpdateCommand).rejects(named("InternalServerError"));
      await assert.rejects(
        store.update(SessionStore.generateId(), { data: {} }),
        (e: unknown) => e instanceof SessionStoreUnavailableError && e.message === "the session table could not save a session",
      );
    });
  });

  describe("destroy and regenerate", function () {
    it("deletes by key, returning the old item to tell whether a session was there", async function () {
      const id = SessionStore.generateId();
      mock
        .on(DeleteCommand)
        .resolvesOnce({ Attributes: item(id) })
        .resolves({});
      assert.equal(await store.destroy(id), true);
      assert.equal(await store.destroy(id), false, "already gone");
      assert.deepEqual(inputs(DeleteCommand)[0], { TableName: "sessions", Key: { pk: sha(id) }, ReturnValues: "ALL_OLD" });
      mock.on(DeleteCommand).rejects(named("InternalServerError"));
      await assert.rejects(store.destroy(id), (e: unknown) => e instanceof SessionStoreUnavailableError && e.message === "the session table could not destroy a session");
    });

    it("regenerate deletes the old id, then creates the new session under a fresh id", async function () {
      const oldId = SessionStore.generateId();
      mock.on(DeleteCommand).resolves({ Attributes: item(oldId) });
      mock.on(PutCommand).resolves({});
      const fresh = await store.regenerate(oldId, { userId: "user-1", data: { signedIn: true } });
      assert.deepEqual(
        inputs(DeleteCommand).map((d) => d.Key),
        [{ pk: sha(oldId) }],
      );
      const [put] = inputs(PutCommand);
      assert.notEqual(fresh.id, oldId);
      assert.deepEqual([put.Item.pk, put.Item.userId, fresh.userId, fresh.data], [sha(fresh.id), "user-1", "user-1", { signedIn: true }]);
      const anonymous = await store.regenerate(undefined);
      assert.deepEqual([anonymous.data, "userId" in anonymous], [{}, false]);
      assert.equal(inputs(DeleteCommand).length, 1, "no old id, nothing to delete");
    });

    it("regenerate checks the new owner before ending the old session", async function () {
      await assert.rejects(store.regenerate(SessionStore.generateId(), { userId: "bad\nuser" }), InvalidUserIdError);
      assert.equal(sent(), 0, "the old session is kept when the new one cannot be created");
    });
  });

  describe("destroy every session of a user", function () {
    it("queries the byUser index for the user and deletes each key found", async function () {
      mock.on(QueryCommand).resolves({ Items: [{ pk: "k1" }, { pk: "k2" }] });
      mock.on(BatchWriteCommand).resolves({});
      assert.equal(await store.destroyAllForUser("user-1"), 2);
      assert.deepEqual(inputs(QueryCommand), [
        {
          TableName: "sessions",
          IndexName: "byUser",
          KeyConditionExpression: "#uid = :uid",
          ExpressionAttributeNames: { "#uid": "userId" },
          ExpressionAttributeValues: { ":uid": "user-1" },
          ExclusiveStartKey: undefined,
        },
      ]);
      assert.deepEqual(inputs(BatchWriteCommand), [{ RequestItems: { sessions: [{ DeleteRequest: { Key: { pk: "k1" } } }, { DeleteRequest: { Key: { pk: "k2" } } }] } }]);
    });

    it("answers 0 for a user without sessions (a page without Items), deleting nothing", async function () {
      mock.on(QueryCommand).resolves({});
      assert.equal(await store.destroyAllForUser("user-1"), 0);
      assert.equal(inputs(BatchWriteCommand).length, 0);
    });

    it("backs off 50, 100, 200, 400 and 800 ms between retries of unprocessed deletes (none before the first try)", async function () {
      mock.on(QueryCommand).resolves({ Items: [{ pk: "k1" }] });
      mock.on(BatchWriteCommand).resolves({ UnprocessedItems: { sessions: [{ DeleteRequest: { Key: { pk: "k1" } } }] } });
      const delays: number[] = [];
      const realSetTimeout = globalThis.setTimeout;
      globalThis.setTimeout = ((fn: () => void, ms?: number) => {
        delays.push(ms ?? 0);
        return realSetTimeout(fn, 0);
      }) as typeof setTimeout;
      try {
        await assert.rejects(store.destroyAllForUser("user-1"), (e: unknown) => e instanceof SessionStoreThrottledError && e.code === "STORE_THROTTLED");
      } finally {
        globalThis.setTimeout = realSetTimeout;
      }
      assert.deepEqual(delays, [50, 100, 200, 400, 800]);
      assert.equal(inputs(BatchWriteCommand).length, 6);
    });

    it("takes user ids of 1-256 characters only", async function () {
      for (const userId of ["", "x".repeat(257), 42 as unknown as string]) await assert.rejects(store.destroyAllForUser(userId), InvalidUserIdError);
      assert.equal(sent(), 0);
    });
  });

  describe("input limits", function () {
    it("takes user ids of 1 to 256 characters, refusing control characters (C0, DEL, C1) only", async function () {
      mock.on(PutCommand).resolves({});
      for (const userId of ["u", "x".repeat(256), "user 1", "~tilde", "caf\u00e9", "nbsp\u00a0", "\u0020"]) {
        assert.equal((await store.create({ userId })).userId, userId, JSON.stringify(userId));
      }
      const accepted = inputs(PutCommand).length;
      for (const userId of ["", "x".repeat(257), "a\u0000", "a\u001f", "a\u007f", "a\u0080", "a\u009f", "\tuser", 42 as unknown as string]) {
        await assert.rejects(store.create({ userId }), (e: unknown) => e instanceof InvalidUserIdError && e.code === "INVALID_USER_ID", JSON.stringify(userId));
      }
      assert.equal(inputs(PutCommand).length, accepted, "a refused user id sends nothing");
    });

    it("accepts data up to maxDataBytes UTF-8 bytes of JSON and refuses one byte more, saying both sizes", async function () {
      mock.on(PutCommand).resolves({});
      mock.on(UpdateCommand).resolves({ Attributes: item("x") });
      const small = new SessionStore(options({ maxDataBytes: 20 }));
      // {"a":"……"}: 8 bytes of JSON around six two-byte characters = 20 bytes (14 characters).
      assert.ok(await small.create({ data: { a: "\u00e9".repeat(6) } }));
      await assert.rejects(small.create({ data: { a: "\u00e9".repeat(6) + "x" } }), (e: unknown) => {
        assert.ok(e instanceof SessionTooLargeError);
        assert.deepEqual([e.code, e.bytes, e.limitBytes, e.message], ["SESSION_TOO_LARGE", 21, 20, "session data is 21 bytes; the limit is 20"]);
        return true;
      });
      await assert.rejects(small.update(SessionStore.generateId(), { data: { a: "x".repeat(20) } }), SessionTooLargeError);
      assert.equal(inputs(PutCommand).length, 1);
      assert.equal(inputs(UpdateCommand).length, 0);
    });

    it("takes plain objects only, saying why anything else cannot be stored", async function () {
      const refusal = (reason: string) => (e: unknown) =>
        e instanceof InvalidSessionDataError && e.code === "INVALID_SESSION_DATA" && e.message === `session data cannot be stored: ${reason}`;
      // (create takes a missing or null `data` as empty; update must be given the data.)
      for (const data of [undefined, null, [], "text", 42, () => ({}), new (class Cart {})(), new Date(T0)]) {
        await assert.rejects(store.update(SessionStore.generateId(), { data: data as never }), refusal("it must be a plain object"), String(data));
      }
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      await assert.rejects(store.create({ data: cyclic }), (e: unknown) => refusal("it is not JSON-serialisable")(e) && (e as Error).cause instanceof TypeError);
      for (const toJSON of [() => undefined, () => "text", () => [1], () => 5]) {
        await assert.rejects(store.create({ data: { toJSON } }), refusal("its JSON is not an object"));
      }
      assert.equal(sent(), 0);
      mock.on(PutCommand).resolves({});
      assert.deepEqual((await store.create({ data: Object.assign(Object.create(null), { a: 1 }) })).data, { a: 1 }, "a null-prototype object is plain");
    });

    it("refuses settings it cannot honour, saying which", function () {
      const refuses = (extra: Partial<SessionStoreOptions>, message: string | RegExp) =>
        assert.throws(
          () => new SessionStore(options(extra)),
          (e: unknown) => e instanceof RangeError && (typeof message === "string" ? e.message === message : message.test(e.message)),
        );
      for (const value of [0, -1, 1.5, Number.NaN]) {
        refuses({ idleTimeoutSeconds: value }, "idleTimeoutSeconds must be a positive whole number of seconds or bytes");
        refuses({ absoluteTimeoutSeconds: value }, "absoluteTimeoutSeconds must be a positive whole number of seconds or bytes");
        refuses({ maxDataBytes: value }, "maxDataBytes must be a positive whole number of seconds or bytes");
      }
      refuses({ idleTimeoutSeconds: 100, absoluteTimeoutSeconds: 99 }, "absoluteTimeoutSeconds must be at least idleTimeoutSeconds");
      assert.ok(new SessionStore(options({ idleTimeoutSeconds: 1, absoluteTimeoutSeconds: 1, maxDataBytes: 1 })));
      refuses({ maxDataBytes: 300_001 }, "maxDataBytes must be at most 300000 (DynamoDB items are at most 400 KB)");
      assert.ok(new SessionStore(options({ maxDataBytes: 300_000 })));
      const kms = new FakeKms();
      try {
        refuses({ encryption: { kms: kms.client, keyId: kms.keyArn } }, "choose encryption or plaintextData, not both");
        refuses({ plaintextData: false }, /^session data holds tokens: give `encryption`/);
        refuses({ plaintextData: "yes" as never }, /^session data holds tokens/);
        assert.ok(new SessionStore({ client: doc, tableName: "sessions", encryption: { kms: kms.client, keyId: kms.keyArn } }));
      } finally {
        kms.restore();
      }
    });
  });

  describe("sealed session data (envelope encryption; KMS in-process: test/support/fakeKms)", function () {
    let kms: FakeKms;
    let sealed: SessionStore;
    beforeEach(() => {
      kms = new FakeKms();
      sealed = new SessionStore(options({ plaintextData: undefined, encryption: { kms: kms.client, keyId: kms.keyArn } }));
    });
    afterEach(() => kms.restore());

    /** Creates a sealed session through the mock and returns its id and the item the table was sent. */
    const createSealed = async (userId?: string) => {
      mock.on(PutCommand).resolves({});
      const { id } = await sealed.create({ userId, data: { refreshToken: "secret-token" } });
      const puts = inputs(PutCommand);
      return { id, stored: puts[puts.length - 1].Item as Record<string, unknown> };
    };

    it("sends the data sealed with its encrypted data key, and reads it back", async function () {
      const { id, stored } = await createSealed("user-1");
      assert.match(String(stored.data), /^v1\.[A-Za-z0-9_-]+$/);
      assert.ok(!String(stored.data).includes("secret-token"));
      assert.equal(typeof stored.dataKey, "string");
      mock.on(GetCommand).resolves({ Item: stored });
      assert.deepEqual((await sealed.get(id))?.data, { refreshToken: "secret-token" });
    });

    it("writes the new data key with the sealed data on every save (#dk = :dk)", async function () {
      const { id, stored } = await createSealed("user-1");
      mock.on(UpdateCommand).resolves({ Attributes: stored });
      await sealed.update(id, { data: { step: 2 }, userId: "user-1" });
      const [update] = inputs(UpdateCommand);
      assert.equal(update.UpdateExpression, "SET #data = :data, #exp = :exp, #seen = :now, #dk = :dk");
      assert.deepEqual(update.ExpressionAttributeNames, {
        "#pk": "pk",
        "#uid": "userId",
        "#exp": "expiresAt",
        "#abs": "absoluteExpiresAt",
        "#seen": "lastSeenAt",
        "#data": "data",
        "#dk": "dataKey",
      });
      assert.equal(update.ExpressionAttributeValues[":dk"], stored.dataKey);
      assert.match(update.ExpressionAttributeValues[":data"], /^v1\./);
      assert.deepEqual(Object.keys(update.ExpressionAttributeValues).sort(), [":data", ":dk", ":exp", ":now", ":uid"]);
    });

    it("seals data to its owner: the owner's value does not open for another, nor for an anonymous item", async function () {
      const { id, stored } = await createSealed("user-1");
      for (const userId of ["user-2", undefined]) {
        const moved = { ...stored };
        if (userId === undefined) delete moved.userId;
        else moved.userId = userId;
        mock.on(GetCommand).resolves({ Item: moved });
        assert.equal(await sealed.get(id), null, `owner ${String(userId)}`);
      }
    });

    it("reads an anonymous sealed item whose owner attribute is not a string as anonymous (describe and seal agree: no owner)", async function () {
      const { id, stored } = await createSealed();
      mock.on(GetCommand).resolves({ Item: { ...stored, userId: 7 } });
      const found = await sealed.get(id);
      assert.deepEqual([found?.data, found && "userId" in found], [{ refreshToken: "secret-token" }, false]);
    });

    it("reports KMS failures as STORE_UNAVAILABLE naming the operation (KMS throttling included), its cause the KMS error; nothing is written", async function () {
      const { id, stored } = await createSealed("user-1");
      const cold = new SessionStore(options({ plaintextData: undefined, encryption: { kms: kms.client, keyId: kms.keyArn } }));
      kms.failWith = "ThrottlingException";
      const kmsFailure = (operation: string) => (e: unknown) =>
        e instanceof SessionStoreUnavailableError &&
        e.code === "STORE_UNAVAILABLE" &&
        e.message === `the session table could not ${operation}` &&
        (e.cause as Error).name === "EnvelopeKmsError";
      const before = sent();
      await assert.rejects(cold.create({ data: {} }), kmsFailure("create a session"));
      await assert.rejects(cold.update(id, { data: {}, userId: "user-1" }), kmsFailure("save a session"));
      assert.equal(sent(), before, "no request to the table without a seal");
      mock.on(GetCommand).resolves({ Item: stored });
      await assert.rejects(cold.get(id), kmsFailure("read a session"));
      mock.on(UpdateCommand).resolves({ Attributes: stored });
      await assert.rejects(cold.touch(id), kmsFailure("touch a session"));
    });
  });

  it("every error it throws is a SessionStoreError (the family callers catch), and the family names itself", function () {
    const base = new SessionStoreError("STORE_UNAVAILABLE", "the session table could not do it");
    assert.deepEqual([base.name, base.code, base.message, base instanceof Error], ["SessionStoreError", "STORE_UNAVAILABLE", "the session table could not do it", true]);
    assert.ok(new SessionFixationError() instanceof SessionStoreError);
  });
});
