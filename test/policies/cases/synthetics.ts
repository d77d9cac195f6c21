import type { PolicyCase } from "./types";

const CANARY = "aws:synthetics/canary:Canary";
const good = {
  name: "mpto-prod-uptime",
  runtimeVersion: "syn-nodejs-5.4",
  handler: "uptime.handler",
  artifactS3Location: "s3://uptime-artifacts-1234/results/",
  artifactConfig: { s3Encryption: { encryptionMode: "SSE_S3" } },
  startCanary: true,
  failureRetentionPeriod: 14,
  runConfig: { environmentVariables: { CANARY_SITE_HOST: "www.example.com", CANARY_CERT_MIN_DAYS: "21" } },
};

export const syntheticsCases: PolicyCase[] = [
  { policy: "synthetics-canary", title: "passes a started canary on a current runtime with encrypted artifacts and plain host names in its environment", type: CANARY, props: good, expect: "pass" },
  { policy: "synthetics-canary", title: "fails a canary on a deprecated runtime", type: CANARY, props: { ...good, runtimeVersion: "syn-nodejs-puppeteer-3.9" }, expect: /runtimeVersion 'syn-nodejs-puppeteer-3.9' is not a supported runtime/, count: 1 },
  { policy: "synthetics-canary", title: "fails a canary whose artifacts are not encrypted", type: CANARY, props: { ...good, artifactConfig: undefined }, expect: /artifactConfig.s3Encryption.encryptionMode is not set/, count: 1 },
  { policy: "synthetics-canary", title: "fails a canary that never starts", type: CANARY, props: { ...good, startCanary: false }, expect: /startCanary is not true/, count: 1 },
  {
    policy: "synthetics-canary",
    title: "fails a canary with a secret in its environment (Checkov CKV_AWS_45's class, as for Lambda)",
    type: CANARY,
    props: { ...good, runConfig: { environmentVariables: { SIGNING_KEY: "-----BEGIN PRIVATE KEY-----\nabc" } } },
    expect: /environment variable SIGNING_KEY holds a private key/,
    count: 1,
  },
  { policy: "synthetics-canary", title: "fails, never crashes, on malformed fields", type: CANARY, props: { ...good, runtimeVersion: 7, failureRetentionPeriod: "two weeks", runConfig: { environmentVariables: "A=B" } }, expect: [/runtimeVersion 'unset'/, /failureRetentionPeriod two weeks/, /runConfig.environmentVariables is not a map/], count: 3 },
];
