import assert from "node:assert/strict";
import { createServer, IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import session from "express-session";
import { createExpressSessionStore, ExpressSessionStore } from "../../../functions/sessions/expressStore";
import { SessionFixationError } from "../../../functions/sessions/errors";
import { keyOf, SessionStore } from "../../../functions/sessions/store";
import { createSessionTable, dynaliteClient, startDynalite } from "../../support/dynalite";
import type { EmulatorProcess } from "../../support/emulatorProcess";
import { FakeKms } from "../../support/fakeKms";

type Req = IncomingMessage & { session: session.Session & Record<string, unknown>; sessionID: string };

/**
 * A tiny app behind the real express-session middleware (no express needed):
 *   /login?user=U   sets userId and a counter on the session the request has (an in-place upgrade)
 *   /signin?user=U  regenerates the session first (the documented sign-in), then sets userId
 *   /count          increments the counter
 *   /peek           reads without modifying (express-session then calls touch)
 *   /slow           loads the session, waits for `release()`, then modifies it
 *   /logout         destroys the session
 */
function app(store: ExpressSessionStore, gate: { wait?: Promise<void>; loaded?: () => void; errors?: unknown[] }) {
  const middleware = session({
    store,
    genid: () => store.generateId(),
    secret: "test-secret-not-for-production",
    resave: false,
    saveUninitialized: false,
    name: "sid",
  });
  return createServer((request: IncomingMessage, res: ServerResponse) => {
    const req = request as Req;
    middleware(req as any, res as any, async (err?: unknown) => {
      // express-session reports a failed save at the end of the response as next(err).
      if (err) return void gate.errors?.push(err);
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const send = (body: unknown) => {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify(body));
      };
      switch (url.pathname) {
        case "/login":
          req.session.userId = url.searchParams.get("user") ?? "";
          req.session.views = 1;
          return send({ views: 1 });
        case "/signin":
          return req.session.regenerate((err?: unknown) => {
            if (err) {
              res.statusCode = 500;
              return send({ error: "regenerate" });
            }
            req.session.userId = url.searchParams.get("user") ?? "";
            req.session.views = 1;
            send({ views: 1 });
          });
        case "/count":
          req.session.views = ((req.session.views as number | undefined) ?? 0) + 1;
          return send({ views: req.session.views, userId: req.session.userId ?? null });
        case "/peek":
          return send({ views: req.session.views ?? null });
        case "/slow":
          gate.loaded?.();
          await gate.wait;
          req.session.views = 1000;
          return send({ views: 1000 });
        case "/logout":
          return req.session.destroy(() => send({ ok: true }));
        default:
          res.statusCode = 404;
          res.end();
      }
    });
  });
}

describe("express-session adapter (functions/sessions/expressStore) through the real middleware, against dynalite", function () {
  let dynalite: EmulatorProcess;
  let client: DynamoDBClient;
  let server: Server;
  let base: string;
  let sessions: SessionStore;
  let kms: FakeKms;
  let nowMs = Date.UTC(2030, 0, 1);
  const gate: { wait?: Promise<void>; loaded?: () => void; errors?: unknown[] } = {};

  before(async function () {
    dynalite = await startDynalite();
    client = dynaliteClient(dynalite.endpoint);
    await createSessionTable(client, "express-sessions");
    kms = new FakeKms();
    sessions = new SessionStore({ client, tableName: "express-sessions", idleTimeoutSeconds: 1800, now: () => nowMs, encryption: { kms: kms.client, keyId: kms.keyArn } });
    const store = createExpressSessionStore(session.Store, sessions, { touchAfterSeconds: 60, now: () => nowMs });
    server = app(store, gate);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async function () {
    await new Promise((resolve) => server?.close(resolve));
    client?.destroy();
    kms?.restore();
    await dynalite?.stop();
  });

  async function get(path: string, cookie?: string): Promise<{ body: any; cookie?: string; status: number }> {
    const res = await fetch(base + path, { headers: cookie ? { cookie } : {} });
    const setCookie = res.headers.get("set-cookie")?.split(";")[0];
    const text = await res.text();
    return { body: text.startsWith("{") ? JSON.parse(text) : text, cookie: setCookie, status: res.status };
  }
  const sidOf = (cookie: string) => {
    const sid = decodeURIComponent(cookie.replace(/^sid=/, "")).replace(/^s:/, "").split(".")[0];
    assert.ok(SessionStore.isValidId(sid), `not a store-minted session id: ${sid}`);
    return sid;
  };
  const rawItem = async (sid: string) =>
    (await client.send(new GetItemCommand({ TableName: "express-sessions", Key: { pk: { S: keyOf(sid) } }, ConsistentRead: true }))).Item;

  it("creates a session under a store-minted id, keeps its data across requests and records its owner", async function () {
    const login = await get("/login?user=user-1");
    assert.ok(login.cookie, "a session cookie was set");
    assert.ok(await rawItem(sidOf(login.cookie!)), "the session is in the table under the cookie's id (genid used the store's CSPRNG id)");
    assert.deepEqual((await get("/count", login.cookie)).body, { views: 2, userId: "user-1" });
    assert.deepEqual((await get("/count", login.cookie)).body, { views: 3, userId: "user-1" });
    assert.equal((await sessions.get(sidOf(login.cookie!)))?.userId, "user-1");
  });

  it("throttles touch writes for unmodified sessions to one per touchAfterSeconds", async function () {
    const { cookie } = await get("/login?user=user-2");
    const sid = sidOf(cookie!);
    const seen = async () => Number((await rawItem(sid))?.lastSeenAt.N);
    const start = await seen();
    nowMs += 30_000;
    await get("/peek", cookie);
    assert.equal(await seen(), start, "no write 30 s after the last one");
    nowMs += 31_000;
    await get("/peek", cookie);
    assert.equal(await seen(), start + 61, "touched once 61 s had passed");
  });

  it("does not let a request that loaded the session before a logout write it back afterwards", async function () {
    const { cookie } = await get("/login?user=user-3");
    assert.ok(await rawItem(sidOf(cookie!)));
    let release!: () => void;
    gate.wait = new Promise((resolve) => (release = resolve));
    const loaded = new Promise<void>((resolve) => (gate.loaded = resolve));
    const slow = get("/slow", cookie);
    await loaded;
    assert.deepEqual((await get("/logout", cookie)).body, { ok: true });
    release();
    assert.deepEqual((await slow).body, { views: 1000 });
    gate.wait = undefined;
    gate.loaded = undefined;
    assert.equal(await rawItem(sidOf(cookie!)), undefined, "the late save did not re-create the session");
    const after = await get("/count", cookie);
    assert.deepEqual(after.body, { views: 1, userId: null }, "the old cookie now starts a fresh, anonymous session");
    assert.notEqual(sidOf(after.cookie!), sidOf(cookie!));
  });

  it("signs a user out everywhere: destroyAllForUser ends every browser's session", async function () {
    const laptop = await get("/login?user=user-4");
    const phone = await get("/login?user=user-4");
    assert.equal(await sessions.destroyAllForUser("user-4"), 2);
    assert.deepEqual((await get("/count", laptop.cookie)).body, { views: 1, userId: null });
    assert.deepEqual((await get("/count", phone.cookie)).body, { views: 1, userId: null });
  });

  it("signs in with regenerate: the anonymous cookie's id is destroyed and a new id carries the user (session fixation)", async function () {
    const visit = await get("/count");
    const anonymousSid = sidOf(visit.cookie!);
    assert.ok(await rawItem(anonymousSid), "an anonymous session exists before sign-in");
    const signin = await get("/signin?user=user-5", visit.cookie);
    assert.equal(signin.status, 200);
    assert.ok(signin.cookie, "sign-in sets a new cookie");
    const signedInSid = sidOf(signin.cookie!);
    assert.notEqual(signedInSid, anonymousSid, "the session id changed at sign-in");
    assert.equal(await rawItem(anonymousSid), undefined, "the pre-sign-in id is gone from the table");
    assert.equal((await sessions.get(signedInSid))?.userId, "user-5");
    assert.deepEqual((await get("/count", signin.cookie)).body, { views: 2, userId: "user-5" });
    const planted = await get("/count", visit.cookie);
    assert.deepEqual(planted.body, { views: 1, userId: null }, "whoever still holds the old cookie is anonymous");
  });

  it("refuses an in-place upgrade through the adapter: the save fails (next(err)) and the anonymous session stays anonymous", async function () {
    const visit = await get("/count");
    const sid = sidOf(visit.cookie!);
    gate.errors = [];
    await get("/login?user=user-6", visit.cookie);
    for (let i = 0; i < 50 && gate.errors.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(gate.errors.length, 1, "express-session passed the store's error on (next(err))");
    assert.ok(gate.errors[0] instanceof SessionFixationError);
    gate.errors = undefined;
    assert.equal((await sessions.get(sid))?.userId, undefined);
    assert.equal((await rawItem(sid))?.userId, undefined);
    assert.deepEqual((await get("/count", visit.cookie)).body, { views: 2, userId: null });
  });

  it("ignores a forged or unknown session cookie and starts a new session under a new id (no fixation)", async function () {
    const forged = `sid=${encodeURIComponent("s:" + SessionStore.generateId() + ".forgedsignature")}`;
    const res = await get("/count", forged);
    assert.deepEqual(res.body, { views: 1, userId: null });
    assert.ok(res.cookie);
  });
});
