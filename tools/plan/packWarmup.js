"use strict";
/**
 * Preloaded (`node -r`) only into the one-off start of the policy pack that fills Node's compile
 * cache (tools/plan/analyzer.ts, warmPackCompileCache): as soon as the pack prints its port (the
 * runner's first line on stdout), the process exits normally, which is when Node writes the cache.
 * Never part of a session's own start.
 */
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  const written = write(chunk, ...rest);
  if (/^\d+\s*$/.test(String(chunk))) process.nextTick(() => process.exit(0));
  return written;
};
