import { SESClient } from "@aws-sdk/client-ses";
import { join } from "node:path";
import { EmulatorProcess, startEmulator } from "./emulatorProcess";

/**
 * aws-ses-v2-local (SES emulator, in memory) on 127.0.0.1 with a port chosen by the OS
 * (shared/reference/emulators.md §3.1). It accepts SES v1 SendEmail/SendRawEmail and keeps what it
 * receives; `GET /store` reads it back. It does not keep the configuration set or message tags,
 * checks no sender verification and hangs on v1 actions it does not know (hence the timeouts).
 * Stop it with `stop()` (by PID).
 */
export function startSesLocal(): Promise<EmulatorProcess> {
  const cli = join(require.resolve("aws-ses-v2-local/package.json"), "..", "dist", "cli.js");
  return startEmulator({
    name: "aws-ses-v2-local",
    args: [cli, "--host", "127.0.0.1", "--port", "0"],
    ready: /server running at https?:\/\/[^\s]*:(\d+)/,
  });
}

/** An SES client for the emulator: dummy credentials, request timeouts, no retries. */
export function sesLocalClient(endpoint: string): SESClient {
  return new SESClient({
    endpoint,
    region: "eu-west-2",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
    requestHandler: { requestTimeout: 5000, connectionTimeout: 2000, throwOnRequestTimeout: true },
  });
}

/** One message as the emulator stored it. */
export interface StoredEmail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
}

/** Every message the emulator has received since the last clear. */
export async function sentEmails(endpoint: string): Promise<StoredEmail[]> {
  const response = await fetch(`${endpoint}/store`, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`GET /store answered ${response.status}`);
  return ((await response.json()) as { emails: StoredEmail[] }).emails;
}

/** Empties the emulator's store (call in beforeEach). */
export async function clearSesStore(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/clear-store`, { method: "POST", signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`POST /clear-store answered ${response.status}`);
}
