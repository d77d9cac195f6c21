import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compilePack, packKey } from "../../tools/plan/packCache";
import { ROOT } from "../support/harness";

/** The plan's compiled copy of the pack (tools/plan/packCache.ts): keyed by content, refused when unsafe. */
describe("the policy pack's compiled copy (packCache)", function () {
  this.timeout(120_000);

  function pack(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), "mpto-pack-"));
    const all = {
      "package.json": JSON.stringify({ name: "p", version: "1.2.3", main: "index.ts" }),
      "PulumiPolicy.yaml": "runtime: nodejs\n",
      "tsconfig.json": JSON.stringify({ compilerOptions: { module: "commonjs", target: "ES2022", noCheck: true, resolveJsonModule: true, esModuleInterop: true } }),
      ...files,
    };
    for (const [name, text] of Object.entries(all)) {
      mkdirSync(join(dir, name, ".."), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return dir;
  }

  it("changes its key when any file of the pack changes, not when nothing does", () => {
    const dir = pack({ "index.ts": "export const a = 1;\n", "data/x.json": "{}" });
    const key = packKey(dir, ROOT);
    assert.equal(packKey(dir, ROOT), key);
    writeFileSync(join(dir, "data", "x.json"), '{"b":1}');
    assert.notEqual(packKey(dir, ROOT), key);
  });

  it("compiles the entry and what it imports, copies the pack's data, and points main at the JavaScript", () => {
    const dir = pack({
      "index.ts": 'import { n } from "./lib/n";\nimport data from "./data/x.json";\nexport const out: number = n + data.v;\n',
      "lib/n.ts": "export const n: number = 41;\n",
      "data/x.json": '{"v":1}',
    });
    const out = join(mkdtempSync(join(tmpdir(), "mpto-pack-out-")), "copy");
    assert.equal(compilePack(dir, out), undefined);
    assert.equal(JSON.parse(readFileSync(join(out, "package.json"), "utf8")).main, "index.js");
    assert.equal(JSON.parse(readFileSync(join(out, "package.json"), "utf8")).version, "1.2.3");
    assert.equal(readFileSync(join(out, "PulumiPolicy.yaml"), "utf8"), "runtime: nodejs\n");
    assert.equal(require(join(out, "index.js")).out, 42);
  });

  it("refuses (so the pack starts from source, as the CLI would) when it imports outside its folder or, type-checked, does not compile", () => {
    const outside = pack({ "index.ts": 'import { x } from "../elsewhere";\nexport const y = x;\n' });
    writeFileSync(join(outside, "..", "elsewhere.ts"), "export const x = 1;\n");
    assert.match(compilePack(outside, join(outside, "out")) ?? "", /outside its folder/);
    const typed = pack({ "index.ts": "export const n: number = 'not a number';\n", "tsconfig.json": JSON.stringify({ compilerOptions: { module: "commonjs", types: [] } }) });
    assert.match(compilePack(typed, join(typed, "out")) ?? "", /does not compile/);
  });
});
