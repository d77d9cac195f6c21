import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { configFields, parseStackConfig } from "../../stacks/config";
import type { ConfigField } from "../../components/shared/configField";
import { runUnderMocks } from "../../tools/mocks/runtime";
import { loadStackFile } from "../../tools/mocks/stackFile";
import { ROOT } from "../support/harness";

/**
 * Every config key changes what it says it changes (issue 11.6: `mpto:alarmLambdaErrors` once changed
 * nothing). For each key: the real program under mocks, in-process, once with a baseline config and
 * once with only that key changed; the recorded plan (resources' inputs and options, stack outputs)
 * must differ. Values are derived from each field (booleans flipped, integers moved within range,
 * another enum member); keys that need a hand-written value or companion keys are listed below.
 */

type Stack = "dev" | "prod";
interface Change {
  /** Stack file the baseline starts from. Default prod (it has the account baseline and the anomaly monitor). */
  stack?: Stack;
  /** Keys set in both the baseline and the variant (what the key needs to take effect). */
  with?: Record<string, unknown>;
  /** The key's new value (arrays and objects JSON-encoded). */
  value?: unknown;
  /** Other keys that must change with it (validation ties them), in the variant only. */
  alongWith?: Record<string, unknown>;
}

const publicKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }).toString();
const CALLBACK = "https://www.myprivatetutoronline.com/api/auth/callback";
const HOSTED = { userPoolDomainPrefix: "mpto-prod-signin", authCallbackUrls: [CALLBACK] };
const OIDC = { ...HOSTED, userPoolFederation: "oidc", userPoolFederationName: "Schools", userPoolFederationIssuerUrl: "https://login.example-idp.org", userPoolFederationClientId: "client-1", userPoolFederationClientSecret: "secret-1" };

/** Keys whose new value cannot be derived from the field alone, or that need companion keys. */
const CHANGES: Record<string, Change> = {
  owner: { value: "web-team" },
  costCenter: { value: "MPTO-OPS" },
  alertEmail: { value: "ops@myprivatetutoronline.com" },
  apexDomain: { stack: "dev", value: "dev.myprivatetutoronline.com" },
  siteHostnames: { value: ["www.myprivatetutoronline.com"] },
  vercelOriginHostname: { value: "mpto-web-other.vercel.app" },
  route53ZoneId: { value: "Z1D633PJN98FT9" },
  geoRestrictionType: { with: { geoRestrictionType: "whitelist", geoRestrictionLocations: ["GB"] }, value: "blacklist" },
  geoRestrictionLocations: { with: { geoRestrictionType: "whitelist", geoRestrictionLocations: ["GB"] }, value: ["GB", "IE"] },
  mediaPathPrefix: { value: "/assets" },
  mediaSigningPublicKey: { value: publicKey },
  mailDomain: { value: "mail.myprivatetutoronline.com", alongWith: { bookingsSender: "bookings@mail.myprivatetutoronline.com" } },
  bookingsSender: { value: "hello@myprivatetutoronline.com" },
  adminEmail: { value: "admins@myprivatetutoronline.com" },
  mailFromSubdomain: { value: "bounce" },
  dmarcReportEmail: { value: "dmarc@myprivatetutoronline.com" },
  mailConfigurationSetSuffix: { value: "-blue" },
  guardDutyFeatures: { value: ["S3_DATA_EVENTS"] },
  githubRepository: { value: "acme-tutoring/infra" },
  githubOidcProviderArn: { value: "arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com" },
  pulumiStateBucket: { value: "mpto-pulumi-state" },
  userPoolEmailFrom: { with: { userPoolEmailViaSes: true }, value: "noreply@myprivatetutoronline.com" },
  userPoolDomainPrefix: { value: "mpto-prod-signin", alongWith: { authCallbackUrls: [CALLBACK] } },
  authCallbackUrls: { with: HOSTED, value: [CALLBACK, "https://myprivatetutoronline.com/api/auth/callback"] },
  userPoolFederation: { with: { ...HOSTED, userPoolFederationClientId: "client-1", userPoolFederationClientSecret: "secret-1" }, value: "google" },
  userPoolFederationName: { with: OIDC, value: "Academies" },
  userPoolFederationClientId: { with: OIDC, value: "client-2" },
  userPoolFederationClientSecret: { with: OIDC, value: "secret-2" },
  userPoolFederationIssuerUrl: { with: OIDC, value: "https://sso.example-idp.org" },
  userPoolThreatProtection: { with: { userPoolFeaturePlan: "plus" }, value: "audit" },
  userPoolFeaturePlan: { value: "lite" },
  // Keys that only take effect with another: a logout URL belongs to the hosted sign-in.
  authLogoutUrls: { with: HOSTED, value: ["https://www.myprivatetutoronline.com/"] },
  // Unset means "the account baseline owner creates it" (prod: true), so the change is to false.
  createGithubOidcProvider: { value: false },
  // The video events endpoint belongs to the video pipeline.
  videoEventsUrl: { with: { videoPipeline: true }, value: "https://www.myprivatetutoronline.com/api/video-events" },
  // Edge and site policy (docs/edge.md).
  wafSignInPathPrefixes: { value: ["/sign-in"] },
  wafSoakingRules: { with: { wafSoakingRules: [] }, value: ["RateLimitSignIn"] },
  vercelProtectionBypass: { value: "bypass-secret-0123456789abcdef" },
  // The app runtime role (components/app/AppRuntimeRole.ts).
  vercelTeamSlug: { value: "acme-tutors" },
  vercelProjectName: { value: "mpto-web-next" },
  vercelEnvironments: { value: ["production", "preview"] },
  vercelOidcProviderArn: { value: "arn:aws:iam::210987654321:oidc-provider/oidc.vercel.com/myprivatetutoronline" },
  cspFrameSources: { value: ["https://player.vimeo.com"] },
  cspScriptSources: { value: ["https://js.stripe.com"] },
  cspConnectSources: { value: ["https://api.stripe.com"] },
  cspImgSources: { value: ["https://i.ytimg.com"] },
  cspReportUri: { value: "/api/csp-violations" },
  sitePermissionsPolicy: { value: ["camera=()", "microphone=()"] },
};

/** Keys that cannot change on their own, and why; each is still shown to be refused rather than ignored. */
const FIXED: Record<string, string> = {
  environment: "must equal the stack name (it becomes the Environment tag)",
};

const encode = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
const key = (name: string) => `mpto:${name}`;

function enumOptions(f: ConfigField<unknown>): string[] | undefined {
  const options = (f.schema as unknown as { options?: unknown[] }).options;
  return Array.isArray(options) && options.every((o) => typeof o === "string") ? (options as string[]) : undefined;
}

/** Values to try for a key, from its field and its value in the baseline. */
function candidates(name: string, f: ConfigField<unknown>, current: unknown): unknown[] {
  const change = CHANGES[name];
  if (change?.value !== undefined) return [change.value];
  const options = enumOptions(f);
  if (options) return options.filter((o) => o !== current);
  if (f.pulumiType === "boolean") return [!(current === true || current === "true")];
  const n = Number(current);
  if (f.pulumiType === "integer" && Number.isFinite(n)) return [n + 1, n - 1, n * 2, Math.floor(n / 2), 1, 0];
  if (f.pulumiType === "string" && Number.isFinite(n) && current !== undefined && current !== "") return [String(n * 2), String(n / 2), String(n + 1)];
  return [];
}

interface Variant {
  stack: Stack;
  base: Record<string, string>;
  changed: Record<string, string>;
  secretKeys: string[];
}

function variantFor(name: string): Variant | string {
  const f = (configFields as Record<string, ConfigField<unknown>>)[name];
  const change = CHANGES[name] ?? {};
  const stack = change.stack ?? "prod";
  const loaded = loadStackFile(ROOT, stack);
  const base = { ...loaded.config };
  for (const [k, v] of Object.entries(change.with ?? {})) base[key(k)] = encode(v);
  const secretKeys = [...new Set([...loaded.secretKeys, ...Object.entries(configFields).filter(([, x]) => (x as ConfigField<unknown>).secret).map(([k]) => key(k))])];
  const secrets = new Set(secretKeys);
  const valid = (config: Record<string, string>) => {
    try {
      parseStackConfig(stack, config, secrets);
      return true;
    } catch {
      return false;
    }
  };
  if (!valid(base)) return `the baseline for ${name} is not a valid ${stack} config`;
  const current = base[key(name)] ?? f.default;
  for (const candidate of candidates(name, f, current)) {
    const changed = { ...base, [key(name)]: encode(candidate) };
    for (const [k, v] of Object.entries(change.alongWith ?? {})) changed[key(k)] = encode(v);
    if (valid(changed)) return { stack, base, changed, secretKeys };
  }
  return `no valid new value for mpto:${name}: add one to CHANGES in test/stacks/configEffect.spec.ts`;
}

/** The recorded plan, as text: what a reviewer would see change. */
async function fingerprint(stack: Stack, config: Record<string, string>, secretKeys: string[]): Promise<string> {
  const { program } = await import("../../stacks/program");
  const run = await runUnderMocks(program, { project: "mpto", stack, config, secretKeys });
  return JSON.stringify({ resources: run.resources.map((r) => [r.urn, r.inputs, r.options]), outputs: run.stackOutputs });
}

describe("every config key changes the plan (program in-process under mocks, one run per key)", function () {
  this.timeout(600_000);
  // Runs are cheap because runUnderMocks turns the SDK's stack traces off while a program runs.
  const baselines = new Map<string, Promise<string>>();

  it("has no stale entries: every hand-written change names a key the program reads", () => {
    for (const name of [...Object.keys(FIXED), ...Object.keys(CHANGES)]) assert.ok(name in configFields, name);
  });

  it("a key that would have no effect on its own is refused rather than ignored: logout URLs without the hosted sign-in", () => {
    const loaded = loadStackFile(ROOT, "prod");
    assert.throws(() => parseStackConfig("prod", { ...loaded.config, "mpto:authLogoutUrls": '["https://www.myprivatetutoronline.com/"]' }), /mpto:authLogoutUrls.*no URLs unless userPoolDomainPrefix is set/s);
  });

  for (const [name, why] of Object.entries(FIXED)) {
    it(`mpto:${name} cannot change alone (${why}): a different value is refused, not ignored`, () => {
      const loaded = loadStackFile(ROOT, "prod");
      assert.throws(() => parseStackConfig("prod", { ...loaded.config, [key(name)]: "staging" }), new RegExp(`mpto:${name}`));
    });
  }

  for (const name of Object.keys(configFields).filter((n) => !(n in FIXED))) {
    it(`mpto:${name}`, async () => {
      const v = variantFor(name);
      assert.ok(typeof v !== "string", v as string);
      const baseKey = JSON.stringify([v.stack, v.base]);
      if (!baselines.has(baseKey)) baselines.set(baseKey, fingerprint(v.stack, v.base, v.secretKeys));
      const before = await baselines.get(baseKey)!;
      const after = await fingerprint(v.stack, v.changed, v.secretKeys);
      assert.ok(after !== before, `changing mpto:${name} from ${v.base[key(name)] ?? "(default)"} to ${v.changed[key(name)]} changes nothing in the ${v.stack} plan`);
    });
  }
});
