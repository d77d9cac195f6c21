import type { SessionData as ExpressSessionData, Store } from "express-session";
import { SessionData, SessionStore } from "./store";

export interface ExpressSessionStoreOptions {
  /** Which user a session belongs to (the key of destroy-all-for-user). Default: `session.userId` when it is a string. */
  userIdOf?: (session: ExpressSessionData) => string | undefined;
  /** `touch` skips the write when the session was last seen less than this many seconds ago. Default 60. */
  touchAfterSeconds?: number;
  /** Clock in epoch milliseconds, for the touch interval. Default `Date.now`. */
  now?: () => number;
}

/** The adapter: an express-session `Store` plus the id generator its `genid` option must use. */
export type ExpressSessionStore = Store & { generateId(): string };

type StoreConstructor = abstract new () => Store;
type Callback = (err?: unknown) => void;

/**
 * Wraps a `SessionStore` as an express-session store, connect-style: pass express-session's own
 * `Store` class so this module has no runtime dependency on express-session.
 *
 * ```ts
 * import session from "express-session";
 * const store = createExpressSessionStore(session.Store, new SessionStore({ client, tableName }));
 * app.use(session({ store, genid: () => store.generateId(), secret, resave: false, saveUninitialized: false,
 *   cookie: { httpOnly: true, secure: true, sameSite: "lax", maxAge: 30 * 60 * 1000 } }));
 * ```
 *
 * How a destroyed session stays destroyed here: express-session calls `set` both for new sessions
 * and for sessions it loaded, and cannot say which. The adapter remembers (per process, in a
 * WeakMap) which Session objects came from the store: saving one of those only ever updates a
 * live item, so a request that loaded a session before another request destroyed it cannot write
 * it back. Only sessions express-session generated in this request are created, under their new id.
 */
export function createExpressSessionStore(StoreBase: StoreConstructor, sessions: SessionStore, options: ExpressSessionStoreOptions = {}): ExpressSessionStore {
  const userIdOf =
    options.userIdOf ??
    ((s: ExpressSessionData) => {
      const userId = (s as unknown as { userId?: unknown }).userId;
      return typeof userId === "string" ? userId : undefined;
    });
  const touchAfter = options.touchAfterSeconds ?? 60;
  const clock = options.now ?? Date.now;
  /** Data objects returned by `get`, until express-session turns them into Session objects. */
  const fetched = new WeakMap<object, { lastSeenAt: number }>();
  /** Session objects that exist in the table (loaded, or created by this process). */
  const persisted = new WeakMap<object, { lastSeenAt: number }>();

  class DynamoSessionStore extends StoreBase {
    generateId(): string {
      return SessionStore.generateId();
    }

    override createSession(req: Parameters<Store["createSession"]>[0], data: ExpressSessionData) {
      const meta = fetched.get(data);
      const session = super.createSession(req, data);
      // Stryker disable next-line ConditionalExpression: a WeakMap entry holding undefined reads as no entry (persisted.get answers undefined either way).
      if (meta) persisted.set(session, meta);
      return session;
    }

    get(sid: string, callback: (err: unknown, session?: ExpressSessionData | null) => void): void {
      sessions.get(sid).then(
        (found) => {
          if (!found) return callback(null, null);
          const data = found.data as unknown as ExpressSessionData;
          fetched.set(data, { lastSeenAt: found.lastSeenAt });
          callback(null, data);
        },
        (error) => callback(error),
      );
    }

    set(sid: string, session: ExpressSessionData, callback: Callback = noop): void {
      // A Session instance: the store takes plain objects only, so copy its own enumerable fields
      // (express-session keeps `req` and `id` non-enumerable; the cookie serialises through its toJSON).
      const data = { ...session } as unknown as SessionData;
      const userId = userIdOf(session);
      const known = persisted.get(session);
      const write = known
        ? sessions.update(sid, { data, userId })
        : sessions.insert(sid, { data, userId }).then(async (created) => created ?? sessions.update(sid, { data, userId }));
      write.then(
        (saved) => {
          // A session destroyed meanwhile stays destroyed: nothing was written, and that is not an error.
          if (saved) persisted.set(session, { lastSeenAt: saved.lastSeenAt });
          callback();
        },
        (error) => callback(error),
      );
    }

    override touch(sid: string, session: ExpressSessionData, callback: () => void = noop): void {
      const known = persisted.get(session);
      if (known && Math.floor(clock() / 1000) - known.lastSeenAt < touchAfter) return callback();
      sessions.touch(sid).then(
        (touched) => {
          if (touched && known) known.lastSeenAt = touched.lastSeenAt;
          callback();
        },
        // express-session's touch callback takes an error too, although its typings do not say so.
        (error) => (callback as Callback)(error),
      );
    }

    destroy(sid: string, callback: Callback = noop): void {
      sessions.destroy(sid).then(
        () => callback(),
        (error) => callback(error),
      );
    }
  }

  return new DynamoSessionStore();
}

function noop(): void {}
