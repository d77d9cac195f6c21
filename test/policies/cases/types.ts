import type { StackResourceSpec } from "../../support/policies";

/**
 * One tier-1 case of a policy: a resource (resource policies) or a set of resources (stack
 * policies), the config it runs with, and what must come out. `families.spec.ts` runs every case;
 * `coverage.spec.ts` checks that each policy has passing and failing cases and that each rule ID
 * the coverage table marks as covered has a failing case naming it.
 */
export interface PolicyCase {
  policy: string;
  /** Reads like a specification: "passes a distribution that ...", "fails when ...". */
  title: string;
  /** Resource policies: the resource's type and props. */
  type?: string;
  props?: Record<string, unknown>;
  /** Provider region of the resource (default eu-west-2). */
  providerRegion?: string;
  /** Stack policies: the stack's resources. */
  resources?: StackResourceSpec[];
  /** Stack config the pack sees (PULUMI_CONFIG), e.g. the stack's budget. */
  stackConfig?: Record<string, string>;
  /** Policy config overrides (schema defaults apply underneath). */
  config?: Record<string, unknown>;
  /** "pass": no violation; otherwise every pattern must match a violation message. */
  expect: "pass" | RegExp | RegExp[];
  /** Exactly this many violations (failing cases; optional). */
  count?: number;
  /** Rule IDs a failing case demonstrates (as in the coverage table). */
  rules?: string[];
}

export type CaseFamily = { family: string; cases: PolicyCase[] };
