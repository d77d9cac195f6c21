import assert from "node:assert/strict";
import { EDGE_REGION, PRIMARY_REGION } from "../../components/shared/regions";
import { loadStackFile } from "../../tools/mocks/stackFile";
import { declareStack, named, ofType, oneOf, ROOT } from "../support/harness";
import { alarmMetrics, assertKnownMetric, dashboardMetrics, topicRegion } from "../support/metricCatalog";
import type { MockRunResult, RecordedResource } from "../../tools/mocks/runtime";

const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function stackConfig(stack: "dev" | "prod"): Record<string, string> {
  return loadStackFile(ROOT, stack).config;
}

/** Every dimension value the stack's metrics may carry, taken from the deployed resources' own outputs. */
function realIdentifiers(run: MockRunResult, environment: string): Record<string, Set<string>> {
  const ids: Record<string, Set<string>> = {};
  const add = (k: string, v: unknown) => (ids[k] ??= new Set()).add(String(v));
  const distribution = oneOf(run, "aws:cloudfront/distribution:Distribution");
  add("DistributionId", distribution.outputs.id ?? String(distribution.outputs.arn).split("/").pop());
  add("Region", "Global");
  for (const acl of ofType(run, "aws:wafv2/webAcl:WebAcl")) add("WebACL", acl.outputs.name ?? acl.inputs.name);
  add("Rule", "ALL");
  for (const fn of ofType(run, "aws:lambda/function:Function").filter((f) => f.region === PRIMARY_REGION)) add("FunctionName", fn.outputs.name);
  for (const t of ofType(run, "aws:dynamodb/table:Table")) add("TableName", t.outputs.name);
  for (const q of ofType(run, "aws:sqs/queue:Queue")) add("QueueName", q.outputs.name);
  for (const p of ofType(run, "aws:cognito/userPool:UserPool")) add("UserPool", p.outputs.id);
  for (const c of ofType(run, "aws:cognito/userPoolClient:UserPoolClient")) add("UserPoolClient", c.outputs.id);
  add("Environment", environment);
  add("Service", "Tutoring");
  for (const op of ["GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query"]) add("Operation", op);
  for (const c of ofType(run, "aws:synthetics/canary:Canary")) add("CanaryName", c.inputs.name);
  // The video functions publish with the pipeline name their environment carries.
  for (const fn of ofType(run, "aws:lambda/function:Function")) {
    const pipeline = (fn.inputs.environment as { variables?: Record<string, string> } | undefined)?.variables?.PIPELINE_NAME;
    if (pipeline) add("Pipeline", pipeline);
  }
  return ids;
}

for (const stack of ["dev", "prod"] as const) {
  describe(`monitoring, budget, baseline and CI roles of the real ${stack} stack (offline, under mocks)`, () => {
    let run: MockRunResult;
    let config: Record<string, string>;
    before(async () => {
      run = await declareStack(stack);
      config = stackConfig(stack);
    });

    it("creates the alert topics first (after the CI roles, whose boundary every later role carries), so every other component can alarm into them", () => {
      const firstCustom = run.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:") && !/mpto:ci:CiDeployRole/.test(r.urn))[0];
      assert.match(firstCustom.urn, /mpto:monitoring:AlertTopic/);
    });

    it("gives every alarm in the stack alarm and OK actions on an alert topic of its own region", () => {
      const topics = ofType(run, "aws:sns/topic:Topic").filter((t) => /^alerts/.test(t.name)).map((t) => String(t.outputs.arn));
      const alarms = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm");
      assert.ok(alarms.length >= 8, `${alarms.length} alarms`);
      for (const a of alarms) {
        const actions = asList<string>(a.inputs.alarmActions as string[]);
        assert.ok(actions.length > 0, `${a.name} has alarm actions`);
        assert.deepEqual(a.inputs.okActions, actions, `${a.name} has the same OK actions`);
        for (const arn of actions) {
          assert.ok(topics.includes(arn), `${a.name} alarms into an alert topic (${arn})`);
          assert.equal(topicRegion(arn), a.region, `${a.name}: its topic is in its region`);
        }
      }
    });

    it("alarms and graphs only metrics that exist, with dimension values equal to the deployed resources' outputs", () => {
      const additional = config["mpto:cloudFrontAdditionalMetrics"] === "true";
      const ids = realIdentifiers(run, stack);
      const dashboard = oneOf(run, "aws:cloudwatch/dashboard:Dashboard");
      assert.equal(dashboard.inputs.dashboardName, `mpto-${stack}`);
      const metrics = [...dashboardMetrics(dashboard.inputs.dashboardBody as string).metrics, ...ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").flatMap(alarmMetrics)];
      for (const m of metrics) {
        assertKnownMetric(m, PRIMARY_REGION, additional);
        for (const [k, v] of Object.entries(m.dimensions)) assert.ok(ids[k]?.has(v), `${m.where}: ${k}=${v} is not an identifier of a deployed resource (${[...(ids[k] ?? [])].join(", ")})`);
      }
      const namespaces = new Set(metrics.map((m) => m.namespace));
      for (const ns of ["MPTO/Business", "AWS/CloudFront", "AWS/WAFV2", "AWS/SES", "AWS/Lambda", "AWS/DynamoDB", "AWS/Cognito"]) assert.ok(namespaces.has(ns), `${ns} is watched`);
      assert.equal(ofType(run, "aws:cloudfront/monitoringSubscription:MonitoringSubscription").length, additional ? 1 : 0);
    });

    it("puts CloudFront and WAF alarms in us-east-1 and the rest in eu-west-2", () => {
      for (const a of ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm")) {
        const edge = alarmMetrics(a).some((m) => m.namespace === "AWS/CloudFront" || m.namespace === "AWS/WAFV2");
        assert.equal(a.region, edge ? EDGE_REGION : PRIMARY_REGION, a.name);
      }
    });

    it("takes the alarm thresholds from the stack's config", () => {
      // Each alarm belongs to the component it watches (the CDN's and the web ACL's, components/edge).
      const alarms = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm");
      const find = (metric: string) => {
        const matching = alarms.filter((a) => a.inputs.metricName === metric);
        assert.equal(matching.length, 1, `one ${metric} alarm`);
        return matching[0];
      };
      assert.equal(find("5xxErrorRate").inputs.threshold, Number(config["mpto:alarmCloudFront5xxErrorRatePercent"]));
      assert.equal(find("4xxErrorRate").inputs.threshold, Number(config["mpto:alarmCloudFront4xxErrorRatePercent"]));
      assert.equal(find("BlockedRequests").inputs.threshold, Number(config["mpto:alarmWafBlockedRequests"]));
    });

    it("has the stack's monthly budget with ACTUAL and FORECASTED notifications to the alert topic and email, per config", () => {
      const budget = oneOf(run, "aws:budgets/budget:Budget");
      assert.equal(budget.inputs.limitAmount, Number(config["mpto:monthlyBudgetUsd"]).toFixed(2));
      assert.deepEqual(budget.inputs.costFilters, [{ name: "TagKeyValue", values: [`user:Environment$${stack}`] }]);
      const topic = String(named(run, "alerts-topic").outputs.arn);
      const notifications = budget.inputs.notifications as any[];
      assert.deepEqual(
        notifications.map((n) => `${n.notificationType}@${n.threshold}`),
        [`ACTUAL@${config["mpto:budgetActualWarningPercent"]}`, "ACTUAL@100", `FORECASTED@${config["mpto:budgetForecastAlertPercent"]}`],
      );
      for (const n of notifications) {
        assert.deepEqual(n.subscriberSnsTopicArns, [topic]);
        assert.deepEqual(n.subscriberEmailAddresses, [config["mpto:alertEmail"]]);
      }
      const anomaly = Number(config["mpto:costAnomalyAlertUsd"] ?? 0);
      assert.equal(ofType(run, "aws:costexplorer/anomalyMonitor:AnomalyMonitor").length, anomaly > 0 ? 1 : 0);
    });

    it("owns the account baseline only when configured as the account's owner", () => {
      const owner = config["mpto:accountBaselineOwner"] === "true";
      assert.equal(ofType(run, "aws:cloudtrail/trail:Trail").length, owner ? 1 : 0);
      assert.equal(ofType(run, "aws:guardduty/detector:Detector").length, owner ? 2 : 0);
      // GitHub's provider (the app's Vercel provider is another OIDC provider, components/app).
      const github = ofType(run, "aws:iam/openIdConnectProvider:OpenIdConnectProvider").filter((p) => String(p.inputs.url).includes("token.actions.githubusercontent.com"));
      assert.equal(github.length, owner && !config["mpto:githubOidcProviderArn"] ? 1 : 0);
      const tags = ofType(run, "aws:costexplorer/costAllocationTag:CostAllocationTag").map((t) => t.inputs.tagKey);
      assert.deepEqual(tags, owner && config["mpto:activateCostAllocationTags"] === "true" ? ["Project", "Environment", "Owner", "CostCenter", "ManagedBy"] : []);
      if (owner) {
        const trail = oneOf(run, "aws:cloudtrail/trail:Trail");
        assert.equal(trail.inputs.isMultiRegionTrail, true);
        assert.equal(trail.inputs.enableLogFileValidation, true);
        assert.ok(trail.inputs.kmsKeyId);
      }
    });

    it("lets only this repository's jobs in the stack's GitHub Environment assume the deploy role, and grants no * on *", () => {
      const deploy = ofType(run, "aws:iam/role:Role").find((r) => r.inputs.name === `mpto-${stack}-deploy`)!;
      const [trust] = JSON.parse(deploy.inputs.assumeRolePolicy as string).Statement;
      assert.equal(trust.Condition.StringEquals["token.actions.githubusercontent.com:sub"], `repo:${config["mpto:githubRepository"]}:environment:${stack}`);
      const preview = ofType(run, "aws:iam/role:Role").find((r) => r.inputs.name === `mpto-${stack}-deploy-preview`)!;
      assert.equal(JSON.parse(preview.inputs.assumeRolePolicy as string).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"], `repo:${config["mpto:githubRepository"]}:environment:${stack}-preview`);
      for (const p of ofType(run, "aws:iam/policy:Policy").filter((x: RecordedResource) => x.name.startsWith("ci-"))) {
        for (const s of JSON.parse(p.inputs.policy as string).Statement) {
          const actions = asList<string>(s.Action);
          assert.ok(!actions.includes("*") && !actions.some((a) => /^[a-z0-9-]+:\*$/.test(a)), `${p.name} ${s.Sid}`);
        }
      }
    });
  });
}
