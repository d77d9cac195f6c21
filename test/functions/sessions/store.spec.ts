import assert from "node:assert/strict";
import { DynamoDBClient, GetItemCommand, PutItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import {
  InvalidSessionDataError,
  InvalidSessionIdError,
  InvalidUserIdError,
  SessionStoreUnavailableError,
  SessionTooLargeError,
  SessionUserMismatchError,
} from "../../../functions/sessions/errors";
import { keyOf, SessionStore } from "../../../functions/sessions/store";
import { createSessionTable, dynaliteClient, startDynalite } from "../../support/dynalite";
import type { EmulatorProcess } from "../../support/emulatorProcess";

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
    store = new SessionStore({ client, tableName, idleTimeoutSeconds: IDLE, absoluteTimeoutSeconds: ABSOLUTE, now: () => nowMs });
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
      assert.equal(item?.data.S, JSON.stringify({ a: 1 }), "the data was not overwritten");
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
      const laterClock = new SessionStore({ client, tableName, idleTimeoutSeconds: IDLE, absoluteTimeoutSeconds: ABSOLUTE, now: () => nowMs + 120_000 });
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

  describe("owner", function () {
    it("lets an anonymous session gain an owner and keeps the owner on later saves", async function () {
      const { id } = await store.create({ data: { step: 1 } });
      assert.equal((await store.update(id, { data: { step: 2 }, userId: "user-1" }))?.userId, "user-1");
      assert.equal((await store.update(id, { data: { step: 3 } }))?.userId, "user-1");
      assert.equal(await store.destroyAllForUser("user-1"), 1);
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

  it("reports an unreachable table as a typed STORE_UNAVAILABLE error without the session id in the message", async function () {
    const stopped = await startDynalite();
    await stopped.stop();
    const dead = new SessionStore({ client: dynaliteClient(stopped.endpoint), tableName });
    const id = SessionStore.generateId();
    await assert.rejects(dead.get(id), (e: unknown) => e instanceof SessionStoreUnavailableError && e.code === "STORE_UNAVAILABLE" && !e.message.includes(id));
  });
});
