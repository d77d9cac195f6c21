import assert from "node:assert/strict";
import { EDGE_REGION, PRIMARY_REGION } from "../../components/shared/regions";
import { REQUIRED_TAG_KEYS } from "../../stacks/tags";
import type { MockRunResult } from "../../tools/mocks/runtime";
import { declareStack } from "../support/harness";

describe("providers and regions of the real stacks", () => {
  it("require at most 6 tag keys, so Security Hub's tagging controls can mirror them", () => {
    assert.ok(REQUIRED_TAG_KEYS.length <= 6);
  });

  for (const stack of ["dev", "prod"] as const) {
    describe(`${stack}`, () => {
      let result: MockRunResult;
      before(async () => {
        result = await declareStack(stack);
      });

      it("has exactly one AWS provider, in eu-west-2, applying the required tags as default tags", () => {
        const providers = result.resources.filter((r) => r.type === "pulumi:providers:aws");
        assert.equal(providers.length, 1);
        assert.equal(providers[0].inputs.region, PRIMARY_REGION);
        const tags = (providers[0].inputs.defaultTags as { tags: Record<string, string> }).tags;
        assert.deepEqual(Object.keys(tags).sort(), [...REQUIRED_TAG_KEYS].sort());
        assert.equal(tags.Environment, stack);
        for (const value of Object.values(tags)) assert.ok(value.trim().length > 0);
      });

      it("creates every AWS resource and calls every data source through that provider (the default provider is disabled)", () => {
        const provider = result.resources.find((r) => r.type === "pulumi:providers:aws")!;
        for (const r of result.resources.filter((x) => x.type.startsWith("aws:"))) {
          assert.equal(r.provider, provider.urn, `${r.urn} does not use the stack's provider`);
        }
        for (const i of result.invokes.filter((x) => x.token.startsWith("aws:"))) {
          assert.ok(i.provider?.startsWith(provider.urn), `invoke ${i.token} does not use the stack's provider`);
        }
      });

      it("puts resources only in eu-west-2 or, for the global edge, us-east-1", () => {
        for (const r of result.resources.filter((x) => x.type.startsWith("aws:"))) {
          assert.ok(r.region === PRIMARY_REGION || r.region === EDGE_REGION, `${r.urn} is in ${r.region}`);
        }
      });

      it("puts CloudFront certificates, CLOUDFRONT-scope web ACLs and alarms on CloudFront/WAF metrics in us-east-1", () => {
        const mustBeEdge = result.resources.filter(
          (r) =>
            r.type === "aws:acm/certificate:Certificate" ||
            (r.type === "aws:wafv2/webAcl:WebAcl" && r.inputs.scope === "CLOUDFRONT") ||
            (r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" && /^AWS\/(CloudFront|WAFV2)$/.test(String(r.inputs.namespace ?? ""))),
        );
        for (const r of mustBeEdge) assert.equal(r.region, EDGE_REGION, `${r.urn} must be in ${EDGE_REGION}`);
      });

      it("parents every resource under a component or the stack, never floating", () => {
        for (const r of result.resources) assert.ok(r.parent, `${r.urn} has no parent`);
      });
    });
  }
});
