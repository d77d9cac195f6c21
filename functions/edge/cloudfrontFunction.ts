import { readFileSync } from "node:fs";
import { join } from "node:path";
import { HOSTNAME } from "../shared/hostname";
import { CodedError } from "../shared/codedError";
import { ROBOTS_RULES, RobotsRule } from "./headers";

/** CloudFront Functions' code size limit (bytes). */
export const CLOUDFRONT_FUNCTION_MAX_BYTES = 10 * 1024;

/** The runtime the source is written for. */
export const CLOUDFRONT_FUNCTION_RUNTIME = "cloudfront-js-2.0";

/** Media path prefixes: `/` then lower-case letters, digits and dashes (never `/_next`, `/.well-known`). */
export const MEDIA_PATH_PREFIX = /^\/[a-z0-9][a-z0-9-]{0,30}$/;

export interface CloudFrontFunctionOptions {
  /** Path prefix of the media behaviour, e.g. `/media`. */
  mediaPathPrefix: string;
  /** Host names served (the distribution's aliases); any other Host gets a 403 on viewer request. Required. */
  hosts: string[];
  /** Admin-path rules. Default {@link ROBOTS_RULES}. */
  robotsRules?: RobotsRule[];
}

/** Thrown when the options would produce a function CloudFront rejects or that misroutes. */
export class CloudFrontFunctionSourceError extends CodedError<"INVALID_MEDIA_PREFIX" | "INVALID_HOSTS" | "TOO_LARGE"> {
  override readonly name = "CloudFrontFunctionSourceError";
}

let template: string | undefined;
/** The hand-written part of the source, read once. */
function functionTemplate(): string {
  template ??= readFileSync(join(__dirname, "cloudfront-function.js"), "utf8");
  return template;
}

/**
 * The exact source deployed as the CloudFront Function: a `CONFIG` line then the template.
 * Deterministic (same options, same bytes). Tests and the bench run this very string.
 */
export function cloudFrontFunctionSource(options: CloudFrontFunctionOptions): string {
  if (!MEDIA_PATH_PREFIX.test(options.mediaPathPrefix)) {
    throw new CloudFrontFunctionSourceError("INVALID_MEDIA_PREFIX", `media path prefix ${JSON.stringify(options.mediaPathPrefix)} must match ${MEDIA_PATH_PREFIX}`);
  }
  const badHosts = options.hosts.filter((h) => !HOSTNAME.test(h));
  if (options.hosts.length === 0 || badHosts.length) {
    throw new CloudFrontFunctionSourceError("INVALID_HOSTS", `served hosts must be lower-case DNS names, at least one; not: ${JSON.stringify(badHosts)}`);
  }
  const config = { mediaPathPrefix: options.mediaPathPrefix, hosts: options.hosts, robotsRules: options.robotsRules ?? ROBOTS_RULES };
  const source = `var CONFIG = ${JSON.stringify(config)};\n\n${functionTemplate()}`;
  const bytes = Buffer.byteLength(source);
  if (bytes > CLOUDFRONT_FUNCTION_MAX_BYTES) {
    throw new CloudFrontFunctionSourceError("TOO_LARGE", `CloudFront Function source is ${bytes} bytes; the limit is ${CLOUDFRONT_FUNCTION_MAX_BYTES}`);
  }
  return source;
}
