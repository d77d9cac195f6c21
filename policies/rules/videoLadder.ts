/**
 * The video pipeline's adaptive ladder: data the MediaConvert job definition
 * (functions/video/jobSettings.ts) and the cost estimate (policies/billing) both read, kept
 * here because the pack may import nothing outside policies/.
 *
 * Starting point: AWS's QVBR guidance (MediaConvert User Guide, "Quality-defined variable bitrate
 * mode": quality level 7 at 720p and below, 8 at 1080p, a MaxBitrate cap per rendition) and the
 * renditions of AWS's "Video on Demand on AWS" HLS templates (1080p/720p/540p/360p), with caps cut for
 * lesson videos: a tutor, a whiteboard or slides change little from frame to frame, so QVBR reaches
 * its quality target far below a film's bitrate, and the caps only bound the worst case.
 */
export interface Rendition {
  /** Suffix of its playlist and segments (`index_<name>.m3u8`). */
  name: string;
  width: number;
  height: number;
  /** QVBR quality level, 1-10. */
  qvbrQualityLevel: number;
  /** Peak bitrate cap in bits per second. */
  maxBitrate: number;
}

export const LESSON_LADDER: readonly Rendition[] = [
  { name: "1080p", width: 1920, height: 1080, qvbrQualityLevel: 8, maxBitrate: 4_500_000 },
  { name: "720p", width: 1280, height: 720, qvbrQualityLevel: 7, maxBitrate: 2_500_000 },
  { name: "540p", width: 960, height: 540, qvbrQualityLevel: 7, maxBitrate: 1_200_000 },
  { name: "360p", width: 640, height: 360, qvbrQualityLevel: 7, maxBitrate: 600_000 },
];

/**
 * MediaConvert bills each output minute by resolution class (aws.amazon.com/mediaconvert/pricing:
 * SD below 720 lines, HD 720 to 1080, UHD above): output minutes per input minute, by class.
 */
export function ladderOutputMinutes(ladder: readonly Rendition[] = LESSON_LADDER): { sd: number; hd: number; uhd: number } {
  const out = { sd: 0, hd: 0, uhd: 0 };
  for (const r of ladder) {
    if (r.height < 720) out.sd++;
    else if (r.height <= 1080) out.hd++;
    else out.uhd++;
  }
  return out;
}
