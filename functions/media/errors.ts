import { CodedError } from "../shared/codedError";

/**
 * Typed errors of the media functions. Messages never repeat the caller's text (it may carry
 * control characters or markup); the `code` says what was wrong.
 */

/** Why a caller's input was refused. Map to HTTP 400 (413 for TOO_LARGE). */
export type MediaInputErrorCode =
  | "INVALID_NAME" // not a string
  | "EMPTY_NAME"
  | "NAME_TOO_LONG"
  | "CONTROL_CHARACTER" // C0/C1 controls, DEL, line/paragraph separators
  | "UNICODE_TRICK" // bidi overrides, zero-width and other format characters, lone surrogates, slash look-alikes, private use
  | "PATH_TRAVERSAL" // separators, `.`/`..` segments, percent-encoded separators or dots
  | "UNSUPPORTED_TYPE" // content type not on the allowlist
  | "TYPE_MISMATCH" // the file name's extension does not belong to the declared type
  | "INVALID_SIZE" // not a whole, non-negative number of bytes
  | "EMPTY_FILE"
  | "TOO_LARGE"
  | "EMPTY_KEY"
  | "ABSOLUTE_KEY" // a leading slash, a scheme (https://) or a protocol-relative //host
  | "OUTSIDE_MEDIA_PREFIX" // not under videos/ or images/ (the folders the media path serves)
  | "MALFORMED_KEY"; // under the prefix but not of the form <kind>/<uuid>/<safe-name>

export class MediaInputError extends CodedError<MediaInputErrorCode> {
  override readonly name = "MediaInputError";
  /** Suggested HTTP status for an API that surfaces this error. */
  readonly status: number;
  constructor(code: MediaInputErrorCode, message: string) {
    super(code, message);
    this.status = code === "TOO_LARGE" ? 413 : 400;
  }
}

/** The function was set up wrongly (bucket name, limits, signing key): a deployment problem, not the caller's. */
export class MediaConfigError extends CodedError<"MEDIA_CONFIG"> {
  override readonly name = "MediaConfigError";
  readonly status = 500;
  constructor(message: string) {
    super("MEDIA_CONFIG", message);
  }
}

/** Signing failed although input and settings were valid (e.g. no credentials). */
export class MediaServiceError extends CodedError<"PRESIGN_FAILED" | "SIGN_FAILED"> {
  override readonly name = "MediaServiceError";
  readonly status = 503;
}
