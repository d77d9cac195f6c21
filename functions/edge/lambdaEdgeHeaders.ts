import type { CloudFrontHeaders, CloudFrontResponseEvent, CloudFrontResultResponse } from "aws-lambda";
import { renderHeaderSet, robotsTagFor, SecurityHeaderSet, SITE_HEADERS } from "./headers";
import { CodedError } from "../shared/codedError";

/**
 * Lambda@Edge origin-response handler (the opt-in `mpto:lambdaEdgeHeaders` path).
 *
 * Sets the site's security headers on what Vercel returns (errors included: origin-response
 * functions run for every origin status), from the same definitions in `./headers`. The
 * distribution keeps the site's response headers policy in this mode as well, so both agree.
 * Lambda@Edge has no environment variables: the Cdn compiles its header set into the bundle
 * (esbuild `define` of {@link SITE_HEADERS_DEFINE}); unbundled, the default set applies.
 *
 * Never fails the viewer's request: if applying headers throws, the origin's response goes out
 * unchanged and the error is logged (CloudWatch, region of the edge that ran it).
 */

/** The identifier the Cdn's bundle replaces with its site header set (JSON). */
export const SITE_HEADERS_DEFINE = "MPTO_SITE_HEADERS";
declare const MPTO_SITE_HEADERS: SecurityHeaderSet | undefined;

/** The header set compiled into this bundle, else the default one. */
function compiledSiteHeaders(): SecurityHeaderSet {
  return typeof MPTO_SITE_HEADERS === "undefined" ? SITE_HEADERS : MPTO_SITE_HEADERS;
}

/** Sets the headers of `set` on an L@E header map (lower-case keys), honouring `override`. */
export function applyHeaderSet(headers: CloudFrontHeaders, set: SecurityHeaderSet, uri: string): CloudFrontHeaders {
  for (const name of set.remove) delete headers[name.toLowerCase()];
  for (const header of renderHeaderSet(set)) {
    const key = header.name.toLowerCase();
    if (header.override || !headers[key] || headers[key].length === 0) headers[key] = [{ key: header.name, value: header.value }];
  }
  const robots = robotsTagFor(uri);
  if (robots !== undefined) headers["x-robots-tag"] = [{ key: "X-Robots-Tag", value: robots }];
  return headers;
}

/** Thrown (and logged, never returned to viewers) when the event is not a viewer/origin response. */
export class EdgeEventError extends CodedError<"NOT_A_RESPONSE_EVENT"> {
  override readonly name = "EdgeEventError";
  constructor(message: string) {
    super("NOT_A_RESPONSE_EVENT", message);
  }
}

export async function handler(event: CloudFrontResponseEvent): Promise<CloudFrontResultResponse> {
  const cf = event?.Records?.[0]?.cf;
  if (!cf?.response) {
    // Nothing to return that CloudFront could use; a response event always carries a response.
    throw new EdgeEventError("event has no Records[0].cf.response");
  }
  const response = cf.response as CloudFrontResultResponse;
  try {
    // Stryker disable next-line StringLiteral: equivalent; a response without its request has no path, and no robots rule (all under /admin) matches "/" or "".
    response.headers = applyHeaderSet(response.headers ?? {}, compiledSiteHeaders(), cf.request?.uri ?? "/");
  } catch (error) {
    console.error(JSON.stringify({ message: "security headers not applied", error: error instanceof Error ? error.message : String(error) }));
  }
  return response;
}
