import table from "./coverage.data.json";
import { fields, oneOf, text } from "./lib/dataFile";

/**
 * The coverage table: each rule of the reference catalogues (shared/reference/policy-and-pricing.md
 * §2) that concerns a resource type the stacks create, with the policy that covers it or why it
 * does not apply. The rows are data, in coverage.data.json (grouped by service, one object per rule,
 * every field named), read and checked here; the pack does not import it. `npm run policies:docs`
 * renders it into policies/README.md, and test/policies/coverage.spec.ts checks that every "covered"
 * row names a policy of the pack whose description cites the rule and that has a failing-case test
 * tagged with the rule.
 *
 * Status (issue 14, class 7: the table must not claim more than its failing cases prove):
 *  - covered: a policy checks what the rule's definition checks (its source is linked per row), and
 *    a failing case tagged with the rule fails under the policy config of a stack where the policy
 *    is mandatory (test/policies/coverage.spec.ts runs it with each stack's real config);
 *  - partial: as covered, but the policy checks less than the rule's definition; the note says what is missing;
 *  - nominal: a policy exists, but it is advisory in both stacks or its config switches the check
 *    off in both (the tagged failing case fails only under a config no stack uses);
 *  - not-applicable: the stacks create nothing the rule judges (or it is an account setting no stack owns);
 *  - not-adopted: applicable, deliberately not enforced, and no policy; the note says why.
 */

export type CoverageStatus = "covered" | "partial" | "nominal" | "not-applicable" | "not-adopted";

export interface CoverageRow {
  /** The rule ID as the catalogue writes it (and as policy descriptions and test cases cite it). */
  rule: string;
  catalogue: string;
  meaning: string;
  status: CoverageStatus;
  /** The covering policy (covered rows). */
  policy?: string;
  /** Why not applicable / not adopted / nominal, what a partial row leaves out, or what to know about the coverage. */
  note?: string;
  /** Where the rule is defined (its documentation or source); set for every public catalogue's rule by `sourceOf`. */
  source?: string;
  /**
   * Covered by a general policy that does not name this rule (tags, or the S3 family on the trail
   * bucket): its description need not cite the rule, but a failing case must still be tagged with it.
   */
  indirect?: boolean;
}

const AS = "cdk-nag AwsSolutions";
const NIST = "cdk-nag NIST 800-53 R5";
const CK = "Checkov";
const TV = "Trivy";

const STATUSES: readonly CoverageStatus[] = ["covered", "partial", "nominal", "not-applicable", "not-adopted"];
/** Statuses whose row names the policy that judges the rule. */
const CLAIMS: readonly CoverageStatus[] = ["covered", "partial", "nominal"];

/** One row of coverage.data.json, checked field by field. */
export function readCoverageRow(raw: unknown, where: string): CoverageRow {
  const row = fields(raw, where, ["rule", "catalogue", "meaning", "status"], ["policy", "note", "indirect"]);
  const out: CoverageRow = {
    rule: text(row, "rule", where),
    catalogue: text(row, "catalogue", where),
    meaning: text(row, "meaning", where),
    status: oneOf(row, "status", STATUSES, where),
  };
  const at = `${where} (${out.rule})`;
  if (CLAIMS.includes(out.status) !== (row.policy !== undefined))
    throw new Error(`${at}: a ${out.status} row must ${CLAIMS.includes(out.status) ? "name its policy" : "name no policy"}`);
  if (row.policy !== undefined) out.policy = text(row, "policy", at);
  if (row.note !== undefined) out.note = text(row, "note", at);
  if (row.indirect !== undefined) {
    if (row.indirect !== true) throw new Error(`${at}: indirect is true or absent`);
    out.indirect = true;
  }
  return out;
}

/** The rows of the table file, in order (sections as the file groups them). */
export function loadCoverage(data: unknown): CoverageRow[] {
  const sections = (data as { sections?: unknown } | null)?.sections;
  if (!Array.isArray(sections)) throw new Error("coverage.data.json: no sections");
  return sections.flatMap((section: { section?: unknown; rows?: unknown }, i) => {
    if (typeof section?.section !== "string" || !Array.isArray(section.rows)) throw new Error(`coverage.data.json: section ${i} needs a name and rows`);
    return section.rows.map((row, j) => readCoverageRow(row, `coverage.data.json ${section.section} row ${j + 1}`));
  });
}

export const COVERAGE: CoverageRow[] = loadCoverage(table);

// ---------------------------------------------------------------------------------------------
// Where each public rule is defined (issue 14, class 7: "a source link per public rule").

const SECURITY_HUB_PAGES: Record<string, string> = {
  CloudFront: "cloudfront",
  S3: "s3",
  WAF: "waf",
  Cognito: "cognito",
  DynamoDB: "dynamodb",
  Lambda: "lambda",
  IAM: "iam",
  KMS: "kms",
  SNS: "sns",
  SQS: "sqs",
  CloudWatch: "cloudwatch",
  CloudTrail: "cloudtrail",
  GuardDuty: "guardduty",
  ACM: "acm",
  SES: "ses",
  SecretsManager: "secretsmanager",
};

const TRIVY_SERVICES: [number, number, string][] = [
  [10, 13, "cloudfront"],
  [14, 16, "cloudtrail"],
  [86, 94, "s3"],
];

/**
 * The documentation or source of a rule, from its catalogue and ID:
 *  - Security Hub: the control's anchor on its service's controls page (AWS Security Hub User Guide);
 *  - cdk-nag: RULES.md (both packs' rules, with what each checks), cdklabs/cdk-nag;
 *  - Checkov: the policy index, where each ID links its check's source in bridgecrewio/checkov;
 *  - Trivy: the AVD page of the check; AWS Config and Control Tower: their rule pages;
 *  - awsguard: the rule's source in pulumi/pulumi-policy-aws.
 * Design rules ("Other") have no public source.
 */
export function sourceOf(row: Pick<CoverageRow, "rule" | "catalogue">): string | undefined {
  const { rule, catalogue } = row;
  if (catalogue.startsWith("Security Hub")) {
    const m = /^([A-Za-z][A-Za-z0-9]*?)\.(\d+)/.exec(rule);
    const page = m ? SECURITY_HUB_PAGES[m[1]] : undefined;
    if (!page) return undefined;
    const base = `https://docs.aws.amazon.com/securityhub/latest/userguide/${page}-controls.html`;
    return rule.includes("-") ? base : `${base}#${page}-${m![2]}`;
  }
  if (catalogue === AS) return "https://github.com/cdklabs/cdk-nag/blob/main/RULES.md#awssolutions";
  if (catalogue === NIST) return "https://github.com/cdklabs/cdk-nag/blob/main/RULES.md#nist-800-53-rev-5";
  if (catalogue === CK) return `https://www.checkov.io/5.Policy%20Index/terraform.html#${rule}`;
  if (catalogue === TV) {
    const n = Number(/AVD-AWS-(\d+)/.exec(rule)?.[1]);
    const service = TRIVY_SERVICES.find(([lo, hi]) => n >= lo && n <= hi)?.[2];
    return service ? `https://avd.aquasec.com/misconfig/aws/${service}/${rule.toLowerCase()}/` : undefined;
  }
  if (catalogue === "AWS Config") return `https://docs.aws.amazon.com/config/latest/developerguide/${rule}.html`;
  if (catalogue === "Control Tower proactive") return "https://docs.aws.amazon.com/controltower/latest/controlreference/cloudwatch-rules.html";
  if (catalogue === "@pulumi/awsguard") return "https://github.com/pulumi/pulumi-policy-aws/blob/master/src/iam.ts";
  return undefined;
}

for (const row of COVERAGE) row.source ??= sourceOf(row);
