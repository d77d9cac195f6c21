import * as vm from "node:vm";

/**
 * A sandbox that mimics the CloudFront Functions runtime closely enough to run the exact deployed
 * source (`cloudfront-js-2.0`) in tests and in the bench:
 *
 * - the code is a classic script defining a global `handler(event)`;
 * - the global scope has the ECMAScript built-ins and `console` only: no `require`, `module`,
 *   `process`, `Buffer`, `fetch`, timers, `WebAssembly`; `eval` and `new Function` are refused;
 * - the event has CloudFront's shape (`version`, `context.eventType`, `viewer.ip`, `request`,
 *   `response`, headers keyed by lower-case name with `{ value }`), built inside the sandbox's realm;
 * - each invocation runs under a wall-clock limit, standing in for CloudFront's compute budget.
 *
 * Not modelled: the runtime's exact ES feature subset, the `cloudfront` KeyValueStore module,
 * the compute-utilisation metric (CloudFront's own, not wall time), the 2 MB memory limit.
 */

export interface CfValue {
  value: string;
  multiValue?: { value: string }[];
}
export type CfMap = Record<string, CfValue>;

export interface CfRequest {
  method: string;
  uri: string;
  querystring: CfMap;
  headers: CfMap;
  cookies: CfMap;
}

export interface CfResponse {
  statusCode: number;
  statusDescription?: string;
  headers: CfMap;
  cookies: CfMap;
  body?: { data: string; encoding: "text" | "base64" };
}

export interface CfEvent {
  version: "1.0";
  context: { distributionDomainName: string; distributionId: string; eventType: "viewer-request" | "viewer-response"; requestId: string };
  viewer: { ip: string };
  request: CfRequest;
  response?: CfResponse;
}

/** Thrown when the source misbehaves the way CloudFront would reject or fail it. */
export class CloudFrontFunctionRuntimeError extends Error {
  override readonly name = "CloudFrontFunctionRuntimeError";
  constructor(
    readonly code: "NO_HANDLER" | "COMPILE_ERROR" | "EXECUTION_ERROR" | "TIMEOUT" | "BAD_RESULT",
    message: string,
  ) {
    super(message);
  }
}

/** Node's host globals that CloudFront Functions does not have. Shadowed with `undefined`. */
const ABSENT_GLOBALS = [
  "require",
  "module",
  "exports",
  "process",
  "Buffer",
  "global",
  "fetch",
  "setTimeout",
  "setInterval",
  "setImmediate",
  "clearTimeout",
  "clearInterval",
  "queueMicrotask",
  "WebAssembly",
  "SharedArrayBuffer",
  "Atomics",
];

export interface SandboxOptions {
  /**
   * Wall-clock limit per invocation in ms; 0 = none (the watchdog costs ~50 µs per call: the bench
   * turns it off). Default 250: a guard against runaway loops, far above CloudFront's own budget
   * (about 1 ms of compute), so a busy test machine does not fail a correct function.
   */
  timeoutMs?: number;
  /** Lines written with console.log (CloudFront writes them to CloudWatch Logs). */
  logs?: string[];
}

export interface LoadedFunction {
  /** Runs the handler on a copy of `event` (built inside the sandbox) and returns a plain copy of the result. */
  invoke(event: CfEvent): CfRequest | CfResponse;
  /** Invokes without copying the result out: for timing the handler itself. */
  invokeRaw(event: CfEvent): unknown;
}

/** Compiles `source` as CloudFront would and returns an invoker. */
export function loadCloudFrontFunction(source: string, options: SandboxOptions = {}): LoadedFunction {
  const logs = options.logs;
  const timeout = options.timeoutMs ?? 250;
  const sandbox: Record<string, unknown> = {
    console: Object.freeze({ log: (...args: unknown[]) => logs?.push(args.map(String).join(" ")) }),
  };
  for (const name of ABSENT_GLOBALS) sandbox[name] = undefined;
  const context = vm.createContext(sandbox, { codeGeneration: { strings: false, wasm: false }, name: "cloudfront-functions" });

  try {
    new vm.Script(source, { filename: "cloudfront-function.js" }).runInContext(context, { timeout: Math.max(timeout, 2000) }); // loading: top-level code only
  } catch (error) {
    throw new CloudFrontFunctionRuntimeError("COMPILE_ERROR", `the function does not load: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (vm.runInContext("typeof handler", context) !== "function") {
    throw new CloudFrontFunctionRuntimeError("NO_HANDLER", "the source defines no global function named handler");
  }

  // The event crosses into the sandbox's realm as JSON, like CloudFront's own marshalling.
  const call = new vm.Script("handler(JSON.parse(__eventJson))", { filename: "invoke.js" });
  const invokeRaw = (event: CfEvent): unknown => {
    context.__eventJson = JSON.stringify(event);
    try {
      return timeout > 0 ? call.runInContext(context, { timeout }) : call.runInContext(context);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (/timed out/i.test(message)) throw new CloudFrontFunctionRuntimeError("TIMEOUT", `the handler ran longer than ${timeout} ms`);
      throw new CloudFrontFunctionRuntimeError("EXECUTION_ERROR", `the handler threw: ${message}`);
    }
  };

  return {
    invokeRaw,
    invoke(event) {
      const result = invokeRaw(event);
      if (result === null || typeof result !== "object" || typeof (result as { then?: unknown }).then === "function") {
        throw new CloudFrontFunctionRuntimeError("BAD_RESULT", "the handler must return a request or response object synchronously");
      }
      const copy = JSON.parse(JSON.stringify(result)) as CfRequest | CfResponse;
      checkResult(event, copy);
      return copy;
    },
  };
}

/** What CloudFront accepts back: the request (or a response) for viewer-request; the response for viewer-response. */
function checkResult(event: CfEvent, result: CfRequest | CfResponse): void {
  const isResponse = typeof (result as CfResponse).statusCode === "number";
  if (event.context.eventType === "viewer-response" && !isResponse) {
    throw new CloudFrontFunctionRuntimeError("BAD_RESULT", "a viewer-response function must return the response");
  }
  if (!isResponse && (typeof (result as CfRequest).uri !== "string" || !(result as CfRequest).uri.startsWith("/"))) {
    throw new CloudFrontFunctionRuntimeError("BAD_RESULT", "a returned request needs a uri that starts with '/'");
  }
  for (const [name, header] of Object.entries(result.headers ?? {})) {
    if (name !== name.toLowerCase()) throw new CloudFrontFunctionRuntimeError("BAD_RESULT", `header key ${name} is not lower case`);
    if (typeof header?.value !== "string") throw new CloudFrontFunctionRuntimeError("BAD_RESULT", `header ${name} has no string value`);
  }
}

/** Headers in CloudFront Functions form from a plain name → value map. */
export function cfHeaders(headers: Record<string, string>): CfMap {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), { value: v }]));
}

export interface EventInit {
  uri: string;
  method?: string;
  host?: string;
  ip?: string;
  requestHeaders?: Record<string, string>;
  querystring?: Record<string, string>;
}

function baseEvent(eventType: CfEvent["context"]["eventType"], init: EventInit): CfEvent {
  return {
    version: "1.0",
    context: { distributionDomainName: "d111111abcdef8.cloudfront.net", distributionId: "EDFDVBD6EXAMPLE", eventType, requestId: "4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==" },
    viewer: { ip: init.ip ?? "198.51.100.11" },
    request: {
      method: init.method ?? "GET",
      uri: init.uri,
      querystring: Object.fromEntries(Object.entries(init.querystring ?? {}).map(([k, v]) => [k, { value: v }])),
      headers: cfHeaders({ host: init.host ?? "www.example.com", accept: "text/html", ...(init.requestHeaders ?? {}) }),
      cookies: {},
    },
  };
}

export function viewerRequestEvent(init: EventInit): CfEvent {
  return baseEvent("viewer-request", init);
}

export function viewerResponseEvent(init: EventInit & { statusCode?: number; responseHeaders?: Record<string, string> }): CfEvent {
  return {
    ...baseEvent("viewer-response", init),
    response: { statusCode: init.statusCode ?? 200, statusDescription: "OK", headers: cfHeaders(init.responseHeaders ?? { "content-type": "text/html" }), cookies: {} },
  };
}
