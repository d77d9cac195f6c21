import { objects, strings } from "../lib/inputs";
import { resourceRule, stackRule } from "../lib/policy";

/**
 * CloudTrail: a multi-region trail of all management events with log file validation, KMS
 * encryption and CloudWatch Logs delivery, in the stack that owns the account baseline.
 * Security Hub CloudTrail.1/.2/.4/.5 (†.3), Checkov CKV_AWS_35/36/67/251, CKV2_AWS_10,
 * Trivy AVD-AWS-0014/0015/0016, cdk-nag NIST CloudTrail*. The trail bucket is judged by the S3 family.
 */

const TRAIL = "aws:cloudtrail/trail:Trail";

export const cloudtrailMultiRegion = resourceRule({
  name: "cloudtrail-multi-region",
  description:
    "Trails log all regions, global services and read and write management events with no management event source excluded (KMS, RDS Data API), through basic or advanced event selectors, and are switched on (Security Hub CloudTrail.1, AWS Config multi-region-cloudtrail-enabled, Checkov CKV_AWS_67/CKV_AWS_251, Trivy AVD-AWS-0014).",
  types: [TRAIL],
  validate(props, _ctx, report) {
    if (props.isMultiRegionTrail !== true) report("isMultiRegionTrail is not true: activity in other regions goes unrecorded");
    if (props.includeGlobalServiceEvents === false) report("includeGlobalServiceEvents is false: IAM and STS events go unrecorded");
    if (props.enableLogging === false) report("enableLogging is false");
    for (const problem of managementEventProblems(props)) report(problem);
  },
});

/**
 * What keeps a trail from recording every management event (AWS Config multi-region-cloudtrail-enabled,
 * the rule behind Security Hub CloudTrail.1: NON_COMPLIANT "if the ExcludeManagementEventSources field
 * is not empty or if AWS CloudTrail is configured to exclude management events such as AWS KMS events
 * or Amazon RDS Data API events"; CloudTrail User Guide, "Logging management events" and "Filtering
 * data events by using advanced event selectors": a trail with advanced selectors logs management
 * events only through a selector whose eventCategory equals Management, filtered by readOnly and
 * eventSource if those fields are given). No selector at all means every management event.
 */
export function managementEventProblems(props: Record<string, any>): string[] {
  const problems: string[] = [];
  const basic = objects(props.eventSelectors);
  const advanced = objects(props.advancedEventSelectors);
  if ((props.eventSelectors !== undefined && props.eventSelectors !== null && !Array.isArray(props.eventSelectors) && typeof props.eventSelectors !== "object") || (Array.isArray(props.eventSelectors) && basic.length !== props.eventSelectors.length)) problems.push("eventSelectors is malformed, so which events the trail records cannot be judged");
  for (const selector of basic) {
    const excluded = strings(selector.excludeManagementEventSources);
    if (excluded.length) problems.push(`an event selector excludes management events from ${excluded.join(", ")} (excludeManagementEventSources)`);
  }
  const recording = basic.filter((s) => s.includeManagementEvents !== false);
  if (basic.length && !recording.length) problems.push("no event selector includes management events");
  else if (basic.length && !recording.some((s) => (s.readWriteType ?? "All") === "All")) problems.push(`the event selectors record ${recording.map((s) => s.readWriteType).join(", ")} management events only`);
  if (advanced.length) {
    const management = advanced.filter((sel) =>
      objects(sel.fieldSelectors).some((f) => f.field === "eventCategory" && strings(f.equals).includes("Management")),
    );
    if (!management.length) problems.push("the advanced event selectors record no management events (no selector with eventCategory equals Management)");
    else if (
      !management.some((sel) => objects(sel.fieldSelectors).every((f) => f.field === "eventCategory" || (f.field !== "readOnly" && f.field !== "eventSource")))
    ) {
      problems.push("every advanced selector for management events filters them by readOnly or eventSource, so some management events (e.g. writes, or KMS) go unrecorded");
    }
  }
  return problems;
}

export const cloudtrailLogValidation = resourceRule({
  name: "cloudtrail-log-validation",
  description: "Trails write digest files so tampering with log files can be detected (Security Hub CloudTrail.4, Checkov CKV_AWS_36, Trivy AVD-AWS-0016, cdk-nag NIST CloudTrailLogFileValidationEnabled).",
  types: [TRAIL],
  validate(props, _ctx, report) {
    if (props.enableLogFileValidation !== true) report("enableLogFileValidation is not true");
  },
});

export const cloudtrailEncryption = resourceRule({
  name: "cloudtrail-encryption",
  description: "Trails encrypt their log files with a KMS key (Security Hub CloudTrail.2, Checkov CKV_AWS_35, Trivy AVD-AWS-0015, cdk-nag NIST CloudTrailEncryptionEnabled).",
  types: [TRAIL],
  validate(props, _ctx, report) {
    if (!props.kmsKeyId) report("kmsKeyId is not set: log files are only SSE-S3 encrypted");
  },
});

export const cloudtrailCloudwatchLogs = resourceRule<{ required: boolean }>({
  name: "cloudtrail-cloudwatch-logs",
  description: "Trails deliver to CloudWatch Logs (for metric filters and alarms) where the stack requires it (Security Hub CloudTrail.5, Checkov CKV2_AWS_10, cdk-nag NIST CloudTrailCloudWatchLogsEnabled).",
  types: [TRAIL],
  config: { properties: { required: { type: "boolean", description: "Require cloudWatchLogsGroupArn and cloudWatchLogsRoleArn." } }, defaults: { required: true } },
  validate(props, { config }, report) {
    if (config.required && (!props.cloudWatchLogsGroupArn || !props.cloudWatchLogsRoleArn)) report("the trail does not deliver to CloudWatch Logs (cloudWatchLogsGroupArn and cloudWatchLogsRoleArn)");
  },
});

export const cloudtrailPresent = stackRule<{ required: boolean }>({
  name: "cloudtrail-present",
  description: "The stack that owns the account baseline declares at least one trail (Security Hub †CloudTrail.3).",
  config: { properties: { required: { type: "boolean", description: "This stack must declare a trail (the account-baseline owner)." } }, defaults: { required: false } },
  validate(stack, config, report) {
    if (config.required && !stack.ofType(TRAIL).length) report("no CloudTrail trail in the stack that owns the account baseline");
  },
});

export const cloudtrailPolicies = [cloudtrailMultiRegion, cloudtrailLogValidation, cloudtrailEncryption, cloudtrailCloudwatchLogs, cloudtrailPresent];
