import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { keyOf, SessionStore } from "../../functions/sessions/store";
import { createSessionTable, dynaliteClient, startDynalite } from "../../test/support/dynalite";
import { FakeKms } from "../../test/support/fakeKms";
import { loadavg } from "node:os";
import type { BenchRow } from "../bench";

const SESSIONS = 200;
const SECONDS = 2;

/** Runs `op` with `concurrency` callers for `seconds`; returns completed operations per second and latencies (ms). */
async function measure(concurrency: number, seconds: number, op: (i: number) => Promise<unknown>): Promise<{ perSecond: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  const deadline = Date.now() + seconds * 1000;
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        const t0 = process.hrtime.bigint();
        await op(next++);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return { perSecond: latencies.length / elapsed, p50: at(0.5), p99: at(0.99) };
}

/**
 * Session store operations per second against dynalite (in memory, on 127.0.0.1), started and
 * stopped here. A figure to watch for regressions in the store's own code path (request building,
 * hashing, marshalling, consistency checks); real DynamoDB latency (single-digit ms in-region)
 * and throughput (on demand) are different and are not measured here.
 */
export async function bench(): Promise<BenchRow[]> {
  const dynalite = await startDynalite();
  const client = dynaliteClient(dynalite.endpoint);
  try {
    await createSessionTable(client, "bench-sessions");
    // Session data sealed as in production; KMS is the in-process fake (data keys cached, so KMS is rarely asked).
    const kms = new FakeKms();
    const store = new SessionStore({ client, tableName: "bench-sessions", encryption: { kms: kms.client, keyId: kms.keyArn } });
    const ids: string[] = [];
    for (let i = 0; i < SESSIONS; i++) ids.push((await store.create({ userId: `user-${i % 20}`, data: { cart: [`lesson-${i}`], role: "parent", views: i } })).id);
    // Warm up the HTTP agent and dynalite's code paths.
    await measure(4, 0.3, (i) => store.get(ids[i % SESSIONS]));

    // Baseline: the same consistent GetItem sent with the bare SDK client, to separate the store's own cost from the emulator's.
    const keys = ids.map(keyOf);
    const raw = await measure(1, SECONDS, (i) => client.send(new GetItemCommand({ TableName: "bench-sessions", Key: { pk: { S: keys[i % SESSIONS] } }, ConsistentRead: true })));
    const rows: BenchRow[] = [];
    const note = `dynalite 4 in memory, data sealed (AES-256-GCM, fake KMS), ${SESSIONS} sessions, ${SECONDS} s per run, Node ${process.version}`;
    for (const concurrency of [1, 16]) {
      const get = await measure(concurrency, SECONDS, (i) => store.get(ids[i % SESSIONS]));
      const touch = await measure(concurrency, SECONDS, (i) => store.touch(ids[i % SESSIONS]));
      rows.push(
        { metric: `session get (consistent read), concurrency ${concurrency}`, value: Math.round(get.perSecond), unit: "ops/s", note: concurrency === 1 ? note : undefined },
        { metric: `session get latency p50 / p99, concurrency ${concurrency}`, value: `${get.p50.toFixed(2)} / ${get.p99.toFixed(2)}`, unit: "ms" },
        { metric: `session touch (conditional update), concurrency ${concurrency}`, value: Math.round(touch.perSecond), unit: "ops/s" },
        { metric: `session touch latency p50 / p99, concurrency ${concurrency}`, value: `${touch.p50.toFixed(2)} / ${touch.p99.toFixed(2)}`, unit: "ms" },
      );
    }
    rows.push({
      metric: "baseline: bare SDK GetItem (consistent), concurrency 1",
      value: Math.round(raw.perSecond),
      unit: "ops/s",
      note: `p50 ${raw.p50.toFixed(2)} ms; machine load average ${loadavg()[0].toFixed(1)}`,
    });
    return rows;
  } finally {
    client.destroy();
    await dynalite.stop();
  }
}
