/**
 * npm run plan -- <stack> [options]        (npm run plan -- --help lists them)
 * npm run plan:org   (the organization program: --project org, stack management)
 *
 *   npm run plan -- dev --json --out dev.json                 the JSON document to a file, whatever npm prints
 *   npm run plan -- dev --base main-dev.json                  what the change does against an earlier --json plan
 *   npm run -s plan -- dev --base main-dev.json --format markdown > comment.md
 *
 * Exit status: 0 clean, 1 mandatory policy violation (or, with --require-deployable, a placeholder
 * value listed under "before the first deploy"), 2 config/program/setup error.
 * Progress goes to stderr; the plan (text, markdown or JSON) to stdout.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { diffPlans, PlanChanges, PlanDocument } from "./diff";
import { renderMarkdown } from "./markdown";
import { markPhase, writePhases } from "./phases";
import { plan, PlanError, PlanResult } from "./plan";
import { PolicyConfigError } from "./policyConfig";
import { renderJson, renderText } from "./render";

export type Format = "text" | "json" | "markdown";

export interface CliArgs {
  stack?: string;
  format: Format;
  /** Also write the --json document to this file. */
  out?: string;
  /** An earlier --json plan to compare with. */
  base?: string;
  policyConfig?: string;
  program?: string;
  /** Folder of another Pulumi project of this repository (e.g. org): its Pulumi.yaml, stack files and program.ts. */
  project?: string;
  /** Exit 1 while "before the first deploy" lists a placeholder (deploy.yml). */
  requireDeployable: boolean;
  help: boolean;
}

/**
 * The options, one entry each: to add one, add an entry (and its field in CliArgs). `value` names
 * the option's argument; options without it are flags.
 */
interface OptionSpec {
  name: string;
  value?: string;
  help: string;
  apply(args: CliArgs, value: string): void;
}

const FORMATS: Format[] = ["text", "json", "markdown"];

export const OPTIONS: OptionSpec[] = [
  { name: "--json", help: "print the plan as one JSON document (same as --format json)", apply: (a) => (a.format = "json") },
  {
    name: "--format",
    value: "text|json|markdown",
    help: "how stdout shows the plan; markdown is the pull-request comment",
    apply: (a, v) => {
      if (!FORMATS.includes(v as Format)) throw new PlanError(`--format takes ${FORMATS.join(", ")}, not '${v}'\n${usage()}`);
      a.format = v as Format;
    },
  },
  { name: "--out", value: "FILE", help: "also write the JSON document to FILE (stdout keeps the chosen format)", apply: (a, v) => (a.out = v) },
  { name: "--base", value: "FILE", help: "compare with an earlier --json plan: create/update/replace/delete, policy and cost changes", apply: (a, v) => (a.base = v) },
  { name: "--policy-config", value: "FILE", help: "policy config file (default policies/config/<stack>.json)", apply: (a, v) => (a.policyConfig = v) },
  { name: "--program", value: "MODULE", help: "module exporting program() (default stacks/program.ts)", apply: (a, v) => (a.program = v) },
  { name: "--project", value: "DIR", help: "another Pulumi project of this repository (e.g. org)", apply: (a, v) => (a.project = v) },
  { name: "--require-deployable", help: "exit 1 while a placeholder value remains (deploy.yml)", apply: (a) => (a.requireDeployable = true) },
  { name: "--help", help: "this help", apply: (a) => (a.help = true) },
];
const ALIASES: Record<string, string> = { "-h": "--help" };

export function usage(): string {
  const width = Math.max(...OPTIONS.map((o) => `${o.name}${o.value ? ` ${o.value}` : ""}`.length));
  return [
    "usage: npm run plan -- <stack> [options]   e.g. npm run plan -- dev",
    ...OPTIONS.map((o) => `  ${`${o.name}${o.value ? ` ${o.value}` : ""}`.padEnd(width)}  ${o.help}`),
  ].join("\n");
}

export function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = { format: "text", help: false, requireDeployable: false };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i];
    const [flag, inline] = raw.startsWith("--") && raw.includes("=") ? [raw.slice(0, raw.indexOf("=")), raw.slice(raw.indexOf("=") + 1)] : [ALIASES[raw] ?? raw, undefined];
    const option = OPTIONS.find((o) => o.name === flag);
    if (option) {
      let value = "";
      if (option.value) {
        value = inline ?? argv[++i];
        if (value === undefined || value === "" || (inline === undefined && value.startsWith("--"))) throw new PlanError(`${flag} needs a value (${option.value})\n${usage()}`);
      } else if (inline !== undefined) throw new PlanError(`${flag} takes no value\n${usage()}`);
      option.apply(args, value);
    } else if (raw.startsWith("-")) throw new PlanError(`unknown option ${raw}\n${usage()}`);
    else if (!args.stack) args.stack = raw;
    else throw new PlanError(`unexpected argument ${raw}\n${usage()}`);
  }
  return args;
}

/** Reads `--base`: a JSON plan, or a plain message saying what is wrong with it. */
export function readBase(file: string): PlanDocument {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new PlanError(`--base ${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new PlanError(`--base ${file} is not JSON (${(error as Error).message}); make it with: npm run plan -- <stack> --json --out ${file}`);
  }
  const d = doc as Partial<PlanDocument>;
  if (!d || !Array.isArray(d.resources) || !Array.isArray(d.diagnostics)) throw new PlanError(`--base ${file} is not a plan made with --json (no resources or diagnostics)`);
  return d as PlanDocument;
}

/** What the CLI prints and writes for one plan: pure, so tests can call it without a process. */
export function renderAll(result: PlanResult, args: Pick<CliArgs, "format" | "base">, base?: PlanDocument): { stdout: string; json: string; changes?: PlanChanges } {
  let changes: PlanChanges | undefined;
  if (base) {
    if (base.stack !== result.stack || base.project !== result.project) {
      throw new PlanError(`--base ${args.base} is a plan of ${base.project}/${base.stack}, not ${result.project}/${result.stack}`);
    }
    // Compare the documents as --json writes them, so both sides are normalised the same way.
    changes = diffPlans(base, JSON.parse(renderJson(result)) as PlanDocument, args.base ?? "base");
  }
  const json = renderJson(result, changes);
  const stdout = args.format === "json" ? json : args.format === "markdown" ? renderMarkdown(result, changes) : renderText(result, changes);
  return { stdout, json, changes };
}

async function main(): Promise<number> {
  markPhase("modules loaded");
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  if (!args.stack) throw new PlanError(`which stack? ${usage()}`);
  const base = args.base ? readBase(resolve(args.base)) : undefined;
  const started = Date.now();
  const progress = (message: string) => process.stderr.write(`  ▸ ${message} (${((Date.now() - started) / 1000).toFixed(1)}s)\n`);
  const result = await plan({
    stack: args.stack,
    policyConfigFile: args.policyConfig ? resolve(args.policyConfig) : undefined,
    programModule: args.program ? resolve(args.program) : args.project ? resolve(args.project, "program.ts") : undefined,
    projectDir: args.project ? resolve(args.project) : undefined,
    progress,
  });
  const rendered = renderAll(result, args, base);
  markPhase("rendered");
  if (args.out) {
    try {
      writeFileSync(resolve(args.out), rendered.json);
    } catch (error) {
      throw new PlanError(`--out ${args.out}: ${(error as Error).message}`);
    }
    progress(`wrote the JSON plan to ${args.out}`);
  }
  // With --json --out the document is in the file; stdout stays free for npm's banner.
  if (!(args.out && args.format === "json")) process.stdout.write(rendered.stdout);
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
  process.stdout.write("", () =>
    process.stderr.write("", () => {
      writePhases();
      process.exit(code);
    }),
  );
}

if (require.main === module) {
  main().then(
    (code) => exitAfterFlush(code),
    (error) => {
      const known = error instanceof PlanError || error instanceof PolicyConfigError;
      process.stderr.write(`\nerror: ${known ? error.message : (error as Error).stack ?? String(error)}\n`);
      exitAfterFlush(2);
    },
  );
}
