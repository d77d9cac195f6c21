import { resourceRule } from "../lib/kit";

/**
 * DynamoDB tables: point-in-time recovery, deletion protection where required, encryption with a
 * KMS key where required. cdk-nag AwsSolutions-DDB3, Security Hub DynamoDB.2/.6, Checkov CKV_AWS_28/119.
 * On-demand billing (DynamoDB.1) is the billing family's dynamodb-capacity-guard.
 */

const TABLE = "aws:dynamodb/table:Table";

export const dynamodbPitr = resourceRule({
  name: "dynamodb-pitr",
  description: "DynamoDB tables have point-in-time recovery (cdk-nag AwsSolutions-DDB3, Security Hub DynamoDB.2, Checkov CKV_AWS_28, cdk-nag NIST DynamoDBPITREnabled).",
  types: [TABLE],
  validate(props, _ctx, report) {
    if (props.pointInTimeRecovery?.enabled !== true) report("pointInTimeRecovery.enabled is not true: a bad write or delete cannot be rolled back");
  },
});

export const dynamodbDeletionProtection = resourceRule<{ required: boolean }>({
  name: "dynamodb-deletion-protection",
  description: "DynamoDB tables have deletion protection where the stack requires it (Security Hub DynamoDB.6).",
  types: [TABLE],
  config: { properties: { required: { type: "boolean", description: "Require deletionProtectionEnabled." } }, defaults: { required: true } },
  validate(props, { config }, report) {
    if (config.required && props.deletionProtectionEnabled !== true) report("deletionProtectionEnabled is not true");
  },
});

export const dynamodbEncryption = resourceRule<{ requireKmsKey: boolean }>({
  name: "dynamodb-encryption",
  description: "DynamoDB tables state their encryption; where requireKmsKey, with a KMS key (AWS managed or customer managed) rather than the AWS owned key (Checkov CKV_AWS_119).",
  types: [TABLE],
  config: { properties: { requireKmsKey: { type: "boolean", description: "Require serverSideEncryption.enabled (a KMS key)." } }, defaults: { requireKmsKey: false } },
  validate(props, { config }, report) {
    if (config.requireKmsKey && props.serverSideEncryption?.enabled !== true) report("serverSideEncryption.enabled is not true: the table uses the AWS owned key (CKV_AWS_119)");
  },
});

export const dynamodbPolicies = [dynamodbPitr, dynamodbDeletionProtection, dynamodbEncryption];
