import { type ConfigValues, fields, type StackOutputs } from "../shared/configField";
import type { CiDeployRole, CiDeployRoleArgs } from "./CiDeployRole";

/** The GitHub Actions deploy role (OIDC, no long-lived keys). */
export const ciFields = {
  githubRepository: fields.text({
    description: "GitHub repository (owner/name) whose workflows may assume this stack's CI roles; unset = no CI roles. Default none.",
    expected: "owner/name, e.g. my-org/mpto-aws",
    pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/,
    required: false,
  }),
  githubOidcProviderArn: fields.text({
    description: "ARN of an existing GitHub OIDC provider to reuse. Default: the owner stack creates it, other stacks use the one in their account.",
    expected: "arn:aws:iam::<12-digit account>:oidc-provider/token.actions.githubusercontent.com",
    pattern: /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/,
    required: false,
  }),
  createGithubOidcProvider: fields.boolean({
    description:
      "Create the account's GitHub OIDC provider in this stack (one per account). Default: the account baseline owner creates it; set true on a stack alone in its account, false on every other stack sharing one.",
    required: false,
  }),
  ciPreviewRole: fields.boolean({
    description: "Also create a read-only role for `pulumi preview` on pull requests (GitHub Environment <stack>-preview). Default true.",
    default: true,
  }),
  pulumiStateBucket: fields.text({
    description: "S3 bucket of a self-managed Pulumi backend the CI roles may use; unset = Pulumi Cloud backend (no AWS access needed). Default none.",
    expected: "an S3 bucket name (3-63 of a-z, 0-9, '.', '-')",
    pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    required: false,
  }),
};

/** The CI section, and the stack-wide keys the roles read (stacks/config/core.ts; the baseline's owner flag). */
export type CiConfig = ConfigValues<typeof ciFields> & { readonly environment: string; readonly accountBaselineOwner: boolean };

/**
 * How the CiDeployRole reads its config; undefined without mpto:githubRepository. Deploy runs in the
 * GitHub Environment named after the stack, preview in <stack>-preview, invalidate.yml in <stack>-cdn.
 * Trusting a provider nothing creates makes IAM refuse the roles, so the baseline owner creates it
 * unless told otherwise (the plan's "before the first deploy").
 */
export function ciDeployRoleArgs(c: CiConfig): CiDeployRoleArgs | undefined {
  if (!c.githubRepository) return undefined;
  return {
    repository: c.githubRepository,
    githubEnvironment: c.environment,
    roleName: `mpto-${c.environment}-deploy`,
    oidcProviderArn: c.githubOidcProviderArn,
    createOidcProvider: c.createGithubOidcProvider ?? c.accountBaselineOwner,
    previewRole: c.ciPreviewRole,
    stateBucketName: c.pulumiStateBucket,
    invalidationEnvironmentTag: c.environment,
  };
}

/** The stack outputs of the CI roles (each becomes a GitHub environment's AWS_ROLE_ARN). */
export function ciStackOutputs(ci: CiDeployRole): StackOutputs {
  return { ciDeployRoleArn: ci.deployRoleArn, ciPreviewRoleArn: ci.previewRoleArn, ciInvalidateRoleArn: ci.invalidateRoleArn };
}
