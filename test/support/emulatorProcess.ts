import { ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A local emulator running as a child process on 127.0.0.1. */
export interface EmulatorProcess {
  readonly pid: number;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** Stops the process by its PID and waits for it to exit. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Shown in errors. */
  name: string;
  /** Arguments to `node` (script first). */
  args: string[];
  cwd?: string;
  env?: Record<string, string>;
  /** Matches the line the emulator prints once it listens; group 1, when present, is the port. */
  ready: RegExp;
  /** Port to report when `ready` has no group (the caller chose it). */
  port?: number;
  /** ms to wait for `ready`. Default EMULATOR_START_MS from the environment, else 15000. */
  timeoutMs?: number;
}

/**
 * How long an emulator may take to start. 15 s suits `npm test`; a mutation run sets more
 * (stryker.config.mjs): under `nice -n 15` on a loaded 2-core machine the emulators (children of
 * the niced runner) took longer and failed Stryker's dry run.
 */
function startTimeoutMs(options: StartOptions): number {
  return options.timeoutMs ?? (Number(process.env.EMULATOR_START_MS) || 15000);
}

/** A port that was free a moment ago (for emulators that must know their port before they start). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts an emulator that must know its port in advance, retrying on another port if one is taken in between. */
export async function onFreePort<T>(start: (port: number) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await freePort());
    } catch (error) {
      if (attempt >= attempts || !String(error).includes("EADDRINUSE")) throw error;
    }
  }
}

/** Runs `start` in a fresh temporary directory that is removed when the emulator stops or fails to start. */
export async function inTempDir<T extends EmulatorProcess>(prefix: string, start: (dir: string) => Promise<T>): Promise<T & { dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  try {
    const emulator = await start(dataDir);
    return {
      ...emulator,
      dataDir,
      stop: async () => {
        await emulator.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** SDK client settings for an emulator: eu-west-2, dummy credentials, request timeouts, one attempt. */
export function emulatorClientConfig(endpoint: string) {
  return {
    endpoint,
    region: "eu-west-2",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
    requestHandler: { requestTimeout: 5000, connectionTimeout: 2000, throwOnRequestTimeout: true },
  };
}

/** Starts `node <args>` and resolves once its output matches `ready`. */
export function startEmulator(options: StartOptions): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, options.args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let output = "";
    const timeoutMs = startTimeoutMs(options);
    const timer = setTimeout(() => fail(new Error(`${options.name} did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const match = options.ready.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.stderr?.off("data", onData);
      // Keep draining the pipes so a chatty emulator never blocks on a full pipe.
      child.stdout?.resume();
      child.stderr?.resume();
      const port = match[1] ? Number(match[1]) : options.port!;
      resolve({ pid: child.pid!, port, endpoint: `http://127.0.0.1:${port}`, stop: () => stop(child) });
    };
    const fail = (error: Error) => {
      clearTimeout(timer);
      void stop(child).then(() => reject(error));
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => fail(new Error(`${options.name} exited with code ${code} before it was ready:\n${output}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.pid && process.kill(child.pid, "SIGKILL"), 3000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    process.kill(child.pid!, "SIGTERM");
  });
}
