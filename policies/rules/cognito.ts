import { RuleProblem, Vocabulary, words } from "./problem";

/**
 * Rules about a Cognito user pool that stack config (stacks/config), the UserPool component and the
 * pack (policies/security/cognito.ts) share. Values are compared in AWS's spelling, case-insensitively
 * (config spells them in lower case); messages echo the caller's own values.
 * Pure: no Pulumi runtime, no npm imports (the pack stays self-contained).
 */

/** Threat protection (advanced security) is a feature of the Plus plan (docs.aws.amazon.com/cognito/latest/developerguide/cognito-sign-in-feature-plans.html). */
export function threatProtectionProblems(
  v: { featurePlan: string; threatProtection: string },
  vocabulary?: Vocabulary<"featurePlan" | "threatProtection">,
): RuleProblem<"threatProtection">[] {
  const { name, spell } = words(vocabulary);
  if (v.threatProtection.toUpperCase() === "OFF" || v.featurePlan.toUpperCase() === "PLUS") return [];
  return [{ field: "threatProtection", expected: `${spell("OFF")}, since threat protection needs ${name("featurePlan")} ${spell("PLUS")} (it is ${v.featurePlan})` }];
}

/** A DNS label (a-z, 0-9, '-', 1-63 characters); AWS refuses a Cognito domain prefix containing aws, amazon or cognito (CreateUserPoolDomain, "Domain"). */
const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const RESERVED_IN_PREFIX = /aws|amazon|cognito/;

/** What a valid hosted sign-in domain prefix is. */
export const DOMAIN_PREFIX_EXPECTED = "1-63 lower-case letters, digits and '-', not containing aws, amazon or cognito";

/** Why Cognito would refuse this hosted sign-in domain prefix, or undefined. */
export function domainPrefixProblem(prefix: string): string | undefined {
  if (!DOMAIN_PREFIX.test(prefix)) return "not a DNS label";
  const reserved = RESERVED_IN_PREFIX.exec(prefix)?.[0];
  return reserved ? `contains ${reserved}, which Cognito reserves` : undefined;
}

export type HostedSignInField =
  "domainPrefix" | "callbackUrls" | "logoutUrls" | "federation" | "federationName" | "federationIssuerUrl" | "federationClientId" | "federationClientSecret";

/**
 * The hosted sign-in (a Cognito domain) and what hangs on it: the OAuth callback and sign-out URLs
 * belong to it (without a domain they would be accepted and do nothing; with one and no callback the
 * authorization code flow has nowhere to return), a federated provider needs it, and an OIDC
 * provider needs its name and issuer. `federation` is none, Google or OIDC (any case); absent
 * inputs are `undefined`.
 */
export function hostedSignInProblems(
  v: {
    domainPrefix?: string;
    callbackUrls: readonly unknown[];
    logoutUrls: readonly unknown[];
    federation?: string;
    federationName?: unknown;
    federationIssuerUrl?: unknown;
    federationClientId?: unknown;
    federationClientSecret?: unknown;
  },
  vocabulary?: Vocabulary<HostedSignInField>,
): RuleProblem<HostedSignInField>[] {
  const { name } = words(vocabulary);
  const problems: RuleProblem<HostedSignInField>[] = [];
  const hosted = v.domainPrefix !== undefined;
  const why = hosted ? domainPrefixProblem(v.domainPrefix!) : undefined;
  if (why) problems.push({ field: "domainPrefix", expected: `${DOMAIN_PREFIX_EXPECTED} (${JSON.stringify(v.domainPrefix)}: ${why})` });
  if (hosted !== v.callbackUrls.length > 0) {
    problems.push({
      field: "callbackUrls",
      expected: hosted
        ? `at least one URL, since ${name("domainPrefix")} enables the hosted sign-in`
        : `no URLs unless ${name("domainPrefix")} is set (they belong to the hosted sign-in)`,
    });
  }
  if (!hosted && v.logoutUrls.length > 0) problems.push({ field: "logoutUrls", expected: `no URLs unless ${name("domainPrefix")} is set (they belong to the hosted sign-in)` });
  const federation = v.federation?.toLowerCase() ?? "none";
  if (federation !== "none") {
    const needed: HostedSignInField[] = [
      "domainPrefix",
      "federationClientId",
      "federationClientSecret",
      ...(federation === "oidc" ? (["federationName", "federationIssuerUrl"] as const) : []),
    ];
    const given = v as Record<HostedSignInField, unknown>;
    for (const field of needed.filter((f) => given[f] === undefined)) problems.push({ field, expected: `a value, since ${name("federation")} is ${v.federation}` });
  }
  return problems;
}
