import assert from "node:assert/strict";
import { unknownCheckingProxy } from "@pulumi/policy";
import { CostedResource, estimateCost, formatCostLines } from "../../../policies/billing/estimate";
import { PRICE_TABLE_DATE, PRICES } from "../../../policies/billing/prices";
import { USAGE_DEFAULTS, usageProfile } from "../../../policies/billing/usage";
import { bucketSet, distribution, edgeFunction, nodeFunction, T, webAcl } from "../fixtures";

const r = (type: string, name: string, props: Record<string, unknown>, region = "eu-west-2"): CostedResource => ({ urn: `urn:${type}::${name}`, type, name, props, region });
const zero = usageProfile(Object.fromEntries(Object.keys(USAGE_DEFAULTS).map((k) => [k, 0])));

describe("the price table", () => {
  it("is dated, and every entry has a unit, a non-negative USD price, a region, a source and a confidence mark", () => {
    assert.match(PRICE_TABLE_DATE, /^\d{4}-\d{2}-\d{2}$/);
    for (const [id, p] of Object.entries(PRICES)) {
      assert.ok(p.unit && p.item && p.source && p.region, id);
      assert.ok(p.usd >= 0 && Number.isFinite(p.usd), id);
      assert.ok(["official", "secondary", "unconfirmed"].includes(p.confidence), id);
    }
  });

  it("keeps the reference's [unconfirmed] marks (Cognito, SES, CloudFront HTTPS requests, DynamoDB storage and PITR, S3 in London, Budgets)", () => {
    for (const id of ["cognitoEssentialsMau", "cognitoLiteMau", "cognitoPlusMau", "sesEmail", "cloudfrontHttpsRequestsEurope", "dynamodbStorage", "dynamodbPitr", "s3StandardStorageLondon", "budgetsBudget", "budgetsAction"] as const) {
      assert.equal(PRICES[id].confidence, "unconfirmed", id);
    }
  });

  it("uses the reference's figures for the fixed items (WAF $5 + $1/rule, dashboard $3, alarm $0.10, KMS $1, zone $0.50, secret $0.40)", () => {
    assert.deepEqual(
      [PRICES.wafWebAcl.usd, PRICES.wafRule.usd, PRICES.cloudwatchDashboard.usd, PRICES.cloudwatchAlarmStandard.usd, PRICES.kmsKey.usd, PRICES.route53HostedZone.usd, PRICES.secretsManagerSecret.usd],
      [5, 1, 3, 0.1, 1, 0.5, 0.4],
    );
  });
});

describe("estimateCost", () => {
  it("sums fixed monthly items per resource: web ACL and rules, dashboard, alarms, rotating keys, zone, secret", () => {
    const e = estimateCost(
      [
        r(T.webAcl, "waf", webAcl(), "us-east-1"),
        r(T.dashboard, "dash", {}),
        r(T.alarm, "a1", { period: 300 }),
        r(T.alarm, "a2", { metricQueries: [{ id: "m1", metric: { period: 60 } }, { id: "m2", metric: { period: 60 } }, { id: "e", expression: "m1/m2" }] }),
        r(T.alarm, "hires", { period: 10 }),
        r(T.key, "k", { enableKeyRotation: true }),
        r(T.zone, "z", {}),
        r(T.secret, "s", {}),
      ],
      zero,
    );
    const by = (name: string) => e.lines.filter((l) => l.name === name).map((l) => [l.priceId, l.quantity, l.monthlyUsd]);
    assert.deepEqual(by("waf"), [["wafWebAcl", 1, 5], ["wafRule", 4, 4], ["wafRequests", 0, 0]]);
    assert.deepEqual(by("a2"), [["cloudwatchAlarmStandard", 2, 0.2]]);
    assert.deepEqual(by("hires"), [["cloudwatchAlarmHighResolution", 1, 0.3]]);
    assert.deepEqual(by("k"), [["kmsKey", 1, 1], ["kmsRotation", 1, 1]]);
    assert.equal(e.fixedMonthlyUsd, 5 + 4 + 3 + 0.1 + 0.2 + 0.3 + 2 + 0.5 + 0.4);
    assert.equal(e.usageMonthlyUsd, 0);
    assert.equal(e.totalMonthlyUsd, e.fixedMonthlyUsd);
  });

  it("prices usage from the profile: GB out and requests at the Europe rate, WAF inspections, Cognito MAU by plan, emails", () => {
    const profile = usageProfile({ ...zero, dataOutGb: 100, monthlyRequests: 2_000_000, monthlyActiveUsers: 1000, emailsSent: 5000 });
    const e = estimateCost(
      [r(T.distribution, "cdn", distribution()), r(T.webAcl, "waf", webAcl(), "us-east-1"), r(T.userPool, "lite", { userPoolTier: "LITE" }), r(T.userPool, "plus", { userPoolTier: "PLUS" }), r(T.emailIdentity, "mail", { emailIdentity: "example.com" })],
      profile,
    );
    const cost = (name: string, id: string) => e.lines.find((l) => l.name === name && l.priceId === id)?.monthlyUsd;
    assert.equal(cost("cdn", "cloudfrontDataOutEurope"), 8.5);
    assert.equal(cost("cdn", "cloudfrontHttpsRequestsEurope"), 2.4);
    assert.equal(cost("waf", "wafRequests"), 1.2);
    assert.equal(cost("lite", "cognitoLiteMau"), 5.5);
    assert.equal(cost("plus", "cognitoPlusMau"), 20);
    assert.equal(cost("emails sent (usage profile)", "sesEmail"), 0.5);
  });

  it("prices Lambda@Edge (published, us-east-1) at edge rates and regional arm64 functions at Lambda rates", () => {
    const profile = usageProfile({ ...zero, edgeFunctionInvocations: 1_000_000, edgeFunctionAvgDurationMs: 10, lambdaInvocations: 1_000_000, lambdaAvgDurationMs: 100 });
    const e = estimateCost([r(T.function, "edge", edgeFunction(), "us-east-1"), r(T.function, "fn", nodeFunction())], profile);
    const ids = (name: string) => e.lines.filter((l) => l.name === name).map((l) => l.priceId);
    assert.deepEqual(ids("edge"), ["lambdaEdgeRequests", "lambdaEdgeDuration"]);
    assert.deepEqual(ids("fn"), ["lambdaRequests", "lambdaArmDuration"]);
    const gbSeconds = e.lines.find((l) => l.name === "fn" && l.priceId === "lambdaArmDuration")!.quantity;
    assert.equal(gbSeconds, 1_000_000 * 0.25 * 0.1);
  });

  it("charges media storage to the bucket CloudFront reads, log storage to the log bucket, and Intelligent-Tiering monitoring where a lifecycle tiers", () => {
    const specs = [...bucketSet("media", { logsTo: "media-logs" }), ...bucketSet("media-logs", { log: true })];
    const resources = specs.map((s) => r(s.type, s.name, s.props));
    resources.push(r(T.bucketLifecycle, "tiering", { bucket: "media-1a2b3c4", rules: [{ status: "Enabled", transitions: [{ days: 0, storageClass: "INTELLIGENT_TIERING" }] }] }));
    resources.push(r(T.distribution, "cdn", { ...distribution(), origins: [{ originId: "media", domainName: "media-1a2b3c4.s3.eu-west-2.amazonaws.com", originAccessControlId: "E1" }] }));
    const e = estimateCost(resources, usageProfile({ ...zero, mediaStoredGb: 100, mediaObjects: 4000, logBucketStorageGb: 10 }));
    const line = (name: string, id: string) => e.lines.find((l) => l.name === name && l.priceId === id);
    assert.equal(line("media", "s3StandardStorageLondon")?.quantity, 100);
    assert.equal(line("media", "s3IntelligentTieringMonitoring")?.monthlyUsd, 0.01);
    assert.equal(line("media-logs", "s3StandardStorageLondon")?.quantity, 10);
    assert.equal(line("media-logs", "s3IntelligentTieringMonitoring"), undefined);
  });

  it("splits GuardDuty volumes across the stack's detectors and charges each protection plan in its detector's region", () => {
    const e = estimateCost(
      [
        r(T.detector, "gd", { enable: true }),
        r(T.detector, "gd-edge", { enable: true }, "us-east-1"),
        r(T.detectorFeature, "gd-s3", { name: "S3_DATA_EVENTS", status: "ENABLED" }),
        r(T.detectorFeature, "gd-edge-s3", { name: "S3_DATA_EVENTS", status: "ENABLED" }, "us-east-1"),
        r(T.detectorFeature, "gd-eks", { name: "EKS_AUDIT_LOGS", status: "DISABLED" }),
      ],
      usageProfile({ ...zero, cloudTrailEvents: 1_000_000, s3DataEvents: 2_000_000 }),
    );
    assert.deepEqual(
      e.lines.map((l) => [l.name, l.priceId, l.monthlyUsd]),
      [
        // eu-west-2 (the default region of these fixtures) at the London rates of the table, us-east-1 at the base rates.
        ["gd", "guardDutyManagementEvents", 0.5 * 4.6],
        ["gd-edge", "guardDutyManagementEvents", 2],
        ["gd-s3", "guardDutyS3DataEvents", 0.92],
        ["gd-edge-s3", "guardDutyS3DataEvents", 0.8],
      ],
    );
  });

  it("skips only the resource whose settings are unknown during a preview, and says so", () => {
    const unknownArray = "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2"; // @pulumi/policy's sentinel for an unknown array
    const props = unknownCheckingProxy({ scope: "CLOUDFRONT", rules: unknownArray });
    const e = estimateCost([r(T.webAcl, "waf", props as Record<string, unknown>, "us-east-1"), r(T.dashboard, "dash", {})], zero);
    assert.equal(e.fixedMonthlyUsd, 5 + 3, "the web ACL itself and the dashboard are still priced");
    assert.match(e.unpriced.join("\n"), /waf: not priced, .* can't be known during preview/);
  });

  it("flags costs the table does not price instead of hiding them", () => {
    const e = estimateCost(
      [r(T.table, "t", { billingMode: "PROVISIONED", readCapacity: 5 }), r(T.distribution, "cdn", { ...distribution(), priceClass: "PriceClass_All" })],
      zero,
    );
    assert.deepEqual(e.unpriced, ["cdn: PriceClass_All serves from edges priced above the Europe/North America rate", "t: provisioned capacity is not in the price table"]);
  });

  it("is deterministic and totals the confidence marks", () => {
    const resources = [r(T.webAcl, "waf", webAcl(), "us-east-1"), r(T.distribution, "cdn", distribution()), r(T.userPool, "pool", {})];
    const a = estimateCost(resources, USAGE_DEFAULTS);
    assert.deepEqual(estimateCost(resources, USAGE_DEFAULTS), a);
    assert.equal(Math.round((a.byConfidence.official + a.byConfidence.secondary + a.byConfidence.unconfirmed) * 100) / 100, a.totalMonthlyUsd);
  });

  it("formats lines biggest first with their basis and confidence, and folds the tail", () => {
    const e = estimateCost([r(T.webAcl, "waf", webAcl(), "us-east-1"), r(T.dashboard, "dash", {}), r(T.alarm, "a", { period: 300 })], zero);
    assert.deepEqual(formatCostLines(e.lines, 2), [
      "$   5.00  waf: WAF web ACL, 1 x $5/web ACL-month (1 web ACL)",
      "$   4.00  waf: WAF rule or rule group in a web ACL, 4 x $1/rule-month (4 rules and rule groups)",
      "$   3.10  2 more items",
    ]);
    assert.match(formatCostLines(e.lines).join("\n"), /dash: CloudWatch dashboard, 1 x \$3\/dashboard-month \(1 dashboard\) \[secondary\]/);
  });
});
