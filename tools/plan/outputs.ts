import type { MockRunResult } from "../mocks/runtime";
import type { StackContext } from "./analyzer";

/**
 * The plan's "Outputs" section: the stack outputs as the program returns them under mocks (ids and
 * ARNs are the mock's, shaped like AWS's; names, records and settings are the program's own), with
 * secrets masked and a note on the outputs a person must act on after a deploy.
 * `--json` gets it under `sections.outputs`.
 */

export const SECRET_MASK = "[secret]";

/** An output someone must do something with, and what. */
export interface OutputAction {
  output: string;
  action: string;
}

export interface OutputsSection {
  /** Output name -> value (secrets replaced by "[secret]"), in the order the program returns them. */
  values: Record<string, unknown>;
  secret: string[];
  actions: OutputAction[];
}

/**
 * What a person does with an output, by name. Only outputs that need a hand after `pulumi up`:
 * records to create where DNS is not in Route 53, role ARNs to set as GitHub environment variables.
 */
function actionFor(name: string, value: unknown, stack: string): string | undefined {
  if (/DnsRecords$/.test(name) && Array.isArray(value) && value.length > 0) {
    return `create these ${value.length} DNS record${value.length === 1 ? "" : "s"} at the domain's DNS host (they are not in a Route 53 zone the stack manages)`;
  }
  if (name === "ciDeployRoleArn" && typeof value === "string" && value) return `set it as the AWS_ROLE_ARN variable of the GitHub environment '${stack}' (deploy.yml)`;
  if (name === "ciPreviewRoleArn" && typeof value === "string" && value) return `set it as the AWS_ROLE_ARN variable of the GitHub environment '${stack}-preview' (preview.yml)`;
  if (name === "ciInvalidateRoleArn" && typeof value === "string" && value)
    return `set it as the AWS_ROLE_ARN variable of the GitHub environment '${stack}-cdn' (invalidate.yml), beside CDN_DISTRIBUTION_ID`;
  if (name === "alertTopicArn" && typeof value === "string" && value) return "confirm the email subscription AWS sends to mpto:alertEmail, or no alarm reaches anyone";
  return undefined;
}

export function outputsSection(run: MockRunResult, stack: string): OutputsSection {
  const secret = new Set(run.secretOutputs ?? []);
  const values: Record<string, unknown> = {};
  const actions: OutputAction[] = [];
  for (const [name, value] of Object.entries(run.stackOutputs ?? {})) {
    values[name] = secret.has(name) ? SECRET_MASK : value;
    const action = secret.has(name) ? undefined : actionFor(name, value, stack);
    if (action) actions.push({ output: name, action });
  }
  return { values, secret: [...secret].sort(), actions };
}

/** A value on one line: strings as they are, the rest as compact JSON (long values shortened). */
export function showValue(value: unknown, max = 100): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

export function outputLines(section: OutputsSection): string[] {
  const names = Object.keys(section.values);
  if (!names.length) return ["Outputs: none"];
  const width = Math.max(...names.map((n) => n.length));
  const lines = ["Outputs (as the program returns them under mocks; ids and ARNs are the mock's):"];
  for (const name of names) {
    const value = section.values[name];
    if (Array.isArray(value) && value.length && value.every((v) => v && typeof v === "object")) {
      lines.push(`    ${name.padEnd(width)}  ${value.length} item${value.length === 1 ? "" : "s"}:`);
      for (const item of value) lines.push(`    ${" ".repeat(width)}    ${recordLine(item as Record<string, unknown>)}`);
    } else {
      lines.push(`    ${name.padEnd(width)}  ${showValue(value)}`);
    }
  }
  if (section.actions.length) {
    lines.push("  to act on after the deploy:");
    for (const a of section.actions) lines.push(`    ${a.output}: ${a.action}`);
  }
  return lines;
}

/** DNS records and other small objects: "TYPE name value" when they look like records. */
export function recordLine(item: Record<string, unknown>): string {
  if (typeof item.type === "string" && typeof item.name === "string" && "value" in item) {
    return `${item.type} ${item.name} ${showValue(item.value, 200)}${item.purpose ? `  (${item.purpose})` : ""}`;
  }
  return showValue(item, 200);
}

export function outputsExtension(run: MockRunResult, context: StackContext): { key: string; value: unknown; lines: string[] } {
  const section = outputsSection(run, context.stack);
  return { key: "outputs", value: section, lines: outputLines(section) };
}
