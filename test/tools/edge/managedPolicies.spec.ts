import assert from "node:assert/strict";
import { MANAGED_CLOUDFRONT_POLICY_IDS } from "../../../tools/mocks/state";
import { MANAGED_CACHE_POLICIES, MANAGED_ORIGIN_REQUEST_POLICIES, MANAGED_RESPONSE_HEADERS_POLICIES, managedPolicyByName } from "../../../tools/edge/managedPolicies";

describe("tools/edge/managedPolicies: what each AWS-managed CloudFront policy contains", () => {
  const all = [...MANAGED_CACHE_POLICIES, ...MANAGED_ORIGIN_REQUEST_POLICIES, ...MANAGED_RESPONSE_HEADERS_POLICIES];

  it("knows the contents of every managed policy the offline plan can look up, under the same id", () => {
    for (const [name, id] of Object.entries(MANAGED_CLOUDFRONT_POLICY_IDS)) {
      const policy = managedPolicyByName(name);
      assert.ok(policy, `no contents for ${name}`);
      assert.equal(policy.id, id, name);
    }
  });

  it("cites the CloudFront documentation page of each policy and has unique ids", () => {
    for (const p of all) assert.match(p.doc, /^https:\/\/docs\.aws\.amazon\.com\/AmazonCloudFront\/latest\/DeveloperGuide\/using-managed-.+\.html#.+/, p.name);
    assert.equal(new Set(all.map((p) => p.id)).size, all.length);
  });

  it("keeps Host out of AllViewerExceptHostHeader and sends CloudFront-Viewer-Address with it; AllViewer forwards Host", () => {
    const except = managedPolicyByName("Managed-AllViewerExceptHostHeader")!.contents as (typeof MANAGED_ORIGIN_REQUEST_POLICIES)[number]["contents"];
    assert.deepEqual(except.headersConfig, { headerBehavior: "allExcept", headers: { items: ["Host"] } });
    assert.ok(except.cloudFrontHeaders?.includes("CloudFront-Viewer-Address"));
    const allViewer = managedPolicyByName("AllViewer")!.contents as typeof except;
    assert.equal(allViewer.headersConfig.headerBehavior, "allViewer");
  });

  it("gives CachingDisabled zero TTLs and CachingOptimized a one-second minimum", () => {
    const disabled = MANAGED_CACHE_POLICIES.find((p) => p.name === "CachingDisabled")!.contents;
    assert.deepEqual([disabled.minTtl, disabled.defaultTtl, disabled.maxTtl], [0, 0, 0]);
    assert.equal(MANAGED_CACHE_POLICIES.find((p) => p.name === "CachingOptimized")!.contents.minTtl, 1);
  });
});
