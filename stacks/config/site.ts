import { fields } from "../../components/shared/configField";

/** The site's names and where its pages come from. */
export const siteFields = {
  apexDomain: fields.hostname({ description: "Apex domain of the site, e.g. myprivatetutoronline.com." }),
  siteHostnames: fields.hostnames({
    description: "Host names CloudFront serves the site on; each is the apex domain or one of its subdomains.",
    minItems: 1,
  }),
  vercelOriginHostname: fields.hostname({
    description: "Host name of the Vercel deployment CloudFront forwards to (the project's production domain on Vercel).",
  }),
  route53ZoneId: fields.text({
    description: "Route 53 hosted zone id of the apex domain when the zone is managed in this account; unset means DNS records are exported for manual creation.",
    expected: "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ",
    pattern: /^Z[A-Z0-9]{4,32}$/,
    required: false,
  }),
};
