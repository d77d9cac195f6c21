/**
 * Reading the values a policy receives: lists and blocks that may be absent, numbers that may come
 * as strings, booleans, regions and ARNs, and values unknown during a preview. Pure (no Pulumi
 * runtime), so rule modules, stack policies and tools can share them.
 */

/** Region of a resource: the v7 per-resource `region`, else its provider's, else the fallback. */
export function regionOf(r: { props: Record<string, any>; provider?: { props: Record<string, any> } }, fallback = "eu-west-2"): string {
  const own = r.props.region;
  if (typeof own === "string" && own) return own;
  const provider = r.provider?.props?.region;
  return typeof provider === "string" && provider ? provider : fallback;
}

/** Lists that may be absent. */
export function list<T = any>(value: unknown): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? (value as T[]) : [value as T];
}

/** The elements of a list that are objects (null, strings and numbers in a list of blocks are skipped). */
export function objects<T = Record<string, any>>(value: unknown): T[] {
  return list(value).filter((v) => v !== null && typeof v === "object" && !Array.isArray(v)) as T[];
}

/** The elements of a list that are strings. */
export function strings(value: unknown): string[] {
  return list(value).filter((v): v is string => typeof v === "string");
}

/**
 * A number read from a resource input: numbers and numeric strings (the engine may send either)
 * give a finite number; anything else gives NaN, which callers must treat as a violation (a NaN
 * compared with a cap is never above it, so it would pass silently). `undefined`/`null` give the fallback.
 */
export function num(value: unknown, fallback?: number): number {
  if (value === undefined || value === null) return fallback ?? NaN;
  if (typeof value === "number") return Number.isFinite(value) ? value : NaN;
  if (typeof value === "string" && /^\s*-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/.test(value)) return Number(value);
  return NaN;
}

/** Reports a value that is not a number and returns true (so the caller can stop judging it). */
export function notANumber(value: number, label: string, raw: unknown, report: (message: string) => void): boolean {
  if (Number.isFinite(value)) return false;
  report(`${label} '${String(typeof raw === "object" ? JSON.stringify(raw) : raw).slice(0, 60)}' is not a number: it cannot be checked against its limits`);
  return true;
}

export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

/** Region of an ARN (empty string for global services), or undefined when it is not an ARN. */
export function arnRegion(arn: unknown): string | undefined {
  if (typeof arn !== "string") return undefined;
  const match = /^arn:[^:]+:[^:]+:([^:]*):/.exec(arn);
  return match ? match[1] : undefined;
}

/** Formats USD amounts in messages. */
export function usd(amount: number): string {
  return `$${amount.toFixed(2)}`;
}

/**
 * During a preview some outputs are unknown; @pulumi/policy's proxy throws `UnknownValueError`
 * when a policy reads one (the SDK then downgrades the whole policy to an advisory "can't run
 * during preview"). Stack policies use this to skip just the unknown part instead.
 */
export function isUnknownValueError(error: unknown): boolean {
  return error instanceof Error && error.constructor?.name === "UnknownValueError";
}

/** `read()`, or `fallback` when it touches a value unknown during preview. */
export function whenKnown<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch (error) {
    if (isUnknownValueError(error)) return fallback;
    throw error;
  }
}
