import { createPrivateKey } from "node:crypto";
import { getSignedUrl } from "@aws-sdk/cloudfront-signer";
import { MediaConfigError, MediaServiceError } from "./errors";
import { MEDIA_PATH_PREFIX } from "../edge/cloudfrontFunction";
import { DEFAULT_MEDIA_PATH_PREFIX, playbackKey } from "./keys";
import { HOSTNAME } from "../shared/hostname";

/**
 * CloudFront signed URLs for private media. The media behaviour of the distribution trusts a key
 * group holding the public half of `privateKey`; CloudFront checks the signature and the expiry
 * before it reads the object from S3 through OAC.
 */

export interface PlaybackOptions {
  /** Host name the site (and its media behaviour) is served on, e.g. www.myprivatetutoronline.com. */
  domain: string;
  /** Path of the Cdn's media behaviour (stack output `mediaPathPrefix`). Default "/media". */
  pathPrefix?: string;
  /** Id of the CloudFront public key in the trusted key group (e.g. K2JCJMDEHXQW5F). */
  keyPairId: string;
  /** PEM private key matching that public key. Keep it in a secret store; never log it. */
  privateKey: string | Buffer;
  /** Seconds the URL stays valid. Default 3600; from 60 to 86400. */
  expiresInSeconds?: number;
  /** Hash of the signature. Default SHA256 (CloudFront accepts `Hash-Algorithm=SHA256`; SHA1 is the legacy default). */
  hashAlgorithm?: "SHA256" | "SHA1";
  /** Clock. Default `() => new Date()`. */
  now?: () => Date;
}

export interface PlaybackUrl {
  url: string;
  key: string;
  /** The URL's expiry (ISO 8601), a whole second. */
  expiresAt: string;
}

const KEY_PAIR_ID = /^[A-Z0-9]{8,40}$/;

let lastValidKey: string | undefined;

/** Checks the private key once per distinct key (in practice once per process) and returns its PEM. */
function validPrivateKey(pem: string | Buffer): string {
  const text = typeof pem === "string" ? pem : Buffer.isBuffer(pem) ? pem.toString("utf8") : undefined;
  if (text === undefined) throw new MediaConfigError("privateKey must be a PEM string or Buffer");
  if (text === lastValidKey) return text;
  let key;
  try {
    key = createPrivateKey(text);
  } catch {
    throw new MediaConfigError("privateKey is not a PEM private key");
  }
  if (key.asymmetricKeyType !== "rsa") throw new MediaConfigError("privateKey must be an RSA key (CloudFront key groups hold RSA 2048 public keys)");
  lastValidKey = text;
  return text;
}

/** The checked options shared by signed URLs and signed cookies, with the expiry they give. Throws MediaConfigError. */
export function resolvePlaybackOptions(options: PlaybackOptions): { pathPrefix: string; algorithm: "SHA256" | "SHA1"; privateKey: string; now: Date; expiresAt: Date } {
  if (typeof options.domain !== "string" || !HOSTNAME.test(options.domain)) throw new MediaConfigError("domain must be a lower-case host name");
  const pathPrefix = options.pathPrefix ?? DEFAULT_MEDIA_PATH_PREFIX;
  if (typeof pathPrefix !== "string" || !MEDIA_PATH_PREFIX.test(pathPrefix)) throw new MediaConfigError("pathPrefix must be '/' then lower-case letters, digits or dashes, like the Cdn's mediaPathPrefix");
  if (typeof options.keyPairId !== "string" || !KEY_PAIR_ID.test(options.keyPairId)) throw new MediaConfigError("keyPairId must be a CloudFront public key id");
  const ttl = options.expiresInSeconds ?? 3600;
  if (!Number.isInteger(ttl) || ttl < 60 || ttl > 86400) throw new MediaConfigError("expiresInSeconds must be a whole number from 60 to 86400");
  const algorithm = options.hashAlgorithm ?? "SHA256";
  if (algorithm !== "SHA256" && algorithm !== "SHA1") throw new MediaConfigError("hashAlgorithm must be SHA256 or SHA1");
  const privateKey = validPrivateKey(options.privateKey);
  const now = (options.now ?? (() => new Date()))();
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new MediaConfigError("now() must return a valid date");
  return { pathPrefix, algorithm, privateKey, now, expiresAt: new Date((Math.floor(now.getTime() / 1000) + ttl) * 1000) };
}

/**
 * Returns a signed URL for one media object. Throws MediaInputError for a key that is not a media
 * key this service created, MediaConfigError for bad options, MediaServiceError if signing fails.
 */
export function createPlaybackUrl(key: unknown, options: PlaybackOptions): PlaybackUrl {
  const { pathPrefix, algorithm, privateKey, expiresAt } = resolvePlaybackOptions(options);
  const checked = playbackKey(key);
  // Every segment is already [a-z0-9.-]; encoding anyway keeps the URL safe if the key rules ever widen.
  const url = `https://${options.domain}${pathPrefix}/${checked.key.split("/").map(encodeURIComponent).join("/")}`;

  try {
    const signed = getSignedUrl({
      url,
      keyPairId: options.keyPairId,
      privateKey,
      dateLessThan: expiresAt,
      algorithm,
    });
    return { url: signed, key: checked.key, expiresAt: expiresAt.toISOString() };
  } catch (error) {
    throw new MediaServiceError("SIGN_FAILED", "could not sign the playback URL", { cause: error });
  }
}
