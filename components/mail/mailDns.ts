import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** One DNS record the mail domain needs. */
export interface MailDnsRecord {
  /** Fully qualified name, without the trailing dot. */
  name: string;
  type: "CNAME" | "MX" | "TXT";
  /** The record value as entered in a DNS console (TXT without surrounding quotes). */
  value: string;
  ttl: number;
  /** Why the record exists. */
  purpose: string;
}

/** What the mail domain's records are made from. */
export interface MailDnsInputs {
  domain: pulumi.Output<string>;
  mailFromDomain: pulumi.Output<string>;
  /** The SES region: the MAIL FROM MX points at its feedback endpoint. */
  region: pulumi.Output<string>;
  /** The identity's three Easy DKIM tokens. */
  dkimTokens: pulumi.Output<string[]>;
  ttl: number;
  dmarcPolicy: pulumi.Input<"none" | "quarantine" | "reject">;
  dmarcReportEmail?: pulumi.Input<string>;
  /** Route 53 zone to create the records in (children of `parent`). Default none: only exported. */
  route53ZoneId?: pulumi.Input<string>;
}

/**
 * The records a MailDomain needs (three DKIM CNAMEs, the MAIL FROM MX and SPF, DMARC), created in
 * Route 53 as children of the MailDomain when the zone is given; returned either way, to export.
 */
export function mailDnsRecords(parent: pulumi.Resource, name: string, inputs: MailDnsInputs): pulumi.Output<MailDnsRecord[]> {
  const { domain, mailFromDomain, region, ttl, route53ZoneId } = inputs;
  const tokens = inputs.dkimTokens;
  const dkimRecords = [0, 1, 2].map((i) =>
    pulumi
      .all([tokens, domain])
      .apply(([t, d]): MailDnsRecord => ({ name: `${t[i]}._domainkey.${d}`, type: "CNAME", value: `${t[i]}.dkim.amazonses.com`, ttl, purpose: `Easy DKIM key ${i + 1} of 3` })),
  );
  const mxRecord = pulumi
    .all([mailFromDomain, region])
    .apply(([m, r]): MailDnsRecord => ({ name: m, type: "MX", value: `10 feedback-smtp.${r}.amazonses.com`, ttl, purpose: "custom MAIL FROM: where receivers send bounces" }));
  const spfRecord = mailFromDomain.apply((m): MailDnsRecord => ({
    name: m,
    type: "TXT",
    value: "v=spf1 include:amazonses.com ~all",
    ttl,
    purpose: "SPF of the MAIL FROM domain (aligns with the From domain under relaxed DMARC)",
  }));
  const dmarcRecord = pulumi
    .all([domain, inputs.dmarcPolicy, inputs.dmarcReportEmail])
    .apply(([d, policy, rua]): MailDnsRecord => ({ name: `_dmarc.${d}`, type: "TXT", value: dmarcValue(policy, rua), ttl, purpose: "DMARC policy and aggregate reports" }));
  const records = [...dkimRecords, mxRecord, spfRecord, dmarcRecord];

  if (route53ZoneId !== undefined) {
    const roles = ["dkim-1", "dkim-2", "dkim-3", "mail-from-mx", "mail-from-spf", "dmarc"];
    records.forEach((record, i) => {
      new aws.route53.Record(
        `${name}-${roles[i]}`,
        {
          zoneId: route53ZoneId,
          name: record.name,
          type: record.type,
          ttl: record.ttl,
          records: [record.value],
        },
        { parent },
      );
    });
  }
  return pulumi.all(records);
}

/** The DMARC record value: relaxed alignment (MAIL FROM is a subdomain), reports when an address is given. */
export function dmarcValue(policy: string, reportEmail?: string): string {
  if (!["none", "quarantine", "reject"].includes(policy)) throw new Error(`DMARC policy must be none, quarantine or reject, not ${JSON.stringify(policy)}`);
  // ';', '!', ',' and spaces would change the record's meaning (RFC 7489 §6.4 tag syntax).
  if (reportEmail !== undefined && !/^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(reportEmail))
    throw new Error("the DMARC report address must be a plain email address");
  const parts = ["v=DMARC1", `p=${policy}`];
  if (reportEmail) parts.push(`rua=mailto:${reportEmail}`);
  parts.push("adkim=r", "aspf=r");
  return parts.join("; ");
}
