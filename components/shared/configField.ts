import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { HOSTNAME } from "../../functions/shared/hostname";

/**
 * The config field kit: how a component's module declares the `mpto:` keys it consumes (its
 * `config.ts` beside it), which stacks/config assembles into the stack's config, `Pulumi.yaml` and
 * the README table (npm run config:docs), and org/ reuses.
 *
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

type ValueOf<F> = F extends ConfigField<infer T> ? T : never;

/**
 * The parsed values of a set of fields (a component's config section, or the whole stack's): secret
 * keys are `pulumi.Output<string>`, optional keys without a default may be undefined.
 */
export type ConfigValues<Fs extends Record<string, ConfigField<any>>> = {
  readonly [K in keyof Fs]: Fs[K] extends { secret: true }
    ? pulumi.Output<string> | undefined
    : Fs[K]["required"] extends true
      ? ValueOf<Fs[K]>
      : Fs[K]["default"] extends undefined
        ? ValueOf<Fs[K]> | undefined
        : ValueOf<Fs[K]>;
};

/** Stack outputs by name: what each component's module contributes to the stack (its `...StackOutputs` function), in order. */
export type StackOutputs = Record<string, pulumi.Input<unknown>>;

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

/** One bad key of an area's cross-key rules (stacks/config/index.ts adds the namespace): which, what was found, what is expected. */
export interface FieldProblem {
  field: string;
  found: string;
  expected: string;
}

/**
 * An area's rules that relate several of its keys (each a rule function of policies/rules/ called
 * with config's names). `found(name)` shows a key's value as the config error shows it. Only keys
 * that were themselves valid have a value.
 */
export type CrossFieldCheck = (values: Record<string, any>, found: (name: string) => string) => FieldProblem[];

/** A rule function's problems as config problems: `keys` maps the rule's inputs to this area's keys. */
export function configProblems<F extends string>(problems: readonly { field: F; expected: string }[], keys: Record<F, string>, found: (name: string) => string): FieldProblem[] {
  return problems.map((p) => ({ field: keys[p.field], found: found(keys[p.field]), expected: p.expected }));
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
  /** `check` returns why a value is refused (shown in the config error), or undefined. */
  text: (o: FieldOptions<string> & { pattern?: RegExp; maxLength?: number; check?: (value: string) => string | undefined }) =>
    field(
      "string",
      z
        .string()
        .min(1)
        .max(o.maxLength ?? 256)
        .regex(o.pattern ?? /[\s\S]*/)
        .superRefine((value, ctx) => {
          const problem = o.check?.(value);
          if (problem) ctx.addIssue({ code: "custom", message: problem });
        }),
      "a non-empty string",
      o,
    ),
  hostname: (o: FieldOptions<string>) => field("string", hostnameSchema, "a lower-case DNS name such as www.example.com", o),
  email: (o: FieldOptions<string>) => field("string", emailSchema, "an email address such as ops@example.com", o),
  integer: (o: FieldOptions<number> & { min: number; max: number }) => field("integer", z.number().int().min(o.min).max(o.max), `a whole number from ${o.min} to ${o.max}`, o),
  /** Decimal numbers travel as strings in Pulumi config; they are parsed here. */
  decimal: (o: FieldOptions<number> & { min: number; max: number; exclusiveMin?: boolean }) =>
    field(
      "string",
      z.preprocess(
        (v) => (typeof v === "string" && v.trim() !== "" && !isNaN(Number(v)) ? Number(v) : v),
        o.exclusiveMin ? z.number().gt(o.min).max(o.max) : z.number().min(o.min).max(o.max),
      ) as z.ZodType<number>,
      `a number ${o.exclusiveMin ? "greater than" : "from"} ${o.min}${o.exclusiveMin ? " and at most" : " to"} ${o.max}`,
      o,
    ),
  boolean: (o: FieldOptions<boolean>) => field("boolean", z.boolean(), "true or false", o),
  oneOf: <const V extends readonly [string, ...string[]]>(values: V, o: FieldOptions<V[number]>) =>
    field("string", z.enum(values) as unknown as z.ZodType<V[number]>, `one of ${values.join(", ")}`, o),
  integerOneOf: (values: readonly number[], o: FieldOptions<number>) =>
    field(
      "integer",
      z.number().refine((v) => values.includes(v)),
      `one of ${values.join(", ")}`,
      o,
    ),
  hostnames: (o: FieldOptions<string[]> & { minItems?: number }) => field("array", z.array(hostnameSchema).min(o.minItems ?? 0), "a list of lower-case DNS names", o),
  emails: (o: FieldOptions<string[]> & { minItems?: number }) => field("array", z.array(emailSchema).min(o.minItems ?? 0), "a list of email addresses", o),
  list: <T>(item: z.ZodType<T>, itemExpected: string, o: FieldOptions<T[]> & { minItems?: number; maxItems?: number }) =>
    field(
      "array",
      z
        .array(item)
        .min(o.minItems ?? 0)
        .max(o.maxItems ?? 1000),
      `a list of ${itemExpected}`,
      o,
    ),
};
