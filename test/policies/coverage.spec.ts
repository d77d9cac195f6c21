import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { families } from "../../policies/catalog";
import { COVERAGE } from "../../policies/coverage";
import { README, renderReadme, resolvedConfigs } from "../../tools/policyDocs";
import * as pulumi from "@pulumi/pulumi";
import { ROOT } from "../support/harness";
import { isStackPolicy, POLICIES, runResource, runStack } from "../support/policies";
import { ALL_CASES } from "./cases";
import type { PolicyCase } from "./cases/types";

/** Rows that claim a policy judges the rule: covered, partial or nominal. */
const CLAIMS = new Set(["covered", "partial", "nominal"]);

/** The violations of a case run with `config` in place of the case's own config overrides. */
async function violationsUnder(c: PolicyCase, config: Record<string, unknown>): Promise<string[]> {
  const policy = POLICIES.get(c.policy)!;
  const saved = pulumi.runtime.allConfig();
  if (c.stackConfig) pulumi.runtime.setAllConfig(c.stackConfig);
  try {
    if (isStackPolicy(policy)) return (await runStack(policy, c.resources ?? [], config)).map((v) => v.message);
    return await runResource(policy, c.type!, c.props ?? {}, { config, providerRegion: c.providerRegion });
  } finally {
    if (c.stackConfig) pulumi.runtime.setAllConfig(saved);
  }
}

/**
 * Rule IDs a description cites, with the shorthand expanded: "CKV_AWS_53/54/55/56",
 * "CloudFront.7/8/15", "CloudTrail.1/.2", "AwsSolutions-CFR6/CFR7/S5", "AVD-AWS-0086/0087".
 */
export function citedRuleIds(description: string): Set<string> {
  const ids = new Set<string>();
  const text = description.replace(/†/g, "");
  for (const token of text.split(/[\s,();]+/)) {
    const parts = token.split("/").filter(Boolean);
    let previous = "";
    for (const part of parts) {
      let id = part.replace(/[.:]$/, "");
      if (previous) {
        if (/^\d+$/.test(id)) id = previous.replace(/\d+$/, "") + id; // CKV_AWS_53/54, AVD-AWS-0086/0087, CloudFront.7/8
        else if (/^\.\d+$/.test(id)) id = previous.replace(/\.\d+$/, "") + id; // CloudTrail.1/.2
        else if (/^[A-Z]+\d+$/.test(id) && previous.startsWith("AwsSolutions-")) id = `AwsSolutions-${id}`; // CFR6/CFR7
      }
      ids.add(id);
      previous = id;
    }
  }
  // Multi-word IDs are matched as phrases.
  for (const m of text.matchAll(/NIST [A-Za-z0-9]+|awsguard [a-z-]+|CT\.[A-Z]+\.PR\.\d+(?:\/\.\d+)*/g)) {
    const [base, ...more] = m[0].split("/");
    ids.add(base);
    for (const suffix of more) ids.add(base.replace(/\.\d+$/, "") + suffix);
  }
  return ids;
}

describe("the coverage table (policies/coverage.ts)", () => {
  const covered = COVERAGE.filter((r) => CLAIMS.has(r.status));

  it("lists each rule once", () => {
    const seen = new Set<string>();
    for (const r of COVERAGE) {
      assert.ok(!seen.has(r.rule), `duplicate row ${r.rule}`);
      seen.add(r.rule);
    }
  });

  it("links every rule of a public catalogue to its definition (documentation or source)", () => {
    for (const r of COVERAGE.filter((row) => row.catalogue !== "Other")) assert.match(r.source ?? "", /^https:\/\//, `${r.rule} (${r.catalogue}) has no source link`);
  });

  it("claims covered only when a tagged failing case fails under a real stack's config at a mandatory level; otherwise the row says partial or nominal", async () => {
    const configs = resolvedConfigs();
    const wrong: string[] = [];
    for (const r of covered.filter((row) => row.catalogue !== "Other")) {
      const proofs = ALL_CASES.filter((c) => c.policy === r.policy && c.expect !== "pass" && c.rules?.includes(r.rule));
      let proven = false;
      const seen: string[] = [];
      for (const stack of ["dev", "prod"] as const) {
        const resolved = configs[stack][r.policy!];
        if (!resolved) continue;
        for (const proof of proofs) {
          const found = await violationsUnder(proof, resolved.properties ?? {});
          const patterns = ([] as RegExp[]).concat(proof.expect as RegExp | RegExp[]);
          const fails = found.some((m) => patterns.some((p) => p.test(m)));
          seen.push(`${stack} ${resolved.enforcementLevel}: ${fails ? "fails" : "passes"}`);
          if (fails && resolved.enforcementLevel === "mandatory") proven = true;
        }
      }
      if (proven && r.status === "nominal") wrong.push(`${r.rule}: marked nominal, but its failing case fails at a mandatory level (${seen.join("; ")}): mark it covered or partial`);
      if (!proven && r.status !== "nominal") wrong.push(`${r.rule}: marked ${r.status}, but no tagged failing case fails under a stack's own config at a mandatory level (${seen.join("; ") || "no case"}): it is nominal`);
    }
    assert.deepEqual(wrong, []);
  });

  it("says, for every partial or nominal row, what is missing or why it is not enforced", () => {
    for (const r of COVERAGE.filter((row) => row.status === "partial" || row.status === "nominal")) assert.ok(r.note && r.note.length > 20, `${r.rule} (${r.status}) needs a note`);
  });

  it("gives every row that is not covered a reason", () => {
    for (const r of COVERAGE.filter((row) => row.status !== "covered")) assert.ok(r.note && r.note.length > 4, `${r.rule} needs a reason`);
  });

  it("names, for every covered rule, a policy of the pack", () => {
    for (const r of covered) assert.ok(r.policy && POLICIES.has(r.policy), `${r.rule}: no policy named ${r.policy}`);
  });

  it("marks a rule covered only when the covering policy's description cites it (or the row says it is indirect)", () => {
    for (const r of covered.filter((row) => !row.indirect && row.catalogue !== "Other")) {
      const cited = citedRuleIds(POLICIES.get(r.policy!)!.description);
      const id = r.rule.replace(/^NIST /, "NIST ");
      assert.ok(cited.has(id), `${r.rule}: the description of ${r.policy} does not cite it (cites ${[...cited].filter((c) => /[A-Z]/.test(c)).join(", ")})`);
    }
  });

  it("marks a rule covered only when a failing-case test of that policy is tagged with it", () => {
    const missing: string[] = [];
    for (const r of covered.filter((row) => row.catalogue !== "Other")) {
      const proof = ALL_CASES.find((c) => c.policy === r.policy && c.expect !== "pass" && c.rules?.includes(r.rule));
      if (!proof) missing.push(`${r.rule} (${r.policy})`);
    }
    assert.deepEqual(missing, [], `covered rules without a failing case tagged with them:\n${missing.join("\n")}`);
  });

  it("tags failing cases only with rules the table lists as covered by that policy", () => {
    for (const c of ALL_CASES) {
      for (const rule of c.rules ?? []) {
        const row = COVERAGE.find((r) => r.rule === rule);
        assert.ok(row, `case "${c.title}" cites ${rule}, which is not in the table`);
        assert.ok(CLAIMS.has(row.status), `${rule} is cited by a case but marked ${row.status}`);
      }
    }
  });

  it("puts every security policy of the pack in the table (billing guards are documented beside it)", () => {
    const inTable = new Set(COVERAGE.map((r) => r.policy));
    for (const [family, policies] of Object.entries(families)) {
      if (family === "billing") continue;
      for (const p of policies) if (p.name !== "provider-default-tags") assert.ok(inTable.has(p.name), `${p.name} (${family}) has no row`);
    }
  });
});

describe("the policy cases", () => {
  it("give every billing and security policy at least one passing and one failing case", () => {
    for (const [family, policies] of Object.entries(families)) {
      if (family === "tags") continue; // specified in requiredTags.spec.ts
      for (const p of policies) {
        const cases = ALL_CASES.filter((c) => c.policy === p.name);
        assert.ok(cases.some((c) => c.expect === "pass"), `${p.name} has no passing case`);
        assert.ok(cases.some((c) => c.expect !== "pass"), `${p.name} has no failing case`);
      }
    }
  });

  it("leave the tag family to its own spec, which has passing and failing cases for both its policies", () => {
    const spec = join(ROOT, "test", "policies", "requiredTags.spec.ts");
    assert.ok(existsSync(spec));
    const text = readFileSync(spec, "utf8");
    for (const name of ["requiredTags", "providerDefaultTags"]) assert.ok(text.includes(`violations(${name}`), `${name} is not exercised`);
  });
});

describe("policies/README.md", () => {
  it("carries the generated policy list, coverage table and price table of the current pack (npm run policies:docs)", () => {
    const current = readFileSync(README, "utf8");
    assert.equal(renderReadme(current, resolvedConfigs()), current, "run npm run policies:docs");
  });
});
