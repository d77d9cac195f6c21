import assert from "node:assert/strict";
import { AlertTopic } from "../../../components/monitoring/AlertTopic";
import { EDGE_REGION, PRIMARY_REGION } from "../../../components/shared/regions";
import { MOCK_ACCOUNT_ID } from "../../../tools/mocks/state";
import { declare, named, ofType } from "../../support/harness";
import type { MockRunResult, RecordedResource } from "../../../tools/mocks/runtime";

function policyOf(r: RecordedResource): { Statement: any[] } {
  return JSON.parse(r.inputs.policy as string);
}

describe("AlertTopic (mpto:monitoring:AlertTopic)", () => {
  let run: MockRunResult;
  before(async () => {
    run = await declare(() => new AlertTopic("alerts", { alertEmail: "ops@example.com" }));
  });

  it("creates a topic in the stack's region and a twin in us-east-1, each with its own customer-managed key", () => {
    const topics = ofType(run, "aws:sns/topic:Topic");
    assert.deepEqual(topics.map((t) => t.region).sort(), [PRIMARY_REGION, EDGE_REGION].sort());
    const keys = ofType(run, "aws:kms/key:Key");
    assert.equal(keys.length, 2);
    for (const topic of topics) {
      const key = keys.find((k) => k.outputs.arn === topic.inputs.kmsMasterKeyId);
      assert.ok(key, `topic ${topic.name} is encrypted with one of the component's keys`);
      assert.equal(key.region, topic.region, "a topic's key lives in the topic's region (KMS keys are regional)");
      assert.notEqual(topic.inputs.kmsMasterKeyId, "alias/aws/sns", "the AWS-managed key cannot be used by CloudWatch alarms or Budgets");
      assert.equal(key.inputs.enableKeyRotation, true);
    }
  });

  it("lets CloudWatch, Budgets, SES and EventBridge use the primary key only through SNS of this account", () => {
    const key = named(run, "alerts-key");
    const grant = policyOf(key).Statement.find((s) => s.Sid === "AllowAlertPublishersToUseTheKeyThroughSns");
    assert.deepEqual([...grant.Principal.Service].sort(), ["budgets.amazonaws.com", "cloudwatch.amazonaws.com", "events.amazonaws.com", "ses.amazonaws.com"]);
    assert.deepEqual(grant.Action, ["kms:GenerateDataKey*", "kms:Decrypt"]);
    assert.equal(grant.Condition.StringLike["kms:EncryptionContext:aws:sns:topicArn"], `arn:aws:sns:${PRIMARY_REGION}:${MOCK_ACCOUNT_ID}:*`);
    const edgeGrant = policyOf(named(run, "alerts-edge-key")).Statement.find((s) => s.Sid === "AllowAlertPublishersToUseTheKeyThroughSns");
    assert.deepEqual(edgeGrant.Principal.Service, ["cloudwatch.amazonaws.com", "events.amazonaws.com"]);
    assert.equal(edgeGrant.Condition.StringLike["kms:EncryptionContext:aws:sns:topicArn"], `arn:aws:sns:${EDGE_REGION}:${MOCK_ACCOUNT_ID}:*`);
  });

  it("has topic policies with no public Allow, each publisher limited to this account's resources, and TLS required", () => {
    for (const policyResource of ofType(run, "aws:sns/topicPolicy:TopicPolicy")) {
      const statements = policyOf(policyResource).Statement;
      const topic = ofType(run, "aws:sns/topic:Topic").find((t) => t.outputs.arn === policyResource.inputs.arn)!;
      assert.equal(policyResource.region, topic.region);
      for (const s of statements.filter((x) => x.Effect === "Allow")) {
        assert.notEqual(s.Principal, "*");
        assert.equal(typeof s.Principal.Service, "string");
        assert.equal(s.Resource, topic.outputs.arn);
        assert.equal(s.Condition.StringEquals["aws:SourceAccount"], MOCK_ACCOUNT_ID);
        assert.match(s.Condition.ArnLike["aws:SourceArn"], new RegExp(`^arn:aws:[a-z]+:(${topic.region})?:${MOCK_ACCOUNT_ID}:`));
      }
      const deny = statements.find((s) => s.Sid === "DenyInsecureTransport");
      assert.deepEqual(deny.Condition, { Bool: { "aws:SecureTransport": "false" } });
    }
    const primaryAllows = policyOf(named(run, "alerts-topic-policy")).Statement.filter((s) => s.Effect === "Allow").map((s) => s.Principal.Service);
    assert.deepEqual(primaryAllows.sort(), ["budgets.amazonaws.com", "cloudwatch.amazonaws.com", "events.amazonaws.com", "ses.amazonaws.com"]);
    const edgeAllows = policyOf(named(run, "alerts-edge-topic-policy")).Statement.filter((s) => s.Effect === "Allow");
    assert.deepEqual(
      edgeAllows.map((s) => s.Condition.ArnLike["aws:SourceArn"]),
      [`arn:aws:cloudwatch:${EDGE_REGION}:${MOCK_ACCOUNT_ID}:alarm:*`, `arn:aws:events:${EDGE_REGION}:${MOCK_ACCOUNT_ID}:rule/*`],
    );
  });

  it("subscribes the alert address to both topics by email, in each topic's region", () => {
    const subs = ofType(run, "aws:sns/topicSubscription:TopicSubscription");
    assert.equal(subs.length, 2);
    for (const s of subs) {
      assert.equal(s.inputs.protocol, "email");
      assert.equal(s.inputs.endpoint, "ops@example.com");
      const topic = ofType(run, "aws:sns/topic:Topic").find((t) => t.outputs.arn === s.inputs.topic)!;
      assert.equal(s.region, topic.region);
    }
  });

  it("names children after the component and parents them to it", () => {
    const component = run.resources.find((r) => r.type === "mpto:monitoring:AlertTopic")!;
    const children = run.resources.filter((r) => r.custom);
    assert.ok(children.length >= 10);
    for (const child of children) {
      assert.equal(child.parent, component.urn, child.name);
      assert.match(child.name, /^alerts-/);
    }
  });

  it("without the edge twin, edgeTopicArn falls back to the primary topic", async () => {
    const single = await declare(() => {
      const t = new AlertTopic("solo", { alertEmail: "ops@example.com", edgeTopic: false });
      return { topicArn: t.topicArn, edgeTopicArn: t.edgeTopicArn };
    });
    assert.equal(ofType(single, "aws:sns/topic:Topic").length, 1);
    const topicArn = ofType(single, "aws:sns/topic:Topic")[0].outputs.arn;
    assert.match(String(topicArn), new RegExp(`^arn:aws:sns:${PRIMARY_REGION}:`));
  });
});
