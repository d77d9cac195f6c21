import assert from "node:assert/strict";
import { join } from "node:path";
import { behaviourFor, forwardedToOrigin } from "../../../tools/edge/edgeEmulator";
import { PlannedDistribution, plannedDistribution } from "../../../tools/edge/planDistribution";
import { runUnderMocks } from "../../../tools/mocks/runtime";
import { loadStackFile } from "../../../tools/mocks/stackFile";
import { ROOT } from "../../support/harness";

/**
 * The real stacks' distributions as the browser tier's emulator reads them (the same mock run the
 * offline plan makes, without the policy pack): every policy id resolves, and what Vercel receives
 * is what the site needs. A fast check of the plan facts test/site proves in the browser.
 */
describe("tools/edge/planDistribution: the planned distribution of the real stacks, resolved", function () {
  this.timeout(120_000);
  const planned: Record<string, PlannedDistribution> = {};

  before(async () => {
    const { program } = await import(join(ROOT, "stacks", "program"));
    for (const stack of ["dev", "prod"]) {
      const loaded = loadStackFile(ROOT, stack);
      const run = await runUnderMocks(program, { project: loaded.project, stack, config: loaded.config, secretKeys: loaded.secretKeys });
      planned[stack] = plannedDistribution(run.resources);
    }
  });

  for (const stack of ["dev", "prod"]) {
    it(`${stack}: resolves every behaviour's policies, functions and trusted keys from the plan or the managed-policy data`, () => {
      const d = planned[stack];
      assert.ok(d.aliases.length > 0);
      assert.match(d.domainName, /^d[0-9a-f]+\.cloudfront\.net$/);
      for (const b of [...d.behaviours, d.defaultBehaviour]) {
        assert.ok(b.cachePolicy.contents.parametersInCacheKeyAndForwardedToOrigin, `${b.pathPattern ?? "default"}: cache policy contents`);
        assert.ok(d.origins[b.targetOriginId], `${b.pathPattern ?? "default"}: origin ${b.targetOriginId}`);
      }
      const media = d.behaviours.filter((b) => b.trustedKeys);
      assert.equal(media.length, 1, "one signed behaviour (media)");
      assert.ok(Object.values(media[0].trustedKeys!).every((pem) => pem.includes("BEGIN PUBLIC KEY")));
    });

    it(`${stack}: pages and /.well-known/* reach Vercel with the viewer's Host, CloudFront-Viewer-Address and the cookies`, () => {
      const d = planned[stack];
      for (const path of ["/", "/account", "/.well-known/acme-challenge/token", "/.well-known/vercel/flags"]) {
        const b = behaviourFor(d, path);
        const f = forwardedToOrigin(b);
        assert.equal(d.origins[b.targetOriginId].kind, "custom", path);
        assert.equal(f.viewerHost, true, `${path}: Host not forwarded`);
        assert.ok(f.cloudFrontHeaders.includes("cloudfront-viewer-address"), `${path}: ${f.cloudFrontHeaders.join(", ")}`);
        if (!path.startsWith("/.well-known/")) assert.equal(f.cookies, "all", path);
      }
      assert.equal(behaviourFor(d, "/media/videos/x/a.mp4").pathPattern, "/media/*");
    });
  }
});
