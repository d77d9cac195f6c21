import { deflateRawSync } from "node:zlib";
import { join } from "node:path";
import { EDGE_LIMITS, EDGE_NODE_RUNTIME } from "../../components/edge/EdgeFunction";
import { bundleHandler } from "../../components/shared/bundle";
import { CLOUDFRONT_FUNCTION_MAX_BYTES, cloudFrontFunctionSource } from "../../functions/edge/cloudfrontFunction";
import { handler as lambdaEdgeHandler } from "../../functions/edge/lambdaEdgeHeaders";
import { PRICE_TABLE_DATE, PRICES } from "../../policies/billing/prices";
import type { BenchRow } from "../bench";
import { CfEvent, loadCloudFrontFunction, viewerRequestEvent, viewerResponseEvent } from "../edge/cloudfrontFunctionsSandbox";
import { toLambdaEdgeHeaders } from "../edge/cloudfrontHeaders";

const ROOT = join(__dirname, "..", "..");
const REQUESTS = 50_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Synthetic viewer traffic: media fetches (viewer request) and page views, some on admin paths (viewer response). */
function syntheticEvents(count: number): CfEvent[] {
  const pages = ["/", "/tutors/maths", "/admin", "/admin/bookings/42", "/blog/exam-tips", "/%61dmin/users", "/about"];
  return Array.from({ length: count }, (_, i) =>
    i % 4 === 0
      ? viewerRequestEvent({
          uri: `/media/videos/${i.toString(16).padStart(8, "0")}/lesson-${i}.mp4`,
          querystring: { Expires: "1767225600", "Key-Pair-Id": "K2JCJMDEHXQW5F", Signature: "x".repeat(344) },
        })
      : viewerResponseEvent({
          uri: pages[i % pages.length],
          responseHeaders: {
            "content-type": "text/html; charset=utf-8",
            "cache-control": "private, no-store",
            "strict-transport-security": "max-age=63072000; includeSubDomains; preload",
          },
        }),
  );
}

/** Per-invocation wall time in µs, sorted. */
function timeInvocations(invoke: (e: CfEvent) => unknown, events: CfEvent[]): number[] {
  for (const e of events.slice(0, 2000)) invoke(e); // warm up the JIT
  const times = events.map((e) => {
    const start = process.hrtime.bigint();
    invoke(e);
    return Number(process.hrtime.bigint() - start) / 1000;
  });
  return times.sort((a, b) => a - b);
}

/**
 * Edge figures: CloudFront Function size and per-request time in the CloudFront Functions sandbox,
 * the Lambda@Edge bundle, and what each headers path costs per million requests.
 */
export async function bench(): Promise<BenchRow[]> {
  const source = cloudFrontFunctionSource({ mediaPathPrefix: "/media", hosts: ["www.example.com", "example.com"] });
  const fn = loadCloudFrontFunction(source, { timeoutMs: 0 });
  const identity = loadCloudFrontFunction("function handler(event) { return event.context.eventType === 'viewer-request' ? event.request : event.response; }", { timeoutMs: 0 });
  const events = syntheticEvents(REQUESTS);
  const cf = timeInvocations((e) => fn.invokeRaw(e), events);
  const baseline = timeInvocations((e) => identity.invokeRaw(e), events);
  const net = (p: number) => Math.max(0, percentile(cf, p) - percentile(baseline, p));

  const bundle = bundleHandler({ entry: join(ROOT, "functions", "edge", "lambdaEdgeHeaders.ts"), target: EDGE_NODE_RUNTIME.replace(/^nodejs(\d+)\.x$/, "node$1") });
  const zipped = deflateRawSync(Buffer.from(bundle.code), { level: 9 }).length;

  // Lambda@Edge handler in-process: its own compute, without Lambda's invoke overhead or cold starts.
  const edgeTimes: number[] = [];
  const origin = toLambdaEdgeHeaders({ "content-type": "text/html; charset=utf-8", "x-powered-by": "Next.js" });
  for (let i = 0; i < REQUESTS / 5; i++) {
    const event = {
      Records: [
        {
          cf: {
            config: {} as never,
            request: { uri: i % 3 ? "/" : "/admin", method: "GET", querystring: "", clientIp: "198.51.100.11", headers: {} },
            response: { status: "200", statusDescription: "OK", headers: structuredClone(origin) },
          },
        },
      ],
    };
    const start = process.hrtime.bigint();
    await lambdaEdgeHandler(event);
    edgeTimes.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  edgeTimes.sort((a, b) => a - b);

  // Cost per million requests of the headers path (CloudFront's own request price is the same for both).
  const memoryGb = 128 / 1024;
  const billedSeconds = Math.max(1, Math.ceil(percentile(edgeTimes, 50) / 1000)) / 1000; // 1 ms billing granularity
  const defaultPath = PRICES.cloudfrontFunction.usd; // Response Headers Policy: no charge; CloudFront Function per 1M
  const edgeRequests = PRICES.lambdaEdgeRequests.usd;
  const edgeDuration = 1e6 * memoryGb * billedSeconds * PRICES.lambdaEdgeDuration.usd;
  const priceNote = (ids: (keyof typeof PRICES)[]) => `policies/billing/prices.ts ${PRICE_TABLE_DATE}: ${ids.map((id) => `${id} ${PRICES[id].confidence}`).join(", ")}`;

  return [
    { metric: "CloudFront Function source size", value: Buffer.byteLength(source), unit: "bytes", note: `limit ${CLOUDFRONT_FUNCTION_MAX_BYTES}; the exact deployed source` },
    {
      metric: "CloudFront Function time per request, median",
      value: percentile(cf, 50),
      unit: "µs",
      note: `${REQUESTS} synthetic requests in the node:vm sandbox (no watchdog), incl. event marshalling`,
    },
    { metric: "CloudFront Function time per request, p99", value: percentile(cf, 99), unit: "µs" },
    {
      metric: "CloudFront Function handler only, median / p99",
      value: `${net(50).toFixed(1)} / ${net(99).toFixed(1)}`,
      unit: "µs",
      note: "minus an identity handler run the same way; CloudFront reports compute utilisation, not wall time",
    },
    {
      metric: "Lambda@Edge bundle size",
      value: bundle.bytes,
      unit: "bytes",
      note: `deflated ~${zipped} bytes; viewer-trigger limit ${EDGE_LIMITS.viewer.maxPackageBytes} (zipped)`,
    },
    {
      metric: "Lambda@Edge handler time, median / p99",
      value: `${percentile(edgeTimes, 50).toFixed(1)} / ${percentile(edgeTimes, 99).toFixed(1)}`,
      unit: "µs",
      note: "in-process; Lambda bills at least 1 ms per invocation, cold starts extra",
    },
    {
      metric: "edge compute cost, default (policy + CF Function)",
      value: defaultPath,
      unit: "USD / 1M requests",
      note: `Response Headers Policy $0; the function runs on every request (Host check); ${priceNote(["cloudfrontFunction"])}; 2M invocations/month free not credited`,
    },
    {
      metric: "Lambda@Edge headers, extra cost per 1M origin responses",
      value: edgeRequests + edgeDuration,
      unit: "USD / 1M cache misses",
      note: `on top of the default path (the function still checks Host); $${edgeRequests} requests + $${edgeDuration.toFixed(5)} duration (128 MB, ${billedSeconds * 1000} ms billed); ${priceNote(["lambdaEdgeRequests", "lambdaEdgeDuration"])}`,
    },
  ];
}
