import assert from "node:assert/strict";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { SessionStoreThrottledError, SessionStoreUnavailableError } from "../../../functions/sessions/errors";
import { SessionStore } from "../../../functions/sessions/store";

/**
 * What dynalite never does: throttle, leave batch items unprocessed, report an id collision. These
 * answers are injected with aws-sdk-client-mock on one document client (the store accepts one).
 */
describe("session store under DynamoDB faults dynalite cannot produce (aws-sdk-client-mock)", function () {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: "eu-west-2", credentials: { accessKeyId: "t", secretAccessKey: "t" } }));
  const mock = mockClient(doc);
  const store = new SessionStore({ client: doc, tableName: "sessions", plaintextData: true });
  const named = (name: string) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: 400 } });

  afterEach(() => mock.reset());
  after(() => mock.restore());

  it("maps each DynamoDB throttling error to STORE_THROTTLED and other failures to STORE_UNAVAILABLE", async function () {
    for (const name of ["ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"]) {
      mock.reset();
      mock.on(GetCommand).rejects(named(name));
      await assert.rejects(store.get(SessionStore.generateId()), (e: unknown) => e instanceof SessionStoreThrottledError && e.code === "STORE_THROTTLED", name);
    }
    mock.reset();
    mock.on(GetCommand).rejects(named("InternalServerError"));
    await assert.rejects(store.get(SessionStore.generateId()), (e: unknown) => e instanceof SessionStoreUnavailableError && /read a session/.test(e.message));
    mock.on(UpdateCommand).rejects(named("InternalServerError"));
    await assert.rejects(store.touch(SessionStore.generateId()), (e: unknown) => e instanceof SessionStoreUnavailableError && /touch a session/.test(e.message));
    await assert.rejects(store.update(SessionStore.generateId(), { data: {} }), (e: unknown) => e instanceof SessionStoreUnavailableError && /save a session/.test(e.message));
  });

  it("gives up creating after two reported id collisions, with STORE_UNAVAILABLE", async function () {
    mock.on(PutCommand).rejects(named("ConditionalCheckFailedException"));
    await assert.rejects(store.create(), (e: unknown) => e instanceof SessionStoreUnavailableError && /id collision/.test(e.message));
    assert.equal(mock.commandCalls(PutCommand).length, 2);
    const ids = mock.commandCalls(PutCommand).map((c) => c.args[0].input.Item!.pk);
    assert.notEqual(ids[0], ids[1], "the second attempt uses a fresh id");
  });

  it("retries unprocessed batch deletes with back-off, then reports STORE_THROTTLED after 6 attempts", async function () {
    this.timeout(20_000);
    const pk = "k".repeat(43);
    mock.on(QueryCommand).resolves({ Items: [{ pk }] });
    mock.on(BatchWriteCommand).resolves({ UnprocessedItems: { sessions: [{ DeleteRequest: { Key: { pk } } }] } });
    await assert.rejects(store.destroyAllForUser("user-1"), SessionStoreThrottledError);
    assert.equal(mock.commandCalls(BatchWriteCommand).length, 6);
    mock.reset();
    mock.on(QueryCommand).resolves({ Items: [{ pk }, { pk: "j".repeat(43) }] });
    mock.on(BatchWriteCommand).resolvesOnce({ UnprocessedItems: { sessions: [{ DeleteRequest: { Key: { pk } } }] } }).resolves({});
    assert.equal(await store.destroyAllForUser("user-1"), 2);
    const batches = mock.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems!.sessions.length);
    assert.deepEqual(batches, [2, 1], "only the unprocessed key is sent again");
  });

  it("deletes in batches of 25 across query pages", async function () {
    const page = (n: number, from: number) => Array.from({ length: n }, (_, i) => ({ pk: String(from + i).padStart(43, "0") }));
    mock.on(QueryCommand).resolvesOnce({ Items: page(30, 0), LastEvaluatedKey: { pk: "x" } }).resolves({ Items: page(3, 30) });
    mock.on(BatchWriteCommand).resolves({});
    assert.equal(await store.destroyAllForUser("user-1"), 33);
    assert.deepEqual(mock.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems!.sessions.length), [25, 5, 3]);
    const queries = mock.commandCalls(QueryCommand).map((c) => c.args[0].input);
    assert.equal(queries[0].IndexName, "byUser");
    assert.deepEqual(queries[1].ExclusiveStartKey, { pk: "x" });
    mock.reset();
    mock.on(QueryCommand).rejects(named("InternalServerError"));
    await assert.rejects(store.destroyAllForUser("user-1"), (e: unknown) => e instanceof SessionStoreUnavailableError && /list a user's sessions/.test(e.message));
    mock.reset();
    mock.on(QueryCommand).resolves({ Items: page(1, 0) });
    mock.on(BatchWriteCommand).rejects(named("InternalServerError"));
    await assert.rejects(store.destroyAllForUser("user-1"), (e: unknown) => e instanceof SessionStoreUnavailableError && /destroy a user's sessions/.test(e.message));
  });

  it("sends consistent reads and conditional writes with only the attribute names each expression uses", async function () {
    const id = SessionStore.generateId();
    mock.on(GetCommand).resolves({});
    assert.equal(await store.get(id), null);
    assert.equal(mock.commandCalls(GetCommand)[0].args[0].input.ConsistentRead, true);
    mock.on(UpdateCommand).rejects(named("ConditionalCheckFailedException"));
    assert.equal(await store.touch(id), null);
    const touch = mock.commandCalls(UpdateCommand)[0].args[0].input;
    assert.deepEqual(Object.keys(touch.ExpressionAttributeNames!).sort(), ["#abs", "#exp", "#pk", "#seen"]);
    assert.equal(touch.ReturnValues, "ALL_NEW");
    assert.equal(await store.update(id, { data: { a: 1 } }), null);
    const save = mock.commandCalls(UpdateCommand)[1].args[0].input;
    assert.deepEqual(Object.keys(save.ExpressionAttributeNames!).sort(), ["#abs", "#data", "#exp", "#pk", "#seen", "#uid"]);
    assert.match(save.ConditionExpression!, /attribute_not_exists\(#uid\)/);
    mock.on(PutCommand).resolves({});
    await store.create();
    const put = mock.commandCalls(PutCommand)[0].args[0].input;
    assert.equal(put.ConditionExpression, "attribute_not_exists(#pk)");
  });
});
