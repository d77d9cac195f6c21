import type { Confidence, PriceEntry } from "./prices";

/**
 * On-demand hourly rates by instance class, for the types a small AWS estate grows into (issue 14,
 * class 1): EC2 (general purpose, compute, memory and GPU), RDS, Aurora, ElastiCache, OpenSearch,
 * DocumentDB, MSK and Redshift. A class that is not listed is not guessed: the estimate refuses the
 * resource as unpriced ("add a price or an explicit exemption"), so a GPU or a large database can
 * never be costed at $0.
 *
 * All rates are us-east-1, Linux / open-source engines, single-AZ, from memory of the AWS pricing
 * pages (no network here): confidence "unconfirmed". London (eu-west-2) is typically 10-18% higher
 * for these services, so an estimate of a London resource on these rates is low, not high; the
 * 20% headroom of `maxShareOfBudget` absorbs that only for a small share of the bill.
 */

export const HOURS_PER_MONTH = 730;

interface ClassTable {
  /** Service name for line items, e.g. "EC2 instance". */
  service: string;
  source: string;
  confidence: Confidence;
  note?: string;
  /** Class -> USD per hour. */
  rates: Record<string, number>;
}

const MEMORY = "(us-east-1 on-demand, from memory; check before relying on it)";

export const CLASS_RATES = {
  ec2: {
    service: "EC2 instance",
    source: `https://aws.amazon.com/ec2/pricing/on-demand/ ${MEMORY}`,
    confidence: "unconfirmed",
    note: "Linux; Windows and licensed images cost more; P5 prices fell about 45% in 2025 (listed at the older rate: high, never low)",
    rates: {
      "t3.nano": 0.0052, "t3.micro": 0.0104, "t3.small": 0.0208, "t3.medium": 0.0416, "t3.large": 0.0832, "t3.xlarge": 0.1664, "t3.2xlarge": 0.3328,
      "t3a.micro": 0.0094, "t3a.small": 0.0188, "t3a.medium": 0.0376, "t3a.large": 0.0752,
      "t4g.nano": 0.0042, "t4g.micro": 0.0084, "t4g.small": 0.0168, "t4g.medium": 0.0336, "t4g.large": 0.0672, "t4g.xlarge": 0.1344,
      "m5.large": 0.096, "m5.xlarge": 0.192, "m5.2xlarge": 0.384, "m6i.large": 0.096, "m6i.xlarge": 0.192, "m6g.large": 0.077, "m6g.xlarge": 0.154,
      "m7i.large": 0.1008, "m7g.large": 0.0816, "m7g.xlarge": 0.1632,
      "c5.large": 0.085, "c5.xlarge": 0.17, "c6i.large": 0.085, "c6g.large": 0.068, "c7g.large": 0.0725, "c7i.large": 0.08925,
      "r5.large": 0.126, "r5.xlarge": 0.252, "r6i.large": 0.126, "r6g.large": 0.1008, "r7g.large": 0.1071,
      "g4dn.xlarge": 0.526, "g4dn.2xlarge": 0.752, "g4dn.12xlarge": 3.912, "g5.xlarge": 1.006, "g5.2xlarge": 1.212, "g5.12xlarge": 5.672,
      "g6.xlarge": 0.8048, "g6.2xlarge": 0.9776, "p3.2xlarge": 3.06, "p3.8xlarge": 12.24, "p4d.24xlarge": 32.7726, "p5.48xlarge": 98.32,
      "inf2.xlarge": 0.7582, "trn1.2xlarge": 1.3438,
    },
  },
  rds: {
    service: "RDS DB instance",
    source: `https://aws.amazon.com/rds/pricing/ ${MEMORY}`,
    confidence: "unconfirmed",
    note: "MySQL/PostgreSQL/MariaDB; Multi-AZ doubles it; commercial engines cost more",
    rates: {
      "db.t3.micro": 0.018, "db.t3.small": 0.036, "db.t3.medium": 0.072, "db.t3.large": 0.145, "db.t4g.micro": 0.016, "db.t4g.small": 0.032, "db.t4g.medium": 0.065, "db.t4g.large": 0.129,
      "db.m5.large": 0.178, "db.m6i.large": 0.178, "db.m6g.large": 0.159, "db.m7g.large": 0.168, "db.r5.large": 0.25, "db.r6i.large": 0.25, "db.r6g.large": 0.225, "db.r7g.large": 0.239,
    },
  },
  aurora: {
    service: "Aurora DB instance",
    source: `https://aws.amazon.com/rds/aurora/pricing/ ${MEMORY}`,
    confidence: "unconfirmed",
    note: "Aurora Standard; I/O-Optimized costs about 30% more per hour; storage and I/O by usage (not priced)",
    rates: { "db.t3.medium": 0.082, "db.t4g.medium": 0.073, "db.t4g.large": 0.146, "db.r5.large": 0.29, "db.r6g.large": 0.26, "db.r6i.large": 0.29, "db.r7g.large": 0.276 },
  },
  elasticache: {
    service: "ElastiCache node",
    source: `https://aws.amazon.com/elasticache/pricing/ ${MEMORY}`,
    confidence: "unconfirmed",
    note: "Redis OSS/Memcached rates; Valkey nodes are about 20% cheaper (priced high, never low)",
    rates: {
      "cache.t3.micro": 0.017, "cache.t3.small": 0.034, "cache.t3.medium": 0.068, "cache.t4g.micro": 0.016, "cache.t4g.small": 0.032, "cache.t4g.medium": 0.065,
      "cache.m5.large": 0.156, "cache.m6g.large": 0.149, "cache.m7g.large": 0.158, "cache.r5.large": 0.216, "cache.r6g.large": 0.206, "cache.r7g.large": 0.219,
    },
  },
  opensearch: {
    service: "OpenSearch Service instance",
    source: `https://aws.amazon.com/opensearch-service/pricing/ ${MEMORY}`,
    confidence: "unconfirmed",
    rates: {
      "t3.small.search": 0.036, "t3.medium.search": 0.073, "m5.large.search": 0.142, "m6g.large.search": 0.128, "m7g.large.search": 0.136,
      "c6g.large.search": 0.113, "r5.large.search": 0.186, "r6g.large.search": 0.167, "r7g.large.search": 0.177, "or1.medium.search": 0.105,
    },
  },
  docdb: {
    service: "DocumentDB instance",
    source: `https://aws.amazon.com/documentdb/pricing/ ${MEMORY}`,
    confidence: "unconfirmed",
    rates: { "db.t3.medium": 0.078, "db.t4g.medium": 0.073, "db.r5.large": 0.277, "db.r6g.large": 0.249 },
  },
  msk: {
    service: "MSK broker",
    source: `https://aws.amazon.com/msk/pricing/ ${MEMORY}`,
    confidence: "unconfirmed",
    rates: { "kafka.t3.small": 0.0456, "kafka.m5.large": 0.21, "kafka.m7g.large": 0.204 },
  },
  redshift: {
    service: "Redshift node",
    source: `https://aws.amazon.com/redshift/pricing/ ${MEMORY}`,
    confidence: "unconfirmed",
    rates: { "dc2.large": 0.25, "ra3.large": 0.543, "ra3.xlplus": 1.086, "ra3.4xlarge": 3.26 },
  },
} satisfies Record<string, ClassTable>;

export type ClassFamily = keyof typeof CLASS_RATES;

/** The price entry of one instance class (USD per instance-hour), or undefined when the class is not in the table. */
export function classPrice(family: ClassFamily, instanceClass: unknown): { id: string; entry: PriceEntry } | undefined {
  if (typeof instanceClass !== "string") return undefined;
  const table: ClassTable = CLASS_RATES[family];
  const usd = Object.prototype.hasOwnProperty.call(table.rates, instanceClass) ? table.rates[instanceClass] : undefined;
  if (usd === undefined) return undefined;
  return {
    id: `${family}:${instanceClass}`,
    entry: { item: `${table.service} ${instanceClass}`, unit: "instance-hour", usd, region: "us-east-1", source: table.source, confidence: table.confidence, ...(table.note ? { note: table.note } : {}) },
  };
}

/** Every class rate as a price entry (for the README's price table). */
export function allClassPrices(): { id: string; entry: PriceEntry }[] {
  return (Object.keys(CLASS_RATES) as ClassFamily[]).flatMap((family) => Object.keys(CLASS_RATES[family].rates).map((c) => classPrice(family, c)!));
}
