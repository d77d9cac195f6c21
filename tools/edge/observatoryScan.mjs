// Scores one URL with the MDN HTTP Observatory's own retriever, tests and grader
// (@mdn/mdn-http-observatory), and prints the result as one JSON line.
//
//   node tools/edge/observatoryScan.mjs <host> <httpPort> <httpsPort> <path>
//
// Why not its `scan()`: it takes a host name only and always uses ports 80/443 (it drops its
// options before calling `retrieve`), while `retrieve(host, { httpPort, httpsPort, path })`
// accepts ports. The scoring below is `scan()`'s, step for step, with the package's functions.
// Run with NODE_EXTRA_CA_CERTS pointing at the CA of the local server's certificate, so the
// scanner sees a verified certificate as it would on the internet.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const root = path.dirname(require.resolve("@mdn/mdn-http-observatory/package.json"));

// The HSTS preload list (conf/hsts-preload.json) is downloaded by the package's install script,
// which cannot run offline. Missing list = empty list: 127.0.0.1 is on no preload list anyway,
// and preloading only ever adds credit.
const preloadList = path.join(root, "conf", "hsts-preload.json");
if (!fs.existsSync(preloadList)) {
  const readFileSync = fs.readFileSync;
  fs.readFileSync = function (file, ...rest) {
    if (path.resolve(String(file)) === preloadList) return "{}";
    return readFileSync.call(this, file, ...rest);
  };
}

const load = (p) => import(new URL(`file://${path.join(root, "src", p)}`).href);
const { retrieve } = await load("retriever/retriever.js");
const { ALL_TESTS, NUM_TESTS, ALGORITHM_VERSION } = await load("constants.js");
const { getGradeForScore, getScoreModifier } = await load("grader/grader.js");
const { MINIMUM_SCORE_FOR_EXTRA_CREDIT } = await load("grader/charts.js");

const [host, httpPort, httpsPort, urlPath] = process.argv.slice(2);
const requests = await retrieve(host, { httpPort: Number(httpPort), httpsPort: Number(httpsPort), path: urlPath });
if (!requests.responses.auto) {
  console.log(JSON.stringify({ error: "no response" }));
  process.exit(2);
}

const results = ALL_TESTS.map((test) => test(requests));
let passed = 0;
let withExtraCredit = 100;
let uncurved = 100;
const tests = {};
for (const result of results) {
  if (!result.result) continue;
  const modifier = getScoreModifier(result.result);
  passed += result.pass ? 1 : 0;
  withExtraCredit += modifier;
  if (modifier < 0) uncurved += modifier;
  tests[result.constructor.name] = { result: result.result, pass: result.pass, scoreModifier: modifier };
}
const score = uncurved >= MINIMUM_SCORE_FOR_EXTRA_CREDIT ? withExtraCredit : uncurved;
const final = getGradeForScore(score);
console.log(
  JSON.stringify({
    algorithmVersion: ALGORITHM_VERSION,
    grade: final.grade,
    score: final.score,
    statusCode: requests.responses.auto.status,
    testsPassed: passed,
    testsQuantity: NUM_TESTS,
    verifiedCertificate: Boolean(requests.responses.https?.verified),
    tests,
  }),
);
