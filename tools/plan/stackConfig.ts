/**
 * The plan's check of a stack's config beyond the CLI's own (reading the stack file the way
 * `pulumi config` presents it to the program is tools/mocks/stackFile.ts).
 */
const DISABLE_DEFAULT_PROVIDERS = "pulumi:disable-default-providers";

/**
 * The stacks disable the default AWS provider (`pulumi:disable-default-providers: ["aws"]`, or
 * `["*"]`), so a resource that forgets its provider fails instead of being created with the CLI's
 * ambient credentials and region, without the default tags (stacks/providers.ts). Removing the line
 * is reported, not accepted: the plan's own default-provider check would still pass (the program
 * passes its provider everywhere), but `pulumi up` would no longer enforce it.
 * `config` is the merged config (stack file and Pulumi.yaml defaults), as the CLI merges them.
 */
export function defaultProvidersProblem(config: Record<string, string>, stackFile: string): string | undefined {
  const raw = config[DISABLE_DEFAULT_PROVIDERS];
  const fix = `put back under config: in ${stackFile}:\n  ${DISABLE_DEFAULT_PROVIDERS}: ["aws"]`;
  if (raw === undefined)
    return `${stackFile} no longer sets ${DISABLE_DEFAULT_PROVIDERS}: without it, a resource that forgets its provider is created with the CLI's ambient AWS credentials and region and without the required tags; ${fix}`;
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch {
    list = undefined;
  }
  if (!Array.isArray(list) || !list.some((p) => p === "aws" || p === "*"))
    return `${stackFile} sets ${DISABLE_DEFAULT_PROVIDERS} to ${raw}, which leaves the default AWS provider enabled; ${fix}`;
  return undefined;
}
