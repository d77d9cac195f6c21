import { createPlaybackUrl } from "../../../../../functions/media/createPlaybackUrl";

const VIDEO = "videos/7d9c1f0e-4b2a-4c55-9b8e-2f1d3a4b5c6d/intro.mp4";
const IMAGE = "images/0b8f7a2e-1c3d-4e5f-8a9b-0c1d2e3f4a5b/poster.png";

function signer() {
  const { MEDIA_DOMAIN, MEDIA_KEY_PAIR_ID, MEDIA_PRIVATE_KEY } = process.env;
  if (!MEDIA_DOMAIN || !MEDIA_KEY_PAIR_ID || !MEDIA_PRIVATE_KEY) throw new Error("MEDIA_DOMAIN, MEDIA_KEY_PAIR_ID and MEDIA_PRIVATE_KEY must be set");
  return (key: string, nowOffsetSeconds = 0) =>
    createPlaybackUrl(key, { domain: MEDIA_DOMAIN, keyPairId: MEDIA_KEY_PAIR_ID, privateKey: MEDIA_PRIVATE_KEY, expiresInSeconds: 60, now: () => new Date(Date.now() + nowOffsetSeconds * 1000) }).url;
}

/** Media from the media path: signed as the app signs them, and deliberately broken variants. */
export default function Lesson() {
  const sign = signer();
  const tampered = sign(VIDEO).replace(/Signature=([^&]{8})/, "Signature=AAAAAAAA");
  return (
    <>
      <h1 id="lesson-title">Lesson</h1>
      {/* eslint-disable-next-line @next/next/no-img-element */}
      <img id="poster" src={sign(IMAGE)} alt="poster" width={160} height={120} />
      {/* eslint-disable-next-line @next/next/no-img-element */}
      <img id="poster-unsigned" src={`/media/${IMAGE}`} alt="unsigned poster" width={160} height={120} />
      <video id="video" src={sign(VIDEO)} muted playsInline preload="auto" width={160} height={120} />
      <video id="video-tampered" src={tampered} muted playsInline preload="auto" width={160} height={120} />
      <video id="video-expired" src={sign(VIDEO, -3600)} muted playsInline preload="auto" width={160} height={120} />
    </>
  );
}
