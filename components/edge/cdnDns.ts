import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { CdnArgs } from "./Cdn";
import type { DnsRecord } from "./EdgeCertificate";

/**
 * A Cdn's host names: A and AAAA alias records in Route 53 when the zone is managed here (children
 * of the Cdn), else the records to create by hand (ACM validation first; ALIAS for the apex, where
 * a CNAME is not allowed). Returns the records to export (none when Route 53 has them).
 */
export function cdnDns(
  parent: pulumi.Resource,
  name: string,
  args: Pick<CdnArgs, "domainNames" | "route53ZoneId" | "apexDomain">,
  distribution: aws.cloudfront.Distribution,
  validationRecords: pulumi.Output<DnsRecord[]>,
): pulumi.Output<DnsRecord[]> {
  const opts = { parent };
  if (args.route53ZoneId) {
    args.domainNames.forEach((host, i) => {
      for (const type of ["A", "AAAA"]) {
        new aws.route53.Record(
          `${name}-alias-${i}-${type.toLowerCase()}`,
          { zoneId: args.route53ZoneId!, name: host, type, aliases: [{ name: distribution.domainName, zoneId: distribution.hostedZoneId, evaluateTargetHealth: false }] },
          opts,
        );
      }
    });
  }
  return args.route53ZoneId
    ? pulumi.output([] as DnsRecord[])
    : pulumi.all([distribution.domainName, validationRecords]).apply(([target, validation]) => [
        ...validation,
        ...args.domainNames.map((host) => ({
          name: host,
          type: host === args.apexDomain ? "ALIAS" : "CNAME",
          value: target,
          purpose: host === args.apexDomain ? "apex to CloudFront (ALIAS/ANAME at the DNS host; a CNAME is not allowed at the apex)" : "site to CloudFront",
        })),
      ]);
}
