import type * as pulumi from "@pulumi/pulumi";
import { type ConfigValues, fields, type StackOutputs } from "../shared/configField";
import { SESSION_TABLE_DEFAULTS, type SessionTable, type SessionTableArgs } from "./SessionTable";

/** The DynamoDB session table. */
export const sessionFields = {
  sessionTableRecoveryDays: fields.integer({
    description: `Point-in-time recovery window of the session table in days (PITR is always on; the price does not depend on the window). Default ${SESSION_TABLE_DEFAULTS.pointInTimeRecoveryDays}.`,
    min: 1,
    max: 35,
    default: SESSION_TABLE_DEFAULTS.pointInTimeRecoveryDays,
  }),
};

/** The sessions section, and whether the stack protects its stateful resources (stacks/config/core.ts). */
export type SessionConfig = ConfigValues<typeof sessionFields> & { readonly protectStatefulResources: boolean; readonly alarmDynamoDbThrottles: number };

/** How the SessionTable reads its config. */
export function sessionTableArgs(c: SessionConfig, alarmTopicArn: pulumi.Input<string>): SessionTableArgs {
  return { protect: c.protectStatefulResources, pointInTimeRecoveryDays: c.sessionTableRecoveryDays, alarmTopicArn, throttleAlarmThreshold: c.alarmDynamoDbThrottles };
}

/** The stack outputs of the session table (functions/sessions reads them). */
export function sessionStackOutputs(sessions: SessionTable): StackOutputs {
  return { sessionTableName: sessions.tableName, sessionTableArn: sessions.tableArn, sessionAccessPolicyJson: sessions.accessPolicyJson };
}
