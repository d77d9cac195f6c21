import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import { EmulatorProcess, startEmulator } from "./emulatorProcess";

/** s3rver accepts only this access key id; it never checks the secret (no SigV4 verification). */
export const S3RVER_ACCESS_KEY_ID = "S3RVER";
export const S3RVER_SECRET = "S3RVER";

export interface S3rver extends EmulatorProcess {
  /** The emulator's data directory (removed by stop()). */
  readonly directory: string;
}

/**
 * Starts s3rver 3.7.1 as a child process on 127.0.0.1 with a free port and a fresh data directory.
 * Stop it with `stop()` (by PID), which also removes the directory.
 */
export async function startS3rver(): Promise<S3rver> {
  const directory = mkdtempSync(join(tmpdir(), "mpto-s3rver-"));
  try {
    const emulator = await startEmulator({
      name: "s3rver",
      // Resolved as Node resolves it, not below ROOT: a worktree or a Stryker sandbox has node_modules only as a link or in a parent folder.
      args: [require.resolve("s3rver/bin/s3rver.js"), "-d", directory, "-a", "127.0.0.1", "-p", "0", "-s"],
      ready: /S3rver listening on 127\.0\.0\.1:(\d+)/,
    });
    return {
      ...emulator,
      directory,
      stop: async () => {
        await emulator.stop();
        rmSync(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
}

/**
 * An S3 client for s3rver: path-style, its access key id, and checksums only when an operation
 * requires them (s3rver stores aws-chunked framing verbatim otherwise). Short timeouts, one attempt.
 */
export function s3rverClient(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: "eu-west-2",
    forcePathStyle: true,
    credentials: { accessKeyId: S3RVER_ACCESS_KEY_ID, secretAccessKey: S3RVER_SECRET },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    requestHandler: { requestTimeout: 5000, connectionTimeout: 2000, throwOnRequestTimeout: true },
    maxAttempts: 1,
  });
}
