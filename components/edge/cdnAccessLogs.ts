import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EDGE_REGION } from "../shared/regions";
import { ACCESS_LOG_FIELDS } from "./cdnSettings";

/**
 * CloudFront standard logging v2 of a Cdn's distribution (CloudFront.5, AwsSolutions-CFR3): vended
 * logs delivered to a CloudWatch Logs group in us-east-1, children of the Cdn. Returns the group.
 */
export function cdnAccessLogs(parent: pulumi.Resource, name: string, distributionArn: pulumi.Input<string>, logRetentionDays: pulumi.Input<number>): aws.cloudwatch.LogGroup {
  const opts = { parent };
  const accessLogs = new aws.cloudwatch.LogGroup(
    `${name}-access-logs`,
    {
      region: EDGE_REGION,
      // Under /aws/vendedlogs/ the log-delivery resource policy stays one short wildcard entry.
      namePrefix: `/aws/vendedlogs/cloudfront/${name}-`,
      retentionInDays: logRetentionDays, // CloudWatch.16
    },
    opts,
  );
  const logSource = new aws.cloudwatch.LogDeliverySource(`${name}-log-source`, { region: EDGE_REGION, logType: "ACCESS_LOGS", resourceArn: distributionArn }, opts);
  const logDestination = new aws.cloudwatch.LogDeliveryDestination(
    `${name}-log-destination`,
    { region: EDGE_REGION, outputFormat: "json", deliveryDestinationConfiguration: { destinationResourceArn: accessLogs.arn } },
    opts,
  );
  new aws.cloudwatch.LogDelivery(
    `${name}-log-delivery`,
    { region: EDGE_REGION, deliverySourceName: logSource.name, deliveryDestinationArn: logDestination.arn, recordFields: ACCESS_LOG_FIELDS },
    // CloudWatch Logs refuses an in-place change of record fields for a log-group destination
    // ("Provided delivery configuration is invalid for the destination type": terraform-provider-aws
    // #46108, #48527; logs/delivery.go Update sends the computed s3_delivery_configuration too), so a
    // change replaces the delivery instead; one delivery per source and destination, hence delete first.
    { ...opts, replaceOnChanges: ["recordFields"], deleteBeforeReplace: true },
  );
  return accessLogs;
}
