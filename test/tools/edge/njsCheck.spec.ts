import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cloudFrontFunctionSource } from "../../../functions/edge/cloudfrontFunction";
import { njsCases, runUnderNjs } from "../../../tools/edge/njsCheck";
import { ROOT } from "../../support/harness";

/**
 * The harness of `npm run test:njs`, proven in both directions without depending on njs being
 * installed here: a stand-in "engine" that runs the program with Node stands in for njs, so the
 * comparison, the expectations and the failure paths are what is under test. `npm run test:njs`
 * itself runs the real njs (and .ci/run installs it).
 */
describe("npm run test:njs harness (tools/edge/njsCheck.ts)", () => {
  const hosts = ["www.example.com", "example.com"];
  const source = cloudFrontFunctionSource({ mediaPathPrefix: "/media", hosts });
  let dir: string;
  let fakeNjs: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "njs-harness-"));
    fakeNjs = join(dir, "njs");
    // Drops the -s -u flags and runs the file with this Node.
    writeFileSync(fakeNjs, `#!/bin/sh\nshift 2\nexec "${process.execPath}" "$@"\n`);
    chmodSync(fakeNjs, 0o755);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("passes the deployed source: every case as expected and as the V8 sandbox answers", () => {
    const report = runUnderNjs(fakeNjs, "test", source, njsCases(hosts, "/media"));
    assert.deepEqual(report.failures, []);
    assert.equal(report.checked, 13); // two aliases + 11 shared cases
  });

  it("fails a function that serves any Host (the case list has teeth)", () => {
    const lax = source.replace("if (!servedHost(event.request)) {", "if (false) {");
    assert.notEqual(lax, source);
    const report = runUnderNjs(fakeNjs, "test", lax, njsCases(hosts, "/media"));
    assert.ok(report.failures.some((f) => /the distribution's own name is refused: status is undefined, expected 403/.test(f)), report.failures.join("\n"));
  });

  it("fails, never skips, when the engine is missing or crashes", () => {
    assert.throws(() => runUnderNjs(join(dir, "missing"), "test", source, njsCases(hosts, "/media")), /njs did not run/);
    assert.throws(() => runUnderNjs(fakeNjs, "test", `${source}\nthrow new Error("boom");`, njsCases(hosts, "/media")), /njs exited 1/);
  });

  it("the npm script exits 1 with an install hint when njs is absent", () => {
    const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", join(ROOT, "tools", "edge", "njsCheck.ts")], {
      cwd: ROOT,
      env: { ...process.env, NJS: join(dir, "absent-njs") },
      encoding: "utf8",
    });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /test:njs FAILED: njs is not available.*apt-get install -y njs/);
  });
});
