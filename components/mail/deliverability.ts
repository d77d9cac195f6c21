import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { metricAlarm } from "../shared/alarm";

/**
 * AWS's review and pause levels for an account's reputation metrics (SES developer guide, "Sending
 * review process FAQs"): a review at 5% bounces or 0.1% complaints, sending may be paused at 10% /
 * 0.5%. Warning thresholds must sit below the review levels; a second alarm fires at them.
 */
export const SES_REVIEW_LEVELS = { bounceRate: 0.05, complaintRate: 0.001 } as const;
export const SES_PAUSE_LEVELS = { bounceRate: 0.1, complaintRate: 0.005 } as const;

/** The deliverability alarms' inputs (MailDomainArgs passes them). */
/** Warning levels of the deliverability alarms, as fractions (the bounceRateAlarmThreshold and complaintRateAlarmThreshold keys take theirs from here). */
export const DELIVERABILITY_DEFAULTS = { bounceRate: 0.02, complaintRate: 0.0005 } as const;

export interface DeliverabilityAlarmArgs {
  /** Topic notified on ALARM and OK. Default none: alarms without actions. */
  topicArn?: pulumi.Input<string>;
  /** Account bounce rate (fraction) of the warning alarm, below AWS's 5% review level. Default 0.02. */
  bounceRate?: pulumi.Input<number>;
  /** Account complaint rate (fraction) of the warning alarm, below AWS's 0.1% review level. Default 0.0005. */
  complaintRate?: pulumi.Input<number>;
}

/**
 * A MailDomain's alarms on the account's SES reputation (fractions, as the metrics report them):
 * a warning below AWS's review level and a second alarm at it, for bounces and complaints.
 */
export function deliverabilityAlarms(parent: pulumi.Resource, name: string, args: DeliverabilityAlarmArgs): aws.cloudwatch.MetricAlarm[] {
  const alarm = (role: string, metricName: string, threshold: pulumi.Input<number>, description: string) =>
    metricAlarm(
      `${name}-${role}`,
      {
        description,
        namespace: "AWS/SES",
        metricName, // account-level reputation metric: what AWS reviews
        statistic: "Average",
        period: 3600,
        evaluationPeriods: 1,
        threshold,
        comparisonOperator: "GreaterThanThreshold",
        topicArn: args.topicArn, // no sends, no rate: missing data does not breach
      },
      { parent },
    );
  return [
    alarm(
      "bounce-rate",
      "Reputation.BounceRate",
      args.bounceRate ?? DELIVERABILITY_DEFAULTS.bounceRate,
      "SES bounce rate is above the warning threshold (AWS reviews the account at 5%, may pause sending at 10%).",
    ),
    alarm("bounce-rate-review", "Reputation.BounceRate", SES_REVIEW_LEVELS.bounceRate, "SES bounce rate is at AWS's review level (5%); sending may be paused at 10%."),
    alarm(
      "complaint-rate",
      "Reputation.ComplaintRate",
      args.complaintRate ?? DELIVERABILITY_DEFAULTS.complaintRate,
      "SES complaint rate is above the warning threshold (AWS reviews the account at 0.1%, may pause sending at 0.5%).",
    ),
    alarm(
      "complaint-rate-review",
      "Reputation.ComplaintRate",
      SES_REVIEW_LEVELS.complaintRate,
      "SES complaint rate is at AWS's review level (0.1%); sending may be paused at 0.5%.",
    ),
  ];
}
