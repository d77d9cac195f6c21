import { list, notANumber, num } from "../lib/inputs";
import { resourceRule } from "../lib/policy";
import { accountsIn, actionsOf, foreignScopedStatements, providerAccounts, publicAllowStatements, readDocument, scopeProblems, Statement } from "../lib/policyDocuments";

/**
 * KMS keys: rotation, an explicit key policy that is not public, a deletion window long enough to
 * undo a mistake. cdk-nag AwsSolutions-KMS5, Security Hub KMS.3/.5, Checkov CKV_AWS_7/33, CKV2_AWS_64.
 * (KMS.1/.2, decrypt on all keys, are judged on IAM policies: iam-wildcard-permissions.)
 */

const KEY = "aws:kms/key:Key";

export const kmsKeyRotation = resourceRule({
  name: "kms-key-rotation",
  description: "Symmetric encryption keys rotate automatically (cdk-nag AwsSolutions-KMS5, Checkov CKV_AWS_7, cdk-nag NIST KMSBackingKeyRotationEnabled).",
  types: [KEY],
  validate(props, _ctx, report) {
    const spec = props.customerMasterKeySpec ?? props.keySpec ?? "SYMMETRIC_DEFAULT";
    const usage = props.keyUsage ?? "ENCRYPT_DECRYPT";
    if (spec === "SYMMETRIC_DEFAULT" && usage === "ENCRYPT_DECRYPT" && props.enableKeyRotation !== true) report("enableKeyRotation is not true");
  },
});

export const kmsKeyPolicy = resourceRule({
  name: "kms-key-policy",
  description:
    "Keys carry an explicit key policy and it grants nothing to '*' without a scoping condition judged by value (this account, no wildcards, no IfExists; kms:ViaService alone scopes nothing), and no condition names another account (Security Hub KMS.5, Checkov CKV_AWS_33, CKV2_AWS_64).",
  types: [KEY],
  validate(props, { args }, report) {
    const doc = readDocument(props.policy);
    if (doc.absent) {
      report("no key policy: the default policy hands the key to every IAM principal of the account allowed kms:*");
      return;
    }
    if (doc.problem) report(`key policy: ${doc.problem}, so it cannot be judged`);
    const own = new Set([...keyAdministratorAccounts(doc.statements), ...accountsIn(props.arn), ...providerAccounts(args.provider)]);
    for (const s of publicAllowStatements(doc.statements, own)) report(`key policy statement ${s.Sid ?? "(no Sid)"} allows '*' without a scoping condition${scopeProblems(s, own)}`);
    for (const f of foreignScopedStatements(doc.statements, own)) report(`key policy statement ${f.statement.Sid ?? "(no Sid)"} is scoped to another account (${f.problem})`);
  },
});

/**
 * The key's own account: KMS refuses a key policy that would lock its creator out (the "policy
 * lockout safety check", AWS KMS Developer Guide, "Default key policy"), so the account whose root
 * or roles administer the key (kms:* or kms:PutKeyPolicy) is the one that creates it.
 */
function keyAdministratorAccounts(statements: Statement[]): Set<string> {
  const admins = statements.filter((s) => s.Effect === "Allow" && actionsOf(s).some((a) => ["*", "kms:*", "kms:putkeypolicy"].includes(a.toLowerCase())));
  return accountsIn(...admins.map((s) => list((s.Principal as { AWS?: unknown } | undefined)?.AWS)));
}

export const kmsDeletionWindow = resourceRule<{ minDeletionWindowDays: number }>({
  name: "kms-deletion-window",
  description: "Keys wait at least the configured number of days before a scheduled deletion, time to notice and cancel it (Security Hub KMS.3).",
  types: [KEY],
  config: { properties: { minDeletionWindowDays: { type: "integer", minimum: 7, maximum: 30, description: "Shortest deletionWindowInDays allowed." } }, defaults: { minDeletionWindowDays: 30 } },
  validate(props, { config }, report) {
    const days = num(props.deletionWindowInDays, 30);
    if (notANumber(days, "deletionWindowInDays", props.deletionWindowInDays, report)) return;
    if (days < config.minDeletionWindowDays) report(`deletionWindowInDays ${days} is below ${config.minDeletionWindowDays}`);
  },
});

export const kmsPolicies = [kmsKeyRotation, kmsKeyPolicy, kmsDeletionWindow];
