import { isEdgeLambda } from "../billing/estimate";
import { list, regionOf, resourceRule, stackRule, whenKnown } from "../lib/kit";

/**
 * Lambda functions and their permissions: supported runtime, no public or confused-deputy
 * invocation, tracing, a dead-letter destination, no secrets in environment variables, reserved
 * concurrency where required. cdk-nag AwsSolutions-L1, Security Hub Lambda.1/.2 (and †Lambda.7),
 * Checkov CKV_AWS_45/50/115/116/258/301/363/364, cdk-nag NIST LambdaDLQ/LambdaConcurrency.
 */

const FUNCTION = "aws:lambda/function:Function";

function edge(props: Record<string, any>, args: { props: Record<string, any>; provider?: { props: Record<string, any> } }): boolean {
  return isEdgeLambda({ type: FUNCTION, props, region: regionOf(args) });
}

export const lambdaRuntime = resourceRule<{ allowedRuntimes: string[] }>({
  name: "lambda-runtime",
  description: "Zip-packaged Lambda functions use a current, supported runtime from the allowed list (cdk-nag AwsSolutions-L1, Security Hub Lambda.2, Checkov CKV_AWS_363).",
  types: [FUNCTION],
  config: {
    properties: { allowedRuntimes: { type: "array", items: { type: "string" }, minItems: 1, description: "Runtimes functions may use." } },
    defaults: { allowedRuntimes: ["nodejs22.x", "nodejs24.x"] },
  },
  validate(props, { config }, report) {
    if (props.packageType === "Image") return;
    if (!config.allowedRuntimes.includes(props.runtime)) report(`runtime ${props.runtime ?? "unset"} is not allowed; allowed: ${config.allowedRuntimes.join(", ")}`);
  },
});

export const lambdaPermissions = resourceRule({
  name: "lambda-permissions",
  description:
    "No Lambda permission lets anyone invoke a function, a service permission names its source (confused deputy), and function URLs need IAM auth (Security Hub Lambda.1, Checkov CKV_AWS_301/CKV_AWS_364/CKV_AWS_258).",
  types: ["aws:lambda/permission:Permission", "aws:lambda/functionUrl:FunctionUrl"],
  validate(props, { type }, report) {
    if (type === "aws:lambda/functionUrl:FunctionUrl") {
      if (props.authorizationType !== "AWS_IAM") report(`function URL authorizationType is ${props.authorizationType}: anyone on the internet can invoke it`);
      return;
    }
    const principal = String(props.principal ?? "");
    const scoped = Boolean(props.sourceArn || props.sourceAccount || props.principalOrgId);
    if (principal === "*" && !scoped) report("principal '*' without sourceArn, sourceAccount or principalOrgId: anyone can invoke the function");
    else if (principal.endsWith(".amazonaws.com") && !props.sourceArn && !props.sourceAccount) report(`service principal ${principal} without sourceArn or sourceAccount: any account's ${principal.split(".")[0]} resources could invoke it (confused deputy)`);
    if (props.functionUrlAuthType === "NONE") report("functionUrlAuthType NONE: the function URL is public");
  },
});

export const lambdaTracing = resourceRule({
  name: "lambda-tracing",
  description: "Regional Lambda functions trace with X-Ray in Active mode (Checkov CKV_AWS_50, Security Hub †Lambda.7); Lambda@Edge does not support X-Ray and is exempt.",
  types: [FUNCTION],
  validate(props, { args }, report) {
    if (edge(props, args)) return;
    if (props.tracingConfig?.mode !== "Active") report(`tracingConfig.mode is ${props.tracingConfig?.mode ?? "unset (PassThrough)"}; set Active`);
  },
});

export const lambdaEnvironmentSecrets = resourceRule({
  name: "lambda-environment-secrets",
  description: "Lambda environment variables carry no secrets (keys, passwords, tokens, private keys): they are readable by anyone who can read the function's configuration (Checkov CKV_AWS_45).",
  types: [FUNCTION],
  validate(props, _ctx, report) {
    const variables = (props.environment?.variables ?? {}) as Record<string, unknown>;
    for (const [key, value] of Object.entries(variables)) {
      const text = typeof value === "string" ? value : "";
      if (/AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}/.test(text)) report(`environment variable ${key} holds an AWS access key id`);
      else if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) report(`environment variable ${key} holds a private key`);
      else if (/(SECRET|PASSWORD|PASSWD|PRIVATE_?KEY|API_?KEY|ACCESS_?KEY|TOKEN)$/i.test(key) && text !== "" && !/^arn:/.test(text) && !/^(\/|alias\/)/.test(text)) {
        report(`environment variable ${key} looks like a secret; pass its ARN or parameter name and read it at run time`);
      }
    }
  },
});

export const lambdaConcurrency = resourceRule<{ requireReservedConcurrency: boolean; maxReservedConcurrency: number }>({
  name: "lambda-concurrency",
  description: "Lambda functions set reserved concurrency where the stack requires it, and never more than the cap (cdk-nag NIST LambdaConcurrency, Checkov CKV_AWS_115).",
  types: [FUNCTION],
  config: {
    properties: {
      requireReservedConcurrency: { type: "boolean", description: "Require reservedConcurrentExecutions on every regional function." },
      maxReservedConcurrency: { type: "integer", minimum: 1, description: "Largest reservedConcurrentExecutions allowed." },
    },
    defaults: { requireReservedConcurrency: false, maxReservedConcurrency: 100 },
  },
  validate(props, { config, args }, report) {
    const reserved = props.reservedConcurrentExecutions;
    const set = reserved !== undefined && reserved !== null && Number(reserved) >= 0;
    if (config.requireReservedConcurrency && !set && !edge(props, args)) report("reservedConcurrentExecutions is not set: one runaway caller can take the account's whole concurrency");
    if (set && Number(reserved) > config.maxReservedConcurrency) report(`reservedConcurrentExecutions ${reserved} is above ${config.maxReservedConcurrency}`);
  },
});

export const lambdaDeadLetter = stackRule({
  name: "lambda-dead-letter",
  description: "Every regional Lambda function keeps failed asynchronous events: a dead-letter queue or an on-failure destination (cdk-nag NIST LambdaDLQ, Checkov CKV_AWS_116); Lambda@Edge runs synchronously and is exempt.",
  validate(stack, _config, report) {
    for (const fn of stack.ofType(FUNCTION)) {
      if (isEdgeLambda({ type: fn.type, props: fn.props, region: regionOf(fn) })) continue;
      if (whenKnown(() => Boolean(fn.props.deadLetterConfig?.targetArn), true)) continue;
      const invokeConfigs = stack.referencing("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "functionName", fn, [whenKnown(() => fn.props.name as unknown, undefined)]);
      const onFailure = invokeConfigs.some((c) => whenKnown(() => Boolean(c.props.destinationConfig?.onFailure?.destination), false));
      if (!onFailure) report(`function ${fn.name} has no dead-letter queue or on-failure destination: failed asynchronous events are lost`, fn.urn);
    }
  },
});

export const lambdaPolicies = [lambdaRuntime, lambdaPermissions, lambdaTracing, lambdaEnvironmentSecrets, lambdaConcurrency, lambdaDeadLetter];
