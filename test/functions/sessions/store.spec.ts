import assert from "node:assert/strict";
import { DynamoDBClient, GetItemCommand, PutItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import {
  InvalidSessionDataError,
  InvalidSessionIdError,
  InvalidUserIdError,
  SessionFixationError,
  SessionStoreUnavailableError,
  SessionTooLargeError,
  SessionUserMismatchError,
} from "../../../functions/sessions/errors";
import { keyOf, SessionStore } from "../../../functions/sessions/store";
import { createSessionTable, dynaliteClient, startDynalite } from "../../support/dynalite";
import type { EmulatorProcess } from "../../support/emulatorProcess";
import { FakeKms } from "../../support/fakeKms";

const IDLE = 1800;
const ABSOLUTE = 12 * 3600;
const T0 = Date.UTC(2030, 0, 1, 9, 0, 0);

describe("session store (functions/sessions) against dynalite on 127.0.0.1", function () {
  let dynalite: EmulatorProcess;
  let client: DynamoDBClient;
  let requests = 0;
  let tableCount = 0;
  let tableName: string;
  let nowMs: number;
  let store: SessionStore;
  let kms: FakeKms;

  before(async function () {
    dynalite = await startDynalite();
    client = dynaliteClient(dynalite.endpoint);
    client.middlewareStack.add(
      (next) => async (args) => {
        requests++;
        return next(args);
      },
      { step: "initialize", name: "countRequests" },
    );
  });

  after(async function () {
    client?.destroy();
    await dynalite?.stop();
  });

  beforeEach(async function () {
    tableName = `sessions-${++tableCount}`;
    await createSessionTable(client, tableName);
    nowMs = T0;
    kms = new FakeKms();
    store = new SessionStore({ client, tableName, idleTimeoutSeconds: IDLE, absoluteTimeoutSeconds: ABSOLUTE, now: () => nowMs, encryption: { kms: kms.client, keyId: kms.keyArn } });
  });

  afterEach(function () {
    kms.restore();
  });

  const advance = (seconds: number) => {
    nowMs += seconds * 1000;
  };
  const rawItem = async (id: string) =>
    (await client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: keyOf(id) } }, ConsistentRead: true }))).Item;

  describe("create and get", function () {
    it("creates sessions under distinct 43-character base64url ids from the CSPRNG", async function () {
      const ids = new Set<string>();
      for (let i = 0; i < 20; i++) ids.add((await store.create({ data: { i } })).id);
      assert.equal(ids.size, 20);
      for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{43}$/);
    });

    it("reads a session back at once (strongly consistent read) with its data, owner and expiry", async function () {
      const created = await store.create({ userId: "user-1", data: { cart: ["lesson-1"], n: 1 } });
      const found = await store.get(created.id);
      assert.deepEqual(found, {
        id: created.id,
        userId: "user-1",
        data: { cart: ["lesson-1"], n: 1 },
        createdAt: T0 / 1000,
        lastSeenAt: T0 / 1000,
        expiresAt: T0 / 1000 + IDLE,
        absoluteExpiresAt: T0 / 1000 + ABSOLUTE,
      });
    });

    it("stores only the SHA-256 of the session id, never the id itself", async function () {
      const { id } = await store.create({ userId: "user-1", data: { a: 1 } });
      const scan = await client.send(new ScanCommand({ TableName: tableName }));
      assert.equal(scan.Items?.length, 1);
      assert.equal(scan.Items![0].pk.S, keyOf(id));
      assert.ok(!JSON.stringify(scan.Items).includes(id), "the raw id appears in the table");
    });

    it("sets the TTL attribute (epoch seconds) so DynamoDB can clean up, without relying on it", async function () {
      const { id } = await store.create();
      assert.equal((await rawItem(id))?.expiresAt.N, String(T0 / 1000 + IDLE));
    });

    it("returns null for an unknown well-formed id", async function () {
      assert.equal(await store.get(SessionStore.generateId()), null);
    });
  });

  describe("expiry", function () {
    it("treats a session as absent once its idle timeout has passed, although the item is still in the table (no TTL here)", async function () {
      const { id } = await store.create({ data: { a: 1 } });
      advance(IDLE - 1);
      assert.ok(await store.get(id), "still live one second before the idle expiry");
      advance(1);
      assert.equal(await store.get(id), null);
      assert.ok(await rawItem(id), "the item itself is still stored (dynalite has no TTL; real TTL lags too)");
    });

    it("does not revive an expired session by touching or saving it", async function () {
      const { id } = await store.create({ data: { a: 1 } });
      advance(IDLE + 5);
      assert.equal(await store.touch(id), null);
      assert.equal(await store.update(id, { data: { a: 2 } }), null);
      const item = await rawItem(id);
      assert.equal(item?.expiresAt.N, String(T0 / 1000 + IDLE), "the expiry was not moved");
      advance(-(IDLE + 5));
      assert.deepEqual((await store.get(id))?.data, { a: 1 });
    });

    it("slides the idle expiry on touch, so an active session outlives the idle timeout", async function () {
      const { id } = await store.create({ data: { a: 1 } });
      advance(IDLE - 60);
      const touched = await store.touch(id);
      assert.equal(touched?.expiresAt, (nowMs / 1000) + IDLE);
      assert.equal(touched?.lastSeenAt, nowMs / 1000);
      advance(IDLE - 60);
      assert.ok(await store.get(id), "alive well past the first idle expiry");
      advance(61);
      assert.equal(await store.get(id), null, "gone one idle period after the last touch");
    });

    it("slides the expiry on save as well as on touch", async function () {
      const { id } = await store.create({ data: { a: 1 } });
      advance(IDLE - 1);
      const saved = await store.update(id, { data: { a: 2 } });
      assert.equal(saved?.expiresAt, nowMs / 1000 + IDLE);
      advance(IDLE - 1);
      assert.deepEqual((await store.get(id))?.data, { a: 2 });
    });

    it("ends a session at its absolute lifetime however often it is touched", async function () {
      const { id } = await store.create();
      for (let elapsed = 0; elapsed + IDLE / 2 < ABSOLUTE; elapsed += IDLE / 2) {
        advance(IDLE / 2);
        assert.ok(await store.touch(id), `touch at +${elapsed + IDLE / 2}s`);
      }
      const last = await store.get(id);
      assert.equal(last?.expiresAt, T0 / 1000 + ABSOLUTE, "the reported expiry is capped at the absolute expiry");
      nowMs = T0 + ABSOLUTE * 1000;
      assert.equal(await store.get(id), null);
      assert.equal(await store.touch(id), null);
    });
  });

  describe("concurrency", function () {
    it("leaves a session destroyed when many touches and saves race one destroy", async function () {
      const { id } = await store.create({ userId: "user-1", data: { a: 1 } });
      const racers: Promise<unknown>[] = [];
      for (let i = 0; i < 30; i++) {
        racers.push(store.touch(id));
        racers.push(store.update(id, { data: { a: i } }));
        if (i === 10) racers.push(store.destroy(id));
      }
      const results = await Promise.allSettled(racers);
      assert.deepEqual(results.filter((r) => r.status === "rejected"), [], "no operation failed");
      const values = results.map((r) => (r as PromiseFulfilledResult<unknown>).value);
      assert.ok(values.some((v) => v !== null && typeof v === "object"), "some writes landed before the destroy");
      assert.ok(values.some((v) => v === null), "some writes arrived after the destroy (the race happened)");
      assert.equal(await store.get(id), null);
      assert.equal(await rawItem(id), undefined, "no late write re-created the item");
      assert.equal(await store.touch(id), null);
    });

    it("never moves the expiry backwards when a touch computed with an earlier clock arrives late", async function () {
      const { id } = await store.create();
      const laterClock = new SessionStore({ client, tableName, idleTimeoutSeconds: IDLE, absoluteTimeoutSeconds: ABSOLUTE, now: () => nowMs + 120_000, encryption: { kms: kms.client, keyId: kms.keyArn } });
      const ahead = await laterClock.touch(id);
      assert.equal(ahead?.expiresAt, T0 / 1000 + 120 + IDLE);
      const behind = await store.touch(id);
      assert.equal(behind?.expiresAt, T0 / 1000 + 120 + IDLE, "the late touch reports the later expiry");
      assert.equal((await rawItem(id))?.expiresAt.N, String(T0 / 1000 + 120 + IDLE));
    });

    it("keeps a session alive through many concurrent touches", async function () {
      const { id } = await store.create();
      advance(100);
      const touched = await Promise.all(Array.from({ length: 25 }, () => store.touch(id)));
      assert.ok(touched.every((s) => s?.expiresAt === T0 / 1000 + 100 + IDLE));
    });
  });

  describe("destroy", function () {
    it("keeps a destroyed session destroyed: get, touch and save all see nothing and write nothing", async function () {
      const { id } = await store.create({ userId: "user-1", data: { a: 1 } });
      assert.equal(await store.destroy(id), true);
      assert.equal(await store.get(id), null);
      assert.equal(await store.touch(id), null);
      assert.equal(await store.update(id, { data: { a: 2 }, userId: "user-1" }), null);
      assert.equal(await rawItem(id), undefined);
      assert.equal(await store.destroy(id), false, "destroying twice is harmless");
    });

    it("destroys every session of one user, across pages and batches, and no one else's", async function () {
      const mine = await Promise.all(Array.from({ length: 30 }, (_, i) => store.create({ userId: "user-a", data: { i } })));
      const theirs = await store.create({ userId: "user-b" });
      const anonymous = await store.create();
      assert.equal(await store.destroyAllForUser("user-a"), 30);
      for (const s of mine) assert.equal(await store.get(s.id), null);
      assert.ok(await store.get(theirs.id));
      assert.ok(await store.get(anonymous.id));
      assert.equal(await store.destroyAllForUser("user-a"), 0);
    });
  });

  describe("owner and session fixation", function () {
    it("refuses to upgrade an anonymous session to a signed-in one in place, writing nothing", async function () {
      const { id } = await store.create({ data: { step: 1 } });
      await assert.rejects(store.update(id, { data: { step: 2, tokens: "t" }, userId: "user-1" }), (e: unknown) => e instanceof SessionFixationError && e.code === "SESSION_FIXATION" && !e.message.includes(id));
      const after = await store.get(id);
      assert.equal(after?.userId, undefined, "the session is still anonymous");
      assert.deepEqual(after?.data, { step: 1 }, "its data was not overwritten");
      assert.equal((await rawItem(id))?.userId, undefined);
    });

    it("signs in by regenerating: a new id with the owner, and the old (possibly planted) id is gone", async function () {
      const planted = await store.create({ data: { cart: ["lesson-1"] } });
      const signedIn = await store.regenerate(planted.id, { userId: "user-1", data: { cart: ["lesson-1"], tokens: "t" } });
      assert.notEqual(signedIn.id, planted.id);
      assert.ok(SessionStore.isValidId(signedIn.id));
      assert.equal(signedIn.userId, "user-1");
      assert.equal(await store.get(planted.id), null, "the pre-sign-in id no longer opens anything");
      assert.equal(await rawItem(planted.id), undefined);
      assert.deepEqual(await store.get(signedIn.id), { ...signedIn, data: { cart: ["lesson-1"], tokens: "t" } });
      assert.equal(await store.destroyAllForUser("user-1"), 1);
    });

    it("regenerates from no session or a malformed id as well, and checks the owner before destroying anything", async function () {
      const anonymous = await store.create();
      await assert.rejects(store.regenerate(anonymous.id, { userId: "bad\n" }), InvalidUserIdError);
      assert.ok(await store.get(anonymous.id), "a bad user id destroys nothing");
      assert.equal((await store.regenerate(undefined, { userId: "user-2" })).userId, "user-2");
      assert.equal((await store.regenerate("not-an-id")).userId, undefined);
    });

    it("keeps the owner on saves that name it and on saves that do not", async function () {
      const { id } = await store.create({ userId: "user-1", data: { step: 1 } });
      assert.equal((await store.update(id, { data: { step: 2 }, userId: "user-1" }))?.userId, "user-1");
      const unnamed = await store.update(id, { data: { step: 3 } });
      assert.equal(unnamed?.userId, "user-1");
      assert.deepEqual(unnamed?.data, { step: 3 });
      assert.deepEqual((await store.get(id))?.data, { step: 3 }, "the save without userId landed, sealed for the real owner");
      assert.equal((await rawItem(id))?.userId.S, "user-1");
    });

    it("saves an anonymous session without an owner", async function () {
      const { id } = await store.create({ data: { step: 1 } });
      const saved = await store.update(id, { data: { step: 2 } });
      assert.equal(saved?.userId, undefined);
      assert.deepEqual((await store.get(id))?.data, { step: 2 });
    });

    it("refuses to hand a session that belongs to one user to another (session fixation)", async function () {
      const { id } = await store.create({ userId: "user-1" });
      await assert.rejects(store.update(id, { data: {}, userId: "user-2" }), SessionUserMismatchError);
      assert.equal((await store.get(id))?.userId, "user-1");
    });
  });

  describe("bad input", function () {
    const badIds: unknown[] = ["", "short", "x".repeat(42), "x".repeat(44), `${"a".repeat(42)}/`, `${"a".repeat(42)}=`, "../../etc/passwd", "a".repeat(10_000), undefined, null, 42, {}, ["a".repeat(43)]];

    it("treats malformed session ids as absent without sending anything to DynamoDB", async function () {
      const before = requests;
      for (const id of badIds) {
        assert.equal(await store.get(id), null);
        assert.equal(await store.touch(id), null);
        assert.equal(await store.update(id, { data: {} }), null);
        assert.equal(await store.destroy(id), false);
      }
      assert.equal(requests, before, "a malformed id reached DynamoDB");
    });

    it("refuses to create a session under an id it did not mint", async function () {
      await assert.rejects(store.insert("not-an-id"), InvalidSessionIdError);
      const id = SessionStore.generateId();
      assert.ok(await store.insert(id, { data: { a: 1 } }));
      assert.equal(await store.insert(id, { data: { a: 2 } }), null, "an existing session is not overwritten");
      assert.deepEqual((await store.get(id))?.data, { a: 1 });
    });

    it("rejects session data that is not a JSON object or is too large, with typed errors", async function () {
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      await assert.rejects(store.create({ data: cyclic }), (e: unknown) => e instanceof InvalidSessionDataError && e.code === "INVALID_SESSION_DATA");
      await assert.rejects(store.create({ data: { n: BigInt(1) } }), InvalidSessionDataError);
      await assert.rejects(store.create({ data: [] as unknown as Record<string, unknown> }), InvalidSessionDataError);
      await assert.rejects(store.create({ data: { blob: "x".repeat(400_000) } }), (e: unknown) => e instanceof SessionTooLargeError && e.code === "SESSION_TOO_LARGE");
    });

    it("refuses objects whose JSON is not an object (toJSON returning undefined, a Date, a Map) instead of losing them", async function () {
      await assert.rejects(store.create({ data: { toJSON: () => undefined } }), InvalidSessionDataError);
      await assert.rejects(store.create({ data: { toJSON: () => "a string" } }), InvalidSessionDataError);
      await assert.rejects(store.create({ data: { toJSON: () => [1] } }), InvalidSessionDataError);
      await assert.rejects(store.create({ data: new Date(T0) as unknown as Record<string, unknown> }), InvalidSessionDataError);
      await assert.rejects(store.create({ data: new Map() as unknown as Record<string, unknown> }), InvalidSessionDataError);
      const id = (await store.create({ data: Object.assign(Object.create(null), { a: 1 }) })).id;
      assert.deepEqual((await store.get(id))?.data, { a: 1 }, "a null-prototype object is a plain object");
      const { id: withDate } = await store.create({ data: { at: new Date(T0) } });
      assert.deepEqual((await store.get(withDate))?.data, { at: new Date(T0).toISOString() }, "a Date inside the data comes back as its ISO string");
    });

    it("stores the largest session it accepts (300000 bytes, sealed) within DynamoDB's 400 KB item limit, and refuses one byte more", async function () {
      const big = { blob: "x".repeat(300_000 - JSON.stringify({ blob: "" }).length) };
      const { id } = await store.create({ userId: "user-1", data: big });
      assert.equal(((await store.get(id))?.data as typeof big).blob.length, big.blob.length);
      await assert.rejects(store.create({ data: { blob: big.blob + "x" } }), SessionTooLargeError);
    });

    it("refuses a maxDataBytes DynamoDB could not store, and a store with neither encryption nor explicit plaintext", function () {
      const base = { client, tableName, encryption: { kms: kms.client, keyId: kms.keyArn } };
      assert.throws(() => new SessionStore({ ...base, maxDataBytes: 300_001 }), RangeError);
      assert.throws(() => new SessionStore({ ...base, maxDataBytes: 0 }), RangeError);
      assert.throws(() => new SessionStore({ ...base, maxDataBytes: 1.5 }), RangeError);
      assert.ok(new SessionStore({ ...base, maxDataBytes: 300_000 }));
      assert.throws(() => new SessionStore({ client, tableName }), /encryption/);
      assert.throws(() => new SessionStore({ ...base, plaintextData: true }), RangeError);
      assert.throws(() => new SessionStore({ ...base, idleTimeoutSeconds: 100, absoluteTimeoutSeconds: 99 }), RangeError);
      assert.ok(new SessionStore({ ...base, idleTimeoutSeconds: 100, absoluteTimeoutSeconds: 100 }));
    });

    it("rejects empty, over-long or control-character user ids", async function () {
      for (const userId of ["", "x".repeat(257), "user\n1", "user\u0000"]) {
        await assert.rejects(store.create({ userId }), (e: unknown) => e instanceof InvalidUserIdError && e.code === "INVALID_USER_ID");
      }
      await assert.rejects(store.destroyAllForUser(""), InvalidUserIdError);
    });

    it("treats a stored item that is not well-formed as absent", async function () {
      const id = SessionStore.generateId();
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { pk: { S: keyOf(id) }, data: { S: "{not json" }, createdAt: { N: "1" }, lastSeenAt: { N: "1" }, expiresAt: { N: String(T0 / 1000 + 999) }, absoluteExpiresAt: { N: String(T0 / 1000 + 999) } },
        }),
      );
      assert.equal(await store.get(id), null);
    });
  });

  describe("session data at rest (envelope encryption; KMS is an in-process fake: no KMS emulator exists)", function () {
    const tokens = { accessToken: "eyJ-access-TOKEN-0123456789", idToken: "eyJ-id-TOKEN-9876543210", refreshToken: "eyJ-refresh-TOKEN-secret-abcdef" };

    it("keeps tokens out of the table: the raw item holds no token, no fragment of one, and no session id", async function () {
      const { id } = await store.create({ userId: "user-1", data: { tokens } });
      await store.update(id, { data: { tokens, step: 2 }, userId: "user-1" });
      const scan = await client.send(new ScanCommand({ TableName: tableName }));
      const raw = JSON.stringify(scan.Items);
      for (const value of [...Object.values(tokens), id]) {
        for (let i = 0; i + 12 <= value.length; i++) assert.ok(!raw.includes(value.slice(i, i + 12)), "a token or id fragment is stored in clear");
        assert.ok(!raw.includes(Buffer.from(value).toString("base64").slice(0, 16)), "a token is stored merely base64-encoded");
      }
      assert.ok(!raw.includes("accessToken") && !raw.includes("refreshToken"), "the data's field names are stored in clear");
      const item = scan.Items![0];
      assert.match(item.data.S!, /^v1\.[A-Za-z0-9_-]+$/);
      assert.ok(item.dataKey.S, "the encrypted data key travels with the item");
      assert.deepEqual((await store.get(id))?.data, { tokens, step: 2 }, "the app itself reads it back");
    });

    it("does not hand out live sessions from a backup: a restored copy read without kms:Decrypt gives no data", async function () {
      const { id } = await store.create({ userId: "user-1", data: { tokens } });
      // A point-in-time restore or export is a byte-for-byte copy of the items in another table.
      const restored = `${tableName}-restored`;
      await createSessionTable(client, restored);
      for (const item of (await client.send(new ScanCommand({ TableName: tableName }))).Items ?? []) await client.send(new PutItemCommand({ TableName: restored, Item: item }));
      // Whoever restored it does not know the cookie; even given the right id, without the app role's kms:Decrypt nothing opens.
      const reader = new FakeKms(kms.keyArn);
      reader.denyDecrypt = true;
      const outsider = new SessionStore({ client, tableName: restored, now: () => nowMs, encryption: { kms: reader.client, keyId: kms.keyArn } });
      await assert.rejects(outsider.get(id), (e: unknown) => e instanceof SessionStoreUnavailableError && !e.message.includes(id));
      reader.restore();
      // Even the app's own key does not open a copy under another table name (the table is in the KMS context and the item seal).
      const sameKey = new SessionStore({ client, tableName: restored, now: () => nowMs, encryption: { kms: kms.client, keyId: kms.keyArn } });
      assert.equal(await sameKey.get(id), null);
    });

    it("treats data moved to another item, an edited owner or a foreign data key as absent", async function () {
      const victim = await store.create({ userId: "victim", data: { tokens } });
      const attacker = await store.create({ userId: "attacker", data: {} });
      const victimItem = (await rawItem(victim.id))!;
      await client.send(new PutItemCommand({ TableName: tableName, Item: { ...(await rawItem(attacker.id))!, data: victimItem.data, dataKey: victimItem.dataKey } }));
      assert.equal(await store.get(attacker.id), null, "sealed data copied into another item does not open");
      await client.send(new PutItemCommand({ TableName: tableName, Item: { ...victimItem, userId: { S: "attacker" } } }));
      assert.equal(await store.get(victim.id), null, "an item whose owner was edited does not open");
      const other = new FakeKms(kms.keyArn);
      const foreign = new SessionStore({ client, tableName, now: () => nowMs, encryption: { kms: other.client, keyId: kms.keyArn } });
      const planted = await foreign.create({ userId: "user-9", data: { forged: true } });
      other.restore();
      assert.equal(await store.get(planted.id), null, "a data key KMS did not issue for this key does not open");
      const corrupt = await store.create({ data: { a: 1 } });
      const item = (await rawItem(corrupt.id))!;
      for (const data of ["v1.", "v1.AAAA", "v2." + item.data.S!.slice(3), item.data.S!.slice(0, -2) + (item.data.S!.endsWith("A") ? "BA" : "AA")]) {
        await client.send(new PutItemCommand({ TableName: tableName, Item: { ...item, data: { S: data } } }));
        assert.equal(await store.get(corrupt.id), null, `sealed data ${data.slice(0, 8)}… opened`);
      }
    });

    it("asks KMS for one data key per interval, not per write, and rotates it after its age or use limit", async function () {
      const rotating = new SessionStore({ client, tableName, now: () => nowMs, encryption: { kms: kms.client, keyId: kms.keyArn, dataKeyMaxAgeSeconds: 60, dataKeyMaxUses: 5 } });
      const first = await Promise.all(Array.from({ length: 5 }, () => rotating.create({ data: { tokens } })));
      assert.equal(kms.generated, 1, "five concurrent writes share one GenerateDataKey");
      await rotating.create();
      assert.equal(kms.generated, 2, "the sixth seal takes a fresh key (max uses 5)");
      advance(61);
      await rotating.create();
      assert.equal(kms.generated, 3, "a key older than 60 s is not used for new seals");
      const fresh = new SessionStore({ client, tableName, now: () => nowMs, encryption: { kms: kms.client, keyId: kms.keyArn } });
      for (const s of first) assert.deepEqual((await fresh.get(s.id))?.data, { tokens });
      assert.equal(kms.decrypted, 1, "another process decrypts each data key once, then caches it");
      assert.throws(() => new SessionStore({ client, tableName, encryption: { kms: kms.client, keyId: "" } }), RangeError);
      assert.throws(() => new SessionStore({ client, tableName, encryption: { kms: kms.client, keyId: kms.keyArn, dataKeyMaxUses: 0 } }), RangeError);
      assert.throws(() => new SessionStore({ client, tableName, encryption: { kms: kms.client, keyId: kms.keyArn, dataKeyMaxAgeSeconds: 86_401 } }), RangeError);
    });

    it("reports KMS failures as STORE_UNAVAILABLE and writes nothing", async function () {
      const existing = await store.create({ userId: "user-1", data: { tokens } });
      const cold = new SessionStore({ client, tableName, now: () => nowMs, encryption: { kms: kms.client, keyId: kms.keyArn } });
      kms.failWith = "KMSInternalException";
      await assert.rejects(cold.create({ data: { tokens } }), (e: unknown) => e instanceof SessionStoreUnavailableError && e.code === "STORE_UNAVAILABLE");
      await assert.rejects(cold.get(existing.id), SessionStoreUnavailableError);
      await assert.rejects(cold.update(existing.id, { data: {}, userId: "user-1" }), SessionStoreUnavailableError);
      const scan = await client.send(new ScanCommand({ TableName: tableName }));
      assert.equal(scan.Items?.length, 1, "no session was created without its seal");
    });

    it("in plaintext mode (local tests only) stores JSON, and does not read sealed items as plain", async function () {
      const sealed = await store.create({ data: { a: 1 } });
      const plain = new SessionStore({ client, tableName, now: () => nowMs, plaintextData: true });
      const { id } = await plain.create({ data: { a: 2 } });
      assert.equal((await rawItem(id))?.data.S, JSON.stringify({ a: 2 }));
      assert.equal((await rawItem(id))?.dataKey, undefined);
      assert.deepEqual((await plain.get(id))?.data, { a: 2 });
      assert.equal(await plain.get(sealed.id), null);
      assert.equal(await store.get(id), null, "an encrypting store does not accept plain items (a table writer without KMS cannot plant sessions)");
    });
  });

  it("reports an unreachable table as a typed STORE_UNAVAILABLE error without the session id in the message", async function () {
    const stopped = await startDynalite();
    await stopped.stop();
    const dead = new SessionStore({ client: dynaliteClient(stopped.endpoint), tableName, plaintextData: true });
    const id = SessionStore.generateId();
    await assert.rejects(dead.get(id), (e: unknown) => e instanceof SessionStoreUnavailableError && e.code === "STORE_UNAVAILABLE" && !e.message.includes(id));
  });
});
