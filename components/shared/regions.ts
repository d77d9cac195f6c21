/**
 * Regions of this project. Components put global-edge resources in `EDGE_REGION` with the v7
 * per-resource `region` input, so one provider (one set of default tags) serves the whole stack.
 */

/** London: data and mail stay in the UK. */
export const PRIMARY_REGION = "eu-west-2";

/**
 * CloudFront's control plane region: ACM certificates for CloudFront, WAFv2 web ACLs with scope
 * CLOUDFRONT, Lambda@Edge functions, CloudFront/WAF metrics and their alarms live here.
 */
export const EDGE_REGION = "us-east-1";
