import assert from "node:assert/strict";
import { SessionTable, SessionTableArgs } from "../../../components/sessions/SessionTable";
import { SESSION_TABLE } from "../../../functions/sessions/schema";
import type { MockRunResult } from "../../../tools/mocks/runtime";
import { declare, declareStack, oneOf } from "../../support/harness";

const TABLE = "aws:dynamodb/table:Table";
const KMS_KEY = "arn:aws:kms:eu-west-2:123456789012:key/11111111-2222-3333-4444-555555555555";

async function declareTable(args: SessionTableArgs = {}) {
  const outputs: Record<string, unknown> = {};
  const result = await declare(() => {
    const sessions = new SessionTable("sessions", args);
    Object.assign(outputs, { tableName: sessions.tableName, tableArn: sessions.tableArn, userIndexName: sessions.userIndexName, accessPolicyJson: sessions.accessPolicyJson });
    return outputs;
  });
  return result;
}

describe("SessionTable (mpto:sessions:SessionTable) under mocks", () => {
  describe("with defaults", () => {
    let r: MockRunResult;
    before(async () => {
      r = await declareTable();
    });

    it("is one table, a child of the component, named after it", () => {
      const table = oneOf(r, TABLE);
      assert.equal(table.parent, oneOf(r, "mpto:sessions:SessionTable").urn);
      assert.equal(table.name, "sessions-table");
      assert.equal(r.resources.filter((x) => x.custom).length, 1);
    });

    it("keys sessions by the hashed id and indexes them sparsely by user (KEYS_ONLY), as the session store expects", () => {
      const t = oneOf(r, TABLE).inputs;
      assert.equal(t.hashKey, SESSION_TABLE.partitionKey);
      assert.equal(t.rangeKey, undefined);
      assert.deepEqual(t.attributes, [
        { name: SESSION_TABLE.partitionKey, type: "S" },
        { name: SESSION_TABLE.userIdAttribute, type: "S" },
      ]);
      assert.deepEqual(t.globalSecondaryIndexes, [
        { name: SESSION_TABLE.userIndexName, keySchemas: [{ attributeName: SESSION_TABLE.userIdAttribute, keyType: "HASH" }], projectionType: "KEYS_ONLY" },
      ]);
    });

    it("bills on demand, expires items by TTL on expiresAt, and keeps 35 days of point-in-time recovery (AwsSolutions-DDB3)", () => {
      const t = oneOf(r, TABLE).inputs;
      assert.equal(t.billingMode, "PAY_PER_REQUEST");
      assert.deepEqual(t.ttl, { attributeName: "expiresAt", enabled: true });
      assert.deepEqual(t.pointInTimeRecovery, { enabled: true, recoveryPeriodInDays: 35 });
      assert.equal(t.onDemandThroughput, undefined, "no throughput cap unless asked");
    });

    it("states encryption at rest explicitly: KMS with the AWS-managed key", () => {
      assert.deepEqual(oneOf(r, TABLE).inputs.serverSideEncryption, { enabled: true });
    });

    it("is destroyable by default: no protect, no deletion protection", () => {
      const t = oneOf(r, TABLE);
      assert.equal(t.inputs.deletionProtectionEnabled, false);
      assert.equal(t.options.protect, undefined);
      assert.equal(t.options.retainOnDelete, undefined);
    });

    it("publishes table name and ARN, and a least-privilege access policy for the app", () => {
      const out = r.stackOutputs;
      assert.match(String(out.tableName), /^sessions-table-/);
      assert.equal(out.tableArn, `arn:aws:dynamodb:eu-west-2:123456789012:table/${out.tableName}`);
      assert.equal(out.userIndexName, "byUser");
      const policy = JSON.parse(String(out.accessPolicyJson));
      assert.deepEqual(policy.Statement, [
        { Sid: "SessionItems", Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"], Resource: out.tableArn },
        { Sid: "SessionsOfUser", Effect: "Allow", Action: "dynamodb:Query", Resource: `${out.tableArn}/index/byUser` },
      ]);
    });
  });

  it("protects the table and turns on deletion protection when protect is set", async () => {
    const t = oneOf(await declareTable({ protect: true }), TABLE);
    assert.equal(t.inputs.deletionProtectionEnabled, true);
    assert.equal(t.options.protect, true);
    assert.equal(t.options.retainOnDelete, true);
  });

  it("takes the recovery window, a customer-managed key and throughput caps from its args", async () => {
    const r = await declareTable({ pointInTimeRecoveryDays: 7, kmsKeyArn: KMS_KEY, maxReadRequestUnits: 500, maxWriteRequestUnits: 200, deletionProtection: true });
    const t = oneOf(r, TABLE).inputs;
    assert.deepEqual(t.pointInTimeRecovery, { enabled: true, recoveryPeriodInDays: 7 });
    assert.deepEqual(t.serverSideEncryption, { enabled: true, kmsKeyArn: KMS_KEY });
    assert.deepEqual(t.onDemandThroughput, { maxReadRequestUnits: 500, maxWriteRequestUnits: 200 });
    assert.equal(t.deletionProtectionEnabled, true);
    const policy = JSON.parse(String(r.stackOutputs.accessPolicyJson));
    assert.deepEqual(policy.Statement[2], { Sid: "SessionKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: KMS_KEY });
  });

  for (const stack of ["dev", "prod"] as const) {
    describe(`in the ${stack} stack`, () => {
      let r: MockRunResult;
      before(async () => {
        r = await declareStack(stack);
      });
      // The stack has other tables (the video pipeline's assets in prod): this one is the SessionTable component's.
      const sessionTable = () => {
        const component = oneOf(r, "mpto:sessions:SessionTable");
        const tables = r.resources.filter((x) => x.type === TABLE && x.parent === component.urn);
        assert.equal(tables.length, 1, "one table under the SessionTable component");
        return tables[0];
      };

      it("has one session table in eu-west-2 under the stack's provider, on demand with PITR, TTL and KMS", () => {
        const t = sessionTable();
        assert.equal(t.region, "eu-west-2");
        assert.ok(t.provider);
        assert.equal(t.inputs.billingMode, "PAY_PER_REQUEST");
        assert.equal((t.inputs.pointInTimeRecovery as any).enabled, true);
        assert.equal((t.inputs.ttl as any).enabled, true);
        assert.equal((t.inputs.serverSideEncryption as any).enabled, true);
      });

      it("exports the table name and ARN", () => {
        assert.match(String(r.stackOutputs.sessionTableName), /^sessions-table-/);
        assert.match(String(r.stackOutputs.sessionTableArn), /^arn:aws:dynamodb:eu-west-2:/);
      });

      if (stack === "prod") {
        it("protects the prod table: protect, retainOnDelete, deletion protection, 35 days of PITR", () => {
          const t = sessionTable();
          assert.equal(t.options.protect, true);
          assert.equal(t.options.retainOnDelete, true);
          assert.equal(t.inputs.deletionProtectionEnabled, true);
          assert.equal((t.inputs.pointInTimeRecovery as any).recoveryPeriodInDays, 35);
        });
      } else {
        it("leaves the dev table destroyable, with a 7-day recovery window", () => {
          const t = sessionTable();
          assert.equal(t.options.protect, undefined);
          assert.equal(t.inputs.deletionProtectionEnabled, false);
          assert.equal((t.inputs.pointInTimeRecovery as any).recoveryPeriodInDays, 7);
        });
      }
    });
  }
});
