import { objects, strings } from "../lib/inputs";
import { resourceRule } from "../lib/policy";
import { environmentSecretProblems } from "./lambda";

/**
 * CloudWatch Synthetics canaries: a supported runtime, encrypted run artifacts, a canary that
 * actually runs, and no secrets in its environment (a canary's environment variables are its
 * Lambda function's, readable by anyone who can read the function's configuration).
 * Sources: Synthetics runtime support policy (CloudWatch_Synthetics_Canaries_runtime_support.html:
 * deprecated runtimes stop receiving updates and new canaries cannot use them); artifact encryption
 * (CloudWatch_Synthetics_artifact_encryption.html); Checkov CKV_AWS_45 for the environment.
 */

const CANARY = "aws:synthetics/canary:Canary";

/** Runtime families and the oldest major still supported on 2026-12-01 (CloudWatch_Synthetics_Library_Nodejs.html and siblings). */
export const DEFAULT_CANARY_RUNTIMES = ["syn-nodejs-5.", "syn-nodejs-4.", "syn-nodejs-playwright-", "syn-nodejs-puppeteer-1", "syn-python-selenium-"];

export const syntheticsCanary = resourceRule<{ allowedRuntimePrefixes: string[] }>({
  name: "synthetics-canary",
  description: "Canaries run a supported runtime, encrypt their artifacts, start on deploy, keep failed runs' artifacts, and carry no secrets in their environment (Synthetics runtime support policy; Checkov CKV_AWS_45 for the environment).",
  types: [CANARY],
  config: {
    properties: { allowedRuntimePrefixes: { type: "array", items: { type: "string" }, description: "Runtime version prefixes still supported (e.g. syn-nodejs-5.)." } },
    defaults: { allowedRuntimePrefixes: DEFAULT_CANARY_RUNTIMES },
  },
  validate(props, { config }, report) {
    const runtime = typeof props.runtimeVersion === "string" ? props.runtimeVersion : "";
    if (!config.allowedRuntimePrefixes.some((p) => runtime.startsWith(p))) report(`runtimeVersion '${runtime || "unset"}' is not a supported runtime (${config.allowedRuntimePrefixes.join(", ")})`);
    const mode = objects(objects(props.artifactConfig)[0]?.s3Encryption)[0]?.encryptionMode;
    if (mode !== "SSE_S3" && mode !== "SSE_KMS") report("artifactConfig.s3Encryption.encryptionMode is not set: run artifacts (logs, screenshots, HAR files) are written unencrypted by the canary's choice");
    if (props.startCanary !== true && props.startCanary !== "true") report("startCanary is not true: the canary is created but never runs, and its alarm only ever sees missing data");
    const failureDays = Number(props.failureRetentionPeriod ?? 31);
    if (!Number.isFinite(failureDays) || failureDays < 1) report(`failureRetentionPeriod ${String(props.failureRetentionPeriod)} keeps no evidence of failed runs`);
    for (const problem of environmentSecretProblems(objects(props.runConfig)[0]?.environmentVariables, "runConfig.environmentVariables")) report(problem);
    if (strings(props.artifactS3Location).length && !/^s3:\/\/[a-z0-9.-]{3,63}(\/|$)/.test(String(props.artifactS3Location))) report(`artifactS3Location '${String(props.artifactS3Location)}' is not an s3:// location`);
  },
});

export const syntheticsPolicies = [syntheticsCanary];
