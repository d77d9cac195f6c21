import { z } from "zod";
import { HOSTNAME } from "../../functions/shared/hostname";

/**
 * One stack-config key: how it is parsed from the string Pulumi hands the program, what it means,
 * and what a valid value looks like. Every key in `Pulumi.yaml` has exactly one `ConfigField`.
 */
export interface ConfigField<T = unknown> {
  /** Type in the `Pulumi.yaml` project config schema (Pulumi has no float: decimals are `string`). */
  pulumiType: "string" | "integer" | "boolean" | "array";
  /** One line for `Pulumi.yaml` and the README. */
  description: string;
  /** What a valid value looks like, used in error messages: "an email address such as ops@example.com". */
  expected: string;
  /** Validates the decoded value. */
  schema: z.ZodType<T>;
  /** Value when the key is absent; `undefined` with `required` means the key must be set. */
  default?: T;
  required: boolean;
  /** Must be set with `pulumi config set --secret`; read as a Pulumi secret. */
  secret?: boolean;
}

/** Pulumi passes every config value as a string; arrays and objects arrive JSON-encoded. */
export function decodeConfigValue(pulumiType: ConfigField["pulumiType"], raw: string): unknown {
  switch (pulumiType) {
    case "integer":
      return /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
    case "boolean":
      return raw === "true" ? true : raw === "false" ? false : raw;
    case "array":
      try {
        return JSON.parse(raw);
      } catch {
        return raw;
      }
    default:
      return raw;
  }
}

type FieldOptions<T> = { description: string; expected?: string; default?: T; required?: boolean; secret?: boolean };

function field<T>(pulumiType: ConfigField["pulumiType"], schema: z.ZodType<T>, defaultExpected: string, o: FieldOptions<T>): ConfigField<T> {
  return {
    pulumiType,
    schema,
    description: o.description,
    expected: o.expected ?? defaultExpected,
    default: o.default,
    required: o.required ?? o.default === undefined,
    secret: o.secret,
  };
}

const hostnameSchema = z.string().regex(HOSTNAME);
const emailSchema = z.email();

export const fields = {
  text: (o: FieldOptions<string> & { pattern?: RegExp; maxLength?: number }) =>
    field("string", z.string().min(1).max(o.maxLength ?? 256).regex(o.pattern ?? /[\s\S]*/), "a non-empty string", o),
  hostname: (o: FieldOptions<string>) => field("string", hostnameSchema, "a lower-case DNS name such as www.example.com", o),
  email: (o: FieldOptions<string>) => field("string", emailSchema, "an email address such as ops@example.com", o),
  integer: (o: FieldOptions<number> & { min: number; max: number }) =>
    field("integer", z.number().int().min(o.min).max(o.max), `a whole number from ${o.min} to ${o.max}`, o),
  /** Decimal numbers travel as strings in Pulumi config; they are parsed here. */
  decimal: (o: FieldOptions<number> & { min: number; max: number; exclusiveMin?: boolean }) =>
    field(
      "string",
      z.preprocess((v) => (typeof v === "string" && v.trim() !== "" && !isNaN(Number(v)) ? Number(v) : v), o.exclusiveMin ? z.number().gt(o.min).max(o.max) : z.number().min(o.min).max(o.max)) as z.ZodType<number>,
      `a number ${o.exclusiveMin ? "greater than" : "from"} ${o.min}${o.exclusiveMin ? " and at most" : " to"} ${o.max}`,
      o,
    ),
  boolean: (o: FieldOptions<boolean>) => field("boolean", z.boolean(), "true or false", o),
  oneOf: <const V extends readonly [string, ...string[]]>(values: V, o: FieldOptions<V[number]>) =>
    field("string", z.enum(values) as unknown as z.ZodType<V[number]>, `one of ${values.join(", ")}`, o),
  integerOneOf: (values: readonly number[], o: FieldOptions<number>) =>
    field("integer", z.number().refine((v) => values.includes(v)), `one of ${values.join(", ")}`, o),
  hostnames: (o: FieldOptions<string[]> & { minItems?: number }) =>
    field("array", z.array(hostnameSchema).min(o.minItems ?? 0), "a list of lower-case DNS names", o),
  emails: (o: FieldOptions<string[]> & { minItems?: number }) =>
    field("array", z.array(emailSchema).min(o.minItems ?? 0), "a list of email addresses", o),
  list: <T>(item: z.ZodType<T>, itemExpected: string, o: FieldOptions<T[]> & { minItems?: number; maxItems?: number }) =>
    field("array", z.array(item).min(o.minItems ?? 0).max(o.maxItems ?? 1000), `a list of ${itemExpected}`, o),
};

