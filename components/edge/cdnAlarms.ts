import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { metricAlarm, movedFromMonitoring } from "../shared/alarm";
import { EDGE_REGION } from "../shared/regions";

/** What the distribution's alarms need (CdnArgs passes them through). */
/** Defaults of the CDN's alarms (the config keys alarmCloudFront5xx/4xxErrorRatePercent and alarmOriginLatencyMs take theirs from here). */
export const CDN_ALARM_DEFAULTS = { errorRate5xxPercent: 1, errorRate4xxPercent: 10, originLatencyMs: 3000 } as const;

export interface CdnAlarmArgs {
  /** Alert topic in us-east-1 (CloudFront metrics exist only there, and an alarm's SNS action must be in its region). */
  topicArn: pulumi.Input<string>;
  /** 5xxErrorRate (percent of requests) above which the 5xx alarm fires. Default 1. */
  errorRate5xxPercent?: number;
  /** 4xxErrorRate (percent of requests) above which the 4xx alarm fires. Default 10. */
  errorRate4xxPercent?: number;
  /** Subscribe the distribution to CloudFront's additional metrics (billed) and alarm on p90 origin latency. Default false. */
  additionalMetrics?: boolean;
  /** p90 OriginLatency in ms above which the latency alarm fires (additional metrics only). Default 3000. */
  originLatencyMs?: number;
}

/**
 * The distribution's alarms, children of the Cdn, in us-east-1: 5xx and 4xx error rates over 10
 * minutes, and with additional metrics the p90 origin latency. Until 2026-12 they (and the
 * metrics subscription) were children of Monitoring: `movedFromMonitoring` keeps deployed ones.
 */
export function cdnAlarms(parent: pulumi.Resource, name: string, distributionId: pulumi.Input<string>, args: CdnAlarmArgs): aws.cloudwatch.MetricAlarm[] {
  const dimensions = { DistributionId: distributionId, Region: "Global" };
  const common = {
    namespace: "AWS/CloudFront",
    dimensions,
    period: 300,
    comparisonOperator: "GreaterThanThreshold",
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    actionsEnabled: true,
    region: EDGE_REGION,
    topicArn: args.topicArn,
  };
  const rate5xx = args.errorRate5xxPercent ?? CDN_ALARM_DEFAULTS.errorRate5xxPercent;
  const rate4xx = args.errorRate4xxPercent ?? CDN_ALARM_DEFAULTS.errorRate4xxPercent;
  const alarms = [
    metricAlarm(
      `${name}-5xx-errors`,
      {
        ...common,
        description: `CloudFront 5xx error rate above ${rate5xx}% for 10 minutes: the origin (Vercel or media) is failing.`,
        metricName: "5xxErrorRate",
        statistic: "Average",
        threshold: rate5xx,
      },
      { parent, aliases: [movedFromMonitoring("monitoring-cloudfront-5xx")] },
    ),
    metricAlarm(
      `${name}-4xx-errors`,
      {
        ...common,
        description: `CloudFront 4xx error rate above ${rate4xx}% for 10 minutes: broken links, expired signed URLs or the WAF blocking real users.`,
        metricName: "4xxErrorRate",
        statistic: "Average",
        threshold: rate4xx,
      },
      { parent, aliases: [movedFromMonitoring("monitoring-cloudfront-4xx")] },
    ),
  ];
  if (args.additionalMetrics) {
    // CacheHitRate and OriginLatency exist only for distributions subscribed to additional metrics.
    const subscription = new aws.cloudfront.MonitoringSubscription(
      `${name}-additional-metrics`,
      { distributionId, monitoringSubscription: { realtimeMetricsSubscriptionConfig: { realtimeMetricsSubscriptionStatus: "Enabled" } } },
      { parent, aliases: [movedFromMonitoring("monitoring-cloudfront-additional-metrics")] },
    );
    const latency = args.originLatencyMs ?? CDN_ALARM_DEFAULTS.originLatencyMs;
    alarms.push(
      metricAlarm(
        `${name}-origin-latency`,
        {
          ...common,
          description: `CloudFront p90 origin latency above ${latency} ms for 10 minutes: the origin is slow.`,
          metricName: "OriginLatency",
          extendedStatistic: "p90",
          threshold: latency,
        },
        { parent, dependsOn: [subscription], aliases: [movedFromMonitoring("monitoring-cloudfront-origin-latency")] },
      ),
    );
  }
  return alarms;
}
