import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { denyInsecureTransport, enableAccountIamStatement, policyJson, PolicyStatement } from "../shared/policyDocument";
import { EDGE_REGION } from "../shared/regions";

/**
 * AWS services allowed to publish to the alert topics, each with the `aws:SourceArn` pattern of
 * the resources that may do so (confused-deputy protection). `{partition}`, `{region}` and
 * `{account}` are filled in per topic.
 */
const PUBLISHERS = {
  /** CloudWatch alarms (alarm and OK actions). */
  cloudwatch: { service: "cloudwatch.amazonaws.com", sourceArn: "arn:{partition}:cloudwatch:{region}:{account}:alarm:*" },
  /** AWS Budgets notifications (Budgets is global: its ARNs carry no region). */
  budgets: { service: "budgets.amazonaws.com", sourceArn: "arn:{partition}:budgets::{account}:*" },
  /** SES bounce/complaint notifications and configuration-set event destinations. */
  ses: { service: "ses.amazonaws.com", sourceArn: "arn:{partition}:ses:{region}:{account}:*" },
  /** EventBridge rules (GuardDuty findings, for example). */
  events: { service: "events.amazonaws.com", sourceArn: "arn:{partition}:events:{region}:{account}:rule/*" },
} as const;

export type AlertPublisher = keyof typeof PUBLISHERS;

/** Publishers of the primary topic. */
const PRIMARY_PUBLISHERS: AlertPublisher[] = ["cloudwatch", "budgets", "ses", "events"];
/** The us-east-1 twin receives alarms on CloudFront and WAF metrics and us-east-1 GuardDuty findings (EventBridge). */
const EDGE_PUBLISHERS: AlertPublisher[] = ["cloudwatch", "events"];

export interface AlertTopicArgs {
  /** Address subscribed to both topics (protocol email; the owner confirms the subscription once). Required. */
  alertEmail: pulumi.Input<string>;
  /** Create the us-east-1 twin topic for alarms on CloudFront and WAF metrics. Default true. */
  edgeTopic?: boolean;
  /** Waiting period before a deleted topic key is destroyed, 7-30 days. Default 30. */
  keyDeletionWindowInDays?: pulumi.Input<number>;
  /** Display name of the topics (the sender name of SMS/email notifications). Default "MPTO alerts". */
  displayName?: pulumi.Input<string>;
}

interface TopicSet {
  key: aws.kms.Key;
  topic: aws.sns.Topic;
}

/**
 * The alert topics every alarm and budget publishes to: an SNS topic in the stack's region and a
 * twin in us-east-1, both encrypted with a customer-managed KMS key and subscribed by email.
 *
 * Why a customer-managed key per topic, not the AWS-managed `alias/aws/sns`: CloudWatch alarms and
 * Budgets call KMS themselves when they publish to an encrypted topic, and the AWS-managed key's
 * policy cannot be changed to let them. With `alias/aws/sns` every notification is silently
 * dropped (alarm history shows a KMS AccessDeniedException): cds-snc/terraform-modules#73,
 * ASFHyP3/hyp3#762, cds-snc/notification-terraform#2057. KMS keys are regional, so the twin topic
 * in us-east-1 gets its own key.
 *
 * Why a twin in us-east-1: CloudFront and CLOUDFRONT-scope WAF metrics exist only in us-east-1, so
 * their alarms live there, and a CloudWatch alarm action must be an SNS topic in the alarm's own
 * region ("Invalid region ca-central-1 specified. Only us-west-2 is supported":
 * cds-snc/notification-terraform#128).
 */
export class AlertTopic extends pulumi.ComponentResource {
  /** ARN of the topic in the stack's region: alarms there, Budgets, SES, EventBridge. */
  public readonly topicArn: pulumi.Output<string>;
  /** ARN of the us-east-1 topic for CloudFront/WAF alarms and us-east-1 EventBridge rules (equals `topicArn` when `edgeTopic` is false). */
  public readonly edgeTopicArn: pulumi.Output<string>;
  /** ARN of the KMS key encrypting the primary topic. */
  public readonly keyArn: pulumi.Output<string>;

  constructor(name: string, args: AlertTopicArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mpto:monitoring:AlertTopic", name, {}, opts);

    const identity = aws.getCallerIdentityOutput({}, { parent: this });
    const partition = aws.getPartitionOutput({}, { parent: this });
    const stackRegion = aws.getRegionOutput({}, { parent: this }).region;

    const primary = this.topicSet(name, args, PRIMARY_PUBLISHERS, stackRegion, undefined, identity.accountId, partition.partition);
    const edge = args.edgeTopic === false ? undefined : this.topicSet(`${name}-edge`, args, EDGE_PUBLISHERS, pulumi.output(EDGE_REGION), EDGE_REGION, identity.accountId, partition.partition);

    this.topicArn = primary.topic.arn;
    this.edgeTopicArn = edge ? edge.topic.arn : primary.topic.arn;
    this.keyArn = primary.key.arn;
    this.registerOutputs({ topicArn: this.topicArn, edgeTopicArn: this.edgeTopicArn, keyArn: this.keyArn });
  }

  /**
   * Key, topic, topic policy and email subscription for one region. `region` undefined means the
   * provider's region; `regionName` is the resolved name used in ARN patterns.
   */
  private topicSet(
    prefix: string,
    args: AlertTopicArgs,
    publishers: AlertPublisher[],
    regionName: pulumi.Output<string>,
    region: string | undefined,
    account: pulumi.Output<string>,
    partition: pulumi.Output<string>,
  ): TopicSet {
    const fill = (pattern: string) =>
      pulumi.all([partition, regionName, account]).apply(([p, r, a]) => pattern.replace("{partition}", p).replace("{region}", r).replace("{account}", a));
    const services = publishers.map((p) => PUBLISHERS[p].service);

    const keyStatements: PolicyStatement[] = [
      enableAccountIamStatement(partition, account),
      {
        // Publishers call KMS directly when SNS encrypts their message; the encryption context
        // SNS sets (aws:sns:topicArn) keeps this grant to topics of this account and region.
        Sid: "AllowAlertPublishersToUseTheKeyThroughSns",
        Effect: "Allow",
        Principal: { Service: services },
        Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
        Resource: "*",
        Condition: { StringLike: { "kms:EncryptionContext:aws:sns:topicArn": fill("arn:{partition}:sns:{region}:{account}:*") } },
      },
    ];

    const key = new aws.kms.Key(
      `${prefix}-key`,
      {
        description: "Encrypts the MPTO alert topic (SNS) so that CloudWatch, Budgets and SES can still publish",
        enableKeyRotation: true, // cdk-nag AwsSolutions-KMS5, Checkov CKV_AWS_7
        deletionWindowInDays: args.keyDeletionWindowInDays ?? 30, // Security Hub KMS.3: time to undo an accidental deletion
        policy: policyJson(keyStatements), // Security Hub KMS.5: no public principal
        region,
      },
      { parent: this },
    );
    new aws.kms.Alias(`${prefix}-key-alias`, { namePrefix: `alias/${prefix}-`, targetKeyId: key.keyId, region }, { parent: this });

    const topic = new aws.sns.Topic(
      `${prefix}-topic`,
      {
        displayName: args.displayName ?? "MPTO alerts",
        kmsMasterKeyId: key.arn, // Security Hub SNS.1, Checkov CKV_AWS_26, cdk-nag AwsSolutions-SNS2
        region,
      },
      { parent: this },
    );

    const topicStatements: PolicyStatement[] = publishers.map((p) => ({
      Sid: `Allow${p[0].toUpperCase()}${p.slice(1)}ToPublish`,
      Effect: "Allow" as const,
      Principal: { Service: PUBLISHERS[p].service },
      Action: "sns:Publish",
      Resource: topic.arn,
      // Only on behalf of this account's resources (confused deputy); no "*" principal: Security Hub SNS.4.
      Condition: { StringEquals: { "aws:SourceAccount": account }, ArnLike: { "aws:SourceArn": fill(PUBLISHERS[p].sourceArn) } },
    }));
    topicStatements.push(denyInsecureTransport("sns:Publish", topic.arn)); // cdk-nag AwsSolutions-SNS3

    new aws.sns.TopicPolicy(`${prefix}-topic-policy`, { arn: topic.arn, policy: policyJson(topicStatements), region }, { parent: this });
    new aws.sns.TopicSubscription(`${prefix}-email`, { topic: topic.arn, protocol: "email", endpoint: args.alertEmail, region }, { parent: this });

    return { key, topic };
  }
}
