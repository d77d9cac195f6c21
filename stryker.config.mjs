// Mutation testing of functions/ (issue 15): `npm run mutation` (not in CI; CPU heavy).
//
// - Mutants are run through the mocha specs in test/functions (emulators started by the specs
//   themselves, as in `npm test`); the TypeScript checker drops mutants that do not compile.
// - One folder of functions/ per run (tools/mutationRun.ts sets MUTATION_FOLDER): its mutants are
//   judged by the specs that import it, directly or through other modules (found below from their
//   import statements). Most mutants here are "static" (module-level tables and constants run at
//   import, so Stryker cannot tell which test covers them) and run every selected spec: with every
//   spec of test/functions that is ~35 s per mutant, with one folder's specs a few seconds. A mutant
//   only a spec of an unrelated folder would kill counts as survived, so the score can only be lower.
// - Incremental, one file per folder: reports/mutation/incremental/<folder>.json (committed) holds
//   that folder's last result, so a run only re-tests mutants in changed code or covered by changed
//   tests (`-- --force` runs all), and runs of different folders never overwrite each other's.
//   tools/mutationReport.ts scores from these files.
// - Concurrency 3 on 2 cores: Stryker gives ceil(3/2) = 2 processes to the TypeScript checker and 1 to
//   the test runner (core/dist/src/concurrent/concurrency-token-provider.js), and the checker is the
//   bottleneck here (at concurrency 2 the runner sat at ~17% CPU waiting for checked mutants); once
//   checking ends, the checkers' tokens go to test runners. Do not run it next to a full `npm test`.
// - Needs Node >= 22 (npm scripts put node_modules/.bin/node, Node 24, first on PATH).
// - Mutants inside code that runs in another process (the CloudFront Function in the njs sandbox,
//   the bundled Lambda) are not seen by the in-process runner: those files are excluded below.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = dirname(fileURLToPath(import.meta.url));
const SPECS = "test/functions";
// cognito-local (aws-sdk v2, 128 MB) did not start within its 15 s on a loaded 2-core machine and
// failed the dry run; it would also restart for every mutant it covers. The SRP spec covers
// cognitoAuth.ts in-process and the tokens spec tokens.ts (JWKS served on 127.0.0.1).
const IGNORED_SPECS = ["test/functions/auth/cognitoLocal.spec.ts"];
const NOT_MUTATED = ["!functions/**/index.ts", "!functions/edge/cloudfront-function.js"];

/** Every file a TypeScript module imports from this repository (relative imports), transitively. */
function localImports(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const source = readFileSync(join(ROOT, file), "utf8");
  for (const [, spec] of source.matchAll(/(?:from|import|require\()\s*["'](\.{1,2}\/[^"']+)["']/g)) {
    const base = resolve(ROOT, dirname(file), spec);
    const found = [`${base}.ts`, join(base, "index.ts"), base].find((p) => existsSync(p) && p.endsWith(".ts"));
    if (found) localImports(relative(ROOT, found).split("\\").join("/"), seen);
  }
  return seen;
}

function specFiles(dir) {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? specFiles(`${dir}/${e.name}`) : e.name.endsWith(".spec.ts") ? [`${dir}/${e.name}`] : [],
  );
}

/** Specs that start a server or an emulator: slow to run, so they go last. */
const SLOW = /support\/(dynalite|sesLocal|s3rver|cognitoLocal)|\bcreateServer\(/;

/**
 * The specs whose imports reach functions/<folder>/, in-process ones first: the runner stops at the
 * first failing test, so a static mutant that a quick spec kills never waits for an emulator.
 */
function specsFor(folder) {
  const specs = specFiles(SPECS).filter((s) => !IGNORED_SPECS.includes(s) && [...localImports(s)].some((f) => f.startsWith(`functions/${folder}/`)));
  if (specs.length === 0) throw new Error(`MUTATION_FOLDER=${folder}: no spec under ${SPECS} imports functions/${folder}/`);
  const slow = (s) => SLOW.test(readFileSync(join(ROOT, s), "utf8"));
  return [...specs.filter((s) => !slow(s)), ...specs.filter(slow)];
}

const folder = process.env.MUTATION_FOLDER;
// The test runners inherit this: emulators started by niced runners on a loaded machine start slowly (test/support/emulatorProcess.ts).
process.env.EMULATOR_START_MS ??= "50000"; // below mocha's 60 s hook timeout (.mocharc.yml)
if (!folder || !existsSync(join(ROOT, "functions", folder))) throw new Error("run `npm run mutation [-- <folder of functions/>...]` (it sets MUTATION_FOLDER)");

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: "npm",
  testRunner: "mocha",
  mochaOptions: {
    config: ".mocharc.yml",
    spec: specsFor(folder),
    ignore: IGNORED_SPECS,
  },
  checkers: ["typescript"],
  tsconfigFile: "tsconfig.mutation.json",
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: [`functions/${folder}/**/*.ts`, ...NOT_MUTATED],
  ignorePatterns: ["reports", "test/site", "org", "**/*.tsbuildinfo"],
  coverageAnalysis: "perTest",
  incremental: true,
  incrementalFile: `reports/mutation/incremental/${folder}.json`,
  concurrency: 3,
  timeoutMS: 15000,
  timeoutFactor: 2,
  reporters: ["clear-text", "progress-append-only", "json"],
  jsonReporter: { fileName: `reports/mutation/${folder}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: false },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};
