import assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { ProgramError, runUnderMocks } from "../../tools/mocks/runtime";

/** Stack traces are off only while a program runs under mocks (tools/mocks/runtime.ts). */
describe("mock runs: the SDK's stack traces are off during a run and restored after it", () => {
  const options = { project: "mpto", stack: "test" };

  it("a run sees no stack traces; the process's own settings come back afterwards", async () => {
    const before = { limit: Error.stackTraceLimit, prepare: Error.prepareStackTrace };
    let during: { limit: number; stack?: string } | undefined;
    const run = await runUnderMocks(() => {
      new aws.sns.Topic("t");
      during = { limit: Error.stackTraceLimit, stack: new Error("inside").stack };
    }, options);
    assert.deepEqual(during, { limit: 0, stack: "Error: inside" });
    assert.equal(run.resources.filter((r) => r.type === "aws:sns/topic:Topic").length, 1);
    assert.equal(Error.stackTraceLimit, before.limit);
    assert.equal(Error.prepareStackTrace, before.prepare);
    assert.match(new Error("outside").stack ?? "", /^Error: outside\n\s+at /);
  });

  it("a program that throws: the error keeps its message, the ProgramError its frames, and the settings are restored", async () => {
    const before = Error.stackTraceLimit;
    const failed = await runUnderMocks(() => {
      throw new TypeError("boom");
    }, options).then(
      () => assert.fail("the run should have failed"),
      (error: unknown) => error,
    );
    assert.ok(failed instanceof ProgramError);
    assert.equal(failed.message, "boom");
    assert.equal((failed.reason as Error).stack, "TypeError: boom");
    assert.match(failed.stack ?? "", /^ProgramError: boom\n\s+at /);
    assert.equal(Error.stackTraceLimit, before);
  });

  it("MPTO_STACK_TRACES=on keeps them (to find where a component throws)", async () => {
    const saved = process.env.MPTO_STACK_TRACES;
    process.env.MPTO_STACK_TRACES = "on";
    try {
      let stack: string | undefined;
      await runUnderMocks(() => {
        stack = new Error("inside").stack;
      }, options);
      assert.match(stack ?? "", /^Error: inside\n\s+at /);
    } finally {
      if (saved === undefined) delete process.env.MPTO_STACK_TRACES;
      else process.env.MPTO_STACK_TRACES = saved;
    }
  });
});
