import { type ConfigValues, fields, type StackOutputs } from "../shared/configField";
import type * as pulumi from "@pulumi/pulumi";
import { PRIMARY_REGION } from "../shared/regions";
import type { MediaBucket, MediaBucketArgs } from "./MediaBucket";
import { VIDEO_PIPELINE_DEFAULTS, type VideoPipeline, type VideoPipelineArgs } from "./VideoPipeline";

const MIB = 1024 * 1024;
/** Largest object a single presigned POST may upload (S3 limit: 5 GB). */
export const MAX_POST_UPLOAD_BYTES = 5 * 1024 * MIB;

/** The private media bucket and the upload limits the site's upload endpoint enforces. */
export const mediaFields = {
  mediaMaxVideoUploadBytes: fields.integer({
    description: `Largest video a browser may upload through a presigned POST, in bytes (content-length-range). Default ${VIDEO_PIPELINE_DEFAULTS.maxUploadBytes} (1 GiB).`,
    expected: `a whole number of bytes from 1048576 (1 MiB) to ${MAX_POST_UPLOAD_BYTES} (5 GiB, the S3 POST limit)`,
    min: MIB,
    max: MAX_POST_UPLOAD_BYTES,
    default: VIDEO_PIPELINE_DEFAULTS.maxUploadBytes,
  }),
  mediaMaxImageUploadBytes: fields.integer({
    description: "Largest image a browser may upload through a presigned POST, in bytes (content-length-range). Default 10485760 (10 MiB).",
    expected: "a whole number of bytes from 1024 to 104857600 (100 MiB)",
    min: 1024,
    max: 100 * MIB,
    default: 10 * MIB,
  }),
  mediaNoncurrentVersionDays: fields.integer({
    description: "Days an overwritten or deleted media object version is kept before S3 expires it. Default 30.",
    expected: "a whole number of days from 1 to 3650",
    min: 1,
    max: 3650,
    default: 30,
  }),
  mediaAccessLogDays: fields.integer({
    description: "Days the media bucket's S3 server access logs are kept. Default 90.",
    expected: "a whole number of days from 1 to 3650",
    min: 1,
    max: 3650,
    default: 90,
  }),
  videoPipeline: fields.boolean({
    description: "Transcode uploaded videos into adaptive HLS with MediaConvert (components/media/VideoPipeline.ts; billed per output minute). Default false.",
    default: false,
  }),
  videoMaxDurationMinutes: fields.integer({
    description: `Longest video the pipeline transcodes, in minutes; longer uploads are clipped there and recorded as TOO_LONG (bounds the cost of one upload). Default ${VIDEO_PIPELINE_DEFAULTS.maxDurationMinutes}.`,
    expected: "a whole number of minutes from 1 to 600",
    min: 1,
    max: 600,
    default: VIDEO_PIPELINE_DEFAULTS.maxDurationMinutes,
  }),
  videoOriginalsExpireDays: fields.integer({
    description: "Days a video original stays under uploads/ after upload (the pipeline has transcoded it by then); 0 = keep originals. Default 30.",
    expected: "a whole number of days from 0 to 3650",
    min: 0,
    max: 3650,
    default: 30,
  }),
  videoStuckAfterMinutes: fields.integer({
    description: `A video job not finished and unchanged for this many minutes raises the stuck-jobs alarm. Default ${VIDEO_PIPELINE_DEFAULTS.stuckAfterMinutes}.`,
    expected: "a whole number of minutes from 15 to 1440",
    min: 15,
    max: 1440,
    default: VIDEO_PIPELINE_DEFAULTS.stuckAfterMinutes,
  }),
  videoEventsUrl: fields.text({
    description:
      "HTTPS endpoint of the app subscribed to the video events topic (SNS signs each message; confirm the subscription once). Default none: the app reads the asset table.",
    expected: "an https:// URL",
    pattern: /^https:\/\/[a-z0-9.-]+(:\d+)?(\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)?$/,
    required: false,
  }),
};

/** The media section, and the stack-wide keys the bucket and the pipeline read (stacks/config/site.ts, core.ts; monitoring's alarmLambdaErrors). */
export type MediaConfig = ConfigValues<typeof mediaFields> & {
  readonly siteHostnames: string[];
  readonly protectStatefulResources: boolean;
  readonly logRetentionDays: number;
  readonly alarmLambdaErrors: number;
};

/** How the MediaBucket reads its config: uploads/ expire only where the pipeline transcodes them. */
export function mediaBucketArgs(c: MediaConfig): MediaBucketArgs {
  return {
    siteHostnames: c.siteHostnames,
    noncurrentVersionDays: c.mediaNoncurrentVersionDays,
    accessLogDays: c.mediaAccessLogDays,
    protect: c.protectStatefulResources,
    eventBridgeNotifications: c.videoPipeline,
    uploadsExpireDays: c.videoPipeline ? c.videoOriginalsExpireDays : 0,
  };
}

/** How the VideoPipeline reads its config; undefined when the stack has none (mpto:videoPipeline false). */
export function videoPipelineArgs(c: MediaConfig, media: Pick<MediaBucket, "bucketName" | "bucketArn">, alarmTopicArn: pulumi.Input<string>): VideoPipelineArgs | undefined {
  if (!c.videoPipeline) return undefined;
  return {
    bucketName: media.bucketName,
    bucketArn: media.bucketArn,
    alarmTopicArn,
    maxUploadBytes: c.mediaMaxVideoUploadBytes,
    maxDurationMinutes: c.videoMaxDurationMinutes,
    stuckAfterMinutes: c.videoStuckAfterMinutes,
    notificationUrl: c.videoEventsUrl,
    protect: c.protectStatefulResources,
    logRetentionDays: c.logRetentionDays,
    errorAlarmThreshold: c.alarmLambdaErrors,
  };
}

/** The stack outputs of the media bucket, with the upload limits the site's upload endpoint enforces. */
export function mediaStackOutputs(media: MediaBucket, c: MediaConfig): StackOutputs {
  return {
    mediaBucketName: media.bucketName,
    mediaBucketRegion: PRIMARY_REGION,
    mediaAccessLogBucketName: media.accessLogBucketName,
    mediaMaxVideoUploadBytes: c.mediaMaxVideoUploadBytes,
    mediaMaxImageUploadBytes: c.mediaMaxImageUploadBytes,
  };
}

/** The stack outputs of the video pipeline. */
export function videoStackOutputs(video: VideoPipeline): StackOutputs {
  return { videoAssetTableName: video.assetTableName, videoEventsTopicArn: video.eventsTopicArn };
}
