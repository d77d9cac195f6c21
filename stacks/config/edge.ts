import { z } from "zod";
import { fields } from "./field";

/** ISO 3166-1 alpha-2 country codes, upper case. */
const COUNTRY_CODE = z.string().regex(/^[A-Z]{2}$/);

/** CloudFront and WAF settings. */
export const edgeFields = {
  priceClass: fields.oneOf(["PriceClass_100", "PriceClass_200", "PriceClass_All"], {
    description: "CloudFront price class. PriceClass_100 (North America and Europe) suits a UK audience. Default PriceClass_100.",
    default: "PriceClass_100",
  }),
  geoRestrictionType: fields.oneOf(["none", "whitelist", "blacklist"], {
    description: "CloudFront geo restriction: none, or allow (whitelist) / deny (blacklist) the listed countries. Default none.",
    default: "none",
  }),
  geoRestrictionLocations: fields.list(COUNTRY_CODE, "ISO 3166-1 alpha-2 country codes such as GB", {
    description: "Countries for the geo restriction (ISO 3166-1 alpha-2, e.g. GB, IE); required unless the type is none.",
    default: [],
  }),
  wafMode: fields.oneOf(["count", "block"], {
    description: "WAF action for managed rule groups and the rate limit: count (observe) or block. Default block.",
    default: "block",
  }),
  wafRateLimit: fields.integer({
    description: "Requests per 5 minutes one IP address may make before the WAF rate rule acts. Default 1000.",
    expected: "a whole number of requests per 5 minutes from 10 to 2000000000",
    min: 10,
    max: 2_000_000_000,
    default: 1000,
  }),
};
