import { whenKnown } from "../lib/inputs";
import { resourceRule, stackRule } from "../lib/policy";
import { accountsIn, foreignScopedStatements, providerAccounts, publicAllowStatements, readDocument, scopeProblems, Statement } from "../lib/policyDocuments";
import { requireTlsDeny } from "../lib/tlsDeny";
import { stackAccounts } from "./s3";

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
  description:
    "Every queue has a queue policy that denies requests without TLS and allows no one without a scoping condition judged by value (this account, no wildcards, no IfExists or negated operators), and no condition names another account (cdk-nag AwsSolutions-SQS4, Checkov CKV_AWS_168).",
  validate(stack, _config, report) {
    const stackOwn = stackAccounts(stack);
    stack.eachOf(QUEUE, report, (queue) => {
      const url = whenKnown(() => queue.props.url as unknown, undefined);
      const mine = stack.referencing(QUEUE_POLICY, "queueUrl", queue, [url]);
      // undefined: unknown during preview (skipped, not judged)
      const documents: (Statement[] | undefined)[] = [];
      const sources = [...mine.map((p) => () => p.props.policy as unknown), () => queue.props.policy as unknown];
      for (const raw of sources) {
        const doc = whenKnown(() => readDocument(raw()), undefined);
        if (doc === undefined) documents.push(undefined);
        else if (!doc.absent) {
          if (doc.problem) report(`queue ${queue.name}: ${doc.problem}, so the queue policy cannot be judged`, queue.urn);
          documents.push(doc.statements);
        }
      }
      requireTlsDeny(queue, "queue", sources, report);
      if (!documents.length) return;
      const own = new Set([...stackOwn, ...accountsIn(url, whenKnown(() => queue.props.arn as unknown, undefined)), ...providerAccounts(queue.provider)]);
      for (const d of documents) {
        for (const s of publicAllowStatements(d ?? [], own)) report(`queue ${queue.name}: statement ${s.Sid ?? "(no Sid)"} allows anyone without a scoping condition${scopeProblems(s, own)}`, queue.urn);
        for (const f of foreignScopedStatements(d ?? [], own)) report(`queue ${queue.name}: statement ${f.statement.Sid ?? "(no Sid)"} is scoped to another account (${f.problem})`, queue.urn);
      }
    });
  },
});

export const sqsPolicies = [sqsEncryption, sqsQueuePolicy];
