import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { join } from "node:path";
import { emulatorClientConfig, EmulatorProcess, inTempDir, onFreePort, startEmulator } from "./emulatorProcess";

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
export function startCognitoLocal(): Promise<CognitoLocal> {
  const start = join(require.resolve("cognito-local/package.json"), "..", "lib", "bin", "start.js");
  return onFreePort((port) =>
    inTempDir("cognito-local-", (dataDir) =>
      startEmulator({
        name: "cognito-local",
        args: [start],
        cwd: dataDir,
        env: { HOST: "127.0.0.1", PORT: String(port), CODE: "123456", NO_COLOR: "1", FORCE_COLOR: "0" },
        ready: /Cognito Local running on http:\/\/127\.0\.0\.1:(\d+)/,
      }),
    ),
  );
}

/** A Cognito client for the emulator: dummy credentials, request timeouts, no retries. */
export function cognitoLocalClient(endpoint: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient(emulatorClientConfig(endpoint));
}
