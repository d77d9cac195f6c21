import { DELIVERABILITY_DEFAULTS, SES_PAUSE_LEVELS, SES_REVIEW_LEVELS } from "./deliverability";
import { MAIL_DOMAIN_DEFAULTS, type MailDomain, type MailDomainArgs } from "./MailDomain";
import { type ConfigValues, fields, type StackOutputs } from "../shared/configField";
import type * as pulumi from "@pulumi/pulumi";

/** The SES sending domain, its addresses, DMARC and deliverability alarms. */
export const mailFields = {
  mailDomain: fields.hostname({ description: "Domain SES sends from (DKIM, SPF and DMARC are set up for it)." }),
  bookingsSender: fields.email({ description: "From address of booking confirmations; must be on the mail domain." }),
  adminEmail: fields.email({ description: "Address copied (CC) on every booking confirmation." }),
  mailFromSubdomain: fields.text({
    description: `Label of the custom MAIL FROM subdomain (bounce address, MX + SPF), e.g. mail -> mail.<mailDomain>; never used to receive mail. Default ${MAIL_DOMAIN_DEFAULTS.mailFromSubdomain}.`,
    expected: "one DNS label such as mail or bounce (a-z, 0-9, '-')",
    pattern: /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
    default: MAIL_DOMAIN_DEFAULTS.mailFromSubdomain,
  }),
  dmarcPolicy: fields.oneOf(["none", "quarantine", "reject"], {
    description: `DMARC policy (p=) of the mail domain: start with none and read the reports, then quarantine, then reject. Default ${MAIL_DOMAIN_DEFAULTS.dmarcPolicy}.`,
    default: MAIL_DOMAIN_DEFAULTS.dmarcPolicy,
  }),
  dmarcReportEmail: fields.email({
    description: "Address receiving DMARC aggregate reports (rua); outside the mail domain's organisation it needs an authorisation record there. Default adminEmail.",
    required: false,
  }),
  bounceRateAlarmThreshold: fields.decimal({
    description: `Account bounce rate (fraction) that raises the deliverability warning; AWS reviews at ${SES_REVIEW_LEVELS.bounceRate} and may pause at ${SES_PAUSE_LEVELS.bounceRate}. Default ${DELIVERABILITY_DEFAULTS.bounceRate}.`,
    min: 0.001,
    max: 0.04,
    default: DELIVERABILITY_DEFAULTS.bounceRate,
  }),
  complaintRateAlarmThreshold: fields.decimal({
    description: `Account complaint rate (fraction) that raises the deliverability warning; AWS reviews at ${SES_REVIEW_LEVELS.complaintRate} and may pause at ${SES_PAUSE_LEVELS.complaintRate}. Default ${DELIVERABILITY_DEFAULTS.complaintRate}.`,
    min: 0.0001,
    max: 0.0008,
    default: DELIVERABILITY_DEFAULTS.complaintRate,
  }),
  mailConfigurationSetSuffix: fields.text({
    description:
      "Suffix of the configuration set names (mpto-transactional<suffix>, mpto-marketing<suffix>), which are unique per account and region: set it on every stack but one that shares an AWS account. Default none.",
    expected: "a suffix such as -dev ('-' then a-z, 0-9, '-'; at most 21 characters)",
    pattern: /^-[a-z0-9][a-z0-9-]{0,19}$/,
    required: false,
  }),
  marketingConfigurationSet: fields.boolean({
    description: `Also create the mpto-marketing configuration set for campaigns (same TLS, suppression and event publishing). Default ${MAIL_DOMAIN_DEFAULTS.marketingSet}.`,
    default: MAIL_DOMAIN_DEFAULTS.marketingSet,
  }),
};

/** The mail section, and the stack-wide keys the mail domain reads (stacks/config/site.ts, core.ts; monitoring's alarmLambdaErrors). */
export type MailConfig = ConfigValues<typeof mailFields> & {
  readonly route53ZoneId?: string;
  readonly protectStatefulResources: boolean;
  readonly logRetentionDays: number;
  readonly alarmLambdaErrors: number;
  readonly alarmLambdaThrottles: number;
};

/** How the MailDomain reads its config: DMARC reports go to adminEmail unless said otherwise; set names carry the suffix. */
export function mailDomainArgs(c: MailConfig, alarmTopicArn: pulumi.Input<string>): MailDomainArgs {
  return {
    domain: c.mailDomain,
    mailFromSubdomain: c.mailFromSubdomain,
    dmarcPolicy: c.dmarcPolicy,
    dmarcReportEmail: c.dmarcReportEmail ?? c.adminEmail,
    route53ZoneId: c.route53ZoneId,
    transactionalSetName: `mpto-transactional${c.mailConfigurationSetSuffix ?? ""}`,
    marketingSet: c.marketingConfigurationSet,
    marketingSetName: `mpto-marketing${c.mailConfigurationSetSuffix ?? ""}`,
    alarmTopicArn,
    bounceRateThreshold: c.bounceRateAlarmThreshold,
    complaintRateThreshold: c.complaintRateAlarmThreshold,
    // The handler's own alarms use the stack's Lambda thresholds.
    eventHandlerErrorThreshold: c.alarmLambdaErrors,
    eventHandlerThrottleThreshold: c.alarmLambdaThrottles,
    logRetentionDays: c.logRetentionDays,
    protect: c.protectStatefulResources,
  };
}

/** The stack outputs of the mail domain, with what the booking-confirmation sender (functions/mail) sends from and copies. */
export function mailStackOutputs(mail: MailDomain, c: MailConfig): StackOutputs {
  return {
    mailDomain: mail.domain,
    mailIdentityArn: mail.identityArn,
    mailConfigurationSet: mail.transactionalConfigurationSetName,
    mailBookingsSender: c.bookingsSender,
    mailAdminCc: c.adminEmail,
    mailEventsTopicArn: mail.eventsTopicArn,
    ...(mail.eventHandlerFunctionName && { mailEventHandlerFunctionName: mail.eventHandlerFunctionName }),
    mailAlarmNames: mail.alarmNames,
    mailDnsRecords: mail.dnsRecords,
  };
}
