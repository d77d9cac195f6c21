import { list, notANumber, num } from "../lib/inputs";
import { resourceRule } from "../lib/policy";
import { threatProtectionProblems } from "../rules/cognito";

/**
 * Cognito user pools and app clients: strong passwords, MFA, threat protection where the plan
 * allows, deletion protection, SRP-only sign-in, no unauthenticated identity-pool access.
 * cdk-nag AwsSolutions-COG1/COG2/COG7/COG8, Security Hub Cognito.1/2/3/5/6, Checkov CKV_AWS_366.
 */

const USER_POOL = "aws:cognito/userPool:UserPool";

export const cognitoPasswordPolicy = resourceRule<{ minLength: number; maxTemporaryPasswordDays: number }>({
  name: "cognito-password-policy",
  description: "User pool passwords are at least the configured length with lower and upper case, numbers and symbols; temporary passwords expire within a week (cdk-nag AwsSolutions-COG1, Security Hub Cognito.3).",
  types: [USER_POOL],
  config: {
    properties: {
      minLength: { type: "integer", minimum: 8, maximum: 99, description: "Shortest allowed minimumLength." },
      maxTemporaryPasswordDays: { type: "integer", minimum: 1, maximum: 365, description: "Longest allowed temporaryPasswordValidityDays." },
    },
    defaults: { minLength: 12, maxTemporaryPasswordDays: 7 },
  },
  validate(props, { config }, report) {
    const policy = props.passwordPolicy;
    if (!policy) {
      report(`no passwordPolicy: Cognito's default (8 characters) is below ${config.minLength}`);
      return;
    }
    const length = num(policy.minimumLength, 8);
    if (!notANumber(length, "minimumLength", policy.minimumLength, report) && length < config.minLength) report(`minimumLength ${policy.minimumLength ?? 8} is below ${config.minLength}`);
    for (const key of ["requireLowercase", "requireUppercase", "requireNumbers", "requireSymbols"]) if (policy[key] !== true) report(`passwordPolicy.${key} is not true`);
    const temporary = num(policy.temporaryPasswordValidityDays, 7);
    if (!notANumber(temporary, "temporaryPasswordValidityDays", policy.temporaryPasswordValidityDays, report) && temporary > config.maxTemporaryPasswordDays) report(`temporaryPasswordValidityDays ${policy.temporaryPasswordValidityDays} is above ${config.maxTemporaryPasswordDays}`);
  },
});

export const cognitoMfa = resourceRule<{ allowedMfaConfigurations: string[] }>({
  name: "cognito-mfa",
  description: "User pools use MFA in a mode the stack allows, with TOTP (software token) enabled and never SMS-only (cdk-nag AwsSolutions-COG2, Security Hub Cognito.5).",
  types: [USER_POOL],
  config: {
    properties: { allowedMfaConfigurations: { type: "array", items: { type: "string", enum: ["ON", "OPTIONAL", "OFF"] }, minItems: 1, description: "Allowed mfaConfiguration values." } },
    defaults: { allowedMfaConfigurations: ["ON"] },
  },
  validate(props, { config }, report) {
    const mode = props.mfaConfiguration ?? "OFF";
    if (!config.allowedMfaConfigurations.includes(mode)) report(`mfaConfiguration is ${mode}; allowed: ${config.allowedMfaConfigurations.join(", ")}`);
    if (mode !== "OFF" && props.softwareTokenMfaConfiguration?.enabled !== true) report("MFA is on but TOTP (softwareTokenMfaConfiguration.enabled) is not: SMS codes can be SIM-swapped");
  },
});

export const cognitoThreatProtection = resourceRule<{ requiredMode: string }>({
  name: "cognito-threat-protection",
  description: "User pools run threat protection (advanced security) at least in the stack's required mode, which needs the Plus plan (cdk-nag AwsSolutions-COG8, Security Hub Cognito.1 ENFORCED).",
  types: [USER_POOL],
  config: {
    properties: { requiredMode: { type: "string", enum: ["OFF", "AUDIT", "ENFORCED"], description: "Weakest accepted advancedSecurityMode (OFF accepts any)." } },
    defaults: { requiredMode: "ENFORCED" },
  },
  validate(props, { config }, report) {
    const rank: Record<string, number> = { OFF: 0, AUDIT: 1, ENFORCED: 2 };
    const mode = props.userPoolAddOns?.advancedSecurityMode ?? "OFF";
    if ((rank[mode] ?? 0) < rank[config.requiredMode]) report(`threat protection is ${mode}; this stack requires ${config.requiredMode}`);
    // The rule stack config and the UserPool component apply too (policies/rules/cognito.ts); a pool without userPoolTier is on ESSENTIALS.
    const names = { featurePlan: "userPoolTier", threatProtection: "advancedSecurityMode" };
    for (const p of threatProtectionProblems({ featurePlan: String(props.userPoolTier ?? "ESSENTIALS"), threatProtection: String(mode) }, { name: (f) => names[f] })) report(`${names[p.field]} is ${mode}: expected ${p.expected}`);
  },
});

export const cognitoDeletionProtection = resourceRule<{ required: boolean }>({
  name: "cognito-deletion-protection",
  description: "User pools have deletion protection ACTIVE where the stack requires it (Security Hub Cognito.6).",
  types: [USER_POOL],
  config: { properties: { required: { type: "boolean", description: "Require deletionProtection ACTIVE." } }, defaults: { required: true } },
  validate(props, { config }, report) {
    if (config.required && props.deletionProtection !== "ACTIVE") report(`deletionProtection is ${props.deletionProtection ?? "INACTIVE (default)"}: one delete loses every account`);
  },
});

export const cognitoClientAuthFlows = resourceRule<{ allowedAuthFlows: string[] }>({
  name: "cognito-client-auth-flows",
  description: "App clients sign in with SRP and refresh tokens only (no plain-password flows), hide whether a user exists and can revoke tokens (design default; OWASP ASVS; no catalogue rule).",
  types: ["aws:cognito/userPoolClient:UserPoolClient"],
  config: {
    properties: { allowedAuthFlows: { type: "array", items: { type: "string" }, description: "explicitAuthFlows an app client may list." } },
    defaults: { allowedAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
  },
  validate(props, { config }, report) {
    const flows = list<string>(props.explicitAuthFlows);
    if (!flows.length) report("explicitAuthFlows is empty: Cognito then allows its defaults, including USER_PASSWORD_AUTH");
    const extra = flows.filter((f) => !config.allowedAuthFlows.includes(f));
    if (extra.length) report(`explicitAuthFlows allows ${extra.join(", ")}; allowed: ${config.allowedAuthFlows.join(", ")}`);
    if (props.preventUserExistenceErrors !== "ENABLED") report("preventUserExistenceErrors is not ENABLED: sign-in errors reveal which emails have accounts");
    if (props.enableTokenRevocation === false) report("enableTokenRevocation is false: sign-out cannot revoke refresh tokens");
  },
});

export const cognitoIdentityPoolAuthenticated = resourceRule({
  name: "cognito-identity-pool-authenticated",
  description: "Identity pools do not hand AWS credentials to unauthenticated guests (cdk-nag AwsSolutions-COG7, Security Hub Cognito.2, Checkov CKV_AWS_366).",
  types: ["aws:cognito/identityPool:IdentityPool"],
  validate(props, _ctx, report) {
    if (props.allowUnauthenticatedIdentities === true) report("allowUnauthenticatedIdentities is true: anyone can obtain AWS credentials");
    if (props.allowClassicFlow === true) report("allowClassicFlow is true: the basic (classic) flow bypasses the role mapping rules");
  },
});

export const cognitoPolicies = [cognitoPasswordPolicy, cognitoMfa, cognitoThreatProtection, cognitoDeletionProtection, cognitoClientAuthFlows, cognitoIdentityPoolAuthenticated];
