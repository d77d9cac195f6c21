import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { renderPulumiYaml, withConfigTable } from "../../tools/configDocs";
import { renderTaggableTypesFile, TAGGABLE_TYPES_FILE } from "../../tools/generateTaggableTypes";
import { ROOT } from "../support/harness";

describe("generated files stay in step with their sources", () => {
  it("Pulumi.yaml's config schema documents exactly the keys stacks/config reads (npm run config:docs)", () => {
    assert.equal(readFileSync(join(ROOT, "Pulumi.yaml"), "utf8"), renderPulumiYaml());
  });

  it("the README's configuration table matches stacks/config (npm run config:docs)", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    assert.equal(readme, withConfigTable(readme));
  });

  it("policies/tags/taggable-types.json matches the installed @pulumi/aws typings (npm run generate:taggable)", () => {
    assert.equal(readFileSync(TAGGABLE_TYPES_FILE, "utf8"), renderTaggableTypesFile());
  });
});
