/**
 * Alias URNs as the Pulumi engine computes them, so the offline plan records what a real
 * `pulumi preview` would match a moved resource to.
 *
 * Source: pulumi/pulumi pkg/resource/deploy/step_generator.go — `collapseAliasToUrn` (an alias spec's
 * missing name/type/parent/stack/project default to the resource's own; a root-stack parent or
 * `noParent` means a top-level URN), `generateAliases` (the resource's own aliases, then the ones it
 * inherits from its parent's aliases) and `inheritedChildAlias` (a child named `${parent}-x` takes
 * the parent's old name as prefix). `generateSteps` then looks the resource up in the old state by
 * URN first and by each alias after: an alias found there is the same resource, updated in place.
 *
 * URNs are written as the plan writes them: the mock runtime's spelling (@pulumi/pulumi
 * runtime/mocks.ts `newUrn`: a child's type is prefixed by its parent's last type only, and top-level
 * resources by `pulumi:pulumi:Stack`), where the engine writes the parent's whole type chain and no
 * root stack. The two spellings name the same resources one to one; `planUrn` turns an engine URN
 * given in a program (`pulumi.createUrn`, a string alias) into the plan's.
 *
 * One difference, said plainly: the engine inherits only the alias its parent actually matched in
 * the old state; offline there is no old state, so a child inherits every alias its parent declares.
 * The diff (tools/plan/diff.ts) still takes the first URN or alias present in the base plan.
 */

/** An alias as the SDK sends it (runtime/resource.ts mapAliasesForRequest), resolved to strings. */
export interface AliasSpec {
  /** A full URN: used as is. */
  urn?: string;
  name?: string;
  type?: string;
  /** URN of the alias's parent; absent: the resource's own parent. */
  parentUrn?: string;
  /** `parent: undefined` given explicitly: the alias is a top-level resource. */
  noParent?: boolean;
  stack?: string;
  project?: string;
}

export interface AliasGoal {
  name: string;
  type: string;
  /** The resource's parent URN (the root stack's for top-level resources). */
  parentUrn?: string;
  stack: string;
  project: string;
}

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** `urn:pulumi:<stack>::<project>::<qualified type>::<name>` -> the qualified type (parent chain joined by `$`). */
export function qualifiedType(urn: string): string {
  return urn.split("::")[2] ?? "";
}

const lastType = (urn: string) => qualifiedType(urn).split("$").pop()!;
const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/** resource.CreateURN, spelled as the mock runtime spells URNs (see above). */
export function createUrn(name: string, type: string, parentUrn: string | undefined, project: string, stack: string): string {
  const parentType = parentUrn ? lastType(parentUrn) : ROOT_STACK_TYPE;
  return `urn:pulumi:${stack}::${project}::${parentType}$${type}::${name}`;
}

/** An engine-spelled URN (whole parent chain, no root stack) in the plan's spelling; plan URNs are returned unchanged. */
export function planUrn(urn: string): string {
  const parts = urn.split("::");
  if (parts.length < 4) return urn;
  const types = parts[2].split("$");
  const planType = types.length === 1 ? `${ROOT_STACK_TYPE}$${types[0]}` : types.slice(-2).join("$");
  return [parts[0], parts[1], planType, ...parts.slice(3)].join("::");
}

/** step_generator.go collapseAliasToUrn. */
export function collapseAlias(goal: AliasGoal, alias: AliasSpec, parentAliases: ReadonlyMap<string, string[]> = new Map()): string[] {
  if (alias.urn) return [planUrn(alias.urn)];
  const name = alias.name || goal.name;
  const type = alias.type || goal.type;
  const project = alias.project || goal.project;
  const stack = alias.stack || goal.stack;
  if (alias.noParent) return [createUrn(name, type, undefined, project, stack)]; // top level: the root stack's child
  const parent = alias.parentUrn ? planUrn(alias.parentUrn) : goal.parentUrn;
  // "If the parent used an alias then use its old URN here": the parent's aliases, else the parent.
  const parents = parent && parentAliases.get(parent)?.length && alias.parentUrn ? parentAliases.get(parent)! : [parent];
  return parents.map((p) => createUrn(name, type, p, project, stack));
}

/** step_generator.go inheritedChildAlias. */
function inheritedChildAlias(childType: string, childName: string, parentName: string, parentAlias: string, goal: AliasGoal): string {
  const aliasName = childName.startsWith(parentName) ? nameOf(parentAlias) + childName.slice(parentName.length) : childName;
  return createUrn(aliasName, childType, parentAlias, goal.project, goal.stack);
}

/** step_generator.go generateAliases: own aliases, then those inherited from the parent's aliases. */
export function generateAliases(goal: AliasGoal, aliases: AliasSpec[], parentAliases: ReadonlyMap<string, string[]>): string[] {
  const out = new Set<string>();
  const own = aliases.flatMap((a) => collapseAlias(goal, a, parentAliases));
  own.forEach((u) => out.add(u));
  const inherited = goal.parentUrn ? (parentAliases.get(goal.parentUrn) ?? []) : [];
  if (inherited.length) {
    const parentName = nameOf(goal.parentUrn!);
    for (const parentAlias of inherited) {
      out.add(inheritedChildAlias(goal.type, goal.name, parentName, parentAlias, goal));
      for (const urn of own) {
        out.add(inheritedChildAlias(lastType(urn), nameOf(urn), parentName, parentAlias, goal));
      }
    }
  }
  return [...out];
}
