import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EmulatorProcess, freePort, startEmulator } from "./emulatorProcess";

/** cognito-local plus the temporary directory that holds its state (`.cognito/db`). */
export interface CognitoLocal extends EmulatorProcess {
  readonly dataDir: string;
}

/**
 * cognito-local (Cognito user pools emulator) on 127.0.0.1, run in a fresh temporary directory
 * because it keeps its state on disk under its working directory. It has no USER_SRP_AUTH, no
 * GlobalSignOut and no Session-based AssociateSoftwareToken (shared/reference/emulators.md §3.2).
 * Its token issuer is `http://127.0.0.1:<port>/<poolId>`, so it must know its port in advance.
 * `stop()` stops it by PID and deletes the directory.
 */
export async function startCognitoLocal(): Promise<CognitoLocal> {
  const start = join(require.resolve("cognito-local/package.json"), "..", "lib", "bin", "start.js");
  for (let attempt = 1; ; attempt++) {
    const dataDir = mkdtempSync(join(tmpdir(), "cognito-local-"));
    const port = await freePort();
    try {
      const emulator = await startEmulator({
        name: "cognito-local",
        args: [start],
        cwd: dataDir,
        env: { HOST: "127.0.0.1", PORT: String(port), CODE: "123456", NO_COLOR: "1", FORCE_COLOR: "0" },
        ready: /Cognito Local running on http:\/\/127\.0\.0\.1:(\d+)/,
      });
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
      if (attempt === 3 || !String(error).includes("EADDRINUSE")) throw error;
    }
  }
}

/** A Cognito client for the emulator: dummy credentials, request timeouts, no retries. */
export function cognitoLocalClient(endpoint: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint,
    region: "eu-west-2",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
    requestHandler: { requestTimeout: 5000, connectionTimeout: 2000, throwOnRequestTimeout: true },
  });
}
