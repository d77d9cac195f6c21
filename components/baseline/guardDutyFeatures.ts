/**
 * GuardDuty detector features AccountBaseline manages (those not enabled are declared DISABLED),
 * shared with the config schema. Plain constants: no Pulumi or SDK import.
 */
export const MANAGED_GUARDDUTY_FEATURES = ["S3_DATA_EVENTS", "LAMBDA_NETWORK_LOGS", "EBS_MALWARE_PROTECTION", "RDS_LOGIN_EVENTS", "EKS_AUDIT_LOGS", "RUNTIME_MONITORING"] as const;
export type ManagedGuardDutyFeature = (typeof MANAGED_GUARDDUTY_FEATURES)[number];

/**
 * Additional configurations GuardDuty reports for a feature (GetDetector `Features[].AdditionalConfiguration`;
 * API reference DetectorAdditionalConfiguration / FeatureAdditionalConfiguration). The provider's
 * `additional_configuration` is Optional but not Computed (terraform-provider-aws
 * internal/service/guardduty/detector_feature.go): left out, the read-back values show as a change on
 * every update. So each is declared, with the feature's status.
 */
export const GUARDDUTY_ADDITIONAL_CONFIGURATIONS: Partial<Record<string, readonly string[]>> = {
  RUNTIME_MONITORING: ["EKS_ADDON_MANAGEMENT", "ECS_FARGATE_AGENT_MANAGEMENT", "EC2_AGENT_MANAGEMENT"],
  EKS_RUNTIME_MONITORING: ["EKS_ADDON_MANAGEMENT"],
};
