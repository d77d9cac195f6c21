/** The CSP reporting endpoint the site policy names (functions/edge/headers.ts DEFAULT_SITE_POLICY.reportUri). */
export async function POST(request: Request) {
  const body = await request.text();
  console.log(`csp-report ${body.slice(0, 2000)}`);
  return new Response(null, { status: 204 });
}
