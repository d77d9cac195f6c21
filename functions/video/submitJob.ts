import { CreateJobCommand, MediaConvertClient } from "@aws-sdk/client-mediaconvert";
import { HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { jobSettings } from "./jobSettings";
import { mediaTypeOf, parseUploadKey } from "../media/keys";
import { boundedClient, CLIENT_LIMITS } from "../shared/clientLimits";
import { fromEnvironment } from "./environment";
import { createDynamoDocumentClient, VideoAssets } from "./assets";

/**
 * The pipeline's submit function: an uploaded original (S3 "Object Created" via EventBridge, on
 * uploads/ only) becomes one MediaConvert job. Bad input ends as a recorded ERROR, never a throw, so
 * EventBridge and Lambda never retry it; AWS failures throw and are retried, which is safe because the
 * claim (a conditional put) and CreateJob's ClientRequestToken make the submit idempotent.
 */

/** S3 "Object Created" as EventBridge delivers it (Amazon S3 User Guide, "EventBridge message structure"). */
export interface ObjectCreatedEvent {
  "detail-type"?: string;
  source?: string;
  detail?: { bucket?: { name?: string }; object?: { key?: string; size?: number } };
}

export interface SubmitSettings {
  bucket: string;
  table: string;
  mediaConvertRoleArn: string;
  maxUploadBytes: number;
  maxDurationSeconds: number;
  /** Tags every job so the state-change rule matches this pipeline's jobs only. */
  pipeline: string;
}

export interface SubmitDeps {
  s3: Pick<S3Client, "send">;
  mediaConvert: Pick<MediaConvertClient, "send">;
  assets: VideoAssets;
}

export type SubmitResult =
  | { outcome: "submitted"; videoId: string; jobId: string }
  | { outcome: "duplicate"; videoId: string }
  | { outcome: "refused"; videoId: string; code: "TOO_LARGE" | "NOT_A_VIDEO"; message: string }
  | { outcome: "ignored"; reason: string };

/** The key as S3 wrote it; event keys may arrive URL-encoded (spaces as '+'). */
function eventKey(raw: string): string {
  try {
    // Stryker disable next-line Regex,StringLiteral,MethodExpression: a space (or '+') is never in an upload key (media/keys.ts SAFE_NAME), so either reading is ignored; decoded as S3 encodes it all the same.
    return decodeURIComponent(raw.replace(/\+/g, " "));
  } catch {
    return raw;
  }
}

export async function submitUpload(event: ObjectCreatedEvent, settings: SubmitSettings, deps: SubmitDeps): Promise<SubmitResult> {
  if (event?.source !== "aws.s3" || event["detail-type"] !== "Object Created") return { outcome: "ignored", reason: "not an S3 Object Created event" };
  const bucket = event.detail?.bucket?.name;
  const rawKey = event.detail?.object?.key;
  if (bucket !== settings.bucket || typeof rawKey !== "string") return { outcome: "ignored", reason: "not an object of the media bucket" };
  const key = eventKey(rawKey);
  const upload = parseUploadKey(key);
  if (!upload) return { outcome: "ignored", reason: "not a video upload key (uploads/<uuid>/<name>)" };

  const size = Number(event.detail?.object?.size);
  if (!Number.isFinite(size) || size > settings.maxUploadBytes) {
    const message = `the upload is ${Number.isFinite(size) ? `${size} bytes` : "of unknown size"}; at most ${settings.maxUploadBytes} are transcoded`;
    await deps.assets.refuse(upload.id, key, "TOO_LARGE", message);
    return { outcome: "refused", videoId: upload.id, code: "TOO_LARGE", message };
  }
  const head = await deps.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  let isVideo: boolean;
  try {
    isVideo = mediaTypeOf(head.ContentType).kind === "video";
  } catch {
    isVideo = false;
  }
  if (!isVideo) {
    const message = `the upload's content type ${JSON.stringify(head.ContentType ?? "none")} is not a video type this site accepts`;
    await deps.assets.refuse(upload.id, key, "NOT_A_VIDEO", message);
    return { outcome: "refused", videoId: upload.id, code: "NOT_A_VIDEO", message };
  }

  const claimed = await deps.assets.claim(upload.id, key);
  if (!claimed) {
    const existing = await deps.assets.get(upload.id);
    // A record without a job: an earlier attempt failed after its claim; retry the same (idempotent) request.
    if (existing?.jobId || existing?.status !== "SUBMITTING") return { outcome: "duplicate", videoId: upload.id };
  }
  const job = await deps.mediaConvert.send(
    new CreateJobCommand({
      Role: settings.mediaConvertRoleArn,
      Settings: jobSettings({ bucket, sourceKey: key, videoId: upload.id, maxDurationSeconds: settings.maxDurationSeconds }),
      UserMetadata: { videoId: upload.id, pipeline: settings.pipeline },
      // Same token, same job: MediaConvert returns the first job for a repeated request.
      ClientRequestToken: upload.id,
      StatusUpdateInterval: "SECONDS_60",
    }),
  );
  const jobId = job.Job?.Id;
  if (!jobId) throw new Error(`MediaConvert returned no job id for ${upload.id}`);
  await deps.assets.update(upload.id, { status: "SUBMITTED", jobId });
  return { outcome: "submitted", videoId: upload.id, jobId };
}

/** Settings from the function's environment (components/media/VideoPipeline.ts sets them; nothing secret). */
export function submitSettingsFromEnvironment(env: NodeJS.ProcessEnv): SubmitSettings {
  const need = fromEnvironment(env, "submit");
  return {
    bucket: need("MEDIA_BUCKET"),
    table: need("VIDEO_TABLE"),
    mediaConvertRoleArn: need("MEDIACONVERT_ROLE_ARN"),
    maxUploadBytes: Number(need("MAX_UPLOAD_BYTES")),
    maxDurationSeconds: Number(need("MAX_DURATION_SECONDS")),
    pipeline: need("PIPELINE_NAME"),
  };
}

let deps: SubmitDeps | undefined;

/** Lambda entry point. */
export async function handler(event: ObjectCreatedEvent): Promise<SubmitResult> {
  const settings = submitSettingsFromEnvironment(process.env);
  const region = process.env.AWS_REGION;
  deps ??= {
    s3: boundedClient(S3Client, { region }, CLIENT_LIMITS.s3),
    mediaConvert: boundedClient(MediaConvertClient, { region }, CLIENT_LIMITS.mediaconvert),
    assets: new VideoAssets(createDynamoDocumentClient(region ?? "eu-west-2"), settings.table),
  };
  const result = await submitUpload(event, settings, deps);
  console.log(JSON.stringify({ message: "video upload", ...result }));
  return result;
}
