/**
 * Runs the CloudFront Function source the stacks deploy under Debian's `njs` (nginx's JavaScript
 * engine, not V8), and compares every answer with the expected one and with what the V8 sandbox
 * (tools/edge/cloudfrontFunctionsSandbox.ts) answers.
 *
 *   npm run test:njs            (needs `njs` on PATH: apt-get install -y njs; or NJS=/path/to/njs)
 *
 * Why: the CloudFront Functions runtime is its own engine with its own ES subset; the sandbox is
 * V8 with Node's globals removed, so code that only V8 accepts would pass there. A second,
 * independent engine catches that. njs runs with `-s` (sandbox: no file system or modules) and
 * `-u` (no "unsafe" extensions).
 *
 * Exit 0 when every case matches; 1 on any mismatch, and 1 when njs is missing or does not run:
 * the check never reports success it did not perform.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { declaredEdge } from "./observatory";
import { CfEvent, loadCloudFrontFunction, viewerRequestEvent, viewerResponseEvent } from "./cloudfrontFunctionsSandbox";

/** One event and what the function must answer, in the terms the site cares about. */
export interface NjsCase {
  label: string;
  event: CfEvent;
  expect: { status?: number; uri?: string; robots?: string | null };
}

/** What a result says, engine-independently. */
export interface Outcome {
  status?: number;
  uri?: string;
  robots?: string | null;
}

export function outcomeOf(result: any, eventType: string): Outcome {
  if (eventType === "viewer-request") return typeof result?.statusCode === "number" ? { status: result.statusCode } : { uri: result?.uri };
  return { status: result?.statusCode, robots: result?.headers?.["x-robots-tag"]?.value ?? null };
}

/** The cases, for a stack's aliases and media prefix. */
export function njsCases(hosts: string[], mediaPathPrefix: string): NjsCase[] {
  const [host] = hosts;
  const req = (label: string, uri: string, h: string, expect: NjsCase["expect"]): NjsCase => ({ label, event: viewerRequestEvent({ uri, host: h }), expect });
  const res = (label: string, uri: string, robots: string | null): NjsCase => ({ label, event: viewerResponseEvent({ uri }), expect: { status: 200, robots } });
  return [
    ...hosts.map((h) => req(`alias ${h} is served`, "/tutors/maths", h, { uri: "/tutors/maths" })),
    req("alias in upper case with a port is served", "/", `${host.toUpperCase()}:443`, { uri: "/" }),
    req("the distribution's own name is refused", "/", "d111111abcdef8.cloudfront.net", { status: 403 }),
    req("the Vercel origin's name is refused", "/", "mpto-web.vercel.app", { status: 403 }),
    req("a look-alike suffix is refused", "/", `${host}.evil.example`, { status: 403 }),
    req("media prefix is stripped", `${mediaPathPrefix}/videos/1/a.mp4`, host, { uri: "/videos/1/a.mp4" }),
    req("a path merely starting like the prefix is kept", `${mediaPathPrefix}kit/logo.png`, host, { uri: `${mediaPathPrefix}kit/logo.png` }),
    req("media on a foreign host is refused", `${mediaPathPrefix}/videos/1/a.mp4`, "d111111abcdef8.cloudfront.net", { status: 403 }),
    res("admin page gets X-Robots-Tag", "/admin/users/42", "noindex, nofollow"),
    res("percent-encoded admin path gets X-Robots-Tag", "/%61dmin", "noindex, nofollow"),
    res("malformed escape does not throw", "/admin/%E0%A4%A", "noindex, nofollow"),
    res("ordinary page stays indexable", "/administrator", null),
  ];
}

/**
 * The njs program: the deployed source, then the cases; each answer printed as one JSON line
 * behind a marker (njs 0.7's console.log cuts lines at 2,048 bytes, so only the outcome travels).
 */
export function njsProgram(source: string, cases: NjsCase[]): string {
  return [
    source,
    `var CASES = ${JSON.stringify(cases.map((c) => c.event))};`,
    "for (var i = 0; i < CASES.length; i++) {",
    "  var r = handler(CASES[i]);",
    "  var h = r && r.headers && r.headers['x-robots-tag'];",
    "  console.log('CASE ' + JSON.stringify({ statusCode: r.statusCode, uri: r.uri, robots: h ? h.value : null }));",
    "}",
    "",
  ].join("\n");
}

export interface NjsReport {
  stack: string;
  checked: number;
  failures: string[];
}

/** Runs one stack's function under njs; throws when njs itself is missing or fails. */
export function runUnderNjs(njs: string, stack: string, source: string, cases: NjsCase[]): NjsReport {
  const dir = mkdtempSync(join(tmpdir(), "mpto-njs-"));
  try {
    const file = join(dir, `${stack}.js`);
    writeFileSync(file, njsProgram(source, cases));
    const run = spawnSync(njs, ["-s", "-u", file], { encoding: "utf8", timeout: 30_000 });
    if (run.error) throw new Error(`njs did not run (${njs}): ${run.error.message}. Install it: apt-get update && apt-get install -y njs`);
    if (run.status !== 0) throw new Error(`njs exited ${run.status} on the ${stack} function: ${(run.stderr || run.stdout).trim()}`);
    const answers = run.stdout
      .split("\n")
      .filter((l) => l.startsWith("CASE "))
      .map((l) => {
        const a = JSON.parse(l.slice(5));
        return { statusCode: a.statusCode, uri: a.uri, headers: a.robots === null ? {} : { "x-robots-tag": { value: a.robots } } };
      });
    if (answers.length !== cases.length) throw new Error(`njs answered ${answers.length} of ${cases.length} cases`);
    const v8 = loadCloudFrontFunction(source);
    const failures: string[] = [];
    cases.forEach((c, i) => {
      const type = c.event.context.eventType;
      const got = outcomeOf(answers[i], type);
      const inV8 = outcomeOf(v8.invoke(structuredClone(c.event)), type);
      const want = { ...c.expect };
      if (type === "viewer-request" && want.status !== undefined) delete want.uri;
      if (JSON.stringify(got) !== JSON.stringify({ ...inV8 })) failures.push(`${stack}: ${c.label}: njs ${JSON.stringify(got)} but V8 sandbox ${JSON.stringify(inV8)}`);
      for (const [k, v] of Object.entries(want)) {
        if ((got as Record<string, unknown>)[k] !== v) failures.push(`${stack}: ${c.label}: ${k} is ${JSON.stringify((got as Record<string, unknown>)[k])}, expected ${JSON.stringify(v)}`);
      }
    });
    return { stack, checked: cases.length, failures };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const njs = process.env.NJS ?? "njs";
  const version = spawnSync(njs, ["-v"], { encoding: "utf8" });
  if (version.error || version.status !== 0) {
    console.error(`test:njs FAILED: njs is not available (${njs}${version.error ? `: ${version.error.message}` : ""}). Install it: apt-get update && apt-get install -y njs`);
    return 1;
  }
  console.log(`njs ${version.stdout.trim()}`);
  let failed = 0;
  for (const stack of ["dev", "prod"]) {
    const declared = await declaredEdge(stack);
    const report = runUnderNjs(njs, stack, declared.functionCode, njsCases(declared.hosts, declared.mediaPathPrefix));
    for (const f of report.failures) console.error(`  ✖ ${f}`);
    console.log(`  ${report.failures.length ? "✖" : "✔"} ${stack}: ${report.checked} cases, ${Buffer.byteLength(declared.functionCode)} bytes of deployed source, same answers in njs and V8`);
    failed += report.failures.length;
  }
  if (failed) console.error(`test:njs FAILED: ${failed} mismatch${failed === 1 ? "" : "es"}`);
  return failed ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(`test:njs FAILED: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
