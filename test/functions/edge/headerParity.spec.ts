import assert from "node:assert/strict";
import type { CloudFrontResultResponse } from "aws-lambda";
import { loadCloudFrontFunction, viewerResponseEvent } from "../../../tools/edge/cloudfrontFunctionsSandbox";
import {
  applyResponseHeadersPolicy,
  fromCfHeaders,
  fromLambdaEdgeHeaders,
  HeaderMap,
  RecordedResponseHeadersPolicy,
  toLambdaEdgeHeaders,
} from "../../../tools/edge/cloudfrontHeaders";
import type { RecordedResource } from "../../../tools/mocks/runtime";
import { behaviourFor, declareCdn, idOf, lambdaEdgeResponseEvent, loadBundledHandler } from "../../support/edge";
import { ofType, oneOf } from "../../support/harness";

/**
 * Both delivery paths are declared exactly as the Cdn component declares them; each response goes
 * through what the chosen behaviour has attached:
 * - default path: the Response Headers Policy inputs (through a model of CloudFront) and then the
 *   CloudFront Function's exact source in the sandbox, where the behaviour associates it;
 * - Lambda@Edge path: the esbuild bundle the EdgeFunction deploys.
 */
describe("Security headers: the default path and the Lambda@Edge path give identical responses", () => {
  let defaultDistribution: RecordedResource;
  let policies: RecordedResource[];
  let functionCode: string;
  let functionArnOf: (r: RecordedResource) => string;
  let functionResource: RecordedResource;
  let edgeDistribution: RecordedResource;
  let edgeHandler: (event: ReturnType<typeof lambdaEdgeResponseEvent>) => Promise<CloudFrontResultResponse>;
  let edgePolicies: RecordedResource[];
  let edgeFunctionCode: string;

  before(async () => {
    const plain = await declareCdn();
    defaultDistribution = oneOf(plain.result, "aws:cloudfront/distribution:Distribution");
    policies = ofType(plain.result, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy");
    functionResource = oneOf(plain.result, "aws:cloudfront/function:Function");
    functionCode = functionResource.inputs.code as string;
    functionArnOf = (r) => r.outputs.arn as string;

    const withEdge = await declareCdn({ lambdaEdgeHeaders: true });
    edgeDistribution = oneOf(withEdge.result, "aws:cloudfront/distribution:Distribution");
    edgeHandler = loadBundledHandler(withEdge.cdn.edgeFunction!.code);
    edgePolicies = ofType(withEdge.result, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy");
    edgeFunctionCode = oneOf(withEdge.result, "aws:cloudfront/function:Function").inputs.code as string;
  });

  /** Response headers policy, then the CloudFront Function's viewer response where associated. */
  function afterPolicyAndFunction(distribution: RecordedResource, all: RecordedResource[], code: string, path: string, origin: HeaderMap): HeaderMap {
    const behaviour = behaviourFor(distribution, path);
    const policy = all.find((p) => idOf(p) === behaviour.responseHeadersPolicyId);
    assert.ok(policy, `behaviour for ${path} has a response headers policy`);
    let headers = applyResponseHeadersPolicy(policy!.inputs as RecordedResponseHeadersPolicy, origin);
    const association = (behaviour.functionAssociations ?? []).find((a) => a.eventType === "viewer-response");
    if (association) {
      const result = loadCloudFrontFunction(code).invoke(viewerResponseEvent({ uri: path, responseHeaders: headers })) as { headers: Record<string, { value: string }> };
      headers = fromCfHeaders(result.headers);
    }
    return headers;
  }

  function viaDefaultPath(path: string, origin: HeaderMap): HeaderMap {
    const association = (behaviourFor(defaultDistribution, path).functionAssociations ?? []).find((a) => a.eventType === "viewer-response");
    if (association) assert.equal(association.functionArn, functionArnOf(functionResource));
    return afterPolicyAndFunction(defaultDistribution, policies, functionCode, path, origin);
  }

  /** Lambda@Edge on the origin response, then what the behaviour adds on the way to the viewer. */
  async function viaLambdaEdge(path: string, origin: HeaderMap): Promise<HeaderMap> {
    const behaviour = behaviourFor(edgeDistribution, path);
    assert.ok(behaviour.responseHeadersPolicyId, `the site policy stays on ${path} in Lambda@Edge mode`);
    assert.equal(behaviour.lambdaFunctionAssociations?.[0]?.eventType, "origin-response");
    const response = await edgeHandler(lambdaEdgeResponseEvent(path, toLambdaEdgeHeaders(origin)));
    const fromOrigin = fromLambdaEdgeHeaders(response.headers as Record<string, { value: string }[]>);
    return afterPolicyAndFunction(edgeDistribution, edgePolicies, edgeFunctionCode, path, fromOrigin);
  }

  it("Lambda@Edge alone gives the same headers as the policy and function (its origin-response output is complete)", async () => {
    for (const path of ["/", "/admin/x"]) {
      const response = await edgeHandler(lambdaEdgeResponseEvent(path, toLambdaEdgeHeaders({ "content-type": "text/html" })));
      assert.deepEqual(fromLambdaEdgeHeaders(response.headers as Record<string, { value: string }[]>), viaDefaultPath(path, { "content-type": "text/html" }));
    }
  });

  const paths = ["/", "/tutors/maths", "/admin", "/admin/bookings/42", "/ADMIN", "/administrator", "/_next/static/chunks/main.js", "/_next/image", "/.well-known/vercel/flags", "/.well-known/acme-challenge/tok"];
  const origins: Record<string, HeaderMap> = {
    "a bare HTML page": { "content-type": "text/html; charset=utf-8" },
    "a page with the app's own CSP, frame and referrer policy": {
      "content-type": "text/html",
      "content-security-policy": "default-src 'self'; script-src 'self' 'nonce-abc' 'strict-dynamic'",
      "x-frame-options": "SAMEORIGIN",
      "referrer-policy": "no-referrer",
      "permissions-policy": "camera=(self)",
    },
    "a Next.js response with its banner and a weak HSTS": { "content-type": "text/html", "x-powered-by": "Next.js", "strict-transport-security": "max-age=300" },
    "a page that asks to be indexed": { "content-type": "text/html", "x-robots-tag": "all" },
    "a static script": { "content-type": "application/javascript", "cache-control": "public, max-age=31536000, immutable" },
  };

  for (const path of paths) {
    for (const [label, origin] of Object.entries(origins)) {
      it(`${path}, ${label}`, async () => {
        const expected = viaDefaultPath(path, origin);
        const actual = await viaLambdaEdge(path, origin);
        assert.deepEqual(actual, expected);
        assert.ok(expected["strict-transport-security"], "the comparison is about real security headers");
      });
    }
  }

  it("sends exactly the media headers on a bucket object, over whatever S3 stored with it", () => {
    const origin = { "content-type": "video/mp4", etag: '"9b2cf535f27731c974343645a3985328"', "x-frame-options": "SAMEORIGIN", "cache-control": "public, max-age=31536000" };
    assert.deepEqual(viaDefaultPath("/media/videos/a.mp4", origin), {
      "content-type": "video/mp4",
      etag: '"9b2cf535f27731c974343645a3985328"',
      "cache-control": "public, max-age=31536000",
      "strict-transport-security": "max-age=63072000; includeSubDomains; preload",
      "content-security-policy": "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox",
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "no-referrer",
      "x-xss-protection": "0",
      "cross-origin-resource-policy": "same-site",
      "x-robots-tag": "noindex",
    });
  });

  it("asks CloudFront for X-XSS-Protection: 0 and nothing more (mode=block only means something with protection on)", () => {
    for (const [distribution, all] of [
      [defaultDistribution, policies],
      [edgeDistribution, edgePolicies],
    ] as const) {
      for (const path of ["/", "/media/videos/a.mp4"]) {
        const policy = all.find((p) => idOf(p) === behaviourFor(distribution, path).responseHeadersPolicyId)!;
        assert.deepEqual((policy.inputs as RecordedResponseHeadersPolicy).securityHeadersConfig?.xssProtection, { protection: false, modeBlock: false, override: true }, path);
      }
    }
  });

  it("covers every behaviour that serves the site in both modes (the media behaviour keeps its own policy)", () => {
    const siteBehaviours = (d: RecordedResource) => [d.inputs.defaultCacheBehavior, ...(d.inputs.orderedCacheBehaviors as object[])].filter((b) => (b as { targetOriginId: string }).targetOriginId === "vercel").length;
    assert.equal(siteBehaviours(defaultDistribution), siteBehaviours(edgeDistribution));
    for (const path of paths) assert.equal(behaviourFor(edgeDistribution, path).targetOriginId, "vercel", path);
    const media = behaviourFor(edgeDistribution, "/media/videos/a.mp4");
    assert.equal(media.targetOriginId, "media");
    assert.ok(media.responseHeadersPolicyId);
  });
});
