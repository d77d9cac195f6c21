import { createPublicKey } from "node:crypto";
import { z } from "zod";
import { MEDIA_PATH_PREFIX } from "../../functions/edge/cloudfrontFunction";
import { ConfigField, fields } from "./field";

/** ISO 3166-1 alpha-2 country codes, upper case. */
const COUNTRY_CODE = z.string().regex(/^[A-Z]{2}$/);

/**
 * CloudFront key groups take RSA 2048 public keys for signed URLs (the documented requirement, and
 * what functions/media's signer accepts). Anything else is refused here rather than by the
 * CloudFront API at deploy time.
 */
export function signingKeyProblem(pem: string): string | undefined {
  if (!/^-----BEGIN PUBLIC KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END PUBLIC KEY-----\r?\n?$/.test(pem)) return "not a PEM SubjectPublicKeyInfo block (-----BEGIN PUBLIC KEY-----)";
  try {
    const key = createPublicKey(pem);
    const details = key.asymmetricKeyDetails ?? {};
    if (key.asymmetricKeyType === "rsa" && details.modulusLength === 2048) return undefined;
    return `a ${key.asymmetricKeyType} key${details.modulusLength ? ` of ${details.modulusLength} bits` : details.namedCurve ? ` on ${details.namedCurve}` : ""}, which CloudFront does not accept`;
  } catch {
    return "a PEM block that does not parse as a public key";
  }
}

/** A PEM public key for CloudFront signed URLs. Only the public half is ever in config. */
const signingPublicKeyField: ConfigField<string> = {
  pulumiType: "string",
  schema: z.string().refine((pem) => signingKeyProblem(pem) === undefined),
  description: "PEM public key (RSA 2048) of the key pair that signs media playback URLs; CloudFront checks signatures with it (trusted key group). Required; the private key stays with the app.",
  expected: "a PEM public key (-----BEGIN PUBLIC KEY-----) of an RSA 2048 key pair, e.g. from: openssl genrsa -out k.pem 2048 && openssl rsa -in k.pem -pubout",
  required: true,
};

/** CloudFront and WAF settings. */
export const edgeFields = {
  priceClass: fields.oneOf(["PriceClass_100", "PriceClass_200", "PriceClass_All"], {
    description: "CloudFront price class. PriceClass_100 (North America and Europe) suits a UK audience. Default PriceClass_100.",
    default: "PriceClass_100",
  }),
  geoRestrictionType: fields.oneOf(["none", "whitelist", "blacklist"], {
    description: "CloudFront geo restriction: none, or allow (whitelist) / deny (blacklist) the listed countries. Default none.",
    default: "none",
  }),
  geoRestrictionLocations: fields.list(COUNTRY_CODE, "ISO 3166-1 alpha-2 country codes such as GB", {
    description: "Countries for the geo restriction (ISO 3166-1 alpha-2, e.g. GB, IE); required unless the type is none.",
    default: [],
  }),
  wafMode: fields.oneOf(["count", "block"], {
    description: "WAF action for managed rule groups and the rate limit: count (observe) or block. Default block.",
    default: "block",
  }),
  wafRateLimit: fields.integer({
    description: "Requests per 5 minutes one IP address may make before the WAF rate rule acts. Default 1000.",
    expected: "a whole number of requests per 5 minutes from 10 to 2000000000",
    min: 10,
    max: 2_000_000_000,
    default: 1000,
  }),
  mediaPathPrefix: fields.text({
    description: "Path prefix CloudFront routes to the media bucket (stripped before S3, so /media/videos/a.mp4 reads key videos/a.mp4). Default /media.",
    expected: "'/' then 1-31 lower-case letters, digits or dashes, e.g. /media (not /_next or /.well-known)",
    pattern: MEDIA_PATH_PREFIX,
    maxLength: 32,
    default: "/media",
  }),
  mediaSigningPublicKey: signingPublicKeyField,
  lambdaEdgeHeaders: fields.boolean({
    description: "Add the security headers with a Lambda@Edge viewer-response function (us-east-1) instead of the zero-compute Response Headers Policy and CloudFront Function. Same headers, higher cost; for parity with the audit only. Default false.",
    default: false,
  }),
};
