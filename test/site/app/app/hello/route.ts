import { cookies } from "next/headers";

/**
 * A personalised answer that a careless app marks shared-cacheable (`s-maxage`): the edge's page
 * cache policy keys on cookies, so it must still never reach another cookie jar.
 */
export async function GET() {
  const user = (await cookies()).get("session")?.value ?? "nobody";
  return new Response(`<!doctype html><html lang="en"><head><title>Hello</title></head><body><p id="hello">Hello ${user.replace(/[^a-z0-9]/gi, "")}</p></body></html>`, {
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "public, max-age=0, s-maxage=300" },
  });
}
