import { whenKnown } from "../lib/inputs";
import { resourceRule, stackRule } from "../lib/policy";
import { accountsIn, foreignScopedStatements, providerAccounts, publicAllowStatements, readDocument, resourcesOf, scopeProblems } from "../lib/policyDocuments";
import { requireTlsDeny } from "../lib/tlsDeny";

/**
 * SNS topics: encrypted with a customer-managed key (the AWS managed key silently drops alarm and
 * budget notifications), a topic policy that is not public and denies plain HTTP.
 * Security Hub SNS.1/.4, cdk-nag AwsSolutions-SNS2/SNS3, Checkov CKV_AWS_26/169, cdk-nag NIST SNSEncryptedKMS.
 */

const TOPIC = "aws:sns/topic:Topic";
const TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy";

export const snsEncryption = resourceRule({
  name: "sns-encryption",
  description:
    "SNS topics are encrypted with a customer-managed KMS key, not alias/aws/sns (CloudWatch and Budgets cannot use the AWS managed key, so their notifications would be dropped) (Security Hub SNS.1, cdk-nag AwsSolutions-SNS2, Checkov CKV_AWS_26, cdk-nag NIST SNSEncryptedKMS).",
  types: [TOPIC],
  validate(props, _ctx, report) {
    const key = props.kmsMasterKeyId;
    if (!key) report("kmsMasterKeyId is not set: the topic is not encrypted at rest");
    else if (/alias\/aws\/sns$/.test(String(key))) report("kmsMasterKeyId is the AWS managed alias/aws/sns: CloudWatch alarms and Budgets cannot publish to it (messages are dropped); use a customer-managed key whose policy allows them");
  },
});

export const snsTopicPolicyNotPublic = resourceRule({
  name: "sns-topic-policy-not-public",
  description:
    "Topic policies let only named principals, or anyone scoped by a condition judged by value (this account, no wildcards, no IfExists or negated operators), publish or subscribe, and no condition names another account (Security Hub SNS.4, Checkov CKV_AWS_169).",
  types: [TOPIC_POLICY],
  validate(props, { args }, report) {
    const doc = readDocument(props.policy);
    if (doc.absent) {
      report("the topic policy has no policy document");
      return;
    }
    if (doc.problem) report(`topic policy: ${doc.problem}, so it cannot be judged`);
    const own = new Set([...accountsIn(props.arn, ...doc.statements.map(resourcesOf)), ...providerAccounts(args.provider)]);
    for (const s of publicAllowStatements(doc.statements, own)) report(`statement ${s.Sid ?? "(no Sid)"} allows anyone without a source or account condition${scopeProblems(s, own)}`);
    for (const f of foreignScopedStatements(doc.statements, own)) report(`statement ${f.statement.Sid ?? "(no Sid)"} is scoped to another account (${f.problem})`);
  },
});

export const snsTlsOnly = stackRule({
  name: "sns-tls-only",
  description: "Every topic has a topic policy that denies publishing without TLS (aws:SecureTransport false) (cdk-nag AwsSolutions-SNS3).",
  validate(stack, _config, report) {
    for (const topic of stack.ofType(TOPIC)) {
      const mine = stack.referencing(TOPIC_POLICY, "arn", topic, [whenKnown(() => topic.props.arn as unknown, undefined)]);
      requireTlsDeny(topic, "topic", mine.map((p) => () => p.props.policy as unknown), report);
    }
  },
});

export const snsPolicies = [snsEncryption, snsTopicPolicyNotPublic, snsTlsOnly];
