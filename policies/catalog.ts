import type { Policies } from "@pulumi/policy";
import { tagPolicies } from "./tags/requiredTags";

/**
 * Every policy of the pack, by family. `index.ts` only constructs the pack from this list, so
 * tests can import policies without starting a gRPC server.
 */
export const policies: Policies = [...tagPolicies];
