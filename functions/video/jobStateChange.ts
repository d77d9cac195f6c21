import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { OUTPUT_LAYOUT } from "./jobSettings";
import { videoId as checkedVideoId } from "../media/keys";
import { boundedClient, CLIENT_LIMITS } from "../shared/clientLimits";
import { fromEnvironment } from "./environment";
import { createDynamoDocumentClient, Rendition, VideoAsset, VideoAssets, VideoErrorCode } from "./assets";

/**
 * The pipeline's completion function: MediaConvert "Job State Change" events (EventBridge) update
 * the video's record, and the end of a job (COMPLETE, ERROR, CANCELED) is published to the video
 * events topic the app subscribes to (an HTTPS subscription: SNS signs every message, retries with
 * back-off, and needs no secret on either side). Failed jobs count in MPTO/Video FailedJobs; a
 * schedule counts jobs that stopped moving in MPTO/Video StuckJobs (`sweepStuckJobs`).
 */

/** MediaConvert Job State Change (MediaConvert User Guide, "List of MediaConvert EventBridge events"). */
export interface JobStateChangeEvent {
  source?: string;
  "detail-type"?: string;
  detail?: {
    jobId?: string;
    status?: string;
    userMetadata?: Record<string, string>;
    jobProgress?: { jobPercentComplete?: number };
    errorCode?: number;
    errorMessage?: string;
    outputGroupDetails?: { type?: string; playlistFilePaths?: string[]; outputDetails?: { outputFilePaths?: string[]; durationInMs?: number; videoDetails?: { widthInPx?: number; heightInPx?: number } }[] }[];
  };
}

export interface StateSettings {
  pipeline: string;
  bucket: string;
  maxDurationSeconds: number;
  topicArn: string;
}

export interface StateDeps {
  assets: VideoAssets;
  sns: Pick<SNSClient, "send">;
  cloudwatch: Pick<CloudWatchClient, "send">;
}

export const METRIC_NAMESPACE = "MPTO/Video";

export type StateResult = { outcome: "updated" | "stale" | "ignored"; videoId?: string; status?: string; reason?: string };

/** `s3://<bucket>/<key>` -> `<key>` for this bucket only (anything else is not ours to record). */
function keyOf(uri: unknown, bucket: string): string | undefined {
  const prefix = `s3://${bucket}/`;
  return typeof uri === "string" && uri.startsWith(prefix) ? uri.slice(prefix.length) : undefined;
}

/** What a COMPLETE event says was written: renditions, the master playlist, the poster, the duration. */
export function completedOutputs(detail: NonNullable<JobStateChangeEvent["detail"]>, bucket: string, id: string): Pick<VideoAsset, "renditions" | "playlistKey" | "posterKey" | "durationMs"> {
  const groups = Array.isArray(detail.outputGroupDetails) ? detail.outputGroupDetails : [];
  const hls = groups.find((g) => g?.type === "HLS_GROUP");
  const file = groups.find((g) => g?.type === "FILE_GROUP");
  const renditions: Rendition[] = [];
  let durationMs: number | undefined;
  for (const o of hls?.outputDetails ?? []) {
    const playlistKey = keyOf(o?.outputFilePaths?.[0], bucket);
    const width = Number(o?.videoDetails?.widthInPx);
    const height = Number(o?.videoDetails?.heightInPx);
    if (!playlistKey || !Number.isFinite(width) || !Number.isFinite(height)) continue;
    renditions.push({ name: `${height}p`, width, height, playlistKey });
    if (Number.isFinite(Number(o?.durationInMs))) durationMs = Math.max(durationMs ?? 0, Number(o.durationInMs));
  }
  const playlistKey = keyOf(hls?.playlistFilePaths?.[0], bucket) ?? `videos/${id}/${OUTPUT_LAYOUT.masterPlaylist}`;
  const posters = (file?.outputDetails ?? []).flatMap((o) => o?.outputFilePaths ?? []).map((p) => keyOf(p, bucket)).filter((k): k is string => !!k);
  return { renditions: renditions.sort((a, b) => b.height - a.height), playlistKey, posterKey: posters[posters.length - 1], durationMs };
}

async function publish(deps: StateDeps, settings: StateSettings, asset: Partial<VideoAsset> & { videoId: string; status: string }): Promise<void> {
  const type = asset.status === "COMPLETE" ? "video.ready" : "video.failed";
  await deps.sns.send(
    new PublishCommand({
      TopicArn: settings.topicArn,
      Subject: type,
      Message: JSON.stringify({ type, videoId: asset.videoId, status: asset.status, playlistKey: asset.playlistKey, posterKey: asset.posterKey, durationMs: asset.durationMs, renditions: asset.renditions, error: asset.error }),
      MessageAttributes: { type: { DataType: "String", StringValue: type } },
    }),
  );
}

async function countFailure(deps: StateDeps, settings: StateSettings): Promise<void> {
  await deps.cloudwatch.send(new PutMetricDataCommand({ Namespace: METRIC_NAMESPACE, MetricData: [{ MetricName: "FailedJobs", Dimensions: [{ Name: "Pipeline", Value: settings.pipeline }], Value: 1, Unit: "Count" }] }));
}

export async function applyJobState(event: JobStateChangeEvent, settings: StateSettings, deps: StateDeps): Promise<StateResult> {
  const detail = event?.detail;
  if (event?.source !== "aws.mediaconvert" || !detail) return { outcome: "ignored", reason: "not a MediaConvert job state change" };
  if (detail.userMetadata?.pipeline !== settings.pipeline) return { outcome: "ignored", reason: "a job of another pipeline" };
  let id: string;
  try {
    // userMetadata is known to exist here: its pipeline matched above.
    id = checkedVideoId(detail.userMetadata.videoId);
  } catch {
    return { outcome: "ignored", reason: "no video id in the job's metadata" };
  }
  const status = String(detail.status ?? "");
  switch (status) {
    case "PROGRESSING":
    case "INPUT_INFORMATION":
      return { outcome: (await deps.assets.update(id, { status: "PROGRESSING", jobId: detail.jobId })) ? "updated" : "stale", videoId: id, status: "PROGRESSING" };
    case "STATUS_UPDATE": {
      const percent = Number(detail.jobProgress?.jobPercentComplete);
      const progressPercent = Number.isFinite(percent) ? Math.min(100, Math.max(0, Math.round(percent))) : undefined;
      return { outcome: (await deps.assets.update(id, { status: "PROGRESSING", progressPercent })) ? "updated" : "stale", videoId: id, status: "PROGRESSING" };
    }
    case "COMPLETE": {
      const outputs = completedOutputs(detail, settings.bucket, id);
      // The input was clipped at the limit: an output that long means the original was longer.
      const tooLong = (outputs.durationMs ?? 0) >= settings.maxDurationSeconds * 1000 - 1000;
      const error = tooLong ? { code: "TOO_LONG" as VideoErrorCode, message: `the video is longer than ${Math.round(settings.maxDurationSeconds / 60)} minutes, the longest this site transcodes` } : undefined;
      const changes: Partial<VideoAsset> = tooLong ? { status: "ERROR", error, durationMs: outputs.durationMs } : { status: "COMPLETE", progressPercent: 100, ...outputs };
      if (!(await deps.assets.update(id, changes))) return { outcome: "stale", videoId: id, status };
      if (tooLong) await countFailure(deps, settings);
      await publish(deps, settings, { videoId: id, ...changes, status: changes.status! });
      return { outcome: "updated", videoId: id, status: changes.status };
    }
    case "ERROR":
    case "CANCELED": {
      const code: VideoErrorCode = status === "CANCELED" ? "CANCELED" : "TRANSCODE_FAILED";
      // MediaConvert's message, bounded: it names the input problem (e.g. 1010 unsupported codec, 1030 corrupt file).
      const message = status === "CANCELED" ? "the job was canceled" : `MediaConvert error ${String(detail.errorCode ?? "unknown")}: ${String(detail.errorMessage ?? "no message").slice(0, 500)}`;
      if (!(await deps.assets.update(id, { status: "ERROR", error: { code, message } }))) return { outcome: "stale", videoId: id, status };
      await countFailure(deps, settings);
      await publish(deps, settings, { videoId: id, status: "ERROR", error: { code, message } });
      return { outcome: "updated", videoId: id, status: "ERROR" };
    }
    default:
      return { outcome: "ignored", videoId: id, reason: `status ${status || "missing"} changes nothing` };
  }
}

/** Counts jobs not finished and not changed for `stuckAfterMinutes` into MPTO/Video StuckJobs (0 included, so the alarm sees data). */
export async function countStuckJobs(settings: StateSettings & { stuckAfterMinutes: number }, deps: StateDeps): Promise<number> {
  const stuck = await deps.assets.unfinishedOlderThan(settings.stuckAfterMinutes * 60_000);
  await deps.cloudwatch.send(new PutMetricDataCommand({ Namespace: METRIC_NAMESPACE, MetricData: [{ MetricName: "StuckJobs", Dimensions: [{ Name: "Pipeline", Value: settings.pipeline }], Value: stuck.length, Unit: "Count" }] }));
  return stuck.length;
}

export function stateSettingsFromEnvironment(env: NodeJS.ProcessEnv): StateSettings & { table: string; stuckAfterMinutes: number } {
  const need = fromEnvironment(env, "completion");
  return {
    pipeline: need("PIPELINE_NAME"),
    bucket: need("MEDIA_BUCKET"),
    table: need("VIDEO_TABLE"),
    topicArn: need("VIDEO_EVENTS_TOPIC_ARN"),
    maxDurationSeconds: Number(need("MAX_DURATION_SECONDS")),
    stuckAfterMinutes: Number(env.STUCK_AFTER_MINUTES ?? "60"),
  };
}

let deps: StateDeps | undefined;
function runtimeDeps(table: string): StateDeps {
  const region = process.env.AWS_REGION;
  deps ??= {
    assets: new VideoAssets(createDynamoDocumentClient(region ?? "eu-west-2"), table),
    sns: boundedClient(SNSClient, { region }, CLIENT_LIMITS.sns),
    cloudwatch: boundedClient(CloudWatchClient, { region }, CLIENT_LIMITS.cloudwatch),
  };
  return deps;
}

/** Lambda entry point for the job-state rule. */
export async function handler(event: JobStateChangeEvent): Promise<StateResult> {
  const settings = stateSettingsFromEnvironment(process.env);
  const result = await applyJobState(event, settings, runtimeDeps(settings.table));
  console.log(JSON.stringify({ message: "video job state", ...result }));
  return result;
}

/** Lambda entry point for the schedule. */
export async function sweepHandler(): Promise<{ stuck: number }> {
  const settings = stateSettingsFromEnvironment(process.env);
  const stuck = await countStuckJobs(settings, runtimeDeps(settings.table));
  console.log(JSON.stringify({ message: "video stuck-job sweep", stuck }));
  return { stuck };
}
