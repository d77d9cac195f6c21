import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { SendEmailCommand } from "@aws-sdk/client-ses";
import { bundleHandler } from "../../components/shared/bundle";
import { sendBookingConfirmation } from "../../functions/mail/sendBookingConfirmation";
import { createHandler } from "../../functions/mail/sesEventHandler";
import type { BenchRow } from "../bench";
import { percentile, timeEach } from "../benchStats";

/**
 * Mail functions, in-process: validation + rendering of a confirmation (the SES call replaced by a
 * client that returns at once, so only our code is timed), the event handler's throughput, and the
 * size of the Lambda archive esbuild produces for the handler.
 */
export async function bench(): Promise<BenchRow[]> {
  const root = join(__dirname, "..", "..");
  let lastBytes = 0;
  const ses = {
    send: async (command: SendEmailCommand) => {
      lastBytes = (command.input.Message?.Body?.Html?.Data?.length ?? 0) + (command.input.Message?.Body?.Text?.Data?.length ?? 0);
      return { MessageId: "bench", $metadata: {} };
    },
  } as unknown as Parameters<typeof sendBookingConfirmation>[1]["ses"];
  const deps = { ses, sender: "bookings@myprivatetutoronline.com", adminEmail: "admin@myprivatetutoronline.com" };
  const booking = (i: number) => ({
    bookingId: `bk_${i}`,
    parentName: "Siobhán O'Brien",
    parentEmail: `parent${i}@example.com`,
    studentName: "Tom O'Brien",
    tutorName: "Dr Ada Lovelace",
    subject: "GCSE Maths",
    startsAt: "2026-03-30T16:00:00+01:00",
    durationMinutes: 60,
    notes: "Please focus on <fractions> & decimals.\nThank you!",
  });
  const runs = 2000;
  await timeEach(100, (i) => sendBookingConfirmation(booking(i), deps));
  const sendTimes = await timeEach(runs, (i) => sendBookingConfirmation(booking(i), deps));

  const sample = readFileSync(join(root, "test", "fixtures", "ses", "event-bounce.json"), "utf8");
  const batch = { Records: Array.from({ length: 100 }, (_, i) => ({ EventSource: "aws:sns", Sns: { MessageId: String(i), Message: sample } })) };
  const handler = createHandler({ write: () => undefined, now: () => 0 });
  await timeEach(20, () => handler(batch));
  const batchTimes = await timeEach(200, () => handler(batch));

  const started = process.hrtime.bigint();
  const bundle = bundleHandler({ entry: join(root, "functions", "mail", "sesEventHandler.ts"), target: "node24", minify: true });
  const bundleMs = Number(process.hrtime.bigint() - started) / 1e6;

  const note = `in-process, Node ${process.version}`;
  return [
    { metric: "booking confirmation: validate + render, p50", value: percentile(sendTimes, 50), unit: "ms", note: `${runs} calls, SES call stubbed; ${note}` },
    { metric: "booking confirmation: validate + render, p99", value: percentile(sendTimes, 99), unit: "ms" },
    { metric: "booking confirmation: HTML + text size", value: lastBytes, unit: "chars" },
    { metric: "SES event handler: 100-record batch, p50", value: percentile(batchTimes, 50), unit: "ms", note: `200 batches of the AWS bounce sample; ${note}` },
    { metric: "SES event handler: records per second", value: Math.round(100 / (percentile(batchTimes, 50) / 1000)), unit: "records/s" },
    {
      metric: "SES event handler bundle (esbuild, minified)",
      value: bundle.bytes,
      unit: "bytes",
      note: `${gzipSync(bundle.code).length} bytes gzipped; bundled in ${bundleMs.toFixed(0)} ms (cached after first)`,
    },
  ];
}
