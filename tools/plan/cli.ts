/**
 * npm run plan -- <stack> [--json] [--policy-config FILE] [--program MODULE] [--project DIR]
 * npm run plan:org   (the organization program: --project org, stack management)
 *
 * Exit status: 0 clean, 1 mandatory policy violation, 2 config/program/setup error.
 * Progress goes to stderr; the plan (text or JSON) to stdout.
 */
import { resolve } from "node:path";
import { plan, PlanError } from "./plan";
import { renderJson, renderText } from "./render";
import { PolicyConfigError } from "./policyConfig";

const USAGE = "usage: npm run plan -- <stack> [--json] [--policy-config FILE]\n  e.g. npm run plan -- dev";

interface CliArgs {
  stack?: string;
  json: boolean;
  policyConfig?: string;
  program?: string;
  /** Folder of another Pulumi project of this repository (e.g. org): its Pulumi.yaml, stack files and program.ts. */
  project?: string;
  help: boolean;
}

export function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = { json: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--json") args.json = true;
    else if (a === "--help" || a === "-h") args.help = true;
    else if (a === "--policy-config") args.policyConfig = argv[++i];
    else if (a === "--program") args.program = argv[++i];
    else if (a === "--project") args.project = argv[++i];
    else if (a.startsWith("-")) throw new PlanError(`unknown option ${a}\n${USAGE}`);
    else if (!args.stack) args.stack = a;
    else throw new PlanError(`unexpected argument ${a}\n${USAGE}`);
  }
  if ((argv.includes("--policy-config") && !args.policyConfig) || (argv.includes("--program") && !args.program) || (argv.includes("--project") && !args.project)) throw new PlanError(`an option is missing its value\n${USAGE}`);
  return args;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!args.stack) throw new PlanError(`which stack? ${USAGE}`);
  const started = Date.now();
  const progress = (message: string) => process.stderr.write(`  ▸ ${message} (${((Date.now() - started) / 1000).toFixed(1)}s)\n`);
  const result = await plan({
    stack: args.stack,
    policyConfigFile: args.policyConfig ? resolve(args.policyConfig) : undefined,
    programModule: args.program ? resolve(args.program) : args.project ? resolve(args.project, "program.ts") : undefined,
    projectDir: args.project ? resolve(args.project) : undefined,
    progress,
  });
  process.stdout.write(args.json ? renderJson(result) : renderText(result));
  return result.summary.mandatory > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    const known = error instanceof PlanError || error instanceof PolicyConfigError;
    process.stderr.write(`\nerror: ${known ? error.message : (error as Error).stack ?? String(error)}\n`);
    process.exit(2);
  },
);
