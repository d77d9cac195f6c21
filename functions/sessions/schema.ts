/**
 * The session table's key schema, shared by the `SessionTable` component (which declares it) and
 * the session store (which reads and writes it), so the two cannot drift apart. Plain constants:
 * importing this file pulls in no SDK and no Pulumi code.
 */
export const SESSION_TABLE = {
  /** Partition key (S): base64url SHA-256 of the session id. The id itself is never stored. */
  partitionKey: "pk",
  /** Owner of the session (S), absent for anonymous sessions; the key of the sparse user index. */
  userIdAttribute: "userId",
  /** Global secondary index on `userId` (KEYS_ONLY), used by destroy-all-for-user. */
  userIndexName: "byUser",
  /** Epoch seconds after which DynamoDB TTL may delete the item (N). Reads never rely on it. */
  ttlAttribute: "expiresAt",
} as const;

/**
 * The KMS encryption context of session data keys (functions/sessions/envelope.ts), shared with
 * the app runtime role's key policy (components/app/AppRuntimeRole.ts), which allows the role to
 * use the key only with exactly this context for its stack's table.
 */
export const SESSION_DATA_CONTEXT = {
  purposeKey: "mpto:purpose",
  purpose: "session-data",
  tableKey: "mpto:table",
} as const;
