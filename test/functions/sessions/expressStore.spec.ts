import assert from "node:assert/strict";
import { createServer, IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import session from "express-session";
import { createExpressSessionStore, ExpressSessionStore } from "../../../functions/sessions/expressStore";
import { keyOf, SessionStore } from "../../../functions/sessions/store";
import { createSessionTable, dynaliteClient, startDynalite } from "../../support/dynalite";
import type { EmulatorProcess } from "../../support/emulatorProcess";

type Req = IncomingMessage & { session: session.Session & Record<string, unknown>; sessionID: string };

/**
 * A tiny app behind the real express-session middleware (no express needed):
 *   /login?user=U   sets userId and a counter
 *   /count          increments the counter
 *   /peek           reads without modifying (express-session then calls touch)
 *   /slow           loads the session, waits for `release()`, then modifies it
 *   /logout         destroys the session
 */
function app(store: ExpressSessionStore, gate: { wait?: Promise<void>; loaded?: () => void }) {
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
    middleware(req as any, res as any, async () => {
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
  let nowMs = Date.UTC(2030, 0, 1);
  const gate: { wait?: Promise<void>; loaded?: () => void } = {};

  before(async function () {
    dynalite = await startDynalite();
    client = dynaliteClient(dynalite.endpoint);
    await createSessionTable(client, "express-sessions");
    sessions = new SessionStore({ client, tableName: "express-sessions", idleTimeoutSeconds: 1800, now: () => nowMs });
    const store = createExpressSessionStore(session.Store, sessions, { touchAfterSeconds: 60, now: () => nowMs });
    server = app(store, gate);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async function () {
    await new Promise((resolve) => server?.close(resolve));
    client?.destroy();
    await dynalite?.stop();
  });

  async function get(path: string, cookie?: string): Promise<{ body: any; cookie?: string }> {
    const res = await fetch(base + path, { headers: cookie ? { cookie } : {} });
    const setCookie = res.headers.get("set-cookie")?.split(";")[0];
    return { body: await res.json(), cookie: setCookie };
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

  it("ignores a forged or unknown session cookie and starts a new session under a new id (no fixation)", async function () {
    const forged = `sid=${encodeURIComponent("s:" + SessionStore.generateId() + ".forgedsignature")}`;
    const res = await get("/count", forged);
    assert.deepEqual(res.body, { views: 1, userId: null });
    assert.ok(res.cookie);
  });
});
