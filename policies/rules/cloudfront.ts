import { RuleProblem, Vocabulary, words } from "./problem";

/**
 * Rules about a CloudFront distribution that stack config (stacks/config), the Cdn component and the
 * pack (policies/security/cloudfront.ts) share. Pure: no Pulumi runtime, no npm imports.
 */

export type GeoRestrictionField = "restrictionType" | "locations";

/**
 * A geo restriction (whitelist or blacklist) lists the countries it applies to, and `none` lists
 * none: CloudFront refuses a restriction without locations and locations without a restriction
 * (CloudFront API Reference, GeoRestriction: "Quantity" must match the `Items` given).
 */
export function geoRestrictionProblems(
  v: { restrictionType: string; locations: readonly unknown[] },
  vocabulary?: Vocabulary<GeoRestrictionField>,
): RuleProblem<GeoRestrictionField>[] {
  const { name } = words(vocabulary);
  if (v.restrictionType !== "none" && v.locations.length === 0)
    return [{ field: "locations", expected: `at least one country code when ${name("restrictionType")} is ${v.restrictionType}` }];
  if (v.restrictionType === "none" && v.locations.length > 0) return [{ field: "restrictionType", expected: `whitelist or blacklist, since ${name("locations")} lists countries` }];
  return [];
}
