import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { CloudFrontClient, CreateInvalidationCommand, GetInvalidationCommand } from "@aws-sdk/client-cloudfront";
import { mockClient } from "aws-sdk-client-mock";
import { buildInvalidation, callerReference, invalidate, InvalidateError, normalisePaths, parseArgs, referenceBase } from "../../tools/invalidate";
import { ROOT } from "../support/harness";

const DISTRIBUTION = "E2QWRUHAPOMQZL";

function thrown(fn: () => unknown): InvalidateError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof InvalidateError, String(error));
    return error;
  }
  assert.fail("expected an InvalidateError");
}

describe("npm run invalidate: argument parsing and path rules", () => {
  it("invalidates everything (/*) when only a stack is given", () => {
    assert.deepEqual(parseArgs(["prod"]), { stack: "prod", paths: ["/*"], distributionId: undefined, outputName: "cdnDistributionId", callerReference: undefined, wait: false });
  });

  it("reads paths and options in any order", () => {
    const args = parseArgs(["dev", "/pricing", "--wait", "/blog/*", "--distribution-id", DISTRIBUTION, "--output", "siteDistributionId", "--caller-reference", "deploy-42"]);
    assert.deepEqual(args, { stack: "dev", paths: ["/pricing", "/blog/*"], distributionId: DISTRIBUTION, outputName: "siteDistributionId", callerReference: "deploy-42", wait: true });
  });

  it("refuses a missing stack, unknown options, options without values and malformed ids", () => {
    for (const argv of [[], ["--wait"], ["prod", "--force"], ["prod", "--distribution-id"], ["prod", "--distribution-id", "--wait"], ["prod", "--distribution-id", "e2qw;rm -rf"], ["pr od"], ["prod", "--output", "a-b"], ["prod", "--caller-reference", "x".repeat(65)]]) {
      assert.equal(thrown(() => parseArgs(argv)).code, "USAGE", JSON.stringify(argv));
    }
  });

  it("keeps paths in order without duplicates and percent-encodes non-ASCII", () => {
    assert.deepEqual(normalisePaths(["/a", "/b", "/a", "/tutors/zoë"]), ["/a", "/b", "/tutors/zo%C3%AB"]);
  });

  it("collapses to /* when /* is among the paths", () => {
    assert.deepEqual(normalisePaths(["/a", "/*", "/b/*"]), ["/*"]);
  });

  it("refuses relative paths, inner wildcards, whitespace and control characters", () => {
    for (const path of ["pricing", "*", "/a*/b", "/a b", "/a\nb", "/a\u0000"]) {
      assert.equal(thrown(() => normalisePaths([path])).code, "BAD_PATH", JSON.stringify(path));
    }
  });

  it("stays within CloudFront's quotas: 3000 paths, 15 wildcard paths, 4000 characters", () => {
    assert.equal(normalisePaths(Array.from({ length: 3000 }, (_, i) => `/p${i}`)).length, 3000);
    assert.equal(thrown(() => normalisePaths(Array.from({ length: 3001 }, (_, i) => `/p${i}`))).code, "BAD_PATH");
    assert.equal(normalisePaths(Array.from({ length: 15 }, (_, i) => `/w${i}/*`)).length, 15);
    assert.equal(thrown(() => normalisePaths(Array.from({ length: 16 }, (_, i) => `/w${i}/*`))).code, "BAD_PATH");
    assert.equal(thrown(() => normalisePaths([`/${"a".repeat(4000)}`])).code, "BAD_PATH");
  });

  it("derives the caller reference from the GitHub run (retries are idempotent) or the time, plus a digest of the paths", () => {
    const now = new Date("2026-11-25T12:34:56Z");
    assert.equal(referenceBase(undefined, { GITHUB_RUN_ID: "123", GITHUB_RUN_ATTEMPT: "2" }, now), "gh-123-2");
    assert.equal(referenceBase(undefined, {}, now), "invalidate-20261125123456");
    assert.equal(referenceBase("deploy-42", { GITHUB_RUN_ID: "123" }, now), "deploy-42");
    assert.equal(callerReference(["/*"], "gh-1-1"), callerReference(["/*"], "gh-1-1"));
    assert.notEqual(callerReference(["/*"], "gh-1-1"), callerReference(["/a"], "gh-1-1"));
    assert.match(callerReference(["/*"], "gh-1-1"), /^gh-1-1-[0-9a-f]{12}$/);
  });

  it("builds the CreateInvalidation request with Quantity equal to the number of items", () => {
    assert.deepEqual(buildInvalidation(DISTRIBUTION, ["/a", "/b/*"], "ref-1"), {
      DistributionId: DISTRIBUTION,
      InvalidationBatch: { CallerReference: "ref-1", Paths: { Quantity: 2, Items: ["/a", "/b/*"] } },
    });
  });
});

describe("npm run invalidate: CloudFront calls (aws-sdk-client-mock, no CloudFront emulator exists)", () => {
  const cloudfront = new CloudFrontClient({ region: "us-east-1", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } });
  const mock = mockClient(cloudfront);
  const env = { GITHUB_RUN_ID: "987", GITHUB_RUN_ATTEMPT: "1" };
  beforeEach(() => mock.reset());
  after(() => mock.restore());

  it("reads the distribution id from the stack output and sends one CreateInvalidation for the paths", async () => {
    mock.on(CreateInvalidationCommand).resolves({ Invalidation: { Id: "I2J0I21PCUYOIK", Status: "InProgress", CreateTime: new Date(), InvalidationBatch: undefined as never } });
    const asked: string[][] = [];
    const result = await invalidate(parseArgs(["prod", "/", "/pricing"]), {
      cloudfront,
      env,
      readStackOutput: async (stack, name) => {
        asked.push([stack, name]);
        return `${DISTRIBUTION}\n`.trim();
      },
    });
    assert.deepEqual(asked, [["prod", "cdnDistributionId"]]);
    const calls = mock.commandCalls(CreateInvalidationCommand);
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0].args[0].input, {
      DistributionId: DISTRIBUTION,
      InvalidationBatch: { CallerReference: callerReference(["/", "/pricing"], "gh-987-1"), Paths: { Quantity: 2, Items: ["/", "/pricing"] } },
    });
    assert.deepEqual(result, { distributionId: DISTRIBUTION, invalidationId: "I2J0I21PCUYOIK", status: "InProgress", paths: ["/", "/pricing"], callerReference: callerReference(["/", "/pricing"], "gh-987-1") });
  });

  it("uses --distribution-id without asking Pulumi", async () => {
    mock.on(CreateInvalidationCommand).resolves({ Invalidation: { Id: "I1", Status: "InProgress", CreateTime: new Date(), InvalidationBatch: undefined as never } });
    await invalidate(parseArgs(["dev", "--distribution-id", DISTRIBUTION]), {
      cloudfront,
      env,
      readStackOutput: async () => assert.fail("Pulumi must not be asked"),
    });
    assert.equal(mock.commandCalls(CreateInvalidationCommand)[0].args[0].input.DistributionId, DISTRIBUTION);
  });

  it("refuses a stack whose output is not a distribution id, before calling CloudFront", async () => {
    await assert.rejects(
      invalidate(parseArgs(["dev"]), { cloudfront, env, readStackOutput: async () => "" }),
      (error: unknown) => error instanceof InvalidateError && error.code === "NO_DISTRIBUTION",
    );
    assert.equal(mock.commandCalls(CreateInvalidationCommand).length, 0);
  });

  it("reports a CloudFront error (e.g. access denied) as CLOUDFRONT_FAILED with the cause", async () => {
    const denied = Object.assign(new Error("User is not authorized to perform: cloudfront:CreateInvalidation"), { name: "AccessDenied" });
    mock.on(CreateInvalidationCommand).rejects(denied);
    await assert.rejects(
      invalidate(parseArgs(["prod", "--distribution-id", DISTRIBUTION]), { cloudfront, env }),
      (error: unknown) => error instanceof InvalidateError && error.code === "CLOUDFRONT_FAILED" && error.cause === denied && /AccessDenied/.test(error.message),
    );
  });

  it("with --wait, polls GetInvalidation until the invalidation is Completed", async () => {
    mock.on(CreateInvalidationCommand).resolves({ Invalidation: { Id: "I9", Status: "InProgress", CreateTime: new Date(), InvalidationBatch: undefined as never } });
    mock.on(GetInvalidationCommand).resolvesOnce({ Invalidation: { Id: "I9", Status: "InProgress", CreateTime: new Date(), InvalidationBatch: undefined as never } }).resolves({ Invalidation: { Id: "I9", Status: "Completed", CreateTime: new Date(), InvalidationBatch: undefined as never } });
    const result = await invalidate(parseArgs(["prod", "--distribution-id", DISTRIBUTION, "--wait"]), { cloudfront, env, maxWaitSeconds: 30, pollSeconds: { min: 1, max: 1 } });
    assert.equal(result.status, "Completed");
    const polls = mock.commandCalls(GetInvalidationCommand);
    assert.ok(polls.length >= 2);
    assert.deepEqual(polls[0].args[0].input, { DistributionId: DISTRIBUTION, Id: "I9" });
  }).timeout(20_000);
});

describe("npm run invalidate: the command line", () => {
  it("exits 2 with the reason on a bad path, without touching AWS or Pulumi", async () => {
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, ["-r", "ts-node/register/transpile-only", join(ROOT, "tools", "invalidate.ts"), "prod", "pricing"], { cwd: ROOT, timeout: 30_000 }, (error, _stdout, stderr) => {
        resolve({ code: child.exitCode ?? (error as { code?: number } | null)?.code ?? null, stderr });
      });
    });
    assert.equal(code, 2);
    assert.match(stderr, /paths must start with "\/"/);
  });
});
