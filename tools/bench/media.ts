import { generateKeyPairSync } from "node:crypto";
import { S3Client } from "@aws-sdk/client-s3";
import { createPlaybackUrl } from "../../functions/media/createPlaybackUrl";
import { createUploadUrl } from "../../functions/media/createUploadUrl";
import type { BenchRow } from "../bench";
import { percentile, timeEach } from "../benchStats";

/**
 * Server-side cost of the media functions per call, in-process (no network: presigning and
 * CloudFront signing are local computations). Figures for sizing the site's upload/playback API.
 */
export async function bench(): Promise<BenchRow[]> {
  const s3 = new S3Client({ region: "eu-west-2", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "bench-secret" } });
  const upload = { s3, bucket: "mpto-media-bench", maxVideoBytes: 1024 ** 3, maxImageBytes: 10 * 1024 ** 2 };
  const runs = 2000;
  await timeEach(100, () => createUploadUrl({ fileName: "Warm up.mp4", contentType: "video/mp4", size: 1000 }, upload));
  const uploadTimes = await timeEach(runs, (i) => createUploadUrl({ fileName: `Algebra lesson ${i}.mp4`, contentType: "video/mp4", size: 50_000_000 }, upload));
  s3.destroy();

  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const playback = { domain: "www.myprivatetutoronline.com", keyPairId: "K2JCJMDEHXQW5F", privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString() };
  const key = "videos/3f1c2b4a-9d8e-4f7a-8b6c-5d4e3f2a1b0c/algebra-lesson-1.mp4";
  await timeEach(100, () => createPlaybackUrl(key, playback));
  const playbackTimes = await timeEach(runs, () => createPlaybackUrl(key, playback));
  const sha1Times = await timeEach(runs, () => createPlaybackUrl(key, { ...playback, hashAlgorithm: "SHA1" }));

  const note = `${runs} calls after 100 warm-up, in-process, Node ${process.version}`;
  return [
    { metric: "createUploadUrl (presigned POST) median", value: percentile(uploadTimes, 50), unit: "ms", note },
    { metric: "createUploadUrl (presigned POST) p99", value: percentile(uploadTimes, 99), unit: "ms", note },
    { metric: "createPlaybackUrl (RSA-2048, SHA-256) median", value: percentile(playbackTimes, 50), unit: "ms", note },
    { metric: "createPlaybackUrl (RSA-2048, SHA-256) p99", value: percentile(playbackTimes, 99), unit: "ms", note },
    { metric: "createPlaybackUrl (RSA-2048, SHA-1) median", value: percentile(sha1Times, 50), unit: "ms", note },
  ];
}
