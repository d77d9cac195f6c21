import { list } from "../lib/inputs";
import { resourceRule } from "../lib/policy";

/**
 * ACM certificates: DNS validation (renews itself), a strong key, no wildcard names.
 * Security Hub ACM.2 (RSA keys of at least 2048 bits), Checkov CKV2_AWS_71 (wildcard domain).
 * (These IDs come from the catalogues, not from the reference's excerpt of them.)
 */

const STRONG_KEYS = ["RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1"];

export const acmCertificate = resourceRule<{ allowWildcards: boolean }>({
  name: "acm-certificate",
  description: "ACM certificates validate by DNS (automatic renewal), use RSA >= 2048 or ECDSA keys and name no wildcard domains unless allowed (Security Hub ACM.2, Checkov CKV2_AWS_71).",
  types: ["aws:acm/certificate:Certificate"],
  config: { properties: { allowWildcards: { type: "boolean", description: "Allow *.domain names." } }, defaults: { allowWildcards: false } },
  validate(props, { config }, report) {
    if (props.certificateBody || props.privateKey) return; // imported certificate: not issued by ACM
    if (props.validationMethod !== "DNS") report(`validationMethod is ${props.validationMethod ?? "unset"}: use DNS, which ACM renews without anyone clicking an email`);
    const key = props.keyAlgorithm ?? "RSA_2048";
    if (!STRONG_KEYS.includes(key)) report(`keyAlgorithm ${key} is weaker than RSA_2048`);
    if (!config.allowWildcards) {
      const wildcards = [props.domainName, ...list<string>(props.subjectAlternativeNames)].filter((n) => typeof n === "string" && n.startsWith("*."));
      if (wildcards.length) report(`wildcard names ${wildcards.join(", ")}: one leaked key serves every subdomain`);
    }
  },
});

export const acmPolicies = [acmCertificate];
