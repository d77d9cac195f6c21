import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { join } from "node:path";
import { SESSION_TABLE } from "../../functions/sessions/schema";
import { emulatorClientConfig, EmulatorProcess, onFreePort, startEmulator } from "./emulatorProcess";

/**
 * dynalite (DynamoDB emulator, in memory) on 127.0.0.1 with a port chosen by the OS. It has no
 * TTL, no transactions and no PartiQL (shared/reference/emulators.md §3.4): code under test must
 * not rely on TTL deletion. Stop it with `stop()` (by PID).
 */
export function startDynalite(): Promise<EmulatorProcess> {
  const cli = join(require.resolve("dynalite/package.json"), "..", "cli.js");
  // dynalite reads `--port 0` as "use 4567", so it gets a free port chosen beforehand.
  return onFreePort((port) =>
    startEmulator({
      name: "dynalite",
      args: [cli, "--host", "127.0.0.1", "--port", String(port), "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"],
      ready: /listening at: https?:\/\/[^:]+:(\d+)/,
    }),
  );
}

/** A DynamoDB client for the emulator: dummy credentials, request timeouts, no retries. */
export function dynaliteClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient(emulatorClientConfig(endpoint));
}

/** Creates a table with the key schema the SessionTable component declares (TTL aside: dynalite has none). */
export async function createSessionTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: SESSION_TABLE.partitionKey, AttributeType: "S" },
        { AttributeName: SESSION_TABLE.userIdAttribute, AttributeType: "S" },
      ],
      KeySchema: [{ AttributeName: SESSION_TABLE.partitionKey, KeyType: "HASH" }],
      GlobalSecondaryIndexes: [
        {
          IndexName: SESSION_TABLE.userIndexName,
          KeySchema: [{ AttributeName: SESSION_TABLE.userIdAttribute, KeyType: "HASH" }],
          Projection: { ProjectionType: "KEYS_ONLY" },
        },
      ],
    }),
  );
  // The SDK waiter polls every 20 s at the least; dynalite (createTableMs 0) is ready at once.
  for (let i = 0; i < 100; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === "ACTIVE") return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}
