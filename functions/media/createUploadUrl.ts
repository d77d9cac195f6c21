import { randomUUID } from "node:crypto";
import { S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { boundedClient, CLIENT_LIMITS, type ClientLimits } from "../shared/clientLimits";
import { MediaConfigError, MediaInputError, MediaServiceError } from "./errors";
import { mediaTypeOf, safeFileName, uploadKey } from "./keys";

/**
 * Server-side presigned POST for browser uploads to the private media bucket.
 *
 * Replaces the audit's client-side `uploadVideo` (credentials in the browser, a client-chosen
 * `Date.now()` key, an undefined `key` in the returned URL). Here the server picks the key, and the
 * signed policy pins it together with the content type, the declared size (exactly) and a short
 * expiry, so S3 itself refuses any other key, type or size.
 */

/**
 * An S3 client with the project's time limits (functions/shared/clientLimits.ts). Presigning makes
 * no request to S3, but resolving credentials can (web identity: STS), and other calls do.
 * Checksums only when required: a presigned URL must not carry the checksum of an empty body
 * (shared/reference/emulators.md §3.3).
 */
export function createS3Client(config: S3ClientConfig = {}, limits: ClientLimits = CLIENT_LIMITS.s3): S3Client {
  return boundedClient(S3Client, { requestChecksumCalculation: "WHEN_REQUIRED", ...config }, limits);
}

/** What the browser declares about the file it wants to upload (File.name, File.type, File.size). */
export interface UploadRequest {
  fileName: unknown;
  contentType: unknown;
  size: unknown;
}

export interface UploadOptions {
  /** S3 client for the bucket's region (eu-west-2), with credentials allowed to s3:PutObject under media/. */
  s3: S3Client;
  /** The media bucket (stack output `mediaBucketName`). */
  bucket: string;
  /** Largest video in bytes (stack output `mediaMaxVideoUploadBytes`). */
  maxVideoBytes: number;
  /** Largest image in bytes (stack output `mediaMaxImageUploadBytes`). */
  maxImageBytes: number;
  /** Seconds the form stays valid. Default 300; from 10 to 3600. */
  expiresInSeconds?: number;
  /** Source of upload ids. Default crypto.randomUUID. */
  newId?: () => string;
}

/** A form the browser POSTs to `url` as multipart/form-data: every field, then the file last, as `file`. */
export interface UploadForm {
  url: string;
  fields: Record<string, string>;
  /** The object key the upload will have; play it back with createPlaybackUrl. */
  key: string;
  contentType: string;
  /** The only file size S3 will accept with this form: the declared size. */
  maxBytes: number;
  /** When the form stops working (ISO 8601). */
  expiresAt: string;
}

/** S3's limit for a single POST upload. */
const S3_POST_LIMIT = 5 * 1024 ** 3;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function checkOptions(o: UploadOptions): number {
  if (typeof o.bucket !== "string" || !BUCKET_NAME.test(o.bucket)) throw new MediaConfigError("bucket must be an S3 bucket name");
  for (const [name, value] of [["maxVideoBytes", o.maxVideoBytes], ["maxImageBytes", o.maxImageBytes]] as const) {
    if (!Number.isSafeInteger(value) || value < 1 || value > S3_POST_LIMIT) throw new MediaConfigError(`${name} must be a whole number of bytes from 1 to ${S3_POST_LIMIT}`);
  }
  const expires = o.expiresInSeconds ?? 300;
  if (!Number.isInteger(expires) || expires < 10 || expires > 3600) throw new MediaConfigError("expiresInSeconds must be a whole number from 10 to 3600");
  return expires;
}

/**
 * Validates what the browser declared and returns a presigned POST form for it.
 * Throws MediaInputError (bad input), MediaConfigError (bad options) or MediaServiceError (signing failed).
 */
export async function createUploadUrl(request: UploadRequest, options: UploadOptions): Promise<UploadForm> {
  const expiresInSeconds = checkOptions(options);
  const type = mediaTypeOf(request?.contentType); // refuses a missing request: request is defined below
  const name = safeFileName(request.fileName, type);
  const maxBytes = type.kind === "video" ? options.maxVideoBytes : options.maxImageBytes;

  const size = request.size;
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) throw new MediaInputError("INVALID_SIZE", "size must be a whole number of bytes");
  if (size === 0) throw new MediaInputError("EMPTY_FILE", "the file is empty");
  if (size > maxBytes) throw new MediaInputError("TOO_LARGE", `the file is larger than ${maxBytes} bytes`);

  const key = uploadKey(type.kind, (options.newId ?? randomUUID)(), name);
  const startedAt = Date.now();
  try {
    const post = await createPresignedPost(options.s3, {
      Bucket: options.bucket,
      Key: key,
      // Each field is also an exact-match condition of the signed policy.
      Fields: {
        "Content-Type": type.contentType,
        // Stored straight in Intelligent-Tiering: no lifecycle transition request later.
        "x-amz-storage-class": "INTELLIGENT_TIERING",
        // 201 answers with an XML body naming the key and ETag, readable by the page (CORS exposes it).
        success_action_status: "201",
      },
      // S3 checks the actual size against the declared one, exactly: a form issued for a 10 KB
      // image cannot carry the type's 10 MB maximum (or anything else the browser did not declare).
      Conditions: [["content-length-range", size, size]],
      Expires: expiresInSeconds,
    });
    return {
      url: post.url,
      fields: post.fields,
      key,
      contentType: type.contentType,
      maxBytes: size,
      expiresAt: new Date(startedAt + expiresInSeconds * 1000).toISOString(),
    };
  } catch (error) {
    throw new MediaServiceError("PRESIGN_FAILED", "could not sign the upload form", { cause: error });
  }
}
