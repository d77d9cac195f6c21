import Link from "next/link";
import { headers } from "next/headers";
import type { ReactNode } from "react";

export const metadata = { title: "MPTO site fixture" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Reading the request makes every page render per request, which nonces need.
  const nonce = (await headers()).get("x-nonce") ?? "";
  return (
    <html lang="en">
      <body data-nonce-present={nonce ? "yes" : "no"}>
        <nav>
          <Link href="/" id="nav-home">Home</Link> <Link href="/about" id="nav-about">About</Link> <Link href="/account" id="nav-account">Account</Link>{" "}
          <Link href="/lesson" id="nav-lesson">Lesson</Link>
        </nav>
        <main>{children}</main>
      </body>
    </html>
  );
}
