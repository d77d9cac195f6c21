import { arnRegion, list, regionOf, whenKnown } from "../lib/inputs";
import { resourceRule, stackRule } from "../lib/policy";

/**
 * CloudWatch alarms and log groups: alarms that notify (alarm and OK actions, enabled, in the
 * alarm's own region), log groups encrypted with KMS where required. Retention is the billing
 * family's log-group-retention.
 * Security Hub †CloudWatch.15/.17, Checkov CKV_AWS_319/CKV_AWS_158, cdk-nag NIST CloudWatchAlarmAction/CloudWatchLogGroupEncrypted.
 */

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const COMPOSITE = "aws:cloudwatch/compositeAlarm:CompositeAlarm";

export const cloudwatchAlarmActions = resourceRule<{ requireOkActions: boolean }>({
  name: "cloudwatch-alarm-actions",
  description:
    "Every alarm has enabled alarm actions, and OK actions where required, so a breach reaches a person and so does its recovery (Security Hub †CloudWatch.15/†CloudWatch.17, Checkov CKV_AWS_319, cdk-nag NIST CloudWatchAlarmAction, Control Tower CT.CLOUDWATCH.PR.1/.4).",
  types: [ALARM, COMPOSITE],
  config: { properties: { requireOkActions: { type: "boolean", description: "Require okActions too." } }, defaults: { requireOkActions: true } },
  validate(props, { config }, report) {
    if (props.actionsEnabled === false) report("actionsEnabled is false: the alarm notifies no one");
    if (!list(props.alarmActions).length) report("no alarmActions: the alarm changes state silently");
    if (config.requireOkActions && !list(props.okActions).length) report("no okActions: nobody learns that the problem is over");
  },
});

export const cloudwatchAlarmActionRegion = stackRule({
  name: "cloudwatch-alarm-action-region",
  description: "Alarm actions that are SNS topics live in the alarm's own region (CloudWatch rejects or never delivers cross-region topic actions; CloudFront/WAF alarms are in us-east-1) (functional; no catalogue rule).",
  validate(stack, _config, report) {
    for (const alarm of stack.ofType(ALARM, COMPOSITE)) {
      const region = regionOf(alarm);
      const actions = whenKnown(() => [...list<string>(alarm.props.alarmActions), ...list<string>(alarm.props.okActions), ...list<string>(alarm.props.insufficientDataActions)], [] as string[]);
      for (const action of actions) {
        if (typeof action !== "string" || !/^arn:[^:]+:sns:/.test(action)) continue;
        const topicRegion = arnRegion(action);
        if (topicRegion && topicRegion !== region) report(`alarm ${alarm.name} (in ${region}) notifies topic ${action} in ${topicRegion}: use a topic in ${region}`, alarm.urn);
      }
    }
  },
});

export const logGroupEncryption = resourceRule<{ requireKms: boolean }>({
  name: "log-group-encryption",
  description: "Log groups are encrypted with a customer-managed KMS key where the stack requires it (CloudWatch Logs always encrypts with a service key) (Checkov CKV_AWS_158, cdk-nag NIST CloudWatchLogGroupEncrypted, Control Tower CT.CLOUDWATCH.PR.3).",
  types: ["aws:cloudwatch/logGroup:LogGroup"],
  config: { properties: { requireKms: { type: "boolean", description: "Require kmsKeyId on every log group." } }, defaults: { requireKms: false } },
  validate(props, { config }, report) {
    if (config.requireKms && !props.kmsKeyId) report("kmsKeyId is not set: the group is encrypted with the service key only");
  },
});

export const cloudwatchPolicies = [cloudwatchAlarmActions, cloudwatchAlarmActionRegion, logGroupEncryption];
