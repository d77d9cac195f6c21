/**
 * GuardDuty detector features AccountBaseline manages (those not enabled are declared DISABLED),
 * shared with the config schema. Plain constants: no Pulumi or SDK import.
 */
export const MANAGED_GUARDDUTY_FEATURES = ["S3_DATA_EVENTS", "LAMBDA_NETWORK_LOGS", "EBS_MALWARE_PROTECTION", "RDS_LOGIN_EVENTS", "EKS_AUDIT_LOGS", "RUNTIME_MONITORING"] as const;
export type ManagedGuardDutyFeature = (typeof MANAGED_GUARDDUTY_FEATURES)[number];
