import type { PolicyResource, ReportViolation } from "@pulumi/policy";
import { whenKnown } from "./inputs";
import { hasSecureTransportDeny, readDocument } from "./policyDocuments";

/**
 * The "requires a TLS-deny policy" stack rule, one home for every service whose resources carry a
 * resource policy: S3 buckets (cdk-nag AwsSolutions-S10, Security Hub S3.5, Checkov CKV_AWS_379),
 * SNS topics (AwsSolutions-SNS3) and SQS queues (AwsSolutions-SQS4). AWS's recipe is the same for
 * each: a Deny of every principal when `aws:SecureTransport` is false ("Security best practices for
 * Amazon S3", "Amazon SNS security best practices", "Amazon SQS security best practices").
 *
 * `documents` reads each policy document that governs the resource (a companion policy resource's,
 * or one set on the resource itself), lazily, because any of them may be unknown during a preview.
 * The resource passes when one document denies plain HTTP or is unknown (not judged: a preview
 * cannot tell). An absent document does not count as a policy; one that cannot be read (not JSON, a
 * malformed statement) denies nothing.
 */
export function requireTlsDeny(resource: PolicyResource, noun: string, documents: readonly (() => unknown)[], report: ReportViolation): void {
  const verdicts = documents.map((read) =>
    whenKnown((): "absent" | "deny" | "no deny" => {
      const doc = readDocument(read());
      if (doc.absent) return "absent";
      return !doc.problem && hasSecureTransportDeny(doc.statements) ? "deny" : "no deny";
    }, "unknown"),
  );
  const present = verdicts.filter((v) => v !== "absent");
  if (!present.length) report(`${noun} ${resource.name} has no ${noun} policy, so plain-HTTP requests are not denied`, resource.urn);
  else if (!present.some((v) => v === "deny" || v === "unknown")) report(`${noun} ${resource.name}: the ${noun} policy does not deny aws:SecureTransport false`, resource.urn);
}
