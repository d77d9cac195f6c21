// Server-side sessions on the DynamoDB session table (docs/identity.md).
export { createDynamoClient, keyOf, SessionStore } from "./store";
export { createKmsClient, SessionCipher } from "./envelope";
export type { SessionEncryptionOptions, KmsLike } from "./envelope";
export type { SessionData, SessionStoreOptions, StoredSession } from "./store";
export { createExpressSessionStore } from "./expressStore";
export type { ExpressSessionStore, ExpressSessionStoreOptions } from "./expressStore";
export * from "./errors";
export { SESSION_DATA_CONTEXT, SESSION_TABLE } from "./schema";
