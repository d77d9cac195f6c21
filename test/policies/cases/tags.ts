import { T } from "../fixtures";
import type { PolicyCase } from "./types";

/**
 * The tagging rows of the coverage table (Security Hub's tagging-standard controls) as failing
 * cases of required-tags; the family's own behaviour is specified in test/policies/requiredTags.spec.ts.
 */
const TAGS = { Project: "mpto", Environment: "test", Owner: "platform-team", CostCenter: "MPTO-WEB", ManagedBy: "pulumi" };
const untagged = (type: string, rule: string, what: string): PolicyCase => ({
  policy: "required-tags",
  title: `fails an untagged ${what}`,
  type,
  props: { tags: { Project: "mpto" }, tagsAll: { Project: "mpto" } },
  expect: /tag 'Environment' is missing; tag 'Owner' is missing/,
  count: 1,
  rules: [rule],
});

export const tagCases: PolicyCase[] = [
  { policy: "required-tags", title: "passes a resource carrying every required tag (stack check off)", type: T.topic, props: { tagsAll: TAGS }, config: { environmentTag: "" }, expect: "pass" },
  untagged(T.distribution, "CloudFront.14", "distribution"),
  untagged(T.configurationSet, "SES.2", "SES configuration set"),
  untagged(T.userPool, "Cognito.4", "user pool"),
  untagged(T.table, "DynamoDB.5", "DynamoDB table"),
  untagged(T.function, "Lambda.6", "Lambda function"),
  untagged(T.role, "IAM.24", "IAM role"),
  untagged(T.topic, "SNS.3", "SNS topic"),
  untagged(T.trail, "CloudTrail.9", "trail"),
  untagged(T.detector, "GuardDuty.2", "GuardDuty detector"),
];
