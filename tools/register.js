"use strict";
/**
 * `node -r ./tools/register.js …`: loads the project's TypeScript exactly as
 * `-r ts-node/register/transpile-only` does (ts-node's own output for the same tsconfig.json), with
 * that output kept on disk, keyed by everything it depends on. A warm run loads no TypeScript
 * compiler at all: TypeScript and ts-node are only required on a miss.
 *
 * Why: transpiling the program's ~150 files on every plan and every test process cost more than
 * running the program (tools/bench/toolchain.ts measures it). Same output, so nothing a check sees
 * changes; `MPTO_TS_CACHE=off` turns the cache off (every file through ts-node, as before).
 *
 * Key: TypeScript and ts-node versions, the tsconfig.json ts-node would use (found from the working
 * directory upward, as ts-node does), every TS_NODE_* variable, the file's path and its text.
 * Stack traces: ts-node's output carries an inline source map; Node's own source-map support maps
 * frames back to the .ts lines (ts-node installs source-map-support for the same purpose).
 */
const Module = require("node:module");
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");
const CACHE = path.join(ROOT, "node_modules", ".cache", "mpto-ts");
const enabled = process.env.MPTO_TS_CACHE !== "off";

// Node's own on-disk compile cache (V8 code cache, Node >= 22.1): the JavaScript of @pulumi/aws,
// @pulumi/pulumi and this project is parsed and compiled once, not on every process start. Node
// checks each entry against a hash of the source, so a changed file is compiled afresh; the cache
// changes no module's behaviour. It is written when the process exits normally. Enabled for this
// process only (not exported as NODE_COMPILE_CACHE): the policy pack the plan starts is stopped by a
// signal, as the CLI stops it, so it would pay for making cache entries it never writes.
// NODE_DISABLE_COMPILE_CACHE=1 turns it off (Node's own switch).
if (typeof Module.enableCompileCache === "function" && !process.env.NODE_DISABLE_COMPILE_CACHE) {
  Module.enableCompileCache(path.join(ROOT, "node_modules", ".cache", "node-compile-cache"));
}

function version(pkg) {
  try {
    return JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`), "utf8")).version;
  } catch {
    return "none";
  }
}

function tsconfigText() {
  // ts-node 10 (register, cwd mode): ts.findConfigFile(cwd) — the nearest tsconfig.json upward.
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    const file = path.join(dir, "tsconfig.json");
    if (fs.existsSync(file)) return `${file}\n${fs.readFileSync(file, "utf8")}`;
    if (path.dirname(dir) === dir) return "no tsconfig.json";
  }
}

let service;
function tsNode() {
  // Created on the first miss only: this is what loads the TypeScript compiler.
  if (!service) {
    // ts-node's create() installs @cspotcode/source-map-support, whose prepareStackTrace is costly
    // under Pulumi (every resource and promise captures a stack); Node's own source-map support
    // reads the same inline maps, so hand create() a no-op in its place.
    const sms = require.resolve("@cspotcode/source-map-support", { paths: [path.dirname(require.resolve("ts-node"))] });
    const saved = require.cache[sms];
    require.cache[sms] = { id: sms, filename: sms, loaded: true, exports: { install() {} } };
    try {
      service = require("ts-node").create({ transpileOnly: true });
    } finally {
      if (saved) require.cache[sms] = saved;
      else delete require.cache[sms];
    }
  }
  return service;
}

if (!enabled) {
  require("ts-node").register({ transpileOnly: true });
} else {
  const salt = [
    version("typescript"),
    version("ts-node"),
    tsconfigText(),
    ...Object.keys(process.env)
      .filter((k) => k.startsWith("TS_NODE_"))
      .sort()
      .map((k) => `${k}=${process.env[k]}`),
  ].join("\n");
  if (process.env.MPTO_SOURCE_MAPS !== "off") process.setSourceMapsEnabled(true);
  const previous = Module._extensions[".ts"];
  Module._extensions[".ts"] = function (module, filename) {
    if (filename.split(path.sep).includes("node_modules")) {
      // ts-node ignores node_modules by default; leave such files to whatever handled them before.
      return (previous ?? Module._extensions[".js"])(module, filename);
    }
    const code = fs.readFileSync(filename, "utf8");
    const key = createHash("sha256").update(salt).update("\0").update(filename).update("\0").update(code).digest("hex");
    const cached = path.join(CACHE, key.slice(0, 2), `${key.slice(2)}.js`);
    let output;
    try {
      output = fs.readFileSync(cached, "utf8");
    } catch {
      output = tsNode().compile(code, filename);
      try {
        fs.mkdirSync(path.dirname(cached), { recursive: true });
        const tmp = `${cached}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, output);
        fs.renameSync(tmp, cached);
      } catch {
        // A read-only or full disk only loses the cache, never the module.
      }
    }
    module._compile(output, filename);
  };
}
