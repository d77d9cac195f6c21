import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EDGE_REGION } from "../shared/regions";

/** A DNS record someone must create (when the zone is not managed here). */
export interface DnsRecord {
  name: string;
  type: string;
  value: string;
  /** Why the record exists. */
  purpose: string;
}

export interface EdgeCertificateArgs {
  /**
   * Host names on the certificate; the first is its subject, the rest are SANs. Required.
   * A plain list (not an Input): it decides how many validation records exist.
   */
  domainNames: string[];
  /** Route 53 hosted zone that holds the names: validation records are created there. Default unset (records are exported). */
  route53ZoneId?: string;
  /** ACM key algorithm. Default RSA_2048 (every client; CloudFront also serves EC_prime256v1). */
  keyAlgorithm?: pulumi.Input<string>;
}

/**
 * The ACM certificate CloudFront serves for the site's names: us-east-1 (CloudFront reads
 * certificates only there), DNS validation, certificate-transparency logging on.
 *
 * With a managed Route 53 zone the validation CNAMEs are created and the certificate is waited
 * for. Without one, the records are exposed as `validationRecords` for whoever runs the DNS, and
 * the validation resource waits (ACM's timeout) until they are published: see docs/edge.md for
 * the first deployment of a stack whose DNS lives elsewhere.
 */
export class EdgeCertificate extends pulumi.ComponentResource {
  /** ARN of the certificate, available once ACM has issued it. */
  public readonly certificateArn: pulumi.Output<string>;
  /** The CNAMEs ACM checks, one per distinct name. */
  public readonly validationRecords: pulumi.Output<DnsRecord[]>;

  constructor(name: string, args: EdgeCertificateArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mpto:edge:EdgeCertificate", name, {}, opts);
    if (args.domainNames.length === 0) throw new Error(`EdgeCertificate ${name}: domainNames must list at least one host name`);
    const [subject, ...alternatives] = args.domainNames;

    const certificate = new aws.acm.Certificate(
      `${name}-certificate`,
      {
        region: EDGE_REGION, // CloudFront only uses ACM certificates from us-east-1
        domainName: subject,
        subjectAlternativeNames: alternatives,
        validationMethod: "DNS", // renews automatically while the CNAMEs stay in place
        keyAlgorithm: args.keyAlgorithm ?? "RSA_2048",
        options: { certificateTransparencyLoggingPreference: "ENABLED" },
      },
      // Replacement is create-before-delete (Pulumi's default): the distribution moves to the new
      // certificate before the old one, still in use until then, is deleted.
      { parent: this },
    );

    this.validationRecords = certificate.domainValidationOptions.apply((options) =>
      dedupe(
        options.map((o) => ({
          name: o.resourceRecordName,
          type: o.resourceRecordType,
          value: o.resourceRecordValue,
          purpose: `ACM validation of ${o.domainName}`,
        })),
      ),
    );

    let validationRecordFqdns: pulumi.Output<string>[] | undefined;
    if (args.route53ZoneId) {
      validationRecordFqdns = args.domainNames.map((domainName, i) => {
        const option = certificate.domainValidationOptions.apply((options) => {
          const found = options.find((o) => o.domainName === domainName);
          if (!found) throw new Error(`ACM returned no validation option for ${domainName}`);
          return found;
        });
        const record = new aws.route53.Record(
          `${name}-validation-${i}`,
          {
            zoneId: args.route53ZoneId!,
            name: option.resourceRecordName,
            type: option.resourceRecordType,
            records: [option.resourceRecordValue],
            ttl: 300,
            // Apex and www can share one validation record name; the second write is the same value.
            allowOverwrite: true,
          },
          { parent: this },
        );
        return record.fqdn;
      });
    }

    const validation = new aws.acm.CertificateValidation(
      `${name}-validation`,
      { region: EDGE_REGION, certificateArn: certificate.arn, validationRecordFqdns },
      { parent: this, customTimeouts: { create: "75m" } },
    );

    this.certificateArn = validation.certificateArn;
    this.registerOutputs({ certificateArn: this.certificateArn, validationRecords: this.validationRecords });
  }
}

function dedupe(records: DnsRecord[]): DnsRecord[] {
  const seen = new Set<string>();
  return records.filter((r) => {
    const key = `${r.name}|${r.type}|${r.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
