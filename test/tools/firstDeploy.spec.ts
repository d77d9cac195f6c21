import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { FirstDeploySection, firstDeployPreconditions } from "../../tools/plan/firstDeploy";
import { loadStackFile } from "../../tools/mocks/stackFile";
import { runPlan } from "../support/cli";
import { declareStack, ROOT } from "../support/harness";

type Overrides = Record<string, string | undefined>;

/** The program in-process under mocks with the stack file (plus overrides), then the first-deploy check on it. */
async function preconditions(stack: "dev" | "prod", overrides: Overrides = {}): Promise<FirstDeploySection> {
  const run = await declareStack(stack, overrides);
  const config: Record<string, string> = { ...loadStackFile(ROOT, stack).config };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete config[k];
    else config[k] = v;
  }
  return firstDeployPreconditions(stack, run, config);
}
const ids = (s: FirstDeploySection, prefix: string) => s.preconditions.filter((p) => p.id.startsWith(prefix));

const freshPublicKey = () => generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }).toString();

describe("before the first deploy: each create-time precondition (../shared/reference/fidelity.md), both ways", function () {
  this.timeout(120_000);
  let dev: FirstDeploySection;
  let prod: FirstDeploySection;
  before(async () => {
    dev = await preconditions("dev");
    prod = await preconditions("prod");
  });

  it("Cognito mail through an SES identity created in the same update: warns when on, quiet on the committed prod (off until verified)", async () => {
    assert.deepEqual(ids(prod, "cognito-ses-unverified:"), []);
    const on = await preconditions("prod", { "mpto:userPoolEmailViaSes": "true" });
    const [p] = ids(on, "cognito-ses-unverified:");
    assert.ok(p, JSON.stringify(on.preconditions.map((x) => x.id)));
    assert.equal(p.blocking, false);
    assert.match(p.problem, /myprivatetutoronline\.com, which this same update creates/);
    assert.match(p.step, /mpto:userPoolEmailViaSes false/);
  });

  it("ACM validation records nobody creates: warns for dev (no zone) with the certificate's URN to target, quiet with a managed zone", async () => {
    const [p] = ids(dev, "acm-dns-validation:");
    assert.ok(p);
    assert.match(p.step, /--target 'urn:pulumi:dev::mpto::mpto:edge:EdgeCertificate\$aws:acm\/certificate:Certificate::edge-cert-certificate'/);
    assert.match(p.step, /edgeCertificateValidationRecords/);
    const zoned = await preconditions("dev", { "mpto:route53ZoneId": "Z1D633PJN98FT9" });
    assert.deepEqual(ids(zoned, "acm-dns-validation:"), []);
    assert.deepEqual(ids(zoned, "ses-dns-verification:"), []);
    assert.deepEqual(ids(prod, "acm-dns-validation:"), []);
  });

  it("SES identity records nobody creates: warns for dev, quiet for prod (records in its zone)", () => {
    assert.equal(ids(dev, "ses-dns-verification:").length, 1);
    assert.deepEqual(ids(prod, "ses-dns-verification:"), []);
  });

  it("CI roles trusting an OIDC provider nothing creates: warns for a stack sharing an account (ordering), quiet when the stack creates it, 'existing' when the ARN is given", async () => {
    assert.deepEqual(ids(dev, "federated-principal:"), [], "dev owns its account and creates the provider it trusts");
    assert.deepEqual(ids(prod, "federated-principal:"), [], "prod creates the provider it trusts");
    const shared = { "mpto:accountBaselineOwner": "false" };
    const ordering = ids(await preconditions("dev", shared), "federated-principal:");
    // Every CI role trusts GitHub's provider: deploy, preview and invalidate (invalidate.yml).
    const ciRole = /mpto:ci:CiDeployRole\$aws:iam\/role:Role::ci-(deploy|preview|invalidate)$/;
    assert.deepEqual(ordering.map((p) => ciRole.exec(p.subject)?.[1]).sort(), ["deploy", "invalidate", "preview"], "each CI role");
    assert.ok(ordering.every((p) => p.kind === "ordering" && /mpto:createGithubOidcProvider true/.test(p.step)));
    const own = await preconditions("dev", { ...shared, "mpto:createGithubOidcProvider": "true" });
    assert.deepEqual(ids(own, "federated-principal:"), []);
    const arn = "arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com";
    const given = ids(await preconditions("dev", { ...shared, "mpto:githubOidcProviderArn": arn }), "federated-principal:");
    assert.equal(given.length, 3);
    assert.ok(given.every((p) => p.kind === "existing-resource" && p.step.includes(arn)));
  });

  it("a GuardDuty detector may already exist (organization auto-enable): listed for each detector, quiet for a stack without the baseline", async () => {
    assert.equal(ids(prod, "guardduty-existing-detector:").length, 2, "eu-west-2 and us-east-1");
    const none = await preconditions("dev", { "mpto:accountBaselineOwner": "false" });
    assert.deepEqual(ids(none, "guardduty-existing-detector:"), []);
  });

  it("cost allocation tags before the keys are in billing data: warns when activated, quiet on the committed prod", async () => {
    assert.deepEqual(ids(prod, "cost-allocation-tag:"), []);
    const on = await preconditions("prod", { "mpto:activateCostAllocationTags": "true" });
    assert.ok(ids(on, "cost-allocation-tag:").length > 0);
  });

  it("names every committed placeholder, blocking, and none on values that are the operator's own", async () => {
    assert.deepEqual(ids(dev, "placeholder:").map((p) => p.subject), ["mpto:githubRepository", "mpto:mediaSigningPublicKey", "mpto:vercelTeamSlug"]);
    assert.deepEqual(ids(prod, "placeholder:").map((p) => p.subject), ["mpto:githubRepository", "mpto:mediaSigningPublicKey", "mpto:route53ZoneId", "mpto:vercelTeamSlug"]);
    assert.ok([...ids(dev, "placeholder:"), ...ids(prod, "placeholder:")].every((p) => p.blocking));
    assert.equal(prod.deployable, false);
    const real = await preconditions("prod", { "mpto:githubRepository": "acme-tutoring/infra", "mpto:mediaSigningPublicKey": freshPublicKey(), "mpto:route53ZoneId": "Z1D633PJN98FT9", "mpto:vercelTeamSlug": "acme-tutoring" });
    assert.deepEqual(ids(real, "placeholder:"), []);
    assert.equal(real.deployable, true);
    assert.ok(real.preconditions.length > 0, "the other preconditions stay listed");
  });

  it("a value that reads as a placeholder is listed too", async () => {
    const s = await preconditions("dev", { "mpto:alertEmail": "ops@example.com" });
    assert.deepEqual(ids(s, "placeholder:mpto:alertEmail"), [ids(s, "placeholder:mpto:alertEmail")[0]]);
    assert.equal(ids(s, "placeholder:mpto:alertEmail").length, 1);
  });

  it("exports the ACM validation records from the certificate alone, beside the records that wait for the distribution", async () => {
    const run = await declareStack("dev");
    const records = run.stackOutputs.edgeCertificateValidationRecords as { name: string; type: string; purpose: string }[];
    assert.ok(Array.isArray(records) && records.length > 0, JSON.stringify(records));
    assert.ok(records.every((r) => r.type === "CNAME" && /ACM validation of dev\.myprivatetutoronline\.com/.test(r.purpose)));
  });
});

describe("npm run plan -- <stack> --require-deployable (deploy.yml)", function () {
  this.timeout(300_000);

  /** A project folder with this Pulumi.yaml and an edited copy of a stack file; the real program. */
  function projectWith(stack: string, edit: (config: Record<string, unknown>) => void, pulumiYaml?: (doc: any) => void): string {
    const dir = mkdtempSync(join(tmpdir(), "mpto-first-deploy-"));
    const doc = parse(readFileSync(join(ROOT, `Pulumi.${stack}.yaml`), "utf8"));
    edit(doc.config);
    writeFileSync(join(dir, `Pulumi.${stack}.yaml`), stringify(doc));
    if (pulumiYaml) {
      const project = parse(readFileSync(join(ROOT, "Pulumi.yaml"), "utf8"));
      pulumiYaml(project);
      writeFileSync(join(dir, "Pulumi.yaml"), stringify(project));
    } else copyFileSync(join(ROOT, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
    return dir;
  }
  const program = join(ROOT, "stacks", "program.ts");

  it("the committed dev stack: the ordinary plan exits 0 and lists the placeholders; --require-deployable exits 1", () => {
    const run = runPlan(["dev", "--require-deployable"]);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, /Before the first deploy \(3 placeholders/);
    assert.match(run.stdout, /✖ \[placeholder\] mpto:mediaSigningPublicKey/);
    assert.match(run.stderr, /--require-deployable: 3 placeholder values remain/);
  });

  it("a stack without placeholders: --require-deployable exits 0, and --json carries the section", () => {
    const dir = projectWith("dev", (c) => {
      c["mpto:mediaSigningPublicKey"] = freshPublicKey();
      c["mpto:githubRepository"] = "acme-tutoring/infra";
      c["mpto:vercelTeamSlug"] = "acme-tutoring";
    });
    const run = runPlan(["dev", "--project", dir, "--program", program, "--require-deployable", "--json"]);
    assert.equal(run.status, 0, run.stderr);
    const section = JSON.parse(run.stdout).sections.firstDeploy;
    assert.equal(section.placeholders, 0);
    assert.equal(section.deployable, true);
    assert.ok(section.preconditions.some((p: { id: string }) => p.id.startsWith("acm-dns-validation:")));
  });

  it("a Pulumi.yaml declaring a key with no default that the stack leaves unset: exit 2 naming the key, as the CLI would", () => {
    const dir = projectWith(
      "dev",
      () => undefined,
      (project) => {
        project.config.route53ZoneId = { type: "string", description: "declared without a default" };
      },
    );
    const run = runPlan(["dev", "--project", dir, "--program", program]);
    assert.equal(run.status, 2, run.stdout + run.stderr);
    assert.match(run.stderr, /error: validating stack config: Stack 'dev' is missing configuration value 'route53ZoneId'/);
    assert.doesNotMatch(run.stderr, /running .* under mocks/, "refused before the program runs");
  });
});
