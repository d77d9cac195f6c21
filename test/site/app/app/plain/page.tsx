import { Counter } from "../counter";

/**
 * A page the nonce middleware skips (proxy.ts matcher): it gets only the CDN's site headers, the
 * case of an app that sends no CSP of its own.
 */
export default function Plain() {
  return (
    <>
      <h1 id="plain-title">No app CSP</h1>
      <Counter />
    </>
  );
}
