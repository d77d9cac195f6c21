import { billingCases } from "./billing";
import { classCases } from "./classes";
import { cloudfrontCases, wafv2Cases } from "./cloudfront";
import { iamCases, kmsCases, lambdaCases, sqsCases } from "./compute";
import { cognitoCases, dynamodbCases, sesv2Cases } from "./identity";
import { acmCases, cloudtrailCases, cloudwatchCases, guarddutyCases, snsCases } from "./monitoring";
import { organizationsCases } from "./organizations";
import { s3Cases } from "./s3";
import { syntheticsCases } from "./synthetics";
import { tagCases } from "./tags";
import type { CaseFamily } from "./types";

/** Every tier-1 case, by the family (catalog key) of the policies they exercise. */
export const CASE_FAMILIES: CaseFamily[] = [
  { family: "tags", cases: tagCases },
  { family: "billing", cases: billingCases },
  { family: "cloudfront", cases: cloudfrontCases },
  { family: "wafv2", cases: wafv2Cases },
  { family: "s3", cases: s3Cases },
  { family: "sesv2", cases: sesv2Cases },
  { family: "cognito", cases: cognitoCases },
  { family: "dynamodb", cases: dynamodbCases },
  { family: "lambda", cases: lambdaCases },
  { family: "iam", cases: iamCases },
  { family: "kms", cases: kmsCases },
  { family: "sns", cases: snsCases },
  { family: "sqs", cases: sqsCases },
  { family: "cloudwatch", cases: cloudwatchCases },
  { family: "cloudtrail", cases: cloudtrailCases },
  { family: "guardduty", cases: guarddutyCases },
  { family: "acm", cases: acmCases },
  { family: "organizations", cases: organizationsCases },
  { family: "synthetics", cases: syntheticsCases },
  { family: "issue 14 classes (billing, scoping, logging, tripwire, robustness)", cases: classCases },
];

export const ALL_CASES = CASE_FAMILIES.flatMap((f) => f.cases);
