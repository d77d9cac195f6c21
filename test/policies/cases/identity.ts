import { T, tweak, userPool } from "../fixtures";
import type { PolicyCase } from "./types";

const client = { userPoolId: "eu-west-2_abc", explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"], preventUserExistenceErrors: "ENABLED", enableTokenRevocation: true };
const table = { billingMode: "PAY_PER_REQUEST", hashKey: "id", pointInTimeRecovery: { enabled: true }, deletionProtectionEnabled: true, serverSideEncryption: { enabled: true }, ttl: { attributeName: "expiresAt", enabled: true } };
const configurationSet = {
  configurationSetName: "mpto-transactional",
  deliveryOptions: { tlsPolicy: "REQUIRE" },
  reputationOptions: { reputationMetricsEnabled: true },
  sendingOptions: { sendingEnabled: true },
  suppressionOptions: { suppressedReasons: ["BOUNCE", "COMPLAINT"] },
};
const identity = { emailIdentity: "example.com", configurationSetName: "mpto-transactional", dkimSigningAttributes: { nextSigningKeyLength: "RSA_2048_BIT" } };

export const cognitoCases: PolicyCase[] = [
  { policy: "cognito-password-policy", title: "passes 12+ characters with every character class and 3-day temporary passwords", type: T.userPool, props: userPool(), expect: "pass" },
  {
    policy: "cognito-password-policy",
    title: "fails a short password without symbols and long-lived temporary passwords",
    type: T.userPool,
    props: tweak(userPool(), (p) => {
      p.passwordPolicy.minimumLength = 8;
      p.passwordPolicy.requireSymbols = false;
      p.passwordPolicy.temporaryPasswordValidityDays = 30;
    }),
    expect: [/minimumLength 8 is below 12/, /requireSymbols is not true/, /temporaryPasswordValidityDays 30/],
    count: 3,
    rules: ["AwsSolutions-COG1", "Cognito.3"],
  },
  { policy: "cognito-password-policy", title: "fails a pool with no password policy at all", type: T.userPool, props: tweak(userPool(), (p) => delete p.passwordPolicy), expect: /no passwordPolicy/ },

  { policy: "cognito-mfa", title: "passes MFA ON with TOTP", type: T.userPool, props: userPool(), expect: "pass" },
  { policy: "cognito-mfa", title: "fails optional MFA where the stack requires it for everyone", type: T.userPool, props: tweak(userPool(), (p) => (p.mfaConfiguration = "OPTIONAL")), expect: /mfaConfiguration is OPTIONAL; allowed: ON/, rules: ["AwsSolutions-COG2", "Cognito.5"] },
  { policy: "cognito-mfa", title: "passes optional MFA in a stack that allows it", type: T.userPool, props: tweak(userPool(), (p) => (p.mfaConfiguration = "OPTIONAL")), config: { allowedMfaConfigurations: ["ON", "OPTIONAL"] }, expect: "pass" },
  { policy: "cognito-mfa", title: "fails MFA without TOTP (SMS only)", type: T.userPool, props: tweak(userPool(), (p) => delete p.softwareTokenMfaConfiguration), expect: /TOTP/ },

  { policy: "cognito-threat-protection", title: "passes ENFORCED threat protection on the Plus plan", type: T.userPool, props: userPool(), expect: "pass" },
  {
    policy: "cognito-threat-protection",
    title: "fails threat protection OFF where the stack requires ENFORCED",
    type: T.userPool,
    props: tweak(userPool(), (p) => {
      p.userPoolTier = "ESSENTIALS";
      delete p.userPoolAddOns;
    }),
    expect: /threat protection is OFF; this stack requires ENFORCED/,
    count: 1,
    rules: ["AwsSolutions-COG8", "Cognito.1"],
  },
  { policy: "cognito-threat-protection", title: "fails threat protection without the Plus plan it needs", type: T.userPool, props: tweak(userPool(), (p) => (p.userPoolTier = "ESSENTIALS")), expect: /needs userPoolTier PLUS/ },
  { policy: "cognito-threat-protection", title: "passes no threat protection in a stack that requires none", type: T.userPool, props: tweak(userPool(), (p) => delete p.userPoolAddOns), config: { requiredMode: "OFF" }, expect: "pass" },

  { policy: "cognito-deletion-protection", title: "passes an ACTIVE deletion protection", type: T.userPool, props: userPool(), expect: "pass" },
  { policy: "cognito-deletion-protection", title: "fails an unprotected pool where the stack requires protection", type: T.userPool, props: tweak(userPool(), (p) => (p.deletionProtection = "INACTIVE")), expect: /deletionProtection is INACTIVE/, rules: ["Cognito.6"] },
  { policy: "cognito-deletion-protection", title: "passes an unprotected pool in a destroyable stack", type: T.userPool, props: tweak(userPool(), (p) => delete p.deletionProtection), config: { required: false }, expect: "pass" },

  { policy: "cognito-client-auth-flows", title: "passes an SRP and refresh-token client that hides user existence", type: T.userPoolClient, props: client, expect: "pass" },
  {
    policy: "cognito-client-auth-flows",
    title: "fails plain-password sign-in and user-existence errors",
    type: T.userPoolClient,
    props: { ...client, explicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"], preventUserExistenceErrors: "LEGACY" },
    expect: [/allows ALLOW_USER_PASSWORD_AUTH/, /reveal which emails have accounts/],
    count: 2,
  },
  { policy: "cognito-client-auth-flows", title: "fails a client that leaves its auth flows to Cognito's defaults", type: T.userPoolClient, props: { ...client, explicitAuthFlows: [] }, expect: /explicitAuthFlows is empty/ },

  { policy: "cognito-identity-pool-authenticated", title: "passes an identity pool for signed-in users only", type: T.identityPool, props: { identityPoolName: "p", allowUnauthenticatedIdentities: false }, expect: "pass" },
  {
    policy: "cognito-identity-pool-authenticated",
    title: "fails an identity pool that hands credentials to guests",
    type: T.identityPool,
    props: { identityPoolName: "p", allowUnauthenticatedIdentities: true },
    expect: /anyone can obtain AWS credentials/,
    rules: ["AwsSolutions-COG7", "Cognito.2", "CKV_AWS_366"],
  },
];

export const dynamodbCases: PolicyCase[] = [
  { policy: "dynamodb-pitr", title: "passes a table with point-in-time recovery", type: T.table, props: table, expect: "pass" },
  { policy: "dynamodb-pitr", title: "fails a table without point-in-time recovery", type: T.table, props: { ...table, pointInTimeRecovery: { enabled: false } }, expect: /pointInTimeRecovery/, rules: ["AwsSolutions-DDB3", "DynamoDB.2", "CKV_AWS_28", "NIST DynamoDBPITREnabled"] },
  { policy: "dynamodb-deletion-protection", title: "passes a protected table", type: T.table, props: table, expect: "pass" },
  { policy: "dynamodb-deletion-protection", title: "fails an unprotected table where the stack requires protection", type: T.table, props: { ...table, deletionProtectionEnabled: false }, expect: /deletionProtectionEnabled is not true/, rules: ["DynamoDB.6"] },
  { policy: "dynamodb-deletion-protection", title: "passes an unprotected table in a destroyable stack", type: T.table, props: { ...table, deletionProtectionEnabled: false }, config: { required: false }, expect: "pass" },
  { policy: "dynamodb-encryption", title: "passes the AWS owned key when the stack does not require KMS", type: T.table, props: { ...table, serverSideEncryption: { enabled: false } }, expect: "pass" },
  { policy: "dynamodb-encryption", title: "fails the AWS owned key where the stack requires a KMS key", type: T.table, props: { ...table, serverSideEncryption: { enabled: false } }, config: { requireKmsKey: true }, expect: /AWS owned key/, rules: ["CKV_AWS_119"] },
  { policy: "dynamodb-encryption", title: "passes a KMS-encrypted table where the stack requires it", type: T.table, props: table, config: { requireKmsKey: true }, expect: "pass" },
];

export const sesv2Cases: PolicyCase[] = [
  { policy: "ses-configuration-set-tls", title: "passes a configuration set that requires TLS", type: T.configurationSet, props: configurationSet, expect: "pass" },
  {
    policy: "ses-configuration-set-tls",
    title: "fails a configuration set with optional TLS",
    type: T.configurationSet,
    props: { ...configurationSet, deliveryOptions: { tlsPolicy: "OPTIONAL" } },
    expect: /tlsPolicy is OPTIONAL/,
    rules: ["CKV_AWS_365", "ses-sending-tls-required"],
  },
  { policy: "ses-configuration-set-reputation", title: "passes bounce and complaint suppression with reputation metrics", type: T.configurationSet, props: configurationSet, expect: "pass" },
  {
    policy: "ses-configuration-set-reputation",
    title: "fails a set that keeps mailing complainers and measures nothing",
    type: T.configurationSet,
    props: { ...configurationSet, suppressionOptions: { suppressedReasons: ["BOUNCE"] }, reputationOptions: { reputationMetricsEnabled: false } },
    expect: [/lacks COMPLAINT/, /reputationMetricsEnabled is not true/],
    count: 2,
  },
  { policy: "ses-identity-dkim", title: "passes a domain with 2048-bit DKIM and a default configuration set", type: T.emailIdentity, props: identity, expect: "pass" },
  {
    policy: "ses-identity-dkim",
    title: "fails a domain with 1024-bit DKIM and no default configuration set",
    type: T.emailIdentity,
    props: { emailIdentity: "example.com", dkimSigningAttributes: { nextSigningKeyLength: "RSA_1024_BIT" } },
    expect: [/RSA_1024_BIT/, /no default configurationSetName/],
    count: 2,
  },
  { policy: "ses-identity-dkim", title: "passes an address identity (it inherits the domain's DKIM)", type: T.emailIdentity, props: { emailIdentity: "bookings@example.com" }, expect: "pass" },
];
