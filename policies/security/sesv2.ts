import { objects, strings } from "../lib/inputs";
import { resourceRule } from "../lib/policy";

/**
 * SES v2: configuration sets that require TLS, suppress bounces and complaints and track
 * reputation; domain identities with 2048-bit Easy DKIM and a default configuration set.
 * Checkov CKV_AWS_365, AWS Config ses-sending-tls-required; Security Hub has only tagging controls
 * for SES (SES.1/SES.2: covered by required-tags).
 */

const CONFIGURATION_SET = "aws:sesv2/configurationSet:ConfigurationSet";
/** SES v1 configuration set: same TLS and reputation settings, shaped differently (tlsPolicy "Require", reputationMetricsEnabled at the top). */
const V1_CONFIGURATION_SET = "aws:ses/configurationSet:ConfigurationSet";
const EMAIL_IDENTITY = "aws:sesv2/emailIdentity:EmailIdentity";

export const sesConfigurationSetTls = resourceRule({
  name: "ses-configuration-set-tls",
  description: "SES configuration sets, v1 and v2, require TLS to the receiving server (deliveryOptions.tlsPolicy REQUIRE / Require) (Checkov CKV_AWS_365, AWS Config ses-sending-tls-required).",
  types: [CONFIGURATION_SET, V1_CONFIGURATION_SET],
  validate(props, { type }, report) {
    // v2: deliveryOptions { tlsPolicy: REQUIRE | OPTIONAL }; v1 (the resource Checkov's CKV_AWS_365
    // judges, aws_ses_configuration_set): deliveryOptions { tlsPolicy: Require | Optional }, a list block in the bridged schema.
    const options = objects(props.deliveryOptions)[0];
    const policy = options?.tlsPolicy ?? (type === V1_CONFIGURATION_SET ? "Optional" : "OPTIONAL");
    if (String(policy).toUpperCase() !== "REQUIRE") report(`deliveryOptions.tlsPolicy is ${String(policy)}: mail may travel unencrypted; set ${type === V1_CONFIGURATION_SET ? "Require" : "REQUIRE"}`);
  },
});

export const sesConfigurationSetReputation = resourceRule<{ requiredSuppressedReasons: string[] }>({
  name: "ses-configuration-set-reputation",
  description: "SES configuration sets suppress addresses that bounced or complained and publish reputation metrics, so the account stays below the bounce/complaint levels where AWS pauses sending (design default; no catalogue rule).",
  types: [CONFIGURATION_SET, V1_CONFIGURATION_SET],
  config: {
    properties: { requiredSuppressedReasons: { type: "array", items: { type: "string", enum: ["BOUNCE", "COMPLAINT"] }, description: "Reasons the set must suppress." } },
    defaults: { requiredSuppressedReasons: ["BOUNCE", "COMPLAINT"] },
  },
  validate(props, { type, config }, report) {
    if (type === V1_CONFIGURATION_SET) {
      // The v1 API has no per-set suppression; the account-level suppression list (BOUNCE and
      // COMPLAINT by default) applies to it. Reputation metrics are a top-level flag.
      if (props.reputationMetricsEnabled !== true) report("reputationMetricsEnabled is not true: bounce and complaint rates go unmeasured");
      if (props.sendingEnabled === false) report("sendingEnabled is false: mail sent through this set is refused");
      return;
    }
    const reasons = strings(objects(props.suppressionOptions)[0]?.suppressedReasons);
    const missing = config.requiredSuppressedReasons.filter((r) => !reasons.includes(r));
    if (missing.length) report(`suppressionOptions.suppressedReasons lacks ${missing.join(", ")}: SES keeps sending to addresses that ${missing.map((m) => m.toLowerCase()).join("/")}d`);
    if (objects(props.reputationOptions)[0]?.reputationMetricsEnabled !== true) report("reputationOptions.reputationMetricsEnabled is not true: bounce and complaint rates go unmeasured");
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
