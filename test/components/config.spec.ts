import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { appRuntimeRoleArgs, appStackOutputs } from "../../components/app/config";
import { accountBaselineArgs, stackBudgetArgs } from "../../components/baseline/config";
import { ciDeployRoleArgs } from "../../components/ci/config";
import { cdnArgs, cdnStackOutputs } from "../../components/edge/config";
import { identityFields, userPoolArgs } from "../../components/identity/config";
import { USER_POOL_DEFAULTS } from "../../components/identity/UserPool";
import { mailDomainArgs, mailStackOutputs } from "../../components/mail/config";
import { mediaBucketArgs, videoPipelineArgs } from "../../components/media/config";
import { monitoringConfigArgs, uptimeCanaryArgs } from "../../components/monitoring/config";
import { sessionTableArgs } from "../../components/sessions/config";
import { parseStackConfig, StackConfig } from "../../stacks/config";
import { loadStackFile } from "../../tools/mocks/stackFile";
import { ROOT } from "../support/harness";

/**
 * How each component reads its config section (components/<area>/config.ts): the spellings it
 * converts, the defaults it derives, the components a stack has only when configured, and the
 * stack outputs it declares. The whole program's effect of each key is in test/stacks/configEffect.spec.ts.
 */

/** A stack's config with overrides; an undefined override removes the key. */
function configOf(stack: "dev" | "prod", overrides: Record<string, string | undefined> = {}): StackConfig {
  const loaded = loadStackFile(ROOT, stack);
  const raw: Record<string, string> = { ...loaded.config };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete raw[key];
    else raw[key] = value;
  }
  return parseStackConfig(stack, raw, new Set([...loaded.secretKeys, ...Object.keys(overrides).filter((k) => /Secret$/.test(k))]));
}
const SES = { identityArn: "arn:aws:ses:eu-west-2:123456789012:identity/example.com", configurationSetName: "mpto-transactional" };

describe("component config reading (components/*/config.ts)", () => {
  describe("identity", () => {
    it("converts config's lower-case spellings to the UserPool's and passes the rest as they are", () => {
      const args = userPoolArgs(
        configOf("dev", { "mpto:userPoolMfa": "optional", "mpto:userPoolFeaturePlan": "plus", "mpto:userPoolThreatProtection": "audit", "mpto:userPoolPasswordMinLength": "14" }),
        SES,
        "arn:topic",
      );
      assert.deepEqual([args.mfa, args.featurePlan, args.threatProtection, args.passwordMinimumLength], ["OPTIONAL", "PLUS", "AUDIT", 14]);
      assert.equal(args.federatedIdentityProvider, undefined);
      assert.equal(args.callbackUrls, undefined, "callbacks only with the hosted domain");
    });
    it("takes every default from USER_POOL_DEFAULTS, so config and the component cannot disagree (self sign-up: true, as deployed)", () => {
      const lower = (s: string) => s.toLowerCase();
      assert.equal(identityFields.userPoolMfa.default, lower(USER_POOL_DEFAULTS.mfa));
      assert.equal(identityFields.userPoolFeaturePlan.default, lower(USER_POOL_DEFAULTS.featurePlan));
      assert.equal(identityFields.userPoolThreatProtection.default, lower(USER_POOL_DEFAULTS.threatProtection));
      assert.equal(identityFields.userPoolSelfSignUp.default, true);
      assert.equal(USER_POOL_DEFAULTS.selfSignUp, true);
      assert.equal(identityFields.userPoolPasswordMinLength.default, USER_POOL_DEFAULTS.passwordMinimumLength);
      assert.equal(identityFields.authAccessTokenMinutes.default, USER_POOL_DEFAULTS.accessTokenValidityMinutes);
      assert.equal(identityFields.authIdTokenMinutes.default, USER_POOL_DEFAULTS.idTokenValidityMinutes);
      assert.equal(identityFields.authRefreshTokenDays.default, USER_POOL_DEFAULTS.refreshTokenValidityDays);
      assert.equal(identityFields.userPoolClientSecret.default, USER_POOL_DEFAULTS.generateClientSecret);
    });
    it("sends through SES only with userPoolEmailViaSes, from no-reply@<mailDomain> unless userPoolEmailFrom is set", () => {
      assert.equal(userPoolArgs(configOf("dev", { "mpto:userPoolEmailViaSes": "false" }), SES, "arn:topic").sesIdentityArn, undefined);
      const via = userPoolArgs(configOf("dev", { "mpto:userPoolEmailViaSes": "true" }), SES, "arn:topic");
      assert.deepEqual([via.sesIdentityArn, via.fromAddress, via.sesConfigurationSet], [SES.identityArn, `no-reply@${configOf("dev").mailDomain}`, SES.configurationSetName]);
      const from = `accounts@${configOf("dev").mailDomain}`;
      assert.equal(userPoolArgs(configOf("dev", { "mpto:userPoolEmailViaSes": "true", "mpto:userPoolEmailFrom": from }), SES, "arn:topic").fromAddress, from);
    });
    it("builds the Google or OIDC provider from the userPoolFederation* keys", () => {
      const hosted = {
        "mpto:userPoolDomainPrefix": "mpto-dev-signin",
        "mpto:authCallbackUrls": '["https://dev.example.com/cb"]',
        "mpto:userPoolFederationClientId": "id",
        "mpto:userPoolFederationClientSecret": "s",
      };
      const google = userPoolArgs(configOf("dev", { ...hosted, "mpto:userPoolFederation": "google" }), SES, "arn:topic");
      assert.equal(google.federatedIdentityProvider?.type, "Google");
      assert.deepEqual(google.callbackUrls, ["https://dev.example.com/cb"]);
      const oidc = userPoolArgs(
        configOf("dev", {
          ...hosted,
          "mpto:userPoolFederation": "oidc",
          "mpto:userPoolFederationName": "Schools",
          "mpto:userPoolFederationIssuerUrl": "https://login.example.org",
        }),
        SES,
        "arn:topic",
      );
      assert.deepEqual(
        [oidc.federatedIdentityProvider?.type, oidc.federatedIdentityProvider?.name, oidc.federatedIdentityProvider?.issuerUrl],
        ["OIDC", "Schools", "https://login.example.org"],
      );
      assert.ok(pulumi.Output.isInstance(oidc.federatedIdentityProvider?.clientSecret), "the client secret stays a Pulumi secret");
    });
  });

  describe("mail", () => {
    it("sends DMARC reports to adminEmail unless dmarcReportEmail is set, and suffixes both set names", () => {
      const dev = configOf("dev", { "mpto:mailConfigurationSetSuffix": "-dev", "mpto:dmarcReportEmail": undefined });
      const args = mailDomainArgs(dev, "arn:topic");
      assert.deepEqual(
        [args.dmarcReportEmail, args.transactionalSetName, args.marketingSetName, args.eventHandlerErrorThreshold],
        [dev.adminEmail, "mpto-transactional-dev", "mpto-marketing-dev", dev.alarmLambdaErrors],
      );
      const unsuffixed = mailDomainArgs(configOf("prod", { "mpto:dmarcReportEmail": "dmarc@example.org" }), "arn:topic");
      assert.deepEqual([unsuffixed.dmarcReportEmail, unsuffixed.transactionalSetName], ["dmarc@example.org", "mpto-transactional"]);
    });
    it("declares the sender and the CC copy among its stack outputs", () => {
      const prod = configOf("prod");
      const fake = new Proxy({}, { get: (_t, p) => `mail.${String(p)}` }) as never;
      const outputs = mailStackOutputs(fake, prod);
      assert.deepEqual(Object.keys(outputs), [
        "mailDomain",
        "mailIdentityArn",
        "mailConfigurationSet",
        "mailBookingsSender",
        "mailAdminCc",
        "mailEventsTopicArn",
        "mailEventHandlerFunctionName",
        "mailAlarmNames",
        "mailDnsRecords",
      ]);
      assert.deepEqual([outputs.mailBookingsSender, outputs.mailAdminCc, outputs.mailDomain], [prod.bookingsSender, prod.adminEmail, "mail.domain"]);
    });
  });

  describe("media and edge", () => {
    it("expires uploaded originals only where the pipeline transcodes them, and has a pipeline only when asked", () => {
      const off = configOf("dev", { "mpto:videoPipeline": "false", "mpto:videoOriginalsExpireDays": "7" });
      assert.deepEqual([mediaBucketArgs(off).eventBridgeNotifications, mediaBucketArgs(off).uploadsExpireDays], [false, 0]);
      assert.equal(videoPipelineArgs(off, { bucketName: pulumi.output("b"), bucketArn: pulumi.output("a") }, "arn:topic"), undefined);
      const on = configOf("dev", { "mpto:videoPipeline": "true", "mpto:videoOriginalsExpireDays": "7" });
      assert.deepEqual([mediaBucketArgs(on).eventBridgeNotifications, mediaBucketArgs(on).uploadsExpireDays], [true, 7]);
      assert.equal(videoPipelineArgs(on, { bucketName: pulumi.output("b"), bucketArn: pulumi.output("a") }, "arn:topic")?.maxUploadBytes, on.mediaMaxVideoUploadBytes);
    });
    it("serves the site host names, names the region's upload endpoints in the CSP and declares the outputs in the stack's order", () => {
      const prod = configOf("prod");
      const media = { bucketRegionalDomainName: pulumi.output("b.s3.eu-west-2.amazonaws.com") };
      const args = cdnArgs(prod, media, "arn:edge-topic");
      assert.deepEqual(args.domainNames, prod.siteHostnames);
      assert.deepEqual(args.sitePolicy?.uploadOrigins, ["https://*.s3.eu-west-2.amazonaws.com"]);
      const fake = new Proxy({}, { get: (_t, p) => `cdn.${String(p)}` }) as never;
      assert.deepEqual(Object.keys(cdnStackOutputs(fake, prod, media)).slice(0, 8), [
        "cdnDistributionId",
        "cdnDistributionArn",
        "cdnDomainName",
        "cdnWebAclArn",
        "cdnWebAclName",
        "cdnAccessLogGroupName",
        "cdnWafLogGroupName",
        "mediaPathPrefix",
      ]);
    });
  });

  describe("optional components and the rest", () => {
    it("creates the CI roles, the account baseline, the canary and the app role only when configured", () => {
      const dev = configOf("dev", { "mpto:uptimeCanaryMinutes": "0", "mpto:accountBaselineOwner": "false" });
      assert.equal(uptimeCanaryArgs(dev, "d.cloudfront.net", "arn:topic"), undefined);
      assert.equal(accountBaselineArgs(dev, { alertTopicArn: "a", edgeAlertTopicArn: "e" }, ["Project"]), undefined);
      assert.equal(ciDeployRoleArgs(configOf("dev", { "mpto:githubRepository": undefined })), undefined);
      assert.equal(appRuntimeRoleArgs(configOf("dev", { "mpto:vercelTeamSlug": undefined, "mpto:vercelProjectName": undefined }), { sessionTableName: "t" }), undefined);
    });
    it("lets the baseline owner create the GitHub OIDC provider unless createGithubOidcProvider says otherwise", () => {
      const ci = (owner: string, create?: string) =>
        ciDeployRoleArgs(configOf("prod", { "mpto:githubRepository": "my-org/mpto-aws", "mpto:accountBaselineOwner": owner, "mpto:createGithubOidcProvider": create }));
      assert.deepEqual(
        [ci("true")?.createOidcProvider, ci("true", "false")?.createOidcProvider, ci("false")?.createOidcProvider, ci("false", "true")?.createOidcProvider],
        [true, false, false, true],
      );
      assert.equal(ci("true")?.roleName, "mpto-prod-deploy");
    });
    it("names the budget and the canary after the stack, and activates cost allocation tags only when asked", () => {
      const prod = configOf("prod", { "mpto:accountBaselineOwner": "true", "mpto:activateCostAllocationTags": "false" });
      assert.deepEqual([stackBudgetArgs(prod, "t").budgetName, stackBudgetArgs(prod, "t").costTag], ["mpto-prod-monthly", { key: "Environment", value: "prod" }]);
      assert.deepEqual(accountBaselineArgs(prod, { alertTopicArn: "a", edgeAlertTopicArn: "e" }, ["Project"])?.costAllocationTagKeys, []);
      const tagged = configOf("prod", { "mpto:accountBaselineOwner": "true", "mpto:activateCostAllocationTags": "true" });
      assert.deepEqual(accountBaselineArgs(tagged, { alertTopicArn: "a", edgeAlertTopicArn: "e" }, ["Project"])?.costAllocationTagKeys, ["Project"]);
      const canary = uptimeCanaryArgs(configOf("prod", { "mpto:uptimeCanaryMinutes": "10" }), "d.cloudfront.net", "t");
      assert.deepEqual([canary?.canaryName, canary?.rateMinutes, canary?.siteHost], ["mpto-prod-uptime", 10, configOf("prod").siteHostnames[0]]);
    });
    it("passes each component its alarm threshold and topic, Monitoring its dashboard settings, the session table its recovery window", () => {
      const prod = configOf("prod", {
        "mpto:alarmWafBlockedRequests": "750",
        "mpto:alarmDynamoDbThrottles": "3",
        "mpto:alarmCognitoSignInThrottles": "4",
        "mpto:sessionTableRecoveryDays": "7",
      });
      assert.equal(cdnArgs(prod, { bucketRegionalDomainName: pulumi.output("b") }, "arn:edge-topic").alarms?.wafBlockedRequests, 750);
      assert.equal(cdnArgs(prod, { bucketRegionalDomainName: pulumi.output("b") }, "arn:edge-topic").alarms?.topicArn, "arn:edge-topic");
      assert.deepEqual(sessionTableArgs(prod, "arn:topic"), {
        protect: prod.protectStatefulResources,
        pointInTimeRecoveryDays: 7,
        alarmTopicArn: "arn:topic",
        throttleAlarmThreshold: 3,
      });
      assert.deepEqual([userPoolArgs(prod, SES, "arn:topic").alarmTopicArn, userPoolArgs(prod, SES, "arn:topic").signInThrottleAlarmThreshold], ["arn:topic", 4]);
      assert.deepEqual(monitoringConfigArgs(prod), { environment: "prod", cloudFrontAdditionalMetrics: prod.cloudFrontAdditionalMetrics });
      const fake = new Proxy({}, { get: (_t, p) => `app.${String(p)}` }) as never;
      assert.deepEqual(appStackOutputs(fake), { appRuntimeRoleArn: "app.roleArn", sessionDataKeyArn: "app.sessionDataKeyArn" });
    });
  });
});
