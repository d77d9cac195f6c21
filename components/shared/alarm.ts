import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * The one way a component creates a CloudWatch alarm. Every alarm of the program goes through
 * here, so what they share is said once:
 *
 * - **Actions**: the same SNS topic is the ALARM and the OK action (Security Hub CloudWatch.15,
 *   Control Tower CT.CLOUDWATCH.PR.1), so whoever is paged also learns when it is over. An SNS
 *   action must be in the alarm's region: pass the us-east-1 topic for alarms with
 *   `region: EDGE_REGION`. No topic: an alarm without actions (it still shows in the console).
 * - **Missing data** is not breaching unless the caller says otherwise: idle sites and quiet nights
 *   page nobody. Alarms whose metric must always report (a canary, a sweep) pass "breaching".
 * - **Naming**: the caller names the alarm `${component}-<role>` and passes `{ parent: this }`; the
 *   AWS name is Pulumi's auto-name of that resource name.
 * - **Tags** come from the provider's default tags (stacks/tags.ts), like every other resource.
 *
 * Everything else (metric, statistic, period, threshold, comparison) is the owner's, since only the
 * owning component knows what its metric means.
 */
export interface AlarmSpec extends Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions" | "insufficientDataActions" | "treatMissingData" | "alarmDescription"> {
  /** What went wrong and what to look at: the text of the notification. Required. */
  description: pulumi.Input<string>;
  /** Topic notified on ALARM and on OK. Default none: the alarm has no actions. */
  topicArn?: pulumi.Input<string>;
  /** How missing data is treated. Default "notBreaching". */
  treatMissingData?: "notBreaching" | "breaching" | "ignore" | "missing";
}

/** Creates one alarm (see AlarmSpec for what every alarm shares). */
export function metricAlarm(name: string, spec: AlarmSpec, opts: pulumi.CustomResourceOptions): aws.cloudwatch.MetricAlarm {
  const { description, topicArn, treatMissingData, ...metric } = spec;
  const actions = topicArn !== undefined ? [topicArn] : [];
  return new aws.cloudwatch.MetricAlarm(
    name,
    {
      ...metric,
      alarmDescription: description,
      treatMissingData: treatMissingData ?? "notBreaching",
      alarmActions: actions,
      okActions: actions,
    },
    opts,
  );
}

/**
 * The alias of an alarm that was a child of the stack's Monitoring component before each component
 * owned its alarms (2026-12): deployed stacks hold it at
 * `…::mpto:monitoring:Monitoring$aws:cloudwatch/metricAlarm:MetricAlarm::<oldName>`, Monitoring
 * being named "monitoring" in stacks/composition.ts. With the alias the engine finds it there and
 * updates it in place (pulumi/pulumi step_generator.go); the AWS alarm keeps its name, which
 * pulumi-aws auto-named once and keeps from the state. Drop once every stack has been updated.
 */
export function movedFromMonitoring(oldName: string): pulumi.Alias {
  return { name: oldName, parent: pulumi.createUrn("monitoring", "mpto:monitoring:Monitoring") };
}
