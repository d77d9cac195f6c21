import assert from "node:assert/strict";
import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";
import { REQUIRED_TAGS_DEFAULTS, requiredTags, providerDefaultTags, tagProblems, TAGGABLE_TYPES } from "../../policies/tags/requiredTags";
import { REQUIRED_TAG_KEYS } from "../../stacks/tags";

const good = { Project: "mpto", Environment: "test", Owner: "platform-team", CostCenter: "MPTO-WEB", ManagedBy: "pulumi" };

/** Runs a resource policy the way the SDK does, collecting violations (tier 1: direct call). */
async function violations(policy: ResourceValidationPolicy, type: string, props: Record<string, unknown>): Promise<string[]> {
  const found: string[] = [];
  const args = {
    type,
    props,
    urn: `urn:pulumi:test::mpto::${type}::r`,
    name: "r",
    opts: { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], customTimeouts: {} },
    stackTags: new Map<string, string>(),
    isType: () => false,
    asType: () => undefined,
    getConfig: () => ({}),
    notApplicable: (reason?: string) => {
      throw new Error(`not applicable: ${reason}`);
    },
  } as unknown as ResourceValidationArgs;
  const validate = policy.validateResource as (a: ResourceValidationArgs, r: (m: string) => void) => void | Promise<void>;
  await validate(args, (message) => found.push(message));
  return found;
}

// The pack learns its stack as the CLI tells it (PULUMI_NODEJS_STACK, read by pulumi.getStack()).
describe("required-tags policy family", () => {
  it("requires the same keys the stacks apply as default tags", () => {
    assert.deepEqual(REQUIRED_TAGS_DEFAULTS.requiredTags, [...REQUIRED_TAG_KEYS]);
  });

  it("knows the taggable types of @pulumi/aws v7, including the ones stale hand lists miss", () => {
    for (const type of ["aws:wafv2/webAcl:WebAcl", "aws:sesv2/emailIdentity:EmailIdentity", "aws:budgets/budget:Budget", "aws:guardduty/detector:Detector", "aws:cloudfront/function:Function", "aws:s3/bucket:Bucket"]) {
      assert.ok(TAGGABLE_TYPES.has(type), type);
    }
    for (const type of ["aws:s3/bucketPolicy:BucketPolicy", "aws:cloudwatch/dashboard:Dashboard", "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy"]) {
      assert.ok(!TAGGABLE_TYPES.has(type), type);
    }
  });

  describe("tagProblems", () => {
    it("passes a resource with every required tag", () => {
      assert.deepEqual(tagProblems(good, REQUIRED_TAGS_DEFAULTS, "test"), []);
    });
    it("names each missing and each empty tag", () => {
      assert.deepEqual(tagProblems({ ...good, Owner: " ", CostCenter: undefined }, REQUIRED_TAGS_DEFAULTS, "test"), ["tag 'Owner' is empty", "tag 'CostCenter' is missing"]);
    });
    it("points out a key that differs only by case", () => {
      const { Environment, ...rest } = good;
      void Environment;
      assert.deepEqual(tagProblems({ ...rest, environment: "test" }, REQUIRED_TAGS_DEFAULTS, "test"), ["tag 'Environment' is missing (found 'environment': tag keys are case-sensitive)"]);
    });
    it("rejects an Environment that is not the stack being deployed", () => {
      assert.deepEqual(tagProblems({ ...good, Environment: "prod" }, REQUIRED_TAGS_DEFAULTS, "dev"), ["tag 'Environment' is 'prod' but this is the 'dev' stack"]);
    });
  });

  describe("required-tags (resource policy)", () => {
    it("reads tagsAll, where the provider merged its default tags, before tags", async () => {
      assert.deepEqual(await violations(requiredTags, "aws:sns/topic:Topic", { tags: {}, tagsAll: { ...good, Environment: pulumi.getStack() } }), []);
    });
    it("falls back to tags when tagsAll is absent", async () => {
      assert.deepEqual(await violations(requiredTags, "aws:sns/topic:Topic", { tags: { ...good, Environment: pulumi.getStack() } }), []);
    });
    it("reports one violation listing every problem of an untagged taggable resource", async () => {
      const found = await violations(requiredTags, "aws:sns/topic:Topic", { tags: { Project: "mpto" } });
      assert.equal(found.length, 1);
      assert.match(found[0], /tag 'Environment' is missing; tag 'Owner' is missing; tag 'CostCenter' is missing; tag 'ManagedBy' is missing/);
    });
    it("ignores resources that cannot carry tags", async () => {
      assert.deepEqual(await violations(requiredTags, "aws:s3/bucketPolicy:BucketPolicy", {}), []);
    });
  });

  describe("provider-default-tags (resource policy on providers)", () => {
    it("accepts a provider whose defaultTags (JSON-encoded, as providers send inputs) carry the required tags", async () => {
      assert.deepEqual(await violations(providerDefaultTags, "pulumi:providers:aws", { defaultTags: JSON.stringify({ tags: { ...good, Environment: pulumi.getStack() } }) }), []);
    });
    it("rejects a provider without default tags", async () => {
      const found = await violations(providerDefaultTags, "pulumi:providers:aws", { region: "eu-west-2" });
      assert.equal(found.length, 1);
      assert.match(found[0], /^defaultTags: tag 'Project' is missing/);
    });
  });
});
