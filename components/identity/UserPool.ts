import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HostedSignInField, hostedSignInProblems, threatProtectionProblems } from "../../policies/rules/cognito";
import { describeProblems } from "../../policies/rules/problem";
import { metricAlarm, movedFromMonitoring } from "../shared/alarm";

/** The groups every pool has: lower precedence wins when a user is in several (its role, if any, is used). */
export const USER_GROUPS = [
  { name: "admins", precedence: 1, description: "Site administrators" },
  { name: "tutors", precedence: 10, description: "Tutors offering lessons" },
  { name: "parents", precedence: 20, description: "Parents booking lessons" },
] as const;

/** A federated identity provider for the hosted sign-in. */
export interface FederatedIdentityProviderArgs {
  /** "Google", or "OIDC" for any OpenID Connect provider. Required. */
  type: "Google" | "OIDC";
  /** Provider name on the sign-in page. Default "Google" (required for OIDC). */
  name?: string;
  /** OAuth client id registered with the provider. Required. */
  clientId: pulumi.Input<string>;
  /** OAuth client secret: pass a Pulumi secret (config `--secret`); it is stored encrypted in state. Required. */
  clientSecret: pulumi.Input<string>;
  /** OIDC issuer URL (https). Required for OIDC. */
  issuerUrl?: pulumi.Input<string>;
  /** Scopes requested from the provider. Default "openid email profile". */
  scopes?: pulumi.Input<string>;
}

/**
 * The pool's defaults, the one home of each: the args below and the stack's config keys
 * (components/identity/config.ts) both take them from here.
 */
export const USER_POOL_DEFAULTS = {
  mfa: "ON",
  featurePlan: "ESSENTIALS",
  threatProtection: "OFF",
  passwordMinimumLength: 12,
  selfSignUp: true,
  accessTokenValidityMinutes: 30,
  idTokenValidityMinutes: 30,
  refreshTokenValidityDays: 30,
  generateClientSecret: false,
  signInThrottleAlarmThreshold: 1,
} as const;

export interface UserPoolArgs {
  /** Protect the pool from deletion by Pulumi and keep it when it leaves the program. Default false. */
  protect?: boolean;
  /** Cognito's own deletion protection (ACTIVE). Default: the value of `protect`. */
  deletionProtection?: pulumi.Input<boolean>;
  /** TOTP MFA for every user ("ON") or for users who enrol ("OPTIONAL"). Default "ON". */
  mfa?: pulumi.Input<"ON" | "OPTIONAL">;
  /** Feature plan (billed per monthly active user). Default "ESSENTIALS". */
  featurePlan?: "LITE" | "ESSENTIALS" | "PLUS";
  /** Threat protection mode; anything but "OFF" needs the PLUS plan. Default "OFF". */
  threatProtection?: "OFF" | "AUDIT" | "ENFORCED";
  /** Minimum password length, 12-99; upper, lower, digit and symbol are always required. Default 12. */
  passwordMinimumLength?: pulumi.Input<number>;
  /** Days an admin-issued temporary password stays valid. Default 3. */
  temporaryPasswordValidityDays?: pulumi.Input<number>;
  /**
   * Let users sign themselves up; false: only admins create users. Default true: parents and tutors
   * create their own accounts, as both stacks deploy today (mpto:userPoolSelfSignUp's default was
   * true while this arg's was false; the deployed value won).
   */
  selfSignUp?: pulumi.Input<boolean>;
  /** ARN of a verified SES identity in the pool's region: Cognito then sends through SES (DEVELOPER). Default none: Cognito's shared sender. */
  sesIdentityArn?: pulumi.Input<string>;
  /** From address for mail sent through SES (an address of the SES identity). Required with `sesIdentityArn`. */
  fromAddress?: pulumi.Input<string>;
  /** Display name before the from address. Default "My Private Tutor Online". */
  fromName?: pulumi.Input<string>;
  /** SES configuration set applied to Cognito's mail (metrics, suppression). Default none. */
  sesConfigurationSet?: pulumi.Input<string>;
  /** Access token lifetime in minutes, 5-1440. Default 30. */
  accessTokenValidityMinutes?: pulumi.Input<number>;
  /** ID token lifetime in minutes, 5-1440. Default 30. */
  idTokenValidityMinutes?: pulumi.Input<number>;
  /** Refresh token lifetime in days, 1-3650. Default 30. */
  refreshTokenValidityDays?: pulumi.Input<number>;
  /** Minutes a sign-in challenge (MFA, new password) may stay unanswered, 3-15. Default 3. */
  challengeValidityMinutes?: pulumi.Input<number>;
  /** Give the server app client a secret (callers then send SECRET_HASH). Default false. */
  generateClientSecret?: boolean;
  /** Prefix of the hosted sign-in domain (`<prefix>.auth.<region>.amazoncognito.com`, managed login). Default none. */
  hostedUiDomainPrefix?: string;
  /** OAuth callback URLs (authorization code flow) for the hosted sign-in. Required with `hostedUiDomainPrefix`. */
  callbackUrls?: pulumi.Input<string>[];
  /** URLs the hosted sign-in may redirect to after sign-out. Default none. */
  logoutUrls?: pulumi.Input<string>[];
  /** A federated identity provider (Google or OIDC); needs `hostedUiDomainPrefix`. Default none. */
  federatedIdentityProvider?: FederatedIdentityProviderArgs;
  /** SNS topic of the sign-in throttle alarm. Default none: no alarm. */
  alarmTopicArn?: pulumi.Input<string>;
  /** SignInThrottles of the app client per 5 minutes at which the alarm fires. Default 1. */
  signInThrottleAlarmThreshold?: number;
}

/** The args that feed each input of the hosted sign-in rule. */
const HOSTED_ARGS: Record<HostedSignInField, string> = {
  domainPrefix: "hostedUiDomainPrefix",
  callbackUrls: "callbackUrls",
  logoutUrls: "logoutUrls",
  federation: "federatedIdentityProvider.type",
  federationName: "federatedIdentityProvider.name",
  federationIssuerUrl: "federatedIdentityProvider.issuerUrl",
  federationClientId: "federatedIdentityProvider.clientId",
  federationClientSecret: "federatedIdentityProvider.clientSecret",
};

/**
 * The site's Cognito user pool (eu-west-2, the stack provider's region) and the app client the
 * Next.js server signs users in with.
 *
 * - Email is the user name, case-insensitive; email is verified and is the only recovery channel.
 * - Passwords: at least 12 characters with all four character classes (cdk-nag AwsSolutions-COG1,
 *   Security Hub Cognito.3). MFA with TOTP only, ON or OPTIONAL (AwsSolutions-COG2, Cognito.5);
 *   SMS is never enabled (no SMS cost, no SIM-swap exposure).
 * - Deletion protection and `protect`/`retainOnDelete` from args (Cognito.6 / AWS Config
 *   cognito-user-pool-deletion-protection-enabled).
 * - Feature plan and threat protection from args (AwsSolutions-COG8, Cognito.1 need PLUS).
 * - Groups: parents, tutors, admins.
 * - App client: SRP and refresh only (no USER_PASSWORD_AUTH), prevent-user-existence-errors,
 *   token revocation, token lifetimes from args; a public client unless `generateClientSecret`.
 * - Optional hosted sign-in domain (managed login) with the authorization code flow, and an
 *   optional Google or OIDC provider whose client secret is a Pulumi secret.
 *
 * The pool declares no custom attributes (`schemas`). Cognito cannot change or remove schema
 * attributes: adding or editing one later replaces the pool and loses every user
 * (pulumi/pulumi-aws#828). See docs/identity.md.
 */
export class UserPool extends pulumi.ComponentResource {
  /** The pool id, e.g. eu-west-2_AbC123xyz (for CognitoAuth and TokenVerifier). */
  public readonly userPoolId: pulumi.Output<string>;
  /** The pool ARN. */
  public readonly userPoolArn: pulumi.Output<string>;
  /** The Next.js server's app client id. */
  public readonly userPoolClientId: pulumi.Output<string>;
  /** The app client secret, present only when the client has one (`generateClientSecret`). A Pulumi secret. */
  public readonly userPoolClientSecret?: pulumi.Output<string>;
  /** Token issuer: https://cognito-idp.<region>.amazonaws.com/<poolId>. */
  public readonly issuerUrl: pulumi.Output<string>;
  /** The pool's JWKS, which token verifiers fetch. */
  public readonly jwksUri: pulumi.Output<string>;
  /** Base URL of the hosted sign-in, present only when the pool has a domain (`hostedUiDomainPrefix`). */
  public readonly hostedUiUrl?: pulumi.Output<string>;
  /** Names of the pool's alarms (none without `alarmTopicArn`). */
  public readonly alarmNames: pulumi.Output<string[]>;

  constructor(name: string, args: UserPoolArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("mpto:identity:UserPool", name, {}, opts);
    const protect = args.protect ?? false;
    const featurePlan = args.featurePlan ?? USER_POOL_DEFAULTS.featurePlan;
    const threatProtection = args.threatProtection ?? USER_POOL_DEFAULTS.threatProtection;
    const domainPrefix = args.hostedUiDomainPrefix;
    const idpArgs = args.federatedIdentityProvider;
    // One home for each rule (policies/rules/cognito.ts): stack config and the pack apply the same.
    const problems = [
      ...threatProtectionProblems({ featurePlan, threatProtection }),
      ...hostedSignInProblems(
        {
          domainPrefix,
          callbackUrls: args.callbackUrls ?? [],
          logoutUrls: args.logoutUrls ?? [],
          federation: idpArgs?.type,
          federationName: idpArgs?.name,
          federationIssuerUrl: idpArgs?.issuerUrl,
          federationClientId: idpArgs?.clientId,
          federationClientSecret: idpArgs?.clientSecret,
        },
        { name: (f) => HOSTED_ARGS[f] },
      ).map((p) => ({ ...p, field: HOSTED_ARGS[p.field] })),
    ];
    if (problems.length) throw new Error(describeProblems(`UserPool ${name}`, problems));
    if (args.sesIdentityArn !== undefined && args.fromAddress === undefined) throw new Error(`UserPool ${name}: fromAddress is required with sesIdentityArn`);

    const child = { parent: this };
    const stateful = { parent: this, protect, retainOnDelete: protect };

    const pool = new aws.cognito.UserPool(
      `${name}-pool`,
      {
        // Email is the user name, case-insensitive, verified, and the recovery channel.
        usernameAttributes: ["email"],
        usernameConfiguration: { caseSensitive: false },
        autoVerifiedAttributes: ["email"],
        // A changed email takes effect only once the new address is verified.
        userAttributeUpdateSettings: { attributesRequireVerificationBeforeUpdates: ["email"] },
        accountRecoverySetting: { recoveryMechanisms: [{ name: "verified_email", priority: 1 }] },
        adminCreateUserConfig: {
          allowAdminCreateUserOnly: pulumi.output(args.selfSignUp ?? USER_POOL_DEFAULTS.selfSignUp).apply((open) => !open),
          inviteMessageTemplate: {
            emailSubject: "Your My Private Tutor Online account",
            emailMessage: "Your account is ready. Sign in with {username} and the temporary password {####}, then choose your own password.",
          },
        },
        verificationMessageTemplate: {
          defaultEmailOption: "CONFIRM_WITH_CODE",
          emailSubject: "Your My Private Tutor Online verification code",
          emailMessage: "Your verification code is {####}. It expires in 24 hours.",
        },
        // AwsSolutions-COG1, Security Hub Cognito.3: length >= 12 and every character class.
        passwordPolicy: {
          minimumLength: args.passwordMinimumLength ?? USER_POOL_DEFAULTS.passwordMinimumLength,
          requireLowercase: true,
          requireUppercase: true,
          requireNumbers: true,
          requireSymbols: true,
          temporaryPasswordValidityDays: args.temporaryPasswordValidityDays ?? 3,
        },
        // AwsSolutions-COG2, Security Hub Cognito.5: MFA with TOTP (no SMS).
        mfaConfiguration: args.mfa ?? USER_POOL_DEFAULTS.mfa,
        softwareTokenMfaConfiguration: { enabled: true },
        // AwsSolutions-COG8 / Security Hub Cognito.1: threat protection needs the PLUS plan.
        userPoolTier: featurePlan,
        userPoolAddOns: { advancedSecurityMode: threatProtection },
        // Security Hub Cognito.6 / AWS Config cognito-user-pool-deletion-protection-enabled.
        deletionProtection: pulumi.output(args.deletionProtection ?? protect).apply((on) => (on ? "ACTIVE" : "INACTIVE")),
        emailConfiguration:
          args.sesIdentityArn === undefined
            ? { emailSendingAccount: "COGNITO_DEFAULT" }
            : {
                emailSendingAccount: "DEVELOPER",
                sourceArn: args.sesIdentityArn,
                fromEmailAddress: pulumi.interpolate`${args.fromName ?? "My Private Tutor Online"} <${args.fromAddress}>`,
                configurationSet: args.sesConfigurationSet,
              },
      },
      stateful,
    );

    for (const group of USER_GROUPS) {
      new aws.cognito.UserGroup(`${name}-group-${group.name}`, { userPoolId: pool.id, name: group.name, precedence: group.precedence, description: group.description }, child);
    }

    const idp = idpArgs ? federatedProvider(name, pool, idpArgs, child) : undefined;
    const domain =
      domainPrefix === undefined
        ? undefined
        : new aws.cognito.UserPoolDomain(`${name}-domain`, { userPoolId: pool.id, domain: domainPrefix, managedLoginVersion: 2 }, { ...child, deleteBeforeReplace: true });

    const client = new aws.cognito.UserPoolClient(
      `${name}-web`,
      {
        userPoolId: pool.id,
        name: "nextjs-server",
        generateSecret: args.generateClientSecret ?? USER_POOL_DEFAULTS.generateClientSecret,
        // SRP and refresh only: no USER_PASSWORD_AUTH, so the password never travels (design: seed audit fix).
        explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        // Sign-in, confirmation and recovery never reveal whether an account exists.
        preventUserExistenceErrors: "ENABLED",
        enableTokenRevocation: true,
        authSessionValidity: args.challengeValidityMinutes ?? 3,
        accessTokenValidity: args.accessTokenValidityMinutes ?? USER_POOL_DEFAULTS.accessTokenValidityMinutes,
        idTokenValidity: args.idTokenValidityMinutes ?? USER_POOL_DEFAULTS.idTokenValidityMinutes,
        refreshTokenValidity: args.refreshTokenValidityDays ?? USER_POOL_DEFAULTS.refreshTokenValidityDays,
        tokenValidityUnits: { accessToken: "minutes", idToken: "minutes", refreshToken: "days" },
        supportedIdentityProviders: idp ? ["COGNITO", idp.providerName] : ["COGNITO"],
        ...(domain
          ? {
              // Hosted sign-in: authorization code flow only (no implicit flow), PKCE for the public client.
              allowedOauthFlowsUserPoolClient: true,
              allowedOauthFlows: ["code"],
              allowedOauthScopes: ["openid", "email", "profile"],
              callbackUrls: args.callbackUrls,
              logoutUrls: args.logoutUrls ?? [],
            }
          : {}),
      },
      child,
    );

    // Managed login (version 2) shows no page to a client without a branding style.
    if (domain) new aws.cognito.ManagedLoginBranding(`${name}-branding`, { userPoolId: pool.id, clientId: client.id, useCognitoProvidedValues: true }, { ...child, dependsOn: [domain] });

    const alarms: aws.cloudwatch.MetricAlarm[] = [];
    if (args.alarmTopicArn !== undefined) {
      const threshold = args.signInThrottleAlarmThreshold ?? USER_POOL_DEFAULTS.signInThrottleAlarmThreshold;
      alarms.push(
        metricAlarm(
          `${name}-signin-throttles`,
          {
            description: `Cognito throttled ${threshold} or more sign-ins in 5 minutes (quota reached, or an attack on sign-in).`,
            namespace: "AWS/Cognito",
            metricName: "SignInThrottles",
            dimensions: { UserPool: pool.id, UserPoolClient: client.id },
            statistic: "Sum",
            period: 300,
            threshold,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
            actionsEnabled: true,
            topicArn: args.alarmTopicArn,
          },
          { parent: this, aliases: [movedFromMonitoring("monitoring-cognito-signin-throttles")] },
        ),
      );
    }

    this.userPoolId = pool.id;
    this.userPoolArn = pool.arn;
    this.userPoolClientId = client.id;
    if (args.generateClientSecret ?? USER_POOL_DEFAULTS.generateClientSecret) this.userPoolClientSecret = pulumi.secret(client.clientSecret);
    this.issuerUrl = pulumi.interpolate`https://${pool.endpoint}`;
    this.jwksUri = pulumi.interpolate`https://${pool.endpoint}/.well-known/jwks.json`;
    if (domain) this.hostedUiUrl = pulumi.interpolate`https://${domain.domain}.auth.${pool.region}.amazoncognito.com`;
    this.alarmNames = pulumi.all(alarms.map((a) => a.name));
    this.registerOutputs({
      userPoolId: this.userPoolId,
      userPoolArn: this.userPoolArn,
      userPoolClientId: this.userPoolClientId,
      userPoolClientSecret: this.userPoolClientSecret,
      issuerUrl: this.issuerUrl,
      jwksUri: this.jwksUri,
      hostedUiUrl: this.hostedUiUrl,
      alarmNames: this.alarmNames,
    });
  }
}

/** The Google or OIDC identity provider, mapping its claims onto the pool's attributes. */
function federatedProvider(name: string, pool: aws.cognito.UserPool, args: FederatedIdentityProviderArgs, opts: pulumi.CustomResourceOptions): aws.cognito.IdentityProvider {
  const scopes = args.scopes ?? "openid email profile";
  const google = args.type === "Google";
  return new aws.cognito.IdentityProvider(
    `${name}-idp`,
    {
      userPoolId: pool.id,
      providerName: google ? "Google" : args.name!,
      providerType: google ? "Google" : "OIDC",
      providerDetails: google
        ? { client_id: args.clientId, client_secret: args.clientSecret, authorize_scopes: scopes }
        : { client_id: args.clientId, client_secret: args.clientSecret, authorize_scopes: scopes, attributes_request_method: "GET", oidc_issuer: args.issuerUrl! },
      attributeMapping: { email: "email", email_verified: "email_verified", username: "sub" },
    },
    opts,
  );
}
