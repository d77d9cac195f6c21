import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { CostLine } from "../../policies/billing/estimate";
import { ALWAYS_FREE, creditFreeTier } from "../../policies/billing/freeTier";
import { parseStackConfig, StackConfigError } from "../../stacks/config";
import { signingKeyProblem } from "../../components/edge/config";
import { OPTIONS, parseArgs, renderAll } from "../../tools/plan/cli";
import { accountStacks } from "../../tools/plan/cost";
import { diffPlans, PlanDocument } from "../../tools/plan/diff";
import { renderMermaid } from "../../tools/plan/graph";
import { cell, commentMarker, renderMarkdown } from "../../tools/plan/markdown";
import type { PlanResult } from "../../tools/plan/plan";
import { REPLACEMENTS, replacementRules } from "../../tools/plan/replacements";
import { defaultProvidersProblem } from "../../tools/plan/stackConfig";
import { loadStackFile, SECRET_PLACEHOLDER } from "../../tools/mocks/stackFile";
import { CliRun, runPlan } from "../support/cli";
import { ROOT } from "../support/harness";

/** A plan document with the given resources (and optional diagnostics/sections). */
function doc(resources: Partial<PlanDocument["resources"][number]>[], extra: Partial<PlanDocument> = {}): PlanDocument {
  return {
    project: "mpto",
    stack: "dev",
    resources: resources.map((r) => ({ urn: `urn:pulumi:dev::mpto::${r.type}::${r.name}`, type: "aws:sns/topic:Topic", name: "x", parent: null, region: "eu-west-2", provider: null, inputs: {}, options: {}, ...r })) as PlanDocument["resources"],
    diagnostics: [],
    sections: {},
    summary: {},
    ...extra,
  };
}
const T = { table: "aws:dynamodb/table:Table", topic: "aws:sns/topic:Topic", client: "aws:cognito/userPoolClient:UserPoolClient", dist: "aws:cloudfront/distribution:Distribution" };

describe("the reviewer's plan: --base changes", () => {
  it("calls an input change an update and lists the changed path old -> new", () => {
    const base = doc([{ type: T.dist, name: "cdn", inputs: { priceClass: "PriceClass_100", origins: [{ domainName: "a.example" }] } }]);
    const now = doc([{ type: T.dist, name: "cdn", inputs: { priceClass: "PriceClass_All", origins: [{ domainName: "a.example" }] } }]);
    const c = diffPlans(base, now, "base.json");
    assert.deepEqual(c.counts, { create: 0, update: 1, replace: 0, delete: 0, same: 0 });
    assert.deepEqual(c.resources[0].changes, [{ path: "priceClass", old: "PriceClass_100", new: "PriceClass_All" }]);
  });

  it("calls it a replace when the path is one the provider replaces on, with the reason and its source", () => {
    const base = doc([{ type: T.table, name: "sessions", inputs: { hashKey: "id", billingMode: "PAY_PER_REQUEST" }, options: { protect: true } }]);
    const now = doc([{ type: T.table, name: "sessions", inputs: { hashKey: "pk", billingMode: "PAY_PER_REQUEST" }, options: { protect: true } }]);
    const c = diffPlans(base, now, "base.json");
    const r = c.resources[0];
    assert.equal(r.kind, "replace");
    assert.match(r.changes[0].replaces!.source, /dynamodb\/table\.go.*hash_key ForceNew/);
    assert.ok(r.warnings.some((w) => /protected: pulumi up refuses to replace/.test(w)));
    assert.ok(r.warnings.some((w) => /starts empty/.test(w)));
    assert.ok(!r.warnings.some((w) => /set explicitly/.test(w)), "an auto-named table is created before the old one goes");
    const named = diffPlans(doc([{ type: T.table, name: "s", inputs: { name: "sessions", hashKey: "id" } }]), doc([{ type: T.table, name: "s", inputs: { name: "sessions", hashKey: "pk" } }]), "b");
    assert.ok(named.resources[0].warnings.some((w) => /name is set explicitly \(sessions\): the provider deletes it before creating the replacement/.test(w)));
    // The same table with a change off the list is an update, not a replace.
    const billing = diffPlans(base, doc([{ type: T.table, name: "sessions", inputs: { hashKey: "id", billingMode: "PROVISIONED" }, options: { protect: true } }]), "b");
    assert.equal(billing.resources[0].kind, "update");
    assert.deepEqual(billing.resources[0].warnings, []);
  });

  it("treats a region move as a replace (v7 per-resource region) and option changes as updates", () => {
    const c = diffPlans(doc([{ name: "t", region: "eu-west-2" }, { name: "u" }]), doc([{ name: "t", region: "us-east-1" }, { name: "u", options: { retainOnDelete: true } }]), "b");
    assert.equal(c.resources.find((r) => r.name === "t")!.kind, "replace");
    const u = c.resources.find((r) => r.name === "u")!;
    assert.equal(u.kind, "update");
    assert.deepEqual(u.changes, [{ path: "options.retainOnDelete", old: undefined, new: true }]);
  });

  it("honours the program's replaceOnChanges option (a listed path replaces, others update)", () => {
    const r = (fields: string[]) => ({ type: "aws:cloudwatch/logDelivery:LogDelivery", name: "d", inputs: { recordFields: fields, fieldDelimiter: "," }, options: { replaceOnChanges: ["recordFields"] } });
    const c = diffPlans(doc([r(["a"])]), doc([r(["a", "b"])]), "b");
    assert.equal(c.resources[0].kind, "replace");
    assert.match(c.resources[0].changes[0].replaces!.reason, /replaceOnChanges option lists recordFields/);
    const other = diffPlans(doc([r(["a"])]), doc([{ ...r(["a"]), inputs: { recordFields: ["a"], fieldDelimiter: ";" } }]), "b");
    assert.equal(other.resources[0].kind, "update");
  });

  it("ignores changes to inputs the program lists in ignoreChanges, as the engine does", () => {
    const acct = (email: string) => ({ type: "aws:organizations/account:Account", name: "dev", inputs: { email, name: "dev" }, options: { ignoreChanges: ["email"] } });
    assert.deepEqual(diffPlans(doc([acct("a@example.com")]), doc([acct("b@example.com")]), "b").counts.same, 1);
  });

  it("lists creates and deletes by URN and orders replace, delete, create, update", () => {
    const c = diffPlans(doc([{ name: "old" }, { name: "kept", inputs: { a: 1 } }]), doc([{ name: "kept", inputs: { a: 2 } }, { name: "new" }]), "b");
    assert.deepEqual(c.resources.map((r) => `${r.kind} ${r.name}`), ["delete old", "create new", "update kept"]);
    assert.deepEqual(c.counts, { create: 1, update: 1, replace: 0, delete: 1, same: 0 });
  });

  it("masks secrets: stack-config secrets (seen as the placeholder) and secret-named inputs, never their values", () => {
    const base = doc([{ type: T.client, name: "c", inputs: { clientSecret: "old-secret", headers: [{ name: "x-origin-verify", value: SECRET_PLACEHOLDER }], refreshTokenValidity: 30 } }]);
    const now = doc([{ type: T.client, name: "c", inputs: { clientSecret: "new-secret", headers: [{ name: "x-origin-verify", value: "plain-now" }], refreshTokenValidity: 7 } }]);
    const changes = diffPlans(base, now, "b").resources[0].changes;
    const text = JSON.stringify(changes);
    assert.doesNotMatch(text, /old-secret|new-secret|plain-now/);
    assert.deepEqual(changes.find((x) => x.path === "clientSecret"), { path: "clientSecret", old: "[secret]", new: "[secret]", secret: true });
    assert.equal(changes.find((x) => x.path === "headers[0].value")!.secret, true);
    // Not every name with "token" in it is a secret: a validity period is shown.
    assert.deepEqual(changes.find((x) => x.path === "refreshTokenValidity"), { path: "refreshTokenValidity", old: 30, new: 7 });
  });

  it("diffs inside JSON documents held in strings (IAM policies) down to the changed statement field", () => {
    const policy = (action: string) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: [action], Resource: "*" }] });
    const c = diffPlans(doc([{ type: "aws:iam/rolePolicy:RolePolicy", name: "p", inputs: { policy: policy("s3:GetObject") } }]), doc([{ type: "aws:iam/rolePolicy:RolePolicy", name: "p", inputs: { policy: policy("s3:*") } }]), "b");
    assert.deepEqual(c.resources[0].changes, [{ path: "policy.Statement[0].Action[0]", old: "s3:GetObject", new: "s3:*" }]);
  });

  it("reports policy results new and gone, cost totals and items, and changed outputs", () => {
    const d = (policyName: string) => ({ policyName, policyPackName: "p", policyPackVersion: "1", description: "", message: `${policyName} fails`, enforcementLevel: "mandatory", urn: "urn:x" }) as any;
    const line = (name: string, monthlyUsd: number) => ({ urn: `urn:${name}`, name, priceId: "kmsKey", item: "KMS key", monthlyUsd }) as any;
    const cost = (total: number, expected: number, lines: any[]) => ({ totalMonthlyUsd: total, expected: { monthlyUsd: expected }, lines });
    const base = doc([], { diagnostics: [d("a"), d("b")], sections: { cost: cost(10, 8, [line("k1", 1), line("k2", 1)]), outputs: { values: { x: "1", y: "2" } } } });
    const now = doc([], { diagnostics: [d("b"), d("c")], sections: { cost: cost(11.5, 9, [line("k1", 1), line("k3", 2.5)]), outputs: { values: { x: "1", y: "3" } } } });
    const c = diffPlans(base, now, "b");
    assert.deepEqual(c.policy.new.map((x) => x.policyName), ["c"]);
    assert.deepEqual(c.policy.gone.map((x) => x.policyName), ["a"]);
    assert.deepEqual(c.cost!.list, { old: 10, new: 11.5, delta: 1.5 });
    assert.deepEqual(c.cost!.expected, { old: 8, new: 9, delta: 1 });
    assert.deepEqual(c.cost!.items.map((i) => [i.name, i.delta]), [["k3", 2.5], ["k2", -1]]);
    assert.deepEqual(c.outputs, [{ name: "y", old: "2", new: "3" }]);
  });

  it("refuses a base that is not a --json plan", () => {
    assert.throws(() => diffPlans({ project: "mpto" } as any, doc([]), "notes.txt"), /notes\.txt is not a plan made with --json/);
  });
});

describe("tools/plan/replacements.ts (shared data: inputs the provider replaces on)", () => {
  it("has the documented shape { type, path, reason, source } on every entry, without duplicates", () => {
    const seen = new Set<string>();
    for (const r of REPLACEMENTS) {
      assert.ok(r.type === "*" || /^aws:[a-z0-9]+\/[a-zA-Z0-9]+:[A-Z][A-Za-z0-9]+$/.test(r.type), r.type);
      assert.match(r.path, /^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)*$/, r.path);
      assert.ok(r.reason.length > 10 && r.source.length > 10, `${r.type} ${r.path}`);
      const key = `${r.type} ${r.path} ${r.kind ?? "replace"}`;
      assert.ok(!seen.has(key), `duplicate ${key}`);
      seen.add(key);
    }
  });

  it("names real inputs: each path's first segment is a property of the resource's Args in the installed @pulumi/aws typings", () => {
    for (const r of REPLACEMENTS.filter((x) => x.type !== "*")) {
      const [, module, file, cls] = /^aws:([a-z0-9]+)\/([a-zA-Z0-9]+):([A-Za-z0-9]+)$/.exec(r.type)!;
      const dts = join(ROOT, "node_modules", "@pulumi", "aws", module, `${file}.d.ts`);
      assert.ok(existsSync(dts), `${r.type}: no ${dts}`);
      const text = readFileSync(dts, "utf8");
      const args = text.slice(text.indexOf(`export interface ${cls}Args {`));
      const body = args.slice(0, args.indexOf("\n}\n"));
      const root = r.path.split(/[.[]/)[0];
      assert.match(body, new RegExp(`\\n\\s+(readonly )?${root}\\??:`), `${r.type} has no input ${root}`);
    }
  });

  it("matches a changed path on the rule's path or under it, for its type (and region for every AWS type)", () => {
    assert.equal(replacementRules(T.table, "hashKey").length, 1);
    assert.equal(replacementRules(T.table, "localSecondaryIndexes[0].rangeKey").length, 1);
    assert.deepEqual(replacementRules(T.table, "tags.Owner"), []);
    assert.deepEqual(replacementRules(T.table, "hashKeyX"), [], "a longer name is not under the path");
    assert.equal(replacementRules(T.topic, "region")[0].type, "*");
    assert.deepEqual(replacementRules("mpto:edge:Cdn", "region"), []);
  });
});

describe("cost as a budget owner reads it", () => {
  const line = (priceId: string, quantity: number, unitUsd: number): CostLine => ({ name: priceId, kind: "usage", priceId: priceId as CostLine["priceId"], item: priceId, quantity, unit: "u", unitUsd, monthlyUsd: Math.round(quantity * unitUsd * 1e4) / 1e4, confidence: "official", basis: "" });

  it("credits an always-free allowance up to the share the stack may claim, never more than the line", () => {
    const lines = [line("cloudwatchAlarmStandard", 18, 0.1), line("cloudwatchDashboard", 1, 3)];
    const alone = creditFreeTier(lines, 1);
    assert.deepEqual(alone.freeUsdByLine, [1, 3], "10 of 18 alarm metrics and the one dashboard are free");
    const shared = creditFreeTier(lines, 0.5);
    assert.deepEqual(shared.freeUsdByLine, [0.5, 3], "half of 10 alarms; 1 dashboard is within half of 3");
    assert.equal(shared.credits.find((c) => c.id === "cloudwatchAlarms")!.claimable, 5);
  });

  it("credits nothing for 12-month or trial offers (SES, S3, GuardDuty) and no allowance twice across Cognito plans", () => {
    const lines = [line("sesEmail", 3, 0.1), line("s3StandardStorageLondon", 5, 0.024), line("guardDutyManagementEvents", 0.3, 4), line("cognitoEssentialsMau", 8000, 0.015), line("cognitoLiteMau", 4000, 0.0055)];
    const r = creditFreeTier(lines, 1);
    assert.deepEqual(r.freeUsdByLine.slice(0, 3), [0, 0, 0]);
    assert.equal(r.freeUsdByLine[3], 120, "the 10,000 MAU go to the dearer Essentials users first");
    assert.equal(r.freeUsdByLine[4], 11, "then 2,000 Lite users");
    assert.ok(ALWAYS_FREE.every((a) => !/12[- ]month|trial/i.test(a.item)));
    assert.throws(() => creditFreeTier(lines, 0), /share must be in \(0, 1\]/);
  });

  it("works out which stacks share an account from mpto:accountBaselineOwner in the stack files", () => {
    const dir = mkdtempSync(join(tmpdir(), "mpto-accounts-"));
    try {
      copyFileSync(join(ROOT, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
      const stackFile = (name: string, owner: boolean) => writeFileSync(join(dir, `Pulumi.${name}.yaml`), `config:\n  mpto:accountBaselineOwner: ${owner}\n`);
      stackFile("prod", true);
      stackFile("dev", false);
      assert.deepEqual(accountStacks("dev", "mpto", dir).stacks, ["dev", "prod"], "dev uses prod's account");
      stackFile("dev", true);
      assert.deepEqual(accountStacks("dev", "mpto", dir).stacks, ["dev"], "each owns its own account");
      assert.deepEqual(accountStacks("management", "mpto-org", dir).stacks, ["management"], "another project's stack is alone");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the plan's errors say why", () => {
  const pem = (key: { export(o: object): string | Buffer }) => String(key.export({ type: "spki", format: "pem" }));
  it("a media signing key: accepts RSA 2048, and names the problem of a truncated, non-RSA, wrong-size, private or PKCS#1 key", () => {
    const rsa2048 = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const good = pem(rsa2048.publicKey);
    assert.equal(signingKeyProblem(good), undefined);
    const lines = good.trim().split("\n");
    assert.match(signingKeyProblem(lines.slice(0, 4).join("\n"))!, /^truncated: there is no -----END PUBLIC KEY----- line/);
    assert.match(signingKeyProblem([...lines.slice(0, 3), lines[lines.length - 1]].join("\n"))!, /^truncated or corrupted: its \d+ bytes do not decode/);
    assert.match(signingKeyProblem(pem(generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey))!, /^not RSA: a ec key on prime256v1/);
    assert.match(signingKeyProblem(pem(generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey))!, /^an RSA key of 1024 bits; CloudFront key groups take RSA 2048 only/);
    assert.match(signingKeyProblem(String(rsa2048.privateKey.export({ type: "pkcs8", format: "pem" })))!, /^a private key \(PRIVATE KEY\)/);
    assert.match(signingKeyProblem(String(rsa2048.publicKey.export({ type: "pkcs1", format: "pem" })))!, /^a PKCS#1 block/);
    assert.match(signingKeyProblem("MIIBIjANBg")!, /^not PEM/);
  });

  it("the config error carries the key's problem and a fix command naming each key", () => {
    const loaded = loadStackFile(ROOT, "dev");
    const raw = { ...loaded.config, "mpto:mediaSigningPublicKey": pem(generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey), "mpto:alertEmial": "x@example.com" };
    delete (raw as Record<string, string>)["mpto:alertEmail"];
    const error = (() => {
      try {
        parseStackConfig("dev", raw, new Set(loaded.secretKeys));
      } catch (e) {
        return e as StackConfigError;
      }
      throw new Error("no error");
    })();
    assert.match(error.problems.find((p) => p.key === "mpto:mediaSigningPublicKey")!.found, /\(an RSA key of 1024 bits/);
    assert.match(error.message, /Fix with: .*pulumi config set --stack dev mpto:alertEmail <value>/s);
    assert.match(error.message, /pulumi config set --stack dev mpto:mediaSigningPublicKey <value>/);
    assert.match(error.message, /pulumi config rm --stack dev mpto:alertEmial/);
    assert.doesNotMatch(error.message, /<key>/);
  });

  it("a stack file that is not YAML is named, with line and column", () => {
    const dir = mkdtempSync(join(tmpdir(), "mpto-yaml-"));
    try {
      copyFileSync(join(ROOT, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
      writeFileSync(join(dir, "Pulumi.dev.yaml"), "config:\n  mpto:owner: a\n   mpto:costCenter: b: c\n");
      assert.throws(() => loadStackFile(dir, "dev"), /^StackFileError: Pulumi\.dev\.yaml is not valid YAML \(line \d+, column \d+\): /);
      writeFileSync(join(dir, "Pulumi.yaml"), "name: mpto\n  runtime: [\n");
      assert.throws(() => loadStackFile(dir, "dev"), /Pulumi\.yaml is not valid YAML/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("pulumi:disable-default-providers: the real stacks keep it; removing it, or leaving aws out, is reported", () => {
    for (const stack of ["dev", "prod"]) assert.equal(defaultProvidersProblem(loadStackFile(ROOT, stack).config, `Pulumi.${stack}.yaml`), undefined, stack);
    assert.equal(defaultProvidersProblem({ "pulumi:disable-default-providers": '["*"]' }, "f"), undefined);
    assert.match(defaultProvidersProblem({}, "Pulumi.dev.yaml")!, /^Pulumi\.dev\.yaml no longer sets pulumi:disable-default-providers: .*put back under config: in Pulumi\.dev\.yaml:\n {2}pulumi:disable-default-providers: \["aws"\]/s);
    assert.match(defaultProvidersProblem({ "pulumi:disable-default-providers": '["random"]' }, "f")!, /leaves the default AWS provider enabled/);
  });

  it("npm run invalidate without the Pulumi CLI says it needs it (not 'spawn pulumi ENOENT')", function () {
    this.timeout(60_000);
    const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", join(ROOT, "tools", "invalidate.ts"), "dev"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, PATH: dirname(process.execPath), AWS_REGION: "eu-west-2" },
      timeout: 60_000,
    });
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /with the Pulumi CLI, and no 'pulumi' is on PATH: install it .* or pass --distribution-id/);
    assert.doesNotMatch(run.stderr, /spawn pulumi ENOENT/);
  });
});

describe("the plan's command line", () => {
  it("parses --format, --out, --base (also --opt=value) and refuses what it does not know", () => {
    assert.deepEqual(parseArgs(["dev", "--format", "markdown", "--out=f.json", "--base", "b.json"]), { stack: "dev", format: "markdown", out: "f.json", base: "b.json", help: false, requireDeployable: false });
    assert.equal(parseArgs(["dev", "--json"]).format, "json");
    assert.throws(() => parseArgs(["dev", "--format", "html"]), /--format takes text, json, markdown, not 'html'/);
    assert.throws(() => parseArgs(["dev", "--out"]), /--out needs a value \(FILE\)/);
    assert.throws(() => parseArgs(["dev", "--base", "--json"]), /--base needs a value/);
    assert.throws(() => parseArgs(["dev", "--nope"]), /unknown option --nope/);
    assert.throws(() => parseArgs(["dev", "--json=yes"]), /--json takes no value/);
    assert.ok(OPTIONS.every((o) => o.help.length > 0), "every option has its help line");
  });

  it("markdown carries the sections of other plan extensions (e.g. before the first deploy) in <details>, without breaking out of the code block", () => {
    const result = {
      project: "mpto",
      stack: "dev",
      policyPack: { name: "p", version: "1", configFile: "c" },
      resources: [],
      diagnostics: [],
      sections: {},
      sectionLines: [["Cost estimate (USD): shown in its own table"], ["Before the first deploy (1 placeholder):", "    step: run ```this```"]],
      summary: { resources: 0, customResources: 0, components: 0, byType: {}, policiesRun: 1, mandatory: 0, advisory: 0, status: "clean" },
      packLogs: [],
    } as unknown as PlanResult;
    const md = renderMarkdown(result);
    assert.match(md, /<details><summary>Before the first deploy \(1 placeholder\)<\/summary>\n\n```text\n {4}step: run 'this'\n```\n\n<\/details>/);
    assert.doesNotMatch(md, /Cost estimate \(USD\): shown/);
    assert.match(md, /_No base plan given/);
  });

  it("renders markdown cells and Mermaid labels safely", () => {
    assert.equal(cell("a | b\nc"), "a \\| b c");
    const lines = renderMermaid({ nodes: [{ urn: "u1", type: "mpto:x:Y", name: 'a"<b>', resources: 1 }], edges: [] });
    assert.equal(lines[1], '  c0["Y: a#quot;#lt;b#gt;<br/>1 resource"]');
  });
});

describe("the reviewer's plan of the real dev stack, end to end (npm run plan)", function () {
  this.timeout(400_000);
  let dir: string;
  let base: CliRun;
  let changed: CliRun;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "mpto-review-"));
    // One changed config value: the user pool's feature plan, in a copy of the project's stack files.
    const project = join(dir, "project");
    mkdirSync(project);
    copyFileSync(join(ROOT, "Pulumi.yaml"), join(project, "Pulumi.yaml"));
    const stackFile = readFileSync(join(ROOT, "Pulumi.dev.yaml"), "utf8");
    assert.match(stackFile, /^ {2}mpto:userPoolFeaturePlan: essentials$/m);
    writeFileSync(join(project, "Pulumi.dev.yaml"), stackFile.replace(/^ {2}mpto:userPoolFeaturePlan: essentials$/m, "  mpto:userPoolFeaturePlan: lite"));
    writeFileSync(join(project, "program.ts"), `export { program } from ${JSON.stringify(join(ROOT, "stacks", "program"))};\n`);
    base = runPlan(["dev", "--json", "--out", join(dir, "base.json")]);
    changed = runPlan(["dev", "--project", project, "--base", join(dir, "base.json"), "--format", "markdown", "--out", join(dir, "changed.json")]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("--json --out writes one valid JSON document to the file and nothing to stdout", () => {
    assert.ok(base.status === 0 || base.status === 1, base.stderr);
    assert.equal(base.stdout, "");
    const d = JSON.parse(readFileSync(join(dir, "base.json"), "utf8"));
    assert.deepEqual(Object.keys(d), ["project", "stack", "policyPack", "resources", "diagnostics", "sections", "summary"]);
    for (const key of ["cost", "outputs", "graph"]) assert.ok(key in d.sections, key);
  });

  it("--base shows the one resource the change touches as an update, with the changed value and the cost delta", () => {
    assert.ok(changed.status === 0 || changed.status === 1, changed.stderr);
    const { changes } = JSON.parse(readFileSync(join(dir, "changed.json"), "utf8"));
    const touched = changes.resources;
    assert.equal(touched.length, 1, JSON.stringify(touched, null, 1));
    assert.equal(touched[0].kind, "update");
    assert.equal(touched[0].type, "aws:cognito/userPool:UserPool");
    assert.deepEqual(touched[0].changes, [{ path: "userPoolTier", old: "ESSENTIALS", new: "LITE" }]);
    assert.deepEqual(changes.policy, { new: [], gone: [] });
    const items = Object.fromEntries(changes.cost.items.map((i: any) => [i.item, i]));
    const essentials = items["Cognito user pool, Essentials plan"];
    const lite = items["Cognito user pool, Lite plan"];
    assert.ok(essentials.delta < 0 && essentials.new === 0, JSON.stringify(essentials));
    assert.ok(lite.delta > 0 && lite.old === 0, JSON.stringify(lite));
    // Totals are rounded to cents before the difference is taken: the items' sum may differ by one cent.
    assert.ok(Math.abs(changes.cost.list.delta - (essentials.delta + lite.delta)) <= 0.01 + 1e-9, `${changes.cost.list.delta} vs ${essentials.delta + lite.delta}`);
    assert.ok(changes.cost.list.delta < 0);
  });

  it("--format markdown is the PR comment: marker, summary line, change table, policy results, cost with its delta, a Mermaid block, outputs", () => {
    const md = changed.stdout;
    assert.ok(md.startsWith(`${commentMarker("mpto", "dev")}\n## Offline plan: mpto/dev — `), md.slice(0, 200));
    assert.match(md, /\*\*1 to update, \d+ unchanged\*\* · Plan mpto\/dev: \d+ resources/);
    assert.match(md, /\| \| resource \| type \| what changes \|\n\| --- \| --- \| --- \| --- \|\n\| `~` update \| `identity-pool` \| aws:cognito:UserPool \| `userPoolTier`: `"ESSENTIALS"` → `"LITE"` \|/);
    assert.match(md, /### Policy results\n\n(✅|❌) mpto-guardrails@v/);
    assert.match(md, /\| list price \(what the billing policies check\) \| \*\*\$\d+\.\d\d\*\* \| -\$\d+\.\d\d \|/);
    assert.match(md, /\| expected bill after always-free allowances \| \*\*\$\d+\.\d\d\*\* \|/);
    assert.match(md, /```mermaid\nflowchart LR\n(.|\n)*UserPool: identity<br\/>\d+ resources · update(.|\n)*class c\d+ update\n```/);
    assert.match(md, /### Outputs\n\nTo act on after the deploy:\n\n- `alertTopicArn`: confirm the email subscription/);
  });

  it("the text output leads with the change, then the full tree marked like pulumi preview", () => {
    const d = JSON.parse(readFileSync(join(dir, "changed.json"), "utf8"));
    const { changes, ...rest } = d;
    const result = { ...rest, sectionLines: [], packLogs: [] } as unknown as PlanResult;
    const text = renderAll(result, { format: "text", base: "base.json" }, JSON.parse(readFileSync(join(dir, "base.json"), "utf8"))).stdout;
    assert.ok(text.indexOf("Changes against base.json (mpto/dev): 1 to update") < text.indexOf("Resources ("), text.slice(0, 400));
    assert.match(text, /~ {2}update {3}aws:cognito:UserPool {2}identity-pool\n {10}userPoolTier: "ESSENTIALS" → "LITE"/);
    assert.match(text, /\n {4}~ {2}│ {2}├─ aws:cognito:UserPool|\n {4}~ {2}[│ ]*[├└]─ aws:cognito:UserPool/);
    assert.deepEqual(changes.counts, renderAll(result, { format: "json", base: "base.json" }, JSON.parse(readFileSync(join(dir, "base.json"), "utf8"))).changes!.counts);
  });

  it("is deterministic: the same plan renders the same markdown and JSON twice", () => {
    const d = JSON.parse(readFileSync(join(dir, "changed.json"), "utf8"));
    const { changes: _ignored, ...rest } = d;
    const result = { ...rest, sectionLines: [], packLogs: [] } as unknown as PlanResult;
    const baseDoc = JSON.parse(readFileSync(join(dir, "base.json"), "utf8"));
    const once = renderAll(result, { format: "markdown", base: "b" }, baseDoc);
    const twice = renderAll(result, { format: "markdown", base: "b" }, baseDoc);
    assert.equal(once.stdout, twice.stdout);
    assert.equal(once.json, twice.json);
  });
});
