import type { Policies } from "@pulumi/policy";
import { billingPolicies } from "./billing/policies";
import { acmPolicies } from "./security/acm";
import { cloudfrontPolicies } from "./security/cloudfront";
import { cloudtrailPolicies } from "./security/cloudtrail";
import { cloudwatchPolicies } from "./security/cloudwatch";
import { cognitoPolicies } from "./security/cognito";
import { dynamodbPolicies } from "./security/dynamodb";
import { guarddutyPolicies } from "./security/guardduty";
import { iamPolicies } from "./security/iam";
import { kmsPolicies } from "./security/kms";
import { lambdaPolicies } from "./security/lambda";
import { organizationsPolicies } from "./security/organizations";
import { s3Policies } from "./security/s3";
import { sesv2Policies } from "./security/sesv2";
import { snsPolicies } from "./security/sns";
import { sqsPolicies } from "./security/sqs";
import { syntheticsPolicies } from "./security/synthetics";
import { wafv2Policies } from "./security/wafv2";
import { tagPolicies } from "./tags/requiredTags";
import { makeUnreviewedTypes, reviewedTypes } from "./reviewed";

/**
 * Every policy of the pack, by family. `index.ts` only constructs the pack from this list, so
 * tests can import policies without starting a gRPC server.
 */
export const families: Record<string, Policies> = {
  tags: tagPolicies,
  billing: billingPolicies,
  cloudfront: cloudfrontPolicies,
  wafv2: wafv2Policies,
  s3: s3Policies,
  sesv2: sesv2Policies,
  cognito: cognitoPolicies,
  dynamodb: dynamodbPolicies,
  lambda: lambdaPolicies,
  iam: iamPolicies,
  kms: kmsPolicies,
  sns: snsPolicies,
  sqs: sqsPolicies,
  cloudwatch: cloudwatchPolicies,
  cloudtrail: cloudtrailPolicies,
  guardduty: guarddutyPolicies,
  acm: acmPolicies,
  organizations: organizationsPolicies,
  synthetics: syntheticsPolicies,
};

// The tripwire judges every type against what the families above review (policies/reviewed.ts).
const judged = { ...families };
families.review = [makeUnreviewedTypes(() => reviewedTypes(judged))];

export const policies: Policies = Object.values(families).flat();
