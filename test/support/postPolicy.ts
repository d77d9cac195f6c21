import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * A test-side reading of an S3 browser-upload (POST) policy, written from the S3 documentation
 * ("Creating a POST policy", "Calculating a signature for POST"), independent of the SDK code that
 * produced it. s3rver ignores POST policies and signatures, so the tests use this to show which
 * forms real S3 would refuse. It is a stand-in for S3, not S3: what it finds is a claim about the
 * documented rules, checked here; S3's own enforcement is unverified on this machine.
 */

export type PolicyCondition = Record<string, string> | [string, string | number, string | number];

export interface PostPolicy {
  expiration: string;
  conditions: PolicyCondition[];
}

export function decodePolicy(fields: Record<string, string>): PostPolicy {
  const encoded = fields.Policy ?? fields.policy;
  if (!encoded) throw new Error("form has no Policy field");
  return JSON.parse(Buffer.from(encoded, "base64").toString("utf8")) as PostPolicy;
}

/** SigV4 for POST: HMAC-SHA256 chain over date, region, service and "aws4_request", then over the base64 policy. */
export function expectedSignature(fields: Record<string, string>, secretAccessKey: string): string {
  const [, date, region, service, terminator] = (fields["X-Amz-Credential"] ?? "").split("/");
  if (!date || !region || service !== "s3" || terminator !== "aws4_request") throw new Error("malformed X-Amz-Credential");
  const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data, "utf8").digest();
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), "aws4_request");
  return createHmac("sha256", signingKey).update(fields.Policy, "utf8").digest("hex");
}

/** Form fields S3 does not require a condition for. */
function exempt(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === "policy" || lower === "x-amz-signature" || lower === "file" || lower.startsWith("x-ignore-");
}

/**
 * Everything about a submitted form that S3 would refuse, as short reasons (empty = accepted).
 * `fields` are the form fields as submitted (the file excluded), `fileSize` the file's byte length.
 */
export function postPolicyViolations(fields: Record<string, string>, fileSize: number, secretAccessKey: string, now: Date): string[] {
  const violations: string[] = [];
  const expected = Buffer.from(expectedSignature(fields, secretAccessKey), "hex");
  const given = Buffer.from(fields["X-Amz-Signature"] ?? "", "hex");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) violations.push("signature does not match the policy");

  const policy = decodePolicy(fields);
  if (!(new Date(policy.expiration).getTime() > now.getTime())) violations.push("policy expired");

  const value = (name: string): string | undefined => {
    const entry = Object.entries(fields).find(([k]) => k.toLowerCase() === name.toLowerCase());
    return entry?.[1];
  };
  const covered = new Set<string>();
  for (const condition of policy.conditions) {
    if (!Array.isArray(condition)) {
      for (const [name, wanted] of Object.entries(condition)) {
        covered.add(name.toLowerCase());
        if (value(name) !== wanted) violations.push(`${name} must equal ${JSON.stringify(wanted)}`);
      }
      continue;
    }
    const [op, a, b] = condition;
    if (op === "content-length-range") {
      if (fileSize < Number(a) || fileSize > Number(b)) violations.push(`file size ${fileSize} outside content-length-range [${a}, ${b}]`);
      continue;
    }
    const name = String(a).replace(/^\$/, "");
    covered.add(name.toLowerCase());
    const actual = value(name);
    if (op === "eq" && actual !== b) violations.push(`${name} must equal ${JSON.stringify(b)}`);
    else if (op === "starts-with" && !(actual ?? "").startsWith(String(b))) violations.push(`${name} must start with ${JSON.stringify(b)}`);
    else if (op !== "eq" && op !== "starts-with") violations.push(`unknown condition ${op}`);
  }
  for (const name of Object.keys(fields)) {
    if (!exempt(name) && !covered.has(name.toLowerCase())) violations.push(`field ${name} is not allowed by the policy`);
  }
  return violations;
}
