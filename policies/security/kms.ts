import { publicAllowStatements, resourceRule, statementsOf } from "../lib/kit";

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
  description: "Keys carry an explicit key policy and it grants nothing to '*' without a scoping condition (Security Hub KMS.5, Checkov CKV_AWS_33, CKV2_AWS_64).",
  types: [KEY],
  validate(props, _ctx, report) {
    const statements = statementsOf(props.policy);
    if (!statements) {
      report("no key policy: the default policy hands the key to every IAM principal of the account allowed kms:*");
      return;
    }
    for (const s of publicAllowStatements(statements)) report(`key policy statement ${s.Sid ?? "(no Sid)"} allows '*' without a scoping condition`);
  },
});

export const kmsDeletionWindow = resourceRule<{ minDeletionWindowDays: number }>({
  name: "kms-deletion-window",
  description: "Keys wait at least the configured number of days before a scheduled deletion, time to notice and cancel it (Security Hub KMS.3).",
  types: [KEY],
  config: { properties: { minDeletionWindowDays: { type: "integer", minimum: 7, maximum: 30, description: "Shortest deletionWindowInDays allowed." } }, defaults: { minDeletionWindowDays: 30 } },
  validate(props, { config }, report) {
    const days = Number(props.deletionWindowInDays ?? 30);
    if (days < config.minDeletionWindowDays) report(`deletionWindowInDays ${days} is below ${config.minDeletionWindowDays}`);
  },
});

export const kmsPolicies = [kmsKeyRotation, kmsKeyPolicy, kmsDeletionWindow];
