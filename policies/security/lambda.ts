import { isEdgeLambda } from "../billing/estimate";
import { notANumber, num, objects, regionOf, whenKnown } from "../lib/inputs";
import { resourceRule, stackRule } from "../lib/policy";

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

/**
 * Secret-looking environment values (issue 14, class 4). Lambda shows environment variables to
 * anyone with lambda:GetFunctionConfiguration, in the console and in every `pulumi preview` diff
 * (Checkov CKV_AWS_45, "Ensure no hard-coded secrets exist in lambda environment"). Judged by the
 * variable's name (a secret-bearing word as a whole name segment, e.g. DB_PASSWORD, STRIPE_API_KEY,
 * SESSION_SECRET_B64, DATABASE_URL) and by the value whatever its name: credentials in a URL
 * (scheme://user:password@host), secret query parameters (token=, sig=, X-Amz-Signature=),
 * webhook URLs that are themselves the credential, and well-known token formats.
 */
const SECRET_NAME =
  /(^|_)(SECRETS?|PASSWORD|PASSWD|PASS|PWD|PASSPHRASE|PRIVATE_?KEY|API_?KEY|ACCESS_?KEY|SECRET_?KEY|AUTH_?TOKEN|ACCESS_?TOKEN|REFRESH_?TOKEN|BEARER|TOKEN|CREDENTIALS?|CLIENT_?SECRET|SIGNING_?KEY|ENCRYPTION_?KEY|WEBHOOK(_?URL)?|CONNECTION_?STRING|CONN_?STR|DSN|DATABASE_?URL|DB_?URL|REDIS_?URL|MONGO(DB)?_?URI)(_(VALUE|STRING|B64|BASE64|RAW|PLAIN|HEX|JSON|TEXT|\d+))?$/i;

const SECRET_VALUES: [RegExp, string][] = [
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, "an AWS access key id"],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a private key"],
  [/^[a-z][a-z0-9+.-]{1,20}:\/\/[^\s/?#@:]*:[^\s/?#@]+@/i, "a URL with a password in it (scheme://user:password@host)"],
  [/[?&](access_?token|auth_?token|token|api_?key|apikey|key|secret|client_secret|password|passwd|pwd|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|sv|code)=[^&#\s]{8,}/i, "a URL carrying a secret query parameter"],
  [/hooks\.slack\.com\/services\/|discord(app)?\.com\/api\/webhooks\/|outlook\.office\.com\/webhook\/|webhook\.office\.com\//i, "a webhook URL (the URL is the credential)"],
  [/\b(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/, "a GitHub token"],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/, "a Slack token"],
  [/\b(sk|rk)_(live|test)_[0-9A-Za-z]{16,}/, "a Stripe secret key"],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, "a Google API key"],
  [/\bSG\.[\w-]{16,}\.[\w-]{16,}/, "a SendGrid API key"],
  [/\bnpm_[A-Za-z0-9]{36}\b/, "an npm token"],
  [/\bsk-(proj-)?[A-Za-z0-9_-]{20,}/, "an API secret key (sk-...)"],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, "a signed JWT"],
];

/** A value that names where a secret is (ARN, parameter path, alias, dynamic reference) or holds no secret (flags, numbers). */
function isReferenceOrPlain(value: string): boolean {
  return /^arn:/.test(value) || /^(\/|alias\/)/.test(value) || /^\{\{resolve:/.test(value) || /^(true|false|yes|no|on|off|none|null|-?\d+(\.\d+)?)$/i.test(value);
}

export const lambdaEnvironmentSecrets = resourceRule({
  name: "lambda-environment-secrets",
  description:
    "Lambda environment variables carry no secrets: no secret-named variable with a literal value, no credentials in URLs, no secret query parameters or webhook URLs, no known token formats (keys, passwords, tokens, private keys are readable by anyone who can read the function's configuration) (Checkov CKV_AWS_45).",
  types: [FUNCTION],
  validate(props, _ctx, report) {
    const environment = objects(props.environment)[0];
    for (const problem of environmentSecretProblems(environment?.variables, "environment.variables")) report(problem);
  },
});

/**
 * Why a map of environment variables holds secrets (empty when it holds none). Shared by every type
 * that runs code with environment variables (Lambda functions, Synthetics canaries).
 */
export function environmentSecretProblems(raw: unknown, field: string): string[] {
  if (raw === undefined || raw === null) return [];
  if (typeof raw !== "object" || Array.isArray(raw)) return [`${field} is not a map of names to values, so it cannot be judged`];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const text = typeof value === "string" ? value : value === undefined || value === null ? "" : JSON.stringify(value);
    const hit = SECRET_VALUES.find(([pattern]) => pattern.test(text));
    if (hit) problems.push(`environment variable ${key} holds ${hit[1]}`);
    else if (SECRET_NAME.test(key) && text !== "" && !isReferenceOrPlain(text)) problems.push(`environment variable ${key} looks like a secret; pass its ARN or parameter name and read it at run time`);
  }
  return problems;
}

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
    const count = num(reserved);
    if (reserved !== undefined && reserved !== null && notANumber(count, "reservedConcurrentExecutions", reserved, report)) return;
    const set = reserved !== undefined && reserved !== null && count >= 0;
    if (config.requireReservedConcurrency && !set && !edge(props, args)) report("reservedConcurrentExecutions is not set: one runaway caller can take the account's whole concurrency");
    if (set && count > config.maxReservedConcurrency) report(`reservedConcurrentExecutions ${reserved} is above ${config.maxReservedConcurrency}`);
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
