/**
 * The permissions boundary every role the CI creates must carry (components/ci/CiDeployRole.ts
 * creates the policy; the deploy role may create and edit only roles that carry it, see
 * escalation.ts "permissions-boundary"). A boundary is a ceiling, not a grant: a role's effective
 * rights are its own policies ∩ this list (IAM User Guide, "Permissions boundaries for IAM entities",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html).
 *
 * So it lists what the stacks' runtime roles do (Lambda functions, Lambda@Edge, the uptime canary,
 * MediaConvert, the app's Vercel-OIDC role), data-plane only: no IAM, no Organizations, no STS
 * beyond the caller identity, no control-plane writes. The deploy-role check fails when a planned
 * bounded role grants an action this list does not allow (it would be denied at run time), so a
 * new runtime need lands here, reviewed, and is applied by an administrator (the boundary is one of
 * the CI's own resources). Pure data, no npm imports.
 */
export interface BoundaryStatement {
  sid: string;
  actions: string[];
  /**
   * Resources, with `${Account}` for the stack's account and `${ManagedPath}` for the CI's role
   * path: this account's resources only (a role the CI creates cannot reach another account's
   * queues, tables or keys). Default "*" (actions that have no resource, or S3, whose ARNs carry no account).
   */
  resources?: string[];
  /** Extra condition (e.g. iam:PassedToService for the one PassRole runtime roles may use). */
  condition?: Record<string, Record<string, string | string[]>>;
}

export const RUNTIME_BOUNDARY: readonly BoundaryStatement[] = [
  {
    sid: "Logs",
    resources: ["arn:aws:logs:*:${Account}:*"],
    actions: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
  },
  { sid: "TracesAndMetrics", actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "cloudwatch:PutMetricData"] },
  {
    sid: "Queues",
    resources: ["arn:aws:sqs:*:${Account}:*"],
    actions: ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
  },
  { sid: "Notifications", actions: ["sns:Publish"], resources: ["arn:aws:sns:*:${Account}:*"] },
  { sid: "Mail", actions: ["ses:SendEmail", "ses:SendRawEmail", "ses:SendTemplatedEmail", "ses:SendBulkEmail"], resources: ["arn:aws:ses:*:${Account}:*"] },
  {
    sid: "Objects",
    actions: [
      "s3:GetObject",
      "s3:GetObjectVersion",
      "s3:PutObject",
      "s3:DeleteObject",
      "s3:AbortMultipartUpload",
      "s3:ListMultipartUploadParts",
      "s3:ListBucket",
      "s3:GetBucketLocation",
      "s3:ListAllMyBuckets",
    ],
  },
  {
    sid: "Items",
    resources: ["arn:aws:dynamodb:*:${Account}:table/*"],
    actions: [
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
      "dynamodb:Query",
      // The video pipeline's stuck-job sweep reads its small asset table every 15 minutes (functions/video).
      "dynamodb:Scan",
      "dynamodb:BatchGetItem",
      "dynamodb:BatchWriteItem",
      "dynamodb:ConditionCheckItem",
      "dynamodb:DescribeTable",
    ],
  },
  { sid: "Keys", actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"], resources: ["arn:aws:kms:*:${Account}:key/*"] },
  {
    // The app's sign-in and user administration (functions/auth): user-level calls, no pool configuration.
    sid: "Users",
    resources: ["arn:aws:cognito-idp:*:${Account}:userpool/*"],
    actions: [
      "cognito-idp:InitiateAuth",
      "cognito-idp:RespondToAuthChallenge",
      "cognito-idp:AdminInitiateAuth",
      "cognito-idp:AdminRespondToAuthChallenge",
      "cognito-idp:AdminGetUser",
      "cognito-idp:AdminCreateUser",
      "cognito-idp:AdminUpdateUserAttributes",
      "cognito-idp:AdminAddUserToGroup",
      "cognito-idp:AdminRemoveUserFromGroup",
      "cognito-idp:AdminListGroupsForUser",
      "cognito-idp:AdminDisableUser",
      "cognito-idp:AdminEnableUser",
      "cognito-idp:AdminUserGlobalSignOut",
      "cognito-idp:AdminSetUserMFAPreference",
      "cognito-idp:AssociateSoftwareToken",
      "cognito-idp:VerifySoftwareToken",
      "cognito-idp:SignUp",
      "cognito-idp:ConfirmSignUp",
      "cognito-idp:ForgotPassword",
      "cognito-idp:ConfirmForgotPassword",
      "cognito-idp:GlobalSignOut",
      "cognito-idp:RevokeToken",
      "cognito-idp:GetUser",
      "cognito-idp:ListUsers",
    ],
  },
  { sid: "Video", resources: ["arn:aws:mediaconvert:*:${Account}:*"], actions: ["mediaconvert:CreateJob", "mediaconvert:GetJob", "mediaconvert:ListJobs", "mediaconvert:CancelJob", "mediaconvert:DescribeEndpoints", "mediaconvert:GetQueue"] },
  // The one role a runtime role may pass: MediaConvert's service role, to MediaConvert only.
  { sid: "PassRoleToMediaConvertOnly", actions: ["iam:PassRole"], resources: ["arn:aws:iam::${Account}:role${ManagedPath}*"], condition: { StringEquals: { "iam:PassedToService": "mediaconvert.amazonaws.com" } } },
  { sid: "Events", actions: ["events:PutEvents"], resources: ["arn:aws:events:*:${Account}:event-bus/*"] },
  { sid: "CallerIdentity", actions: ["sts:GetCallerIdentity"] },
];

/** The boundary's statements as a policy document for an account and managed role path. */
export function boundaryDocument(account: string, managedPath: string): { Version: string; Statement: Record<string, unknown>[] } {
  const fill = (r: string) => r.replace(/\$\{Account\}/g, account).replace(/\$\{ManagedPath\}/g, managedPath);
  return {
    Version: "2012-10-17",
    Statement: RUNTIME_BOUNDARY.map((b) => ({ Sid: b.sid, Effect: "Allow", Action: b.actions, Resource: (b.resources ?? ["*"]).map(fill), ...(b.condition ? { Condition: b.condition } : {}) })),
  };
}

/** Every action the boundary names. */
export function boundaryActions(): string[] {
  return [...new Set(RUNTIME_BOUNDARY.flatMap((s) => s.actions))].sort();
}
