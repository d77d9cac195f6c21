import { createPublicKey, verify } from "node:crypto";

/**
 * CloudFront's check of signed URLs and signed cookies on a behaviour with trusted key groups,
 * written from the CloudFront Developer Guide (independently of @aws-sdk/cloudfront-signer, which the
 * app uses to sign, so a signer bug cannot hide behind a matching verifier bug):
 *
 * - "Use signed URLs" / "Create a signed URL using a canned policy" / "... using a custom policy":
 *   https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-signed-urls.html
 *   A canned URL carries `Expires`, `Signature`, `Key-Pair-Id`; CloudFront rebuilds the policy
 *   `{"Statement":[{"Resource":"<url>","Condition":{"DateLessThan":{"AWS:EpochTime":<Expires>}}}]}`
 *   from the URL without those parameters. A custom URL carries `Policy` (base64), `Signature`,
 *   `Key-Pair-Id`; the policy's `Resource` may use `*` and `?`, and may add `DateGreaterThan` and
 *   `IpAddress` (`AWS:SourceIp`, one CIDR). Base64 in URLs and cookies uses `-` for `+`, `_` for
 *   `=` and `~` for `/`. The signature is RSA over the policy bytes with SHA-1, or SHA-256 when
 *   `Hash-Algorithm=SHA256` is present.
 * - "Use signed cookies": https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-signed-cookies.html
 *   cookies `CloudFront-Expires` (canned) or `CloudFront-Policy` (custom), `CloudFront-Signature`,
 *   `CloudFront-Key-Pair-Id` (and `CloudFront-Hash-Algorithm`); when a request has both a signed
 *   URL and signed cookies, CloudFront uses the URL.
 * - The key pair id must name a public key in one of the behaviour's trusted key groups.
 *
 * CloudFront answers 403 when a check fails; the reason here is for test output only.
 */

export type SignedCheck = { ok: true; via: "url" | "cookies"; keyPairId: string } | { ok: false; reason: string };

const SIGNING_PARAMS = new Set(["Expires", "Policy", "Signature", "Key-Pair-Id", "Hash-Algorithm"]);

/** CloudFront's URL-safe base64 back to bytes. */
export function cloudFrontBase64Decode(text: string): Buffer {
  return Buffer.from(text.replace(/-/g, "+").replace(/_/g, "=").replace(/~/g, "/"), "base64");
}

interface PolicyStatement {
  Resource?: string;
  Condition?: { DateLessThan?: { "AWS:EpochTime"?: number }; DateGreaterThan?: { "AWS:EpochTime"?: number }; IpAddress?: { "AWS:SourceIp"?: string } };
}

/** `*` any run of characters (also `/`), `?` one character; the rest literal. */
function resourceMatches(pattern: string, url: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
  return regex.test(url);
}

function ipv4InCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split("/");
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  const toInt = (a: string) => a.split(".").reduce((n, part) => (n << 8) + Number(part), 0) >>> 0;
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip) || !/^\d+\.\d+\.\d+\.\d+$/.test(base)) return false;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (toInt(ip) & mask) === (toInt(base) & mask);
}

export interface SignedRequest {
  /** `https://<Host><path>` plus the query string as the viewer sent it. */
  url: string;
  cookies: Record<string, string>;
  viewerIp: string;
  now: Date;
}

/** Checks a viewer request against the trusted public keys (id -> PEM). */
export function checkSignedRequest(request: SignedRequest, trustedKeys: Record<string, string>): SignedCheck {
  const parsed = new URL(request.url);
  const q = parsed.searchParams;
  const fromUrl = q.has("Signature") || q.has("Key-Pair-Id") || q.has("Expires") || q.has("Policy");
  const c = request.cookies;
  const fromCookies = !fromUrl && ("CloudFront-Signature" in c || "CloudFront-Key-Pair-Id" in c);
  if (!fromUrl && !fromCookies) return { ok: false, reason: "no signed URL parameters and no signed cookies" };

  const get = (name: string) => (fromUrl ? q.get(name) ?? undefined : c[`CloudFront-${name}`]);
  const keyPairId = get("Key-Pair-Id");
  const signature = get("Signature");
  const expires = get("Expires");
  const policyB64 = get("Policy");
  const hash = get("Hash-Algorithm") ?? "SHA1";
  if (!keyPairId || !signature) return { ok: false, reason: "Key-Pair-Id or Signature missing" };
  if (!(keyPairId in trustedKeys)) return { ok: false, reason: `key pair ${keyPairId} is not in a trusted key group of this behaviour` };
  if (hash !== "SHA1" && hash !== "SHA256") return { ok: false, reason: `unknown Hash-Algorithm ${hash}` };
  if (!expires === !policyB64) return { ok: false, reason: "exactly one of Expires (canned) and Policy (custom) is required" };

  // The resource a canned policy covers: the URL without the signing parameters.
  const base = new URL(parsed.href);
  for (const name of [...base.searchParams.keys()]) if (SIGNING_PARAMS.has(name)) base.searchParams.delete(name);
  const resource = `${base.origin}${base.pathname}${base.search}`;

  let policyText: string;
  if (expires) {
    if (!/^\d+$/.test(expires)) return { ok: false, reason: "Expires is not a Unix time" };
    policyText = `{"Statement":[{"Resource":"${resource}","Condition":{"DateLessThan":{"AWS:EpochTime":${expires}}}}]}`;
  } else {
    policyText = cloudFrontBase64Decode(policyB64!).toString("utf8");
  }

  const ok = verify(hash === "SHA256" ? "RSA-SHA256" : "RSA-SHA1", Buffer.from(policyText, "utf8"), createPublicKey(trustedKeys[keyPairId]), cloudFrontBase64Decode(signature));
  if (!ok) return { ok: false, reason: "the signature does not match the policy" };

  let statements: PolicyStatement[];
  try {
    statements = (JSON.parse(policyText) as { Statement: PolicyStatement[] }).Statement;
  } catch {
    return { ok: false, reason: "the policy is not JSON" };
  }
  if (!Array.isArray(statements) || statements.length !== 1) return { ok: false, reason: "the policy must have exactly one statement" };
  const s = statements[0];
  const nowSeconds = Math.floor(request.now.getTime() / 1000);
  const lessThan = s.Condition?.DateLessThan?.["AWS:EpochTime"];
  if (typeof lessThan !== "number") return { ok: false, reason: "DateLessThan is required" };
  if (nowSeconds >= lessThan) return { ok: false, reason: "expired" };
  const greaterThan = s.Condition?.DateGreaterThan?.["AWS:EpochTime"];
  if (typeof greaterThan === "number" && nowSeconds <= greaterThan) return { ok: false, reason: "not valid yet" };
  const sourceIp = s.Condition?.IpAddress?.["AWS:SourceIp"];
  if (sourceIp && !ipv4InCidr(request.viewerIp, sourceIp)) return { ok: false, reason: "viewer IP outside AWS:SourceIp" };
  // Canned: the resource is exactly the URL it was rebuilt from. Custom: match the pattern (a missing Resource covers every URL).
  if (!expires && s.Resource !== undefined && !resourceMatches(s.Resource, resource)) return { ok: false, reason: `the policy's resource ${s.Resource} does not cover ${resource}` };
  return { ok: true, via: fromUrl ? "url" : "cookies", keyPairId };
}
