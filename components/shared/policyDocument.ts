import * as pulumi from "@pulumi/pulumi";

/**
 * IAM / resource policy documents built in TypeScript rather than with the `getPolicyDocument`
 * invoke: no round trip to the provider, typed statements, and the same JSON under mocks as in
 * a real deployment (so tests can parse and judge the exact document AWS will receive).
 */

export type PolicyPrincipal = "*" | { AWS?: pulumi.Input<string> | pulumi.Input<string>[]; Service?: string | string[]; Federated?: pulumi.Input<string> };

/** `{ "<operator>": { "<key>": value } }`, e.g. `{ StringEquals: { "aws:SourceAccount": accountId } }`. */
export type PolicyCondition = Record<string, Record<string, pulumi.Input<string> | pulumi.Input<string>[]>>;

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: PolicyPrincipal;
  Action: string | string[];
  Resource?: pulumi.Input<string> | pulumi.Input<string>[];
  Condition?: PolicyCondition;
}

/** A policy document as JSON, with every nested Output resolved. Statement order is kept. */
export function policyJson(statements: PolicyStatement[]): pulumi.Output<string> {
  return pulumi.jsonStringify(pulumi.output({ Version: "2012-10-17", Statement: statements }));
}

/**
 * Deny any request that does not use TLS (cdk-nag AwsSolutions-S10 for buckets, AwsSolutions-SNS3
 * for topics; Security Hub S3.5).
 */
export function denyInsecureTransport(actions: string | string[], resources: pulumi.Input<string> | pulumi.Input<string>[]): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: actions,
    Resource: resources,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/**
 * The first statement of every KMS key policy here: the account's IAM policies decide who may use
 * and administer the key. Without it the key becomes unmanageable (key policy lockout).
 */
export function enableAccountIamStatement(partition: pulumi.Input<string>, account: pulumi.Input<string>): PolicyStatement {
  return { Sid: "EnableIamPoliciesOfTheAccount", Effect: "Allow", Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${account}:root` }, Action: "kms:*", Resource: "*" };
}
