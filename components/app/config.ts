import { z } from "zod";
import { type ConfigValues, fields, type StackOutputs } from "../shared/configField";
import { APP_RUNTIME_ROLE_DEFAULTS, VERCEL_ENVIRONMENT, VERCEL_PROJECT_NAME, VERCEL_TEAM_SLUG, AppRuntimeRole, AppRuntimeRoleArgs } from "./AppRuntimeRole";

/** The app's AWS identity: a role the Next.js app on Vercel assumes with its OIDC token (components/app/AppRuntimeRole.ts). */
export const appFields = {
  vercelTeamSlug: fields.text({
    description:
      "Vercel team slug (the vercel.com/<team> segment) whose OIDC tokens (issuer https://oidc.vercel.com/<team>) may assume the app runtime role; unset = no app runtime role. Never rename the team while a stack trusts its slug. Default none.",
    expected: "a Vercel team slug: lower-case letters, digits and hyphens",
    pattern: VERCEL_TEAM_SLUG,
    required: false,
  }),
  vercelProjectName: fields.text({
    description: "Vercel project whose deployments may assume the app runtime role (the token's sub names it); required with vercelTeamSlug. Default none.",
    expected: "a Vercel project name: lower-case letters, digits, '.', '_', '-'",
    pattern: VERCEL_PROJECT_NAME,
    required: false,
  }),
  vercelEnvironments: fields.list(z.string().regex(VERCEL_ENVIRONMENT), "Vercel environment names (production, preview, development, custom)", {
    description: `Vercel environments (production, preview, development or a custom one) whose deployments may assume the app runtime role. Default ${APP_RUNTIME_ROLE_DEFAULTS.vercelEnvironments.join(", ")}.`,
    default: APP_RUNTIME_ROLE_DEFAULTS.vercelEnvironments,
    minItems: 1,
  }),
  vercelOidcProviderArn: fields.text({
    description:
      "ARN of an existing IAM OIDC provider for the Vercel team issuer to reuse (one per issuer per account: set it on every stack but one sharing an account). Default: the stack creates it.",
    expected: "arn:aws:iam::<12-digit account>:oidc-provider/oidc.vercel.com/<team>",
    pattern: /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/oidc\.vercel\.com\/[a-z0-9-]+$/,
    required: false,
  }),
};

/** The app section. */
export type AppConfig = ConfigValues<typeof appFields>;

/**
 * How the AppRuntimeRole reads its config; undefined without mpto:vercelTeamSlug (config requires
 * the project name with it). `grants` are what the runtime code's components export: the session
 * table, policy documents and statements.
 */
export function appRuntimeRoleArgs(c: AppConfig, grants: Pick<AppRuntimeRoleArgs, "sessionTableName" | "policyDocuments" | "statements">): AppRuntimeRoleArgs | undefined {
  if (!c.vercelTeamSlug) return undefined;
  return {
    vercelTeamSlug: c.vercelTeamSlug,
    vercelProjectName: c.vercelProjectName!,
    vercelEnvironments: c.vercelEnvironments,
    oidcProviderArn: c.vercelOidcProviderArn,
    ...grants,
  };
}

/** The stack outputs of the app runtime role (the Vercel project's AWS_ROLE_ARN). */
export function appStackOutputs(app: AppRuntimeRole): StackOutputs {
  return { appRuntimeRoleArn: app.roleArn, sessionDataKeyArn: app.sessionDataKeyArn };
}
