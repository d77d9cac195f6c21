import { createHash } from "node:crypto";
import type { MockCallArgs, MockResourceArgs } from "@pulumi/pulumi/runtime/mocks";

/**
 * Realistic, deterministic outputs for resources and invokes under Pulumi's mock runtime.
 *
 * Everything is derived from the resource's type and name (never from time or randomness), so the
 * same config always gives the same plan, byte for byte. Outputs look like what AWS returns
 * (ARNs, ids, domain names) so that inputs which depend on them read naturally in the plan.
 */

export const MOCK_ACCOUNT_ID = "123456789012";

/** A short, stable hex digest of the given parts. */
export function stableHash(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex");
}

/** `aws:cloudfront/distribution:Distribution` -> `cloudfront` */
function serviceOf(type: string): string {
  const match = /^aws:([^/]+)\//.exec(type);
  return match ? match[1] : "unknown";
}

/** `aws:s3/bucketPolicy:BucketPolicy` -> `bucketPolicy` */
function resourceKindOf(type: string): string {
  const match = /^aws:[^/]+\/([^:]+):/.exec(type);
  return match ? match[1] : "resource";
}

type StateFn = (ctx: MockContext) => Record<string, unknown>;

export interface MockContext {
  type: string;
  name: string;
  inputs: Record<string, any>;
  id: string;
  region: string;
  arn: string;
  hash: string;
}

/**
 * Per-type extra outputs. Keep entries small: only what downstream inputs read.
 * Add an entry when a component reads an output that the generic defaults do not give.
 */
const typeSpecificState: Record<string, StateFn> = {
  "aws:cloudfront/distribution:Distribution": ({ hash, id }) => ({
    domainName: `d${hash.slice(0, 13)}.cloudfront.net`,
    hostedZoneId: "Z2FDTNDATAQYW2",
    arn: `arn:aws:cloudfront::${MOCK_ACCOUNT_ID}:distribution/${id}`,
    status: "Deployed",
  }),
  "aws:cloudfront/function:Function": ({ inputs, hash }) => ({
    arn: `arn:aws:cloudfront::${MOCK_ACCOUNT_ID}:function/${inputs.name ?? hash.slice(0, 8)}`,
    etag: `E${hash.slice(0, 13).toUpperCase()}`,
    liveStageEtag: `E${hash.slice(13, 26).toUpperCase()}`,
  }),
  "aws:cloudfront/originAccessControl:OriginAccessControl": ({ hash }) => ({ id: `E${hash.slice(0, 13).toUpperCase()}` }),
  "aws:cloudfront/publicKey:PublicKey": ({ hash }) => ({ id: `K${hash.slice(0, 13).toUpperCase()}` }),
  // @pulumi/random: a stable stand-in of the requested length (the real value is generated at deploy).
  "random:index/randomBytes:RandomBytes": ({ inputs, hash }) => {
    const bytes = Buffer.from(stableHash(hash, "bytes") + stableHash(hash, "more"), "hex").subarray(0, Number(inputs.length ?? 32));
    return { base64: bytes.toString("base64"), hex: bytes.toString("hex") };
  },
  "random:index/randomPassword:RandomPassword": ({ inputs, hash }) => ({ result: `mock${hash}`.slice(0, Number(inputs.length ?? 32)), bcryptHash: `$2a$10$${hash.slice(0, 53)}` }),
  "aws:s3/bucket:Bucket": ({ inputs, name, region }) => {
    const bucket = inputs.bucket ?? `${name}-${stableHash(name).slice(0, 7)}`;
    return {
      // An S3 bucket's id is its name.
      id: bucket,
      bucket,
      arn: `arn:aws:s3:::${bucket}`,
      bucketDomainName: `${bucket}.s3.amazonaws.com`,
      bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com`,
      region,
    };
  },
  "aws:acm/certificate:Certificate": ({ inputs, hash }) => {
    const names: string[] = [inputs.domainName, ...(inputs.subjectAlternativeNames ?? [])].filter(Boolean);
    return {
      domainValidationOptions: names.map((domainName, i) => ({
        domainName,
        resourceRecordName: `_${stableHash(hash, domainName).slice(0, 32)}.${domainName}.`,
        resourceRecordType: "CNAME",
        resourceRecordValue: `_${stableHash(domainName, String(i)).slice(0, 32)}.acm-validations.aws.`,
      })),
    };
  },
  "aws:lambda/function:Function": ({ arn, inputs, name }) => ({
    name: inputs.name ?? `${name}-${stableHash(name).slice(0, 7)}`,
    version: inputs.publish ? "1" : "$LATEST",
    qualifiedArn: inputs.publish ? `${arn}:1` : `${arn}:$LATEST`,
    invokeArn: `arn:aws:apigateway:eu-west-2:lambda:path/2015-03-31/functions/${arn}/invocations`,
  }),
  "aws:sesv2/emailIdentity:EmailIdentity": ({ hash, inputs, region }) => ({
    arn: `arn:aws:ses:${region}:${MOCK_ACCOUNT_ID}:identity/${inputs.emailIdentity}`,
    dkimSigningAttributes: {
      tokens: [0, 1, 2].map((i) => stableHash(hash, String(i)).slice(0, 32)),
      nextSigningKeyLength: "RSA_2048_BIT",
      status: "PENDING",
    },
  }),
  "aws:sesv2/configurationSet:ConfigurationSet": ({ inputs, region }) => ({
    arn: `arn:aws:ses:${region}:${MOCK_ACCOUNT_ID}:configuration-set/${inputs.configurationSetName}`,
  }),
  "aws:sqs/queue:Queue": ({ inputs, name, region }) => {
    const queueName = inputs.name ?? `${name}-${stableHash(name).slice(0, 7)}`;
    return { name: queueName, arn: `arn:aws:sqs:${region}:${MOCK_ACCOUNT_ID}:${queueName}`, url: `https://sqs.${region}.amazonaws.com/${MOCK_ACCOUNT_ID}/${queueName}` };
  },
  "aws:cognito/userPool:UserPool": ({ region, hash }) => {
    const id = `${region}_${hash.slice(0, 9)}`;
    return {
      id,
      arn: `arn:aws:cognito-idp:${region}:${MOCK_ACCOUNT_ID}:userpool/${id}`,
      endpoint: `cognito-idp.${region}.amazonaws.com/${id}`,
    };
  },
  "aws:cognito/userPoolClient:UserPoolClient": ({ hash }) => ({ id: hash.slice(0, 26) }),
  "aws:sns/topic:Topic": ({ inputs, name, region }) => {
    const topicName = inputs.name ?? `${name}-${stableHash(name).slice(0, 7)}`;
    return { name: topicName, arn: `arn:aws:sns:${region}:${MOCK_ACCOUNT_ID}:${topicName}` };
  },
  "aws:cloudwatch/logGroup:LogGroup": ({ inputs, name, region }) => {
    const groupName = inputs.name ?? (inputs.namePrefix ? `${inputs.namePrefix}${stableHash(name).slice(0, 7)}` : `${name}-${stableHash(name).slice(0, 7)}`);
    return { name: groupName, arn: `arn:aws:logs:${region}:${MOCK_ACCOUNT_ID}:log-group:${groupName}` };
  },
  "aws:dynamodb/table:Table": ({ inputs, name, region }) => {
    const tableName = inputs.name ?? `${name}-${stableHash(name).slice(0, 7)}`;
    return { name: tableName, arn: `arn:aws:dynamodb:${region}:${MOCK_ACCOUNT_ID}:table/${tableName}` };
  },
  "aws:iam/role:Role": ({ inputs, name }) => {
    const roleName = inputs.name ?? `${name}-${stableHash(name).slice(0, 7)}`;
    // IAM puts the role's path into its ARN (role/<path>/<name>).
    // A role's id is its name, as the provider reports it.
    return {
      id: roleName,
      name: roleName,
      arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role${inputs.path ?? "/"}${roleName}`,
      uniqueId: `AROA${stableHash(name).slice(0, 17).toUpperCase()}`,
    };
  },
  // An OIDC provider's ARN is named by its issuer URL without the scheme (IAM CreateOpenIDConnectProvider).
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": ({ inputs, name }) => {
    const issuer = String(inputs.url ?? name).replace(/^https:\/\//, "");
    return { arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/${issuer}` };
  },
  "aws:iam/policy:Policy": ({ inputs, name }) => {
    const policyName = inputs.name ?? `${name}-${stableHash(name).slice(0, 7)}`;
    return { name: policyName, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy${inputs.path ?? "/"}${policyName}` };
  },
  "aws:cloudwatch/metricAlarm:MetricAlarm": ({ inputs, name, region }) => {
    const alarmName = inputs.name ?? `${name}-${stableHash(name).slice(0, 7)}`;
    return { name: alarmName, arn: `arn:aws:cloudwatch:${region}:${MOCK_ACCOUNT_ID}:alarm:${alarmName}` };
  },
  "aws:cloudwatch/dashboard:Dashboard": ({ inputs }) => ({ dashboardArn: `arn:aws:cloudwatch::${MOCK_ACCOUNT_ID}:dashboard/${inputs.dashboardName}` }),
  "aws:cloudwatch/eventRule:EventRule": ({ inputs, name, region }) => {
    const ruleName = inputs.name ?? `${name}-${stableHash(name).slice(0, 7)}`;
    return { name: ruleName, arn: `arn:aws:events:${region}:${MOCK_ACCOUNT_ID}:rule/${ruleName}` };
  },
  "aws:budgets/budget:Budget": ({ inputs, name }) => {
    const budgetName = inputs.name ?? `${name}-${stableHash(name).slice(0, 7)}`;
    return { name: budgetName, arn: `arn:aws:budgets::${MOCK_ACCOUNT_ID}:budget/${budgetName}` };
  },
  "aws:guardduty/detector:Detector": ({ hash, region }) => ({ id: hash.slice(0, 32), arn: `arn:aws:guardduty:${region}:${MOCK_ACCOUNT_ID}:detector/${hash.slice(0, 32)}` }),
  "aws:cloudtrail/trail:Trail": ({ inputs, name, region }) => ({ name: inputs.name ?? name, arn: `arn:aws:cloudtrail:${region}:${MOCK_ACCOUNT_ID}:trail/${inputs.name ?? name}` }),
  "aws:kms/key:Key": ({ hash, region }) => {
    const keyId = `${hash.slice(0, 8)}-${hash.slice(8, 12)}-${hash.slice(12, 16)}-${hash.slice(16, 20)}-${hash.slice(20, 32)}`;
    return { id: keyId, keyId, arn: `arn:aws:kms:${region}:${MOCK_ACCOUNT_ID}:key/${keyId}` };
  },
  "aws:wafv2/webAcl:WebAcl": ({ inputs, name, hash, region }) => {
    const aclName = inputs.name ?? name;
    const scope = String(inputs.scope ?? "REGIONAL").toLowerCase() === "cloudfront" ? "global" : "regional";
    const id = `${hash.slice(0, 8)}-${hash.slice(8, 12)}-${hash.slice(12, 16)}-${hash.slice(16, 20)}-${hash.slice(20, 32)}`;
    return { id, name: aclName, arn: `arn:aws:wafv2:${region}:${MOCK_ACCOUNT_ID}:${scope}/webacl/${aclName}/${id}` };
  },
  "aws:route53/record:Record": ({ inputs }) => ({ fqdn: String(inputs.name ?? "").replace(/\.$/, "") }),
  "aws:cloudwatch/logDeliverySource:LogDeliverySource": ({ inputs, name, region }) => {
    const sourceName = inputs.name ?? `${name}-${stableHash(name).slice(0, 7)}`;
    return { name: sourceName, arn: `arn:aws:logs:${region}:${MOCK_ACCOUNT_ID}:delivery-source:${sourceName}`, service: "cloudfront" };
  },
  "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": ({ inputs, name, region }) => {
    const destinationName = inputs.name ?? `${name}-${stableHash(name).slice(0, 7)}`;
    return { name: destinationName, arn: `arn:aws:logs:${region}:${MOCK_ACCOUNT_ID}:delivery-destination:${destinationName}` };
  },
  // Organizations: ids in the shapes the API returns (o-, r-, ou-, 12-digit account ids, p-).
  "aws:organizations/organization:Organization": ({ hash }) => {
    const id = `o-${hash.slice(0, 10)}`;
    return {
      id,
      arn: `arn:aws:organizations::${MOCK_ACCOUNT_ID}:organization/${id}`,
      masterAccountId: MOCK_ACCOUNT_ID,
      roots: [{ id: `r-${hash.slice(10, 14)}`, name: "Root", arn: `arn:aws:organizations::${MOCK_ACCOUNT_ID}:root/${id}/r-${hash.slice(10, 14)}` }],
    };
  },
  "aws:organizations/organizationalUnit:OrganizationalUnit": ({ hash }) => ({ id: `ou-${hash.slice(0, 4)}-${hash.slice(4, 12)}` }),
  "aws:organizations/account:Account": ({ hash }) => ({
    id: String(parseInt(hash.slice(0, 10), 16))
      .padStart(12, "1")
      .slice(0, 12),
  }),
  "aws:organizations/policy:Policy": ({ hash }) => ({ id: `p-${hash.slice(0, 8)}` }),
};

/** The ARN AWS would give a resource of this type, for types without a specific entry. */
function genericArn(type: string, name: string, region: string): string {
  return `arn:aws:${serviceOf(type)}:${region}:${MOCK_ACCOUNT_ID}:${resourceKindOf(type)}/${name}`;
}

/** Mock `newResource`: echo the inputs and add realistic computed outputs. */
export function mockResourceState(args: MockResourceArgs, defaultRegion: string): { id: string; state: Record<string, unknown> } {
  const inputs = (args.inputs ?? {}) as Record<string, any>;
  if (args.type.startsWith("pulumi:providers:")) {
    return { id: `${args.name}-provider-id`, state: inputs };
  }
  if (args.custom === false) return { id: "", state: {} };
  const region: string = inputs.region ?? defaultRegion;
  const hash = stableHash(args.type, args.name);
  const id = `${args.name}-${hash.slice(0, 7)}`;
  const arn = genericArn(args.type, args.name, region);
  const ctx: MockContext = { type: args.type, name: args.name, inputs, id, region, arn, hash };
  const specific = typeSpecificState[args.type]?.(ctx) ?? {};
  const state = { ...inputs, arn, region, ...specific } as Record<string, unknown>;
  if (!("tagsAll" in state) && inputs.tags) state.tagsAll = inputs.tags;
  return { id: (specific.id as string | undefined) ?? id, state };
}

/** Ids of the AWS-managed CloudFront policies, looked up by name (these ids are public and stable). */
export const MANAGED_CLOUDFRONT_POLICY_IDS: Record<string, string> = {
  "Managed-CachingOptimized": "658327ea-f89d-4fab-a63d-7e88639e58f6",
  "Managed-CachingDisabled": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
  "Managed-CachingOptimizedForUncompressedObjects": "b2884449-e4de-46a7-ac36-70bc7f1ddd6d",
  "Managed-UseOriginCacheControlHeaders": "83da9c7e-98b4-4e11-a168-04f0df8e2c65",
  "Managed-UseOriginCacheControlHeaders-QueryStrings": "4cc15a8a-d715-48a4-82b8-cc0b614638fe",
  "Managed-AllViewer": "216adef6-5c7f-47e4-b989-5492eafa07d3",
  "Managed-AllViewerExceptHostHeader": "b689b0a8-53d0-40ab-baf2-68738e2966ac",
  "Managed-AllViewerAndCloudFrontHeaders-2022-06": "33f36d7e-f396-46d9-90e0-52428a34d9dc",
  "Managed-CORS-S3Origin": "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf",
  "Managed-CORS-CustomOrigin": "59781a5b-3903-41f3-afcb-af62929ccde1",
  "Managed-Elemental-MediaTailor-PersonalizedManifests": "775133bc-15f2-49f9-abea-afb2e0bf67d2",
  "Managed-UserAgentRefererHeaders": "acba4595-bd28-49b8-b9fe-13317c0390fa",
  "Managed-SecurityHeadersPolicy": "67f7725c-6f97-4210-82d7-5512b31e9d03",
  "Managed-SimpleCORS": "60669652-455b-4ae9-85a4-c4c02393f86c",
  "Managed-CORS-With-Preflight": "5cc3b908-e619-4b99-88e5-2cf7f45965bd",
  "Managed-CORS-with-preflight-and-SecurityHeadersPolicy": "eaab4381-ed33-4a86-88ca-d9558dc6cd63",
};

const managedPolicyInvokes = new Set([
  "aws:cloudfront/getCachePolicy:getCachePolicy",
  "aws:cloudfront/getOriginRequestPolicy:getOriginRequestPolicy",
  "aws:cloudfront/getResponseHeadersPolicy:getResponseHeadersPolicy",
]);

/** Mock `call` (invokes): the few data sources the program reads. Unknown invokes fail loudly. */
export function mockCall(args: MockCallArgs, defaultRegion: string): Record<string, unknown> {
  const inputs = (args.inputs ?? {}) as Record<string, any>;
  if (managedPolicyInvokes.has(args.token)) {
    const id = MANAGED_CLOUDFRONT_POLICY_IDS[inputs.name];
    if (!id) throw new Error(`no managed CloudFront policy named '${inputs.name}' (${args.token})`);
    return { ...inputs, id };
  }
  switch (args.token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return { accountId: MOCK_ACCOUNT_ID, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/plan`, userId: "AIDAPLAN", id: MOCK_ACCOUNT_ID };
    case "aws:index/getRegion:getRegion":
      return { name: inputs.region ?? defaultRegion, region: inputs.region ?? defaultRegion, id: inputs.region ?? defaultRegion };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
    case "aws:iam/getPolicyDocument:getPolicyDocument":
      return { json: JSON.stringify(policyDocumentFromInvoke(inputs)) };
    default:
      throw new Error(`the offline plan has no mock for the invoke '${args.token}'; add one in tools/mocks/state.ts`);
  }
}

/** Mirrors aws.iam.getPolicyDocument closely enough for a readable plan. */
function policyDocumentFromInvoke(inputs: Record<string, any>): unknown {
  const statements = (inputs.statements ?? []).map((s: any) => {
    const out: Record<string, unknown> = { Effect: s.effect ?? "Allow" };
    if (s.sid) out.Sid = s.sid;
    if (s.actions) out.Action = s.actions;
    if (s.resources) out.Resource = s.resources;
    if (s.principals) out.Principal = Object.fromEntries(s.principals.map((p: any) => [p.type, p.identifiers]));
    if (s.conditions) {
      const cond: Record<string, Record<string, unknown>> = {};
      for (const c of s.conditions) (cond[c.test] ??= {})[c.variable] = c.values;
      out.Condition = cond;
    }
    return out;
  });
  return { Version: "2012-10-17", Statement: statements };
}
