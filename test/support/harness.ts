import { join } from "node:path";
import { runUnderMocks, MockRunResult, RecordedResource } from "../../tools/mocks/runtime";
import { loadStackFile } from "../../tools/mocks/stackFile";

/** Project root (where Pulumi.yaml lives). */
export const ROOT = join(__dirname, "..", "..");

/**
 * Declares resources under Pulumi mocks and returns what was declared (types, names, parents,
 * regions, inputs, options). `build` runs inside a fresh root stack.
 */
export function declare(build: () => unknown, config: Record<string, string> = {}, stack = "test"): Promise<MockRunResult> {
  return runUnderMocks(async () => build(), { project: "mpto", stack, config });
}

/**
 * Runs the real program for a real stack file (Pulumi.<stack>.yaml), optionally with some keys
 * replaced (`undefined` removes a key), exactly as the offline plan does.
 */
export async function declareStack(stack: "dev" | "prod", overrides: Record<string, string | undefined> = {}): Promise<MockRunResult> {
  const loaded = loadStackFile(ROOT, stack);
  const config = { ...loaded.config };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete config[key];
    else config[key] = value;
  }
  const { program } = await import("../../stacks/program");
  return runUnderMocks(program, { project: loaded.project, stack, config, secretKeys: loaded.secretKeys });
}

/** Resources of one Pulumi type token, e.g. `aws:s3/bucket:Bucket`. */
export function ofType(result: MockRunResult, type: string): RecordedResource[] {
  return result.resources.filter((r) => r.type === type);
}

/** The single resource of a type (fails when there are none or several). */
export function oneOf(result: MockRunResult, type: string): RecordedResource {
  const found = ofType(result, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`);
  return found[0];
}

/** The resource with this logical name. */
export function named(result: MockRunResult, name: string): RecordedResource {
  const found = result.resources.find((r) => r.name === name);
  if (!found) throw new Error(`no resource named ${name}; have ${result.resources.map((r) => r.name).join(", ")}`);
  return found;
}
