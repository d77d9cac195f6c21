import { ChildProcess, execFile, spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { freePort } from "../support/emulatorProcess";
import { ROOT } from "../support/harness";

/**
 * Set-up of the browser tier: the fixture Next.js app (test/site/app) built and started with the
 * real `next` package, media made with a real ffmpeg, a signing key pair for the run.
 */

const run = promisify(execFile);
const NEXT_BIN = join(ROOT, "node_modules", "next", "dist", "bin", "next");

/**
 * Copies the fixture to `.tmp/site/app-XXXX` (git-ignored; three folders below the root, like
 * test/site/app, so the app's relative imports of functions/ resolve the same) and returns its path.
 */
export function copyFixtureApp(): string {
  const parent = join(ROOT, ".tmp", "site");
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, "app-"));
  cpSync(join(ROOT, "test", "site", "app"), dir, { recursive: true });
  return dir;
}

const nextEnv = (extra: Record<string, string> = {}) => ({ ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production", ...extra });

/** `next build` in the copied app; rejects with its output when the build fails. */
export async function buildApp(dir: string): Promise<{ seconds: number }> {
  const started = Date.now();
  try {
    await run(process.execPath, [NEXT_BIN, "build"], { cwd: dir, env: nextEnv(), maxBuffer: 20 * 1024 * 1024, timeout: 240_000 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`next build failed: ${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`, { cause: error });
  }
  return { seconds: (Date.now() - started) / 1000 };
}

export interface RunningApp {
  url: string;
  pid: number;
  output: () => string;
  stop(): Promise<void>;
}

/** `next start` on 127.0.0.1 and a free port; resolves once it answers. Stopped by PID. */
export async function startApp(dir: string, env: Record<string, string>): Promise<RunningApp> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [NEXT_BIN, "start", "-H", "127.0.0.1", "-p", String(port)], { cwd: dir, env: nextEnv(env), stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${out}`);
    try {
      const res = await fetch(`${url}/about`, { signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      break;
    } catch {
      if (Date.now() > deadline) {
        process.kill(child.pid!, "SIGKILL");
        throw new Error(`next start did not answer within 60 s:\n${out}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return {
    url,
    pid: child.pid!,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) {
        process.kill(child.pid!, "SIGTERM");
        const timer = setTimeout(() => child.exitCode === null && process.kill(child.pid!, "SIGKILL"), 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** A 2 s H.264/AAC-free MP4 (baseline profile, faststart) and a PNG poster, made by ffmpeg from its test source. */
export async function makeMedia(dir: string): Promise<{ video: Buffer; image: Buffer }> {
  const ffmpeg = (require("@ffmpeg-installer/ffmpeg") as { path: string }).path;
  const video = join(dir, "intro.mp4");
  const image = join(dir, "poster.png");
  await run(ffmpeg, ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-t", "2", "-c:v", "libx264", "-profile:v", "baseline", "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-y", video], { timeout: 60_000 });
  await run(ffmpeg, ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=160x120", "-frames:v", "1", "-y", image], { timeout: 60_000 });
  return { video: readFileSync(video), image: readFileSync(image) };
}

/** Creates the bucket in the S3 emulator and stores the media objects under their bucket keys. */
export async function seedMedia(client: import("@aws-sdk/client-s3").S3Client, bucket: string, objects: { key: string; body: Buffer; contentType: string }[]): Promise<void> {
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const o of objects) await client.send(new PutObjectCommand({ Bucket: bucket, Key: o.key, Body: o.body, ContentType: o.contentType }));
}

/** An RSA 2048 key pair for this run (CloudFront key groups take RSA 2048 public keys). */
export function signingKeyPair(): { publicKeyPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { publicKeyPem: publicKey.export({ type: "spki", format: "pem" }) as string, privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }) as string };
}

/** Removes the copied app (build output included). */
export function removeApp(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * The headless Chromium from `@sparticuz/chromium` (inside the npm package, so `npm ci` is the whole
 * set-up), with its arguments minus the two that would weaken what the test checks
 * (`--disable-web-security`, `--allow-running-insecure-content`), plus `--no-sandbox`.
 */
export async function chromiumLaunchOptions(proxyServer: string): Promise<import("playwright-core").LaunchOptions> {
  const chromium = (require("@sparticuz/chromium") as { default: { args: string[]; executablePath(): Promise<string> } }).default;
  const weakening = new Set(["--disable-web-security", "--allow-running-insecure-content", "--single-process"]);
  const args = [...chromium.args.filter((a) => !weakening.has(a)), "--no-sandbox", "--autoplay-policy=no-user-gesture-required"];
  return { executablePath: await chromium.executablePath(), args, headless: true, proxy: { server: proxyServer } };
}
