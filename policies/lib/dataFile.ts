/**
 * Checks for the tables kept as JSON data files (coverage, prices, escalation paths, and the plan
 * tool's replacement rules and managed CloudFront policies). The files are edited and reviewed by
 * hand and typed only by their loaders, so a misspelt field, a wrong type or an unknown status must
 * stop the loader with where it is, never pass silently. Pure (no imports), so the pack and the
 * tools share it.
 */

/** Where a value sits in its file, for messages: "prices.data.json wafWebAcl". */
export type Where = string;

/** A JSON object with exactly the listed fields (`required` must be present, `optional` may be). */
export function fields(raw: unknown, where: Where, required: readonly string[], optional: readonly string[] = []): Record<string, unknown> {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new Error(`${where}: must be an object`);
  const row = raw as Record<string, unknown>;
  const known = new Set([...required, ...optional]);
  const unknown = Object.keys(row).filter((k) => !known.has(k));
  if (unknown.length) throw new Error(`${where}: unknown field(s) ${unknown.join(", ")} (known: ${[...known].join(", ")})`);
  const missing = required.filter((k) => row[k] === undefined);
  if (missing.length) throw new Error(`${where}: missing field(s) ${missing.join(", ")}`);
  return row;
}

/** A non-empty string (or undefined, when optional and absent). */
export function text(row: Record<string, unknown>, key: string, where: Where): string {
  const value = row[key];
  if (typeof value !== "string" || value === "") throw new Error(`${where}: ${key} must be a non-empty string`);
  return value;
}

export function optionalText(row: Record<string, unknown>, key: string, where: Where): string | undefined {
  return row[key] === undefined ? undefined : text(row, key, where);
}

/** One of the listed values. */
export function oneOf<T extends string>(row: Record<string, unknown>, key: string, allowed: readonly T[], where: Where): T {
  const value = row[key];
  if (!allowed.includes(value as T)) throw new Error(`${where}: ${key} must be one of ${allowed.join(", ")} (got ${JSON.stringify(value)})`);
  return value as T;
}

/** A finite number, not below `min`. */
export function number(row: Record<string, unknown>, key: string, where: Where, min = -Infinity): number {
  const value = row[key];
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) throw new Error(`${where}: ${key} must be a number${min > -Infinity ? ` of at least ${min}` : ""}`);
  return value;
}

/** A list of non-empty strings (at least `min` of them). */
export function textList(row: Record<string, unknown>, key: string, where: Where, min = 0): string[] {
  const value = row[key];
  if (!Array.isArray(value) || value.length < min || !value.every((v) => typeof v === "string" && v !== ""))
    throw new Error(`${where}: ${key} must be a list of at least ${min} non-empty string(s)`);
  return value as string[];
}

/** A list of values each one of `allowed` (at least `min` of them). */
export function oneOfList<T extends string>(row: Record<string, unknown>, key: string, allowed: readonly T[], where: Where, min = 0): T[] {
  return textList(row, key, where, min).map((value) => {
    if (!allowed.includes(value as T)) throw new Error(`${where}: ${key} holds ${JSON.stringify(value)}, which is not one of ${allowed.join(", ")}`);
    return value as T;
  });
}

/** A JSON object of non-empty strings (e.g. a request context: key to value). */
export function textMap(row: Record<string, unknown>, key: string, where: Where): Record<string, string> {
  const value = row[key];
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new Error(`${where}: ${key} must be an object of strings`);
  return Object.fromEntries(Object.keys(value).map((k) => [k, text(value as Record<string, unknown>, k, `${where} ${key}`)]));
}
