/**
 * npm run plan -- <stack> [--json] [--policy-config FILE] [--program MODULE] [--project DIR]
 * npm run plan:org   (the organization program: --project org, stack management)
 *
 * Exit status: 0 clean, 1 mandatory policy violation (or, with --require-deployable, a placeholder
 * value listed under "before the first deploy"), 2 config/program/setup error.
 * Progress goes to stderr; the plan (text or JSON) to stdout.
 */
import { resolve } from "node:path";
import { plan, PlanError } from "./plan";
import { renderJson, renderText } from "./render";
import { PolicyConfigError } from "./policyConfig";

const USAGE = "usage: npm run plan -- <stack> [--json] [--policy-config FILE] [--require-deployable]\n  e.g. npm run plan -- dev";

interface CliArgs {
  stack?: string;
  json: boolean;
  policyConfig?: string;
  program?: string;
  /** Folder of another Pulumi project of this repository (e.g. org): its Pulumi.yaml, stack files and program.ts. */
  project?: string;
  /** Exit 1 while "before the first deploy" lists a placeholder (deploy.yml). */
  requireDeployable: boolean;
  help: boolean;
}

export function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = { json: false, help: false, requireDeployable: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--json") args.json = true;
    else if (a === "--help" || a === "-h") args.help = true;
    else if (a === "--require-deployable") args.requireDeployable = true;
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
  if (result.summary.mandatory > 0) return 1;
  // Placeholders do not fail the ordinary plan; a deploy must not start while one remains (tools/plan/firstDeploy.ts).
  const firstDeploy = result.sections.firstDeploy as { placeholders: number } | undefined;
  if (args.requireDeployable && firstDeploy && firstDeploy.placeholders > 0) {
    process.stderr.write(`\nerror: --require-deployable: ${firstDeploy.placeholders} placeholder value${firstDeploy.placeholders === 1 ? "" : "s"} remain; see "Before the first deploy"\n`);
    return 1;
  }
  return 0;
}

/**
 * Exit once stdout and stderr have drained: to a pipe they are asynchronous here, and process.exit()
 * right after a large write cut `--json` at 64 KiB (an empty write's callback runs after earlier chunks).
 */
function exitAfterFlush(code: number): void {
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}

main().then(
  (code) => exitAfterFlush(code),
  (error) => {
    const known = error instanceof PlanError || error instanceof PolicyConfigError;
    process.stderr.write(`\nerror: ${known ? error.message : (error as Error).stack ?? String(error)}\n`);
    exitAfterFlush(2);
  },
);
