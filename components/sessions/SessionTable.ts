import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SESSION_TABLE } from "../../functions/sessions/schema";
import { metricAlarm, movedFromMonitoring } from "../shared/alarm";
import { policyJson } from "../shared/policyDocument";

/** The table's defaults, the one home of each: the args below and mpto:sessionTableRecoveryDays (components/sessions/config.ts) take them from here. */
export const SESSION_TABLE_DEFAULTS = { pointInTimeRecoveryDays: 35, throttleAlarmThreshold: 1 } as const;

export interface SessionTableArgs {
  /** Protect the table from deletion by Pulumi and keep it when it leaves the program. Default false. */
  protect?: boolean;
  /** DynamoDB's own deletion protection. Default: the value of `protect`. */
  deletionProtection?: pulumi.Input<boolean>;
  /** Point-in-time recovery window in days, 1-35 (PITR is always on). Default 35. */
  pointInTimeRecoveryDays?: pulumi.Input<number>;
  /** Customer-managed KMS key for encryption at rest. Default: the AWS-managed key `alias/aws/dynamodb`. */
  kmsKeyArn?: pulumi.Input<string>;
  /** Upper bound on on-demand read request units per second (a cost cap; excess requests are throttled). Default none. */
  maxReadRequestUnits?: pulumi.Input<number>;
  /** Upper bound on on-demand write request units per second. Default none. */
  maxWriteRequestUnits?: pulumi.Input<number>;
  /** SNS topic of the throttle and system-error alarms. Default none: no alarms. */
  alarmTopicArn?: pulumi.Input<string>;
  /** Read + write throttle events per 5 minutes at which the throttle alarm fires. Default 1. */
  throttleAlarmThreshold?: number;
  /** Operations whose SystemErrors the system-error alarm sums (metric math takes at most 10). Default GetItem, PutItem, UpdateItem, DeleteItem, Query. */
  alarmOperations?: string[];
}

/**
 * The DynamoDB table behind `functions/sessions` (SessionStore), in the stack provider's region.
 *
 * Key design: one item per session under `pk` = SHA-256 of the session id (a session store only
 * ever reads by id; hashing keeps live cookies out of backups and exports), plus a sparse global
 * secondary index on `userId` (KEYS_ONLY) so "sign out everywhere" finds a user's sessions
 * without a scan. TTL on `expiresAt` (epoch seconds) deletes expired sessions eventually; the
 * store never relies on it.
 *
 * Settings: on-demand billing (cost follows use; Security Hub DynamoDB.1 needs no auto-scaling),
 * point-in-time recovery (AwsSolutions-DDB3, Security Hub DynamoDB.2, Checkov CKV_AWS_28),
 * deletion protection (Security Hub DynamoDB.6) and `protect`/`retainOnDelete` from args, and
 * server-side encryption stated explicitly: KMS with the AWS-managed key, or a customer-managed
 * key when given (Checkov CKV_AWS_119).
 */
export class SessionTable extends pulumi.ComponentResource {
  /** Table name, for SessionStore's `tableName`. */
  public readonly tableName: pulumi.Output<string>;
  /** Table ARN. */
  public readonly tableArn: pulumi.Output<string>;
  /** Name of the user index (destroy-all-for-user). */
  public readonly userIndexName: pulumi.Output<string>;
  /** Least-privilege IAM policy (JSON) for the app that runs the session store. */
  public readonly accessPolicyJson: pulumi.Output<string>;
  /** Names of the table's alarms (none without `alarmTopicArn`). */
  public readonly alarmNames: pulumi.Output<string[]>;

  constructor(name: string, args: SessionTableArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("mpto:sessions:SessionTable", name, {}, opts);
    const protect = args.protect ?? false;
    const { partitionKey, userIdAttribute, userIndexName, ttlAttribute } = SESSION_TABLE;
    const capped = args.maxReadRequestUnits !== undefined || args.maxWriteRequestUnits !== undefined;

    const table = new aws.dynamodb.Table(
      `${name}-table`,
      {
        billingMode: "PAY_PER_REQUEST",
        hashKey: partitionKey,
        attributes: [
          { name: partitionKey, type: "S" },
          { name: userIdAttribute, type: "S" },
        ],
        globalSecondaryIndexes: [{ name: userIndexName, keySchemas: [{ attributeName: userIdAttribute, keyType: "HASH" }], projectionType: "KEYS_ONLY" }],
        ttl: { attributeName: ttlAttribute, enabled: true },
        // AwsSolutions-DDB3, Security Hub DynamoDB.2, CKV_AWS_28.
        pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: args.pointInTimeRecoveryDays ?? SESSION_TABLE_DEFAULTS.pointInTimeRecoveryDays },
        // Encryption at rest is always on in DynamoDB; this chooses KMS (AWS-managed or customer key, CKV_AWS_119) over the AWS-owned key.
        serverSideEncryption: { enabled: true, kmsKeyArn: args.kmsKeyArn },
        // Security Hub DynamoDB.6.
        deletionProtectionEnabled: args.deletionProtection ?? protect,
        ...(capped ? { onDemandThroughput: { maxReadRequestUnits: args.maxReadRequestUnits, maxWriteRequestUnits: args.maxWriteRequestUnits } } : {}),
      },
      { parent: this, protect, retainOnDelete: protect },
    );

    const alarms: aws.cloudwatch.MetricAlarm[] = [];
    if (args.alarmTopicArn !== undefined) {
      const ops = args.alarmOperations ?? ["GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query"];
      if (ops.length < 1 || ops.length > 10) throw new Error(`SessionTable ${name}: alarmOperations must list 1 to 10 operations`);
      const threshold = args.throttleAlarmThreshold ?? SESSION_TABLE_DEFAULTS.throttleAlarmThreshold;
      const sum = (id: string, metricName: string, dimensions: Record<string, pulumi.Input<string>>) => ({
        id,
        metric: { namespace: "AWS/DynamoDB", metricName, dimensions, stat: "Sum", period: 300 },
        returnData: false, // only the expression is compared with the threshold
      });
      const common = { comparisonOperator: "GreaterThanOrEqualToThreshold" as const, evaluationPeriods: 1, datapointsToAlarm: 1, actionsEnabled: true, topicArn: args.alarmTopicArn };
      alarms.push(
        metricAlarm(
          `${name}-throttles`,
          {
            ...common,
            description: `The session table throttled ${threshold} or more reads/writes in 5 minutes.`,
            metricQueries: [
              sum("reads", "ReadThrottleEvents", { TableName: table.name }),
              sum("writes", "WriteThrottleEvents", { TableName: table.name }),
              { id: "throttles", expression: "reads + writes", label: "Throttled reads + writes", returnData: true },
            ],
            threshold,
          },
          { parent: this, aliases: [movedFromMonitoring("monitoring-dynamodb-throttles")] },
        ),
        metricAlarm(
          `${name}-system-errors`,
          {
            ...common,
            description: "DynamoDB returned system errors (HTTP 500) to the session table's callers.",
            metricQueries: [
              ...ops.map((op, i) => sum(`e${i}`, "SystemErrors", { TableName: table.name, Operation: op })),
              { id: "errors", expression: `SUM([${ops.map((_, i) => `e${i}`).join(", ")}])`, label: "System errors", returnData: true },
            ],
            threshold: 1,
          },
          { parent: this, aliases: [movedFromMonitoring("monitoring-dynamodb-system-errors")] },
        ),
      );
    }

    this.tableName = table.name;
    this.tableArn = table.arn;
    this.userIndexName = pulumi.output(userIndexName);
    this.accessPolicyJson = policyJson([
      {
        Sid: "SessionItems",
        Effect: "Allow",
        Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"],
        Resource: table.arn,
      },
      { Sid: "SessionsOfUser", Effect: "Allow", Action: "dynamodb:Query", Resource: pulumi.interpolate`${table.arn}/index/${userIndexName}` },
      ...(args.kmsKeyArn !== undefined
        ? [{ Sid: "SessionKey", Effect: "Allow" as const, Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: args.kmsKeyArn }]
        : []),
    ]);
    this.alarmNames = pulumi.all(alarms.map((a) => a.name));
    this.registerOutputs({ tableName: this.tableName, tableArn: this.tableArn, userIndexName: this.userIndexName, accessPolicyJson: this.accessPolicyJson, alarmNames: this.alarmNames });
  }
}
