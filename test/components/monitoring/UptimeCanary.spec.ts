import assert from "node:assert/strict";
import { CANARY_HANDLER, CANARY_RUNTIME, canaryCodeFiles, UptimeCanary, UptimeCanaryArgs } from "../../../components/monitoring/UptimeCanary";
import { declare, oneOf } from "../../support/harness";

const args: UptimeCanaryArgs = {
  canaryName: "mpto-prod-uptime",
  siteHost: "www.example.com",
  distributionDomain: "d111111abcdef8.cloudfront.net",
  mediaPathPrefix: "/media/",
  alarmTopicArn: "arn:aws:sns:eu-west-2:123456789012:alerts",
};

describe("UptimeCanary (mpto:monitoring:UptimeCanary)", () => {
  it("runs the bundled uptime script on the browserless Synthetics runtime every 5 minutes by default, started, encrypted artifacts", async () => {
    const run = await declare(() => new UptimeCanary("uptime", args));
    const canary = oneOf(run, "aws:synthetics/canary:Canary");
    assert.equal(canary.inputs.name, "mpto-prod-uptime");
    assert.equal(canary.inputs.runtimeVersion, CANARY_RUNTIME);
    assert.match(CANARY_RUNTIME, /^syn-nodejs-\d/);
    assert.equal(canary.inputs.handler, "uptime.handler");
    assert.deepEqual(canary.inputs.schedule, { expression: "rate(5 minutes)" });
    assert.equal(canary.inputs.startCanary, true);
    assert.equal(canary.inputs.deleteLambda, true);
    assert.deepEqual(canary.inputs.artifactConfig, { s3Encryption: { encryptionMode: "SSE_S3" } });
    const bucket = oneOf(run, "aws:s3/bucket:Bucket");
    assert.equal(canary.inputs.artifactS3Location, `s3://${bucket.outputs.bucket}/results/`);
  });

  it("tells the script the public host, the distribution's own name and an unsigned media path, and nothing secret", async () => {
    const run = await declare(() => new UptimeCanary("uptime", { ...args, certificateMinDays: 30 }));
    const env = (oneOf(run, "aws:synthetics/canary:Canary").inputs.runConfig as { environmentVariables: Record<string, string> }).environmentVariables;
    assert.deepEqual(env, { CANARY_SITE_HOST: "www.example.com", CANARY_DISTRIBUTION_DOMAIN: "d111111abcdef8.cloudfront.net", CANARY_MEDIA_PROBE_PATH: "/media/canary/unsigned-probe", CANARY_CERT_MIN_DAYS: "30" });
  });

  it("packages the script where Node.js canaries load it (nodejs/node_modules/<file>.js, named by the handler)", async () => {
    const files = canaryCodeFiles();
    assert.deepEqual(Object.keys(files), ["nodejs/node_modules/uptime.js"]);
    assert.equal(`${CANARY_HANDLER.split(".")[0]}.js`, "uptime.js");
    assert.match(files["nodejs/node_modules/uptime.js"], /MissingKey/, "the bundle is the uptime checks");
    const loaded = { exports: {} as Record<string, unknown> };
    new Function("module", "exports", "require", files["nodejs/node_modules/uptime.js"])(loaded, loaded.exports, require);
    assert.equal(typeof loaded.exports.handler, "function", "the bundle exports the handler Synthetics calls");
    const run = await declare(() => new UptimeCanary("uptime", args));
    assert.equal(oneOf(run, "aws:synthetics/canary:Canary").inputs.s3Key, oneOf(run, "aws:s3/bucketObjectv2:BucketObjectv2").inputs.key);
  });

  it("gives the execution role only what AWS lists for canaries, scoped to its bucket's results and its own log groups", async () => {
    const run = await declare(() => new UptimeCanary("uptime", args));
    const policy = JSON.parse(String(oneOf(run, "aws:iam/rolePolicy:RolePolicy").inputs.policy));
    const byAction = Object.fromEntries(policy.Statement.flatMap((s: any) => [].concat(s.Action).map((a: string) => [a, s])));
    assert.deepEqual(Object.keys(byAction).sort(), ["cloudwatch:PutMetricData", "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "s3:GetBucketLocation", "s3:GetObject", "s3:ListAllMyBuckets", "s3:PutObject"]);
    assert.match(byAction["s3:PutObject"].Resource, /\/results\/\*$/);
    assert.deepEqual(byAction["cloudwatch:PutMetricData"].Condition, { StringEquals: { "cloudwatch:namespace": "CloudWatchSynthetics" } });
    assert.match(byAction["logs:PutLogEvents"].Resource, /:log-group:\/aws\/lambda\/cwsyn-mpto-prod-uptime-\*$/);
    const trust = JSON.parse(String(oneOf(run, "aws:iam/role:Role").inputs.assumeRolePolicy));
    assert.deepEqual(trust.Statement[0].Principal, { Service: "lambda.amazonaws.com" });
  });

  it("alarms to the topic after two failed or missing runs in a row", async () => {
    const run = await declare(() => new UptimeCanary("uptime", { ...args, rateMinutes: 10 }));
    const alarm = oneOf(run, "aws:cloudwatch/metricAlarm:MetricAlarm");
    assert.equal(alarm.inputs.namespace, "CloudWatchSynthetics");
    assert.equal(alarm.inputs.metricName, "SuccessPercent");
    assert.deepEqual(alarm.inputs.dimensions, { CanaryName: "mpto-prod-uptime" });
    assert.equal(alarm.inputs.period, 600);
    assert.equal(alarm.inputs.evaluationPeriods, 2);
    assert.equal(alarm.inputs.datapointsToAlarm, 2);
    assert.equal(alarm.inputs.comparisonOperator, "LessThanThreshold");
    assert.equal(alarm.inputs.threshold, 100);
    assert.equal(alarm.inputs.treatMissingData, "breaching");
    assert.deepEqual(alarm.inputs.alarmActions, [args.alarmTopicArn]);
    assert.deepEqual(oneOf(run, "aws:synthetics/canary:Canary").inputs.schedule, { expression: "rate(10 minutes)" });
  });

  it("keeps its artifacts private, TLS-only and expiring", async () => {
    const run = await declare(() => new UptimeCanary("uptime", { ...args, artifactRetentionDays: 7 }));
    const block = oneOf(run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs;
    assert.ok(block.blockPublicAcls && block.blockPublicPolicy && block.ignorePublicAcls && block.restrictPublicBuckets);
    const rules = oneOf(run, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules as any[];
    assert.equal(rules.find((r) => r.id === "expire-run-artifacts").expiration.days, 7);
    const policy = JSON.parse(String(oneOf(run, "aws:s3/bucketPolicy:BucketPolicy").inputs.policy));
    assert.equal(policy.Statement[0].Condition.Bool["aws:SecureTransport"], "false");
  });

  it("refuses a name Synthetics would refuse and a rate outside 1-60 minutes, before declaring anything", async () => {
    await assert.rejects(declare(() => new UptimeCanary("uptime", { ...args, canaryName: "Mpto-Production-Uptime-Check" })), /canaryName 'Mpto-Production-Uptime-Check' must be 1-21 of a-z/);
    await assert.rejects(declare(() => new UptimeCanary("uptime", { ...args, rateMinutes: 0 })), /rateMinutes must be a whole number from 1 to 60/);
  });
});
