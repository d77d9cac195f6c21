import { num, objects, strings, whenKnown } from "../lib/inputs";
import { ClassFamily, classPrice, HOURS_PER_MONTH } from "./hourly";
import type { PriceEntry, PriceId } from "./prices";

/**
 * Costs of the hourly-billed types a small AWS estate grows into (issue 14, class 1): NAT gateways,
 * public IPv4 addresses, interface endpoints, load balancers, VPN and Transit Gateway attachments,
 * EC2 (GPU included), EBS, RDS and Aurora, ElastiCache, OpenSearch, DocumentDB, MSK, Redshift,
 * EKS, ECS on Fargate, Kinesis streams, Lambda provisioned concurrency, Route 53 health checks,
 * Synthetics canaries, Private CA, Shield Advanced, Transfer Family and MediaConvert queues.
 *
 * Each is billed by the hour whether or not anything uses it, so it is a `fixed` line. What the
 * table cannot price (an instance class it does not list, a commercial database licence, a cron
 * canary, a reserved queue) is flagged, never costed at $0: `billing-unpriced-resources` then
 * refuses it until a price or an explicit exemption is added.
 */

/** What estimate.ts hands this module: its resources, and its ways of adding a line or a gap. */
export interface EstateContext {
  resources: readonly { urn: string; type: string; name: string; props: Record<string, any>; region: string }[];
  each(type: string, cost: (r: EstateResource) => void): void;
  add(r: EstateResource, priceId: PriceId | { id: string; entry: PriceEntry }, quantity: number, basis: string): void;
  /** A cost of this resource the table cannot price. */
  gap(r: EstateResource, reason: string): void;
}
type EstateResource = EstateContext["resources"][number];

/** The types this module prices (every other billable type is refused as unpriced). */
export const ESTATE_TYPES = [
  "aws:ec2/instance:Instance",
  "aws:ec2/natGateway:NatGateway",
  "aws:ec2/eip:Eip",
  "aws:ec2/vpcEndpoint:VpcEndpoint",
  "aws:ec2/vpnConnection:VpnConnection",
  "aws:ec2clientvpn/networkAssociation:NetworkAssociation",
  "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
  "aws:ebs/volume:Volume",
  "aws:lb/loadBalancer:LoadBalancer",
  "aws:alb/loadBalancer:LoadBalancer",
  "aws:elb/loadBalancer:LoadBalancer",
  "aws:rds/instance:Instance",
  "aws:rds/cluster:Cluster",
  "aws:rds/clusterInstance:ClusterInstance",
  "aws:elasticache/cluster:Cluster",
  "aws:elasticache/replicationGroup:ReplicationGroup",
  "aws:elasticache/serverlessCache:ServerlessCache",
  "aws:opensearch/domain:Domain",
  "aws:elasticsearch/domain:Domain",
  "aws:opensearch/serverlessCollection:ServerlessCollection",
  "aws:docdb/clusterInstance:ClusterInstance",
  "aws:msk/cluster:Cluster",
  "aws:redshift/cluster:Cluster",
  "aws:eks/cluster:Cluster",
  "aws:eks/nodeGroup:NodeGroup",
  "aws:ecs/service:Service",
  "aws:kinesis/stream:Stream",
  "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig",
  "aws:route53/healthCheck:HealthCheck",
  "aws:synthetics/canary:Canary",
  "aws:acmpca/certificateAuthority:CertificateAuthority",
  "aws:shield/subscription:Subscription",
  "aws:transfer/server:Server",
  "aws:mediaconvert/queue:Queue",
] as const;

const H = HOURS_PER_MONTH;

/** A positive count, or the fallback when unset; a malformed count is a gap (never NaN, never 0 by accident). */
function count(ctx: EstateContext, r: EstateResource, value: unknown, fallback: number, label: string): number | undefined {
  const n = num(value, fallback);
  if (!Number.isFinite(n) || n < 0) {
    ctx.gap(r, `${label} '${String(value)}' is not a count`);
    return undefined;
  }
  return n;
}

function instances(ctx: EstateContext, r: EstateResource, family: ClassFamily, instanceClass: unknown, quantity: number, basis: string): void {
  const price = classPrice(family, instanceClass);
  if (!price) {
    ctx.gap(r, `${family === "ec2" ? "instance type" : "class"} ${String(instanceClass ?? "unset")} has no hourly rate in the table (policies/billing/hourly.ts)`);
    return;
  }
  if (quantity > 0) ctx.add(r, price, quantity * H, basis);
}

function ebs(ctx: EstateContext, r: EstateResource, sizeGb: number, type: unknown, iops: unknown, basis: string): void {
  const t = typeof type === "string" ? type : "gp2";
  const id: PriceId | undefined = ({ gp3: "ebsGp3", gp2: "ebsGp2", io1: "ebsIo", io2: "ebsIo", st1: "ebsSt1", sc1: "ebsSc1", standard: "ebsMagnetic" } as Record<string, PriceId>)[t];
  if (!id) {
    ctx.gap(r, `EBS volume type ${t} has no price`);
    return;
  }
  if (sizeGb > 0) ctx.add(r, id, sizeGb, basis);
  if (id === "ebsIo") {
    const provisioned = num(iops, 0);
    if (Number.isFinite(provisioned) && provisioned > 0) ctx.add(r, "ebsProvisionedIops", provisioned, `${provisioned} provisioned IOPS`);
  }
}

const read = <T>(get: () => T): T | undefined => whenKnown(get, undefined);

/** Runs per month of a Synthetics schedule: rate(N minute|minutes|hour|hours|day|days); undefined for cron or malformed. */
export function canaryRunsPerMonth(expression: unknown): number | undefined {
  if (typeof expression !== "string") return undefined;
  const m = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/.exec(expression.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  if (n === 0) return 1; // rate(0 minute): run once, when started
  const minutes = m[2].startsWith("minute") ? n : m[2].startsWith("hour") ? n * 60 : n * 1440;
  return (30.4 * 24 * 60) / minutes;
}

export function costEstate(ctx: EstateContext): void {
  // --- Network -------------------------------------------------------------------------------------
  ctx.each("aws:ec2/natGateway:NatGateway", (r) => ctx.add(r, "natGatewayHour", H, "730 hours (data processed not priced)"));
  ctx.each("aws:ec2/eip:Eip", (r) => ctx.add(r, "publicIpv4Hour", H, "730 hours"));
  ctx.each("aws:ec2/vpcEndpoint:VpcEndpoint", (r) => {
    const type = String(r.props.vpcEndpointType ?? "Gateway");
    if (type === "Gateway") return; // S3 and DynamoDB gateway endpoints are free
    const azs = Math.max(strings(r.props.subnetIds).length, objects(r.props.subnetConfigurations).length, 1);
    ctx.add(r, "vpcInterfaceEndpointHour", azs * H, `${azs} AZ${azs === 1 ? "" : "s"} x 730 hours`);
  });
  ctx.each("aws:ec2/vpnConnection:VpnConnection", (r) => ctx.add(r, "vpnConnectionHour", H, "730 hours"));
  ctx.each("aws:ec2clientvpn/networkAssociation:NetworkAssociation", (r) => ctx.add(r, "clientVpnAssociationHour", H, "730 hours (connection-hours not priced)"));
  ctx.each("aws:ec2transitgateway/vpcAttachment:VpcAttachment", (r) => ctx.add(r, "transitGatewayAttachmentHour", H, "730 hours"));
  for (const type of ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"]) {
    ctx.each(type, (r) => {
      const kind = String(r.props.loadBalancerType ?? "application");
      const id: PriceId | undefined = kind === "application" ? "albHour" : kind === "network" ? "nlbHour" : kind === "gateway" ? "gwlbHour" : undefined;
      if (!id) ctx.gap(r, `load balancer type ${kind} has no price`);
      else ctx.add(r, id, H, "730 hours (capacity units not priced)");
    });
  }
  ctx.each("aws:elb/loadBalancer:LoadBalancer", (r) => ctx.add(r, "clbHour", H, "730 hours"));

  // --- Compute -------------------------------------------------------------------------------------
  ctx.each("aws:ec2/instance:Instance", (r) => {
    instances(ctx, r, "ec2", r.props.instanceType, 1, "1 instance x 730 hours (on-demand rate; spot is cheaper)");
    const root = objects(r.props.rootBlockDevice)[0] ?? {};
    const rootSize = num(root.volumeSize, 8);
    ebs(ctx, r, Number.isFinite(rootSize) ? rootSize : 8, root.volumeType ?? "gp3", root.iops, "root volume");
    for (const d of objects(r.props.ebsBlockDevices)) {
      const size = num(d.volumeSize, 0);
      if (Number.isFinite(size)) ebs(ctx, r, size, d.volumeType, d.iops, `block device ${d.deviceName ?? ""}`.trim());
      else ctx.gap(r, `block device size '${String(d.volumeSize)}' is not a number`);
    }
    if (r.props.associatePublicIpAddress === true) ctx.add(r, "publicIpv4Hour", H, "public IPv4 address");
  });
  ctx.each("aws:ebs/volume:Volume", (r) => {
    const size = count(ctx, r, r.props.size, 0, "size");
    if (size !== undefined) ebs(ctx, r, size, r.props.type, r.props.iops, `${size} GB`);
  });
  ctx.each("aws:eks/cluster:Cluster", (r) => ctx.add(r, "eksClusterHour", H, "730 hours (nodes billed separately)"));
  ctx.each("aws:eks/nodeGroup:NodeGroup", (r) => {
    const desired = count(ctx, r, r.props.scalingConfig?.desiredSize, 1, "scalingConfig.desiredSize");
    if (desired === undefined) return;
    const type = strings(r.props.instanceTypes)[0] ?? "t3.medium";
    instances(ctx, r, "ec2", type, desired, `${desired} node${desired === 1 ? "" : "s"} x 730 hours`);
    const disk = num(r.props.diskSize, 20);
    if (Number.isFinite(disk) && desired > 0) ebs(ctx, r, disk * desired, "gp2", undefined, `${desired} x ${disk} GB node disks`);
  });
  ctx.each("aws:ecs/service:Service", (r) => {
    const strategies = objects(r.props.capacityProviderStrategies).map((s) => String(s.capacityProvider ?? ""));
    const fargate = r.props.launchType === "FARGATE" || strategies.some((p) => p.startsWith("FARGATE"));
    if (!fargate) return; // EC2 capacity is billed as the instances
    const desired = count(ctx, r, r.props.desiredCount, 0, "desiredCount");
    if (desired === undefined || desired === 0) return;
    const ref = String(r.props.taskDefinition ?? "");
    const task = ctx.resources.find((t) => t.type === "aws:ecs/taskDefinition:TaskDefinition" && [read(() => t.props.arn), read(() => t.props.family), t.name].some((v) => typeof v === "string" && v !== "" && (ref === v || ref.startsWith(`${v}:`) || ref.endsWith(`/${v}`) || ref.includes(`/${v}:`))));
    if (!task) {
      ctx.gap(r, `task definition ${ref || "(unset)"} is not in the stack, so its CPU and memory are unknown`);
      return;
    }
    const vcpu = num(task.props.cpu) / 1024;
    const gb = num(task.props.memory) / 1024;
    if (!Number.isFinite(vcpu) || !Number.isFinite(gb) || vcpu <= 0 || gb <= 0) {
      ctx.gap(r, "the task definition's cpu or memory is not a number");
      return;
    }
    const arm = String(task.props.runtimePlatform?.cpuArchitecture ?? "X86_64") === "ARM64";
    ctx.add(r, arm ? "fargateArmVcpuHour" : "fargateVcpuHour", desired * vcpu * H, `${desired} task(s) x ${vcpu} vCPU x 730 hours`);
    ctx.add(r, arm ? "fargateArmGbHour" : "fargateGbHour", desired * gb * H, `${desired} task(s) x ${gb} GB x 730 hours`);
  });
  ctx.each("aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig", (r) => {
    const units = count(ctx, r, r.props.provisionedConcurrentExecutions, 1, "provisionedConcurrentExecutions");
    if (units === undefined) return;
    const ref = String(r.props.functionName ?? "");
    const fn = ctx.resources.find((f) => f.type === "aws:lambda/function:Function" && [read(() => f.props.name), read(() => f.props.arn), f.name].some((v) => typeof v === "string" && v !== "" && (v === ref || ref.endsWith(`:function:${v}`))));
    if (!fn) {
      ctx.gap(r, `function ${ref || "(unset)"} is not in the stack, so the memory provisioned concurrency keeps warm is unknown`);
      return;
    }
    const memory = num(fn.props.memorySize, 128);
    if (!Number.isFinite(memory)) {
      ctx.gap(r, `the function's memorySize '${String(fn.props.memorySize)}' is not a number`);
      return;
    }
    const arm = strings(fn.props.architectures).includes("arm64");
    const gbSeconds = units * (memory / 1024) * H * 3600;
    ctx.add(r, arm ? "lambdaProvisionedArm" : "lambdaProvisionedX86", gbSeconds, `${units} x ${memory} MB kept warm all month`);
  });
  ctx.each("aws:kinesis/stream:Stream", (r) => {
    if (String(r.props.streamModeDetails?.streamMode ?? "PROVISIONED") === "ON_DEMAND") ctx.add(r, "kinesisOnDemandStreamHour", H, "730 hours (data not priced)");
    else {
      const shards = count(ctx, r, r.props.shardCount, 1, "shardCount");
      if (shards !== undefined) ctx.add(r, "kinesisShardHour", shards * H, `${shards} shard(s) x 730 hours`);
    }
  });

  // --- Databases, caches, search, streaming, warehouses ----------------------------------------------
  ctx.each("aws:rds/instance:Instance", (r) => {
    const engine = String(r.props.engine ?? "");
    if (/^(oracle|sqlserver|db2)/.test(engine)) ctx.gap(r, `engine ${engine} bills a licence the table does not price`);
    const multiAz = r.props.multiAz === true;
    instances(ctx, r, "rds", r.props.instanceClass, multiAz ? 2 : 1, `${multiAz ? "Multi-AZ (2 instances)" : "1 instance"} x 730 hours`);
    const storage = count(ctx, r, r.props.allocatedStorage, 20, "allocatedStorage");
    if (storage === undefined) return;
    const io = /^io/.test(String(r.props.storageType ?? ""));
    ctx.add(r, io ? "rdsStorageIo" : "rdsStorageGp", storage * (multiAz ? 2 : 1), `${storage} GB${multiAz ? " x 2 (Multi-AZ)" : ""}`);
  });
  ctx.each("aws:rds/cluster:Cluster", (r) => {
    if (r.props.engineMode === "serverless") ctx.gap(r, "Aurora Serverless v1 capacity is not in the table");
    const multiAzClass = r.props.dbClusterInstanceClass;
    if (multiAzClass) instances(ctx, r, "rds", multiAzClass, 3, "Multi-AZ DB cluster: 3 instances x 730 hours");
  });
  ctx.each("aws:rds/clusterInstance:ClusterInstance", (r) => {
    if (r.props.instanceClass !== "db.serverless") {
      instances(ctx, r, String(r.props.engine ?? "").startsWith("aurora") || !r.props.engine ? "aurora" : "rds", r.props.instanceClass, 1, "1 instance x 730 hours");
      return;
    }
    const ref = String(r.props.clusterIdentifier ?? "");
    const cluster = ctx.resources.find((c) => c.type === "aws:rds/cluster:Cluster" && [read(() => c.props.clusterIdentifier), read(() => c.props.id), c.name].some((v) => typeof v === "string" && v === ref));
    const min = num(objects(cluster?.props.serverlessv2ScalingConfiguration)[0]?.minCapacity);
    if (!cluster || !Number.isFinite(min)) {
      ctx.gap(r, `db.serverless instance of cluster ${ref || "(unset)"}: the cluster's minimum capacity is unknown`);
      return;
    }
    if (min > 0) ctx.add(r, "auroraAcuHour", min * H, `minimum ${min} ACU x 730 hours`);
  });
  ctx.each("aws:elasticache/cluster:Cluster", (r) => {
    if (r.props.replicationGroupId) return; // a member of a replication group, priced there
    const nodes = count(ctx, r, r.props.numCacheNodes, 1, "numCacheNodes");
    if (nodes !== undefined) instances(ctx, r, "elasticache", r.props.nodeType, nodes, `${nodes} node(s) x 730 hours`);
  });
  ctx.each("aws:elasticache/replicationGroup:ReplicationGroup", (r) => {
    const groups = num(r.props.numNodeGroups);
    const replicas = num(r.props.replicasPerNodeGroup, 0);
    const nodes = Number.isFinite(groups) && groups > 0 ? groups * ((Number.isFinite(replicas) ? replicas : 0) + 1) : count(ctx, r, r.props.numCacheClusters, 1, "numCacheClusters");
    if (nodes !== undefined) instances(ctx, r, "elasticache", r.props.nodeType, nodes, `${nodes} node(s) x 730 hours`);
  });
  ctx.each("aws:elasticache/serverlessCache:ServerlessCache", (r) => {
    const engine = String(r.props.engine ?? "redis");
    if (engine === "memcached") {
      ctx.gap(r, "ElastiCache Serverless for Memcached is not in the table");
      return;
    }
    const valkey = engine === "valkey";
    const floor = valkey ? 0.1 : 1;
    const min = num(objects(r.props.cacheUsageLimits)[0]?.dataStorage?.minimum ?? objects(objects(r.props.cacheUsageLimits)[0]?.dataStorages)[0]?.minimum, floor);
    const gb = Math.max(Number.isFinite(min) ? min : floor, floor);
    ctx.add(r, valkey ? "elasticacheServerlessValkeyGbHour" : "elasticacheServerlessRedisGbHour", gb * H, `at least ${gb} GB stored x 730 hours (ECPUs not priced)`);
  });
  for (const type of ["aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain"]) {
    ctx.each(type, (r) => {
      const c = objects(r.props.clusterConfig)[0] ?? {};
      const n = count(ctx, r, c.instanceCount, 1, "clusterConfig.instanceCount");
      if (n !== undefined) instances(ctx, r, "opensearch", c.instanceType ?? "m5.large.search", n, `${n} data node(s) x 730 hours`);
      if (c.dedicatedMasterEnabled === true) {
        const m = count(ctx, r, c.dedicatedMasterCount, 3, "clusterConfig.dedicatedMasterCount");
        if (m !== undefined) instances(ctx, r, "opensearch", c.dedicatedMasterType, m, `${m} dedicated master(s) x 730 hours`);
      }
      if (c.warmEnabled === true) ctx.gap(r, "UltraWarm nodes are not in the table");
      const e = objects(r.props.ebsOptions)[0];
      const size = num(e?.volumeSize, 10);
      if (e?.ebsEnabled !== false && n !== undefined && Number.isFinite(size)) ctx.add(r, "opensearchStorage", size * n, `${n} x ${size} GB`);
    });
  }
  ctx.each("aws:opensearch/serverlessCollection:ServerlessCollection", (r) => {
    const ocus = r.props.standbyReplicas === "DISABLED" ? 1 : 2;
    ctx.add(r, "opensearchOcuHour", ocus * H, `minimum ${ocus} OCU x 730 hours`);
  });
  ctx.each("aws:docdb/clusterInstance:ClusterInstance", (r) => instances(ctx, r, "docdb", r.props.instanceClass, 1, "1 instance x 730 hours (storage and I/O not priced)"));
  ctx.each("aws:msk/cluster:Cluster", (r) => {
    const info = objects(r.props.brokerNodeGroupInfo)[0] ?? {};
    const brokers = count(ctx, r, r.props.numberOfBrokerNodes, 3, "numberOfBrokerNodes");
    if (brokers === undefined) return;
    instances(ctx, r, "msk", info.instanceType, brokers, `${brokers} broker(s) x 730 hours`);
    const size = num(info.storageInfo?.ebsStorageInfo?.volumeSize, 1000);
    if (Number.isFinite(size)) ctx.add(r, "mskStorage", size * brokers, `${brokers} x ${size} GB`);
  });
  ctx.each("aws:redshift/cluster:Cluster", (r) => {
    const nodes = count(ctx, r, r.props.numberOfNodes, 1, "numberOfNodes");
    if (nodes !== undefined) instances(ctx, r, "redshift", r.props.nodeType, nodes, `${nodes} node(s) x 730 hours`);
  });

  // --- Monitoring, certificates, protection, transfer, media -----------------------------------------
  ctx.each("aws:route53/healthCheck:HealthCheck", (r) => ctx.add(r, "route53HealthCheck", 1, "1 health check"));
  ctx.each("aws:synthetics/canary:Canary", (r) => {
    const schedule = objects(r.props.schedule)[0];
    const runs = canaryRunsPerMonth(schedule?.expression);
    if (runs === undefined) ctx.gap(r, `schedule '${String(schedule?.expression ?? "unset")}' is not a rate() the estimate can count`);
    else ctx.add(r, "syntheticsCanaryRun", runs, `${Math.round(runs)} runs (${schedule!.expression})`);
  });
  ctx.each("aws:acmpca/certificateAuthority:CertificateAuthority", (r) =>
    ctx.add(r, r.props.usageMode === "SHORT_LIVED_CERTIFICATE" ? "acmPcaShortLived" : "acmPcaGeneral", 1, "1 private CA"),
  );
  ctx.each("aws:shield/subscription:Subscription", (r) => ctx.add(r, "shieldAdvanced", 1, "1 subscription"));
  ctx.each("aws:transfer/server:Server", (r) => {
    const protocols = Math.max(strings(r.props.protocols).length, 1);
    ctx.add(r, "transferProtocolHour", protocols * H, `${protocols} protocol(s) x 730 hours`);
  });
  ctx.each("aws:mediaconvert/queue:Queue", (r) => {
    if (String(r.props.pricingPlan ?? "ON_DEMAND") === "RESERVED") ctx.gap(r, "a reserved MediaConvert queue commits to reserved slots the table does not price");
    // On-demand queues cost nothing; jobs are billed per output minute (usage, not a resource).
  });
}
