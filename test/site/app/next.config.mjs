// The fixture app of `npm run test:site`. The test copies this folder to .tmp/site-app-*/ (same depth, three folders
// below the repository root, so relative imports of the project's own code resolve the same) and
// builds it there; nothing is built inside test/.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** @type {import('next').NextConfig} */
export default {
  // The repository root: the app imports functions/edge and functions/media from it.
  turbopack: { root: join(here, "..", "..", "..") },
  outputFileTracingRoot: join(here, "..", "..", ".."),
  // As on Vercel: the edge's response headers policy removes it anyway (functions/edge/headers.ts).
  poweredByHeader: true,
  typescript: { ignoreBuildErrors: false },
};
