import { cookies } from "next/headers";

/** A personalised page behind the session cookie. */
export default async function Account() {
  const user = (await cookies()).get("session")?.value;
  return <h1 id="account-title">{user ? `Signed in as ${user}` : "Signed out"}</h1>;
}
