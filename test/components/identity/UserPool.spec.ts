import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { USER_GROUPS, UserPool, UserPoolArgs } from "../../../components/identity/UserPool";
import type { MockRunResult } from "../../../tools/mocks/runtime";
import { runUnderMocks } from "../../../tools/mocks/runtime";
import { loadStackFile } from "../../../tools/mocks/stackFile";
import { declare, declareStack, ofType, oneOf, ROOT } from "../../support/harness";

const T = {
  pool: "aws:cognito/userPool:UserPool",
  client: "aws:cognito/userPoolClient:UserPoolClient",
  group: "aws:cognito/userGroup:UserGroup",
  domain: "aws:cognito/userPoolDomain:UserPoolDomain",
  branding: "aws:cognito/managedLoginBranding:ManagedLoginBranding",
  idp: "aws:cognito/identityProvider:IdentityProvider",
};
/** Inputs that contain a secret reach the mock monitor wrapped in Pulumi's secret envelope. */
function secretValue(input: unknown): Record<string, unknown> {
  const envelope = input as Record<string, unknown>;
  assert.equal(envelope?.[specialSigKey], specialSecretSig, "the value is a Pulumi secret (encrypted in state)");
  return envelope.value as Record<string, unknown>;
}
const SES_ARN = "arn:aws:ses:eu-west-2:123456789012:identity/example.com";

async function declarePool(args: UserPoolArgs = {}) {
  const outputs: Record<string, unknown> = {};
  const result = await declare(() => {
    const pool = new UserPool("identity", args);
    Object.assign(outputs, {
      userPoolId: pool.userPoolId,
      userPoolArn: pool.userPoolArn,
      userPoolClientId: pool.userPoolClientId,
      issuerUrl: pool.issuerUrl,
      jwksUri: pool.jwksUri,
      hostedUiUrl: pool.hostedUiUrl,
    });
    return outputs;
  });
  return result;
}

describe("UserPool (mpto:identity:UserPool) under mocks", () => {
  describe("with defaults", () => {
    let r: MockRunResult;
    before(async () => {
      r = await declarePool();
    });

    it("is one component whose children are parented to it and named after it", () => {
      const component = oneOf(r, "mpto:identity:UserPool");
      for (const child of r.resources.filter((x) => x.custom)) {
        assert.equal(child.parent, component.urn, child.name);
        assert.match(child.name, /^identity-/);
      }
      assert.equal(ofType(r, T.domain).length, 0, "no hosted domain unless asked");
      assert.equal(ofType(r, T.idp).length, 0, "no federation unless asked");
    });

    it("signs users in by email, case-insensitively, verifies email and recovers accounts only through it", () => {
      const pool = oneOf(r, T.pool).inputs;
      assert.deepEqual(pool.usernameAttributes, ["email"]);
      assert.deepEqual(pool.usernameConfiguration, { caseSensitive: false });
      assert.deepEqual(pool.autoVerifiedAttributes, ["email"]);
      assert.deepEqual(pool.userAttributeUpdateSettings, { attributesRequireVerificationBeforeUpdates: ["email"] });
      assert.deepEqual(pool.accountRecoverySetting, { recoveryMechanisms: [{ name: "verified_email", priority: 1 }] });
    });

    it("requires passwords of at least 12 characters with all four character classes (AwsSolutions-COG1)", () => {
      assert.deepEqual(oneOf(r, T.pool).inputs.passwordPolicy, {
        minimumLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireNumbers: true,
        requireSymbols: true,
        temporaryPasswordValidityDays: 3,
      });
    });

    it("requires TOTP MFA and enables no SMS (AwsSolutions-COG2)", () => {
      const pool = oneOf(r, T.pool).inputs;
      assert.equal(pool.mfaConfiguration, "ON");
      assert.deepEqual(pool.softwareTokenMfaConfiguration, { enabled: true });
      assert.equal(pool.smsConfiguration, undefined);
    });

    it("is on the Essentials plan with threat protection off, and lets users sign themselves up (the default both stacks deploy)", () => {
      const pool = oneOf(r, T.pool).inputs;
      assert.equal(pool.userPoolTier, "ESSENTIALS");
      assert.deepEqual(pool.userPoolAddOns, { advancedSecurityMode: "OFF" });
      assert.equal((pool.adminCreateUserConfig as any).allowAdminCreateUserOnly, false);
    });

    it("is not protected and has deletion protection off by default", () => {
      const pool = oneOf(r, T.pool);
      assert.equal(pool.inputs.deletionProtection, "INACTIVE");
      assert.equal(pool.options.protect, undefined);
      assert.equal(pool.options.retainOnDelete, undefined);
    });

    it("sends mail through Cognito's shared sender when no SES identity is given", () => {
      assert.deepEqual(oneOf(r, T.pool).inputs.emailConfiguration, { emailSendingAccount: "COGNITO_DEFAULT" });
    });

    it("declares no schema attributes (editing them later would replace the pool)", () => {
      assert.equal(oneOf(r, T.pool).inputs.schemas, undefined);
    });

    it("has the groups parents, tutors and admins, admins taking precedence", () => {
      const groups = ofType(r, T.group).map((g) => g.inputs);
      assert.deepEqual(groups.map((g) => g.name).sort(), ["admins", "parents", "tutors"]);
      const precedence = Object.fromEntries(groups.map((g) => [g.name, g.precedence]));
      assert.ok(precedence.admins < precedence.tutors && precedence.tutors < precedence.parents);
      for (const g of groups) assert.equal(g.userPoolId, oneOf(r, T.pool).outputs.id ?? g.userPoolId);
      assert.equal(USER_GROUPS.length, 3);
    });

    it("gives the Next.js server a client with SRP and refresh only, no existence errors, revocation and short tokens", () => {
      const client = oneOf(r, T.client).inputs;
      assert.deepEqual(client.explicitAuthFlows, ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]);
      assert.equal(client.preventUserExistenceErrors, "ENABLED");
      assert.equal(client.enableTokenRevocation, true);
      assert.equal(client.generateSecret, false);
      assert.equal(client.accessTokenValidity, 30);
      assert.equal(client.idTokenValidity, 30);
      assert.equal(client.refreshTokenValidity, 30);
      assert.deepEqual(client.tokenValidityUnits, { accessToken: "minutes", idToken: "minutes", refreshToken: "days" });
      assert.equal(client.authSessionValidity, 3);
      assert.deepEqual(client.supportedIdentityProviders, ["COGNITO"]);
      assert.equal(client.allowedOauthFlowsUserPoolClient, undefined, "no OAuth without a hosted domain");
    });

    it("publishes the pool id, ARN, client id, issuer and JWKS URI", () => {
      const out = r.stackOutputs;
      assert.match(String(out.userPoolId), /^eu-west-2_[0-9a-f]{9}$/);
      assert.match(String(out.userPoolArn), /^arn:aws:cognito-idp:eu-west-2:\d{12}:userpool\/eu-west-2_/);
      assert.ok(String(out.userPoolClientId).length > 0);
      assert.equal(out.issuerUrl, `https://cognito-idp.eu-west-2.amazonaws.com/${out.userPoolId}`);
      assert.equal(out.jwksUri, `https://cognito-idp.eu-west-2.amazonaws.com/${out.userPoolId}/.well-known/jwks.json`);
      assert.equal(out.hostedUiUrl, undefined, "no domain, no hosted sign-in URL (not an empty string)");
    });
  });

  it("protects the pool and turns on deletion protection when protect is set", async () => {
    const r = await declarePool({ protect: true });
    const pool = oneOf(r, T.pool);
    assert.equal(pool.inputs.deletionProtection, "ACTIVE");
    assert.equal(pool.options.protect, true);
    assert.equal(pool.options.retainOnDelete, true);
    const unprotectedButGuarded = oneOf(await declarePool({ deletionProtection: true }), T.pool);
    assert.equal(unprotectedButGuarded.inputs.deletionProtection, "ACTIVE");
    assert.equal(unprotectedButGuarded.options.protect, undefined);
  });

  it("takes MFA mode, password length, self sign-up and token lifetimes from its args", async () => {
    const r = await declarePool({ mfa: "OPTIONAL", passwordMinimumLength: 14, selfSignUp: false, accessTokenValidityMinutes: 15, idTokenValidityMinutes: 20, refreshTokenValidityDays: 7, challengeValidityMinutes: 5 });
    const pool = oneOf(r, T.pool).inputs;
    assert.equal(pool.mfaConfiguration, "OPTIONAL");
    assert.equal((pool.passwordPolicy as any).minimumLength, 14);
    assert.equal((pool.adminCreateUserConfig as any).allowAdminCreateUserOnly, true);
    const client = oneOf(r, T.client).inputs;
    assert.deepEqual([client.accessTokenValidity, client.idTokenValidity, client.refreshTokenValidity, client.authSessionValidity], [15, 20, 7, 5]);
  });

  it("uses the Plus plan with threat protection in audit or enforced mode, and refuses threat protection without Plus", async () => {
    for (const mode of ["AUDIT", "ENFORCED"] as const) {
      const pool = oneOf(await declarePool({ featurePlan: "PLUS", threatProtection: mode }), T.pool).inputs;
      assert.equal(pool.userPoolTier, "PLUS");
      assert.deepEqual(pool.userPoolAddOns, { advancedSecurityMode: mode });
    }
    assert.throws(() => new UserPool("bad", { threatProtection: "AUDIT" }), /^Error: UserPool bad: threatProtection: expected OFF, since threat protection needs featurePlan PLUS \(it is ESSENTIALS\)$/);
  });

  it("sends mail through the SES identity (DEVELOPER) with a from address and configuration set when given", async () => {
    const r = await declarePool({ sesIdentityArn: SES_ARN, fromAddress: "no-reply@example.com", sesConfigurationSet: "mpto-transactional" });
    assert.deepEqual(oneOf(r, T.pool).inputs.emailConfiguration, {
      emailSendingAccount: "DEVELOPER",
      sourceArn: SES_ARN,
      fromEmailAddress: "My Private Tutor Online <no-reply@example.com>",
      configurationSet: "mpto-transactional",
    });
    assert.throws(() => new UserPool("bad", { sesIdentityArn: SES_ARN }), /fromAddress is required/);
  });

  it("creates a client secret only when asked, and outputs it only then, as a secret", async () => {
    assert.equal(oneOf(await declarePool({ generateClientSecret: true }), T.client).inputs.generateSecret, true);
    const pools: UserPool[] = [];
    await declare(() => {
      pools.push(new UserPool("public", {}), new UserPool("confidential", { generateClientSecret: true }));
      return {};
    });
    assert.equal(pools[0].userPoolClientSecret, undefined, "a public client has no secret output (not an empty string)");
    assert.equal(await (pools[1].userPoolClientSecret as unknown as { isSecret: Promise<boolean> }).isSecret, true);
  });

  describe("with a hosted sign-in domain and a Google provider", () => {
    let r: MockRunResult;
    before(async () => {
      r = await declarePool({
        hostedUiDomainPrefix: "mpto-signin",
        callbackUrls: ["https://www.example.com/api/auth/callback"],
        logoutUrls: ["https://www.example.com/"],
        federatedIdentityProvider: { type: "Google", clientId: "google-client-id", clientSecret: pulumi.secret("google-client-secret") },
      });
    });

    it("creates the managed-login domain (replaced before re-creation) with a default branding style for the client", () => {
      const domain = oneOf(r, T.domain);
      assert.equal(domain.inputs.domain, "mpto-signin");
      assert.equal(domain.inputs.managedLoginVersion, 2);
      assert.equal(domain.options.deleteBeforeReplace, true);
      const branding = oneOf(r, T.branding);
      assert.equal(branding.inputs.useCognitoProvidedValues, true);
      assert.equal(branding.inputs.clientId, oneOf(r, T.client).outputs.id ?? branding.inputs.clientId);
      assert.equal(r.stackOutputs.hostedUiUrl, "https://mpto-signin.auth.eu-west-2.amazoncognito.com");
    });

    it("allows only the authorization code flow with openid, email and profile, on the given URLs", () => {
      const client = oneOf(r, T.client).inputs;
      assert.equal(client.allowedOauthFlowsUserPoolClient, true);
      assert.deepEqual(client.allowedOauthFlows, ["code"]);
      assert.deepEqual(client.allowedOauthScopes, ["openid", "email", "profile"]);
      assert.deepEqual(client.callbackUrls, ["https://www.example.com/api/auth/callback"]);
      assert.deepEqual(client.logoutUrls, ["https://www.example.com/"]);
      assert.deepEqual(client.supportedIdentityProviders, ["COGNITO", "Google"]);
    });

    it("configures Google with its client id and secret and maps email, email_verified and sub", () => {
      const idp = oneOf(r, T.idp).inputs;
      assert.equal(idp.providerName, "Google");
      assert.equal(idp.providerType, "Google");
      const details = secretValue(idp.providerDetails);
      assert.equal(details.client_id, "google-client-id");
      assert.equal(details.client_secret, "google-client-secret");
      assert.equal(details.authorize_scopes, "openid email profile");
      assert.deepEqual(idp.attributeMapping, { email: "email", email_verified: "email_verified", username: "sub" });
    });
  });

  it("configures an OIDC provider with its issuer, and refuses federation without a domain or an OIDC issuer", async () => {
    const r = await declarePool({
      hostedUiDomainPrefix: "mpto-signin",
      callbackUrls: ["https://www.example.com/cb"],
      federatedIdentityProvider: { type: "OIDC", name: "SchoolSSO", clientId: "id", clientSecret: pulumi.secret("s"), issuerUrl: "https://login.example.org" },
    });
    const idp = oneOf(r, T.idp).inputs;
    assert.equal(idp.providerType, "OIDC");
    assert.equal(idp.providerName, "SchoolSSO");
    assert.equal(secretValue(idp.providerDetails).oidc_issuer, "https://login.example.org");
    assert.equal(secretValue(idp.providerDetails).attributes_request_method, "GET");
    assert.throws(() => new UserPool("bad1", { federatedIdentityProvider: { type: "Google", clientId: "i", clientSecret: "s" } }), /UserPool bad1: hostedUiDomainPrefix: expected a value, since federatedIdentityProvider.type is Google/);
    assert.throws(() => new UserPool("bad2", { hostedUiDomainPrefix: "x", callbackUrls: ["https://a.example/cb"], federatedIdentityProvider: { type: "OIDC", clientId: "i", clientSecret: "s" } }), /UserPool bad2: federatedIdentityProvider.name: expected a value, since federatedIdentityProvider.type is OIDC; federatedIdentityProvider.issuerUrl: expected a value, since federatedIdentityProvider.type is OIDC$/);
    assert.throws(() => new UserPool("bad3", { hostedUiDomainPrefix: "my-cognito-login", callbackUrls: ["https://a.example/cb"] }), /UserPool bad3: hostedUiDomainPrefix: expected 1-63 lower-case letters, digits and '-', not containing aws, amazon or cognito \("my-cognito-login": contains cognito, which Cognito reserves\)/);
    assert.throws(() => new UserPool("bad4", { hostedUiDomainPrefix: "signin" }), /UserPool bad4: callbackUrls: expected at least one URL, since hostedUiDomainPrefix enables the hosted sign-in/);
    assert.throws(() => new UserPool("bad5", { logoutUrls: ["https://a.example/"] }), /UserPool bad5: logoutUrls: expected no URLs unless hostedUiDomainPrefix is set/);
  });

  for (const stack of ["dev", "prod"] as const) {
    describe(`in the ${stack} stack`, () => {
      let r: MockRunResult;
      before(async () => {
        r = await declareStack(stack);
      });

      it("has one user pool in eu-west-2 under the stack's provider, with its app client and three groups", () => {
        const pool = oneOf(r, T.pool);
        assert.equal(pool.region, "eu-west-2");
        assert.ok(pool.provider, "explicit provider");
        assert.equal(ofType(r, T.client).length, 1);
        assert.equal(ofType(r, T.group).length, 3);
      });

      it("exports the pool id, ARN and client id for other components", () => {
        for (const key of ["userPoolId", "userPoolArn", "userPoolClientId"]) assert.ok(String(r.stackOutputs[key] ?? "").length > 0, key);
      });

      it("keeps the security baseline whatever the stack: SRP only, no existence errors, TOTP, 12+ character passwords", () => {
        const pool = oneOf(r, T.pool).inputs;
        assert.ok(Number((pool.passwordPolicy as any).minimumLength) >= 12);
        assert.deepEqual(pool.softwareTokenMfaConfiguration, { enabled: true });
        const client = oneOf(r, T.client).inputs;
        assert.deepEqual(client.explicitAuthFlows, ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]);
        assert.equal(client.preventUserExistenceErrors, "ENABLED");
      });

      if (stack === "prod") {
        it("protects the prod pool (protect, retainOnDelete, deletion protection) and requires MFA", () => {
          const pool = oneOf(r, T.pool);
          assert.equal(pool.options.protect, true);
          assert.equal(pool.options.retainOnDelete, true);
          assert.equal(pool.inputs.deletionProtection, "ACTIVE");
          assert.equal(pool.inputs.mfaConfiguration, "ON");
        });

        it("commits Cognito's shared sender until the SES identity is verified (a first deploy would fail otherwise)", () => {
          assert.deepEqual(oneOf(r, T.pool).inputs.emailConfiguration, { emailSendingAccount: "COGNITO_DEFAULT" });
        });

        it("once userPoolEmailViaSes is on, sends the prod pool's mail through the stack's SES domain identity and transactional configuration set", async () => {
          const on = await declareStack("prod", { "mpto:userPoolEmailViaSes": "true" });
          const email = oneOf(on, T.pool).inputs.emailConfiguration as Record<string, unknown>;
          assert.equal(email.emailSendingAccount, "DEVELOPER");
          assert.equal(email.sourceArn, on.stackOutputs.mailIdentityArn);
          assert.equal(email.fromEmailAddress, "My Private Tutor Online <no-reply@myprivatetutoronline.com>");
          assert.equal(email.configurationSet, on.stackOutputs.mailConfigurationSet);
        });
      } else {
        it("leaves the dev pool destroyable, with optional MFA and Cognito's shared sender", () => {
          const pool = oneOf(r, T.pool);
          assert.equal(pool.options.protect, undefined);
          assert.equal(pool.inputs.deletionProtection, "INACTIVE");
          assert.equal(pool.inputs.mfaConfiguration, "OPTIONAL");
          assert.deepEqual(pool.inputs.emailConfiguration, { emailSendingAccount: "COGNITO_DEFAULT" });
        });
      }
    });
  }

  describe("federation turned on from stack config", () => {
    const federation = {
      "mpto:userPoolDomainPrefix": "mpto-dev-signin",
      "mpto:authCallbackUrls": JSON.stringify(["https://dev.myprivatetutoronline.com/api/auth/callback"]),
      "mpto:userPoolFederation": "google",
      "mpto:userPoolFederationClientId": "google-id.apps.googleusercontent.com",
      "mpto:userPoolFederationClientSecret": "value-of-a-secure-config-key",
    };
    const run = async (secretKeys: string[]) => {
      const loaded = loadStackFile(ROOT, "dev");
      const { program } = await import("../../../stacks/program");
      return runUnderMocks(program, { project: loaded.project, stack: "dev", config: { ...loaded.config, ...federation }, secretKeys: [...loaded.secretKeys, ...secretKeys] });
    };

    it("creates the domain and the Google provider, with the client secret from a secure config key", async () => {
      const r = await run(["mpto:userPoolFederationClientSecret"]);
      assert.equal(oneOf(r, T.domain).inputs.domain, "mpto-dev-signin");
      const idp = oneOf(r, T.idp).inputs;
      assert.equal(secretValue(idp.providerDetails).client_secret, "value-of-a-secure-config-key");
      assert.deepEqual(oneOf(r, T.client).inputs.supportedIdentityProviders, ["COGNITO", "Google"]);
    });

    it("refuses a client secret given in plain text (it must be set with --secret)", async () => {
      await assert.rejects(run([]), /userPoolFederationClientSecret\s+found a plain-text value; expected a secret/);
    });

    it("refuses federation without the hosted domain or the client id", async () => {
      const loaded = loadStackFile(ROOT, "dev");
      const { program } = await import("../../../stacks/program");
      const config = { ...loaded.config, "mpto:userPoolFederation": "oidc" };
      await assert.rejects(
        runUnderMocks(program, { project: loaded.project, stack: "dev", config, secretKeys: loaded.secretKeys }),
        (e: Error) => ["userPoolDomainPrefix", "userPoolFederationClientId", "userPoolFederationClientSecret", "userPoolFederationName", "userPoolFederationIssuerUrl"].every((k) => e.message.includes(`mpto:${k}`)),
      );
    });
  });
});
