import { createPrivateKey, generatePrimeSync } from "node:crypto";

/**
 * A PEM RSA private key of 256 bits: Node reads it as an RSA key (no key generator makes one so
 * small), but signing a SHA-1 or SHA-256 digest with it fails ("digest too big for rsa key"). Lets
 * a test reach the signers' failure path with a key that passes their checks.
 */
export function undersizedRsaKeyPem(): string {
  const e = 65537n;
  const p = generatePrimeSync(128, { bigint: true });
  let q = generatePrimeSync(128, { bigint: true });
  while (q === p) q = generatePrimeSync(128, { bigint: true });
  const mod = (a: bigint, m: bigint) => ((a % m) + m) % m;
  const inverse = (a: bigint, m: bigint) => {
    let [r0, r1, s0, s1] = [a, m, 1n, 0n];
    while (r1 !== 0n) {
      const t = r0 / r1;
      [r0, r1, s0, s1] = [r1, r0 - t * r1, s1, s0 - t * s1];
    }
    return mod(s0, m);
  };
  const d = inverse(e, (p - 1n) * (q - 1n));
  const b64 = (x: bigint) => {
    const hex = x.toString(16);
    return Buffer.from(hex.length % 2 ? `0${hex}` : hex, "hex").toString("base64url");
  };
  const jwk = { kty: "RSA", n: b64(p * q), e: b64(e), d: b64(d), p: b64(p), q: b64(q), dp: b64(d % (p - 1n)), dq: b64(d % (q - 1n)), qi: b64(inverse(q, p)) };
  return createPrivateKey({ key: jwk, format: "jwk" }).export({ type: "pkcs8", format: "pem" }).toString();
}
