import type { StackConfig } from "./config";

/**
 * Tag keys every taggable resource must carry. At most 6, so that AWS Security Hub's
 * resource-tagging controls (parameter `requiredTagKeys`, max 6 keys) can mirror this policy.
 */
export const REQUIRED_TAG_KEYS = ["Project", "Environment", "Owner", "CostCenter", "ManagedBy"] as const;
export type RequiredTags = Record<(typeof REQUIRED_TAG_KEYS)[number], string>;

/** The tags both AWS providers apply to everything they create (`defaultTags`). */
export function requiredTags(config: Pick<StackConfig, "environment" | "owner" | "costCenter">, project: string): RequiredTags {
  return {
    Project: project,
    Environment: config.environment,
    Owner: config.owner,
    CostCenter: config.costCenter,
    ManagedBy: "pulumi",
  };
}
