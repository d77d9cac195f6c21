import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { ORG_CONFIG_NAMESPACE, orgConfigFields, parseOrgConfig } from "../../org/config";
import { loadStackFile } from "../../tools/mocks/stackFile";
import { ROOT } from "../support/harness";

const ORG_DIR = join(ROOT, "org");
const committed = () => loadStackFile(ORG_DIR, "management");

describe("organization program config (org/config.ts)", () => {
  it("reads the committed management stack file, with defaults for what it leaves out", () => {
    const { config } = committed();
    const parsed = parseOrgConfig("management", config);
    assert.equal(parsed.rootEmail, "aws@myprivatetutoronline.com");
    assert.equal(parsed.accountNamePrefix, "mpto-");
    assert.equal(parsed.centralRootAccess, true);
    assert.equal(parsed.devAccountId, undefined);
    assert.ok(parsed.adminPrincipalArns.length >= 1);
  });

  it("names every bad key in one error, with what was found and what is expected, before any resource", () => {
    const { config } = committed();
    const bad = { ...config, "mpto-org:rootEmail": "not-an-email", "mpto-org:devAccountId": "12345", "mpto-org:adminPrincipalArns": '["*"]', "mpto-org:rootEmails": "x@example.com" };
    delete (bad as Record<string, string>)["mpto-org:owner"];
    assert.throws(
      () => parseOrgConfig("management", bad),
      (e: Error) =>
        /: 5 problems\n/.test(e.message) &&
        /mpto-org:rootEmail\s+found "not-an-email"; expected an email address/.test(e.message) &&
        /mpto-org:devAccountId\s+found "12345"; expected a 12-digit account id/.test(e.message) &&
        /mpto-org:adminPrincipalArns/.test(e.message) &&
        /mpto-org:owner\s+found nothing \(key not set\)/.test(e.message) &&
        /mpto-org:rootEmails\s+found .*did you mean mpto-org:rootEmail\?/.test(e.message),
    );
  });

  it("declares in org/Pulumi.yaml exactly the required keys (no default) and the keys with defaults (with them), never an optional key without one", () => {
    const project = parse(readFileSync(join(ORG_DIR, "Pulumi.yaml"), "utf8")) as { name: string; config: Record<string, { type: string; default?: unknown }> };
    assert.equal(project.name, ORG_CONFIG_NAMESPACE);
    const expected: Record<string, { type: string; default?: unknown }> = {};
    for (const [name, f] of Object.entries(orgConfigFields)) {
      if (f.required) expected[name] = { type: f.pulumiType };
      else if (f.default !== undefined) expected[name] = { type: f.pulumiType, default: f.default };
    }
    const declared = Object.fromEntries(Object.entries(project.config).map(([k, v]) => [k, v.default === undefined ? { type: v.type } : { type: v.type, default: v.default }]));
    assert.deepEqual(declared, expected);
  });
});
