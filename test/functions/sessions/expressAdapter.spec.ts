import assert from "node:assert/strict";
import session from "express-session";
import { createExpressSessionStore, type ExpressSessionStoreOptions } from "../../../functions/sessions/expressStore";
import { SessionStore, type StoredSession } from "../../../functions/sessions/store";

type Method = "get" | "insert" | "update" | "touch" | "destroy";
type Args = unknown[];

/**
 * The express-session adapter's own decisions, each call at a time, in-process: which SessionStore
 * call each express-session call becomes, what it passes on, and what it answers. The store is a
 * recording stand-in (the real store is tested in store.spec.ts and storeRequests.spec.ts; the
 * adapter behind the real middleware and table in expressStore.spec.ts). The base class is
 * express-session's own Store.
 */
describe("express-session adapter decisions (in-process, a recording SessionStore)", function () {
  const NOW_S = 1_900_000_000;
  let nowMs: number;
  let calls: { method: Method; args: Args }[];
  let answers: Record<Method, (...args: Args) => Promise<unknown>>;
  const stored = (data: Record<string, unknown>, lastSeenAt = NOW_S, userId?: string): StoredSession => ({
    id: "sid",
    ...(userId ? { userId } : {}),
    data,
    createdAt: NOW_S - 1000,
    lastSeenAt,
    expiresAt: lastSeenAt + 1800,
    absoluteExpiresAt: NOW_S + 40_000,
  });
  const sessions = Object.fromEntries(
    (["get", "insert", "update", "touch", "destroy"] as const).map((method) => [
      method,
      (...args: Args) => {
        calls.push({ method, args });
        return answers[method](...args);
      },
    ]),
  ) as unknown as SessionStore;
  const adapter = (options: ExpressSessionStoreOptions = {}) => createExpressSessionStore(session.Store, sessions, { now: () => nowMs, ...options });
  const methods = () => calls.map((c) => c.method);

  /** A node-style callback and the arguments it is called with (fails fast if it never is). */
  function callback(): [(...args: Args) => void, Promise<Args>] {
    let done!: (args: Args) => void;
    const called = new Promise<Args>((resolve) => (done = resolve));
    const timeout = new Promise<Args>((_, reject) => setTimeout(() => reject(new Error("the callback was never called")), 2000).unref());
    return [(...args: Args) => done(args), Promise.race([called, timeout])];
  }
  /** What express-session does with data the store returns: a Session object on a request. */
  const loaded = async (store: ReturnType<typeof adapter>, sid: string, data: Record<string, unknown>, lastSeenAt = NOW_S) => {
    answers.get = async () => stored({ cookie: { originalMaxAge: null }, ...data }, lastSeenAt);
    const [cb, done] = callback();
    store.get(sid, cb);
    const [, fetched] = await done;
    return store.createSession({ sessionID: sid } as never, fetched as session.SessionData);
  };
  /** A session express-session generated in this request (never read from the store). */
  const generated = (store: ReturnType<typeof adapter>, sid: string, fields: Record<string, unknown>) =>
    Object.assign(store.createSession({ sessionID: sid } as never, { cookie: { originalMaxAge: null } } as session.SessionData), fields);

  beforeEach(() => {
    nowMs = NOW_S * 1000;
    calls = [];
    answers = {
      get: async () => null,
      insert: async (_sid, init) => stored((init as { data: Record<string, unknown> }).data, Math.floor(nowMs / 1000)),
      update: async (_sid, change) => stored((change as { data: Record<string, unknown> }).data, Math.floor(nowMs / 1000)),
      touch: async () => stored({}, Math.floor(nowMs / 1000)),
      destroy: async () => true,
    };
  });

  it("mints ids with the store's CSPRNG (for express-session's genid)", function () {
    const store = adapter();
    const ids = new Set(Array.from({ length: 10 }, () => store.generateId()));
    assert.equal(ids.size, 10);
    for (const id of ids) assert.ok(SessionStore.isValidId(id));
  });

  describe("get", function () {
    it("answers the session's data, null for no session, and the store's error", async function () {
      const store = adapter();
      answers.get = async () => stored({ views: 2 });
      let [cb, done] = callback();
      store.get("sid-1", cb);
      assert.deepEqual(await done, [null, { views: 2 }]);
      assert.deepEqual(calls, [{ method: "get", args: ["sid-1"] }]);
      answers.get = async () => null;
      [cb, done] = callback();
      store.get("sid-2", cb);
      assert.deepEqual(await done, [null, null]);
      const failure = new Error("table down");
      answers.get = async () => Promise.reject(failure);
      [cb, done] = callback();
      store.get("sid-3", cb);
      assert.deepEqual(await done, [failure]);
    });
  });

  describe("set", function () {
    it("creates a session express-session generated, under its id, with a plain copy of its fields and its owner", async function () {
      const store = adapter();
      const s = generated(store, "sid-new", { userId: "user-1", views: 1 });
      const [cb, done] = callback();
      store.set("sid-new", s, cb);
      assert.deepEqual(await done, []);
      assert.deepEqual(methods(), ["insert"]);
      const [sid, init] = calls[0].args as [string, { data: Record<string, unknown>; userId?: string }];
      assert.equal(sid, "sid-new");
      assert.equal(init.userId, "user-1");
      assert.notEqual(init.data, s);
      assert.equal(Object.getPrototypeOf(init.data), Object.prototype, "a plain object, not the Session");
      assert.deepEqual(Object.keys(init.data).sort(), ["cookie", "userId", "views"]);
    });

    it("updates instead when the id already exists (insert answers null)", async function () {
      answers.insert = async () => null;
      const store = adapter();
      const s = generated(store, "sid-taken", { views: 1 });
      const [cb, done] = callback();
      store.set("sid-taken", s, cb);
      assert.deepEqual(await done, []);
      assert.deepEqual(methods(), ["insert", "update"]);
      assert.equal(calls[1].args[0], "sid-taken");
    });

    it("only ever updates a session it loaded: one destroyed meanwhile stays destroyed, and that is not an error", async function () {
      const store = adapter();
      const s = await loaded(store, "sid-old", { views: 1 });
      answers.update = async () => null;
      calls = [];
      let [cb, done] = callback();
      store.set("sid-old", s, cb);
      assert.deepEqual(await done, []);
      assert.deepEqual(methods(), ["update"], "never re-created");
      [cb, done] = callback();
      store.set("sid-old", s, cb);
      await done;
      assert.deepEqual(methods(), ["update", "update"]);
    });

    it("updates a session it created in this process on its next save", async function () {
      const store = adapter();
      const s = generated(store, "sid-new", { views: 1 });
      for (let i = 0; i < 2; i++) {
        const [cb, done] = callback();
        store.set("sid-new", s, cb);
        await done;
      }
      assert.deepEqual(methods(), ["insert", "update"]);
    });

    it("does not count a save that wrote nothing as created: the next save tries to create it again", async function () {
      answers.insert = async () => null;
      answers.update = async () => null;
      const store = adapter();
      const s = generated(store, "sid-lost", { views: 1 });
      for (let i = 0; i < 2; i++) {
        const [cb, done] = callback();
        store.set("sid-lost", s, cb);
        assert.deepEqual(await done, []);
      }
      assert.deepEqual(methods(), ["insert", "update", "insert", "update"]);
    });

    it("passes the store's error on (express-session then calls next(err))", async function () {
      const store = adapter();
      const failure = new Error("fixation");
      answers.insert = async () => Promise.reject(failure);
      let [cb, done] = callback();
      store.set("sid-a", generated(store, "sid-a", {}), cb);
      assert.deepEqual(await done, [failure]);
      answers.update = async () => Promise.reject(failure);
      const s = await loaded(store, "sid-b", {});
      [cb, done] = callback();
      store.set("sid-b", s, cb);
      assert.deepEqual(await done, [failure]);
    });

    it("takes the owner from session.userId when it is a string, or from userIdOf", async function () {
      const owners: unknown[] = [];
      answers.insert = async (_sid, init) => {
        owners.push((init as { userId?: string }).userId);
        return stored({});
      };
      const plain = adapter();
      for (const userId of ["user-1", 42, undefined]) {
        const [cb, done] = callback();
        plain.set("sid", generated(plain, "sid", { userId }), cb);
        await done;
      }
      const custom = adapter({ userIdOf: (s) => (s as unknown as { account: { sub: string } }).account.sub });
      const [cb, done] = callback();
      custom.set("sid", generated(custom, "sid", { account: { sub: "user-9" }, userId: "ignored" }), cb);
      await done;
      assert.deepEqual(owners, ["user-1", undefined, undefined, "user-9"]);
    });
  });

  describe("touch", function () {
    it("skips the write for a session seen less than touchAfterSeconds (default 60) ago, and writes at 60", async function () {
      const store = adapter();
      const recent = await loaded(store, "sid-1", {}, NOW_S - 59);
      const due = await loaded(store, "sid-2", {}, NOW_S - 60);
      calls = [];
      for (const [sid, s] of [
        ["sid-1", recent],
        ["sid-2", due],
      ] as const) {
        const [cb, done] = callback();
        store.touch!(sid, s, cb);
        assert.deepEqual(await done, []);
      }
      assert.deepEqual(calls, [{ method: "touch", args: ["sid-2"] }]);
    });

    it("counts from the last write it made: a touch moves the mark, a save too", async function () {
      const store = adapter({ touchAfterSeconds: 10 });
      const s = await loaded(store, "sid", {}, NOW_S - 10);
      calls = [];
      const touch = async () => {
        const [cb, done] = callback();
        store.touch!("sid", s, cb);
        await done;
      };
      await touch();
      nowMs += 9_000;
      await touch();
      assert.deepEqual(methods(), ["touch"], "seen 9 s ago: skipped");
      nowMs += 1_000;
      await touch();
      assert.deepEqual(methods(), ["touch", "touch"]);
      nowMs += 20_000;
      const [cb, done] = callback();
      store.set("sid", s, cb);
      await done;
      await touch();
      assert.deepEqual(methods(), ["touch", "touch", "update"], "the save just now counts as seen");
    });

    it("keeps the mark when the session was gone (touch answers null), so the next touch asks again", async function () {
      const store = adapter();
      const s = await loaded(store, "sid", {}, NOW_S - 100);
      answers.touch = async () => null;
      calls = [];
      for (let i = 0; i < 2; i++) {
        const [cb, done] = callback();
        store.touch!("sid", s, cb);
        assert.deepEqual(await done, []);
      }
      assert.deepEqual(methods(), ["touch", "touch"]);
    });

    it("always touches a session it does not know (not loaded here), and passes errors on", async function () {
      const store = adapter();
      let [cb, done] = callback();
      store.touch!("sid-x", generated(store, "sid-x", {}), cb);
      assert.deepEqual(await done, []);
      calls = [];
      const failure = new Error("table down");
      answers.touch = async () => Promise.reject(failure);
      [cb, done] = callback();
      store.touch!("sid-x", generated(store, "sid-x", {}), cb);
      assert.deepEqual(await done, [failure]);
      assert.deepEqual(calls, [{ method: "touch", args: ["sid-x"] }]);
    });

    it("reads the system clock by default", async function () {
      const store = createExpressSessionStore(session.Store, sessions);
      const s = await loaded(store, "sid", {}, Math.floor(Date.now() / 1000));
      calls = [];
      const [cb, done] = callback();
      store.touch!("sid", s, cb);
      await done;
      assert.deepEqual(methods(), [], "seen just now: no write");
    });
  });

  describe("destroy", function () {
    it("destroys the session and calls back without an error whether or not it existed, or with the store's error", async function () {
      const store = adapter();
      for (const existed of [true, false]) {
        answers.destroy = async () => existed;
        const [cb, done] = callback();
        store.destroy("sid", cb);
        assert.deepEqual(await done, []);
      }
      assert.deepEqual(calls, [
        { method: "destroy", args: ["sid"] },
        { method: "destroy", args: ["sid"] },
      ]);
      const failure = new Error("table down");
      answers.destroy = async () => Promise.reject(failure);
      const [cb, done] = callback();
      store.destroy("sid", cb);
      assert.deepEqual(await done, [failure]);
    });
  });

  it("takes its callbacks as optional, as express-session's Store does", async function () {
    const store = adapter();
    const s = generated(store, "sid", {});
    store.set("sid", s);
    store.touch!("sid", s);
    store.destroy("sid");
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(methods(), ["insert", "touch", "destroy"]);
  });
});
