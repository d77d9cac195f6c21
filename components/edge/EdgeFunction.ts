import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { bundleHandler } from "../shared/bundle";
import { policyJson } from "../shared/policyDocument";
import { EDGE_REGION, PRIMARY_REGION } from "../shared/regions";

export type EdgeEventType = "viewer-request" | "viewer-response" | "origin-request" | "origin-response";

/** Lambda@Edge quotas per trigger kind (AWS "Quotas on Lambda@Edge"). */
export const EDGE_LIMITS = {
  viewer: { maxMemoryMb: 128, maxTimeoutSec: 5, maxPackageBytes: 1024 * 1024 },
  origin: { maxMemoryMb: 10_240, maxTimeoutSec: 30, maxPackageBytes: 50 * 1024 * 1024 },
} as const;

/**
 * Newest Node.js runtime this project runs at the edge. Lambda@Edge trails regional Lambda in
 * runtime support; nodejs22.x is the newest confirmed here for Lambda@Edge [check the AWS list
 * before raising it].
 */
export const EDGE_NODE_RUNTIME = "nodejs22.x";

export interface EdgeFunctionArgs {
  /** Absolute path of the handler's entry file (exports `handler`), bundled with esbuild. Required. */
  entry: string;
  /** The CloudFront event the function will be associated with; sets the limits checked here. Default "viewer-response". */
  eventType?: EdgeEventType;
  /** Memory in MB; at most 128 for viewer triggers. Default 128. */
  memorySize?: number;
  /** Timeout in seconds; at most 5 for viewer triggers, 30 for origin triggers. Default 5. */
  timeout?: number;
  /** Identifiers replaced by JSON at bundle time (esbuild `define`): Lambda@Edge has no environment variables. Default none. */
  define?: Record<string, string>;
  /** Short description shown in the Lambda console. Default none. */
  description?: pulumi.Input<string>;
  /** Regions whose `/aws/lambda/us-east-1.<name>` log group is created with retention (replicas log where they run). Default [us-east-1, eu-west-2]. */
  logRegions?: string[];
  /** Retention of those log groups in days. Default 30. */
  logRetentionDays?: pulumi.Input<number>;
  /**
   * Leave the function in AWS when Pulumi deletes or replaces it (`retainOnDelete`). Replicas
   * linger for hours after the association is removed and Lambda refuses to delete a replicated
   * function until they are gone, which would fail `pulumi destroy`/`up`. Default true.
   */
  retainOnDelete?: boolean;
}

/** Thrown when the function would break a Lambda@Edge quota. */
export class EdgeFunctionLimitError extends Error {
  override readonly name = "EdgeFunctionLimitError";
  constructor(
    readonly code: "MEMORY" | "TIMEOUT" | "PACKAGE_SIZE",
    message: string,
  ) {
    super(message);
  }
}

/**
 * A Lambda@Edge function: created in us-east-1 (the only region Lambda@Edge accepts), published so
 * CloudFront gets a numbered version (`qualifiedArn`; `$LATEST` and aliases are refused), run by a
 * role that both `lambda.amazonaws.com` and `edgelambda.amazonaws.com` may assume, inside the
 * viewer- or origin-trigger quotas, with no environment variables (Lambda@Edge has none).
 *
 * Deletion: see `retainOnDelete`. A retained function costs nothing; delete it by hand a few hours
 * after it left the distribution (docs/edge.md).
 */
export class EdgeFunction extends pulumi.ComponentResource {
  /** Function name (the replicas' log groups are `/aws/lambda/us-east-1.<name>`). */
  public readonly functionName: pulumi.Output<string>;
  /** Unqualified function ARN. */
  public readonly functionArn: pulumi.Output<string>;
  /** Version ARN for `lambdaFunctionAssociations` (resolves once the role policy and log groups exist). */
  public readonly qualifiedArn: pulumi.Output<string>;
  /** Published version number. */
  public readonly version: pulumi.Output<string>;
  /** ARN of the execution role. */
  public readonly roleArn: pulumi.Output<string>;
  /** Size of the bundled code in bytes (known at plan time). */
  public readonly bundleBytes: number;
  /** The bundled JavaScript deployed as `index.js` (for tests and the bench). */
  public readonly code: string;

  constructor(name: string, args: EdgeFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    const eventType = args.eventType ?? "viewer-response";
    const limits = eventType.startsWith("viewer") ? EDGE_LIMITS.viewer : EDGE_LIMITS.origin;
    const memorySize = args.memorySize ?? 128;
    const timeout = args.timeout ?? 5;
    if (memorySize < 128 || memorySize > limits.maxMemoryMb) {
      throw new EdgeFunctionLimitError("MEMORY", `EdgeFunction ${name}: ${memorySize} MB is outside 128-${limits.maxMemoryMb} MB for a ${eventType} trigger`);
    }
    if (timeout < 1 || timeout > limits.maxTimeoutSec) {
      throw new EdgeFunctionLimitError("TIMEOUT", `EdgeFunction ${name}: ${timeout} s is outside 1-${limits.maxTimeoutSec} s for a ${eventType} trigger`);
    }
    const bundle = bundleHandler({ entry: args.entry, target: EDGE_NODE_RUNTIME.replace(/^nodejs(\d+)\.x$/, "node$1"), define: args.define });
    // The quota applies to the zipped package; the unzipped size is a safe upper bound.
    if (bundle.bytes > limits.maxPackageBytes) {
      throw new EdgeFunctionLimitError("PACKAGE_SIZE", `EdgeFunction ${name}: bundle is ${bundle.bytes} bytes; a ${eventType} package may be ${limits.maxPackageBytes}`);
    }
    super("mpto:edge:EdgeFunction", name, {}, opts);
    this.bundleBytes = bundle.bytes;
    this.code = bundle.code;

    const identity = aws.getCallerIdentityOutput({}, { parent: this });
    const partition = aws.getPartitionOutput({}, { parent: this });

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `Execution role of the ${name} Lambda@Edge function`,
        // Both services: Lambda runs the function, edgelambda replicates and runs it at the edge.
        assumeRolePolicy: policyJson([{ Effect: "Allow", Principal: { Service: ["lambda.amazonaws.com", "edgelambda.amazonaws.com"] }, Action: "sts:AssumeRole" }]),
      },
      { parent: this },
    );

    const fn = new aws.lambda.Function(
      `${name}-fn`,
      {
        region: EDGE_REGION, // Lambda@Edge functions must be created in us-east-1
        description: args.description,
        code: bundle.archive,
        handler: "index.handler",
        runtime: EDGE_NODE_RUNTIME, // AwsSolutions-L1 / Lambda.2: newest runtime Lambda@Edge takes
        architectures: ["x86_64"], // Lambda@Edge does not run arm64
        memorySize,
        timeout,
        role: role.arn,
        publish: true, // CloudFront needs a numbered version (qualifiedArn)
        // No environment, layers, VPC, tracing, DLQ or reserved concurrency: Lambda@Edge rejects them.
      },
      { parent: this, retainOnDelete: args.retainOnDelete ?? true },
    );

    // Replicas log to the region where they run, under this name.
    const logGroupName = pulumi.interpolate`/aws/lambda/us-east-1.${fn.name}`;
    const logGroups = (args.logRegions ?? [EDGE_REGION, PRIMARY_REGION]).map(
      (region) =>
        new aws.cloudwatch.LogGroup(
          `${name}-logs-${region}`,
          { region, name: logGroupName, retentionInDays: args.logRetentionDays ?? 30 }, // CloudWatch.16
          { parent: this },
        ),
    );

    const logArn = pulumi.interpolate`arn:${partition.partition}:logs:*:${identity.accountId}:log-group:/aws/lambda/us-east-1.${fn.name}`;
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.id,
        policy: policyJson([
          // Any region (replicas run near viewers), only this function's log groups. No wildcard actions.
          { Sid: "CreateOwnLogGroups", Effect: "Allow", Action: "logs:CreateLogGroup", Resource: logArn },
          { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: pulumi.interpolate`${logArn}:log-stream:*` },
        ]),
      },
      { parent: this },
    );

    this.functionName = fn.name;
    this.functionArn = fn.arn;
    this.version = fn.version;
    this.roleArn = role.arn;
    // CloudFront starts replicating when the association is deployed: logging must work by then.
    this.qualifiedArn = pulumi.all([fn.qualifiedArn, rolePolicy.id, ...logGroups.map((g) => g.arn)]).apply(([arn]) => arn);
    this.registerOutputs({ functionName: this.functionName, functionArn: this.functionArn, qualifiedArn: this.qualifiedArn, version: this.version, roleArn: this.roleArn });
  }
}
