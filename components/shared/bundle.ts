import * as pulumi from "@pulumi/pulumi";
import { buildSync } from "esbuild";

/**
 * Bundles a Lambda handler with esbuild into a one-file archive, at plan/deploy time.
 *
 * Deterministic by construction (no timestamps, no absolute paths in the output, sorted archive),
 * so the same source always gives the same archive hash and Pulumi sees no spurious diff.
 * The AWS SDK v3 is bundled too rather than taken from the Lambda runtime: the runtime's copy
 * changes under us, and bundling lets esbuild tree-shake to the few clients a handler uses.
 */
export interface BundleOptions {
  /** Absolute path of the handler's entry file (TypeScript or JavaScript). */
  entry: string;
  /** Node.js target. Default `node20`. */
  target?: string;
  /** Minify the output. Default true (smaller archive, faster cold start). */
  minify?: boolean;
  /** Module names to leave out of the bundle. Default none. */
  external?: string[];
  /** Identifiers replaced by JSON values at build time (esbuild `define`): plan-time data for functions without environment variables. Default none. */
  define?: Record<string, string>;
}

export interface Bundle {
  /** The bundled JavaScript (CommonJS), exported handler functions unchanged. */
  code: string;
  /** Size of `code` in bytes. */
  bytes: number;
  /** The archive for `aws.lambda.Function.code`, with the code at `index.js`. */
  archive: pulumi.asset.AssetArchive;
}

const cache = new Map<string, Bundle>();

export function bundleHandler(options: BundleOptions): Bundle {
  const key = JSON.stringify(options);
  const cached = cache.get(key);
  if (cached) return cached;
  const result = buildSync({
    entryPoints: [options.entry],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: options.target ?? "node20",
    minify: options.minify ?? true,
    sourcemap: false,
    legalComments: "none",
    external: options.external ?? [],
    define: options.define ?? {},
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0].text;
  const bundle: Bundle = {
    code,
    bytes: Buffer.byteLength(code),
    archive: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(code) }),
  };
  cache.set(key, bundle);
  return bundle;
}
