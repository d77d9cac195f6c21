import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { MailDomain, MailDomainArgs } from "../../../components/mail/MailDomain";
import { dmarcValue, MailDnsRecord } from "../../../components/mail/mailDns";
import { pseudonymKeyFrom } from "../../../functions/mail/sesEventHandler";
import type { MockRunResult, RecordedResource } from "../../../tools/mocks/runtime";
import { declare, declareStack, named, ofType, oneOf } from "../../support/harness";
import { REQUIRED_TAG_KEYS } from "../../../stacks/tags";

const ZONE = "Z0MPTOTESTZONE01";
const TOPIC = "arn:aws:sns:eu-west-2:123456789012:alerts";

let component: MailDomain | undefined;
function build(args: Partial<MailDomainArgs> = {}): Promise<MockRunResult> {
  return declare(() => (component = new MailDomain("mail", { domain: "example.co.uk", ...args })));
}

function outputOf<T>(output: { apply: (f: (v: T) => void) => unknown }): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

interface Statement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}
const statements = (r: RecordedResource, key = "policy") => (JSON.parse(r.inputs[key] as string) as { Statement: Statement[] }).Statement;

describe("MailDomain (mpto:mail:MailDomain)", () => {
  let result: MockRunResult;
  let records: MailDnsRecord[];
  before(async () => {
    result = await build({ route53ZoneId: ZONE, dmarcPolicy: "quarantine", dmarcReportEmail: "dmarc@example.co.uk", alarmTopicArn: TOPIC });
    records = await outputOf<MailDnsRecord[]>(component!.dnsRecords);
  });

  it("verifies the domain with an SES v2 identity using Easy DKIM with 2048-bit keys and the transactional set by default", () => {
    const identity = oneOf(result, "aws:sesv2/emailIdentity:EmailIdentity");
    assert.equal(identity.inputs.emailIdentity, "example.co.uk");
    assert.deepEqual(identity.inputs.dkimSigningAttributes, { nextSigningKeyLength: "RSA_2048_BIT" });
    assert.equal(identity.inputs.configurationSetName, "mpto-transactional");
    assert.equal(identity.region, "eu-west-2");
  });

  it("publishes three DKIM CNAMEs, MAIL FROM MX and SPF, and DMARC, in the Route 53 zone", () => {
    const route53 = ofType(result, "aws:route53/record:Record");
    assert.equal(route53.length, 6);
    for (const r of route53) assert.equal(r.inputs.zoneId, ZONE);
    const tokens = (oneOf(result, "aws:sesv2/emailIdentity:EmailIdentity").outputs.dkimSigningAttributes as { tokens: string[] }).tokens;
    tokens.forEach((token, i) => {
      const record = named(result, `mail-dkim-${i + 1}`);
      assert.equal(record.inputs.type, "CNAME");
      assert.equal(record.inputs.name, `${token}._domainkey.example.co.uk`);
      assert.deepEqual(record.inputs.records, [`${token}.dkim.amazonses.com`]);
    });
    const mx = named(result, "mail-mail-from-mx");
    assert.equal(mx.inputs.name, "mail.example.co.uk");
    assert.equal(mx.inputs.type, "MX");
    assert.deepEqual(mx.inputs.records, ["10 feedback-smtp.eu-west-2.amazonses.com"]);
    const spf = named(result, "mail-mail-from-spf");
    assert.equal(spf.inputs.name, "mail.example.co.uk");
    assert.deepEqual(spf.inputs.records, ["v=spf1 include:amazonses.com ~all"]);
    const dmarc = named(result, "mail-dmarc");
    assert.equal(dmarc.inputs.name, "_dmarc.example.co.uk");
    assert.equal(dmarc.inputs.type, "TXT");
    assert.deepEqual(dmarc.inputs.records, ["v=DMARC1; p=quarantine; rua=mailto:dmarc@example.co.uk; adkim=r; aspf=r"]);
  });

  it("sets the custom MAIL FROM subdomain on the identity", () => {
    const mailFrom = oneOf(result, "aws:sesv2/emailIdentityMailFromAttributes:EmailIdentityMailFromAttributes");
    assert.equal(mailFrom.inputs.emailIdentity, "example.co.uk");
    assert.equal(mailFrom.inputs.mailFromDomain, "mail.example.co.uk");
    assert.equal(mailFrom.inputs.behaviorOnMxFailure, "USE_DEFAULT_VALUE");
  });

  it("exports the same records as a list, which is all there is when no zone is managed", async () => {
    assert.equal(records.length, 6);
    assert.deepEqual(
      records.map((r) => [r.type, r.name]).slice(3),
      [
        ["MX", "mail.example.co.uk"],
        ["TXT", "mail.example.co.uk"],
        ["TXT", "_dmarc.example.co.uk"],
      ],
    );
    const manual = await build({ mailFromSubdomain: "bounce" });
    assert.equal(ofType(manual, "aws:route53/record:Record").length, 0, "no records without a zone");
    const exported = await outputOf<MailDnsRecord[]>(component!.dnsRecords);
    assert.equal(exported.length, 6);
    assert.ok(exported.every((r) => r.ttl === 1800 && r.purpose.length > 0));
    assert.equal(exported.find((r) => r.type === "MX")!.name, "bounce.example.co.uk");
    assert.equal(exported.find((r) => r.name === "_dmarc.example.co.uk")!.value, "v=DMARC1; p=none; adkim=r; aspf=r");
  });

  it("creates mpto-transactional with TLS required, reputation metrics, bounce and complaint suppression and sending enabled", () => {
    const set = oneOf(result, "aws:sesv2/configurationSet:ConfigurationSet");
    assert.equal(set.inputs.configurationSetName, "mpto-transactional");
    assert.deepEqual(set.inputs.deliveryOptions, { tlsPolicy: "REQUIRE" });
    assert.deepEqual(set.inputs.reputationOptions, { reputationMetricsEnabled: true });
    assert.deepEqual(set.inputs.suppressionOptions, { suppressedReasons: ["BOUNCE", "COMPLAINT"] });
    assert.deepEqual(set.inputs.sendingOptions, { sendingEnabled: true });
  });

  it("creates mpto-marketing with the same settings and event destinations only when asked", async () => {
    const r = await build({ marketingSet: true });
    const sets = ofType(r, "aws:sesv2/configurationSet:ConfigurationSet");
    assert.deepEqual(sets.map((s) => s.inputs.configurationSetName).sort(), ["mpto-marketing", "mpto-transactional"]);
    const marketing = sets.find((s) => s.inputs.configurationSetName === "mpto-marketing")!;
    assert.deepEqual(marketing.inputs.deliveryOptions, { tlsPolicy: "REQUIRE" });
    assert.deepEqual(marketing.inputs.suppressionOptions, { suppressedReasons: ["BOUNCE", "COMPLAINT"] });
    const destinations = ofType(r, "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination");
    assert.equal(destinations.filter((d) => d.inputs.configurationSetName === "mpto-marketing").length, 2);
    assert.equal(await outputOf<string>(component!.marketingConfigurationSetName!), "mpto-marketing");
    // The topic policy lets both sets publish.
    const policy = statements(oneOf(r, "aws:sns/topicPolicy:TopicPolicy"))[0];
    assert.deepEqual(policy.Condition!.StringEquals["aws:SourceArn"], [
      "arn:aws:ses:eu-west-2:123456789012:configuration-set/mpto-transactional",
      "arn:aws:ses:eu-west-2:123456789012:configuration-set/mpto-marketing",
    ]);
  });

  it("publishes sending events to CloudWatch with configuration-set and mail-type dimensions", () => {
    const cw = named(result, "mail-transactional-cloudwatch");
    const destination = cw.inputs.eventDestination as { enabled: boolean; matchingEventTypes: string[]; cloudWatchDestination: { dimensionConfigurations: unknown[] } };
    assert.equal(cw.inputs.configurationSetName, "mpto-transactional");
    assert.equal(destination.enabled, true);
    for (const type of ["SEND", "DELIVERY", "BOUNCE", "COMPLAINT", "REJECT", "DELIVERY_DELAY"]) assert.ok(destination.matchingEventTypes.includes(type), type);
    assert.deepEqual(destination.cloudWatchDestination.dimensionConfigurations, [
      { dimensionName: "ses:configuration-set", dimensionValueSource: "MESSAGE_TAG", defaultDimensionValue: "mpto-transactional" },
      { dimensionName: "mail-type", dimensionValueSource: "MESSAGE_TAG", defaultDimensionValue: "untagged" },
    ]);
  });

  it("publishes bounces, complaints, rejects and delays to the events topic, after SES may publish there", () => {
    const sns = named(result, "mail-transactional-sns");
    const destination = sns.inputs.eventDestination as { matchingEventTypes: string[]; snsDestination: { topicArn: string } };
    assert.deepEqual(destination.matchingEventTypes, ["BOUNCE", "COMPLAINT", "REJECT", "DELIVERY_DELAY"]);
    const topic = oneOf(result, "aws:sns/topic:Topic");
    assert.equal(destination.snsDestination.topicArn, topic.outputs.arn);
    assert.ok(sns.options.dependsOn?.includes(oneOf(result, "aws:sns/topicPolicy:TopicPolicy").urn));
  });

  it("encrypts the events topic with a rotating customer-managed key SES may use only through SNS of this account", () => {
    const topic = oneOf(result, "aws:sns/topic:Topic");
    const key = oneOf(result, "aws:kms/key:Key");
    assert.equal(topic.inputs.kmsMasterKeyId, key.outputs.arn);
    assert.equal(key.inputs.enableKeyRotation, true);
    const ses = statements(key).find((s) => s.Sid === "AllowSesThroughSns")!;
    assert.deepEqual(ses.Principal, { Service: "ses.amazonaws.com" });
    assert.deepEqual(ses.Action, ["kms:GenerateDataKey*", "kms:Decrypt"]);
    assert.deepEqual(ses.Condition, {
      StringEquals: { "aws:SourceAccount": "123456789012" },
      StringLike: { "kms:EncryptionContext:aws:sns:topicArn": "arn:aws:sns:eu-west-2:123456789012:*" },
    });
  });

  it("lets only this account's configuration sets publish to the topic, over TLS, with no public principal", () => {
    const [allow, deny] = statements(oneOf(result, "aws:sns/topicPolicy:TopicPolicy"));
    assert.deepEqual(allow.Principal, { Service: "ses.amazonaws.com" });
    assert.equal(allow.Action, "sns:Publish");
    assert.deepEqual(allow.Condition, {
      StringEquals: { "aws:SourceAccount": "123456789012", "aws:SourceArn": ["arn:aws:ses:eu-west-2:123456789012:configuration-set/mpto-transactional"] },
    });
    assert.equal(deny.Effect, "Deny");
    assert.deepEqual(deny.Condition, { Bool: { "aws:SecureTransport": "false" } });
  });

  it("subscribes the event handler Lambda to the topic, invocable only by that topic", () => {
    const handler = oneOf(result, "mpto:functions:NodeFunction");
    assert.equal(handler.name, "mail-events-handler");
    assert.equal(handler.parent, oneOf(result, "mpto:mail:MailDomain").urn);
    const fn = oneOf(result, "aws:lambda/function:Function");
    assert.equal(fn.inputs.runtime, "nodejs24.x");
    assert.deepEqual(fn.inputs.architectures, ["arm64"]);
    const permission = oneOf(result, "aws:lambda/permission:Permission");
    const topic = oneOf(result, "aws:sns/topic:Topic");
    assert.equal(permission.inputs.principal, "sns.amazonaws.com");
    assert.equal(permission.inputs.sourceArn, topic.outputs.arn);
    assert.match(String(fn.outputs.name), /^mail-events-handler-fn-/);
    assert.equal(permission.inputs.function, fn.outputs.name);
    const subscription = oneOf(result, "aws:sns/topicSubscription:TopicSubscription");
    assert.equal(subscription.inputs.protocol, "lambda");
    assert.equal(subscription.inputs.endpoint, fn.outputs.arn);
    assert.equal(subscription.inputs.topic, topic.outputs.arn);
    assert.ok(subscription.options.dependsOn?.includes(permission.urn));
  });

  it("gives the event handler its pseudonym key (MPTO_PSEUDONYM_KEY): generated in the stack, 32 bytes, a key the handler accepts", () => {
    const key = oneOf(result, "random:index/randomBytes:RandomBytes");
    assert.equal(key.name, "mail-pseudonym-key");
    assert.equal(key.parent, oneOf(result, "mpto:mail:MailDomain").urn);
    assert.equal(key.inputs.length, 32);
    // The environment holds a secret, so the engine receives it as a secret (the SDK's envelope).
    const recorded = oneOf(result, "aws:lambda/function:Function").inputs.environment as any;
    assert.equal(recorded[specialSigKey], specialSecretSig);
    const env = recorded.value.variables;
    assert.equal(env.MPTO_PSEUDONYM_KEY, key.outputs.base64);
    const parsed = pseudonymKeyFrom(env.MPTO_PSEUDONYM_KEY as string);
    assert.ok(parsed, "the handler would use the key, not fall back to domain-only logging");
    assert.equal(parsed.length, 32);
  });

  it("passes the pseudonym key as a secret, and takes one from its args instead of generating it", async () => {
    const given = Buffer.alloc(32, 7).toString("base64");
    const r = await declare(() => {
      component = new MailDomain("mail", { domain: "example.co.uk", eventHandlerPseudonymKey: given });
    });
    assert.equal(ofType(r, "random:index/randomBytes:RandomBytes").length, 0);
    assert.equal((oneOf(r, "aws:lambda/function:Function").inputs.environment as any).value.variables.MPTO_PSEUDONYM_KEY, given);
    // What the engine receives: the function's environment as the program declared it.
    let key: unknown;
    await declare(() => {
      pulumi.runtime.registerStackTransformation((a) => {
        if (a.type === "aws:lambda/function:Function") key = (a.props.environment as any).variables.MPTO_PSEUDONYM_KEY;
        return undefined;
      });
      new MailDomain("mail", { domain: "example.co.uk" });
    });
    assert.ok(pulumi.Output.isInstance(key));
    assert.equal(await (key as any).isSecret, true);
  });

  it("gives the event handler no permission beyond its logs, traces and dead-letter queue", () => {
    const policy = statements(oneOf(result, "aws:iam/rolePolicy:RolePolicy"));
    const actions = policy.flatMap((s) => ([] as string[]).concat(s.Action)).sort();
    assert.deepEqual(actions, ["logs:CreateLogStream", "logs:PutLogEvents", "sqs:SendMessage", "xray:PutTelemetryRecords", "xray:PutTraceSegments"]);
  });

  it("can leave the event handler out", async () => {
    const r = await build({ eventHandler: false });
    assert.equal(ofType(r, "aws:lambda/function:Function").length, 0);
    assert.equal(ofType(r, "aws:sns/topicSubscription:TopicSubscription").length, 0);
    assert.equal(component!.eventHandlerFunctionName, undefined, "no function, no output (not an empty name)");
  });

  it("alarms on the account's bounce and complaint rates below and at AWS's review levels, into the alert topic", () => {
    const sesAlarms = ofType(result, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.inputs.namespace === "AWS/SES");
    const byName = Object.fromEntries(sesAlarms.map((a) => [a.name, a]));
    assert.deepEqual(Object.keys(byName).sort(), ["mail-bounce-rate", "mail-bounce-rate-review", "mail-complaint-rate", "mail-complaint-rate-review"]);
    assert.equal(byName["mail-bounce-rate"].inputs.metricName, "Reputation.BounceRate");
    assert.equal(byName["mail-bounce-rate"].inputs.threshold, 0.02);
    assert.equal(byName["mail-bounce-rate-review"].inputs.threshold, 0.05);
    assert.equal(byName["mail-complaint-rate"].inputs.metricName, "Reputation.ComplaintRate");
    assert.equal(byName["mail-complaint-rate"].inputs.threshold, 0.0005);
    assert.equal(byName["mail-complaint-rate-review"].inputs.threshold, 0.001);
    for (const a of sesAlarms) {
      assert.equal(a.inputs.comparisonOperator, "GreaterThanThreshold");
      assert.equal(a.inputs.treatMissingData, "notBreaching");
      assert.deepEqual(a.inputs.alarmActions, [TOPIC]);
      assert.deepEqual(a.inputs.okActions, [TOPIC]);
    }
    // The handler's own alarms (errors, throttles, dead letters) go to the same topic.
    const lambdaAlarms = ofType(result, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.inputs.namespace !== "AWS/SES");
    assert.deepEqual(lambdaAlarms.map((a) => a.inputs.metricName).sort(), ["ApproximateNumberOfMessagesVisible", "Errors", "Throttles"]);
    for (const a of lambdaAlarms) assert.deepEqual(a.inputs.alarmActions, [TOPIC]);
  });

  it("takes the warning thresholds from its arguments and creates alarms without actions when there is no topic", async () => {
    const r = await build({ bounceRateThreshold: 0.01, complaintRateThreshold: 0.0003 });
    assert.equal(named(r, "mail-bounce-rate").inputs.threshold, 0.01);
    assert.equal(named(r, "mail-complaint-rate").inputs.threshold, 0.0003);
    assert.deepEqual(named(r, "mail-bounce-rate").inputs.alarmActions, []);
    const names = await outputOf<string[]>(component!.alarmNames);
    assert.equal(names.length, 4);
    assert.ok(names.every((n) => n.startsWith("mail-")), names.join(", "));
  });

  it("protects and retains the identity and configuration sets when asked, and nothing else", async () => {
    const r = await build({ protect: true, marketingSet: true });
    const stateful = [...ofType(r, "aws:sesv2/emailIdentity:EmailIdentity"), ...ofType(r, "aws:sesv2/configurationSet:ConfigurationSet")];
    assert.equal(stateful.length, 3);
    for (const s of stateful) assert.deepEqual([s.options.protect, s.options.retainOnDelete], [true, true], s.name);
    for (const other of r.resources.filter((x) => x.custom && !stateful.includes(x))) assert.equal(other.options.protect, undefined, other.name);
    const unprotected = await build();
    for (const s of [...ofType(unprotected, "aws:sesv2/emailIdentity:EmailIdentity"), ...ofType(unprotected, "aws:sesv2/configurationSet:ConfigurationSet")]) assert.equal(s.options.protect, undefined);
  });

  it("names every child after the component and parents it there", () => {
    const mailDomain = oneOf(result, "mpto:mail:MailDomain");
    const direct = result.resources.filter((r) => r.parent === mailDomain.urn);
    assert.ok(direct.length >= 15);
    for (const r of direct) assert.ok(r.name.startsWith("mail-"), r.name);
  });

  it("writes DMARC records that cannot be bent by the report address", () => {
    assert.equal(dmarcValue("reject"), "v=DMARC1; p=reject; adkim=r; aspf=r");
    assert.throws(() => dmarcValue("none", "a@example.com; p=none"), /plain email address/);
    assert.throws(() => dmarcValue("always"), /DMARC policy/);
  });

  it("offers a sending statement limited to its identity, its configuration sets and one From address", async () => {
    let statement: ReturnType<MailDomain["sendingStatement"]> | undefined;
    await declare(() => {
      const m = new MailDomain("m2", { domain: "example.co.uk" });
      statement = m.sendingStatement("bookings@example.co.uk");
      return m;
    });
    const resources = await outputOf<string[]>(pulumi.all(statement!.Resource as pulumi.Input<string>[]));
    assert.deepEqual(resources, ["arn:aws:ses:eu-west-2:123456789012:identity/example.co.uk", "arn:aws:ses:eu-west-2:123456789012:configuration-set/mpto-transactional"]);
    assert.deepEqual(statement!.Action, ["ses:SendEmail", "ses:SendRawEmail"]);
    assert.deepEqual(statement!.Condition, { StringEquals: { "ses:FromAddress": "bookings@example.co.uk" } });
  });

  for (const stack of ["dev", "prod"] as const) {
    describe(`in the ${stack} stack`, () => {
      let plan: MockRunResult;
      before(async () => {
        plan = await declareStack(stack);
      });

      it("uses the stack's tagged provider for every SES, SNS, KMS and Lambda resource (tags via defaultTags)", () => {
        const provider = oneOf(plan, "pulumi:providers:aws");
        const tags = (provider.inputs.defaultTags as { tags: Record<string, string> }).tags;
        for (const key of REQUIRED_TAG_KEYS) assert.ok(tags[key], `default tag ${key}`);
        const mailDomain = oneOf(plan, "mpto:mail:MailDomain");
        const inside = (r: RecordedResource): boolean => r.parent === mailDomain.urn || plan.resources.some((p) => p.urn === r.parent && inside(p));
        const mine = plan.resources.filter((r) => r.custom && r.type.startsWith("aws:") && inside(r));
        assert.ok(mine.length >= 20, `${mine.length} resources`);
        for (const r of mine) assert.equal(r.provider, provider.urn, `${r.name} uses the stack provider`);
        for (const r of mine) assert.equal(r.region, "eu-west-2", `${r.name} is in eu-west-2`);
      });

      it("sends the deliverability alarms to the alert topic", () => {
        const alertTopic = named(plan, "alerts-topic");
        for (const name of ["mail-bounce-rate", "mail-bounce-rate-review", "mail-complaint-rate", "mail-complaint-rate-review"]) {
          assert.deepEqual(named(plan, name).inputs.alarmActions, [alertTopic.outputs.arn], name);
        }
      });

      it("exports the mail DNS records and the configuration set name", () => {
        const records = plan.stackOutputs.mailDnsRecords as MailDnsRecord[];
        assert.equal(records.length, 6);
        // Configuration set names are unique per account and region: dev carries a suffix so both stacks fit one account.
        assert.equal(plan.stackOutputs.mailConfigurationSet, stack === "dev" ? "mpto-transactional-dev" : "mpto-transactional");
        assert.equal(oneOf(plan, "aws:sesv2/emailIdentity:EmailIdentity").inputs.configurationSetName, plan.stackOutputs.mailConfigurationSet);
      });

      if (stack === "dev") {
        it("has no managed zone, so it creates no mail records and asks for quarantine on its own subdomain", () => {
          assert.equal(ofType(plan, "aws:route53/record:Record").filter((r) => r.name.startsWith("mail-")).length, 0);
          const dmarc = (plan.stackOutputs.mailDnsRecords as MailDnsRecord[]).find((r) => r.name === "_dmarc.dev.myprivatetutoronline.com")!;
          assert.equal(dmarc.value, "v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@myprivatetutoronline.com; adkim=r; aspf=r");
        });
        it("leaves the identity and configuration set unprotected", () => {
          assert.equal(oneOf(plan, "aws:sesv2/emailIdentity:EmailIdentity").options.protect, undefined);
          assert.equal(oneOf(plan, "aws:sesv2/configurationSet:ConfigurationSet").options.protect, undefined);
        });
      } else {
        it("creates the six mail records in the apex zone", () => {
          const records = ofType(plan, "aws:route53/record:Record").filter((r) => r.name.startsWith("mail-"));
          assert.equal(records.length, 6);
          for (const r of records) assert.equal(r.inputs.zoneId, "Z0MPTOPRODZONE01");
          assert.deepEqual(named(plan, "mail-mail-from-mx").inputs.records, ["10 feedback-smtp.eu-west-2.amazonses.com"]);
        });
        it("protects and retains the identity and configuration set", () => {
          for (const r of [oneOf(plan, "aws:sesv2/emailIdentity:EmailIdentity"), oneOf(plan, "aws:sesv2/configurationSet:ConfigurationSet")]) {
            assert.deepEqual([r.options.protect, r.options.retainOnDelete], [true, true], r.name);
          }
        });
      }
    });
  }
});
