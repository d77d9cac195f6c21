import { join } from "node:path";
import { Worker } from "node:worker_threads";

/**
 * Calls `require(module)[name](...args)` in a worker thread (the project's TypeScript loaded as in
 * the main thread, tools/register.js) and resolves with what it returns. The plan runs its CPU-heavy
 * section, the deploy-role check, this way beside the pack's analysis: on the main thread it would
 * hold up the gRPC traffic to the pack (HTTP/2 sends only as far as the pack's flow-control window
 * until the main thread reads the pack's window updates), so the pack would wait for it.
 *
 * Arguments and result cross by structured clone (plain data keeps its key order, `undefined`
 * included). When the arguments cannot be cloned, the call runs in this thread instead: the
 * result is the same, only not in parallel.
 */
export interface WorkerCall<T> {
  /** Settles with the function's value or error (never unhandled: callers await it when they need it). */
  result: Promise<T>;
  /** Stops the worker if it is still running. */
  stop(): Promise<void>;
}

const REGISTER = join(__dirname, "..", "register.js");

export function callInWorker<T>(module: string, name: string, args: unknown[]): WorkerCall<T> {
  const source = `
    require(${JSON.stringify(REGISTER)});
    const { parentPort, workerData } = require("node:worker_threads");
    Promise.resolve()
      .then(() => require(workerData.module)[workerData.name](...workerData.args))
      .then(
        (value) => parentPort.postMessage({ value }),
        (error) => parentPort.postMessage({ error: error instanceof Error ? { message: error.message, stack: error.stack, name: error.name } : { message: String(error) } }),
      );`;
  let worker: Worker;
  try {
    worker = new Worker(source, { eval: true, workerData: { module, name, args } });
  } catch (error) {
    if ((error as Error).name !== "DataCloneError") throw error;
    const local = Promise.resolve().then(() => (require(module) as Record<string, (...a: unknown[]) => T | Promise<T>>)[name](...args));
    local.catch(() => undefined);
    return { result: local, stop: async () => undefined };
  }
  const result = new Promise<T>((resolve, reject) => {
    worker.once("message", (message: { value?: T; error?: { message: string; stack?: string; name?: string } }) => {
      if (message.error) {
        const error = new Error(message.error.message);
        if (message.error.stack) error.stack = message.error.stack;
        if (message.error.name) error.name = message.error.name;
        reject(error);
      } else resolve(message.value as T);
    });
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`worker for ${name} exited (code ${code}) before it answered`)));
  });
  result.catch(() => undefined);
  return {
    result,
    stop: async () => {
      await worker.terminate();
    },
  };
}
