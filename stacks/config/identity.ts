import { z } from "zod";
import { DOMAIN_PREFIX_EXPECTED, domainPrefixProblem, hostedSignInProblems, threatProtectionProblems } from "../../policies/rules/cognito";
import { configProblems, CrossFieldCheck, fields } from "./field";

/** https URLs, or http on localhost (the only plain-http callback Cognito accepts). */
const CALLBACK_URL = z.string().regex(/^(https:\/\/[a-z0-9.-]+(:\d+)?(\/[^\s#]*)?|http:\/\/localhost(:\d+)?(\/[^\s#]*)?)$/);

/** The Cognito user pool, its app client, hosted UI and federation. */
export const identityFields = {
  userPoolMfa: fields.oneOf(["on", "optional"], {
    description: "TOTP MFA for the user pool: on (every user, enrolled at first sign-in) or optional (users who enrol). Default on.",
    default: "on",
  }),
  userPoolFeaturePlan: fields.oneOf(["lite", "essentials", "plus"], {
    description: "Cognito feature plan (priced per monthly active user; plus is needed for threat protection). Default essentials.",
    default: "essentials",
  }),
  userPoolThreatProtection: fields.oneOf(["off", "audit", "enforced"], {
    description: "Cognito threat protection (compromised credentials, adaptive auth); needs the plus plan. Run audit for two weeks before enforced. Default off.",
    default: "off",
  }),
  userPoolSelfSignUp: fields.boolean({
    description: "Let parents and tutors create their own accounts; false means only admins create users. Default true.",
    default: true,
  }),
  userPoolPasswordMinLength: fields.integer({
    description: "Minimum password length (upper, lower, digit and symbol are always required). Default 12.",
    min: 12,
    max: 99,
    default: 12,
  }),
  userPoolEmailViaSes: fields.boolean({
    description: "Send Cognito's mail (codes, invitations) through the stack's SES domain; turn on once the domain is verified and out of the SES sandbox. Default false: Cognito's shared sender.",
    default: false,
  }),
  userPoolEmailFrom: fields.email({
    description: "From address of Cognito's mail when it goes through SES; must be on the mail domain. Default no-reply@<mailDomain>.",
    required: false,
  }),
  userPoolClientSecret: fields.boolean({
    description: "Give the Next.js server's app client a secret (the auth code then sends SECRET_HASH). Default false: a public client used only server-side.",
    default: false,
  }),
  authAccessTokenMinutes: fields.integer({
    description: "Lifetime of access tokens in minutes (offline-verified tokens stay valid until they expire, even after sign-out). Default 30.",
    min: 5,
    max: 1440,
    default: 30,
  }),
  authIdTokenMinutes: fields.integer({ description: "Lifetime of ID tokens in minutes. Default 30.", min: 5, max: 1440, default: 30 }),
  authRefreshTokenDays: fields.integer({ description: "Lifetime of refresh tokens in days. Default 30.", min: 1, max: 3650, default: 30 }),
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
  userPoolFederation: fields.oneOf(["none", "google", "oidc"], {
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
