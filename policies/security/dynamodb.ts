import { objects } from "../lib/inputs";
import { resourceRule } from "../lib/policy";

/**
 * DynamoDB tables and their global-table replicas: point-in-time recovery, deletion protection
 * where required, encryption with a KMS key where required. cdk-nag AwsSolutions-DDB3, Security Hub
 * DynamoDB.2/.6, Checkov CKV_AWS_28/119. A replica is a table of its own in another region (it has
 * its own PITR and deletion protection settings: `replicas[]` of aws.dynamodb.Table, or an
 * aws.dynamodb.TableReplica), so each is judged like the table (issue 14, class 4).
 * On-demand billing (DynamoDB.1) is the billing family's dynamodb-capacity-guard.
 */

const TABLE = "aws:dynamodb/table:Table";
const REPLICA = "aws:dynamodb/tableReplica:TableReplica";

/** The replicas of a table (inline `replicas` blocks), labelled by region for messages. */
function replicasOf(props: Record<string, any>): { label: string; props: Record<string, any> }[] {
  return objects(props.replicas).map((r) => ({ label: `replica in ${String(r.regionName ?? "an unnamed region")}`, props: r }));
}

export const dynamodbPitr = resourceRule({
  name: "dynamodb-pitr",
  description: "DynamoDB tables and each of their global-table replicas have point-in-time recovery (cdk-nag AwsSolutions-DDB3, Security Hub DynamoDB.2, Checkov CKV_AWS_28, cdk-nag NIST DynamoDBPITREnabled).",
  types: [TABLE, REPLICA],
  validate(props, { type }, report) {
    if (type === REPLICA) {
      if (props.pointInTimeRecovery !== true) report("pointInTimeRecovery is not true: this replica's region cannot roll back a bad write or delete");
      return;
    }
    if (objects(props.pointInTimeRecovery)[0]?.enabled !== true) report("pointInTimeRecovery.enabled is not true: a bad write or delete cannot be rolled back");
    for (const r of replicasOf(props)) if (r.props.pointInTimeRecovery !== true) report(`${r.label}: pointInTimeRecovery is not true`);
  },
});

export const dynamodbDeletionProtection = resourceRule<{ required: boolean }>({
  name: "dynamodb-deletion-protection",
  description: "DynamoDB tables and their global-table replicas have deletion protection where the stack requires it (Security Hub DynamoDB.6).",
  types: [TABLE, REPLICA],
  config: { properties: { required: { type: "boolean", description: "Require deletionProtectionEnabled." } }, defaults: { required: true } },
  validate(props, { type, config }, report) {
    if (!config.required) return;
    if (props.deletionProtectionEnabled !== true) report(`deletionProtectionEnabled is not true${type === REPLICA ? " on this replica" : ""}`);
    if (type === TABLE) for (const r of replicasOf(props)) if (r.props.deletionProtectionEnabled !== true) report(`${r.label}: deletionProtectionEnabled is not true (a replica can be deleted on its own)`);
  },
});

export const dynamodbEncryption = resourceRule<{ requireKmsKey: boolean }>({
  name: "dynamodb-encryption",
  description: "DynamoDB tables state their encryption; where requireKmsKey, with a KMS key (AWS managed or customer managed) rather than the AWS owned key (Checkov CKV_AWS_119).",
  types: [TABLE],
  config: { properties: { requireKmsKey: { type: "boolean", description: "Require serverSideEncryption.enabled (a KMS key)." } }, defaults: { requireKmsKey: false } },
  validate(props, { config }, report) {
    if (config.requireKmsKey && objects(props.serverSideEncryption)[0]?.enabled !== true) report("serverSideEncryption.enabled is not true: the table uses the AWS owned key (CKV_AWS_119)");
  },
});

export const dynamodbPolicies = [dynamodbPitr, dynamodbDeletionProtection, dynamodbEncryption];
