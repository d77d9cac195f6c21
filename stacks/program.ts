import * as pulumi from "@pulumi/pulumi";
import { composeStack, StackOutputs } from "./composition";
import { loadStackConfig, parseStackConfig } from "./config";
import { createAwsProvider } from "./providers";
import { requiredTags } from "./tags";

/**
 * The Pulumi program: validate config (before any resource exists), create the tagged provider,
 * compose the stack. `stacks/index.ts` runs it for the Pulumi CLI; the offline plan runs it under mocks.
 */
export async function program(): Promise<StackOutputs> {
  const config = loadStackConfig();
  const provider = createAwsProvider(requiredTags(config, pulumi.getProject()));
  return composeStack(config, provider);
}

/**
 * The same validation, without the Pulumi runtime: the offline plan calls it before it starts the
 * policy pack, so a config error answers at once (tools/plan/plan.ts). Throws StackConfigError.
 */
export function validateConfig(stack: string, config: Record<string, string>, secretKeys: string[]): void {
  parseStackConfig(stack, config, new Set(secretKeys));
}
