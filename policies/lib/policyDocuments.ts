import { list, strings, whenKnown } from "./inputs";

/**
 * Policy documents (IAM identity policies; bucket, topic, queue and key resource policies): reading
 * them without throwing, their principals, actions and resources, the scoping conditions that make
 * a "*" principal safe (judged by value), and the accounts a policy may call its own.
 */

export interface Statement {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** Statements of a policy document given as JSON text or an object; `undefined` when absent or unreadable. */
export function statementsOf(document: unknown): Statement[] | undefined {
  const read = readDocument(document);
  return read.absent || read.problem ? undefined : read.statements;
}

/** A policy document, read without throwing: its well-formed statements, or why it cannot be judged. */
export interface ReadDocument {
  absent: boolean;
  statements: Statement[];
  /** Set when the document is present but not a policy a policy can judge (not JSON, no Statement, malformed statements). */
  problem?: string;
}

export function readDocument(document: unknown): ReadDocument {
  if (document === undefined || document === null || document === "") return { absent: true, statements: [] };
  let parsed: unknown = document;
  if (typeof document === "string") {
    try {
      parsed = JSON.parse(document);
    } catch {
      return { absent: false, statements: [], problem: "the policy document is not valid JSON" };
    }
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return { absent: false, statements: [], problem: "the policy document is not a JSON object" };
  const statement = (parsed as { Statement?: unknown }).Statement;
  if (statement === undefined || statement === null) return { absent: false, statements: [], problem: "the policy document has no Statement" };
  const all = list(statement);
  const statements = all.filter((s): s is Statement => s !== null && typeof s === "object" && !Array.isArray(s));
  if (statements.length !== all.length) return { absent: false, statements, problem: `${all.length - statements.length} statement(s) are not objects` };
  return { absent: false, statements: statements.map(normaliseStatement) };
}

/** Statement fields with the shapes IAM accepts; anything else is made visible (wrong-typed fields become "*", which judges strictest). */
function normaliseStatement(s: Statement): Statement {
  const out: Statement = { ...s };
  for (const key of ["Action", "NotAction", "Resource", "NotResource"] as const) {
    const value = s[key];
    if (value === undefined) continue;
    const items = list(value);
    out[key] = items.every((v) => typeof v === "string") ? (items as string[]) : ["*"];
  }
  if (s.Condition !== undefined && (s.Condition === null || typeof s.Condition !== "object" || Array.isArray(s.Condition))) out.Condition = {};
  if (typeof s.Effect !== "string") out.Effect = String(s.Effect);
  if (s.Sid !== undefined && typeof s.Sid !== "string") out.Sid = JSON.stringify(s.Sid);
  return out;
}

/** True when the principal is anyone: "*" or {AWS: "*"} (also inside lists). */
export function isAnyonePrincipal(principal: unknown): boolean {
  if (principal === "*") return true;
  if (principal && typeof principal === "object") {
    const aws = (principal as { AWS?: unknown }).AWS;
    return list(aws).includes("*");
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Scoping conditions, judged by value (issue 14, class 2). IAM JSON policy reference, "Condition
// operators" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html):
//  - String*Like and Arn* (ArnEquals too) honour the * and ? wildcards; StringEquals compares literally;
//  - the ...IfExists forms evaluate true when the key is absent (a request without the key passes);
//  - negated operators (StringNotEquals, ArnNotLike, ...) admit everything but the listed values;
//  - ForAllValues: is true when the request has no values for the key;
//  - several values of one key are ORed, so each value must be a scope of its own.
// Global condition keys (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html):
// aws:SourceAccount / aws:SourceArn / aws:SourceOrgID name the resource a service acts for (the
// confused-deputy guard); aws:PrincipalAccount / PrincipalArn / PrincipalOrgID name the caller.
// kms:ViaService only says which service forwarded the request, from any account: it scopes nothing
// without kms:CallerAccount (AWS KMS Developer Guide, "kms:ViaService").

const ACCOUNT_KEYS = ["aws:sourceaccount", "aws:principalaccount", "aws:sourceowner", "aws:resourceaccount", "kms:calleraccount"];
const ARN_KEYS = ["aws:sourcearn", "aws:principalarn"];
const ORG_ID_KEYS = ["aws:principalorgid", "aws:sourceorgid", "aws:resourceorgid"];
const ORG_PATH_KEYS = ["aws:principalorgpaths", "aws:sourceorgpaths", "aws:resourceorgpaths"];
const ID_KEYS: Record<string, RegExp> = {
  "aws:sourcevpc": /^vpc-[0-9a-f]{8,17}$/,
  "aws:sourcevpce": /^vpce-[0-9a-f]{8,17}$/,
  "aws:userid": /^[A-Z0-9]{16,128}(:[^*?]*[^:*?]+|:\*)?$/,
};

/** Accounts a policy may name as its own (the resource's, the stack's, the provider's allowedAccountIds). */
export type OwnAccounts = ReadonlySet<string>;

export interface ConditionScope {
  operator: string;
  key: string;
  values: string[];
  /** Why this condition does not scope the statement, or undefined when it does. */
  problem?: string;
}

function operatorProblem(operator: string): { problem?: string; wildcards: boolean } {
  let op = operator;
  if (/^ForAllValues:/i.test(op)) return { problem: `${operator} is true when the request has no value for the key`, wildcards: true };
  op = op.replace(/^ForAnyValue:/i, "");
  if (/IfExists$/i.test(op)) return { problem: `${operator} is true when the request carries no such key`, wildcards: true };
  if (/Not/i.test(op)) return { problem: `${operator} admits every value but the listed ones`, wildcards: true };
  if (/^(StringEquals|StringEqualsIgnoreCase)$/i.test(op)) return { wildcards: false };
  if (/^(StringLike|ArnEquals|ArnLike)$/i.test(op)) return { wildcards: true };
  return { problem: `${operator} is not an equality test`, wildcards: true };
}

const hasWildcard = (v: string) => /[*?]/.test(v);

function valueProblem(key: string, value: unknown, wildcards: boolean, own: OwnAccounts | undefined): string | undefined {
  if (typeof value !== "string" || value === "") return `value ${JSON.stringify(value)} is not a string`;
  const shown = `'${value.slice(0, 80)}'`;
  if (ACCOUNT_KEYS.includes(key)) {
    if (!/^\d{12}$/.test(value)) return `${shown} is not one account id${hasWildcard(value) && wildcards ? " (a wildcard matches every account)" : ""}`;
    if (own && own.size && !own.has(value)) return `${shown} is another account than this stack's (${[...own].join(", ")})`;
    return undefined;
  }
  if (ARN_KEYS.includes(key)) {
    const m = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):(.+)$/.exec(value);
    if (!m) return `${shown} is not an ARN`;
    const [, partition, service, , account, resource] = m;
    if (wildcards && (hasWildcard(partition) || hasWildcard(service))) return `${shown} has a wildcard in its partition or service`;
    if (account === "" && service === "s3") return wildcards && hasWildcard(resource.split("/")[0]) ? `${shown} has a wildcard in the bucket name` : undefined;
    if (wildcards && hasWildcard(account)) return `${shown} has a wildcard in its account (matches every account)`;
    if (!/^\d{12}$/.test(account)) return `${shown} names no account`;
    if (own && own.size && !own.has(account)) return `${shown} is in another account than this stack's (${[...own].join(", ")})`;
    return undefined;
  }
  if (ORG_ID_KEYS.includes(key)) return /^o-[a-z0-9]{10,32}$/.test(value) ? undefined : `${shown} is not one organization id`;
  if (ORG_PATH_KEYS.includes(key)) return /^o-[a-z0-9]{10,32}\//.test(value) ? undefined : `${shown} does not start with a concrete organization id`;
  const pattern = ID_KEYS[key];
  if (pattern) return pattern.test(value) ? undefined : `${shown} is not one ${key.split(":")[1]} id`;
  return `${key} is not a scoping key`;
}

const SCOPING_KEYS = [...ACCOUNT_KEYS, ...ARN_KEYS, ...ORG_ID_KEYS, ...ORG_PATH_KEYS, ...Object.keys(ID_KEYS)];

/** The statement's conditions on scoping keys, each with the reason it does not scope (if any). */
export function conditionScopes(statement: Statement, own?: OwnAccounts): ConditionScope[] {
  const out: ConditionScope[] = [];
  const condition = statement.Condition;
  if (!condition || typeof condition !== "object") return out;
  for (const [operator, operands] of Object.entries(condition)) {
    if (!operands || typeof operands !== "object" || Array.isArray(operands)) continue;
    const { problem: opProblem, wildcards } = operatorProblem(operator);
    for (const [rawKey, rawValue] of Object.entries(operands)) {
      const key = rawKey.toLowerCase();
      if (!SCOPING_KEYS.includes(key)) continue;
      const values = list(rawValue);
      let problem = opProblem;
      if (!problem && !values.length) problem = "no values";
      if (!problem) problem = values.map((v) => valueProblem(key, v, wildcards, own)).find((p) => p !== undefined);
      out.push({ operator, key: rawKey, values: values.map((v) => String(v)), problem });
    }
  }
  return out;
}

/** Whether an Allow statement's condition limits who can use it (so "*" is not public): one scoping condition whose every value is a concrete id of ours. */
export function isScopedByCondition(statement: Statement, own?: OwnAccounts): boolean {
  return conditionScopes(statement, own).some((c) => c.problem === undefined);
}

/** Why a statement's scoping conditions fail, for messages ("" when it has none). */
export function scopeProblems(statement: Statement, own?: OwnAccounts): string {
  const problems = conditionScopes(statement, own).filter((c) => c.problem);
  return problems.length ? ` (${problems.map((c) => `${c.operator} ${c.key}: ${c.problem}`).join("; ")})` : "";
}

/** Allow statements open to anyone (no principal restriction and no scoping condition). */
export function publicAllowStatements(statements: Statement[], own?: OwnAccounts): Statement[] {
  return statements.filter((s) => s.Effect === "Allow" && (isAnyonePrincipal(s.Principal) || s.NotPrincipal !== undefined) && !isScopedByCondition(s, own));
}

/** Allow statements whose scoping conditions name another account than ours (granted to a foreign account's resources or callers). */
export function foreignScopedStatements(statements: Statement[], own: OwnAccounts | undefined): { statement: Statement; problem: string }[] {
  if (!own || !own.size) return [];
  const out: { statement: Statement; problem: string }[] = [];
  for (const s of statements) {
    if (s.Effect !== "Allow") continue;
    const foreign = conditionScopes(s, own).find((c) => c.problem && /another account/.test(c.problem));
    if (foreign) out.push({ statement: s, problem: `${foreign.operator} ${foreign.key}: ${foreign.problem}` });
  }
  return out;
}

/** Accounts named by ARNs (or bare ids) in the given values, e.g. a resource's own `arn`. */
export function accountsIn(...values: unknown[]): Set<string> {
  const out = new Set<string>();
  for (const v of values.flatMap((x) => list(x))) {
    if (typeof v !== "string") continue;
    const account = accountOf(v) ?? /^https:\/\/sqs\.[^/]+\/(\d{12})\//.exec(v)?.[1];
    if (account) out.add(account);
  }
  return out;
}

/** The provider's allowedAccountIds (AWS provider setting), when the provider declares them. */
export function providerAccounts(provider: { props?: Record<string, any> } | undefined): string[] {
  return strings(whenKnown(() => provider?.props?.allowedAccountIds as unknown, undefined));
}

/** A Deny of every principal when aws:SecureTransport is false (TLS-only resource policy). */
export function hasSecureTransportDeny(statements: Statement[]): boolean {
  return statements.some((s) => {
    if (s.Effect !== "Deny" || !isAnyonePrincipal(s.Principal)) return false;
    const condition = s.Condition && typeof s.Condition === "object" ? s.Condition : {};
    for (const [operator, operands] of Object.entries(condition)) {
      if (!operands || typeof operands !== "object") continue;
      for (const [key, value] of Object.entries(operands)) {
        if (key.toLowerCase() !== "aws:securetransport") continue;
        const values = list(value).map(String);
        if (/^Bool(IfExists)?$/.test(operator) && values.includes("false")) return true;
      }
    }
    return false;
  });
}

/** Actions of a statement as a list (NotAction statements count as "*"). */
export function actionsOf(statement: Statement): string[] {
  if (statement.NotAction !== undefined) return ["*"];
  return strings(statement.Action);
}

/** Resources of a statement as a list (NotResource statements count as "*"). */
export function resourcesOf(statement: Statement): string[] {
  if (statement.NotResource !== undefined) return ["*"];
  return strings(statement.Resource);
}

/** Account id of an ARN (`arn:aws:iam::123456789012:root` -> 123456789012), or a bare 12-digit id. */
export function accountOf(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  const match = /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(principal);
  return match ? match[1] : undefined;
}
