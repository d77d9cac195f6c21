import { SES_PAUSE_LEVELS, SES_REVIEW_LEVELS } from "../../components/mail/deliverability";
import { fields } from "./field";

/** The SES sending domain, its addresses, DMARC and deliverability alarms. */
export const mailFields = {
  mailDomain: fields.hostname({ description: "Domain SES sends from (DKIM, SPF and DMARC are set up for it)." }),
  bookingsSender: fields.email({ description: "From address of booking confirmations; must be on the mail domain." }),
  adminEmail: fields.email({ description: "Address copied (CC) on every booking confirmation." }),
  mailFromSubdomain: fields.text({
    description: "Label of the custom MAIL FROM subdomain (bounce address, MX + SPF), e.g. mail -> mail.<mailDomain>; never used to receive mail. Default mail.",
    expected: "one DNS label such as mail or bounce (a-z, 0-9, '-')",
    pattern: /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
    default: "mail",
  }),
  dmarcPolicy: fields.oneOf(["none", "quarantine", "reject"], {
    description: "DMARC policy (p=) of the mail domain: start with none and read the reports, then quarantine, then reject. Default none.",
    default: "none",
  }),
  dmarcReportEmail: fields.email({
    description: "Address receiving DMARC aggregate reports (rua); outside the mail domain's organisation it needs an authorisation record there. Default adminEmail.",
    required: false,
  }),
  bounceRateAlarmThreshold: fields.decimal({
    description: `Account bounce rate (fraction) that raises the deliverability warning; AWS reviews at ${SES_REVIEW_LEVELS.bounceRate} and may pause at ${SES_PAUSE_LEVELS.bounceRate}. Default 0.02.`,
    min: 0.001,
    max: 0.04,
    default: 0.02,
  }),
  complaintRateAlarmThreshold: fields.decimal({
    description: `Account complaint rate (fraction) that raises the deliverability warning; AWS reviews at ${SES_REVIEW_LEVELS.complaintRate} and may pause at ${SES_PAUSE_LEVELS.complaintRate}. Default 0.0005.`,
    min: 0.0001,
    max: 0.0008,
    default: 0.0005,
  }),
  mailConfigurationSetSuffix: fields.text({
    description: "Suffix of the configuration set names (mpto-transactional<suffix>, mpto-marketing<suffix>), which are unique per account and region: set it on every stack but one that shares an AWS account. Default none.",
    expected: "a suffix such as -dev ('-' then a-z, 0-9, '-'; at most 21 characters)",
    pattern: /^-[a-z0-9][a-z0-9-]{0,19}$/,
    required: false,
  }),
  marketingConfigurationSet: fields.boolean({
    description: "Also create the mpto-marketing configuration set for campaigns (same TLS, suppression and event publishing). Default false.",
    default: false,
  }),
};
