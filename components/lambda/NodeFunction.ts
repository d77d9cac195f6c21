import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { metricAlarm } from "../shared/alarm";
import { bundleHandler } from "../shared/bundle";
import { policyJson, denyInsecureTransport, PolicyStatement } from "../shared/policyDocument";

/**
 * Node.js runtimes this component accepts. `nodejs24.x` is the newest in @pulumi/aws 7.48's
 * `lambda.Runtime` enum and in AWS Lambda's supported list (GA 2025-11-25, deprecation 2028-04-30),
 * so it is the default: cdk-nag AwsSolutions-L1 (latest runtime), Security Hub Lambda.2 (supported
 * runtime), Checkov CKV_AWS_363. Node.js 24 on Lambda runs async handlers only (no callbacks),
 * which is what every handler in this project exports.
 */
export const NODE_RUNTIMES = ["nodejs20.x", "nodejs22.x", "nodejs24.x"] as const;
export type NodeRuntime = (typeof NODE_RUNTIMES)[number];
export const DEFAULT_NODE_RUNTIME: NodeRuntime = "nodejs24.x";
/** NodeFunction's alarm default (the alarmLambdaErrors key takes its default from here; a throttle alarm exists only when asked for). */
export const NODE_FUNCTION_ALARM_DEFAULTS = { errorAlarmThreshold: 1 } as const;

/**
 * Actions for which AWS defines no resource type, so IAM only accepts `Resource: "*"` for them.
 * A statement may use `"*"` as its resource only if every action it grants is in this list.
 */
export const ACTIONS_WITHOUT_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "cloudwatch:PutMetricData", // scope it with a `cloudwatch:namespace` condition
]);

/** One statement of the function role's policy. No principal: it is an identity policy. */
export type FunctionPolicyStatement = Omit<PolicyStatement, "Principal">;

export interface NodeFunctionArgs {
  /** Absolute path of the handler's entry file (TypeScript or JavaScript), bundled with esbuild. Required. */
  entry: string;
  /** Name of the exported handler function in the entry file. Default "handler". */
  handlerExport?: string;
  /** Short description shown in the Lambda console. Default none. */
  description?: pulumi.Input<string>;
  /** Node.js runtime. Default "nodejs24.x" (the latest supported: AwsSolutions-L1, Lambda.2). */
  runtime?: NodeRuntime;
  /** Memory in MB (arm64, so CPU scales with it). Default 256. */
  memorySize?: pulumi.Input<number>;
  /** Timeout in seconds. Default 10. */
  timeout?: pulumi.Input<number>;
  /** Environment variables (never secrets: CKV_AWS_45). Default none. */
  environment?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** The role's permissions: least-privilege statements, no wildcard actions, no "*" resource (see ACTIONS_WITHOUT_RESOURCE_TYPES). Default none. */
  statements?: FunctionPolicyStatement[];
  /** Retention of the function's log group in days (a CloudWatch Logs retention value). Default 30. */
  logRetentionDays?: pulumi.Input<number>;
  /** Application log level of the JSON logs (TRACE, DEBUG, INFO, WARN, ERROR, FATAL). Default "INFO". */
  logLevel?: pulumi.Input<string>;
  /** Reserved concurrency: caps cost and protects the account pool (CKV_AWS_115). Default unset: new accounts may have a concurrency quota of 10, below which no reservation is allowed. */
  reservedConcurrency?: pulumi.Input<number>;
  /** X-Ray tracing mode, "Active" or "PassThrough" (CKV_AWS_50). Default "Active". */
  tracing?: "Active" | "PassThrough";
  /** Send failed asynchronous invocations to an encrypted SQS dead-letter queue (cdk-nag NIST LambdaDLQ, CKV_AWS_116). Default true. */
  deadLetterQueue?: boolean;
  /** SNS topic for alarms on the function's errors and dead letters. Default none: no alarms. */
  alarmTopicArn?: pulumi.Input<string>;
  /** Errors per 5 minutes at which the errors alarm fires (stacks: `mpto:alarmLambdaErrors`). Default 1. */
  errorAlarmThreshold?: pulumi.Input<number>;
  /** Throttles per 5 minutes at which a throttles alarm fires (needs `alarmTopicArn`). Default none: no throttles alarm. */
  throttleAlarmThreshold?: number;
  /** Where the throttles alarm lived before its owner moved it (a deployed stack's old URN), so it is updated in place. Default none. */
  throttleAlarmAliases?: pulumi.Input<string | pulumi.Alias>[];
  /** Target Node.js version for esbuild. Default the runtime's version (e.g. "node24"). */
  bundleTarget?: string;
}

/**
 * A bundled Node.js Lambda function with everything production needs around it: arm64, the latest
 * Node.js runtime, its own log group with retention (created before the function so Lambda never
 * creates one without retention), JSON logs, a role that can do only what the caller lists plus write
 * to its own log group, an encrypted dead-letter queue for failed asynchronous invocations, and
 * optional X-Ray tracing, reserved concurrency and alarms.
 */
export class NodeFunction extends pulumi.ComponentResource {
  /** Name of the Lambda function. */
  public readonly functionName: pulumi.Output<string>;
  /** ARN of the Lambda function (unqualified). */
  public readonly functionArn: pulumi.Output<string>;
  /** ARN of the function's execution role. */
  public readonly roleArn: pulumi.Output<string>;
  /** Name of the function's execution role. */
  public readonly roleName: pulumi.Output<string>;
  /** Name of the function's log group. */
  public readonly logGroupName: pulumi.Output<string>;
  /** ARN of the dead-letter queue, present only with `deadLetterQueue`. */
  public readonly deadLetterQueueArn?: pulumi.Output<string>;
  /** Names of the function's alarms (errors, throttles, dead letters; none without `alarmTopicArn`). */
  public readonly alarmNames: pulumi.Output<string[]>;
  /** Size of the bundled code in bytes (known at plan time). */
  public readonly bundleBytes: number;

  constructor(name: string, args: NodeFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    // Argument checks come first, so a bad call registers nothing.
    const runtime = args.runtime ?? DEFAULT_NODE_RUNTIME;
    if (!NODE_RUNTIMES.includes(runtime)) throw new Error(`NodeFunction ${name}: runtime ${runtime} is not one of ${NODE_RUNTIMES.join(", ")}`);
    const statements = args.statements ?? [];
    validateStatements(name, statements);
    const handlerExport = args.handlerExport ?? "handler";
    if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(handlerExport)) throw new Error(`NodeFunction ${name}: handlerExport '${handlerExport}' is not a JavaScript identifier`);
    // The type token predates the folder name (components/lambda): kept, since it is part of every URN.
    super("mpto:functions:NodeFunction", name, {}, opts);

    const tracing = args.tracing ?? "Active";
    const withDlq = args.deadLetterQueue ?? true;

    const bundle = bundleHandler({ entry: args.entry, target: args.bundleTarget ?? runtime.replace(/^nodejs(\d+)\.x$/, "node$1") });
    this.bundleBytes = bundle.bytes;

    // Created before the function, so Lambda never creates an unmanaged group without retention.
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      {
        namePrefix: `/aws/lambda/${name}-`,
        retentionInDays: args.logRetentionDays ?? 30, // Checkov CKV_AWS_338, cdk-nag NIST CloudWatchLogGroupRetentionPeriod
      },
      { parent: this },
    );

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `Execution role of the ${name} Lambda function`,
        assumeRolePolicy: policyJson([{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }]),
        // No managed policies (cdk-nag AwsSolutions-IAM4): everything is in the inline policy below.
      },
      { parent: this },
    );

    let dlq: aws.sqs.Queue | undefined;
    if (withDlq) {
      dlq = new aws.sqs.Queue(
        `${name}-dlq`,
        {
          sqsManagedSseEnabled: true, // Checkov CKV_AWS_27, cdk-nag AwsSolutions-SQS2 (encrypted at rest)
          messageRetentionSeconds: 1_209_600, // 14 days, the SQS maximum: time to inspect and redrive
        },
        { parent: this },
      );
      new aws.sqs.QueuePolicy(
        `${name}-dlq-policy`,
        { queueUrl: dlq.url, policy: policyJson([denyInsecureTransport("sqs:*", dlq.arn)]) }, // cdk-nag AwsSolutions-SQS4
        { parent: this },
      );
    }

    const roleStatements: FunctionPolicyStatement[] = [
      {
        // Basic logging, limited to this function's own log group (its streams); no CreateLogGroup.
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: pulumi.interpolate`${logGroup.arn}:log-stream:*`,
      },
    ];
    if (dlq) roleStatements.push({ Sid: "SendToOwnDeadLetterQueue", Effect: "Allow", Action: "sqs:SendMessage", Resource: dlq.arn });
    if (tracing === "Active") {
      // X-Ray defines no resource type for these actions: "*" is the only resource IAM accepts.
      roleStatements.push({ Sid: "WriteTraces", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" });
    }
    roleStatements.push(...statements);

    // Inline policy: its lifecycle is the role's (no orphaned customer-managed policy).
    const policy = policyJson(roleStatements).apply((json) => assertLeastPrivilege(name, json));
    const rolePolicy = new aws.iam.RolePolicy(`${name}-policy`, { role: role.id, policy }, { parent: this });

    const fn = new aws.lambda.Function(
      `${name}-fn`,
      {
        description: args.description,
        code: bundle.archive,
        handler: `index.${handlerExport}`,
        runtime, // AwsSolutions-L1, Security Hub Lambda.2
        architectures: ["arm64"], // Graviton: about 20% cheaper per GB-second than x86_64
        memorySize: args.memorySize ?? 256,
        timeout: args.timeout ?? 10,
        role: role.arn,
        environment: args.environment ? { variables: args.environment } : undefined,
        loggingConfig: {
          logFormat: "JSON",
          logGroup: logGroup.name,
          applicationLogLevel: args.logLevel ?? "INFO",
          systemLogLevel: "WARN",
        },
        tracingConfig: { mode: tracing }, // Checkov CKV_AWS_50
        reservedConcurrentExecutions: args.reservedConcurrency, // Checkov CKV_AWS_115 when set
        deadLetterConfig: dlq ? { targetArn: dlq.arn } : undefined, // Checkov CKV_AWS_116, cdk-nag NIST LambdaDLQ
      },
      // Lambda checks at creation that the role may send to the DLQ, and the first invocation
      // must be able to write logs: the policy and the log group come first.
      { parent: this, dependsOn: [rolePolicy, logGroup] },
    );

    const alarms: aws.cloudwatch.MetricAlarm[] = [];
    if (args.alarmTopicArn !== undefined) {
      alarms.push(
        metricAlarm(
          `${name}-errors`,
          {
            description: `The ${name} Lambda function reported errors.`,
            namespace: "AWS/Lambda",
            metricName: "Errors",
            dimensions: { FunctionName: fn.name },
            statistic: "Sum",
            period: 300,
            evaluationPeriods: 1,
            threshold: args.errorAlarmThreshold ?? NODE_FUNCTION_ALARM_DEFAULTS.errorAlarmThreshold,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            topicArn: args.alarmTopicArn,
          },
          { parent: this },
        ),
      );
      if (args.throttleAlarmThreshold !== undefined) {
        alarms.push(
          metricAlarm(
            `${name}-throttles`,
            {
              description: `The ${name} Lambda function was throttled ${args.throttleAlarmThreshold} or more times in 5 minutes (concurrency limit reached).`,
              namespace: "AWS/Lambda",
              metricName: "Throttles",
              dimensions: { FunctionName: fn.name },
              statistic: "Sum",
              period: 300,
              threshold: args.throttleAlarmThreshold,
              comparisonOperator: "GreaterThanOrEqualToThreshold",
              evaluationPeriods: 1,
              datapointsToAlarm: 1,
              actionsEnabled: true,
              topicArn: args.alarmTopicArn,
            },
            { parent: this, aliases: args.throttleAlarmAliases },
          ),
        );
      }
      if (dlq) {
        alarms.push(
          metricAlarm(
            `${name}-dead-letters`,
            {
              description: `Events the ${name} Lambda function failed to process wait in its dead-letter queue.`,
              namespace: "AWS/SQS",
              metricName: "ApproximateNumberOfMessagesVisible",
              dimensions: { QueueName: dlq.name },
              statistic: "Maximum",
              period: 300,
              evaluationPeriods: 1,
              threshold: 1,
              comparisonOperator: "GreaterThanOrEqualToThreshold",
              topicArn: args.alarmTopicArn,
            },
            { parent: this },
          ),
        );
      }
    }

    this.functionName = fn.name;
    this.functionArn = fn.arn;
    this.roleArn = role.arn;
    this.roleName = role.name;
    this.logGroupName = logGroup.name;
    this.deadLetterQueueArn = dlq?.arn;
    this.alarmNames = pulumi.all(alarms.map((a) => a.name));
    this.registerOutputs({
      functionName: this.functionName,
      functionArn: this.functionArn,
      roleArn: this.roleArn,
      roleName: this.roleName,
      logGroupName: this.logGroupName,
      deadLetterQueueArn: this.deadLetterQueueArn,
      alarmNames: this.alarmNames,
    });
  }
}

/**
 * Rejects what least privilege forbids, before any resource is declared: wildcard actions
 * (cdk-nag AwsSolutions-IAM5, Security Hub IAM.21, Checkov CKV_AWS_290/CKV_AWS_355), `NotAction`
 * style tricks are not expressible by the type, and `Resource: "*"` except for actions that have no
 * resource type. Resources that are Outputs are checked once known, in the policy document itself.
 */
export function validateStatements(name: string, statements: FunctionPolicyStatement[]): void {
  statements.forEach((s, i) => {
    const where = `NodeFunction ${name}: statement ${s.Sid ?? i}`;
    const actions = ([] as string[]).concat(s.Action);
    if (actions.length === 0) throw new Error(`${where} grants no action`);
    for (const action of actions) {
      if (action.includes("*") || action.includes("?")) throw new Error(`${where}: wildcard action '${action}' is not allowed; list the actions the function needs`);
      if (!/^[a-z0-9-]+:[A-Za-z0-9]+$/.test(action)) throw new Error(`${where}: '${action}' is not an IAM action (service:Action)`);
    }
    if (s.Resource === undefined) throw new Error(`${where} names no resource`);
    const resources = ([] as pulumi.Input<string>[]).concat(s.Resource as pulumi.Input<string> | pulumi.Input<string>[]);
    if (resources.length === 0) throw new Error(`${where} names no resource`);
    if (resources.some((r) => r === "*") && !actions.every((a) => ACTIONS_WITHOUT_RESOURCE_TYPES.has(a))) {
      throw new Error(`${where}: Resource "*" is only allowed for actions without a resource type (${[...ACTIONS_WITHOUT_RESOURCE_TYPES].join(", ")})`);
    }
  });
}

/** The resolved policy document, checked again now that every resource ARN is known. */
function assertLeastPrivilege(name: string, json: string): string {
  const document = JSON.parse(json) as { Statement: { Sid?: string; Action: string | string[]; Resource: string | string[] }[] };
  for (const s of document.Statement) {
    const actions = ([] as string[]).concat(s.Action);
    const resources = ([] as string[]).concat(s.Resource);
    if (resources.some((r) => r === "*") && !actions.every((a) => ACTIONS_WITHOUT_RESOURCE_TYPES.has(a))) {
      throw new Error(`NodeFunction ${name}: statement ${s.Sid ?? "?"} resolves to Resource "*" for ${actions.join(", ")}`);
    }
  }
  return json;
}
