/**
 * What a rule function (policies/rules/*.ts) returns: the problems it found, each naming the input
 * it concerns in the rule's own vocabulary, so that every caller can map it back to its own names
 * (config keys for stacks/config, args for a component, resource properties for the pack).
 * pulumi-awsx's `validateVpcArgs` style: plain values in, problems out, no Pulumi runtime.
 */
export interface RuleProblem<F extends string = string> {
  /** The rule's name for the input that must change. */
  field: F;
  /** What a valid value is, as a phrase after "expected" (it names other inputs through the caller's vocabulary). */
  expected: string;
}

/**
 * How a caller names a rule's inputs and spells AWS's constant values in the messages: stack config
 * says `userPoolFeaturePlan plus`, a component `featurePlan PLUS`, the pack `userPoolTier PLUS`.
 * Both default to the rule's own names and AWS's spelling.
 */
export interface Vocabulary<F extends string> {
  name?: (field: F) => string;
  spell?: (awsValue: string) => string;
}

/** The naming functions of a vocabulary, with their defaults. */
export function words<F extends string>(v: Vocabulary<F> = {}): { name: (field: F) => string; spell: (awsValue: string) => string } {
  return { name: v.name ?? ((f) => f), spell: v.spell ?? ((s) => s) };
}

/** A component's error for the problems a rule found: one line naming each arg, e.g. `UserPool identity: callbackUrls: expected ...`. */
export function describeProblems<F extends string>(component: string, problems: readonly RuleProblem<F>[], name: (field: F) => string = (f) => f): string {
  return `${component}: ${problems.map((p) => `${name(p.field)}: expected ${p.expected}`).join("; ")}`;
}
