export { createPlaybackUrl } from "./createPlaybackUrl";
export type { PlaybackOptions, PlaybackUrl } from "./createPlaybackUrl";
export { createS3Client, createUploadUrl } from "./createUploadUrl";
export type { UploadForm, UploadOptions, UploadRequest } from "./createUploadUrl";
export { MediaConfigError, MediaInputError, MediaServiceError } from "./errors";
export type { MediaInputErrorCode } from "./errors";
export { DEFAULT_MEDIA_PATH_PREFIX, MEDIA_TYPES } from "./keys";
export type { MediaKind } from "./keys";
