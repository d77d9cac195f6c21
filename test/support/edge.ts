import Module from "node:module";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CloudFrontResponseEvent, CloudFrontResultResponse } from "aws-lambda";
import { Cdn, CdnArgs } from "../../components/edge/Cdn";
import type { MockRunResult, RecordedResource } from "../../tools/mocks/runtime";
import { mockResourceState } from "../../tools/mocks/state";
import { declare, ROOT } from "./harness";

/** An RSA 2048 public key (the private half was discarded). */
export const SIGNING_PUBLIC_KEY = readFileSync(join(ROOT, "test", "fixtures", "edge", "signing-public-key.pem"), "utf8");

export const BASE_CDN_ARGS: CdnArgs = {
  domainNames: ["www.example.com", "example.com"],
  apexDomain: "example.com",
  vercelOriginHostname: "site.vercel.app",
  mediaBucketRegionalDomainName: "media-bucket.s3.eu-west-2.amazonaws.com",
  mediaSigningPublicKeyPem: SIGNING_PUBLIC_KEY,
};

/** Declares a Cdn under mocks; returns what was declared and the component object. */
export async function declareCdn(overrides: Partial<CdnArgs> = {}): Promise<{ result: MockRunResult; cdn: Cdn }> {
  let cdn: Cdn | undefined;
  const result = await declare(() => {
    cdn = new Cdn("edge", { ...BASE_CDN_ARGS, ...overrides });
  });
  return { result, cdn: cdn! };
}

/** The physical id the mocks gave a resource (what other resources' inputs reference). */
export function idOf(resource: RecordedResource): string {
  return mockResourceState({ type: resource.type, name: resource.name, inputs: resource.inputs, custom: true, provider: "", id: undefined } as never, resource.region ?? "eu-west-2").id;
}

export interface Behaviour {
  pathPattern?: string;
  targetOriginId: string;
  viewerProtocolPolicy: string;
  allowedMethods: string[];
  cachedMethods: string[];
  cachePolicyId: string;
  originRequestPolicyId?: string;
  responseHeadersPolicyId?: string;
  compress?: boolean;
  trustedKeyGroups?: string[];
  functionAssociations?: { eventType: string; functionArn: string }[];
  lambdaFunctionAssociations?: { eventType: string; lambdaArn: string; includeBody?: boolean }[];
}

/** CloudFront path-pattern matching: `*` any run of characters, `?` one character, case-sensitive. */
export function matchesPattern(pattern: string, path: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
  return regex.test(path);
}

/** The behaviour CloudFront picks for a path: the first ordered behaviour that matches, else the default. */
export function behaviourFor(distribution: RecordedResource, path: string): Behaviour {
  const ordered = (distribution.inputs.orderedCacheBehaviors ?? []) as Behaviour[];
  return ordered.find((b) => matchesPattern(b.pathPattern!, path)) ?? (distribution.inputs.defaultCacheBehavior as Behaviour);
}

/** Loads bundled CommonJS code (the Lambda archive's index.js) as a module and returns its handler. */
export function loadBundledHandler(code: string): (event: CloudFrontResponseEvent) => Promise<CloudFrontResultResponse> {
  const mod = new Module("index.js") as Module & { _compile(code: string, filename: string): void };
  mod.filename = join(ROOT, ".bundle", "index.js");
  mod.paths = [];
  mod._compile(code, mod.filename);
  return (mod.exports as { handler: (event: CloudFrontResponseEvent) => Promise<CloudFrontResultResponse> }).handler;
}

/** A viewer-response event for Lambda@Edge. */
export function lambdaEdgeResponseEvent(uri: string, headers: Record<string, { key: string; value: string }[]>, status = "200"): CloudFrontResponseEvent {
  return {
    Records: [
      {
        cf: {
          config: { distributionDomainName: "d111111abcdef8.cloudfront.net", distributionId: "EDFDVBD6EXAMPLE", eventType: "viewer-response", requestId: "4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==" },
          request: { clientIp: "198.51.100.11", headers: { host: [{ key: "Host", value: "www.example.com" }] }, method: "GET", querystring: "", uri },
          response: { status, statusDescription: "OK", headers },
        },
      },
    ],
  };
}
