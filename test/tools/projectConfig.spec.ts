import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { configFields, parseStackConfig } from "../../stacks/config";
import type { ConfigField } from "../../components/shared/configField";
import { declaration, projectDefault, renderPulumiYaml } from "../../tools/configDocs";
import {
  checkProjectConfig,
  parseProjectFile,
  ProjectConfigError,
  ProjectConfigType,
  validateProjectConfig,
  validateStackConfigAndApplyProjectConfig,
} from "../../tools/plan/projectConfig";
import { loadStackFile, stackConfigValues } from "../../tools/mocks/stackFile";
import { ROOT } from "../support/harness";

/** `ValidateStackConfigAndApplyProjectConfig(ctx, "dev", project, esc.Value{}, stack.Config, …)` as the Go tests call it. */
function validate(projectYaml: string, stackYaml: string, stack = "dev") {
  const project = parseProjectFile(projectYaml);
  return validateStackConfigAndApplyProjectConfig(stack, project.name, project.config, stackConfigValues(project.name, stackYaml));
}
const value = (merged: ReturnType<typeof validate>, key: string) => merged.config.get(key)?.value;

/**
 * The Pulumi CLI's own test cases for the function, ported one for one from pulumi/pulumi
 * `pkg/workspace/config_project_test.go` (commit 1b5949891b3c); same YAML, same assertions.
 */
describe("project config as the Pulumi CLI validates it (ported from pulumi/pulumi config_project_test.go)", () => {
  it("TestStackConfigIsInheritedFromProjectConfig", () => {
    const merged = validate("name: test\nruntime: dotnet\nconfig:\n  instanceSize: t3.micro\n  instanceCount: 20\n  protect: true", "config:\n  test:instanceSize: t4.large");
    assert.equal(merged.config.size, 3);
    assert.equal(value(merged, "test:instanceSize"), "t4.large");
    assert.equal(value(merged, "test:instanceCount"), "20");
    assert.equal(value(merged, "test:protect"), "true");
  });

  it("TestNamespacedConfigValuesAreInheritedCorrectly", () => {
    const merged = validate(
      'name: test\nruntime: dotnet\nconfig:\n  aws:region: us-west-1\n  pulumi:disable-default-providers: ["*"]\n  instanceSize: t3.micro',
      "config:\n  test:instanceSize: t4.large",
    );
    assert.equal(merged.config.size, 3);
    assert.equal(value(merged, "test:instanceSize"), "t4.large");
    assert.equal(value(merged, "aws:region"), "us-west-1");
    assert.equal(value(merged, "pulumi:disable-default-providers"), '["*"]');
    assert.deepEqual(JSON.parse(value(merged, "pulumi:disable-default-providers")!), ["*"]);
  });

  it("TestLoadingStackConfigWithoutNamespacingTheProject", () => {
    const merged = validate("name: test\nruntime: dotnet\nconfig:\n  aws:region: us-west-1\n  instanceSize: t3.micro", "config:\n  instanceSize: t4.large");
    assert.equal(merged.config.size, 2);
    assert.equal(value(merged, "test:instanceSize"), "t4.large");
    assert.equal(value(merged, "aws:region"), "us-west-1");
  });

  it("TestUntypedProjectConfigValuesAreNotValidated", () => {
    const merged = validate("name: test\nruntime: dotnet\nconfig:\n  instanceSize: t3.micro\n  aws:region: us-west-1", "config:\n  instanceSize: 9999\n  aws:region: 42");
    assert.equal(merged.config.size, 2);
    assert.equal(value(merged, "test:instanceSize"), "9999");
    assert.equal(value(merged, "aws:region"), "42");
  });

  it("TestUntypedProjectConfigValuesWithOnlyDefaultOrOnlyValue", () => {
    const merged = validate("name: test\nruntime: dotnet\nconfig:\n  instanceSize:\n    default: t3.micro\n  region:\n    value: us-west-1", "config:\n  aws:answer: 42");
    assert.equal(merged.config.size, 3);
    assert.equal(value(merged, "test:instanceSize"), "t3.micro");
    assert.equal(value(merged, "test:region"), "us-west-1");
    assert.equal(value(merged, "aws:answer"), "42");
  });

  it("TestUntypedStackConfigValuesDoNeedProjectDeclaration", () => {
    const merged = validate("name: test\nruntime: dotnet\nconfig:\n  createVpc: true", "config:\n  instanceSize: 42");
    assert.equal(merged.config.size, 2);
    assert.equal(value(merged, "test:instanceSize"), "42");
    assert.equal(value(merged, "test:createVpc"), "true");
  });

  it("TestUntypedProjectConfigObjectValuesPassedDownToStack", () => {
    const merged = validate("name: test\nruntime: dotnet\nconfig:\n  instanceSize:\n    value:\n      hello: world\n  aws:config:\n    value:\n      region: us-west-1", "config:\n  aws:whatever: 42");
    assert.equal(merged.config.size, 3);
    assert.equal(value(merged, "test:instanceSize"), '{"hello":"world"}');
    assert.equal(value(merged, "aws:config"), '{"region":"us-west-1"}');
    assert.equal(value(merged, "aws:whatever"), "42");
  });

  it("TestStackConfigErrorsWhenStackValueIsNotCorrectlyTyped", () => {
    assert.throws(
      () => validate("name: test\nruntime: dotnet\nconfig:\n  values:\n    type: array\n    items:\n      type: string\n    default: [value]", "config:\n  test:values: someValue\n"),
      { name: "ProjectConfigError", message: "Stack 'dev' with configuration key 'values' must be of type 'array<string>'" },
    );
  });

  it("TestStackConfigIntegerTypeIsCorrectlyValidated", () => {
    const project = "name: test\nruntime: dotnet\nconfig:\n  importantNumber:\n    type: integer\n";
    assert.doesNotThrow(() => validate(project, "config:\n  test:importantNumber: 20\n"));
    assert.throws(() => validate(project, "config:\n  test:importantNumber: hello\n"), {
      message: "Stack 'dev' with configuration key 'importantNumber' must be of type 'integer'",
    });
  });

  it("TestStackConfigErrorsWhenMissingStackValueForConfigTypeWithNoDefault", () => {
    assert.throws(() => validate("name: test\nruntime: dotnet\nconfig:\n  values:\n    type: array\n    items:\n      type: string", ""), {
      message: "Stack 'dev' is missing configuration value 'values'",
    });
  });

  it("TestStackConfigErrorsWhenMissingTwoStackValueForConfigTypeWithNoDefault", () => {
    assert.throws(() => validate("name: test\nruntime: dotnet\nconfig:\n  another:\n    type: string\n  values:\n    type: array\n    items:\n      type: string", ""), {
      message: "Stack 'dev' is missing configuration values 'another' and 'values'",
    });
  });

  it("TestStackConfigErrorsWhenMissingMultipleStackValueForConfigTypeWithNoDefault", () => {
    assert.throws(
      () => validate("name: test\nruntime: dotnet\nconfig:\n  hello:\n    type: integer\n  values:\n    type: array\n    items:\n      type: string\n  world:\n    type: string", ""),
      { message: "Stack 'dev' is missing configuration values 'hello', 'values' and 'world'" },
    );
  });

  it("TestStackConfigDoesNotErrorWhenProjectHasNotDefinedConfig", () => {
    assert.doesNotThrow(() => validate("name: test\nruntime: dotnet", "config:\n  hello: 21\n  world: 42\n  another: 42"));
  });

  it("TestStackConfigSecretIsCorrectlyValidated", () => {
    const project = "name: test\nruntime: dotnet\nconfig:\n  importantNumber:\n    type: integer\n    secret: true\n";
    // config.Base64Crypter encrypts "20" as base64 "MjA=".
    assert.doesNotThrow(() => validate(project, "config:\n  test:importantNumber:\n    secure: MjA=\n"));
    assert.throws(() => validate(project, "config:\n  test:importantNumber: 20\n"), {
      message: "Stack 'dev' with configuration key 'importantNumber' must be encrypted as it's secret",
    });
  });

  it("TestStackConfigUInt64", () => {
    const merged = validate("name: test\nruntime: dotnet", "config:\n  test:instanceSize: 18446744073709551615");
    assert.equal(merged.config.size, 1);
    assert.equal(value(merged, "test:instanceSize"), "18446744073709551615");
  });
});

/** `Project.Validate`, ported from pulumi/pulumi `sdk/go/common/workspace/project_test.go`. */
describe("Pulumi.yaml config declarations as the Pulumi CLI validates them (ported from project_test.go)", () => {
  const check = (config: Record<string, ProjectConfigType>) => () => validateProjectConfig("test", config);

  it("TestProjectValidationSucceedsForObjectConfigType", () => {
    assert.doesNotThrow(check({ example: { type: "object", default: { hello: "world" } } }));
  });

  it("TestProjectValidationFailsForIncorrectDefaultValueType", () => {
    assert.throws(check({ instanceSize: { type: "integer", default: "hello" } }), {
      message: "The default value specified for configuration key 'instanceSize' is not of the expected type 'integer'",
    });
    assert.throws(check({ values: { type: "array", items: { type: "array", items: { type: "string" } }, default: ["hello"] } }), {
      message: "The default value specified for configuration key 'values' is not of the expected type 'array<array<string>>'",
    });
  });

  it("TestProjectValidationSucceedsForCorrectDefaultValueType", () => {
    assert.doesNotThrow(check({ instanceSize: { type: "integer", default: 1 } }));
    assert.doesNotThrow(check({ values: { type: "array", items: { type: "array", items: { type: "string" } }, default: [["hello"]] } }));
  });

  it("an array without items, and a typed key outside the project namespace, are refused (Project.Validate)", () => {
    assert.throws(check({ values: { type: "array" } }), /declares an array but does not specify the underlying type via the 'items' attribute/);
    assert.throws(check({ "aws:region": { type: "string" } }), { message: "Configuration key 'aws:region' is not namespaced by the project and should not define a type" });
  });
});

describe("this project's Pulumi.yaml and stacks under the CLI's rule", () => {
  const projectText = readFileSync(join(ROOT, "Pulumi.yaml"), "utf8");

  for (const stack of ["dev", "prod"] as const) {
    it(`${stack}: passes the CLI's validation, and the project defaults it receives are the values the program would use anyway`, () => {
      const { config, uncheckedSecureKeys } = checkProjectConfig(ROOT, stack);
      assert.deepEqual(uncheckedSecureKeys, []);
      const presented = loadStackFile(ROOT, stack).config;
      const withDefaults = Object.fromEntries([...config].map(([k, v]) => [k, v.value]));
      // The program reads the same values whether it applies its own defaults or the CLI hands Pulumi.yaml's.
      const own = parseStackConfig(stack, presented) as unknown as Record<string, unknown>;
      const fromCli = parseStackConfig(stack, withDefaults) as unknown as Record<string, unknown>;
      assert.deepEqual(fromCli, own);
    });

    it(`${stack}: a key declared with no default that the stack leaves unset stops it with the CLI's message`, () => {
      const doc = parse(projectText);
      doc.config.route53ZoneId = { type: "string", description: "declared the old way, without a default" };
      const stackText = readFileSync(join(ROOT, `Pulumi.${stack}.yaml`), "utf8").replace(/^ {2}mpto:route53ZoneId:.*\n/m, "");
      assert.throws(() => validate(stringify(doc), stackText, stack), { message: `Stack '${stack}' is missing configuration value 'route53ZoneId'` });
    });
  }

  it("declares required keys without a default, keys with a default with it, and leaves optional keys without a default undeclared (pulumi/pulumi#21797)", () => {
    const declared = parseProjectFile(renderPulumiYaml()).config;
    for (const [name, f] of Object.entries(configFields) as [string, ConfigField<unknown>][]) {
      const how = declaration(f);
      if (how === "undeclared") {
        assert.ok(!(name in declared), `${name} is optional with no default: declaring it would make it required`);
        assert.match(renderPulumiYaml(), new RegExp(`^#   ${name} \\(`, "m"), `${name} is listed among the optional keys`);
        continue;
      }
      assert.equal(declared[name].type, f.pulumiType, name);
      if (how === "required") assert.equal(declared[name].default, undefined, name);
      else assert.deepEqual(declared[name].default, projectDefault(f), name);
    }
  });

  it("optional secrets are never required: no secret key is declared unless required, and none has a default", () => {
    const declared = parseProjectFile(renderPulumiYaml()).config;
    const secrets = (Object.entries(configFields) as [string, ConfigField<unknown>][]).filter(([, f]) => f.secret);
    assert.ok(secrets.length > 0);
    for (const [name, f] of secrets) {
      if (f.required) assert.equal(declared[name].secret, true, name);
      else assert.ok(!(name in declared), `${name} is an optional secret`);
    }
    // Why a default is no way out for a secret: the CLI copies the default in as a plain value, then refuses it.
    assert.throws(() => validate("name: test\nruntime: nodejs\nconfig:\n  token:\n    type: string\n    secret: true\n    default: x\n", ""), {
      message: "Stack 'dev' with configuration key 'token' must be encrypted as it's secret",
    });
  });

  it("a wrongly typed value in a real stack file is refused with the CLI's wording", () => {
    const stackText = readFileSync(join(ROOT, "Pulumi.dev.yaml"), "utf8").replace(/^ {2}mpto:monthlyBudgetUsd: .*$/m, "  mpto:monthlyBudgetUsd: sixty");
    assert.throws(() => validate(projectText, stackText), (e: unknown) => e instanceof ProjectConfigError && e.message === "Stack 'dev' with configuration key 'monthlyBudgetUsd' must be of type 'integer'");
  });
});
