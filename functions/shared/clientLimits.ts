/**
 * Time limits for every AWS SDK client the functions create or document: one home, so a client
 * can never be built without them. Without `requestTimeout` the SDK's Node handler waits on a
 * silent socket for ever; without `maxAttempts` it retries up to its default (3, standard mode).
 *
 * - `connectionTimeout`: ms to establish the TCP/TLS connection.
 * - `requestTimeout`: ms after the request is sent before it is abandoned (a timer started with
 *   the request, not an idle timer); `throwOnRequestTimeout: true` makes it destroy the socket and
 *   reject with a `TimeoutError` (without it the handler only logs a warning and keeps waiting).
 *   The standard retry strategy treats `TimeoutError` as transient, so it counts against `maxAttempts`.
 * - `maxAttempts`: the first try plus retries.
 *
 * Worst case for one call: maxAttempts × (connectionTimeout + requestTimeout) plus the retry
 * back-off (standard mode: random up to 100 ms × 2^attempt, capped at 20 s). Source:
 * @smithy/node-http-handler `NodeHttpHandlerOptions` and @smithy/util-retry `StandardRetryStrategy`
 * (node_modules), read for this module.
 */
export interface ClientLimits {
  /** ms to connect. */
  connectionTimeoutMs: number;
  /** ms a request may take before it is abandoned. */
  requestTimeoutMs: number;
  /** Attempts in all (1 = no retry). */
  maxAttempts: number;
}

/** Per service: what one request may cost a page view. Sessions sit on every request, so they are the tightest. */
export const CLIENT_LIMITS = {
  dynamodb: { connectionTimeoutMs: 1000, requestTimeoutMs: 1500, maxAttempts: 3 },
  kms: { connectionTimeoutMs: 1000, requestTimeoutMs: 2000, maxAttempts: 3 },
  // One attempt: a timed-out SendEmail may have been accepted; retrying it in the SDK would mail twice.
  ses: { connectionTimeoutMs: 2000, requestTimeoutMs: 5000, maxAttempts: 1 },
  cloudwatch: { connectionTimeoutMs: 1000, requestTimeoutMs: 3000, maxAttempts: 2 },
  cognito: { connectionTimeoutMs: 2000, requestTimeoutMs: 5000, maxAttempts: 2 },
  s3: { connectionTimeoutMs: 2000, requestTimeoutMs: 5000, maxAttempts: 3 },
  // CreateJob carries a ClientRequestToken: a retried request returns the first job, never a second one.
  mediaconvert: { connectionTimeoutMs: 2000, requestTimeoutMs: 10000, maxAttempts: 3 },
  sns: { connectionTimeoutMs: 1000, requestTimeoutMs: 3000, maxAttempts: 3 },
} as const satisfies Record<string, ClientLimits>;

/** The client settings that apply `limits` (spread them under the caller's region, endpoint and credentials). */
export function boundedClientConfig(limits: ClientLimits) {
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive whole number`);
  }
  return {
    maxAttempts: limits.maxAttempts,
    requestHandler: { connectionTimeout: limits.connectionTimeoutMs, requestTimeout: limits.requestTimeoutMs, throwOnRequestTimeout: true },
  };
}

/** Worst-case wall time of one call under `limits`, excluding back-off: what the docs quote. */
export function worstCaseMs(limits: ClientLimits): number {
  return limits.maxAttempts * (limits.connectionTimeoutMs + limits.requestTimeoutMs);
}

/** The functions' region when the caller names none (DESIGN.md "Regions": SES, DynamoDB, S3, Cognito, KMS live in eu-west-2). */
export const FUNCTIONS_REGION = "eu-west-2";

/**
 * The one recipe of every AWS client the functions create: the region (FUNCTIONS_REGION unless the
 * caller's config says otherwise), the caller's config, then `limits` last, so a caller's config
 * cannot drop the time limits (a `requestHandler` or `maxAttempts` of theirs is replaced).
 */
// The SDK clients' constructors take a rest tuple of their own config type; the exported factories type `config` per client.
export function boundedClient<Client>(ClientClass: new (config: any) => Client, config: object, limits: ClientLimits): Client {
  return new ClientClass({ region: FUNCTIONS_REGION, ...config, ...boundedClientConfig(limits) });
}
