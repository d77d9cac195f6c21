import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SESSION_DATA_CONTEXT } from "../../functions/sessions/schema";
import { policyJson, PolicyStatement } from "../shared/policyDocument";

/** Vercel's OIDC issuer host (team issuer mode: `https://oidc.vercel.com/<team>`), as IAM condition keys name it. */
export const VERCEL_OIDC_HOST = "oidc.vercel.com";

/** A Vercel team slug: the `vercel.com/<team>` URL segment (lower-case letters, digits, hyphens). */
export const VERCEL_TEAM_SLUG = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;
/** A Vercel project name (lower case, up to 100 of letters, digits, '.', '_', '-'). */
export const VERCEL_PROJECT_NAME = /^[a-z0-9](?:[a-z0-9._-]{0,98}[a-z0-9])?$/;
/** `production`, `preview`, `development`, or a custom environment's slug. */
export const VERCEL_ENVIRONMENT = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

/** The role's defaults, the one home of each: the args below and mpto:vercelEnvironments (components/app/config.ts) take them from here. */
export const APP_RUNTIME_ROLE_DEFAULTS = { vercelEnvironments: ["production"] as string[] } as const;

export interface AppRuntimeRoleArgs {
  /** Vercel team slug (the `vercel.com/<team>` segment); the issuer is `https://oidc.vercel.com/<team>`. Required. */
  vercelTeamSlug: string;
  /** Vercel project name, as it appears in the token's `sub`. Required. */
  vercelProjectName: string;
  /** Vercel environments whose deployments may assume the role (`sub` ends in `environment:<env>`). Default ["production"]. */
  vercelEnvironments?: string[];
  /** ARN of an existing IAM OIDC provider for the team's issuer (one per issuer per account). Default: created here. */
  oidcProviderArn?: pulumi.Input<string>;
  /** Name of the session table (stack output `sessionTableName`): the session key only seals data for this table. Required. */
  sessionTableName: pulumi.Input<string>;
  /**
   * Least-privilege policy documents the runtime code's components export, each attached as one
   * inline policy named after its key (e.g. `{ sessions: sessions.accessPolicyJson }`). Default none.
   */
  policyDocuments?: Record<string, pulumi.Input<string>>;
  /** Statements the components export as objects (e.g. `{ mail: [mail.sendingStatement(from)] }`), one inline policy per key. Default none. */
  statements?: Record<string, Omit<PolicyStatement, "Principal">[]>;
  /** Role session limit in seconds, 3600-43200. Default 3600. */
  maxSessionDurationSeconds?: number;
  /** Days a scheduled deletion of the session key waits (7-30). Default 30 (Security Hub KMS.3). */
  keyDeletionWindowInDays?: number;
}

/** What the Pulumi provider and a key administrator need on the key, and nothing that reads data: no Decrypt, Encrypt, GenerateDataKey*, ReEncrypt*, CreateGrant. */
const KEY_ADMINISTRATION = [
  "kms:DescribeKey",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListResourceTags",
  "kms:ListKeyPolicies",
  "kms:ListGrants",
  "kms:PutKeyPolicy",
  "kms:EnableKey",
  "kms:DisableKey",
  "kms:EnableKeyRotation",
  "kms:DisableKeyRotation",
  "kms:UpdateKeyDescription",
  "kms:CreateAlias",
  "kms:UpdateAlias",
  "kms:DeleteAlias",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:RevokeGrant",
  "kms:RetireGrant",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
];

/** The statement that lets the app presign media uploads (docs/media.md): PutObject under videos/ and images/ only. */
export function mediaUploadStatement(bucketArn: pulumi.Input<string>): Omit<PolicyStatement, "Principal"> {
  return {
    Sid: "PresignMediaUploads",
    Effect: "Allow",
    Action: "s3:PutObject",
    Resource: [pulumi.interpolate`${bucketArn}/videos/*`, pulumi.interpolate`${bucketArn}/images/*`],
  };
}

/** The `sub` of a Vercel OIDC token for one project environment (Vercel docs, "Connect to Amazon Web Services"). */
export function vercelSubject(team: string, project: string, environment: string): string {
  return `owner:${team}:project:${project}:environment:${environment}`;
}

/**
 * The AWS identity of the Next.js app on Vercel: an IAM role assumed with Vercel's OIDC token
 * (`sts:AssumeRoleWithWebIdentity`), so no access key exists anywhere.
 *
 * - Trust: the IAM OIDC provider of the team's issuer `https://oidc.vercel.com/<team>` (audience
 *   `https://vercel.com/<team>`), and a trust policy pinning `aud` and `sub` =
 *   `owner:<team>:project:<project>:environment:<env>` with StringEquals: one project, the listed
 *   environments, nothing else of the team (Vercel docs, "Connect to Amazon Web Services (AWS)",
 *   team issuer mode).
 * - Permissions: exactly the statements the runtime code's components export (session table,
 *   booking metric, mail sending, media upload presigning), one inline policy each; the session
 *   data key below grants its use in its own key policy. Cognito sign-in needs none (its calls are unauthenticated or
 *   token-authorised, docs/identity.md).
 * - The session data key (`${name}-session-key`): a customer-managed KMS key for the envelope
 *   encryption of session data (functions/sessions/envelope.ts). Its key policy lets the account
 *   administer it but not use it; only this role may GenerateDataKey and Decrypt, and only with the
 *   session encryption context of this stack's table. So a table export, backup or restore read by
 *   anyone else is ciphertext.
 */
export class AppRuntimeRole extends pulumi.ComponentResource {
  /** ARN of the role: the Vercel project's `AWS_ROLE_ARN`. */
  public readonly roleArn: pulumi.Output<string>;
  public readonly roleName: pulumi.Output<string>;
  /** ARN of the IAM OIDC provider the role trusts. */
  public readonly oidcProviderArn: pulumi.Output<string>;
  /** ARN of the session data key: the app's `SESSION_DATA_KEY_ARN` (SessionStore `encryption.keyId`). */
  public readonly sessionDataKeyArn: pulumi.Output<string>;

  constructor(name: string, args: AppRuntimeRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("mpto:app:AppRuntimeRole", name, {}, opts);
    const team = args.vercelTeamSlug;
    const project = args.vercelProjectName;
    const environments = args.vercelEnvironments ?? APP_RUNTIME_ROLE_DEFAULTS.vercelEnvironments;
    if (!VERCEL_TEAM_SLUG.test(team)) throw new Error(`AppRuntimeRole ${name}: vercelTeamSlug must be a Vercel team slug (lower-case letters, digits, hyphens)`);
    if (!VERCEL_PROJECT_NAME.test(project)) throw new Error(`AppRuntimeRole ${name}: vercelProjectName must be a Vercel project name`);
    if (environments.length === 0 || !environments.every((e) => VERCEL_ENVIRONMENT.test(e))) throw new Error(`AppRuntimeRole ${name}: vercelEnvironments must list at least one environment (production, preview, development or a custom one)`);
    const maxSession = args.maxSessionDurationSeconds ?? 3600;
    if (!Number.isInteger(maxSession) || maxSession < 3600 || maxSession > 43200) throw new Error(`AppRuntimeRole ${name}: maxSessionDurationSeconds must be 3600-43200`);
    const names = [...Object.keys(args.policyDocuments ?? {}), ...Object.keys(args.statements ?? {})];
    if (new Set(names).size !== names.length || !names.every((n) => /^[a-z][a-z0-9-]{0,40}$/.test(n))) {
      throw new Error(`AppRuntimeRole ${name}: policy names must be unique lower-case words`);
    }

    const issuerHost = `${VERCEL_OIDC_HOST}/${team}`;
    const audience = `https://vercel.com/${team}`;
    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;

    // IAM trusts the issuer's TLS certificate through its own CA library: no thumbprint to pin.
    const providerArn =
      args.oidcProviderArn !== undefined
        ? pulumi.output(args.oidcProviderArn)
        : new aws.iam.OpenIdConnectProvider(`${name}-vercel-oidc`, { url: `https://${issuerHost}`, clientIdLists: [audience] }, { parent: this }).arn;

    const subjects = environments.map((e) => vercelSubject(team, project, e));
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `The ${project} app on Vercel (${environments.join(", ")}), through Vercel OIDC`,
        maxSessionDuration: maxSession,
        assumeRolePolicy: policyJson([
          {
            Sid: "VercelOidc",
            Effect: "Allow",
            Principal: { Federated: providerArn },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: { StringEquals: { [`${issuerHost}:aud`]: audience, [`${issuerHost}:sub`]: subjects.length === 1 ? subjects[0] : subjects } },
          },
        ]),
      },
      { parent: this },
    );

    const context = {
      [`kms:EncryptionContext:${SESSION_DATA_CONTEXT.purposeKey}`]: SESSION_DATA_CONTEXT.purpose,
      [`kms:EncryptionContext:${SESSION_DATA_CONTEXT.tableKey}`]: args.sessionTableName,
    };
    const key = new aws.kms.Key(
      `${name}-session-key`,
      {
        description: "Envelope key of the app's session data (refresh tokens): only the app runtime role may use it",
        enableKeyRotation: true, // cdk-nag AwsSolutions-KMS5, Checkov CKV_AWS_7
        deletionWindowInDays: args.keyDeletionWindowInDays ?? 30, // Security Hub KMS.3
        policy: policyJson([
          {
            // Administration without use: the account (through its IAM policies: the deploy role) can
            // manage, rotate and schedule deletion of the key, and cannot decrypt with it.
            Sid: "AdministerWithoutUse",
            Effect: "Allow",
            Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${account}:root` },
            Action: KEY_ADMINISTRATION,
            Resource: "*",
          },
          {
            Sid: "AppRuntimeSealsAndOpensSessionData",
            Effect: "Allow",
            Principal: { AWS: role.arn },
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: "*",
            Condition: { StringEquals: context },
          },
        ]),
      },
      { parent: this },
    );
    new aws.kms.Alias(`${name}-session-key-alias`, { namePrefix: `alias/${name}-session-data-`, targetKeyId: key.keyId }, { parent: this });

    const attach = (policyName: string, json: pulumi.Input<string>) => new aws.iam.RolePolicy(`${name}-${policyName}`, { role: role.name, policy: json }, { parent: this });
    // No IAM statement for the key: its key policy names the role, which suffices within one
    // account (KMS Developer Guide, "Key policies": a key policy can grant a principal of the
    // account directly), keeps the one grant and its encryption-context condition in one place,
    // and the account statement above does not delegate use to IAM, so no IAM policy could add it.
    for (const [policyName, json] of Object.entries(args.policyDocuments ?? {})) attach(policyName, json);
    for (const [policyName, statements] of Object.entries(args.statements ?? {})) attach(policyName, policyJson(statements));

    this.roleArn = role.arn;
    this.roleName = role.name;
    this.oidcProviderArn = providerArn;
    this.sessionDataKeyArn = key.arn;
    this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName, oidcProviderArn: this.oidcProviderArn, sessionDataKeyArn: this.sessionDataKeyArn });
  }
}
