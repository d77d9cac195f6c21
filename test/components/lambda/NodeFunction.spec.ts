import assert from "node:assert/strict";
import { join } from "node:path";
import { NodeFunction, NodeFunctionArgs } from "../../../components/lambda/NodeFunction";
import { declare, named, ofType, oneOf } from "../../support/harness";
import type { MockRunResult } from "../../../tools/mocks/runtime";

const ENTRY = join(__dirname, "..", "..", "fixtures", "functions", "echo.ts");

function build(args: Partial<NodeFunctionArgs> = {}): Promise<MockRunResult> {
  return declare(() => new NodeFunction("fn", { entry: ENTRY, ...args }));
}

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Principal?: unknown;
  Condition?: unknown;
}

function statementsOf(result: MockRunResult): Statement[] {
  const policy = oneOf(result, "aws:iam/rolePolicy:RolePolicy");
  return (JSON.parse(policy.inputs.policy as string) as { Statement: Statement[] }).Statement;
}

const list = (v: string | string[]) => ([] as string[]).concat(v);

describe("NodeFunction (mpto:functions:NodeFunction)", () => {
  let result: MockRunResult;
  before(async () => {
    result = await build();
  });

  it("runs on the latest supported Node.js runtime (nodejs24.x) on arm64", () => {
    const fn = oneOf(result, "aws:lambda/function:Function");
    assert.equal(fn.inputs.runtime, "nodejs24.x");
    assert.deepEqual(fn.inputs.architectures, ["arm64"]);
    assert.equal(fn.inputs.handler, "index.handler");
  });

  it("names every child after the component and parents it to the component", () => {
    const component = oneOf(result, "mpto:functions:NodeFunction");
    const children = result.resources.filter((r) => r !== component);
    assert.ok(children.length >= 5);
    for (const child of children) {
      assert.ok(child.name.startsWith("fn-"), `${child.name} is named after the component`);
      assert.equal(child.parent, component.urn, `${child.name} is a child of the component`);
    }
  });

  it("writes JSON logs to its own log group, which has a retention and exists before the function", () => {
    const logGroup = oneOf(result, "aws:cloudwatch/logGroup:LogGroup");
    assert.equal(logGroup.inputs.retentionInDays, 30);
    const fn = oneOf(result, "aws:lambda/function:Function");
    const logging = fn.inputs.loggingConfig as Record<string, unknown>;
    assert.equal(logging.logFormat, "JSON");
    assert.equal(logging.logGroup, logGroup.outputs.name);
    assert.ok(fn.options.dependsOn?.includes(logGroup.urn), "the function depends on its log group");
  });

  it("takes the log retention from its arguments", async () => {
    const r = await build({ logRetentionDays: 90 });
    assert.equal(oneOf(r, "aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays, 90);
  });

  it("has a role only Lambda can assume, with no managed policies", () => {
    const role = oneOf(result, "aws:iam/role:Role");
    const trust = JSON.parse(role.inputs.assumeRolePolicy as string) as { Statement: Statement[] };
    assert.deepEqual(trust.Statement.map((s) => s.Principal), [{ Service: "lambda.amazonaws.com" }]);
    assert.equal(role.inputs.managedPolicyArns, undefined);
    assert.equal(ofType(result, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").length, 0);
  });

  it("grants no wildcard action and scopes logging to its own log group's streams", () => {
    const statements = statementsOf(result);
    for (const s of statements) for (const action of list(s.Action)) assert.ok(!action.includes("*"), `action ${action} has no wildcard`);
    const logs = statements.find((s) => list(s.Action).includes("logs:PutLogEvents"))!;
    const logGroup = oneOf(result, "aws:cloudwatch/logGroup:LogGroup");
    assert.deepEqual(list(logs.Resource), [`${logGroup.outputs.arn}:log-stream:*`]);
    assert.ok(!statements.some((s) => list(s.Action).includes("logs:CreateLogGroup")), "no CreateLogGroup: the group is managed here");
  });

  it("uses Resource \"*\" only for X-Ray, which has no resource type", () => {
    for (const s of statementsOf(result)) {
      if (list(s.Resource).includes("*")) assert.deepEqual(list(s.Action).sort(), ["xray:PutTelemetryRecords", "xray:PutTraceSegments"]);
    }
    assert.deepEqual((oneOf(result, "aws:lambda/function:Function").inputs.tracingConfig as { mode: string }).mode, "Active");
  });

  it("drops the X-Ray grant when tracing is PassThrough", async () => {
    const r = await build({ tracing: "PassThrough" });
    assert.ok(!statementsOf(r).some((s) => list(s.Action).some((a) => a.startsWith("xray:"))));
    assert.equal((oneOf(r, "aws:lambda/function:Function").inputs.tracingConfig as { mode: string }).mode, "PassThrough");
  });

  it("adds the caller's statements to the role policy", async () => {
    const r = await build({
      statements: [{ Sid: "Publish", Effect: "Allow", Action: "sns:Publish", Resource: "arn:aws:sns:eu-west-2:123456789012:topic" }],
    });
    const publish = statementsOf(r).find((s) => s.Sid === "Publish");
    assert.deepEqual(publish, { Sid: "Publish", Effect: "Allow", Action: "sns:Publish", Resource: "arn:aws:sns:eu-west-2:123456789012:topic" });
  });

  it("refuses wildcard actions and a \"*\" resource for actions that have a resource type", () => {
    assert.throws(
      () => new NodeFunction("bad", { entry: ENTRY, statements: [{ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::b/*" }] }),
      /wildcard action 's3:\*'/,
    );
    assert.throws(
      () => new NodeFunction("bad2", { entry: ENTRY, statements: [{ Effect: "Allow", Action: "dynamodb:GetItem", Resource: "*" }] }),
      /Resource "\*" is only allowed/,
    );
    assert.throws(() => new NodeFunction("bad3", { entry: ENTRY, statements: [{ Effect: "Allow", Action: [], Resource: "arn:aws:s3:::b" }] }), /grants no action/);
  });

  it("sends failed asynchronous invocations to an SSE-encrypted dead-letter queue it may write to", () => {
    const queue = oneOf(result, "aws:sqs/queue:Queue");
    assert.equal(queue.inputs.sqsManagedSseEnabled, true);
    assert.equal(queue.inputs.messageRetentionSeconds, 1_209_600);
    const fn = oneOf(result, "aws:lambda/function:Function");
    assert.deepEqual(fn.inputs.deadLetterConfig, { targetArn: queue.outputs.arn });
    const send = statementsOf(result).find((s) => list(s.Action).includes("sqs:SendMessage"))!;
    assert.deepEqual(list(send.Resource), [queue.outputs.arn]);
    const policy = oneOf(result, "aws:sqs/queuePolicy:QueuePolicy");
    const deny = (JSON.parse(policy.inputs.policy as string) as { Statement: Statement[] }).Statement[0];
    assert.equal(deny.Effect, "Deny");
    assert.deepEqual(deny.Condition, { Bool: { "aws:SecureTransport": "false" } });
    assert.ok(fn.options.dependsOn?.includes(named(result, "fn-policy").urn), "created after the policy that lets it use the DLQ");
  });

  it("can go without a dead-letter queue", async () => {
    const r = await build({ deadLetterQueue: false });
    assert.equal(ofType(r, "aws:sqs/queue:Queue").length, 0);
    assert.equal(oneOf(r, "aws:lambda/function:Function").inputs.deadLetterConfig, undefined);
    assert.ok(!statementsOf(r).some((s) => list(s.Action).includes("sqs:SendMessage")));
  });

  it("passes reserved concurrency, memory, timeout and environment through", async () => {
    const r = await build({ reservedConcurrency: 5, memorySize: 512, timeout: 30, environment: { STAGE: "dev" } });
    const fn = oneOf(r, "aws:lambda/function:Function");
    assert.equal(fn.inputs.reservedConcurrentExecutions, 5);
    assert.equal(fn.inputs.memorySize, 512);
    assert.equal(fn.inputs.timeout, 30);
    assert.deepEqual(fn.inputs.environment, { variables: { STAGE: "dev" } });
  });

  it("uses the named export as the handler and rejects names that are not identifiers", async () => {
    const r = await build({ handlerExport: "other" });
    assert.equal(oneOf(r, "aws:lambda/function:Function").inputs.handler, "index.other");
    assert.throws(() => new NodeFunction("bad4", { entry: ENTRY, handlerExport: "a.b" }), /not a JavaScript identifier/);
  });

  it("creates no alarms without a topic, and error and dead-letter alarms with one", async () => {
    assert.equal(ofType(result, "aws:cloudwatch/metricAlarm:MetricAlarm").length, 0);
    const topic = "arn:aws:sns:eu-west-2:123456789012:alerts";
    const r = await build({ alarmTopicArn: topic });
    const alarms = ofType(r, "aws:cloudwatch/metricAlarm:MetricAlarm");
    assert.deepEqual(alarms.map((a) => a.inputs.metricName).sort(), ["ApproximateNumberOfMessagesVisible", "Errors"]);
    for (const alarm of alarms) assert.deepEqual(alarm.inputs.alarmActions, [topic]);
  });

  it("bundles the handler into a small single-file archive", async () => {
    let component: NodeFunction | undefined;
    await declare(() => (component = new NodeFunction("size", { entry: ENTRY })));
    assert.ok(component!.bundleBytes > 0 && component!.bundleBytes < 10_000, `bundle is ${component!.bundleBytes} bytes`);
  });
});
