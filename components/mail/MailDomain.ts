import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { movedFromMonitoring } from "../shared/alarm";
import { join } from "node:path";
import { FunctionPolicyStatement, NodeFunction } from "../lambda/NodeFunction";
import { denyInsecureTransport, policyJson, PolicyStatement } from "../shared/policyDocument";
import { deliverabilityAlarms } from "./deliverability";
import { MailDnsRecord, mailDnsRecords } from "./mailDns";

/** Events published to CloudWatch metrics (OPEN/CLICK need tracking, SUBSCRIPTION needs contact lists: not used). */
export const CLOUDWATCH_EVENT_TYPES = ["SEND", "REJECT", "BOUNCE", "COMPLAINT", "DELIVERY", "DELIVERY_DELAY", "RENDERING_FAILURE"] as const;
/** Events published to the SNS topic the handler reads: the ones somebody may have to act on. */
export const SNS_EVENT_TYPES = ["BOUNCE", "COMPLAINT", "REJECT", "DELIVERY_DELAY"] as const;

/** The mail domain's defaults (the mailFromSubdomain, dmarcPolicy and marketingConfigurationSet keys take theirs from here). */
export const MAIL_DOMAIN_DEFAULTS = { mailFromSubdomain: "mail", dmarcPolicy: "none", marketingSet: false, eventHandlerThrottleThreshold: 1 } as const;

export interface MailDomainArgs {
  /** Domain SES sends from, verified with Easy DKIM. Required. */
  domain: pulumi.Input<string>;
  /** Label of the custom MAIL FROM subdomain (`<label>.<domain>`): MX + SPF for bounces, never used to receive mail. Default "mail". */
  mailFromSubdomain?: pulumi.Input<string>;
  /** DMARC policy p= : "none" (monitor), "quarantine" or "reject". Default "none". */
  dmarcPolicy?: pulumi.Input<"none" | "quarantine" | "reject">;
  /** Address for DMARC aggregate reports (rua). Default none: no reports are requested. */
  dmarcReportEmail?: pulumi.Input<string>;
  /** Route 53 hosted zone that holds the domain: records are created there. Default none: records are only exported (`dnsRecords`). */
  route53ZoneId?: pulumi.Input<string>;
  /** TTL of the DNS records in seconds. Default 1800. */
  dnsTtl?: number;
  /** Name of the transactional configuration set (account- and region-unique). Default "mpto-transactional". */
  transactionalSetName?: string;
  /** Create the marketing configuration set as well. Default false. */
  marketingSet?: boolean;
  /** Name of the marketing configuration set. Default "mpto-marketing". */
  marketingSetName?: string;
  /** SNS topic for the deliverability alarms and the event handler's alarms. Default none: alarms without actions. */
  alarmTopicArn?: pulumi.Input<string>;
  /** Account bounce rate (fraction) of the warning alarm, below AWS's 5% review level. Default 0.02. */
  bounceRateThreshold?: pulumi.Input<number>;
  /** Account complaint rate (fraction) of the warning alarm, below AWS's 0.1% review level. Default 0.0005. */
  complaintRateThreshold?: pulumi.Input<number>;
  /** Errors per 5 minutes at which the event handler's errors alarm fires. Default 1. */
  eventHandlerErrorThreshold?: pulumi.Input<number>;
  /** Throttles per 5 minutes at which the event handler's throttles alarm fires. Default 1. */
  eventHandlerThrottleThreshold?: number;
  /** Deploy the SES event handler Lambda subscribed to the events topic. Default true. */
  eventHandler?: boolean;
  /** Log retention of the event handler in days. Default 30. */
  logRetentionDays?: pulumi.Input<number>;
  /** Reserved concurrency of the event handler. Default unset (see NodeFunctionArgs.reservedConcurrency). */
  eventHandlerReservedConcurrency?: pulumi.Input<number>;
  /**
   * Key (base64, at least 32 bytes) of the handler's keyed HMAC recipient pseudonyms
   * (functions/mail/sesEventHandler.ts `MPTO_PSEUDONYM_KEY`). Default: 32 random bytes generated
   * in the stack (`${name}-pseudonym-key`), a secret in state, stable across updates.
   */
  eventHandlerPseudonymKey?: pulumi.Input<string>;
  /** Protect the identity and configuration sets from deletion (and keep them if removed from the program). Default false. */
  protect?: boolean;
}

/**
 * An SES v2 sending domain in the stack's region: Easy DKIM (RSA 2048), a custom MAIL FROM
 * subdomain, DMARC, the transactional configuration set (TLS required, reputation metrics,
 * suppression of bounces and complaints) and optionally a marketing one, both publishing events to
 * CloudWatch and to an encrypted SNS topic read by a Lambda handler, plus alarms on the account's
 * reputation metrics. DNS records go into Route 53 when the zone is given, else they are exported.
 */
export class MailDomain extends pulumi.ComponentResource {
  /** ARN of the SES domain identity. */
  public readonly identityArn: pulumi.Output<string>;
  /** The verified domain. */
  public readonly domain: pulumi.Output<string>;
  /** The custom MAIL FROM domain. */
  public readonly mailFromDomain: pulumi.Output<string>;
  /** Name of the transactional configuration set. */
  public readonly transactionalConfigurationSetName: pulumi.Output<string>;
  /** ARN of the transactional configuration set. */
  public readonly transactionalConfigurationSetArn: pulumi.Output<string>;
  /** Name of the marketing configuration set, present only when it is created (`marketingSet`). */
  public readonly marketingConfigurationSetName?: pulumi.Output<string>;
  /** ARN of the SNS topic receiving bounce, complaint, reject and delay events. */
  public readonly eventsTopicArn: pulumi.Output<string>;
  /** Name of the event handler Lambda, present only when it is deployed. */
  public readonly eventHandlerFunctionName?: pulumi.Output<string>;
  /** Names of the deliverability alarms (warning and review level, bounce and complaint). */
  public readonly alarmNames: pulumi.Output<string[]>;
  /** Names of the event handler's alarms (errors, throttles, dead letters; none without a handler or topic). */
  public readonly eventHandlerAlarmNames: pulumi.Output<string[]>;
  /** Every DNS record the domain needs (created in Route 53 when `route53ZoneId` is set; otherwise create them by hand). */
  public readonly dnsRecords: pulumi.Output<MailDnsRecord[]>;

  private readonly configurationSetArns: pulumi.Output<string>[];

  constructor(name: string, args: MailDomainArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mpto:mail:MailDomain", name, {}, opts);

    const protect = args.protect ?? false;
    const stateful: pulumi.CustomResourceOptions = { parent: this, protect, retainOnDelete: protect };
    const ttl = args.dnsTtl ?? 1800;
    const domain = pulumi.output(args.domain);
    const mailFromDomain = pulumi.interpolate`${args.mailFromSubdomain ?? MAIL_DOMAIN_DEFAULTS.mailFromSubdomain}.${domain}`;
    const region = aws.getRegionOutput({}, { parent: this }).region;
    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;

    // --- Configuration sets ----------------------------------------------------------------------
    const sets: { role: string; name: string; set: aws.sesv2.ConfigurationSet }[] = [];
    const setNames = [{ role: "transactional", name: args.transactionalSetName ?? "mpto-transactional" }];
    if (args.marketingSet ?? MAIL_DOMAIN_DEFAULTS.marketingSet) setNames.push({ role: "marketing", name: args.marketingSetName ?? "mpto-marketing" });
    for (const { role, name: setName } of setNames) {
      const set = new aws.sesv2.ConfigurationSet(
        `${name}-${role}`,
        {
          configurationSetName: setName,
          deliveryOptions: { tlsPolicy: "REQUIRE" }, // AWS Config ses-sending-tls-required; never deliver in clear text
          reputationOptions: { reputationMetricsEnabled: true }, // per-set Reputation.* metrics in CloudWatch
          suppressionOptions: { suppressedReasons: ["BOUNCE", "COMPLAINT"] }, // never mail a hard-bounced or complaining address again
          sendingOptions: { sendingEnabled: true },
          // Tagged through the provider's default tags: Security Hub SES.2 (configuration sets tagged).
        },
        stateful,
      );
      sets.push({ role, name: setName, set });
    }
    const transactional = sets[0];
    this.configurationSetArns = sets.map((s) => s.set.arn);

    // --- Identity, DKIM, MAIL FROM ---------------------------------------------------------------
    const identity = new aws.sesv2.EmailIdentity(
      `${name}-identity`,
      {
        emailIdentity: domain,
        dkimSigningAttributes: { nextSigningKeyLength: "RSA_2048_BIT" }, // Easy DKIM, 2048-bit keys: Checkov CKV_AWS_365 (DKIM)
        configurationSetName: transactional.set.configurationSetName, // default set: even a send that forgets it is tracked
        // sesv2 (not v1 ses.DomainIdentity) so that the identity carries the required tags.
      },
      stateful,
    );
    new aws.sesv2.EmailIdentityMailFromAttributes(
      `${name}-mail-from`,
      {
        emailIdentity: identity.emailIdentity,
        mailFromDomain,
        // If the MX record goes missing SES falls back to amazonses.com (mail still flows, DKIM still aligns).
        behaviorOnMxFailure: "USE_DEFAULT_VALUE",
      },
      { parent: this },
    );

    // DKIM, MAIL FROM (MX + SPF) and DMARC: in Route 53 when the zone is given, else exported (mailDns.ts).
    this.dnsRecords = mailDnsRecords(this, name, {
      domain,
      mailFromDomain,
      region,
      dkimTokens: identity.dkimSigningAttributes.apply((a) => a?.tokens ?? []),
      ttl,
      dmarcPolicy: args.dmarcPolicy ?? MAIL_DOMAIN_DEFAULTS.dmarcPolicy,
      dmarcReportEmail: args.dmarcReportEmail,
      route53ZoneId: args.route53ZoneId,
    });

    // --- Event publishing ------------------------------------------------------------------------
    const key = new aws.kms.Key(
      `${name}-events-key`,
      {
        description: "Encrypts the SES events topic; SES may use it only through SNS of this account",
        enableKeyRotation: true, // cdk-nag AwsSolutions-KMS5, Checkov CKV_AWS_7
        deletionWindowInDays: 30,
        policy: policyJson([
          {
            // Without this the key becomes unmanageable (key policy lockout); IAM policies decide.
            Sid: "EnableIamPoliciesOfTheAccount",
            Effect: "Allow",
            Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${account}:root` },
            Action: "kms:*",
            Resource: "*",
          },
          {
            // SES calls KMS itself when SNS encrypts what it publishes; the AWS-managed alias/aws/sns
            // key cannot grant this, so events would be silently dropped.
            Sid: "AllowSesThroughSns",
            Effect: "Allow",
            Principal: { Service: "ses.amazonaws.com" },
            Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
            Resource: "*",
            Condition: {
              StringEquals: { "aws:SourceAccount": account },
              StringLike: { "kms:EncryptionContext:aws:sns:topicArn": pulumi.interpolate`arn:${partition}:sns:${region}:${account}:*` },
            },
          },
        ]),
      },
      { parent: this },
    );

    const topic = new aws.sns.Topic(
      `${name}-events`,
      {
        displayName: "MPTO SES events",
        kmsMasterKeyId: key.arn, // Security Hub SNS.1, Checkov CKV_AWS_26, cdk-nag AwsSolutions-SNS2
      },
      { parent: this },
    );
    const topicStatements: PolicyStatement[] = [
      {
        Sid: "AllowSesConfigurationSetsToPublish",
        Effect: "Allow",
        Principal: { Service: "ses.amazonaws.com" },
        Action: "sns:Publish",
        Resource: topic.arn,
        // Only this account's configuration sets (confused deputy); no "*" principal: Security Hub SNS.4.
        Condition: { StringEquals: { "aws:SourceAccount": account, "aws:SourceArn": this.configurationSetArns } },
      },
      denyInsecureTransport("sns:Publish", topic.arn), // cdk-nag AwsSolutions-SNS3
    ];
    const topicPolicy = new aws.sns.TopicPolicy(`${name}-events-policy`, { arn: topic.arn, policy: policyJson(topicStatements) }, { parent: this });

    for (const { role, name: setName, set } of sets) {
      new aws.sesv2.ConfigurationSetEventDestination(
        `${name}-${role}-cloudwatch`,
        {
          configurationSetName: set.configurationSetName,
          eventDestinationName: "cloudwatch-metrics",
          eventDestination: {
            enabled: true,
            matchingEventTypes: [...CLOUDWATCH_EVENT_TYPES],
            cloudWatchDestination: {
              dimensionConfigurations: [
                // SES auto-tag: one series per configuration set.
                { dimensionName: "ses:configuration-set", dimensionValueSource: "MESSAGE_TAG", defaultDimensionValue: setName },
                // The tag sendBookingConfirmation sets (mail-type=booking-confirmation).
                { dimensionName: "mail-type", dimensionValueSource: "MESSAGE_TAG", defaultDimensionValue: "untagged" },
              ],
            },
          },
        },
        { parent: this },
      );
      new aws.sesv2.ConfigurationSetEventDestination(
        `${name}-${role}-sns`,
        {
          configurationSetName: set.configurationSetName,
          eventDestinationName: "sns-feedback",
          eventDestination: { enabled: true, matchingEventTypes: [...SNS_EVENT_TYPES], snsDestination: { topicArn: topic.arn } },
        },
        // SES must be allowed to publish before it is told to.
        { parent: this, dependsOn: [topicPolicy] },
      );
    }

    // --- Event handler ---------------------------------------------------------------------------
    let handler: NodeFunction | undefined;
    if (args.eventHandler ?? true) {
      handler = new NodeFunction(
        `${name}-events-handler`,
        {
          entry: join(__dirname, "..", "..", "functions", "mail", "sesEventHandler.ts"),
          description: "Logs SES bounce, complaint, reject and delay events and counts them (EMF)",
          // The pseudonym key is a Pulumi secret (masked in previews and encrypted in state); Lambda keeps
          // environment variables encrypted at rest and shows them only to lambda:GetFunctionConfiguration.
          // Without it the handler logs recipients by domain only.
          environment: { METRICS_NAMESPACE: "MPTO/Mail", MPTO_PSEUDONYM_KEY: pulumi.secret(args.eventHandlerPseudonymKey ?? new random.RandomBytes(`${name}-pseudonym-key`, { length: 32 }, { parent: this }).base64) },
          logRetentionDays: args.logRetentionDays,
          reservedConcurrency: args.eventHandlerReservedConcurrency,
          alarmTopicArn: args.alarmTopicArn,
          errorAlarmThreshold: args.eventHandlerErrorThreshold,
          throttleAlarmThreshold: args.eventHandlerThrottleThreshold ?? MAIL_DOMAIN_DEFAULTS.eventHandlerThrottleThreshold,
          throttleAlarmAliases: [movedFromMonitoring("monitoring-lambda-ses-events-throttles")],
          timeout: 30,
          // The handler only logs: no permissions beyond its own logs, traces and dead-letter queue.
        },
        { parent: this },
      );
      const permission = new aws.lambda.Permission(
        `${name}-events-invoke`,
        {
          action: "lambda:InvokeFunction",
          function: handler.functionName,
          principal: "sns.amazonaws.com",
          sourceArn: topic.arn, // only this topic may invoke it: Security Hub Lambda.1 (no public invoke)
        },
        { parent: this },
      );
      new aws.sns.TopicSubscription(
        `${name}-events-subscription`,
        { topic: topic.arn, protocol: "lambda", endpoint: handler.functionArn },
        { parent: this, dependsOn: [permission] },
      );
    }

    // --- Deliverability alarms (deliverability.ts) ---
    const alarms = deliverabilityAlarms(this, name, { topicArn: args.alarmTopicArn, bounceRate: args.bounceRateThreshold, complaintRate: args.complaintRateThreshold });

    this.identityArn = identity.arn;
    this.domain = domain;
    this.mailFromDomain = mailFromDomain;
    this.transactionalConfigurationSetName = transactional.set.configurationSetName;
    this.transactionalConfigurationSetArn = transactional.set.arn;
    this.marketingConfigurationSetName = sets[1]?.set.configurationSetName;
    this.eventsTopicArn = topic.arn;
    this.eventHandlerFunctionName = handler?.functionName;
    this.alarmNames = pulumi.all(alarms.map((a) => a.name));
    this.eventHandlerAlarmNames = handler ? handler.alarmNames : pulumi.output([]);
    this.registerOutputs({
      identityArn: this.identityArn,
      domain: this.domain,
      mailFromDomain: this.mailFromDomain,
      transactionalConfigurationSetName: this.transactionalConfigurationSetName,
      transactionalConfigurationSetArn: this.transactionalConfigurationSetArn,
      marketingConfigurationSetName: this.marketingConfigurationSetName,
      eventsTopicArn: this.eventsTopicArn,
      eventHandlerFunctionName: this.eventHandlerFunctionName,
      alarmNames: this.alarmNames,
      eventHandlerAlarmNames: this.eventHandlerAlarmNames,
      dnsRecords: this.dnsRecords,
    });
  }

  /**
   * The least-privilege statement a sender needs (for a NodeFunction or a deploy role): SendEmail and
   * SendRawEmail on this identity and its configuration sets, only from `fromAddress`.
   */
  sendingStatement(fromAddress: pulumi.Input<string>): FunctionPolicyStatement {
    return {
      Sid: "SendThroughMailDomain",
      Effect: "Allow",
      Action: ["ses:SendEmail", "ses:SendRawEmail"],
      Resource: [this.identityArn, ...this.configurationSetArns],
      Condition: { StringEquals: { "ses:FromAddress": fromAddress } },
    };
  }
}
