import { hasSecureTransportDeny, publicAllowStatements, resourceRule, stackRule, statementsOf, whenKnown } from "../lib/kit";

/**
 * SQS queues (the Lambda dead-letter queues): encrypted at rest, a queue policy that is not public
 * and denies plain HTTP. Security Hub SQS.1, cdk-nag AwsSolutions-SQS2/SQS4, Checkov CKV_AWS_27/168.
 * (These IDs come from the catalogues, not from the reference's excerpt of them.)
 */

const QUEUE = "aws:sqs/queue:Queue";
const QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy";

export const sqsEncryption = resourceRule({
  name: "sqs-encryption",
  description: "SQS queues are encrypted at rest, with SQS-managed SSE or a KMS key (Security Hub SQS.1, cdk-nag AwsSolutions-SQS2, Checkov CKV_AWS_27).",
  types: [QUEUE],
  validate(props, _ctx, report) {
    if (props.sqsManagedSseEnabled !== true && !props.kmsMasterKeyId) report("neither sqsManagedSseEnabled nor kmsMasterKeyId: messages are stored unencrypted");
  },
});

export const sqsQueuePolicy = stackRule({
  name: "sqs-queue-policy",
  description: "Every queue has a queue policy that denies requests without TLS and allows no one without a scoping condition (cdk-nag AwsSolutions-SQS4, Checkov CKV_AWS_168).",
  validate(stack, _config, report) {
    for (const queue of stack.ofType(QUEUE)) {
      const mine = stack.referencing(QUEUE_POLICY, "queueUrl", queue, [whenKnown(() => queue.props.url as unknown, undefined)]);
      const inline = whenKnown(() => statementsOf(queue.props.policy), undefined);
      const documents = [...mine.map((p) => whenKnown(() => statementsOf(p.props.policy), undefined)), ...(inline ? [inline] : [])];
      if (!documents.length) {
        report(`queue ${queue.name} has no queue policy, so plain-HTTP requests are not denied`, queue.urn);
        continue;
      }
      if (!documents.some((d) => d === undefined || hasSecureTransportDeny(d))) report(`queue ${queue.name}: no policy statement denies aws:SecureTransport false`, queue.urn);
      for (const d of documents) for (const s of publicAllowStatements(d ?? [])) report(`queue ${queue.name}: statement ${s.Sid ?? "(no Sid)"} allows anyone without a scoping condition`, queue.urn);
    }
  },
});

export const sqsPolicies = [sqsEncryption, sqsQueuePolicy];
