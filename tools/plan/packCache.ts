import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import { Worker } from "node:worker_threads";

/**
 * The policy pack, compiled once per content: what the Pulumi CLI does with a published pack.
 *
 * `pulumi policy publish` packs the folder with `npm pack`; an organization's required pack is
 * downloaded once per version into `~/.pulumi/policies/<org>/<name>/<version>` and started from
 * there on every preview (pulumi/pulumi pkg/backend/httpstate/policypack.go `installRequiredPolicy`,
 * `cloudRequiredPolicy.Installed`). Here the "version" is a hash of every file of the pack folder
 * plus the TypeScript and @pulumi/pulumi versions, so an edited policy is never served stale.
 *
 * The copy holds the pack's own files (PulumiPolicy.yaml, package.json with `main` pointing at the
 * compiled entry, JSON data) and the JavaScript the runner's ts-node would produce from the same
 * sources with the same options: @pulumi/pulumi's `cmd/run-policy-pack/run.js` registers ts-node
 * with `{ target: ES2020, module/moduleResolution: nodenext (TS >= 4.7), sourceMap: true,
 * ...tsconfig.json compilerOptions }` and `typeCheck: true`. The pack is then started exactly as
 * before (`node <sdk>/cmd/run-policy-pack <engine> .`, cwd = the copy); the runner still registers
 * ts-node, it just finds JavaScript to load. Without the cache the pack spends ~4 s of CPU in
 * ts-node building a language service over @pulumi/policy's and @pulumi/pulumi's typings.
 *
 * Type errors: when tsconfig.json does not set `noCheck`, the runner would type-check and refuse
 * to start on an error; the compile here type-checks too, and on any diagnostic no copy is made
 * and the pack is started from its source folder, so the error reaches the plan as the CLI shows it.
 * A pack that imports files outside its folder (it could not be published) is also started from source.
 */

const FORMAT = 1;
const KEEP = 6;

export interface PackCacheResult {
  /** Folder to start the pack from: the compiled copy, or the source folder. */
  dir: string;
  /** "hit", "compiled", or why the source folder is used. */
  status: string;
}

function versionOf(rootDir: string, pkg: string): string {
  try {
    return (JSON.parse(readFileSync(join(rootDir, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "none";
  }
}

/** Every file of the pack folder (not node_modules, not dot files), sorted, relative paths. */
export function packFiles(packDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.push(relative(packDir, path));
    }
  };
  walk(packDir);
  return out.sort();
}

/** The content key: every file's path and bytes, the compiler's and the runner's versions. */
export function packKey(packDir: string, rootDir: string): string {
  const hash = createHash("sha256");
  hash.update(
    `format ${FORMAT}\ntypescript ${versionOf(rootDir, "typescript")}\nts-node ${versionOf(rootDir, "ts-node")}\n@pulumi/pulumi ${versionOf(rootDir, "@pulumi/pulumi")}\n`,
  );
  for (const file of packFiles(packDir)) {
    hash.update(`${file.split(sep).join("/")}\0`);
    hash.update(readFileSync(join(packDir, file)));
    hash.update("\0");
  }
  return hash.digest("hex").slice(0, 24);
}

export function cacheRoot(rootDir: string): string {
  return join(rootDir, "node_modules", ".cache", "mpto-policy-pack");
}

/**
 * Compiles `packDir` into `outDir` (synchronous; run in a worker by `preparePack`). Returns why it
 * could not, or undefined on success.
 */
export function compilePack(packDir: string, outDir: string): string | undefined {
  // The runner's TypeScript: the one the pack folder resolves (tsutils.typeScriptRequireStrings).
  const ts = require(require.resolve("typescript", { paths: [packDir, __dirname] })) as typeof import("typescript");
  const manifest = JSON.parse(readFileSync(join(packDir, "package.json"), "utf8")) as { main?: string };
  const main = manifest.main ?? "index.js";
  const entry = join(packDir, main);
  if (!/\.ts$/.test(main) || !existsSync(entry)) return `the pack's main (${main}) is not a TypeScript file`;

  // run.js: defaults, then tsconfig.json's compilerOptions (tsutils.loadTypeScriptCompilerOptions).
  const tsconfigPath = join(packDir, "tsconfig.json");
  let fromFile: Record<string, unknown> = {};
  if (existsSync(tsconfigPath)) {
    fromFile = (ts.parseConfigFileTextToJson(tsconfigPath, readFileSync(tsconfigPath, "utf8")).config?.compilerOptions ?? {}) as Record<string, unknown>;
  }
  const nodeNext = Number(ts.version.split(".")[0]) > 4 || (Number(ts.version.split(".")[0]) === 4 && Number(ts.version.split(".")[1]) >= 7);
  const raw = { target: "ES2020", module: nodeNext ? "nodenext" : "commonjs", moduleResolution: nodeNext ? "nodenext" : "node", sourceMap: true, ...fromFile };
  const converted = ts.convertCompilerOptionsFromJson(raw, packDir, "tsconfig.json");
  if (converted.errors.length) return `tsconfig.json: ${ts.flattenDiagnosticMessageText(converted.errors[0].messageText, "\n")}`;
  const options: import("typescript").CompilerOptions = { ...converted.options, outDir, rootDir: packDir, noEmit: false, declaration: false, composite: false, incremental: false };

  // ts-node compiles what the entry imports, starting from the entry (not the tsconfig `include`).
  const program = ts.createProgram([entry], options);
  const outside = program
    .getSourceFiles()
    .filter((f) => !f.isDeclarationFile && !f.fileName.includes("/node_modules/"))
    .map((f) => relative(packDir, f.fileName))
    .filter((r) => r.startsWith("..") || isAbsolute(r));
  if (outside.length) return `the pack imports files outside its folder (${outside.join(", ")})`;
  const diagnostics = options.noCheck ? program.getSyntacticDiagnostics() : ts.getPreEmitDiagnostics(program);
  if (diagnostics.length) return `the pack does not compile (${diagnostics.length} diagnostics)`;
  const emitted = program.emit();
  if (emitted.emitSkipped || emitted.diagnostics.length) return "the compiler skipped the emit";

  // The pack's own files beside the JavaScript: PulumiPolicy.yaml, JSON data, package.json.
  for (const file of packFiles(packDir)) {
    if (/\.ts$/.test(file)) continue;
    mkdirSync(dirname(join(outDir, file)), { recursive: true });
    copyFileSync(join(packDir, file), join(outDir, file));
  }
  writeFileSync(join(outDir, "package.json"), `${JSON.stringify({ ...manifest, main: main.replace(/\.ts$/, ".js") }, null, 2)}\n`);
  return undefined;
}

function compileInWorker(packDir: string, outDir: string): Promise<string | undefined> {
  // A worker, so that on a cache miss the compile runs beside the program instead of before it.
  const source = `
    require(${JSON.stringify(join(__dirname, "..", "register.js"))});
    const { parentPort, workerData } = require("node:worker_threads");
    parentPort.postMessage(require(workerData.module).compilePack(workerData.packDir, workerData.outDir) ?? null);`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData: { module: __filename, packDir, outDir } });
    worker.once("message", (message: string | null) => resolve(message ?? undefined));
    worker.once("error", reject);
    worker.once("exit", (code) => (code === 0 ? undefined : reject(new Error(`pack compile worker exited ${code}`))));
  });
}

function prune(root: string, keep: string): void {
  try {
    const entries = readdirSync(root)
      .map((e) => ({ e, t: statSync(join(root, e)).mtimeMs }))
      // Another process's compile in progress is left alone (unless it was abandoned long ago).
      .filter(({ e, t }) => e !== keep && (!e.includes(".tmp-") || Date.now() - t > 600_000))
      .sort((a, b) => b.t - a.t);
    for (const { e } of entries.slice(KEEP - 1)) rmSync(join(root, e), { recursive: true, force: true });
  } catch {
    // Pruning is housekeeping; another process may be pruning the same folder.
  }
}

/**
 * The folder to start the pack from when it is known without compiling (synchronously): the
 * compiled copy of this content, or the source folder when the cache is off or cannot apply.
 * Undefined when a compile is needed (`preparePack` runs it).
 */
export function packFolderNow(packDir: string, rootDir: string): PackCacheResult | undefined {
  if (process.env.MPTO_PACK_CACHE === "off") return { dir: packDir, status: "cache off (MPTO_PACK_CACHE=off)" };
  if (!existsSync(join(packDir, "package.json"))) return { dir: packDir, status: "no package.json" };
  const dir = join(cacheRoot(rootDir), packKey(packDir, rootDir));
  if (!existsSync(join(dir, "package.json"))) return undefined;
  try {
    // In use, so newest: `prune` (another checkout's compile, node_modules being shared) keeps the newest copies.
    const now = new Date();
    utimesSync(dir, now, now);
  } catch {
    // Only the pruning order.
  }
  return { dir, status: "hit" };
}

/**
 * The folder to start the pack from. Set `MPTO_PACK_CACHE=off` to always start from source.
 */
export async function preparePack(packDir: string, rootDir: string): Promise<PackCacheResult> {
  const known = packFolderNow(packDir, rootDir);
  if (known) return known;
  const root = cacheRoot(rootDir);
  const dir = join(root, packKey(packDir, rootDir));

  mkdirSync(root, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  try {
    const problem = await compileInWorker(packDir, tmp);
    if (problem) return { dir: packDir, status: problem };
    try {
      renameSync(tmp, dir);
    } catch (error) {
      // Another process finished the same key first: use theirs.
      if (!existsSync(join(dir, "package.json"))) throw error;
    }
    prune(root, dir.slice(root.length + 1));
    return { dir, status: "compiled" };
  } catch (error) {
    return { dir: packDir, status: `compile failed: ${(error as Error).message}` };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
