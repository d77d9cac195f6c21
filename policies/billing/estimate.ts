import { isUnknownValueError, list, whenKnown } from "../lib/inputs";
import { costEstate, ESTATE_TYPES } from "./estate";
import { Confidence, PRICE_TABLE_CURRENCY, PRICE_TABLE_DATE, PriceEntry, PriceId, PRICES, PriceTable } from "./prices";
import { UsageProfile } from "./usage";
import { ladderOutputMinutes } from "../rules/videoLadder";

/**
 * The monthly cost of a stack, from its resources, a usage profile and the price table.
 *
 * Pure (no Pulumi runtime, no I/O): the `monthly-fixed-cost-ceiling` and `monthly-cost-estimate`
 * stack policies call it on what the engine sends them, and the offline plan calls it on what the
 * program declared under mocks, so the pack and the plan always agree.
 *
 * Two kinds of lines:
 *  - fixed: billed every month whatever the traffic (web ACLs and rules, dashboards, alarms, KMS
 *    keys, hosted zones, secrets, metric subscriptions, ...);
 *  - usage: quantity from the usage profile times the unit price (requests, GB out, emails, MAU,
 *    storage, invocations, log ingestion, ...).
 * No free tier is credited: they are per account, and dev and prod may share one.
 */

/** What the estimate needs of a resource: the engine's view (policy) or the recorded one (plan). */
export interface CostedResource {
  urn: string;
  type: string;
  name: string;
  /** Inputs or outputs (both carry the settings that matter here). */
  props: Record<string, any>;
  /** Resolved region (per-resource `region`, else the provider's). */
  region: string;
}

export interface CostLine {
  /** URN of the resource the cost comes from; undefined for stack-wide usage (custom metrics, emails). */
  urn?: string;
  type?: string;
  /** Logical name, or a short label for stack-wide lines. */
  name: string;
  kind: "fixed" | "usage";
  /** A key of the price table, or `<family>:<class>` for an instance-class rate (billing/hourly.ts). */
  priceId: PriceId | `${string}:${string}`;
  /** The price's source (set for instance-class rates, which are not keys of PRICES). */
  source?: string;
  item: string;
  quantity: number;
  unit: string;
  unitUsd: number;
  monthlyUsd: number;
  confidence: Confidence;
  /** Where the quantity comes from, e.g. "6 rules" or "usage.dataOutGb". */
  basis: string;
  /** Set when the unit price is a regional rate of the table (`PriceEntry.regional`), e.g. "eu-west-2". */
  priceRegion?: string;
}

export interface CostEstimate {
  priceTableDate: string;
  currency: string;
  lines: CostLine[];
  fixedMonthlyUsd: number;
  usageMonthlyUsd: number;
  totalMonthlyUsd: number;
  /** Total by the confidence of the prices used: how much of the figure rests on unconfirmed prices. */
  byConfidence: Record<Confidence, number>;
  /** Settings that cost money but that the table does not price (e.g. WAF Bot Control), as text; exempted items excluded. */
  unpriced: string[];
  /** The same, one record each: billable types without a price, unpriced settings, values unknown during preview. */
  unpricedItems: UnpricedItem[];
  /** Unpriced items the policy config exempts, each with its reason (listed by the plan). */
  exempted: (UnpricedItem & { exemption: string })[];
  profile: UsageProfile;
}

/**
 * A cost the table cannot price (issue 14, class 1):
 *  - `no-price`: a billable resource type the estimate does not price at all;
 *  - `partial`: a priced resource with a setting whose cost is not in the table (an instance class, Bot Control, ...);
 *  - `unknown`: a value unknown during preview (judged once known; never refused for it).
 */
export interface UnpricedItem {
  urn?: string;
  type?: string;
  name: string;
  kind: "no-price" | "partial" | "unknown";
  reason: string;
}

/** An explicit exemption from pricing, in the `billing-unpriced-resources` policy config: by type token or by URN, with the reason. */
export interface PricingExemption {
  type?: string;
  urn?: string;
  reason: string;
}

export interface EstimateOptions {
  exemptions?: readonly PricingExemption[];
}

/** Whether a type is the project's own component or the engine's (stack, providers): nothing is billed for it. */
export function isNonBillableToken(type: string): boolean {
  return type.startsWith("pulumi:") || /^mpto:/.test(type);
}

/** Providers whose resources exist only in state (computed locally), e.g. random passwords and TLS keys. */
export const LOCAL_PACKAGES: readonly string[] = ["random", "tls"];

/** Types that are free, or whose cost is billed through another line (companions, policies, records). */
export const FREE_TYPES: ReadonlySet<string> = new Set([
  "aws:acm/certificate:Certificate",
  "aws:acm/certificateValidation:CertificateValidation",
  "aws:cloudfront/cachePolicy:CachePolicy",
  "aws:cloudfront/keyGroup:KeyGroup",
  "aws:cloudfront/keyValueStore:KeyValueStore",
  "aws:cloudfront/originAccessControl:OriginAccessControl",
  "aws:cloudfront/originRequestPolicy:OriginRequestPolicy",
  "aws:cloudfront/publicKey:PublicKey",
  "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
  "aws:cloudwatch/eventRule:EventRule",
  "aws:cloudwatch/eventTarget:EventTarget",
  "aws:cloudwatch/logDelivery:LogDelivery",
  "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
  "aws:cloudwatch/logDeliverySource:LogDeliverySource",
  "aws:cloudwatch/logResourcePolicy:LogResourcePolicy",
  "aws:cognito/identityProvider:IdentityProvider",
  "aws:cognito/userGroup:UserGroup",
  "aws:cognito/userPoolClient:UserPoolClient",
  "aws:cognito/userPoolDomain:UserPoolDomain",
  "aws:cognito/logDeliveryConfiguration:LogDeliveryConfiguration",
  "aws:costexplorer/anomalySubscription:AnomalySubscription",
  "aws:costexplorer/costAllocationTag:CostAllocationTag",
  "aws:guardduty/detectorFeature:DetectorFeature",
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
  "aws:iam/policy:Policy",
  "aws:iam/role:Role",
  "aws:iam/rolePolicy:RolePolicy",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  "aws:kms/alias:Alias",
  "aws:lambda/permission:Permission",
  "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
  "aws:route53/record:Record",
  "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  "aws:s3/bucketLogging:BucketLogging",
  "aws:s3/bucketNotification:BucketNotification",
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  "aws:s3/bucketPolicy:BucketPolicy",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketVersioning:BucketVersioning",
  "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
  "aws:sesv2/configurationSet:ConfigurationSet",
  "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination",
  "aws:sesv2/emailIdentityMailFromAttributes:EmailIdentityMailFromAttributes",
  "aws:sns/topicPolicy:TopicPolicy",
  "aws:sns/topicSubscription:TopicSubscription",
  "aws:sqs/queue:Queue",
  "aws:sqs/queuePolicy:QueuePolicy",
  "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
  "aws:wafv2/webAclAssociation:WebAclAssociation",
  "aws:wafv2/ipSet:IpSet",
  // Added with the unpriced-type refusal (issue 14, class 1): each costs nothing by existing; what
  // it carries is billed on another line (requests, storage, instances) or not at all.
  "aws:alb/listener:Listener",
  "aws:alb/listenerRule:ListenerRule",
  "aws:alb/targetGroup:TargetGroup",
  "aws:alb/targetGroupAttachment:TargetGroupAttachment",
  "aws:cloudwatch/logMetricFilter:LogMetricFilter",
  "aws:cloudwatch/logStream:LogStream",
  "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter",
  "aws:dynamodb/tableReplica:TableReplica",
  "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
  "aws:ec2/internetGateway:InternetGateway",
  "aws:ec2/keyPair:KeyPair",
  "aws:ec2/launchTemplate:LaunchTemplate",
  "aws:ec2/networkAcl:NetworkAcl",
  "aws:ec2/route:Route",
  "aws:ec2/routeTable:RouteTable",
  "aws:ec2/routeTableAssociation:RouteTableAssociation",
  "aws:ec2/securityGroup:SecurityGroup",
  "aws:ec2/subnet:Subnet",
  "aws:ec2/vpc:Vpc",
  "aws:ec2/vpcSecurityGroupEgressRule:VpcSecurityGroupEgressRule",
  "aws:ec2/vpcSecurityGroupIngressRule:VpcSecurityGroupIngressRule",
  "aws:ecs/cluster:Cluster",
  "aws:ecs/taskDefinition:TaskDefinition",
  "aws:iam/accessKey:AccessKey",
  "aws:iam/group:Group",
  "aws:iam/groupMembership:GroupMembership",
  "aws:iam/groupPolicy:GroupPolicy",
  "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
  "aws:iam/instanceProfile:InstanceProfile",
  // Centralised root access is a feature of IAM and Organizations, which charge nothing (aws.amazon.com/organizations/pricing).
  "aws:iam/organizationsFeatures:OrganizationsFeatures",
  // One object: its bytes and requests are billed on the bucket's storage and request lines.
  "aws:s3/bucketObjectv2:BucketObjectv2",
  "aws:iam/policyAttachment:PolicyAttachment",
  "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive",
  "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
  "aws:iam/serviceLinkedRole:ServiceLinkedRole",
  "aws:iam/user:User",
  "aws:iam/userGroupMembership:UserGroupMembership",
  "aws:iam/userPolicy:UserPolicy",
  "aws:iam/userPolicyAttachment:UserPolicyAttachment",
  "aws:lambda/alias:Alias",
  "aws:lambda/eventSourceMapping:EventSourceMapping",
  "aws:lambda/functionUrl:FunctionUrl",
  "aws:lambda/layerVersion:LayerVersion",
  "aws:lb/listener:Listener",
  "aws:lb/listenerRule:ListenerRule",
  "aws:lb/targetGroup:TargetGroup",
  "aws:lb/targetGroupAttachment:TargetGroupAttachment",
  "aws:organizations/account:Account",
  "aws:organizations/delegatedAdministrator:DelegatedAdministrator",
  "aws:organizations/organization:Organization",
  "aws:organizations/organizationalUnit:OrganizationalUnit",
  "aws:organizations/policy:Policy",
  "aws:organizations/policyAttachment:PolicyAttachment",
  "aws:ses/configurationSet:ConfigurationSet",
  "aws:ses/domainDkim:DomainDkim",
  "aws:ses/domainIdentityVerification:DomainIdentityVerification",
  "aws:ses/emailIdentity:EmailIdentity",
  "aws:ses/eventDestination:EventDestination",
  "aws:ses/mailFrom:MailFrom",
  "aws:sesv2/emailIdentityFeedbackAttributes:EmailIdentityFeedbackAttributes",
]);

/** Types the estimate prices (a line, or a gap it names): the `each(...)` calls below and billing/estate.ts. */
export const PRICED_TYPES: ReadonlySet<string> = new Set([
  "aws:wafv2/webAcl:WebAcl",
  "aws:cloudwatch/dashboard:Dashboard",
  "aws:cloudwatch/metricAlarm:MetricAlarm",
  "aws:cloudwatch/compositeAlarm:CompositeAlarm",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:cloudfront/monitoringSubscription:MonitoringSubscription",
  "aws:kms/key:Key",
  "aws:route53/zone:Zone",
  "aws:secretsmanager/secret:Secret",
  "aws:cloudtrail/trail:Trail",
  "aws:budgets/budget:Budget",
  "aws:budgets/budgetAction:BudgetAction",
  "aws:costexplorer/anomalyMonitor:AnomalyMonitor",
  "aws:cloudfront/distribution:Distribution",
  "aws:cloudfront/function:Function",
  "aws:lambda/function:Function",
  "aws:dynamodb/table:Table",
  "aws:s3/bucket:Bucket",
  "aws:cognito/userPool:UserPool",
  "aws:sesv2/emailIdentity:EmailIdentity",
  "aws:ses/domainIdentity:DomainIdentity",
  "aws:guardduty/detector:Detector",
  "aws:sns/topic:Topic",
  ...ESTATE_TYPES,
]);

/** WAF managed rule groups with their own subscription and request fees (not in the table). */
const PAID_WAF_GROUPS = ["AWSManagedRulesBotControlRuleSet", "AWSManagedRulesATPRuleSet", "AWSManagedRulesACFPRuleSet", "AWSManagedRulesAntiDDoSRuleSet"];

const round = (n: number, places = 4) => Math.round(n * 10 ** places) / 10 ** places;

/** Lambda@Edge: a published function in us-east-1 (Lambda@Edge replicates only published versions from there). */
export function isEdgeLambda(r: Pick<CostedResource, "type" | "props" | "region">): boolean {
  return r.type === "aws:lambda/function:Function" && r.region === "us-east-1" && r.props.publish === true;
}

/** Log buckets: targets of server access logging, CloudTrail or CloudFront standard logging. */
export function logBucketNames(resources: readonly CostedResource[]): Set<string> {
  const names = new Set<string>();
  const read = (r: CostedResource, get: (props: Record<string, any>) => unknown) => whenKnown(() => get(r.props), undefined);
  for (const r of resources) {
    let name: unknown;
    if (r.type === "aws:s3/bucketLogging:BucketLogging") name = read(r, (p) => p.targetBucket);
    else if (r.type === "aws:cloudtrail/trail:Trail") name = read(r, (p) => p.s3BucketName);
    else if (r.type === "aws:cloudfront/distribution:Distribution") {
      const bucket = read(r, (p) => p.loggingConfig?.bucket);
      if (typeof bucket === "string") name = bucket.replace(/\.s3\.amazonaws\.com$/, "");
    }
    if (typeof name === "string") names.add(name);
  }
  return names;
}

/** Names by which other resources refer to a bucket (name and id are the same on AWS). */
function bucketKeys(r: CostedResource): string[] {
  const props = ["bucket", "id", "bucketRegionalDomainName", "bucketDomainName"].map((key) => whenKnown(() => r.props[key] as unknown, undefined));
  return [...props, r.name].filter((v): v is string => typeof v === "string");
}

export function estimateCost(resources: readonly CostedResource[], profile: UsageProfile, prices: PriceTable = PRICES, options: EstimateOptions = {}): CostEstimate {
  const lines: CostLine[] = [];
  const items: UnpricedItem[] = [];
  const flag = (r: CostedResource | undefined, kind: UnpricedItem["kind"], reason: string, label = "") =>
    items.push({ urn: r?.urn, type: r?.type, name: r?.name ?? label, kind, reason });

  const add = (r: CostedResource | undefined, label: string, kind: CostLine["kind"], which: PriceId | { id: string; entry: PriceEntry }, quantity: number, basis: string) => {
    const priceId = (typeof which === "string" ? which : which.id) as CostLine["priceId"];
    const base: PriceEntry = typeof which === "string" ? prices[which] : which.entry;
    // The rate of the resource's region where the table has one (e.g. London), else the entry's own.
    const regional = r ? base.regional?.[r.region] : undefined;
    const price = regional ? { ...base, ...regional } : base;
    lines.push({
      urn: r?.urn,
      type: r?.type,
      name: r?.name ?? label,
      kind,
      priceId,
      item: price.item,
      quantity: round(quantity, 6),
      unit: price.unit,
      unitUsd: price.usd,
      monthlyUsd: round(quantity * price.usd),
      confidence: price.confidence,
      basis,
      ...(typeof which === "string" ? {} : { source: price.source }),
      ...(regional ? { priceRegion: r!.region } : {}),
    });
  };
  const ofType = (type: string) => resources.filter((r) => r.type === type);
  /** Costs each resource of a type; a value unknown during preview skips that resource only. */
  const each = (type: string, cost: (r: CostedResource, index: number) => void) =>
    ofType(type).forEach((r, i) => {
      try {
        cost(r, i);
      } catch (error) {
        // A malformed resource is a gap of its own (refused by billing-unpriced-resources), never a crash of the estimate.
        if (!isUnknownValueError(error)) flag(r, "partial", `could not be priced: ${error instanceof Error ? error.message.slice(0, 160) : String(error)}`);
        else flag(r, "unknown", `not priced, ${(error as Error).message}`);
      }
    });

  // --- WAF ------------------------------------------------------------------------------------
  each("aws:wafv2/webAcl:WebAcl", (acl) => {
    add(acl, "", "fixed", "wafWebAcl", 1, "1 web ACL");
    const rules = list<Record<string, any>>(acl.props.rules);
    let ruleCount = rules.length;
    if (!rules.length && typeof acl.props.ruleJson === "string") {
      try {
        ruleCount = list(JSON.parse(acl.props.ruleJson)).length;
      } catch {
        ruleCount = 0;
      }
    }
    if (ruleCount) add(acl, "", "fixed", "wafRule", ruleCount, `${ruleCount} rule${ruleCount === 1 ? "" : "s"} and rule groups`);
    add(acl, "", "usage", "wafRequests", profile.monthlyRequests / 1e6, "usage.monthlyRequests");
    for (const rule of rules) {
      const group = rule?.statement?.managedRuleGroupStatement?.name;
      if (typeof group === "string" && PAID_WAF_GROUPS.includes(group)) flag(acl, "partial", `managed rule group ${group} has its own subscription and request fees`);
    }
  });

  // --- CloudWatch --------------------------------------------------------------------------------
  each("aws:cloudwatch/dashboard:Dashboard", (d) => add(d, "", "fixed", "cloudwatchDashboard", 1, "1 dashboard"));
  each("aws:cloudwatch/metricAlarm:MetricAlarm", (alarm) => {
    const queries = list<Record<string, any>>(alarm.props.metricQueries);
    if (queries.some((q) => typeof q?.expression === "string" && /ANOMALY_DETECTION_BAND/i.test(q.expression))) {
      add(alarm, "", "fixed", "cloudwatchAlarmAnomaly", 1, "anomaly detection band");
      return;
    }
    const metrics = queries.length ? queries.filter((q) => q?.metric).length : 1;
    const periods = queries.length ? queries.filter((q) => q?.metric).map((q) => Number(q.metric.period)) : [Number(alarm.props.period)];
    const highResolution = periods.some((p) => Number.isFinite(p) && p > 0 && p < 60);
    add(alarm, "", "fixed", highResolution ? "cloudwatchAlarmHighResolution" : "cloudwatchAlarmStandard", Math.max(metrics, 1), `${Math.max(metrics, 1)} metric${metrics > 1 ? "s" : ""}`);
  });
  each("aws:cloudwatch/compositeAlarm:CompositeAlarm", (c) => add(c, "", "fixed", "cloudwatchCompositeAlarm", 1, "1 composite alarm"));
  const logGroups = ofType("aws:cloudwatch/logGroup:LogGroup");
  each("aws:cloudwatch/logGroup:LogGroup", (group) => {
    const ingest = profile.logIngestGb / logGroups.length;
    add(group, "", "usage", "cloudwatchLogsIngestion", ingest, `usage.logIngestGb / ${logGroups.length} log groups`);
    const retention = Number(group.props.retentionInDays);
    const months = Number.isFinite(retention) && retention > 0 ? Math.min(retention, 3653) / 30.4 : 12;
    add(group, "", "usage", "cloudwatchLogsStorage", ingest * months, Number.isFinite(retention) && retention > 0 ? `${retention}-day retention` : "no retention: 12 months assumed");
  });
  if (profile.customMetrics > 0) add(undefined, "custom metrics (usage profile)", "usage", "cloudwatchCustomMetric", profile.customMetrics, "usage.customMetrics");
  each("aws:cloudfront/monitoringSubscription:MonitoringSubscription", (m) => {
    const status = m.props.monitoringSubscription?.realtimeMetricsSubscriptionConfig?.realtimeMetricsSubscriptionStatus;
    if (status === "Enabled") add(m, "", "fixed", "cloudfrontAdditionalMetrics", 1, "additional metrics on");
  });

  // --- Keys, zones, secrets, trails, budgets -------------------------------------------------------
  each("aws:kms/key:Key", (key) => {
    add(key, "", "fixed", "kmsKey", 1, "1 key");
    if (key.props.enableKeyRotation === true) add(key, "", "fixed", "kmsRotation", 1, "rotation on: 1 rotated backing key (2nd year)");
  });
  each("aws:route53/zone:Zone", (zone) => add(zone, "", "fixed", "route53HostedZone", 1, "1 hosted zone"));
  each("aws:secretsmanager/secret:Secret", (secret) => add(secret, "", "fixed", "secretsManagerSecret", 1, "1 secret"));
  each("aws:cloudtrail/trail:Trail", (trail, i) => {
    if (i === 0) add(trail, "", "fixed", "cloudtrailFirstTrail", 1, "first trail");
    else add(trail, "", "usage", "cloudtrailAdditionalCopy", profile.cloudTrailEvents / 1e5, "usage.cloudTrailEvents (additional copy)");
  });
  each("aws:budgets/budget:Budget", (b) => add(b, "", "fixed", "budgetsBudget", 1, "1 budget"));
  each("aws:budgets/budgetAction:BudgetAction", (a) => add(a, "", "fixed", "budgetsAction", 1, "1 budget action"));
  each("aws:costexplorer/anomalyMonitor:AnomalyMonitor", (m) => add(m, "", "fixed", "costAnomalyMonitor", 1, "1 monitor"));

  // --- CloudFront and edge functions ---------------------------------------------------------------
  each("aws:cloudfront/distribution:Distribution", (d) => {
    add(d, "", "usage", "cloudfrontDataOutEurope", profile.dataOutGb, "usage.dataOutGb");
    add(d, "", "usage", "cloudfrontHttpsRequestsEurope", profile.monthlyRequests / 1e4, "usage.monthlyRequests");
    if (d.props.priceClass && d.props.priceClass !== "PriceClass_100") flag(d, "partial", `${d.props.priceClass} serves from edges priced above the Europe/North America rate`);
  });
  each("aws:cloudfront/function:Function", (f) => add(f, "", "usage", "cloudfrontFunction", profile.edgeFunctionInvocations / 1e6, "usage.edgeFunctionInvocations"));

  // --- Lambda --------------------------------------------------------------------------------------
  each("aws:lambda/function:Function", (fn) => {
    const memoryGb = (Number(fn.props.memorySize) || 128) / 1024;
    if (isEdgeLambda(fn)) {
      add(fn, "", "usage", "lambdaEdgeRequests", profile.edgeFunctionInvocations / 1e6, "usage.edgeFunctionInvocations");
      add(fn, "", "usage", "lambdaEdgeDuration", profile.edgeFunctionInvocations * memoryGb * (profile.edgeFunctionAvgDurationMs / 1000), `${Math.round(memoryGb * 1024)} MB x usage.edgeFunctionAvgDurationMs`);
    } else {
      const arm = list<string>(fn.props.architectures).includes("arm64");
      add(fn, "", "usage", "lambdaRequests", profile.lambdaInvocations / 1e6, "usage.lambdaInvocations");
      add(fn, "", "usage", arm ? "lambdaArmDuration" : "lambdaX86Duration", profile.lambdaInvocations * memoryGb * (profile.lambdaAvgDurationMs / 1000), `${Math.round(memoryGb * 1024)} MB x usage.lambdaAvgDurationMs`);
    }
  });

  // --- DynamoDB ------------------------------------------------------------------------------------
  each("aws:dynamodb/table:Table", (table) => {
    if ((table.props.billingMode ?? "PROVISIONED") === "PAY_PER_REQUEST") {
      add(table, "", "usage", "dynamodbWrite", profile.sessionWrites / 1e6, "usage.sessionWrites");
      add(table, "", "usage", "dynamodbRead", profile.sessionReads / 1e6, "usage.sessionReads");
    } else {
      flag(table, "partial", "provisioned capacity is not in the price table");
    }
    add(table, "", "usage", "dynamodbStorage", profile.tableStorageGb, "usage.tableStorageGb");
    if (table.props.pointInTimeRecovery?.enabled === true) add(table, "", "usage", "dynamodbPitr", profile.tableStorageGb, "usage.tableStorageGb (PITR)");
  });

  // --- S3 ------------------------------------------------------------------------------------------
  const logBuckets = logBucketNames(resources);
  const origins = new Set<string>();
  each("aws:cloudfront/distribution:Distribution", (d) => {
    for (const o of list<Record<string, any>>(d.props.origins)) if (typeof o?.domainName === "string") origins.add(o.domainName);
  });
  const buckets = ofType("aws:s3/bucket:Bucket");
  const isLog = (b: CostedResource) => bucketKeys(b).some((k) => logBuckets.has(k));
  const originBuckets = buckets.filter((b) => bucketKeys(b).some((k) => origins.has(k)));
  // The media bucket is the CloudFront S3 origin; before the CDN exists, every bucket that is not a log bucket.
  const mediaBuckets = originBuckets.length ? originBuckets : buckets.filter((b) => !isLog(b));
  const tieredBuckets = new Set(
    ofType("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")
      .filter((l) => whenKnown(() => list<Record<string, any>>(l.props.rules).some((rule) => list<Record<string, any>>(rule?.transitions).some((t) => t?.storageClass === "INTELLIGENT_TIERING")), false))
      .map((l) => whenKnown(() => l.props.bucket as unknown, undefined)),
  );
  each("aws:s3/bucket:Bucket", (bucket) => {
    if (mediaBuckets.includes(bucket)) {
      add(bucket, "", "usage", "s3StandardStorageLondon", profile.mediaStoredGb / mediaBuckets.length, "usage.mediaStoredGb");
      if (bucketKeys(bucket).some((k) => tieredBuckets.has(k))) add(bucket, "", "usage", "s3IntelligentTieringMonitoring", profile.mediaObjects / 1000 / mediaBuckets.length, "usage.mediaObjects");
    } else {
      add(bucket, "", "usage", "s3StandardStorageLondon", profile.logBucketStorageGb, isLog(bucket) ? "usage.logBucketStorageGb" : "usage.logBucketStorageGb (other bucket)");
    }
  });

  // --- Video: MediaConvert jobs run under a role MediaConvert may assume (components/media/VideoPipeline.ts) --
  each("aws:iam/role:Role", (role) => {
    if (!JSON.stringify(role.props.assumeRolePolicy ?? "").includes("mediaconvert.amazonaws.com")) return;
    const outputs = ladderOutputMinutes();
    const perHour = 60 * (outputs.sd * prices.mediaConvertSdMinute.usd + outputs.hd * prices.mediaConvertHdMinute.usd + outputs.uhd * prices.mediaConvertUhdMinute.usd);
    const basis = (n: number, cls: string) => `usage.videoMinutesUploaded x ${n} ${cls} rendition(s) of the ladder (about $${perHour.toFixed(2)} per hour of lesson video)`;
    if (outputs.hd) add(role, "", "usage", "mediaConvertHdMinute", profile.videoMinutesUploaded * outputs.hd, basis(outputs.hd, "HD"));
    if (outputs.sd) add(role, "", "usage", "mediaConvertSdMinute", profile.videoMinutesUploaded * outputs.sd, basis(outputs.sd, "SD"));
    if (outputs.uhd) add(role, "", "usage", "mediaConvertUhdMinute", profile.videoMinutesUploaded * outputs.uhd, basis(outputs.uhd, "UHD"));
  });

  // --- Identity, mail, notifications, threat detection ----------------------------------------------
  each("aws:cognito/userPool:UserPool", (pool) => {
    const tier = String(pool.props.userPoolTier ?? "ESSENTIALS").toUpperCase();
    const priceId: PriceId = tier === "PLUS" ? "cognitoPlusMau" : tier === "LITE" ? "cognitoLiteMau" : "cognitoEssentialsMau";
    add(pool, "", "usage", priceId, profile.monthlyActiveUsers, `usage.monthlyActiveUsers (${tier})`);
  });
  if (ofType("aws:sesv2/emailIdentity:EmailIdentity").length || ofType("aws:ses/domainIdentity:DomainIdentity").length) {
    add(undefined, "emails sent (usage profile)", "usage", "sesEmail", profile.emailsSent / 1000, "usage.emailsSent");
  }
  each("aws:sns/topic:Topic", (topic) => add(topic, "", "usage", "snsPublish", profile.alertNotifications / 1e6, "usage.alertNotifications publishes"));
  each("aws:sns/topicSubscription:TopicSubscription", (sub) => {
    if (sub.props.protocol === "email") add(sub, "", "usage", "snsEmailDelivery", profile.alertNotifications / 1e5, "usage.alertNotifications");
  });
  // One detector per region and account: a feature belongs to the detector of its region. Event
  // volumes are the stack's totals, split across its detectors (each region sees its own events).
  const detectors = ofType("aws:guardduty/detector:Detector").filter((d) => whenKnown(() => d.props.enable !== false, true));
  const features = ofType("aws:guardduty/detectorFeature:DetectorFeature").filter((f) => whenKnown(() => f.props.status === "ENABLED", false));
  const share = (n: number) => n / Math.max(detectors.length, 1);
  each("aws:guardduty/detector:Detector", (detector) => {
    if (!detectors.includes(detector)) return;
    add(detector, "", "usage", "guardDutyManagementEvents", share(profile.cloudTrailEvents) / 1e6, `usage.cloudTrailEvents / ${detectors.length} detector${detectors.length === 1 ? "" : "s"}`);
  });
  each("aws:guardduty/detectorFeature:DetectorFeature", (feature) => {
    if (!features.includes(feature) || !detectors.some((d) => d.region === feature.region)) return;
    const split = detectors.length === 1 ? "" : ` / ${detectors.length} detectors`;
    if (feature.props.name === "S3_DATA_EVENTS") add(feature, "", "usage", "guardDutyS3DataEvents", share(profile.s3DataEvents) / 1e6, `usage.s3DataEvents${split}`);
    else if (feature.props.name === "LAMBDA_NETWORK_LOGS") add(feature, "", "usage", "guardDutyLambdaNetwork", share(profile.lambdaNetworkGb), `usage.lambdaNetworkGb${split}`);
    else flag(feature, "partial", `GuardDuty feature ${feature.props.name} is not in the price table`);
  });

  // --- The hourly types a small estate grows into (billing/estate.ts) --------------------------------
  costEstate({
    resources,
    each,
    add: (r, which, quantity, basis) => add(r as CostedResource, "", "fixed", which, quantity, basis),
    gap: (r, reason) => flag(r as CostedResource, "partial", reason),
  });

  // --- Every other billable type: refused as unpriced, never costed at $0 -----------------------------
  for (const r of resources) {
    if (isNonBillableToken(r.type) || PRICED_TYPES.has(r.type) || FREE_TYPES.has(r.type) || LOCAL_PACKAGES.includes(r.type.split(":")[0])) continue;
    flag(r, "no-price", `${r.type} has no price in the table and is not known to be free`);
  }
  const exemptionOf = (item: UnpricedItem) =>
    item.kind === "unknown" ? undefined : (options.exemptions ?? []).find((e) => e && typeof e.reason === "string" && ((e.urn !== undefined && e.urn === item.urn) || (e.type !== undefined && e.type === item.type)));
  const open = items.filter((i) => !exemptionOf(i));
  const exempted = items.flatMap((i) => {
    const e = exemptionOf(i);
    return e ? [{ ...i, exemption: e.reason }] : [];
  });

  const sum = (filter: (l: CostLine) => boolean) => round(lines.filter(filter).reduce((total, l) => total + l.monthlyUsd, 0), 2);
  // The total is the sum of the two printed parts, so fixed + usage = total to the cent as a reader adds them.
  const fixedMonthlyUsd = sum((l) => l.kind === "fixed");
  const usageMonthlyUsd = sum((l) => l.kind === "usage");
  return {
    priceTableDate: PRICE_TABLE_DATE,
    currency: PRICE_TABLE_CURRENCY,
    lines,
    fixedMonthlyUsd,
    usageMonthlyUsd,
    totalMonthlyUsd: round(fixedMonthlyUsd + usageMonthlyUsd, 2),
    byConfidence: { official: sum((l) => l.confidence === "official"), secondary: sum((l) => l.confidence === "secondary"), unconfirmed: sum((l) => l.confidence === "unconfirmed") },
    unpriced: open.map((i) => `${i.name}: ${i.reason}`).sort(),
    unpricedItems: open,
    exempted,
    profile,
  };
}

/** One line per cost item, biggest first, for messages and the plan's text output. */
export function formatCostLines(lines: readonly CostLine[], limit = lines.length): string[] {
  const sorted = [...lines].filter((l) => l.monthlyUsd > 0).sort((a, b) => b.monthlyUsd - a.monthlyUsd || a.name.localeCompare(b.name) || a.priceId.localeCompare(b.priceId));
  const shown = sorted.slice(0, limit).map((l) => {
    const mark = l.confidence === "official" ? "" : ` [${l.confidence}]`;
    return `$${l.monthlyUsd.toFixed(2).padStart(7)}  ${l.name}: ${l.item}, ${formatQuantity(l.quantity)} x $${formatUnit(l.unitUsd)}/${l.unit} (${l.basis})${mark}`;
  });
  if (sorted.length > limit) {
    const rest = sorted.slice(limit).reduce((t, l) => t + l.monthlyUsd, 0);
    shown.push(`$${rest.toFixed(2).padStart(7)}  ${sorted.length - limit} more item${sorted.length - limit === 1 ? "" : "s"}`);
  }
  return shown;
}

function formatQuantity(n: number): string {
  return Number.isInteger(n) ? String(n) : n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toPrecision(2);
}

function formatUnit(n: number): string {
  return String(Number(n.toPrecision(4)));
}
