import { list, resourceRule } from "../lib/kit";

/**
 * SES v2: configuration sets that require TLS, suppress bounces and complaints and track
 * reputation; domain identities with 2048-bit Easy DKIM and a default configuration set.
 * Checkov CKV_AWS_365, AWS Config ses-sending-tls-required; Security Hub has only tagging controls
 * for SES (SES.1/SES.2: covered by required-tags).
 */

const CONFIGURATION_SET = "aws:sesv2/configurationSet:ConfigurationSet";
const EMAIL_IDENTITY = "aws:sesv2/emailIdentity:EmailIdentity";

export const sesConfigurationSetTls = resourceRule({
  name: "ses-configuration-set-tls",
  description: "SES configuration sets require TLS to the receiving server (deliveryOptions.tlsPolicy REQUIRE) (Checkov CKV_AWS_365, AWS Config ses-sending-tls-required).",
  types: [CONFIGURATION_SET],
  validate(props, _ctx, report) {
    const policy = props.deliveryOptions?.tlsPolicy ?? "OPTIONAL";
    if (policy !== "REQUIRE") report(`deliveryOptions.tlsPolicy is ${policy}: mail may travel unencrypted; set REQUIRE`);
  },
});

export const sesConfigurationSetReputation = resourceRule<{ requiredSuppressedReasons: string[] }>({
  name: "ses-configuration-set-reputation",
  description: "SES configuration sets suppress addresses that bounced or complained and publish reputation metrics, so the account stays below the bounce/complaint levels where AWS pauses sending (design default; no catalogue rule).",
  types: [CONFIGURATION_SET],
  config: {
    properties: { requiredSuppressedReasons: { type: "array", items: { type: "string", enum: ["BOUNCE", "COMPLAINT"] }, description: "Reasons the set must suppress." } },
    defaults: { requiredSuppressedReasons: ["BOUNCE", "COMPLAINT"] },
  },
  validate(props, { config }, report) {
    const reasons = list<string>(props.suppressionOptions?.suppressedReasons);
    const missing = config.requiredSuppressedReasons.filter((r) => !reasons.includes(r));
    if (missing.length) report(`suppressionOptions.suppressedReasons lacks ${missing.join(", ")}: SES keeps sending to addresses that ${missing.map((m) => m.toLowerCase()).join("/")}d`);
    if (props.reputationOptions?.reputationMetricsEnabled !== true) report("reputationOptions.reputationMetricsEnabled is not true: bounce and complaint rates go unmeasured");
  },
});

export const sesIdentityDkim = resourceRule({
  name: "ses-identity-dkim",
  description: "SES domain identities sign with 2048-bit Easy DKIM (or BYODKIM) and send through a default configuration set, so every message gets its TLS and suppression rules (design default; no catalogue rule).",
  types: [EMAIL_IDENTITY],
  validate(props, _ctx, report) {
    const identity = String(props.emailIdentity ?? "");
    if (identity.includes("@")) return; // address identities inherit the domain's DKIM
    const dkim = props.dkimSigningAttributes ?? {};
    if (!dkim.domainSigningPrivateKey && dkim.nextSigningKeyLength !== undefined && dkim.nextSigningKeyLength !== "RSA_2048_BIT") report(`dkimSigningAttributes.nextSigningKeyLength is ${dkim.nextSigningKeyLength}; use RSA_2048_BIT`);
    if (!dkim.domainSigningPrivateKey && dkim.nextSigningKeyLength === undefined) report("dkimSigningAttributes.nextSigningKeyLength is unset; declare RSA_2048_BIT so the key length is explicit and reviewed");
    if (!props.configurationSetName) report("no default configurationSetName: mail sent without naming a set skips its TLS and suppression settings");
  },
});

export const sesv2Policies = [sesConfigurationSetTls, sesConfigurationSetReputation, sesIdentityDkim];
