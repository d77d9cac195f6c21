/**
 * The MediaConvert job the video pipeline runs for every upload, as data: an HLS adaptive ladder with
 * QVBR H.264 and AAC, plus poster frames. Validated against MediaConvert's own API model
 * (mediaconvert-job-settings.schema.json, generated from botocore's service-2.json) by
 * test/components/media/jobSettings.spec.ts, so a misspelled setting or an out-of-range value fails
 * here rather than at CreateJob.
 *
 * The ladder (renditions, QVBR levels, caps) is in policies/rules/videoLadder.ts, which the cost
 * estimate reads too.
 */

import type { JobSettings } from "@aws-sdk/client-mediaconvert";

export { LESSON_LADDER, type Rendition } from "../../policies/rules/videoLadder";
import { LESSON_LADDER } from "../../policies/rules/videoLadder";

/** AAC stereo per rendition (muxed into each HLS rendition: one request per segment for the player). */
export const AUDIO_BITRATE = 96_000;

/** HLS segment length in seconds: 6 is Apple's recommendation (HLS Authoring Specification, 6.x). */
export const SEGMENT_SECONDS = 6;

/** Where each output of a video goes, relative to `videos/<id>/` (functions/media/keys.ts VIDEO_ASSET_FILES). */
export const OUTPUT_LAYOUT = { masterPlaylist: "hls/index.m3u8", hlsBase: "hls/index", posterBase: "poster/poster" } as const;

export interface JobSettingsInput {
  bucket: string;
  /** The original, `uploads/<id>/<name>`. */
  sourceKey: string;
  /** The video's id: outputs go under `videos/<id>/`. */
  videoId: string;
  /** Longest duration transcoded; the input is clipped there (the pipeline records longer inputs as an error). */
  maxDurationSeconds: number;
}

/** `HH:MM:SS:FF` for a whole number of seconds (MediaConvert timecodes, ZEROBASED source). */
export function timecode(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(Math.floor(s / 3600))}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}:00`;
}

/**
 * The `Settings` of CreateJob (MediaConvert JobSettings, PascalCase as the API model names them).
 * Typed with the AWS SDK's own JobSettings, so `tsc` checks names and enum values a second way.
 */
export function jobSettings(input: JobSettingsInput): JobSettings {
  const out = `s3://${input.bucket}/videos/${input.videoId}/`;
  const s3Encryption = { S3Settings: { Encryption: { EncryptionType: "SERVER_SIDE_ENCRYPTION_S3" as const } } };
  return {
    TimecodeConfig: { Source: "ZEROBASED" },
    Inputs: [
      {
        FileInput: `s3://${input.bucket}/${input.sourceKey}`,
        TimecodeSource: "ZEROBASED",
        // Bounds the cost of an over-long upload: nothing past the limit is transcoded.
        InputClippings: [{ EndTimecode: timecode(input.maxDurationSeconds) }],
        VideoSelector: {},
        AudioSelectors: { "Audio Selector 1": { DefaultSelection: "DEFAULT" } },
      },
    ],
    OutputGroups: [
      {
        Name: "HLS",
        OutputGroupSettings: {
          Type: "HLS_GROUP_SETTINGS",
          HlsGroupSettings: {
            Destination: `${out}${OUTPUT_LAYOUT.hlsBase}`,
            DestinationSettings: s3Encryption,
            SegmentLength: SEGMENT_SECONDS,
            MinSegmentLength: 0,
            SegmentControl: "SEGMENTED_FILES",
            DirectoryStructure: "SINGLE_DIRECTORY",
            ManifestDurationFormat: "INTEGER",
            OutputSelection: "MANIFESTS_AND_SEGMENTS",
            CodecSpecification: "RFC_4281",
            StreamInfResolution: "INCLUDE",
            ProgramDateTime: "EXCLUDE",
            ClientCache: "ENABLED",
          },
        },
        Outputs: LESSON_LADDER.map((r) => ({
          NameModifier: `_${r.name}`,
          ContainerSettings: { Container: "M3U8", M3u8Settings: {} },
          VideoDescription: {
            Width: r.width,
            Height: r.height,
            ScalingBehavior: "DEFAULT",
            CodecSettings: {
              Codec: "H_264",
              H264Settings: {
                RateControlMode: "QVBR",
                QvbrSettings: { QvbrQualityLevel: r.qvbrQualityLevel },
                MaxBitrate: r.maxBitrate,
                QualityTuningLevel: "SINGLE_PASS_HQ",
                SceneChangeDetect: "TRANSITION_DETECTION",
                CodecProfile: "HIGH",
                CodecLevel: "AUTO",
                // Two-second GOPs: every 6 s segment starts on a keyframe, so renditions switch cleanly.
                GopSize: 2,
                GopSizeUnits: "SECONDS",
                FramerateControl: "INITIALIZE_FROM_SOURCE",
              },
            },
          },
          AudioDescriptions: [
            {
              AudioSourceName: "Audio Selector 1",
              CodecSettings: { Codec: "AAC", AacSettings: { Bitrate: AUDIO_BITRATE, CodingMode: "CODING_MODE_2_0", SampleRate: 48_000 } },
            },
          ],
        })),
      },
      {
        Name: "Poster",
        OutputGroupSettings: { Type: "FILE_GROUP_SETTINGS", FileGroupSettings: { Destination: `${out}${OUTPUT_LAYOUT.posterBase}`, DestinationSettings: s3Encryption } },
        Outputs: [
          {
            ContainerSettings: { Container: "RAW" },
            VideoDescription: {
              Width: 1280,
              Height: 720,
              // A frame every 5 s, at most 2: the second (at 5 s) avoids a black first frame; short videos keep the first.
              CodecSettings: { Codec: "FRAME_CAPTURE", FrameCaptureSettings: { FramerateNumerator: 1, FramerateDenominator: 5, MaxCaptures: 2, Quality: 80 } },
            },
          },
        ],
      },
    ],
  };
}
