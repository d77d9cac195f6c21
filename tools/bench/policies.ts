import { join } from "node:path";
import { estimateCost } from "../../policies/billing/estimate";
import { PRICES } from "../../policies/billing/prices";
import { usageProfile } from "../../policies/billing/usage";
import type { BenchRow } from "../bench";
import { percentile, timeEach } from "../benchStats";
import { PolicyPackSession } from "../plan/analyzer";
import { costedFromRun } from "../plan/cost";
import { runUnderMocks } from "../mocks/runtime";
import { toAnalyzed } from "../plan/plan";
import { readPolicyConfigFile, resolvePolicyConfig } from "../plan/policyConfig";
import { loadStackFile } from "../mocks/stackFile";

const ROOT = join(__dirname, "..", "..");
const seconds = (from: bigint, to: bigint) => Number(to - from) / 1e9;

/**
 * The policy pack per stack: start-up as the CLI starts it (run-policy-pack, ts-node with
 * type-checking), then the analysis a preview asks of it (GetAnalyzerInfo, Configure,
 * ConfigureStack, one Analyze per resource, one AnalyzeStack), and the total with start-up.
 * The program runs under mocks first and is not timed. Plus the cost estimate on its own.
 */
export async function bench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const { program } = await import("../../stacks/program");
  for (const stack of ["dev", "prod"]) {
    const loaded = loadStackFile(ROOT, stack);
    const run = await runUnderMocks(program, { project: loaded.project, stack, config: loaded.config, secretKeys: loaded.secretKeys });
    const context = { stack, project: loaded.project, organization: "organization", config: loaded.config, secretKeys: loaded.secretKeys };

    const t0 = process.hrtime.bigint();
    const session = await PolicyPackSession.start(join(ROOT, "policies"), context, ROOT);
    const t1 = process.hrtime.bigint();
    let mandatory = 0;
    const perResource: number[] = [];
    let stackSeconds: number;
    try {
      const info = await session.getAnalyzerInfo();
      await session.configure(resolvePolicyConfig(info.policies, readPolicyConfigFile(join(ROOT, "policies", "config", `${stack}.json`)), `${stack}.json`));
      await session.configureStack(context);
      for (const resource of toAnalyzed(run.resources, "inputs")) {
        const started = process.hrtime.bigint();
        mandatory += (await session.analyze(resource)).filter((d) => d.enforcementLevel === "mandatory").length;
        perResource.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      const s0 = process.hrtime.bigint();
      mandatory += (await session.analyzeStack(toAnalyzed(run.resources, "outputs"))).filter((d) => d.enforcementLevel === "mandatory").length;
      stackSeconds = seconds(s0, process.hrtime.bigint());
    } finally {
      await session.stop();
    }
    const t2 = process.hrtime.bigint();
    perResource.sort((a, b) => a - b);
    const note = `${run.resources.length} resources, ${mandatory} mandatory violations`;
    rows.push({ metric: `pack start-up (${stack})`, value: seconds(t0, t1), unit: "s", note: "run-policy-pack with ts-node type-checking, until the port is printed" });
    rows.push({ metric: `pack analysis, start-up excluded (${stack})`, value: seconds(t1, t2), unit: "s", note });
    rows.push({ metric: `pack analysis, start-up included (${stack})`, value: seconds(t0, t2), unit: "s", note });
    rows.push({
      metric: `Analyze per resource, median / p99 (${stack})`,
      value: `${percentile(perResource, 50).toFixed(2)} / ${percentile(perResource, 99).toFixed(2)}`,
      unit: "ms",
      note: "one gRPC round trip through every resource policy",
    });
    rows.push({ metric: `AnalyzeStack (${stack})`, value: stackSeconds * 1000, unit: "ms", note: "every stack policy, incl. the cost estimate" });

    const resources = costedFromRun(run);
    const profile = usageProfile(undefined);
    await timeEach(50, () => estimateCost(resources, profile, PRICES));
    const times = await timeEach(500, () => estimateCost(resources, profile, PRICES));
    rows.push({ metric: `estimateCost, median (${stack})`, value: percentile(times, 50), unit: "ms", note: `${resources.length} AWS resources, 500 runs` });
  }
  return rows;
}
