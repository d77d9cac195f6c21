import type { PolicyResource } from "@pulumi/policy";
import { regionOf, whenKnown } from "../lib/inputs";
import { stackRule, StackView } from "../lib/policy";

/**
 * GuardDuty: an enabled detector in the stack that owns the account baseline, with the
 * protection plans the stack requires. Security Hub GuardDuty.1/.6/.10, Checkov CKV_AWS_238.
 * (Paid plans outside the allowed set: the billing family's paid-features-allowed.)
 */

const DETECTOR = "aws:guardduty/detector:Detector";
const FEATURE = "aws:guardduty/detectorFeature:DetectorFeature";

/**
 * Features of a detector: by property dependency on detectorId when the engine sends it, otherwise
 * the features in the detector's region (GuardDuty allows one detector per account and region).
 */
function featuresOf(stack: StackView, detector: PolicyResource): PolicyResource[] {
  return stack.ofType(FEATURE).filter((f) => {
    const deps = f.propertyDependencies?.detectorId ?? [];
    if (deps.length) return deps.some((d) => d.urn === detector.urn);
    return regionOf(f) === regionOf(detector);
  });
}

export const guarddutyEnabled = stackRule<{ required: boolean }>({
  name: "guardduty-enabled",
  description: "The stack that owns the account baseline has a GuardDuty detector, and no detector is switched off (Security Hub GuardDuty.1, Checkov CKV_AWS_238).",
  config: { properties: { required: { type: "boolean", description: "This stack must declare a detector (the account-baseline owner)." } }, defaults: { required: false } },
  validate(stack, config, report) {
    const detectors = stack.ofType(DETECTOR);
    if (config.required && !detectors.length) report("no GuardDuty detector in the stack that owns the account baseline");
    for (const d of detectors) if (whenKnown(() => d.props.enable === false, false)) report(`detector ${d.name} is disabled (enable false)`, d.urn);
  },
});

export const guarddutyProtectionPlans = stackRule<{ requiredFeatures: string[] }>({
  name: "guardduty-protection-plans",
  description: "Each detector enables the protection plans the stack requires, e.g. S3 Protection and Lambda Protection (Security Hub GuardDuty.10 S3_DATA_EVENTS, GuardDuty.6 LAMBDA_NETWORK_LOGS).",
  config: {
    properties: { requiredFeatures: { type: "array", items: { type: "string" }, uniqueItems: true, description: "Detector features that must be ENABLED." } },
    defaults: { requiredFeatures: [] },
  },
  validate(stack, config, report) {
    for (const d of stack.ofType(DETECTOR)) {
      const enabled = new Set(featuresOf(stack, d).filter((f) => whenKnown(() => f.props.status === "ENABLED", true)).map((f) => whenKnown(() => String(f.props.name), "")));
      const missing = config.requiredFeatures.filter((f) => !enabled.has(f));
      if (missing.length) report(`detector ${d.name} does not enable ${missing.join(", ")}`, d.urn);
    }
  },
});

export const guarddutyPolicies = [guarddutyEnabled, guarddutyProtectionPlans];
