import table from "./prices.data.json";
import { fields, number, oneOf, text } from "../lib/dataFile";

/**
 * The price table behind the billing-limit policies and the offline plan's cost estimate.
 *
 * Static and dated on purpose: Infracost has no Pulumi support and needs network access to its
 * pricing API, so the pack prices resources from this committed table. Every entry carries its
 * unit, USD price, the region the price applies to, its source and a confidence mark exactly as
 * `shared/reference/policy-and-pricing.md` §5.3 gives them:
 *  - official: read on an AWS pricing page or AWS document;
 *  - secondary: third-party pages (cost blogs, billing-code pages), consistent with each other;
 *  - unconfirmed: from memory or a single source; check before relying on it.
 * Prices are pay-as-you-go, before free tiers (free tiers are per account and dev and prod may
 * share one). Where only the us-east-1 price is known and the resource lives in eu-west-2, the
 * us-east-1 price is used and the entry says so: London is typically equal or a few % higher.
 * Where a London rate is known, the entry carries it under `regional["eu-west-2"]` and the estimate
 * uses it for resources in eu-west-2 (the line's confidence is then the regional rate's).
 *
 * The entries are data, in prices.data.json (grouped as fixed monthly, usage-driven and hourly
 * items, each group saying what it holds), read and checked here, so that every field of every
 * entry is named where it is reviewed.
 *
 * Update: change the entry, its `source` and `confidence`, then the file's `reviewed` date.
 */

export type Confidence = "official" | "secondary" | "unconfirmed";

export interface PriceEntry {
  /** Service and item, e.g. "WAF web ACL". */
  item: string;
  /** What one unit is, e.g. "web ACL-month", "1M requests", "GB-month". */
  unit: string;
  usd: number;
  /** Region the price applies to: an AWS region, "global" (same in every region) or "edge-europe" (CloudFront's Europe column). */
  region: string;
  source: string;
  confidence: Confidence;
  note?: string;
  /**
   * Rates of other regions where they differ from `usd` (keyed by AWS region, e.g. "eu-west-2").
   * The estimate uses the rate of the region the resource lives in, and the entry's own rate elsewhere.
   */
  regional?: Record<string, RegionalPrice>;
}

/** A region's rate for an entry: its own price, source and confidence. */
export interface RegionalPrice {
  usd: number;
  source: string;
  confidence: Confidence;
}

const CONFIDENCE: readonly Confidence[] = ["official", "secondary", "unconfirmed"];

function readRegionalPrice(raw: unknown, where: string): RegionalPrice {
  const row = fields(raw, where, ["usd", "source", "confidence"]);
  return { usd: number(row, "usd", where, 0), source: text(row, "source", where), confidence: oneOf(row, "confidence", CONFIDENCE, where) };
}

/** One entry of prices.data.json, checked field by field (fields in the file's order). */
export function readPriceEntry(raw: unknown, where: string): PriceEntry {
  const row = fields(raw, where, ["item", "unit", "usd", "region", "source", "confidence"], ["note", "regional"]);
  const entry: PriceEntry = {
    item: text(row, "item", where),
    unit: text(row, "unit", where),
    usd: number(row, "usd", where, 0),
    region: text(row, "region", where),
    source: text(row, "source", where),
    confidence: oneOf(row, "confidence", CONFIDENCE, where),
  };
  if (row.note !== undefined) entry.note = text(row, "note", where);
  if (row.regional !== undefined) {
    if (!row.regional || typeof row.regional !== "object" || Array.isArray(row.regional)) throw new Error(`${where}: regional must map AWS regions to prices`);
    entry.regional = {};
    for (const [region, price] of Object.entries(row.regional)) {
      if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new Error(`${where}: regional key ${region} is not an AWS region`);
      entry.regional[region] = readRegionalPrice(price, `${where} regional ${region}`);
    }
  }
  return entry;
}

type Groups = (typeof table)["groups"];
export type PriceId = { [G in keyof Groups]: keyof Groups[G]["prices"] }[keyof Groups];
export type PriceTable = Record<PriceId, PriceEntry>;

/** The entries of every group, in the file's order; an id used twice stops the load. */
export function loadPrices(data: { groups: Record<string, { about: string; prices: Record<string, unknown> }> }): Record<string, PriceEntry> {
  const out: Record<string, PriceEntry> = {};
  for (const [group, { about, prices }] of Object.entries(data.groups)) {
    if (typeof about !== "string" || !about) throw new Error(`prices.data.json ${group}: the group needs an 'about'`);
    for (const [id, raw] of Object.entries(prices)) {
      if (id in out) throw new Error(`prices.data.json ${group}: ${id} is priced twice`);
      out[id] = readPriceEntry(raw, `prices.data.json ${id}`);
    }
  }
  return out;
}

if (!/^\d{4}-\d{2}-\d{2}$/.test(table.reviewed)) throw new Error("prices.data.json: reviewed must be a date (YYYY-MM-DD)");

/** When the table was last reviewed (prices collected up to 2026-07, reviewed on this date). */
export const PRICE_TABLE_DATE: string = table.reviewed;
export const PRICE_TABLE_CURRENCY: string = table.currency;
export const PRICES = loadPrices(table) as PriceTable;
