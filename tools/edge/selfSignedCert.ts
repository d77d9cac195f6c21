import { createHash, generateKeyPairSync, KeyObject, randomBytes, sign, X509Certificate } from "node:crypto";

/**
 * A throw-away certificate authority and a server certificate for 127.0.0.1, generated in memory
 * with node:crypto (ECDSA P-256, SHA-256) and a minimal DER encoder: no openssl binary, no package.
 * Used to serve HTTPS on loopback to a scanner that verifies certificates (the scanner's process
 * trusts the CA through NODE_EXTRA_CA_CERTS).
 */

// --- DER ---
function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, content: Buffer) => Buffer.concat([Buffer.from([tag]), length(content.length), content]);
const sequence = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const explicit = (n: number, inner: Buffer) => tlv(0xa0 + n, inner);
const octetString = (content: Buffer) => tlv(0x04, content);
const bitString = (content: Buffer, unusedBits = 0) => tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), content]));
const boolean = (value: boolean) => tlv(0x01, Buffer.from([value ? 0xff : 0x00]));
const utf8 = (text: string) => tlv(0x0c, Buffer.from(text, "utf8"));

function integer(value: Buffer): Buffer {
  let v = value;
  while (v.length > 1 && v[0] === 0 && !(v[1] & 0x80)) v = v.subarray(1);
  if (v[0] & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
  return tlv(0x02, v);
}

function oid(dotted: string): Buffer {
  const parts = dotted.split(".").map(Number);
  const bytes = [40 * parts[0] + parts[1]];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [];
    let v = part;
    do {
      chunk.unshift((v & 0x7f) | (chunk.length ? 0x80 : 0));
      v = Math.floor(v / 128);
    } while (v > 0);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function utcTime(date: Date): Buffer {
  const p = (n: number) => String(n).padStart(2, "0");
  const text = `${p(date.getUTCFullYear() % 100)}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}Z`;
  return tlv(0x17, Buffer.from(text, "ascii"));
}

const OID = {
  commonName: "2.5.4.3",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  extKeyUsage: "2.5.29.37",
  subjectAltName: "2.5.29.17",
  subjectKeyIdentifier: "2.5.29.14",
  authorityKeyIdentifier: "2.5.29.35",
  serverAuth: "1.3.6.1.5.5.7.3.1",
};

/** An X.501 name of one common name; "" gives the empty name (a certificate named by its SANs only). */
const name = (cn: string) => (cn ? sequence(set(sequence(oid(OID.commonName), utf8(cn)))) : sequence());
const extension = (id: string, critical: boolean, value: Buffer) => sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));

function keyIdentifier(publicKey: KeyObject): Buffer {
  return createHash("sha1").update(publicKey.export({ type: "spki", format: "der" })).digest();
}

interface CertSpec {
  subject: string;
  issuer: string;
  publicKey: KeyObject;
  signingKey: KeyObject;
  issuerPublicKey: KeyObject;
  extensions: Buffer[];
  validForMs: number;
  /** Validity window, when not "from an hour ago for validForMs". */
  notBefore?: Date;
  notAfter?: Date;
}

function certificate(spec: CertSpec): string {
  const algorithm = sequence(oid(OID.ecdsaWithSha256));
  const notBefore = spec.notBefore ?? new Date(Date.now() - 60 * 60 * 1000);
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))), // v3
    integer(randomBytes(16)),
    algorithm,
    name(spec.issuer),
    sequence(utcTime(notBefore), utcTime(spec.notAfter ?? new Date(Date.now() + spec.validForMs))),
    name(spec.subject),
    spec.publicKey.export({ type: "spki", format: "der" }),
    explicit(
      3,
      sequence(
        ...spec.extensions,
        extension(OID.subjectKeyIdentifier, false, octetString(keyIdentifier(spec.publicKey))),
        extension(OID.authorityKeyIdentifier, false, sequence(tlv(0x80, keyIdentifier(spec.issuerPublicKey)))),
      ),
    ),
  );
  const signature = sign("sha256", tbs, { key: spec.signingKey, dsaEncoding: "der" });
  const der = sequence(tbs, algorithm, bitString(signature));
  return `-----BEGIN CERTIFICATE-----\n${der.toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n?$/, "\n")}-----END CERTIFICATE-----\n`;
}

export interface LoopbackCertificates {
  /** PEM of the CA certificate: what the client must trust. */
  caCert: string;
  /** PEM server certificate for 127.0.0.1 and localhost, signed by the CA. */
  cert: string;
  /** PEM (PKCS#8) private key of the server certificate. */
  key: string;
}

/**
 * A fresh CA and a server certificate for 127.0.0.1/localhost, valid for one day, or for the given
 * window (an expired or soon-expiring server certificate, for the uptime canary's tests). The server
 * certificate's subject is CN=127.0.0.1 unless `commonName` says otherwise ("" for none).
 */
export function loopbackCertificates(options: { notBefore?: Date; notAfter?: Date; commonName?: string } = {}): LoopbackCertificates {
  const ca = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const server = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const day = 24 * 60 * 60 * 1000;

  const caCert = certificate({
    subject: "mpto test CA",
    issuer: "mpto test CA",
    publicKey: ca.publicKey,
    signingKey: ca.privateKey,
    issuerPublicKey: ca.publicKey,
    validForMs: day,
    extensions: [
      extension(OID.basicConstraints, true, sequence(boolean(true))),
      extension(OID.keyUsage, true, bitString(Buffer.from([0x06]), 1)), // keyCertSign, cRLSign
    ],
  });
  const cert = certificate({
    subject: options.commonName ?? "127.0.0.1",
    issuer: "mpto test CA",
    publicKey: server.publicKey,
    signingKey: ca.privateKey,
    issuerPublicKey: ca.publicKey,
    validForMs: day,
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    extensions: [
      extension(OID.basicConstraints, true, sequence()),
      extension(OID.keyUsage, true, bitString(Buffer.from([0x80]), 7)), // digitalSignature
      extension(OID.extKeyUsage, false, sequence(oid(OID.serverAuth))),
      extension(OID.subjectAltName, false, sequence(tlv(0x87, Buffer.from([127, 0, 0, 1])), tlv(0x82, Buffer.from("localhost", "ascii")))),
    ],
  });

  // Self-check with Node's own X.509 parser before anyone relies on it.
  const parsedCa = new X509Certificate(caCert);
  const parsed = new X509Certificate(cert);
  if (!parsedCa.ca || !parsed.verify(ca.publicKey) || parsed.checkIP("127.0.0.1") !== "127.0.0.1") {
    throw new Error("generated loopback certificate does not verify");
  }
  return { caCert, cert, key: server.privateKey.export({ type: "pkcs8", format: "pem" }) as string };
}
