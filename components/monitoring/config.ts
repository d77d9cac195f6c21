import { type ConfigValues, fields, type StackOutputs } from "../shared/configField";
import type * as pulumi from "@pulumi/pulumi";
import type { AlertTopic } from "./AlertTopic";
import type { Monitoring, MonitoringArgs } from "./Monitoring";
import { UPTIME_CANARY_DEFAULTS, type UptimeCanary, type UptimeCanaryArgs } from "./UptimeCanary";
import { CDN_ALARM_DEFAULTS } from "../edge/cdnAlarms";
import { WEB_ACL_DEFAULTS } from "../edge/WebAcl";
import { NODE_FUNCTION_ALARM_DEFAULTS } from "../lambda/NodeFunction";
import { MAIL_DOMAIN_DEFAULTS } from "../mail/MailDomain";
import { SESSION_TABLE_DEFAULTS } from "../sessions/SessionTable";
import { USER_POOL_DEFAULTS } from "../identity/UserPool";

/**
 * Alarm thresholds and optional paid metrics. Every alarm evaluates 5-minute periods; counts are
 * per 5 minutes, rates are percentages (0-100) of the period's requests. SES reputation alarms
 * belong to the mail domain (bounceRateAlarmThreshold, complaintRateAlarmThreshold in mail.ts).
 */
export const monitoringFields = {
  cloudFrontAdditionalMetrics: fields.boolean({
    description:
      "Turn on CloudFront additional metrics (cache hit rate, origin latency; billed per distribution as CloudWatch metrics) with their alarm and dashboard widgets. Default false.",
    default: false,
  }),
  alarmCloudFront5xxErrorRatePercent: fields.decimal({
    description: `Alarm when CloudFront's 5xx error rate exceeds this percentage of requests (10 minutes). Default ${CDN_ALARM_DEFAULTS.errorRate5xxPercent}.`,
    min: 0,
    max: 100,
    exclusiveMin: true,
    default: CDN_ALARM_DEFAULTS.errorRate5xxPercent,
  }),
  alarmCloudFront4xxErrorRatePercent: fields.decimal({
    description: `Alarm when CloudFront's 4xx error rate exceeds this percentage of requests (10 minutes). Default ${CDN_ALARM_DEFAULTS.errorRate4xxPercent}.`,
    min: 0,
    max: 100,
    exclusiveMin: true,
    default: CDN_ALARM_DEFAULTS.errorRate4xxPercent,
  }),
  alarmOriginLatencyMs: fields.integer({
    description: `Alarm when CloudFront's p90 origin latency exceeds this many ms (needs cloudFrontAdditionalMetrics). Default ${CDN_ALARM_DEFAULTS.originLatencyMs}.`,
    expected: "a whole number of milliseconds from 100 to 60000",
    min: 100,
    max: 60_000,
    default: CDN_ALARM_DEFAULTS.originLatencyMs,
  }),
  alarmWafBlockedRequests: fields.integer({
    description: `Alarm when the WAF blocks more than this many requests in 5 minutes (an attack or a false positive). Default ${WEB_ACL_DEFAULTS.blockedRequestsAlarmThreshold}.`,
    expected: "a whole number of requests from 1 to 100000000",
    min: 1,
    max: 100_000_000,
    default: WEB_ACL_DEFAULTS.blockedRequestsAlarmThreshold,
  }),
  alarmLambdaErrors: fields.integer({
    description: `Alarm when one Lambda function reports at least this many errors in 5 minutes. Default ${NODE_FUNCTION_ALARM_DEFAULTS.errorAlarmThreshold}.`,
    expected: "a whole number of errors from 1 to 1000000",
    min: 1,
    max: 1_000_000,
    default: NODE_FUNCTION_ALARM_DEFAULTS.errorAlarmThreshold,
  }),
  alarmLambdaThrottles: fields.integer({
    description: `Alarm when one Lambda function is throttled at least this many times in 5 minutes. Default ${MAIL_DOMAIN_DEFAULTS.eventHandlerThrottleThreshold}.`,
    expected: "a whole number of throttles from 1 to 1000000",
    min: 1,
    max: 1_000_000,
    default: MAIL_DOMAIN_DEFAULTS.eventHandlerThrottleThreshold,
  }),
  alarmDynamoDbThrottles: fields.integer({
    description: `Alarm when the session table throttles at least this many read or write events in 5 minutes (system errors alarm at 1). Default ${SESSION_TABLE_DEFAULTS.throttleAlarmThreshold}.`,
    expected: "a whole number of events from 1 to 1000000",
    min: 1,
    max: 1_000_000,
    default: SESSION_TABLE_DEFAULTS.throttleAlarmThreshold,
  }),
  alarmCognitoSignInThrottles: fields.integer({
    description: `Alarm when Cognito throttles at least this many sign-ins in 5 minutes. Default ${USER_POOL_DEFAULTS.signInThrottleAlarmThreshold}.`,
    expected: "a whole number of throttles from 1 to 1000000",
    min: 1,
    max: 1_000_000,
    default: USER_POOL_DEFAULTS.signInThrottleAlarmThreshold,
  }),
  uptimeCanaryMinutes: fields.integer({
    description: `Minutes between runs of the uptime canary (CloudWatch Synthetics, about $0.0012 a run) through the public host name; 0 = no canary. Default ${UPTIME_CANARY_DEFAULTS.rateMinutes} (about $10 a month; hourly is about $0.90).`,
    expected: "a whole number of minutes from 0 to 60",
    min: 0,
    max: 60,
    default: UPTIME_CANARY_DEFAULTS.rateMinutes,
  }),
  uptimeCertificateMinDays: fields.integer({
    description: `The uptime canary fails when the site's certificate expires within this many days (ACM renews 60 days ahead, so a failure means renewal is stuck). Default ${UPTIME_CANARY_DEFAULTS.certificateMinDays}.`,
    expected: "a whole number of days from 1 to 90",
    min: 1,
    max: 90,
    default: UPTIME_CANARY_DEFAULTS.certificateMinDays,
  }),
};

/** The monitoring section, and the stack-wide keys the canary reads (stacks/config/core.ts, site.ts; the edge's mediaPathPrefix). */
export type MonitoringConfig = ConfigValues<typeof monitoringFields> & {
  readonly environment: string;
  readonly siteHostnames: string[];
  readonly mediaPathPrefix: string;
};

/** What Monitoring (the dashboard) reads from config: the Environment dimension and CloudFront's paid metrics. The rest is wiring; each component owns its alarms and reads its threshold from the keys above. */
export function monitoringConfigArgs(c: MonitoringConfig): Pick<MonitoringArgs, "environment" | "cloudFrontAdditionalMetrics"> {
  return { environment: c.environment, cloudFrontAdditionalMetrics: c.cloudFrontAdditionalMetrics };
}

/** How the UptimeCanary reads its config: through the public host name, as a visitor meets it; undefined when mpto:uptimeCanaryMinutes is 0. */
export function uptimeCanaryArgs(c: MonitoringConfig, distributionDomain: pulumi.Input<string>, alarmTopicArn: pulumi.Input<string>): UptimeCanaryArgs | undefined {
  if (c.uptimeCanaryMinutes === 0) return undefined;
  return {
    canaryName: `mpto-${c.environment}-uptime`,
    siteHost: c.siteHostnames[0],
    distributionDomain,
    mediaPathPrefix: c.mediaPathPrefix,
    alarmTopicArn,
    rateMinutes: c.uptimeCanaryMinutes,
    certificateMinDays: c.uptimeCertificateMinDays,
  };
}

/** The stack outputs of the alert topics (the email subscription must be confirmed once). */
export function alertStackOutputs(alerts: AlertTopic): StackOutputs {
  return { alertTopicArn: alerts.topicArn, edgeAlertTopicArn: alerts.edgeTopicArn };
}

/** The stack outputs of Monitoring. */
export function monitoringStackOutputs(monitoring: Monitoring): StackOutputs {
  return { monitoringDashboardName: monitoring.dashboardName, monitoringAlarmNames: monitoring.alarmNames, bookingMetricPolicyJson: monitoring.bookingMetricPolicyJson };
}

/** The stack outputs of the uptime canary. */
export function canaryStackOutputs(canary: UptimeCanary): StackOutputs {
  return { uptimeCanaryName: canary.canaryName };
}
