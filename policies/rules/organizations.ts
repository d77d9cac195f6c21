/**
 * Rules about AWS Organizations that the org program, its component and the policy pack share.
 * Pure: no Pulumi runtime, no npm imports (the pack stays self-contained).
 */

/** AWS's hard limit on an SCP document, in characters (docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html, "Maximum size of policy documents"). */
export const SCP_MAX_CHARACTERS = 5120;

/** Why AWS would refuse this SCP content for its size, or undefined. AWS counts every character, whitespace included. */
export function scpSizeProblem(content: string): string | undefined {
  return content.length > SCP_MAX_CHARACTERS ? `is ${content.length} characters; AWS accepts at most ${SCP_MAX_CHARACTERS}` : undefined;
}

/** A plus-addressed root email: each account needs a globally unique one (orgs_manage_accounts_create.html). */
export function plusAddress(baseEmail: string, tag: string): string {
  const at = baseEmail.lastIndexOf("@");
  if (at < 1) throw new Error(`'${baseEmail}' is not an email address`);
  const local = baseEmail.slice(0, at).split("+")[0];
  return `${local}+${tag}@${baseEmail.slice(at + 1)}`;
}
