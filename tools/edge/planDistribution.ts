import { mockResourceState } from "../mocks/state";
import {
  CachePolicyContents,
  managedCachePolicy,
  managedOriginRequestPolicy,
  managedResponseHeadersPolicy,
  OriginRequestPolicyContents,
  ResponseHeadersPolicyContents,
} from "./managedPolicies";
import type { RecordedResponseHeadersPolicy } from "./cloudfrontHeaders";

/**
 * The planned CloudFront distribution, resolved into what an emulator needs: each behaviour with
 * the contents of its cache, origin request and response headers policies (custom ones from the
 * plan's own resources, AWS-managed ones from tools/edge/managedPolicies.ts), its CloudFront
 * Function source, and the public keys of its trusted key groups.
 *
 * Input: the `resources` of a plan, either `npm run plan -- <stack> --json` or `plan()` from
 * tools/plan/plan.ts in process. Resources reference each other by the ids the offline plan's mocks
 * gave them (tools/mocks/state.ts), so ids are recomputed the same way here.
 */

/** The part of a planned resource this module reads (both the --json and the in-process shapes have it). */
export interface PlanResourceLike {
  type: string;
  name: string;
  region?: string | null;
  inputs: Record<string, unknown>;
}

export interface PlannedBehaviour {
  /** Undefined for the default behaviour. */
  pathPattern?: string;
  targetOriginId: string;
  viewerProtocolPolicy: "allow-all" | "redirect-to-https" | "https-only";
  allowedMethods: string[];
  cachedMethods: string[];
  compress: boolean;
  cachePolicy: { id: string; name: string; contents: CachePolicyContents };
  originRequestPolicy?: { id: string; name: string; contents: OriginRequestPolicyContents };
  responseHeadersPolicy?: { id: string; name: string; contents: RecordedResponseHeadersPolicy & ResponseHeadersPolicyContents };
  /** CloudFront Function source per event type. */
  functions: { "viewer-request"?: string; "viewer-response"?: string };
  /** Lambda@Edge associations (not run by the emulator: it refuses a behaviour that has any). */
  lambdaAssociations: { eventType: string; lambdaArn: string }[];
  /** Public keys (id -> PEM) of the trusted key groups; undefined when the behaviour is public. */
  trustedKeys?: Record<string, string>;
}

export interface PlannedOrigin {
  originId: string;
  domainName: string;
  kind: "custom" | "s3";
  /** Origin custom headers (name -> value), added to every origin request. */
  customHeaders: Record<string, string>;
  originPath: string;
  readTimeoutSeconds: number;
}

export interface PlannedDistribution {
  aliases: string[];
  /** The distribution's own `dxxxx.cloudfront.net` name, as the plan's mocks give it. */
  domainName: string;
  behaviours: PlannedBehaviour[];
  defaultBehaviour: PlannedBehaviour;
  origins: Record<string, PlannedOrigin>;
  webAclId?: string;
  geoRestriction: { restrictionType: string; locations: string[] };
}

const T = {
  distribution: "aws:cloudfront/distribution:Distribution",
  cachePolicy: "aws:cloudfront/cachePolicy:CachePolicy",
  originRequestPolicy: "aws:cloudfront/originRequestPolicy:OriginRequestPolicy",
  responseHeadersPolicy: "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
  function: "aws:cloudfront/function:Function",
  keyGroup: "aws:cloudfront/keyGroup:KeyGroup",
  publicKey: "aws:cloudfront/publicKey:PublicKey",
};

/** id and arn the plan's mocks gave a resource. */
function mockIdentity(r: PlanResourceLike): { id: string; arn: string; state: Record<string, unknown> } {
  const { id, state } = mockResourceState({ type: r.type, name: r.name, inputs: r.inputs, custom: true, provider: "", id: undefined } as never, r.region ?? "eu-west-2");
  return { id, arn: String(state.arn), state };
}

interface RawBehaviour {
  pathPattern?: string;
  targetOriginId: string;
  viewerProtocolPolicy: PlannedBehaviour["viewerProtocolPolicy"];
  allowedMethods: string[];
  cachedMethods: string[];
  compress?: boolean;
  cachePolicyId?: string;
  originRequestPolicyId?: string;
  responseHeadersPolicyId?: string;
  functionAssociations?: { eventType: "viewer-request" | "viewer-response"; functionArn: string }[];
  lambdaFunctionAssociations?: { eventType: string; lambdaArn: string }[];
  trustedKeyGroups?: string[];
  trustedSigners?: string[];
}

/** Resolves the plan's distribution. Throws when there is none, or more than one, or a reference does not resolve. */
export function plannedDistribution(resources: PlanResourceLike[]): PlannedDistribution {
  const distributions = resources.filter((r) => r.type === T.distribution);
  if (distributions.length !== 1) throw new Error(`the plan declares ${distributions.length} CloudFront distributions; the emulator needs exactly one`);
  const d = distributions[0].inputs as Record<string, any>;

  const byId = (type: string) => new Map(resources.filter((r) => r.type === type).map((r) => [mockIdentity(r).id, r]));
  const cachePolicies = byId(T.cachePolicy);
  const originPolicies = byId(T.originRequestPolicy);
  const responsePolicies = byId(T.responseHeadersPolicy);
  const keyGroups = byId(T.keyGroup);
  const publicKeys = byId(T.publicKey);
  const functions = new Map(resources.filter((r) => r.type === T.function).map((r) => [mockIdentity(r).arn, r]));

  const resolve = <C>(id: string | undefined, custom: Map<string, PlanResourceLike>, managed: (id: string) => { name: string; contents: C } | undefined, what: string) => {
    if (!id) return undefined;
    const m = managed(id);
    if (m) return { id, name: `Managed-${m.name}`, contents: m.contents };
    const r = custom.get(id);
    if (!r) throw new Error(`${what} ${id} is neither an AWS-managed policy (tools/edge/managedPolicies.ts) nor declared in the plan`);
    return { id, name: r.name, contents: r.inputs as unknown as C };
  };

  const behaviour = (b: RawBehaviour): PlannedBehaviour => {
    if (b.trustedSigners?.length) throw new Error("trusted signers (account key pairs) are not emulated; use trusted key groups");
    const cachePolicy = resolve<CachePolicyContents>(b.cachePolicyId, cachePolicies, managedCachePolicy, "cache policy");
    if (!cachePolicy) throw new Error(`behaviour ${b.pathPattern ?? "default"} has no cache policy (legacy cache settings are not emulated)`);
    const fns: PlannedBehaviour["functions"] = {};
    for (const a of b.functionAssociations ?? []) {
      const fn = functions.get(a.functionArn);
      if (!fn) throw new Error(`function ${a.functionArn} of behaviour ${b.pathPattern ?? "default"} is not in the plan`);
      fns[a.eventType] = String(fn.inputs.code);
    }
    let trustedKeys: Record<string, string> | undefined;
    if (b.trustedKeyGroups?.length) {
      trustedKeys = {};
      for (const groupId of b.trustedKeyGroups) {
        const group = keyGroups.get(groupId);
        if (!group) throw new Error(`key group ${groupId} is not in the plan`);
        for (const keyId of (group.inputs.items as string[]) ?? []) {
          const key = publicKeys.get(keyId);
          if (!key) throw new Error(`public key ${keyId} is not in the plan`);
          trustedKeys[keyId] = String(key.inputs.encodedKey);
        }
      }
    }
    return {
      pathPattern: b.pathPattern,
      targetOriginId: b.targetOriginId,
      viewerProtocolPolicy: b.viewerProtocolPolicy,
      allowedMethods: b.allowedMethods,
      cachedMethods: b.cachedMethods,
      compress: b.compress ?? false,
      cachePolicy,
      originRequestPolicy: resolve<OriginRequestPolicyContents>(b.originRequestPolicyId, originPolicies, managedOriginRequestPolicy, "origin request policy"),
      responseHeadersPolicy: resolve<RecordedResponseHeadersPolicy & ResponseHeadersPolicyContents>(b.responseHeadersPolicyId, responsePolicies, managedResponseHeadersPolicy, "response headers policy"),
      functions: fns,
      lambdaAssociations: (b.lambdaFunctionAssociations ?? []).map((a) => ({ eventType: a.eventType, lambdaArn: a.lambdaArn })),
      trustedKeys,
    };
  };

  const origins: Record<string, PlannedOrigin> = {};
  for (const o of (d.origins ?? []) as Record<string, any>[]) {
    origins[o.originId] = {
      originId: o.originId,
      domainName: o.domainName,
      kind: o.customOriginConfig ? "custom" : "s3",
      customHeaders: Object.fromEntries(((o.customHeaders ?? []) as { name: string; value: string }[]).map((h) => [h.name, h.value])),
      originPath: o.originPath ?? "",
      readTimeoutSeconds: o.customOriginConfig?.originReadTimeout ?? 30,
    };
  }

  return {
    aliases: (d.aliases ?? []) as string[],
    domainName: String(mockIdentity(distributions[0]).state.domainName),
    behaviours: ((d.orderedCacheBehaviors ?? []) as RawBehaviour[]).map(behaviour),
    defaultBehaviour: behaviour(d.defaultCacheBehavior as RawBehaviour),
    origins,
    webAclId: d.webAclId,
    geoRestriction: d.restrictions?.geoRestriction ?? { restrictionType: "none", locations: [] },
  };
}
