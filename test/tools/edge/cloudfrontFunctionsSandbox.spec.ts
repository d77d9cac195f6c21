import assert from "node:assert/strict";
import {
  CloudFrontFunctionRuntimeError,
  loadCloudFrontFunction,
  viewerRequestEvent,
  viewerResponseEvent,
} from "../../../tools/edge/cloudfrontFunctionsSandbox";

const isCode = (code: CloudFrontFunctionRuntimeError["code"]) => (e: unknown) => e instanceof CloudFrontFunctionRuntimeError && e.code === code;

describe("CloudFront Functions sandbox (mimics the cloudfront-js-2.0 runtime for tests and the bench)", () => {
  it("has no require, module, process, Buffer, fetch or timers in the global scope", () => {
    const fn = loadCloudFrontFunction(
      "function handler(event) { event.request.headers['x-globals'] = { value: [typeof require, typeof module, typeof process, typeof Buffer, typeof fetch, typeof setTimeout, typeof setInterval, typeof WebAssembly].join(',') }; return event.request; }",
    );
    const out = fn.invoke(viewerRequestEvent({ uri: "/" })) as { headers: Record<string, { value: string }> };
    assert.equal(out.headers["x-globals"].value, Array(8).fill("undefined").join(","));
  });

  it("refuses eval and new Function as the runtime does", () => {
    assert.throws(() => loadCloudFrontFunction("function handler(e) { return eval('e.request'); }").invoke(viewerRequestEvent({ uri: "/" })), isCode("EXECUTION_ERROR"));
    assert.throws(() => loadCloudFrontFunction("function handler(e) { return new Function('return 1')(); }").invoke(viewerRequestEvent({ uri: "/" })), isCode("EXECUTION_ERROR"));
  });

  it("fails a source that calls require at load time", () => {
    assert.throws(() => loadCloudFrontFunction("var crypto = require('crypto'); function handler(e) { return e.request; }"), isCode("COMPILE_ERROR"));
  });

  it("fails a source without a global handler function", () => {
    assert.throws(() => loadCloudFrontFunction("function main(e) { return e.request; }"), isCode("NO_HANDLER"));
  });

  it("stops a handler that runs past its time budget", () => {
    assert.throws(() => loadCloudFrontFunction("function handler(e) { for (;;) {} }", { timeoutMs: 20 }).invoke(viewerRequestEvent({ uri: "/" })), isCode("TIMEOUT"));
  });

  it("rejects a viewer-response handler that returns the request instead of the response", () => {
    assert.throws(() => loadCloudFrontFunction("function handler(e) { return e.request; }").invoke(viewerResponseEvent({ uri: "/" })), isCode("BAD_RESULT"));
  });

  it("rejects upper-case header keys and non-string values, which CloudFront refuses", () => {
    assert.throws(
      () => loadCloudFrontFunction("function handler(e) { e.response.headers['X-Bad'] = { value: 'x' }; return e.response; }").invoke(viewerResponseEvent({ uri: "/" })),
      isCode("BAD_RESULT"),
    );
    assert.throws(
      () => loadCloudFrontFunction("function handler(e) { e.response.headers['x-bad'] = { value: 1 }; return e.response; }").invoke(viewerResponseEvent({ uri: "/" })),
      isCode("BAD_RESULT"),
    );
  });

  it("gives the handler CloudFront's event shape", () => {
    const fn = loadCloudFrontFunction(
      "function handler(e) { e.response.headers['x-shape'] = { value: [e.version, e.context.eventType, e.viewer.ip, e.request.method, e.request.uri, e.request.headers.host.value, String(e.response.statusCode)].join('|') }; return e.response; }",
    );
    const out = fn.invoke(viewerResponseEvent({ uri: "/x", statusCode: 404 })) as { headers: Record<string, { value: string }> };
    assert.equal(out.headers["x-shape"].value, "1.0|viewer-response|198.51.100.11|GET|/x|www.example.com|404");
  });

  it("keeps console.log lines, as CloudFront sends them to CloudWatch Logs", () => {
    const logs: string[] = [];
    loadCloudFrontFunction("function handler(e) { console.log('seen', e.request.uri); return e.request; }", { logs }).invoke(viewerRequestEvent({ uri: "/p" }));
    assert.deepEqual(logs, ["seen /p"]);
  });
});
