import { getSignedCookies } from "@aws-sdk/cloudfront-signer";
import { MediaConfigError, MediaServiceError } from "./errors";
import { HOSTNAME } from "../shared/hostname";
import { PlaybackOptions, resolvePlaybackOptions } from "./createPlaybackUrl";
import { KIND_FOLDER, videoId } from "./keys";

/**
 * CloudFront signed cookies for one video's folder. A player of HLS fetches a master playlist, then
 * rendition playlists and segments it cannot sign one by one: a custom policy on
 * `https://<domain><prefix>/videos/<videoId>/*` covers exactly that folder (CloudFront Developer
 * Guide, "Setting signed cookies using a custom policy"). The video's original is in uploads/, which
 * no cookie covers and the distribution cannot read.
 */

export interface PlaybackCookieOptions extends PlaybackOptions {
  /** SameSite attribute. Default "Lax" (the media path is same-site with the pages that play it). */
  sameSite?: "Strict" | "Lax" | "None";
  /** Cookie Domain attribute. Default none: a host-only cookie for `domain`. */
  cookieDomain?: string;
}

export interface PlaybackCookie {
  name: string;
  value: string;
  /** Set-Cookie attributes, for frameworks that take them apart (Next.js `cookies().set`). */
  attributes: { path: string; secure: true; httpOnly: true; sameSite: "Strict" | "Lax" | "None"; expires: string; domain?: string };
  /** The whole Set-Cookie header value. */
  header: string;
}

export interface PlaybackCookies {
  videoId: string;
  /** What the policy covers: the video's folder, with a trailing wildcard. */
  resource: string;
  /** The master playlist to hand the player. */
  playlistUrl: string;
  expiresAt: string;
  /** CloudFront-Policy, CloudFront-Signature, CloudFront-Key-Pair-Id (and CloudFront-Hash-Algorithm for SHA256). */
  cookies: PlaybackCookie[];
}

/** Cookie values CloudFront produces are URL-safe base64 or ids; anything else must never reach a header. */
// Stryker disable next-line Regex: the signer's values (URL-safe base64, the checked key pair id, "SHA256") always match; the check guards a future signer.
const COOKIE_VALUE = /^[A-Za-z0-9_~=.-]+$/;

/**
 * Returns the signed cookies for one video. Throws MediaInputError for anything that is not a video id,
 * MediaConfigError for bad options (as createPlaybackUrl), MediaServiceError if signing fails.
 */
export function createPlaybackCookies(id: unknown, options: PlaybackCookieOptions): PlaybackCookies {
  const checkedId = videoId(id);
  const { pathPrefix, algorithm, privateKey, expiresAt } = resolvePlaybackOptions(options);
  const sameSite = options.sameSite ?? "Lax";
  if (!["Strict", "Lax", "None"].includes(sameSite)) throw new MediaConfigError("sameSite must be Strict, Lax or None");
  // The Domain attribute goes into a header: only a host name (it must cover `domain`, RFC 6265 5.1.3).
  if (options.cookieDomain !== undefined && (typeof options.cookieDomain !== "string" || !HOSTNAME.test(options.cookieDomain) || !(options.domain === options.cookieDomain || options.domain.endsWith(`.${options.cookieDomain}`)))) {
    throw new MediaConfigError("cookieDomain must be the domain or a parent of it, as a lower-case host name");
  }
  const folder = `${pathPrefix}/${KIND_FOLDER.video}/${checkedId}/`;
  const resource = `https://${options.domain}${folder}*`;
  const policy = JSON.stringify({ Statement: [{ Resource: resource, Condition: { DateLessThan: { "AWS:EpochTime": Math.floor(expiresAt.getTime() / 1000) } } }] });

  let signed: Record<string, string | number | undefined>;
  try {
    signed = getSignedCookies({ policy, keyPairId: options.keyPairId, privateKey, algorithm }) as unknown as Record<string, string | number | undefined>;
  } catch (error) {
    throw new MediaServiceError("SIGN_FAILED", "could not sign the playback cookies", { cause: error });
  }
  const attributes = { path: folder, secure: true as const, httpOnly: true as const, sameSite, expires: expiresAt.toUTCString(), ...(options.cookieDomain ? { domain: options.cookieDomain } : {}) };
  // Stryker disable MethodExpression,ConditionalExpression: the current signer leaves absent cookies out instead of undefined; the filter guards a future one.
  const cookies: PlaybackCookie[] = Object.entries(signed)
    .filter(([, value]) => value !== undefined)
    // Stryker restore MethodExpression,ConditionalExpression
    .map(([name, raw]) => {
      const value = String(raw);
      // Stryker disable next-line ConditionalExpression,StringLiteral: unreachable with the current signer (see COOKIE_VALUE).
      if (!COOKIE_VALUE.test(value)) throw new MediaServiceError("SIGN_FAILED", `the signer produced a ${name} that is not a safe cookie value`);
      const header = [`${name}=${value}`, `Path=${folder}`, `Expires=${attributes.expires}`, "Secure", "HttpOnly", `SameSite=${sameSite}`, ...(options.cookieDomain ? [`Domain=${options.cookieDomain}`] : [])].join("; ");
      return { name, value, attributes, header };
    });
  return { videoId: checkedId, resource, playlistUrl: `https://${options.domain}${folder}hls/index.m3u8`, expiresAt: expiresAt.toISOString(), cookies };
}
