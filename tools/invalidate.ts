/**
 * Invalidates CloudFront's cache after a Vercel deploy (CloudFront does not know Vercel purged its own).
 *
 *   npm run invalidate -- <stack> [paths...] [--distribution-id <id>] [--output <name>] [--caller-reference <ref>] [--wait]
 *
 *   npm run invalidate -- prod                      invalidate "/*" on prod's distribution
 *   npm run invalidate -- prod /pricing /blog/*     only these paths
 *   npm run invalidate -- prod --distribution-id E2QWRUHAPOMQZL --wait
 *
 * The distribution id comes from `pulumi stack output <output> --stack <stack>` (output name
 * `cdnDistributionId` unless --output says otherwise) or from --distribution-id. AWS credentials come
 * from the usual SDK chain and need cloudfront:CreateInvalidation (and GetInvalidation for --wait)
 * on that distribution.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { CloudFrontClient, CreateInvalidationCommand, CreateInvalidationCommandInput, waitUntilInvalidationCompleted } from "@aws-sdk/client-cloudfront";

export const DEFAULT_OUTPUT_NAME = "cdnDistributionId";
export const DEFAULT_PATHS = ["/*"];
/** CloudFront quotas: paths per invalidation request, wildcard paths in progress at once, path length. */
export const MAX_PATHS = 3000;
export const MAX_WILDCARD_PATHS = 15;
export const MAX_PATH_LENGTH = 4000;

export type InvalidateErrorCode = "USAGE" | "BAD_PATH" | "NO_DISTRIBUTION" | "PULUMI_FAILED" | "CLOUDFRONT_FAILED";

export class InvalidateError extends Error {
  override readonly name = "InvalidateError";
  constructor(
    readonly code: InvalidateErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface InvalidateArgs {
  stack: string;
  paths: string[];
  distributionId?: string;
  outputName: string;
  callerReference?: string;
  wait: boolean;
}

const STACK = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/;
const DISTRIBUTION_ID = /^[A-Z0-9]{10,20}$/;
const OUTPUT_NAME = /^[A-Za-z][A-Za-z0-9_]{0,99}$/;
const REFERENCE = /^[A-Za-z0-9._:-]{1,64}$/;

export const USAGE = "usage: npm run invalidate -- <stack> [paths...] [--distribution-id <id>] [--output <name>] [--caller-reference <ref>] [--wait]";

/** Parses the command line (after `--`). */
export function parseArgs(argv: string[]): InvalidateArgs {
  const positional: string[] = [];
  const args: Partial<InvalidateArgs> & { wait: boolean } = { wait: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined || next.startsWith("--")) throw new InvalidateError("USAGE", `${arg} needs a value\n${USAGE}`);
      return next;
    };
    if (arg === "--wait") args.wait = true;
    else if (arg === "--distribution-id") args.distributionId = value();
    else if (arg === "--output") args.outputName = value();
    else if (arg === "--caller-reference") args.callerReference = value();
    else if (arg === "--help" || arg === "-h") throw new InvalidateError("USAGE", USAGE);
    else if (arg.startsWith("--")) throw new InvalidateError("USAGE", `unknown option ${arg}\n${USAGE}`);
    else positional.push(arg);
  }
  const [stack, ...paths] = positional;
  if (!stack) throw new InvalidateError("USAGE", `a stack name is required\n${USAGE}`);
  if (!STACK.test(stack)) throw new InvalidateError("USAGE", "the stack name may contain letters, digits, '.', '_', '-' and '/'");
  if (args.distributionId !== undefined && !DISTRIBUTION_ID.test(args.distributionId)) throw new InvalidateError("USAGE", "--distribution-id must be a CloudFront distribution id such as E2QWRUHAPOMQZL");
  if (args.outputName !== undefined && !OUTPUT_NAME.test(args.outputName)) throw new InvalidateError("USAGE", "--output must be a stack output name");
  if (args.callerReference !== undefined && !REFERENCE.test(args.callerReference)) throw new InvalidateError("USAGE", "--caller-reference may contain up to 64 letters, digits, '.', '_', ':' and '-'");
  return { stack, paths: normalisePaths(paths), distributionId: args.distributionId, outputName: args.outputName ?? DEFAULT_OUTPUT_NAME, callerReference: args.callerReference, wait: args.wait };
}

/**
 * Checks and tidies invalidation paths: each starts with "/", "*" only as the last character,
 * no whitespace or control characters, non-ASCII percent-encoded (CloudFront wants URL-encoded
 * paths). Duplicates go; "/*" alone replaces everything else. No paths means "/*".
 */
export function normalisePaths(paths: string[]): string[] {
  if (paths.length === 0) return [...DEFAULT_PATHS];
  const result: string[] = [];
  for (const path of paths) {
    if (!path.startsWith("/")) throw new InvalidateError("BAD_PATH", `paths must start with "/": ${JSON.stringify(path)}`);
    if (/[\s\p{Cc}]/u.test(path)) throw new InvalidateError("BAD_PATH", `paths may not contain spaces or control characters: ${JSON.stringify(path)}`);
    if (path.slice(0, -1).includes("*")) throw new InvalidateError("BAD_PATH", `"*" may only end a path: ${JSON.stringify(path)}`);
    const encoded = path.replace(/[^\x21-\x7e]+/gu, (s) => encodeURIComponent(s));
    if (encoded.length > MAX_PATH_LENGTH) throw new InvalidateError("BAD_PATH", `paths are at most ${MAX_PATH_LENGTH} characters`);
    if (!result.includes(encoded)) result.push(encoded);
  }
  if (result.includes("/*")) return ["/*"];
  if (result.length > MAX_PATHS) throw new InvalidateError("BAD_PATH", `at most ${MAX_PATHS} paths per invalidation`);
  if (result.filter((p) => p.endsWith("*")).length > MAX_WILDCARD_PATHS) throw new InvalidateError("BAD_PATH", `at most ${MAX_WILDCARD_PATHS} wildcard paths per invalidation`);
  return result;
}

/**
 * A caller reference that makes a retry of the same batch idempotent (CloudFront returns the
 * existing invalidation) while a different batch gets a new one: base + hash of the paths.
 */
export function callerReference(paths: string[], base: string): string {
  const digest = createHash("sha256").update(paths.join("\n")).digest("hex").slice(0, 12);
  return `${base}-${digest}`.slice(0, 128);
}

/** Base of the caller reference: the explicit one, the GitHub Actions run, or the current time. */
export function referenceBase(explicit: string | undefined, env: NodeJS.ProcessEnv, now: Date): string {
  if (explicit) return explicit;
  if (env.GITHUB_RUN_ID) return `gh-${env.GITHUB_RUN_ID}-${env.GITHUB_RUN_ATTEMPT ?? "1"}`;
  return `invalidate-${now.toISOString().replace(/[^0-9]/g, "").slice(0, 14)}`;
}

/** The CreateInvalidation request for a distribution and a list of checked paths. */
export function buildInvalidation(distributionId: string, paths: string[], reference: string): CreateInvalidationCommandInput {
  return {
    DistributionId: distributionId,
    InvalidationBatch: { CallerReference: reference, Paths: { Quantity: paths.length, Items: [...paths] } },
  };
}

/** Reads one stack output with the Pulumi CLI (`pulumi stack output <name> --stack <stack>`). */
export function pulumiStackOutput(stack: string, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("pulumi", ["stack", "output", name, "--stack", stack], { timeout: 60_000 }, (error, stdout, stderr) => {
      // execFile reports a missing binary as "spawn pulumi ENOENT": say what is missing and the way round it.
      if (error && (error as NodeJS.ErrnoException).code === "ENOENT") {
        reject(new InvalidateError("PULUMI_FAILED", `this command reads the stack output ${name} with the Pulumi CLI, and no 'pulumi' is on PATH: install it (https://www.pulumi.com/docs/iac/download-install/) and log in to the stack's backend, or pass --distribution-id <id>`, { cause: error }));
      } else if (error) reject(new InvalidateError("PULUMI_FAILED", `pulumi stack output ${name} --stack ${stack} failed: ${(stderr || error.message).trim()}`, { cause: error }));
      else resolve(stdout.trim());
    });
  });
}

export interface InvalidateDeps {
  cloudfront: CloudFrontClient;
  readStackOutput?: (stack: string, name: string) => Promise<string>;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  /** Seconds --wait waits for completion. Default 900. */
  maxWaitSeconds?: number;
  /** Seconds between --wait polls (first, longest). Default the SDK's 20 and 120. */
  pollSeconds?: { min: number; max: number };
}

export interface InvalidateResult {
  distributionId: string;
  invalidationId: string;
  status: string;
  paths: string[];
  callerReference: string;
}

/** Resolves the distribution, creates the invalidation and (with --wait) waits until it completes. */
export async function invalidate(args: InvalidateArgs, deps: InvalidateDeps): Promise<InvalidateResult> {
  const distributionId = args.distributionId ?? (await (deps.readStackOutput ?? pulumiStackOutput)(args.stack, args.outputName));
  if (!DISTRIBUTION_ID.test(distributionId)) {
    throw new InvalidateError("NO_DISTRIBUTION", `stack ${args.stack} has no CloudFront distribution id in output ${args.outputName} (got ${JSON.stringify(distributionId.slice(0, 40))}); pass --distribution-id`);
  }
  const reference = callerReference(args.paths, referenceBase(args.callerReference, deps.env ?? process.env, (deps.now ?? (() => new Date()))()));
  const request = buildInvalidation(distributionId, args.paths, reference);
  let id: string;
  let status: string;
  try {
    const response = await deps.cloudfront.send(new CreateInvalidationCommand(request));
    id = response.Invalidation?.Id ?? "";
    status = response.Invalidation?.Status ?? "";
    if (!id) throw new Error("CloudFront answered without an invalidation id");
    if (args.wait) {
      const poll = deps.pollSeconds ?? { min: 20, max: 120 };
      await waitUntilInvalidationCompleted(
        { client: deps.cloudfront, maxWaitTime: deps.maxWaitSeconds ?? 900, minDelay: poll.min, maxDelay: poll.max },
        { DistributionId: distributionId, Id: id },
      );
      status = "Completed";
    }
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new InvalidateError("CLOUDFRONT_FAILED", `invalidation of ${distributionId} failed: ${reason}`, { cause: error });
  }
  return { distributionId, invalidationId: id, status, paths: args.paths, callerReference: reference };
}

async function main(): Promise<void> {
  try {
    const args = parseArgs(process.argv.slice(2));
    // CloudFront's API is global; its endpoint is signed for us-east-1.
    const cloudfront = new CloudFrontClient({ region: "us-east-1" });
    const result = await invalidate(args, { cloudfront });
    console.log(`invalidation ${result.invalidationId} on ${result.distributionId}: ${result.status} (${result.paths.join(" ")}; reference ${result.callerReference})`);
  } catch (error) {
    if (error instanceof InvalidateError) {
      console.error(error.message);
      process.exitCode = error.code === "USAGE" || error.code === "BAD_PATH" ? 2 : 1;
    } else throw error;
  }
}

if (require.main === module) void main();
