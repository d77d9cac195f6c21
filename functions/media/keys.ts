import { MediaConfigError, MediaInputError } from "./errors";

/**
 * Object keys of the media bucket, and the checks that keep user text out of them.
 *
 * Bucket keys: browsers upload videos to `uploads/<uuid>/<safe-name>` (the originals: never served,
 * the only prefix the video pipeline's upload rule matches, expired by lifecycle once transcoded) and
 * images to `images/<uuid>/<safe-name>`; the video pipeline writes `videos/<uuid>/hls/...` and
 * `videos/<uuid>/poster/...` (components/media/VideoPipeline.ts). Viewers reach them at
 * `https://<site><mediaPathPrefix>/<key>` (default prefix `/media`): the Cdn's media behaviour
 * matches `<mediaPathPrefix>/*` and its viewer-request CloudFront Function strips the prefix before
 * CloudFront reads the bucket, so `/media/videos/<uuid>/a.mp4` reads the key `videos/<uuid>/a.mp4`.
 * The uuid makes every key unguessable and unique (never overwritten); the safe name is for humans.
 */

/** Default media path prefix of the Cdn (config `mediaPathPrefix`, stack output of the same name). */
export const DEFAULT_MEDIA_PATH_PREFIX = "/media";

export type MediaKind = "video" | "image";

/** Folder of each kind that viewers read (the distribution's read prefixes). */
export const KIND_FOLDER: Record<MediaKind, string> = { video: "videos", image: "images" };

/** Folder each kind is uploaded to: video originals go to uploads/ for the pipeline, images are served as uploaded. */
export const UPLOAD_FOLDER: Record<MediaKind, string> = { video: "uploads", image: "images" };

/**
 * Files the video pipeline writes under `videos/<uuid>/<folder>/`, by folder: HLS playlists and
 * segments (TS or CMAF/fMP4), and poster or thumbnail frames. Anything else under videos/ is refused.
 */
export const VIDEO_ASSET_FILES: Readonly<Record<string, RegExp>> = {
  hls: /^[a-z0-9][a-z0-9_.-]{0,127}\.(m3u8|ts|m4s|mp4|aac|vtt)$/,
  poster: /^[a-z0-9][a-z0-9_.-]{0,127}\.(jpg|jpeg|png)$/,
};

/**
 * The content types browsers may upload, with the file extensions that belong to each; the first
 * extension is the one the stored key gets. Deliberately absent: anything a browser can execute
 * or render as a document (text/html, image/svg+xml, application/xml, application/pdf ...), since
 * media is served from the site's own origin.
 */
export const MEDIA_TYPES: Readonly<Record<string, { kind: MediaKind; extensions: readonly string[] }>> = {
  "video/mp4": { kind: "video", extensions: ["mp4", "m4v"] },
  "video/webm": { kind: "video", extensions: ["webm"] },
  "video/quicktime": { kind: "video", extensions: ["mov"] },
  "image/jpeg": { kind: "image", extensions: ["jpg", "jpeg"] },
  "image/png": { kind: "image", extensions: ["png"] },
  "image/webp": { kind: "image", extensions: ["webp"] },
  "image/avif": { kind: "image", extensions: ["avif"] },
  "image/gif": { kind: "image", extensions: ["gif"] },
};

/** Longest file name accepted from a browser (UTF-16 code units; most file systems allow 255). */
export const MAX_FILE_NAME_LENGTH = 255;
/** Longest stem kept in the safe name. */
const MAX_STEM_LENGTH = 80;
/** Longest object key accepted for playback (S3 allows 1024 bytes). */
const MAX_KEY_LENGTH = 1024;

const CONTROL = /[\p{Cc}\u2028\u2029]/u;
// Format characters (bidi overrides and isolates, zero-width joiners and spaces, BOM, soft hyphen),
// private use and unassigned code points: invisible or ambiguous in a name.
const INVISIBLE = /[\p{Cf}\p{Co}\p{Cn}]/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Slash look-alikes that NFKC does not fold to "/" or "\": fraction slash, division slash, set minus,
// reverse solidus operator, big solidus, big reverse solidus.
const SLASH_LOOKALIKE = /[\u2044\u2215\u2216\u29F5\u29F8\u29F9]/u;
const ENCODED_TRAVERSAL = /%(2f|5c|2e)/i;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SAFE_NAME = /^[a-z0-9](?:[a-z0-9-]{0,79})\.([a-z0-9]{2,5})$/;

/** Refuses control characters and Unicode tricks. `what` names the input in the message. */
function refuseInvisible(value: string, what: string): void {
  if (CONTROL.test(value)) throw new MediaInputError("CONTROL_CHARACTER", `${what} contains a control character`);
  if (LONE_SURROGATE.test(value)) throw new MediaInputError("UNICODE_TRICK", `${what} is not well-formed Unicode`);
  if (INVISIBLE.test(value)) throw new MediaInputError("UNICODE_TRICK", `${what} contains an invisible or formatting character`);
  if (SLASH_LOOKALIKE.test(value)) throw new MediaInputError("UNICODE_TRICK", `${what} contains a character that looks like a slash`);
  // Full-width solidus and similar fold into separators under NFKC, which other systems may apply
  // later: refuse them before they can become a path.
  const folded = value.normalize("NFKC");
  for (const piece of ["/", "\\"]) {
    if (folded.includes(piece) && !value.includes(piece)) throw new MediaInputError("UNICODE_TRICK", `${what} contains a character that normalises to "${piece}"`);
  }
}

/** Looks up an allowlisted content type; parameters (`; codecs=...`) and unknown types are refused. */
export function mediaTypeOf(contentType: unknown): { contentType: string; kind: MediaKind; extensions: readonly string[] } {
  if (typeof contentType !== "string") throw new MediaInputError("UNSUPPORTED_TYPE", "content type must be a string");
  const normalised = contentType.trim().toLowerCase();
  const entry = Object.prototype.hasOwnProperty.call(MEDIA_TYPES, normalised) ? MEDIA_TYPES[normalised] : undefined;
  if (!entry) throw new MediaInputError("UNSUPPORTED_TYPE", `content type is not one of ${Object.keys(MEDIA_TYPES).join(", ")}`);
  return { contentType: normalised, ...entry };
}

/**
 * Turns a browser's file name into the last segment of an object key: ASCII letters, digits and
 * dashes, then the canonical extension of the declared type. Refuses names that try to be paths,
 * hide characters, or whose extension contradicts the declared type.
 */
export function safeFileName(fileName: unknown, type: { extensions: readonly string[] }): string {
  if (typeof fileName !== "string") throw new MediaInputError("INVALID_NAME", "file name must be a string");
  if (fileName.trim() === "") throw new MediaInputError("EMPTY_NAME", "file name is empty");
  if (fileName.length > MAX_FILE_NAME_LENGTH) throw new MediaInputError("NAME_TOO_LONG", `file name is longer than ${MAX_FILE_NAME_LENGTH} characters`);
  refuseInvisible(fileName, "file name");
  if (/[/\\]/.test(fileName)) throw new MediaInputError("PATH_TRAVERSAL", "file name contains a path separator");
  if (fileName === "." || fileName === "..") throw new MediaInputError("PATH_TRAVERSAL", "file name is a relative path segment");
  if (ENCODED_TRAVERSAL.test(fileName)) throw new MediaInputError("PATH_TRAVERSAL", "file name contains a percent-encoded separator or dot");

  // Strip accents (é -> e) so that Latin names stay readable in ASCII.
  const ascii = fileName.normalize("NFKD").replace(/\p{M}/gu, "");
  const dot = ascii.lastIndexOf(".");
  let stem = ascii;
  if (dot > 0) {
    const extension = ascii.slice(dot + 1).toLowerCase();
    if (/^[a-z0-9]{1,5}$/.test(extension)) {
      if (!type.extensions.includes(extension)) throw new MediaInputError("TYPE_MISMATCH", `file extension does not match the content type (expected .${type.extensions.join(" or .")})`);
      stem = ascii.slice(0, dot);
    }
  }
  let safe = stem
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-") // every run of other characters is one dash: no "--" is left
    .replace(/^-/, "")
    .slice(0, MAX_STEM_LENGTH)
    .replace(/-$/, "");
  if (safe === "") safe = "file";
  return `${safe}.${type.extensions[0]}`;
}

/** The key a new upload gets: `uploads/<uuid>/<safe-name>` for a video, `images/<uuid>/<safe-name>` for an image. */
export function uploadKey(kind: MediaKind, id: string, safeName: string): string {
  if (typeof id !== "string" || !UUID_V4.test(id)) throw new MediaConfigError("upload ids must be lower-case version 4 UUIDs");
  if (!SAFE_NAME.test(safeName)) throw new Error("safe names come from safeFileName");
  return `${UPLOAD_FOLDER[kind]}/${id}/${safeName}`;
}

/** The id of a video (the uuid its upload got): what playback cookies are scoped to. Throws MediaInputError otherwise. */
export function videoId(id: unknown): string {
  if (typeof id !== "string" || !UUID_V4.test(id)) throw new MediaInputError("MALFORMED_KEY", "a video id is the lower-case version 4 UUID its upload got");
  return id;
}

/** Parses an upload key (`uploads/<uuid>/<safe-name>` of a video type); undefined for anything else. */
export function parseUploadKey(key: unknown): { id: string; name: string } | undefined {
  // No length check: a key of this shape is at most 131 characters.
  if (typeof key !== "string") return undefined;
  const segments = key.split("/");
  if (segments.length !== 3 || segments[0] !== UPLOAD_FOLDER.video || !UUID_V4.test(segments[1])) return undefined;
  const match = SAFE_NAME.exec(segments[2]);
  if (!match || !Object.values(MEDIA_TYPES).some((t) => t.kind === "video" && t.extensions[0] === match[1])) return undefined;
  return { id: segments[1], name: segments[2] };
}

/**
 * Checks a key a caller wants to play back. Only keys of exactly the shape `uploadKey` produces are
 * accepted, so nothing else in the bucket (and no crafted path) can be signed.
 */
export function playbackKey(key: unknown): { key: string; kind: MediaKind } {
  if (typeof key !== "string" || key === "") throw new MediaInputError("EMPTY_KEY", "key must be a non-empty string");
  if (key.length > MAX_KEY_LENGTH) throw new MediaInputError("MALFORMED_KEY", `key is longer than ${MAX_KEY_LENGTH} characters`);
  refuseInvisible(key, "key");
  if (/^[a-z][a-z0-9+.-]*:/i.test(key) || key.startsWith("/") || key.startsWith("\\")) throw new MediaInputError("ABSOLUTE_KEY", "key must be relative to the bucket (no scheme, no leading slash)");
  if (key.includes("\\")) throw new MediaInputError("PATH_TRAVERSAL", "key contains a backslash");
  if (ENCODED_TRAVERSAL.test(key)) throw new MediaInputError("PATH_TRAVERSAL", "key contains a percent-encoded separator or dot");
  const segments = key.split("/");
  if (segments.some((s) => s === "." || s === "..")) throw new MediaInputError("PATH_TRAVERSAL", "key contains a relative path segment");
  if (segments.some((s) => s === "")) throw new MediaInputError("MALFORMED_KEY", "key contains an empty segment");

  // id and name are undefined for a shorter key; UUID_V4.test(undefined) is false.
  const [folder, id, name, ...rest] = segments;
  const kind = (Object.keys(KIND_FOLDER) as MediaKind[]).find((k) => KIND_FOLDER[k] === folder);
  if (!kind) throw new MediaInputError("OUTSIDE_MEDIA_PREFIX", "key must start with videos/ or images/");
  // A pipeline output: videos/<uuid>/<hls|poster>/<file>.
  if (kind === "video" && rest.length === 1 && UUID_V4.test(id) && Object.prototype.hasOwnProperty.call(VIDEO_ASSET_FILES, name)) {
    if (!VIDEO_ASSET_FILES[name].test(rest[0])) throw new MediaInputError("MALFORMED_KEY", `key's file is not a ${name} file the video pipeline writes`);
    return { key, kind };
  }
  if (rest.length || name === undefined || !UUID_V4.test(id)) throw new MediaInputError("MALFORMED_KEY", "key must be <videos|images>/<uuid>/<name> or videos/<uuid>/<hls|poster>/<file>");
  const match = SAFE_NAME.exec(name);
  const extensionFits = match !== null && Object.values(MEDIA_TYPES).some((t) => t.kind === kind && t.extensions[0] === match[1]);
  if (!extensionFits) throw new MediaInputError("MALFORMED_KEY", "key's file name is not one this service creates");
  return { key, kind };
}
