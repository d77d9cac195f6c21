import assert from "node:assert/strict";
import { join } from "node:path";
import { EDGE_LIMITS, EDGE_NODE_RUNTIME, EdgeFunction, EdgeFunctionArgs, EdgeFunctionLimitError } from "../../../components/edge/EdgeFunction";
import { EDGE_REGION, PRIMARY_REGION } from "../../../components/shared/regions";
import { MockRunResult, ProgramError } from "../../../tools/mocks/runtime";
import { declare, ofType, oneOf, ROOT } from "../../support/harness";

const ENTRY = join(ROOT, "functions", "edge", "lambdaEdgeHeaders.ts");

async function declareFn(args: Partial<EdgeFunctionArgs> = {}): Promise<{ result: MockRunResult; fn: EdgeFunction }> {
  let fn: EdgeFunction | undefined;
  const result = await declare(() => {
    fn = new EdgeFunction("headers", { entry: ENTRY, ...args });
  });
  return { result, fn: fn! };
}

const value = <T>(o: { apply(f: (v: T) => void): unknown }) => new Promise<T>((resolve) => o.apply(resolve));
/** The program failed with this limit error before any resource of the component was declared. */
const isLimit = (code: EdgeFunctionLimitError["code"]) => (e: unknown) =>
  e instanceof ProgramError && e.reason instanceof EdgeFunctionLimitError && e.reason.code === code && e.declared.every((r) => !r.type.startsWith("aws:") && !r.type.startsWith("mpto:"));

describe("EdgeFunction component (mpto:edge:EdgeFunction, Lambda@Edge)", () => {
  let result: MockRunResult;
  let edge: EdgeFunction;
  before(async () => {
    ({ result, fn: edge } = await declareFn());
  });

  it("creates the function in us-east-1, published, x86_64, Node.js, within viewer-trigger limits (128 MB, 5 s)", () => {
    const fn = oneOf(result, "aws:lambda/function:Function");
    assert.equal(fn.region, EDGE_REGION);
    assert.equal(fn.inputs.publish, true);
    assert.deepEqual(fn.inputs.architectures, ["x86_64"]);
    assert.equal(fn.inputs.runtime, EDGE_NODE_RUNTIME);
    assert.equal(fn.inputs.memorySize, 128);
    assert.equal(fn.inputs.timeout, 5);
    assert.equal(fn.inputs.handler, "index.handler");
  });

  it("sets nothing Lambda@Edge rejects: no environment, layers, VPC, tracing or dead-letter queue", () => {
    const fn = oneOf(result, "aws:lambda/function:Function");
    for (const key of ["environment", "layers", "vpcConfig", "tracingConfig", "deadLetterConfig", "reservedConcurrentExecutions"]) assert.equal(fn.inputs[key], undefined, key);
  });

  it("exposes the numbered version ARN (qualifiedArn), never $LATEST", async () => {
    const fn = oneOf(result, "aws:lambda/function:Function");
    const arn = await value<string>(edge.qualifiedArn);
    assert.equal(arn, fn.outputs.qualifiedArn);
    assert.match(arn, /:\d+$/);
  });

  it("runs as a role both lambda.amazonaws.com and edgelambda.amazonaws.com may assume", () => {
    const role = oneOf(result, "aws:iam/role:Role");
    const trust = JSON.parse(role.inputs.assumeRolePolicy as string);
    assert.deepEqual(trust.Statement, [{ Effect: "Allow", Principal: { Service: ["lambda.amazonaws.com", "edgelambda.amazonaws.com"] }, Action: "sts:AssumeRole" }]);
    assert.equal(oneOf(result, "aws:lambda/function:Function").inputs.role, role.outputs.arn);
  });

  it("lets the role write only its own /aws/lambda/us-east-1.<name> logs, in any region, with no wildcard action", () => {
    const fnName = oneOf(result, "aws:lambda/function:Function").outputs.name as string;
    const policy = JSON.parse(oneOf(result, "aws:iam/rolePolicy:RolePolicy").inputs.policy as string);
    for (const s of policy.Statement) {
      for (const a of [].concat(s.Action)) assert.doesNotMatch(a, /\*/);
      assert.match(s.Resource, new RegExp(`^arn:aws:logs:\\*:\\d{12}:log-group:/aws/lambda/us-east-1\\.${fnName}(:log-stream:\\*)?$`));
    }
  });

  it("pre-creates the replicas' log groups with retention in us-east-1 and the UK region", () => {
    const fnName = oneOf(result, "aws:lambda/function:Function").outputs.name as string;
    const groups = ofType(result, "aws:cloudwatch/logGroup:LogGroup");
    assert.deepEqual(groups.map((g) => g.region).sort(), [PRIMARY_REGION, EDGE_REGION].sort());
    for (const g of groups) {
      assert.equal(g.inputs.name, `/aws/lambda/us-east-1.${fnName}`);
      assert.equal(g.inputs.retentionInDays, 30);
    }
  });

  it("is retained on delete by default (replicas block deletion for hours) and can opt out", async () => {
    assert.equal(oneOf(result, "aws:lambda/function:Function").options.retainOnDelete, true);
    const { result: other } = await declareFn({ retainOnDelete: false });
    assert.equal(oneOf(other, "aws:lambda/function:Function").options.retainOnDelete, undefined);
  });

  it("bundles the handler well under the 1 MB viewer package limit", () => {
    assert.ok(edge.bundleBytes > 0 && edge.bundleBytes < EDGE_LIMITS.viewer.maxPackageBytes, `${edge.bundleBytes}`);
    assert.equal(Buffer.byteLength(edge.code), edge.bundleBytes);
  });

  it("refuses viewer-trigger settings over the quotas, before declaring anything", async () => {
    await assert.rejects(declareFn({ memorySize: 256 }), isLimit("MEMORY"));
    await assert.rejects(declareFn({ timeout: 6 }), isLimit("TIMEOUT"));
  });

  it("allows origin-trigger settings up to the origin quotas (30 s)", async () => {
    const { result: origin } = await declareFn({ eventType: "origin-response", memorySize: 512, timeout: 30 });
    assert.equal(oneOf(origin, "aws:lambda/function:Function").inputs.timeout, 30);
    await assert.rejects(declareFn({ eventType: "origin-request", timeout: 31 }), isLimit("TIMEOUT"));
  });
});
