import { createHash, createPublicKey } from "node:crypto";
import type { MockRunResult, RecordedResource } from "../mocks/runtime";
import type { PlanExtension } from "./plan";

/**
 * "Before the first deploy": what a real `pulumi up` on a fresh account needs that the offline plan
 * cannot see — placeholder values, DNS records someone must create, verifications that take time,
 * resources that must already exist — each with the exact step. Computed from the recorded plan
 * (resource inputs and the stack config), so it follows the program rather than a hand-kept list.
 *
 * Placeholders are `blocking`: `npm run plan -- <stack> --require-deployable` (what deploy.yml runs)
 * exits 1 while any remains. The other preconditions are listed, never blocking: the plan cannot
 * tell whether an earlier deploy has already met them (a verified SES identity, published CNAMEs).
 */

export type PreconditionKind = "placeholder" | "dns-records" | "verification" | "ordering" | "existing-resource";

export interface Precondition {
  /** Stable id: `<check>:<subject>`. */
  id: string;
  kind: PreconditionKind;
  /** True for placeholders: `--require-deployable` exits 1. */
  blocking: boolean;
  /** Config key (`mpto:…`) or resource URN the precondition is about. */
  subject: string;
  /** What goes wrong on AWS if it is not met. */
  problem: string;
  /** The exact step that meets it. */
  step: string;
  /** Where the rule comes from. */
  source: string;
}

export interface FirstDeploySection {
  preconditions: Precondition[];
  /** Number of blocking preconditions (placeholders). */
  placeholders: number;
  /** No placeholder remains (`--require-deployable` exits 0 on this alone). */
  deployable: boolean;
}

/** SHA-256 of the DER (SPKI) public key: the same key in any PEM layout has the same fingerprint. */
export function publicKeyFingerprint(pem: string): string | undefined {
  try {
    return createHash("sha256").update(createPublicKey(pem).export({ type: "spki", format: "der" })).digest("hex");
  } catch {
    return undefined;
  }
}

interface KnownPlaceholder {
  key: string;
  /** The committed value, or the fingerprint of the committed public key. */
  matches: (value: string) => boolean;
  problem: string;
  step: (stack: string) => string;
}

/**
 * Values committed in this repository's stack files that stand for something only the operator has.
 * Any stack that still carries one is not deployable. Add an entry when committing a new placeholder.
 */
export const KNOWN_PLACEHOLDERS: KnownPlaceholder[] = [
  {
    key: "mpto:route53ZoneId",
    matches: (v) => v === "Z0MPTOPRODZONE01",
    problem: "not a hosted zone of any account: every Route 53 record (ACM validation, aliases, SES DKIM/MAIL FROM/DMARC) fails with NoSuchHostedZone",
    step: (s) => `aws route53 list-hosted-zones-by-name --dns-name <apex domain> --query 'HostedZones[0].Id' (strip the /hostedzone/ prefix), then: pulumi config set --stack ${s} mpto:route53ZoneId <id>; or pulumi config rm --stack ${s} mpto:route53ZoneId to create the records yourself from the stack outputs`,
  },
  {
    key: "mpto:mediaSigningPublicKey",
    // The committed dev and prod keys (docs/edge.md): real RSA 2048 keys whose private halves were discarded.
    matches: (v) => ["befa39c3024e5b8e44a52a7250133d1f04c80ad36a30e5668c0a5b4e2079d342", "e87fa4a0395e6ff2d79834329c991c44f112068a7830e90d58cd97a468535e50"].includes(publicKeyFingerprint(v) ?? ""),
    problem: "nobody holds its private key, so no playback URL or cookie can be signed: CloudFront answers 403 for every media request",
    step: (s) =>
      `openssl genrsa -out media-signing.pem 2048 && openssl rsa -in media-signing.pem -pubout -out media-signing.pub.pem && pulumi config set --stack ${s} mpto:mediaSigningPublicKey -- "$(cat media-signing.pub.pem)"; keep media-signing.pem in the app's secret store (docs/edge.md)`,
  },
  {
    key: "mpto:githubRepository",
    matches: (v) => v === "myprivatetutoronline/mpto-aws",
    problem: "the CI roles trust this repository's workflows only: a fork or a renamed repository cannot assume them, and CI fails at configure-aws-credentials",
    step: (s) => `pulumi config set --stack ${s} mpto:githubRepository <owner>/<repository> (the repository whose workflows deploy this stack), or pulumi config rm --stack ${s} mpto:githubRepository for no CI roles`,
  },
  {
    key: "mpto:vercelTeamSlug",
    // Committed as the team's likely slug, never confirmed against the Vercel account. The app runtime
    // role trusts the issuer https://oidc.vercel.com/<slug> (Vercel "Team" issuer mode): whoever owns a
    // team of that slug mints tokens it accepts, given a project of the pinned name
    // (https://vercel.com/docs/oidc/reference, claims iss and sub).
    matches: (v) => v === "myprivatetutoronline",
    problem: "a guessed Vercel team slug: the app runtime role would trust OIDC tokens of whichever Vercel team owns it (with a project of the pinned name), and the real app's calls would fail with AccessDenied if it is not the team's own",
    step: (s) =>
      `read the slug from the team's URL (vercel.com/<slug>, or \`vercel teams ls\`) and the project name from its settings, then: pulumi config set --stack ${s} mpto:vercelTeamSlug <slug> (and mpto:vercelProjectName if it differs); or pulumi config rm --stack ${s} mpto:vercelTeamSlug and mpto:vercelProjectName for no app runtime role`,
  },
];

/** Words that mark a value nobody meant to deploy. */
const PLACEHOLDER_WORDS = /\b(?:placeholder|changeme|change-me|replace[-_ ]?me|todo|fixme|xxx+)\b|(?:^|[.@])example\.(?:com|org|net)$/i;

function placeholders(stack: string, project: string, config: Record<string, string>, secretKeys: ReadonlySet<string>): Precondition[] {
  const out: Precondition[] = [];
  for (const key of Object.keys(config).sort()) {
    if (!key.startsWith(`${project}:`) || secretKeys.has(key)) continue; // the program's own keys; secrets are not readable offline
    const value = config[key];
    const known = KNOWN_PLACEHOLDERS.find((p) => p.key === key && p.matches(value));
    if (known) {
      out.push({ id: `placeholder:${key}`, kind: "placeholder", blocking: true, subject: key, problem: `the committed placeholder value: ${known.problem}`, step: known.step(stack), source: "stack file (committed placeholder)" });
    } else if (!value.includes("-----BEGIN") && PLACEHOLDER_WORDS.test(value)) {
      // (PEM bodies are base64: a chance "/todo/" in one is not a placeholder; known keys are matched above.)
      out.push({ id: `placeholder:${key}`, kind: "placeholder", blocking: true, subject: key, problem: `the value ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)} reads as a placeholder`, step: `pulumi config set --stack ${stack} ${key} <the real value>`, source: "stack file" });
    }
  }
  return out;
}

const ofType = (run: MockRunResult, type: string) => run.resources.filter((r) => r.type === type);
const str = (v: unknown) => (typeof v === "string" ? v : undefined);

/** Cognito `DEVELOPER` email through an SES identity this same plan creates. */
function cognitoThroughNewSesIdentity(stack: string, run: MockRunResult): Precondition[] {
  const identities = ofType(run, "aws:sesv2/emailIdentity:EmailIdentity").map((r) => str(r.inputs.emailIdentity)).filter((v): v is string => !!v);
  return ofType(run, "aws:cognito/userPool:UserPool").flatMap((pool) => {
    const email = (pool.inputs.emailConfiguration ?? {}) as { emailSendingAccount?: string; sourceArn?: string };
    if (email.emailSendingAccount !== "DEVELOPER" || !email.sourceArn) return [];
    const identity = identities.find((d) => email.sourceArn!.endsWith(`:identity/${d}`));
    if (!identity) return [];
    return [
      {
        id: `cognito-ses-unverified:${pool.urn}`,
        kind: "verification" as const,
        blocking: false,
        subject: pool.urn,
        problem: `the user pool sends mail through the SES identity ${identity}, which this same update creates: Cognito refuses an identity that is not yet verified, so a first deploy stops at the user pool (DKIM verification takes minutes to 72 hours)`,
        step: `first deploy with: pulumi config set --stack ${stack} mpto:userPoolEmailViaSes false; publish the mail DNS records; when aws sesv2 get-email-identity --email-identity ${identity} --query VerifiedForSendingStatus prints true, set mpto:userPoolEmailViaSes true and deploy again`,
        source: "aws/aws-cdk#18964; Cognito developer guide, 'Email settings for Amazon Cognito user pools' (SES identity must be verified)",
      },
    ];
  });
}

/** An ACM certificate validated by DNS records this plan does not create: the update waits for them. */
function acmValidationWithoutRecords(stack: string, run: MockRunResult): Precondition[] {
  const certificates = new Map(ofType(run, "aws:acm/certificate:Certificate").map((c) => [c.outputs.arn as string | undefined, c]));
  return ofType(run, "aws:acm/certificateValidation:CertificateValidation").flatMap((v) => {
    const fqdns = v.inputs.validationRecordFqdns as unknown[] | undefined;
    if (Array.isArray(fqdns) && fqdns.length > 0) return [];
    const certificate = certificates.get(str(v.inputs.certificateArn));
    const names = certificate ? [certificate.inputs.domainName, ...((certificate.inputs.subjectAlternativeNames as string[] | undefined) ?? [])].join(", ") : "the certificate's names";
    const target = certificate ? ` --target '${certificate.urn}'` : "";
    return [
      {
        id: `acm-dns-validation:${v.urn}`,
        kind: "dns-records" as const,
        blocking: false,
        subject: v.urn,
        problem: `the certificate for ${names} is validated by CNAMEs this stack does not create (no mpto:route53ZoneId): the update waits for them (75 minutes here), then fails, and the distribution is not created`,
        step: `pulumi up --stack ${stack}${target} (creates the certificate alone); then pulumi stack output --stack ${stack} edgeCertificateValidationRecords (or aws acm describe-certificate --region us-east-1 --certificate-arn <arn> --query 'Certificate.DomainValidationOptions[].ResourceRecord'); create those CNAMEs at the DNS host; then pulumi up --stack ${stack}`,
        source: "terraform-provider-aws internal/service/acm/certificate_validation.go (waits for ISSUED; create timeout); ACM user guide, 'DNS validation'",
      },
    ];
  });
}

/** An SES domain identity whose DKIM records this plan does not create. */
function sesIdentityWithoutRecords(stack: string, run: MockRunResult): Precondition[] {
  const recordNames = ofType(run, "aws:route53/record:Record").map((r) => str(r.inputs.name) ?? "");
  return ofType(run, "aws:sesv2/emailIdentity:EmailIdentity").flatMap((identity) => {
    const domain = str(identity.inputs.emailIdentity);
    if (!domain || domain.includes("@") || recordNames.some((n) => n.includes("._domainkey.") && n.replace(/\.$/, "").endsWith(domain))) return [];
    return [
      {
        id: `ses-dns-verification:${identity.urn}`,
        kind: "dns-records" as const,
        blocking: false,
        subject: identity.urn,
        problem: `the SES identity ${domain} verifies only once its DKIM CNAMEs (and the MAIL FROM MX/TXT, DMARC TXT) are published; until then mail from it is refused (verification can take up to 72 hours)`,
        step: `after the first pulumi up: pulumi stack output --stack ${stack} mailDnsRecords; create every record at the DNS host; check with aws sesv2 get-email-identity --email-identity ${domain} --query DkimAttributes.Status (SUCCESS)`,
        source: "Amazon SES developer guide, 'Easy DKIM' (verification up to 72 hours)",
      },
    ];
  });
}

/** IAM roles that trust a Federated principal (OIDC provider) this plan does not create. */
function federatedPrincipalNotCreated(stack: string, run: MockRunResult, config: Record<string, string>): Precondition[] {
  const created = new Set(ofType(run, "aws:iam/openIdConnectProvider:OpenIdConnectProvider").map((p) => p.outputs.arn as string));
  // Providers the stack file names explicitly (mpto:githubOidcProviderArn, mpto:vercelOidcProviderArn, …).
  const explicit = new Set(Object.entries(config).filter(([k]) => /OidcProviderArn$/.test(k)).map(([, v]) => v));
  const out: Precondition[] = [];
  for (const role of ofType(run, "aws:iam/role:Role")) {
    const policyText = str(role.inputs.assumeRolePolicy);
    if (!policyText) continue;
    let statements: { Principal?: { Federated?: string | string[] } }[] = [];
    try {
      const doc = JSON.parse(policyText) as { Statement?: unknown };
      statements = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]) as typeof statements;
    } catch {
      continue;
    }
    const federated = statements.flatMap((s) => [s?.Principal?.Federated ?? []].flat());
    for (const principal of federated.filter((p) => !created.has(p))) {
      out.push({
        id: `federated-principal:${role.urn}`,
        kind: explicit.has(principal) ? "existing-resource" : "ordering",
        blocking: false,
        subject: role.urn,
        problem: `the role trusts ${principal}, which this stack does not create: IAM refuses the role (MalformedPolicyDocument: invalid principal) unless that OIDC provider already exists in the account`,
        step:
          explicit.has(principal)
            ? `check it exists: aws iam get-open-id-connect-provider --open-id-connect-provider-arn ${principal}`
            : principal.endsWith("/token.actions.githubusercontent.com")
              ? `deploy first the stack that creates it in this account (mpto:accountBaselineOwner true, e.g. prod), or in an account of its own: pulumi config set --stack ${stack} mpto:createGithubOidcProvider true`
              : `deploy first the stack that creates ${principal} in this account, or create it and name it in the stack's config (aws iam list-open-id-connect-providers)`,
        source: "IAM user guide, 'Creating a role for web identity or OIDC federation' (the provider must exist first)",
      });
    }
  }
  return out;
}

/** A GuardDuty detector: an account where GuardDuty is already on (organization auto-enable) refuses a second. */
function guardDutyDetector(run: MockRunResult): Precondition[] {
  return ofType(run, "aws:guardduty/detector:Detector").map((d: RecordedResource) => ({
    id: `guardduty-existing-detector:${d.urn}`,
    kind: "existing-resource" as const,
    blocking: false,
    subject: d.urn,
    problem: `GuardDuty allows one detector per account and region (${d.region ?? "the stack's region"}): if the organization's delegated administrator already enabled it, creating this one fails (BadRequestException: detector already exists)`,
    step: `aws guardduty list-detectors --region ${d.region ?? "<region>"}; if it prints an id: pulumi import aws:guardduty/detector:Detector ${d.name} <id> --parent '${d.parent ?? ""}' before pulumi up`,
    source: "../shared/reference/fidelity.md (create-time preconditions); GuardDuty API CreateDetector",
  }));
}

/** Cost allocation tags can be activated only after the key has appeared in billing data. */
function costAllocationTags(run: MockRunResult): Precondition[] {
  return ofType(run, "aws:costexplorer/costAllocationTag:CostAllocationTag").map((t) => ({
    id: `cost-allocation-tag:${t.urn}`,
    kind: "verification" as const,
    blocking: false,
    subject: t.urn,
    problem: `the tag key ${String(t.inputs.tagKey)} can be activated only once it appears in billing data (about a day after resources carry it): on a brand-new account the update fails`,
    step: "first deploy with mpto:activateCostAllocationTags false; a day later set it true and deploy again",
    source: "AWS Billing user guide, 'Activating user-defined cost allocation tags'",
  }));
}

/** Every precondition of a recorded plan, placeholders first, in a stable order. */
export function firstDeployPreconditions(stack: string, run: MockRunResult, config: Record<string, string>, secretKeys: readonly string[] = [], project = "mpto"): FirstDeploySection {
  const preconditions = [
    ...placeholders(stack, project, config, new Set(secretKeys)),
    ...cognitoThroughNewSesIdentity(stack, run),
    ...acmValidationWithoutRecords(stack, run),
    ...sesIdentityWithoutRecords(stack, run),
    ...federatedPrincipalNotCreated(stack, run, config),
    ...guardDutyDetector(run),
    ...costAllocationTags(run),
  ];
  const count = preconditions.filter((p) => p.blocking).length;
  return { preconditions, placeholders: count, deployable: count === 0 };
}

export function renderFirstDeploy(section: FirstDeploySection): string[] {
  if (section.preconditions.length === 0) return ["Before the first deploy: nothing the plan cannot see."];
  const lines = [`Before the first deploy (${section.placeholders} placeholder${section.placeholders === 1 ? "" : "s"}, ${section.preconditions.length - section.placeholders} other precondition${section.preconditions.length - section.placeholders === 1 ? "" : "s"}; the plan cannot check these against AWS):`];
  for (const p of section.preconditions) {
    lines.push(`    ${p.blocking ? "✖" : "!"} [${p.kind}] ${p.subject}`, `        ${p.problem}`, `        step: ${p.step}`);
  }
  if (!section.deployable) lines.push("    --require-deployable exits 1 while a placeholder remains.");
  return lines;
}

export const firstDeployExtension: PlanExtension = (run, context) => {
  const section = firstDeployPreconditions(context.stack, run, context.config, context.secretKeys, context.project);
  return { key: "firstDeploy", value: section, lines: renderFirstDeploy(section) };
};
