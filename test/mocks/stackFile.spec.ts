import assert from "node:assert/strict";
import { presentStackConfig, SECRET_PLACEHOLDER } from "../../tools/mocks/stackFile";

/**
 * What the program sees of a stack file (tools/mocks/stackFile.ts), as `pulumi config` hands it
 * over: one reader with the CLI port (`stackConfigValues`, config.Map in
 * pulumi/pulumi sdk/go/common/resource/config): scalars as text, objects and arrays as JSON, bare
 * keys in the project's namespace, secure values as a marked placeholder.
 */
describe("the stack file as the program sees it", () => {
  const text = [
    "config:",
    "  mpto:big: 18446744073709551615",
    "  mpto:list: [1, 18446744073709551615, true, x]",
    "  mpto:flag: true",
    "  mpto:name: plain",
    "  bare: 7",
    "  mpto:token:",
    "    secure: v1:AAAA",
    "  aws:region: eu-west-2",
  ].join("\n");

  it("keeps integers exact, at the top level and inside arrays (a JS number would not)", () => {
    const { config } = presentStackConfig("mpto", text);
    assert.equal(config["mpto:big"], "18446744073709551615");
    assert.equal(config["mpto:list"], '[1,18446744073709551615,true,"x"]');
  });

  it("scalars as their text, bare keys in the project namespace, other namespaces kept", () => {
    const { config } = presentStackConfig("mpto", text);
    assert.equal(config["mpto:flag"], "true");
    assert.equal(config["mpto:name"], "plain");
    assert.equal(config["mpto:bare"], "7");
    assert.equal(config["aws:region"], "eu-west-2");
    assert.equal("bare" in config, false);
  });

  it("a secure value is a placeholder the plan marks secret, never its ciphertext", () => {
    const { config, secretKeys } = presentStackConfig("mpto", text);
    assert.equal(config["mpto:token"], SECRET_PLACEHOLDER);
    assert.deepEqual(secretKeys, ["mpto:token"]);
    assert.ok(!Object.values(config).some((v) => v.includes("v1:AAAA")));
  });
});
