import { NextResponse, type NextRequest } from "next/server";
import { DEFAULT_SITE_POLICY } from "../../../functions/edge/headers";
import { nonceCsp } from "../../../functions/edge/nonceCsp";

// The project's nonce CSP helper, adopted as docs/edge.md tells an app to: a fresh nonce per
// request, the strict policy on the request (Next.js reads the nonce from it) and on the response.
export function proxy(request: NextRequest) {
  const csp = nonceCsp(DEFAULT_SITE_POLICY);
  const requestHeaders = new Headers(request.headers);
  csp.applyToRequest(requestHeaders);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  csp.applyToResponse(response.headers);
  return response;
}

export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico|api/|plain).*)", missing: [{ type: "header", key: "next-router-prefetch" }] }],
};
