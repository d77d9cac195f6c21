import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadPrices, PRICES } from "../../policies/billing/prices";
import { COVERAGE, loadCoverage } from "../../policies/coverage";
import { ESCALATION_PATHS, loadEscalationPaths } from "../../policies/iam/escalation";
import { loadManagedPolicies, MANAGED_CACHE_POLICIES, MANAGED_ORIGIN_REQUEST_POLICIES, MANAGED_RESPONSE_HEADERS_POLICIES } from "../../tools/edge/managedPolicies";
import { loadReplacementRules, REPLACEMENTS } from "../../tools/plan/replacements";
import { ROOT } from "../support/harness";

/**
 * The tables kept as JSON (policies/lib/dataFile.ts): each loader reads its whole file, and refuses
 * a row with a misspelt field, a wrong type or an unknown status, saying where it is. Each case
 * starts from the real file and breaks one field, so the loader is shown to pass the real data and
 * to stop on the edit.
 */

const read = (path: string) => JSON.parse(readFileSync(join(ROOT, path), "utf8"));

function refuses(load: () => unknown, message: RegExp): void {
  assert.throws(load, (error: Error) => {
    assert.match(error.message, message);
    return true;
  });
}

describe("the data files and their loaders", () => {
  it("coverage.data.json: reads every row; refuses an unknown status, an unknown field, and a covered row without its policy", () => {
    assert.equal(loadCoverage(read("policies/coverage.data.json")).length, COVERAGE.length);
    const misspelt = read("policies/coverage.data.json");
    misspelt.sections[0].rows[1].status = "coverd";
    refuses(() => loadCoverage(misspelt), /CloudFront row 2: status must be one of covered, partial/);
    const extra = read("policies/coverage.data.json");
    extra.sections[2].rows[0].polcy = "s3-tls-only";
    refuses(() => loadCoverage(extra), /S3 row 1: unknown field\(s\) polcy/);
    const orphan = read("policies/coverage.data.json");
    delete orphan.sections[0].rows[1].policy;
    refuses(() => loadCoverage(orphan), /\(AwsSolutions-CFR2\): a covered row must name its policy/);
    const claimed = read("policies/coverage.data.json");
    const na = claimed.sections.flatMap((s: { rows: { status: string; policy?: string }[] }) => s.rows).find((r: { status: string }) => r.status === "not-applicable");
    na.policy = "s3-tls-only";
    refuses(() => loadCoverage(claimed), /a not-applicable row must name no policy/);
  });

  it("prices.data.json: reads every entry; refuses a negative price, an unknown confidence, a missing source, a regional rate outside a region, an id priced twice", () => {
    assert.deepEqual(Object.keys(loadPrices(read("policies/billing/prices.data.json"))), Object.keys(PRICES));
    const edit = (change: (d: any) => void) => {
      const d = read("policies/billing/prices.data.json");
      change(d);
      return () => loadPrices(d);
    };
    refuses(
      edit((d) => (d.groups.fixed.prices.wafWebAcl.usd = -5)),
      /wafWebAcl: usd must be a number of at least 0/,
    );
    refuses(
      edit((d) => (d.groups.fixed.prices.wafWebAcl.confidence = "official-ish")),
      /wafWebAcl: confidence must be one of official, secondary, unconfirmed/,
    );
    refuses(
      edit((d) => delete d.groups.usage.prices.sesEmail.source),
      /sesEmail: missing field\(s\) source/,
    );
    refuses(
      edit((d) => (d.groups.usage.prices.dynamodbRead.regional = { London: d.groups.usage.prices.dynamodbRead.regional["eu-west-2"] })),
      /dynamodbRead: regional key London is not an AWS region/,
    );
    refuses(
      edit((d) => (d.groups.hourly.prices.wafWebAcl = d.groups.fixed.prices.wafWebAcl)),
      /hourly: wafWebAcl is priced twice/,
    );
  });

  it("escalation.data.json: reads every path; refuses an unknown target, source or closure, a pass-role path with its own steps, an id used twice", () => {
    assert.deepEqual(loadEscalationPaths(read("policies/iam/escalation.data.json").paths), ESCALATION_PATHS);
    const edit = (change: (paths: any[]) => void) => {
      const paths = read("policies/iam/escalation.data.json").paths;
      change(paths);
      return () => loadEscalationPaths(paths);
    };
    refuses(
      edit((p) => (p[0].steps[0].target = "admin")),
      /path 1 \(create-policy-version\) step 1: target must be one of role/,
    );
    refuses(
      edit((p) => p[0].sources.push("rhino3")),
      /\(create-policy-version\): sources holds "rhino3"/,
    );
    refuses(
      edit((p) => (p[1].closedBy = ["hope"])),
      /\(set-default-policy-version\): closedBy holds "hope"/,
    );
    refuses(
      edit((p) => (p.find((x) => x.passRoleTo).steps = [])),
      /\(pass-role-lambda\): a passRoleTo path derives its steps, why and closedBy/,
    );
    refuses(
      edit((p) => p.push(p[0])),
      /path id\(s\) create-policy-version used twice/,
    );
  });

  it("replacements.data.json: reads every rule; refuses a type that is not a type token and an unknown kind", () => {
    assert.deepEqual(loadReplacementRules(read("tools/plan/replacements.data.json")), REPLACEMENTS);
    const badType = read("tools/plan/replacements.data.json");
    badType.sections[1].rules[0].type = "aws_s3_bucket";
    refuses(() => loadReplacementRules(badType), /S3 rule 1: type aws_s3_bucket is not a Pulumi AWS type token/);
    const badKind = read("tools/plan/replacements.data.json");
    badKind.sections[1].rules[0].kind = "recreate";
    refuses(() => loadReplacementRules(badKind), /S3 rule 1: kind must be one of replace, read-back/);
  });

  it("managedPolicies.data.json: reads every policy; refuses an unknown behaviour, an id that is not a policy id, an unknown header list", () => {
    const all = loadManagedPolicies(read("tools/edge/managedPolicies.data.json"));
    assert.deepEqual([all.cache, all.originRequest, all.responseHeaders], [MANAGED_CACHE_POLICIES, MANAGED_ORIGIN_REQUEST_POLICIES, MANAGED_RESPONSE_HEADERS_POLICIES]);
    const behaviour = read("tools/edge/managedPolicies.data.json");
    behaviour.originRequest[0].contents.cookiesConfig.cookieBehavior = "everything";
    refuses(() => loadManagedPolicies(behaviour), /originRequest 1 \(AllViewer\) contents cookiesConfig: cookieBehavior must be one of none/);
    const id = read("tools/edge/managedPolicies.data.json");
    id.cache[0].id = "Managed-CachingOptimized";
    refuses(() => loadManagedPolicies(id), /cache 1 \(CachingOptimized\): id Managed-CachingOptimized is not a CloudFront policy id/);
    const list = read("tools/edge/managedPolicies.data.json");
    list.originRequest[2].contents.cloudFrontHeaders = "CloudFront-2099-01";
    refuses(() => loadManagedPolicies(list), /no header list named CloudFront-2099-01/);
  });
});
