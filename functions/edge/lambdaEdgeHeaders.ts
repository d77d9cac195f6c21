import type { CloudFrontHeaders, CloudFrontResponseEvent, CloudFrontResultResponse } from "aws-lambda";
import { renderHeaderSet, robotsTagFor, SecurityHeaderSet, SITE_HEADERS } from "./headers";

/**
 * Lambda@Edge viewer-response handler (the opt-in `mpto:lambdaEdgeHeaders` path).
 *
 * Gives exactly the headers the default path gives (site Response Headers Policy plus the
 * CloudFront Function's `X-Robots-Tag`), from the same definitions in `./headers`. Lambda@Edge
 * has no environment variables, so everything it needs is bundled.
 *
 * Never fails the viewer's request: if applying headers throws, the origin's response goes out
 * unchanged and the error is logged (CloudWatch, region of the edge that ran it).
 */

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
export class EdgeEventError extends Error {
  override readonly name = "EdgeEventError";
  readonly code = "NOT_A_RESPONSE_EVENT";
}

export async function handler(event: CloudFrontResponseEvent): Promise<CloudFrontResultResponse> {
  const cf = event?.Records?.[0]?.cf;
  if (!cf?.response) {
    // Nothing to return that CloudFront could use; a response event always carries a response.
    throw new EdgeEventError("event has no Records[0].cf.response");
  }
  const response = cf.response as CloudFrontResultResponse;
  try {
    response.headers = applyHeaderSet(response.headers ?? {}, SITE_HEADERS, cf.request?.uri ?? "/");
  } catch (error) {
    console.error(JSON.stringify({ message: "security headers not applied", error: error instanceof Error ? error.message : String(error) }));
  }
  return response;
}
