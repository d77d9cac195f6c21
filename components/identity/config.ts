import { z } from "zod";
import { DOMAIN_PREFIX_EXPECTED, domainPrefixProblem, hostedSignInProblems, threatProtectionProblems } from "../../policies/rules/cognito";
import type * as pulumi from "@pulumi/pulumi";
import { ConfigValues, configProblems, CrossFieldCheck, fields, StackOutputs } from "../shared/configField";
import { USER_POOL_DEFAULTS as D, UserPool, UserPoolArgs } from "./UserPool";

/** https URLs, or http on localhost (the only plain-http callback Cognito accepts). */
const CALLBACK_URL = z.string().regex(/^(https:\/\/[a-z0-9.-]+(:\d+)?(\/[^\s#]*)?|http:\/\/localhost(:\d+)?(\/[^\s#]*)?)$/);

/** Config spellings (lower case: users' stack files keep them) of the UserPool's values. */
const MFA = { on: "ON", optional: "OPTIONAL" } as const;
const FEATURE_PLANS = { lite: "LITE", essentials: "ESSENTIALS", plus: "PLUS" } as const;
const THREAT_PROTECTION = { off: "OFF", audit: "AUDIT", enforced: "ENFORCED" } as const;
const FEDERATION = { google: "Google", oidc: "OIDC" } as const;

function keysOf<M extends Record<string, string>>(map: M): [keyof M & string, ...(keyof M & string)[]] {
  return Object.keys(map) as [keyof M & string, ...(keyof M & string)[]];
}

/** The config spelling of one of the component's values. */
function spelling<M extends Record<string, string>>(map: M, value: M[keyof M]): keyof M & string {
  return Object.keys(map).find((k) => map[k] === value) as keyof M & string;
}

/** The Cognito user pool, its app client, hosted UI and federation. */
export const identityFields = {
  userPoolMfa: fields.oneOf(keysOf(MFA), {
    description: `TOTP MFA for the user pool: on (every user, enrolled at first sign-in) or optional (users who enrol). Default ${spelling(MFA, D.mfa)}.`,
    default: spelling(MFA, D.mfa),
  }),
  userPoolFeaturePlan: fields.oneOf(keysOf(FEATURE_PLANS), {
    description: `Cognito feature plan (priced per monthly active user; plus is needed for threat protection). Default ${spelling(FEATURE_PLANS, D.featurePlan)}.`,
    default: spelling(FEATURE_PLANS, D.featurePlan),
  }),
  userPoolThreatProtection: fields.oneOf(keysOf(THREAT_PROTECTION), {
    description: `Cognito threat protection (compromised credentials, adaptive auth); needs the plus plan. Run audit for two weeks before enforced. Default ${spelling(THREAT_PROTECTION, D.threatProtection)}.`,
    default: spelling(THREAT_PROTECTION, D.threatProtection),
  }),
  userPoolSelfSignUp: fields.boolean({
    description: `Let parents and tutors create their own accounts; false means only admins create users. Default ${D.selfSignUp}.`,
    default: D.selfSignUp,
  }),
  userPoolPasswordMinLength: fields.integer({
    description: `Minimum password length (upper, lower, digit and symbol are always required). Default ${D.passwordMinimumLength}.`,
    min: 12,
    max: 99,
    default: D.passwordMinimumLength,
  }),
  userPoolEmailViaSes: fields.boolean({
    description:
      "Send Cognito's mail (codes, invitations) through the stack's SES domain; turn on once the domain is verified and out of the SES sandbox. Default false: Cognito's shared sender.",
    default: false,
  }),
  userPoolEmailFrom: fields.email({
    description: "From address of Cognito's mail when it goes through SES; must be on the mail domain. Default no-reply@<mailDomain>.",
    required: false,
  }),
  userPoolClientSecret: fields.boolean({
    description: `Give the Next.js server's app client a secret (the auth code then sends SECRET_HASH). Default ${D.generateClientSecret}: a public client used only server-side.`,
    default: D.generateClientSecret,
  }),
  authAccessTokenMinutes: fields.integer({
    description: `Lifetime of access tokens in minutes (offline-verified tokens stay valid until they expire, even after sign-out). Default ${D.accessTokenValidityMinutes}.`,
    min: 5,
    max: 1440,
    default: D.accessTokenValidityMinutes,
  }),
  authIdTokenMinutes: fields.integer({
    description: `Lifetime of ID tokens in minutes. Default ${D.idTokenValidityMinutes}.`,
    min: 5,
    max: 1440,
    default: D.idTokenValidityMinutes,
  }),
  authRefreshTokenDays: fields.integer({
    description: `Lifetime of refresh tokens in days. Default ${D.refreshTokenValidityDays}.`,
    min: 1,
    max: 3650,
    default: D.refreshTokenValidityDays,
  }),
  userPoolDomainPrefix: fields.text({
    description: "Prefix of the Cognito hosted sign-in domain (<prefix>.auth.<region>.amazoncognito.com), needed for federated sign-in. Default none.",
    expected: DOMAIN_PREFIX_EXPECTED,
    check: domainPrefixProblem,
    required: false,
  }),
  authCallbackUrls: fields.list(CALLBACK_URL, "https URLs (or http://localhost)", {
    description: "OAuth callback URLs of the hosted sign-in (required with userPoolDomainPrefix). Default none.",
    default: [],
    maxItems: 100,
  }),
  authLogoutUrls: fields.list(CALLBACK_URL, "https URLs (or http://localhost)", {
    description: "URLs the hosted sign-in may return to after sign-out. Default none.",
    default: [],
    maxItems: 100,
  }),
  userPoolFederation: fields.oneOf(["none", ...keysOf(FEDERATION)], {
    description: "Federated sign-in through the hosted UI: none, google or oidc (needs userPoolDomainPrefix and the userPoolFederation* keys). Default none.",
    default: "none",
  }),
  userPoolFederationName: fields.text({
    description: "Provider name of an OIDC identity provider, shown on the sign-in page. Default none (Google is always named Google).",
    expected: "2-32 letters, digits, '.', '-' (not starting with Cognito or Google)",
    pattern: /^[A-Za-z0-9.-]{2,32}$/,
    required: false,
  }),
  userPoolFederationClientId: fields.text({ description: "OAuth client id registered with the federated identity provider. Default none.", required: false }),
  userPoolFederationClientSecret: fields.text({
    description: "OAuth client secret of the federated identity provider (pulumi config set --secret). Default none.",
    secret: true,
    required: false,
  }),
  userPoolFederationIssuerUrl: fields.text({
    description: "Issuer URL of an OIDC identity provider (https). Default none.",
    expected: "an https URL such as https://login.example.com",
    pattern: /^https:\/\/[^\s]+$/,
    required: false,
  }),
};

/** Config's names for the inputs of the Cognito rules (policies/rules/cognito.ts). */
const THREAT_KEYS = { featurePlan: "userPoolFeaturePlan", threatProtection: "userPoolThreatProtection" } as const;
const HOSTED_KEYS = {
  domainPrefix: "userPoolDomainPrefix",
  callbackUrls: "authCallbackUrls",
  logoutUrls: "authLogoutUrls",
  federation: "userPoolFederation",
  federationName: "userPoolFederationName",
  federationIssuerUrl: "userPoolFederationIssuerUrl",
  federationClientId: "userPoolFederationClientId",
  federationClientSecret: "userPoolFederationClientSecret",
} as const;
const configWords = { spell: (s: string) => s.toLowerCase() };

/** Threat protection needs Plus; the hosted sign-in's URLs and federation need its domain (policies/rules/cognito.ts). */
export const identityProblems: CrossFieldCheck = (v, found) => {
  const threat =
    typeof v.userPoolFeaturePlan === "string" && typeof v.userPoolThreatProtection === "string"
      ? threatProtectionProblems({ featurePlan: v.userPoolFeaturePlan, threatProtection: v.userPoolThreatProtection }, { ...configWords, name: (f) => THREAT_KEYS[f] })
      : [];
  const hosted =
    Array.isArray(v.authCallbackUrls) && Array.isArray(v.authLogoutUrls)
      ? hostedSignInProblems(
          {
            domainPrefix: v.userPoolDomainPrefix,
            callbackUrls: v.authCallbackUrls,
            logoutUrls: v.authLogoutUrls,
            federation: v.userPoolFederation,
            federationName: v.userPoolFederationName,
            federationIssuerUrl: v.userPoolFederationIssuerUrl,
            federationClientId: v.userPoolFederationClientId,
            federationClientSecret: v.userPoolFederationClientSecret,
          },
          { ...configWords, name: (f) => HOSTED_KEYS[f] },
        )
      : [];
  return [...configProblems(threat, THREAT_KEYS, found), ...configProblems(hosted, HOSTED_KEYS, found)];
};

/** The identity section, and the stack-wide keys the pool reads (the mail domain; stacks/config/core.ts). */
export type IdentityConfig = ConfigValues<typeof identityFields> & {
  readonly mailDomain: string;
  readonly protectStatefulResources: boolean;
  readonly alarmCognitoSignInThrottles: number;
};

/**
 * How the UserPool reads its config. Cognito's mail goes through the SES domain only once
 * mpto:userPoolEmailViaSes is on (the identity must be verified first), from no-reply@<mailDomain>
 * unless mpto:userPoolEmailFrom says otherwise.
 */
export function userPoolArgs(
  c: IdentityConfig,
  ses: { identityArn: pulumi.Input<string>; configurationSetName: pulumi.Input<string> },
  alarmTopicArn: pulumi.Input<string>,
): UserPoolArgs {
  return {
    protect: c.protectStatefulResources,
    mfa: MFA[c.userPoolMfa],
    featurePlan: FEATURE_PLANS[c.userPoolFeaturePlan],
    threatProtection: THREAT_PROTECTION[c.userPoolThreatProtection],
    passwordMinimumLength: c.userPoolPasswordMinLength,
    selfSignUp: c.userPoolSelfSignUp,
    ...(c.userPoolEmailViaSes
      ? { sesIdentityArn: ses.identityArn, fromAddress: c.userPoolEmailFrom ?? `no-reply@${c.mailDomain}`, sesConfigurationSet: ses.configurationSetName }
      : {}),
    alarmTopicArn,
    signInThrottleAlarmThreshold: c.alarmCognitoSignInThrottles,
    accessTokenValidityMinutes: c.authAccessTokenMinutes,
    idTokenValidityMinutes: c.authIdTokenMinutes,
    refreshTokenValidityDays: c.authRefreshTokenDays,
    generateClientSecret: c.userPoolClientSecret,
    hostedUiDomainPrefix: c.userPoolDomainPrefix,
    callbackUrls: c.userPoolDomainPrefix ? c.authCallbackUrls : undefined,
    logoutUrls: c.authLogoutUrls,
    federatedIdentityProvider:
      c.userPoolFederation === "none"
        ? undefined
        : {
            type: FEDERATION[c.userPoolFederation],
            name: c.userPoolFederationName,
            clientId: c.userPoolFederationClientId!,
            clientSecret: c.userPoolFederationClientSecret!,
            issuerUrl: c.userPoolFederationIssuerUrl,
          },
  };
}

/** The stack outputs of the user pool (the app's CognitoAuth and TokenVerifier read them). */
export function userPoolStackOutputs(pool: UserPool): StackOutputs {
  return {
    userPoolId: pool.userPoolId,
    userPoolArn: pool.userPoolArn,
    userPoolClientId: pool.userPoolClientId,
    ...(pool.userPoolClientSecret && { userPoolClientSecret: pool.userPoolClientSecret }),
    userPoolIssuerUrl: pool.issuerUrl,
    ...(pool.hostedUiUrl && { userPoolHostedUiUrl: pool.hostedUiUrl }),
  };
}
