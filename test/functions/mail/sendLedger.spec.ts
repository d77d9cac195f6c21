import assert from "node:assert/strict";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { parseBooking } from "../../../functions/mail/booking";
import { confirmationKey, DynamoSendLedger, LEDGER_KEY_PREFIX } from "../../../functions/mail/sendLedger";
import { BOOKING_REQUEST } from "../../fixtures/mail/booking";

/**
 * The send ledger's requests, in process (the dynalite spec in sendBookingConfirmation.spec.ts shows
 * the conditions work against a DynamoDB implementation; this one pins what is asked: the item,
 * the lease arithmetic, the retention, and which failures are swallowed).
 */
describe("DynamoSendLedger: the requests it makes", () => {
  const NOW_MS = 1_775_000_000_500; // a whole second plus 500 ms: times are floored to seconds
  const NOW = 1_775_000_000;
  // Created in before() and restored after: a mock made at load time would intercept every document client of the run.
  let doc: AwsClientStub<DynamoDBDocumentClient>;
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: "eu-west-2", credentials: { accessKeyId: "x", secretAccessKey: "y" } }));
  const ledger = (options: { leaseSeconds?: number; retentionDays?: number } = {}) => new DynamoSendLedger({ client, tableName: "sessions", now: () => NOW_MS, ...options });
  const conditionFailed = () => Object.assign(new Error("The conditional request failed"), { name: "ConditionalCheckFailedException" });

  before(() => {
    doc = mockClient(DynamoDBDocumentClient);
  });
  beforeEach(() => doc.reset());
  after(() => doc.restore());

  it("claims with a pending item that expires after the retention, new or with a lease that has ended", async () => {
    doc.on(PutCommand).resolves({});
    assert.deepEqual(await ledger({ leaseSeconds: 600, retentionDays: 2 }).claim("k1"), { state: "claimed" });
    const [call] = doc.commandCalls(PutCommand);
    assert.deepEqual(call.args[0].input, {
      TableName: "sessions",
      Item: { pk: `${LEDGER_KEY_PREFIX}k1`, state: "pending", claimedAt: NOW, expiresAt: NOW + 2 * 86_400 },
      ConditionExpression: "attribute_not_exists(pk) OR (#state = :pending AND claimedAt <= :stale)",
      ExpressionAttributeNames: { "#state": "state" },
      ExpressionAttributeValues: { ":pending": "pending", ":stale": NOW - 600 },
    });
    assert.equal(LEDGER_KEY_PREFIX, "mail-send#");
  });

  it("defaults to a one-hour lease and 30 days of retention", async () => {
    doc.on(PutCommand).resolves({});
    await ledger().claim("k");
    const { Item, ExpressionAttributeValues } = doc.commandCalls(PutCommand)[0].args[0].input;
    assert.equal(Item!.expiresAt, NOW + 30 * 86_400);
    assert.equal(ExpressionAttributeValues![":stale"], NOW - 3600);
  });

  it("when the claim is taken, reads the item consistently: sent with its MessageId, else pending", async () => {
    doc.on(PutCommand).rejects(conditionFailed());
    doc
      .on(GetCommand)
      .resolvesOnce({ Item: { state: "sent", messageId: "m-1" } })
      .resolvesOnce({ Item: { state: "pending" } })
      .resolvesOnce({ Item: { state: "sent" } })
      .resolvesOnce({});
    const l = ledger();
    assert.deepEqual(await l.claim("k"), { state: "sent", messageId: "m-1" });
    assert.deepEqual(await l.claim("k"), { state: "pending" });
    assert.deepEqual(await l.claim("k"), { state: "pending" }, "sent without a MessageId is not a send to report");
    assert.deepEqual(await l.claim("k"), { state: "pending" }, "gone meanwhile");
    assert.deepEqual(doc.commandCalls(GetCommand)[0].args[0].input, { TableName: "sessions", Key: { pk: `${LEDGER_KEY_PREFIX}k` }, ConsistentRead: true });
  });

  it("passes on any other failure of the claim", async () => {
    const down = Object.assign(new Error("down"), { name: "InternalServerError" });
    doc.on(PutCommand).rejects(down);
    await assert.rejects(ledger().claim("k"), (e: unknown) => e === down);
    assert.equal(doc.commandCalls(GetCommand).length, 0);
  });

  it("completes by marking the item sent with its MessageId and a fresh retention", async () => {
    doc.on(UpdateCommand).resolves({});
    await ledger({ retentionDays: 1 }).complete("k", "m-9");
    assert.deepEqual(doc.commandCalls(UpdateCommand)[0].args[0].input, {
      TableName: "sessions",
      Key: { pk: `${LEDGER_KEY_PREFIX}k` },
      UpdateExpression: "SET #state = :sent, messageId = :id, expiresAt = :exp",
      ExpressionAttributeNames: { "#state": "state" },
      ExpressionAttributeValues: { ":sent": "sent", ":id": "m-9", ":exp": NOW + 86_400 },
    });
  });

  it("releases only a pending claim, and a claim that is no longer pending is not an error", async () => {
    doc.on(DeleteCommand).rejectsOnce(conditionFailed()).resolves({});
    await ledger().release("k");
    await ledger().release("k");
    assert.deepEqual(doc.commandCalls(DeleteCommand)[0].args[0].input, {
      TableName: "sessions",
      Key: { pk: `${LEDGER_KEY_PREFIX}k` },
      ConditionExpression: "#state = :pending",
      ExpressionAttributeNames: { "#state": "state" },
      ExpressionAttributeValues: { ":pending": "pending" },
    });
    const down = Object.assign(new Error("down"), { name: "InternalServerError" });
    doc.on(DeleteCommand).rejects(down);
    await assert.rejects(ledger().release("k"), (e: unknown) => e === down);
  });

  it("takes a plain DynamoDB client too, and sends through a document client over it", async () => {
    doc.on(PutCommand).resolves({});
    // Port 9 (discard): were a request to leave this client unmarshalled and unmocked, it would fail at once.
    const plain = new DynamoDBClient({ region: "eu-west-2", endpoint: "http://127.0.0.1:9", maxAttempts: 1, credentials: { accessKeyId: "x", secretAccessKey: "y" } });
    try {
      assert.deepEqual(await new DynamoSendLedger({ client: plain, tableName: "sessions", now: () => NOW_MS }).claim("k"), { state: "claimed" });
      assert.equal(doc.commandCalls(PutCommand).length, 1);
    } finally {
      plain.destroy();
    }
  });

  it("uses a document client as given, leaving its translation options alone (the session store shares it)", () => {
    // Wrapping it again (DynamoDBDocumentClient.from) would overwrite the shared config's translateConfig.
    const translateConfig = { marshallOptions: { removeUndefinedValues: true } };
    const shared = DynamoDBDocumentClient.from(new DynamoDBClient({ region: "eu-west-2", credentials: { accessKeyId: "x", secretAccessKey: "y" } }), translateConfig);
    try {
      new DynamoSendLedger({ client: shared, tableName: "sessions" });
      assert.deepEqual(shared.config.translateConfig, translateConfig);
    } finally {
      shared.destroy();
    }
  });

  it("takes a lease of 60 s to 7 days and a retention of 1 to 365 days, in whole numbers", () => {
    for (const leaseSeconds of [60, 604_800]) assert.doesNotThrow(() => ledger({ leaseSeconds }));
    for (const retentionDays of [1, 365]) assert.doesNotThrow(() => ledger({ retentionDays }));
    for (const leaseSeconds of [59, 604_801, 600.5])
      assert.throws(() => ledger({ leaseSeconds }), { name: "RangeError", message: "leaseSeconds must be a whole number from 60 to 604800" });
    for (const retentionDays of [0, 366, 1.5])
      assert.throws(() => ledger({ retentionDays }), { name: "RangeError", message: "retentionDays must be a whole number from 1 to 365" });
  });
});

describe("confirmationKey: one key per version of a booking", () => {
  const keyOf = (change: Record<string, unknown> = {}) => confirmationKey(parseBooking({ ...BOOKING_REQUEST, ...change }));

  it("is the booking id and a 22-character digest, in a namespace no session key (43 base64url characters) can take", () => {
    const key = keyOf();
    assert.match(key, /^booking-confirmation:bk_2026-0001:[A-Za-z0-9_-]{22}$/);
    assert.ok(!/^[A-Za-z0-9_-]{43}$/.test(LEDGER_KEY_PREFIX + key));
  });

  it("is the same for a retry of the same booking, as typed or as normalised", () => {
    assert.equal(keyOf(), keyOf());
    assert.equal(keyOf({ parentName: "  Jane Smith " }), keyOf(), "trimmed before keying");
    assert.equal(keyOf({ notes: "Fractions" }), keyOf({ notes: "Fractions" }));
  });

  it("changes with anything the mail shows, so a changed booking gets its own confirmation", () => {
    const key = keyOf();
    for (const change of [
      { bookingId: "bk_2026-0002" },
      { parentName: "Jane Doe" },
      { parentEmail: "j@example.com" },
      { studentName: "Tim Smith" },
      { tutorName: "Dr Grace Hopper" },
      { subject: "GCSE English" },
      { startsAt: "2026-04-06T16:00:00+01:00" },
      { durationMinutes: 60 },
      { notes: "x" },
    ]) {
      assert.notEqual(keyOf(change), key, JSON.stringify(change));
    }
    assert.notEqual(keyOf({ notes: "Zoë’s reading" }), keyOf({ notes: "Zoe's reading" }), "non-ASCII text is digested as such");
  });
});
