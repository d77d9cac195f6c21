import assert from "node:assert/strict";
import { createServer, Server, Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { AuthServiceError } from "../../../functions/auth/errors";
import { CognitoAuth, createCognitoClient } from "../../../functions/auth/cognitoAuth";
import { MailOutcomeUnknownError } from "../../../functions/mail/errors";
import { createSesClient, sendBookingConfirmation } from "../../../functions/mail/sendBookingConfirmation";
import { createS3Client } from "../../../functions/media/createUploadUrl";
import { BookingMetrics, createCloudWatchClient } from "../../../functions/metrics/trackBookingMetric";
import { unmocked } from "../../support/unmocked";
import { createKmsClient } from "../../../functions/sessions/envelope";
import { SessionStoreUnavailableError } from "../../../functions/sessions/errors";
import { createDynamoClient, SessionStore } from "../../../functions/sessions/store";
import { boundedClientConfig, CLIENT_LIMITS, ClientLimits, worstCaseMs } from "../../../functions/shared/clientLimits";

const credentials = { accessKeyId: "test", secretAccessKey: "test" };
/** Short limits so the test is quick; the defaults are checked separately below. */
const FAST: ClientLimits = { connectionTimeoutMs: 500, requestTimeoutMs: 250, maxAttempts: 2 };

/**
 * A TCP server on 127.0.0.1 that accepts every connection and never answers: a stalled service
 * (a black-holed endpoint, an overloaded load balancer). It counts connections, so a test sees how
 * many attempts the client made.
 */
class SilentServer {
  connections = 0;
  private readonly sockets = new Set<Socket>();
  private readonly server: Server = createServer((socket) => {
    this.connections++;
    this.sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => this.sockets.delete(socket));
  });
  endpoint = "";

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const timedOut = (error: unknown): boolean => {
  for (let e = error as { name?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) if (e.name === "TimeoutError") return true;
  return false;
};

describe("time limits of every AWS client the functions create (a local TCP server that never answers)", function () {
  let silent: SilentServer;

  beforeEach(async function () {
    silent = new SilentServer();
    await silent.start();
  });

  afterEach(async function () {
    await silent.stop();
  });

  it("a stalled DynamoDB ends in STORE_UNAVAILABLE after exactly maxAttempts requests, each abandoned on time", async function () {
    const client = createDynamoClient({ endpoint: silent.endpoint, credentials }, FAST);
    const store = new SessionStore({ client, tableName: "sessions", plaintextData: true });
    const id = SessionStore.generateId();
    await assert.rejects(store.get(id), (e: unknown) => e instanceof SessionStoreUnavailableError && e.code === "STORE_UNAVAILABLE" && timedOut(e) && !e.message.includes(id));
    assert.equal(silent.connections, FAST.maxAttempts, "one connection per attempt: retries are bounded");
    client.destroy();
  });

  it("a stalled KMS ends in STORE_UNAVAILABLE before anything is written", async function () {
    const kms = createKmsClient({ endpoint: silent.endpoint, credentials }, FAST);
    const client = createDynamoClient({ endpoint: silent.endpoint, credentials }, FAST);
    const store = new SessionStore({ client, tableName: "sessions", encryption: { kms, keyId: "arn:aws:kms:eu-west-2:111122223333:key/k" } });
    await assert.rejects(store.create({ data: { a: 1 } }), (e: unknown) => {
      const cause = (e as { cause?: unknown }).cause;
      // The log shows which service failed: the cause names KMS.
      return e instanceof SessionStoreUnavailableError && cause instanceof Error && cause.name === "EnvelopeKmsError" && cause.message === "KMS GenerateDataKey failed" && timedOut(e);
    });
    assert.equal(silent.connections, FAST.maxAttempts, "only KMS was asked (the seal comes before the write)");
    kms.destroy();
    client.destroy();
  });

  it("a stalled SES ends in a typed MailOutcomeUnknownError (the request went out; SES may have accepted it)", async function () {
    const ses = createSesClient({ endpoint: silent.endpoint, credentials }, FAST);
    const booking = {
      bookingId: "b-1",
      parentName: "Ann Parent",
      parentEmail: "ann@example.com",
      parentEmailVerified: true,
      studentName: "Sam",
      tutorName: "Tess Tutor",
      subject: "GCSE Maths",
      startsAt: "2030-03-30T16:00:00+01:00",
      durationMinutes: 60,
    };
    await assert.rejects(sendBookingConfirmation(booking, { ses, sender: "bookings@example.com", adminEmail: "admin@example.com" }), (e: unknown) => e instanceof MailOutcomeUnknownError && !e.retryable && timedOut(e));
    assert.equal(silent.connections, FAST.maxAttempts);
    ses.destroy();
  });

  it("a stalled CloudWatch ends in PUBLISH_FAILED from flush, which never rejects", async function () {
    const client = createCloudWatchClient("eu-west-2", silent.endpoint, FAST, credentials);
    const metrics = new BookingMetrics({ client: unmocked(client), environment: "dev", flushIntervalMs: 0, onError: () => {} });
    metrics.record();
    const result = await metrics.flush();
    assert.equal(result.errors[0]?.code, "PUBLISH_FAILED");
    assert.ok(timedOut(result.errors[0]));
    assert.equal(silent.connections, FAST.maxAttempts);
    client.destroy();
  });

  it("a stalled Cognito ends in AuthServiceError (SERVICE_UNAVAILABLE)", async function () {
    const client = createCognitoClient({ endpoint: silent.endpoint, credentials }, FAST);
    const auth = new CognitoAuth({ client, userPoolId: "eu-west-2_Test123", clientId: "client", passwordFlow: "USER_PASSWORD_AUTH" });
    await assert.rejects(auth.signIn("ann@example.com", "correct horse battery"), (e: unknown) => e instanceof AuthServiceError && e.code === "SERVICE_UNAVAILABLE" && timedOut(e));
    assert.equal(silent.connections, FAST.maxAttempts);
    client.destroy();
  });

  it("builds every client with the project's limits, which a caller's config cannot drop", async function () {
    const clients = [
      [createDynamoClient({ maxAttempts: 10, requestHandler: {} }), CLIENT_LIMITS.dynamodb],
      [createKmsClient(), CLIENT_LIMITS.kms],
      [createSesClient(), CLIENT_LIMITS.ses],
      [createCloudWatchClient("eu-west-2"), CLIENT_LIMITS.cloudwatch],
      [createCognitoClient(), CLIENT_LIMITS.cognito],
      [createS3Client(), CLIENT_LIMITS.s3],
    ] as const;
    for (const [client, limits] of clients) {
      assert.equal(await client.config.maxAttempts(), limits.maxAttempts);
      const handler = (client.config as unknown as { requestHandler: { configProvider: Promise<Record<string, unknown>> } }).requestHandler;
      const resolved = await handler.configProvider;
      assert.equal(resolved.requestTimeout, limits.requestTimeoutMs);
      assert.equal(resolved.connectionTimeout, limits.connectionTimeoutMs);
      assert.equal(resolved.throwOnRequestTimeout, true);
      assert.equal(await client.config.region(), "eu-west-2");
      client.destroy();
    }
    // The region is FUNCTIONS_REGION unless the caller names one; S3 checksums only where required (presigned POSTs carry none).
    const elsewhere = createKmsClient({ region: "us-east-1" });
    assert.equal(await elsewhere.config.region(), "us-east-1");
    elsewhere.destroy();
    const s3 = createS3Client();
    assert.equal(await s3.config.requestChecksumCalculation(), "WHEN_REQUIRED");
    s3.destroy();
    assert.equal(worstCaseMs(CLIENT_LIMITS.dynamodb), 7500);
    assert.throws(() => boundedClientConfig({ connectionTimeoutMs: 0, requestTimeoutMs: 1, maxAttempts: 1 }), { name: "RangeError", message: "connectionTimeoutMs must be a positive whole number" });
    assert.throws(() => boundedClientConfig({ connectionTimeoutMs: 1, requestTimeoutMs: 1.5, maxAttempts: 1 }), { name: "RangeError", message: "requestTimeoutMs must be a positive whole number" });
    assert.throws(() => boundedClientConfig({ connectionTimeoutMs: 1, requestTimeoutMs: 1, maxAttempts: 0 }), { name: "RangeError", message: "maxAttempts must be a positive whole number" });
  });
});
