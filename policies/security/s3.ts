import type { PolicyResource } from "@pulumi/policy";
import { list, objects, strings, whenKnown } from "../lib/inputs";
import { resourceRule, stackRule, StackView } from "../lib/policy";
import { accountOf, foreignScopedStatements, isAnyonePrincipal, providerAccounts, publicAllowStatements, readDocument, scopeProblems } from "../lib/policyDocuments";
import { requireTlsDeny } from "../lib/tlsDeny";

/**
 * S3 buckets and their v7 companion resources (in @pulumi/aws v7 a bucket's settings are separate
 * resources: public access block, ownership controls, encryption, versioning, lifecycle, logging,
 * policy). Each stack policy finds a bucket's companions by the bucket they name.
 * cdk-nag AwsSolutions-S1/S2/S5/S10, Security Hub S3.1-S3.13, Checkov, Trivy AVD-AWS-0086..0094.
 */

const BUCKET = "aws:s3/bucket:Bucket";
const T = {
  block: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  logging: "aws:s3/bucketLogging:BucketLogging",
  policy: "aws:s3/bucketPolicy:BucketPolicy",
  acl: "aws:s3/bucketAcl:BucketAcl",
};

/** The bucket's name (its id on AWS), if known. */
export function bucketName(bucket: PolicyResource): string | undefined {
  const name = whenKnown(() => bucket.props.bucket as unknown, undefined);
  return typeof name === "string" ? name : undefined;
}

/** Companions of a bucket: through property dependencies on `bucket`, or by bucket name. */
export function companions(stack: StackView, type: string, bucket: PolicyResource): PolicyResource[] {
  return stack.referencing(type, "bucket", bucket, [bucketName(bucket)]);
}

/** Buckets that receive logs: server access logs, CloudTrail, CloudFront standard logging (v1). */
export function logDestinationBuckets(stack: StackView): Set<string> {
  const names = new Set<string>();
  for (const l of stack.ofType(T.logging)) {
    const target = whenKnown(() => l.props.targetBucket as unknown, undefined);
    if (typeof target === "string") names.add(target);
  }
  for (const trail of stack.ofType("aws:cloudtrail/trail:Trail")) {
    const target = whenKnown(() => trail.props.s3BucketName as unknown, undefined);
    if (typeof target === "string") names.add(target);
  }
  for (const d of stack.ofType("aws:cloudfront/distribution:Distribution")) {
    const target = whenKnown(() => d.props.loggingConfig?.bucket as unknown, undefined);
    if (typeof target === "string") names.add(target.replace(/\.s3\.amazonaws\.com$/, ""));
  }
  // A Synthetics canary writes its run logs and reports to its artifact location.
  for (const c of stack.ofType("aws:synthetics/canary:Canary")) {
    const location = whenKnown(() => c.props.artifactS3Location as unknown, undefined);
    const bucket = typeof location === "string" ? /^s3:\/\/([^/]+)/.exec(location)?.[1] : undefined;
    if (bucket) names.add(bucket);
  }
  return names;
}

function isLogBucket(stack: StackView, bucket: PolicyResource): boolean {
  const name = bucketName(bucket);
  return name !== undefined && logDestinationBuckets(stack).has(name);
}

/** Accounts of this stack: those in the ARNs of the resources it creates, and the providers' allowedAccountIds (unknown in a first preview: then empty). */
export function stackAccounts(stack: StackView): Set<string> {
  const own = new Set<string>();
  for (const r of stack.resources) {
    const arn = whenKnown(() => r.props.arn as unknown, undefined);
    const account = typeof arn === "string" ? accountOf(arn) : undefined;
    if (account) own.add(account);
    for (const a of providerAccounts(r.provider)) own.add(a);
  }
  return own;
}

export const s3PublicAccessBlock = stackRule({
  name: "s3-public-access-block",
  description:
    "Every bucket has a public access block with all four switches on, and an account-level block, where the stack declares one, too (cdk-nag AwsSolutions-S2, Security Hub S3.1/S3.8, Checkov CKV_AWS_53/54/55/56, CKV2_AWS_6, Trivy AVD-AWS-0086/0087/0091/0093/0094, cdk-nag NIST S3BucketLevelPublicAccessProhibited).",
  validate(stack, _config, report) {
    const switches = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];
    for (const bucket of stack.ofType(BUCKET)) {
      const blocks = companions(stack, T.block, bucket);
      if (!blocks.length) {
        report(`bucket ${bucket.name} has no public access block (aws.s3.BucketPublicAccessBlock)`, bucket.urn);
        continue;
      }
      for (const b of blocks) {
        const off = switches.filter((s) => b.props[s] !== true);
        if (off.length) report(`bucket ${bucket.name}: public access block leaves ${off.join(", ")} off`, b.urn);
      }
    }
    for (const account of stack.ofType("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock")) {
      const off = switches.filter((s) => account.props[s] !== true);
      if (off.length) report(`account public access block leaves ${off.join(", ")} off (S3.1)`, account.urn);
    }
  },
});

export const s3Encryption = stackRule<{ requireKms: boolean }>({
  name: "s3-encryption",
  description: "Every bucket declares default encryption (SSE-S3 or SSE-KMS; SSE-KMS only where requireKms) (Checkov CKV_AWS_19, Trivy AVD-AWS-0088; Checkov CKV_AWS_145 and cdk-nag NIST S3DefaultEncryptionKMS when requireKms).",
  config: {
    properties: { requireKms: { type: "boolean", description: "Require SSE-KMS (CKV_AWS_145) instead of accepting SSE-S3." } },
    defaults: { requireKms: false },
  },
  validate(stack, config, report) {
    for (const bucket of stack.ofType(BUCKET)) {
      const configs = companions(stack, T.encryption, bucket);
      if (!configs.length) {
        report(`bucket ${bucket.name} declares no default encryption (aws.s3.BucketServerSideEncryptionConfiguration)`, bucket.urn);
        continue;
      }
      for (const c of configs) {
        const algorithms = list<Record<string, any>>(c.props.rules).map((r) => r.applyServerSideEncryptionByDefault?.sseAlgorithm);
        if (!algorithms.length || algorithms.some((a) => !["AES256", "aws:kms", "aws:kms:dsse"].includes(a))) report(`bucket ${bucket.name}: default encryption algorithm ${algorithms.join(", ") || "missing"}`, c.urn);
        else if (config.requireKms && algorithms.some((a) => a === "AES256")) report(`bucket ${bucket.name} uses SSE-S3; this stack requires SSE-KMS (CKV_AWS_145)`, c.urn);
      }
    }
  },
});

export const s3NoAcls = stackRule({
  name: "s3-no-acls",
  description: "Every bucket disables ACLs (ownership BucketOwnerEnforced) and none is granted by ACL, so no ACL can make objects public (Security Hub S3.12, S3.2/S3.3 via ACLs, Checkov CKV2_AWS_65, CKV_AWS_20/57, Trivy AVD-AWS-0092).",
  validate(stack, _config, report) {
    for (const bucket of stack.ofType(BUCKET)) {
      const controls = companions(stack, T.ownership, bucket);
      const enforced = controls.some((c) => whenKnown(() => c.props.rule?.objectOwnership === "BucketOwnerEnforced", true));
      if (!enforced) report(`bucket ${bucket.name}: object ownership is not BucketOwnerEnforced, so ACLs still apply`, bucket.urn);
      if (whenKnown(() => typeof bucket.props.acl === "string" && bucket.props.acl !== "private", false)) report(`bucket ${bucket.name} sets a canned ACL '${bucket.props.acl}'`, bucket.urn);
      for (const acl of companions(stack, T.acl, bucket)) report(`bucket ${bucket.name} has a BucketAcl resource; grant access with policies instead`, acl.urn);
    }
  },
});

export const s3Versioning = stackRule<{ exemptLogBuckets: boolean }>({
  name: "s3-versioning",
  description: "Every data bucket has versioning enabled, so an overwrite or delete can be undone (Checkov CKV_AWS_21, Trivy AVD-AWS-0090, cdk-nag NIST S3BucketVersioningEnabled); write-once log buckets may be exempt.",
  config: {
    properties: { exemptLogBuckets: { type: "boolean", description: "Exempt buckets that only receive logs (written once, never overwritten)." } },
    defaults: { exemptLogBuckets: true },
  },
  validate(stack, config, report) {
    for (const bucket of stack.ofType(BUCKET)) {
      if (config.exemptLogBuckets && isLogBucket(stack, bucket)) continue;
      const enabled = companions(stack, T.versioning, bucket).some((v) => whenKnown(() => v.props.versioningConfiguration?.status === "Enabled", true));
      if (!enabled) report(`bucket ${bucket.name} has no versioning (aws.s3.BucketVersioning status Enabled)`, bucket.urn);
    }
  },
});

export const s3Lifecycle = stackRule({
  name: "s3-lifecycle",
  description:
    "Every bucket has a lifecycle configuration with an enabled rule that aborts incomplete multipart uploads, and versioned buckets expire noncurrent versions (Security Hub S3.10/S3.13, Checkov CKV2_AWS_61, CKV_AWS_300).",
  validate(stack, _config, report) {
    for (const bucket of stack.ofType(BUCKET)) {
      const configs = companions(stack, T.lifecycle, bucket);
      const rules = configs.flatMap((c) => whenKnown(() => list<Record<string, any>>(c.props.rules).filter((r) => r.status === "Enabled").map((r) => ({ ...r })), [] as Record<string, any>[]));
      if (!configs.length || !rules.length) {
        report(`bucket ${bucket.name} has no enabled lifecycle rule`, bucket.urn);
        continue;
      }
      if (!rules.some((r) => Number(r.abortIncompleteMultipartUpload?.daysAfterInitiation) > 0)) report(`bucket ${bucket.name}: no lifecycle rule aborts incomplete multipart uploads (CKV_AWS_300)`, bucket.urn);
      const versioned = companions(stack, T.versioning, bucket).some((v) => whenKnown(() => v.props.versioningConfiguration?.status === "Enabled", false));
      if (versioned && !rules.some((r) => r.noncurrentVersionExpiration || list(r.noncurrentVersionTransitions).length)) report(`bucket ${bucket.name} is versioned but no lifecycle rule handles noncurrent versions (S3.10)`, bucket.urn);
    }
  },
});

export const s3TlsOnly = stackRule({
  name: "s3-tls-only",
  description: "Every bucket has a bucket policy denying requests made without TLS (aws:SecureTransport false) (cdk-nag AwsSolutions-S10, Security Hub S3.5, Checkov CKV_AWS_379, cdk-nag NIST S3BucketSSLRequestsOnly).",
  validate(stack, _config, report) {
    for (const bucket of stack.ofType(BUCKET)) {
      requireTlsDeny(bucket, "bucket", companions(stack, T.policy, bucket).map((p) => () => p.props.policy as unknown), report);
    }
  },
});

export const s3NoPublicPolicy = stackRule({
  name: "s3-no-public-policy",
  description:
    "No bucket policy allows anyone (a '*' principal without a scoping condition judged by value: this account, no wildcards, no IfExists or negated operators) or principals or scopes of another account (cdk-nag AwsSolutions-S5, Security Hub S3.2/S3.3/S3.6, Checkov CKV_AWS_70, cdk-nag NIST S3BucketPublicReadProhibited, NIST S3BucketPublicWriteProhibited).",
  validate(stack, _config, report) {
    // Our accounts: the ones in the ARNs of resources this stack creates (unknown in a first preview: then skipped).
    const ownAccounts = stackAccounts(stack);
    stack.eachOf(T.policy, report, (policy) => {
      const doc = readDocument(policy.props.policy);
      if (doc.absent) return;
      if (doc.problem) report(`bucket policy ${policy.name}: ${doc.problem}, so it cannot be judged`, policy.urn);
      const statements = doc.statements;
      for (const s of publicAllowStatements(statements, ownAccounts)) report(`bucket policy ${policy.name}: statement ${s.Sid ?? "(no Sid)"} allows anyone without a source or account condition${scopeProblems(s, ownAccounts)}`, policy.urn);
      for (const f of foreignScopedStatements(statements, ownAccounts)) report(`bucket policy ${policy.name}: statement ${f.statement.Sid ?? "(no Sid)"} is scoped to another account (${f.problem}) (S3.6)`, policy.urn);
      if (!ownAccounts.size) return;
      for (const s of statements.filter((st) => st.Effect === "Allow" && !isAnyonePrincipal(st.Principal))) {
        const principals = list<string>((s.Principal as { AWS?: unknown } | undefined)?.AWS);
        for (const p of principals) {
          const account = accountOf(p);
          if (account && !ownAccounts.has(account)) report(`bucket policy ${policy.name}: statement ${s.Sid ?? "(no Sid)"} grants account ${account}, which is not this stack's (S3.6)`, policy.urn);
        }
      }
    });
  },
});

export const s3AccessLogging = stackRule({
  name: "s3-access-logging",
  description: "Every bucket that is not itself a log destination writes server access logs to another bucket (cdk-nag AwsSolutions-S1, Security Hub S3.9, Checkov CKV_AWS_18, Trivy AVD-AWS-0089, cdk-nag NIST S3BucketLoggingEnabled).",
  validate(stack, _config, report) {
    for (const bucket of stack.ofType(BUCKET)) {
      if (isLogBucket(stack, bucket)) continue;
      const logging = companions(stack, T.logging, bucket);
      if (!logging.length) report(`bucket ${bucket.name} has no server access logging (aws.s3.BucketLogging)`, bucket.urn);
      for (const l of logging) if (whenKnown(() => l.props.targetBucket === bucketName(bucket), false)) report(`bucket ${bucket.name} logs into itself (a log loop)`, l.urn);
    }
  },
});

/** The bucket resource itself carries no deprecated inline settings that the companions would fight. */
export const s3NoInlineSettings = resourceRule({
  name: "s3-no-inline-settings",
  description: "Buckets set ACLs, policies, encryption, versioning, lifecycle and logging through the v7 companion resources only, never inline (inline and companion settings overwrite each other on every update) (functional; no catalogue rule).",
  types: [BUCKET],
  validate(props, _ctx, report) {
    for (const key of ["acl", "grants", "policy", "serverSideEncryptionConfiguration", "versioning", "lifecycleRules", "loggings", "logging", "corsRules", "website"]) {
      const value = props[key];
      if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) continue;
      if (key === "acl" && value === "private") continue;
      report(`inline '${key}' is set on the bucket; use the matching aws.s3.Bucket* resource`);
    }
  },
});

/**
 * CORS on buckets (browsers upload to the media bucket with presigned POSTs): only named HTTPS
 * origins may write. A "*" (or wildcard-host) origin with a write method lets any site's scripts
 * drive uploads with a URL they obtained; an http:// origin can be spoofed on the network. S3 User
 * Guide, "Elements of a CORS configuration" (AllowedOrigin accepts one "*" wildcard).
 */
export const s3Cors = resourceRule({
  name: "s3-cors",
  description: "Bucket CORS rules that allow writes (PUT, POST, DELETE) name their HTTPS origins exactly: no '*' or wildcard-host origin, no http:// origin (design default for presigned uploads; no catalogue rule).",
  types: ["aws:s3/bucketCorsConfiguration:BucketCorsConfiguration"],
  validate(props, _ctx, report) {
    const rules = objects(props.corsRules);
    if (!rules.length) report("corsRules is empty or malformed, so the CORS configuration cannot be judged");
    for (const rule of rules) {
      const label = `CORS rule ${String(rule.id ?? "(no id)")}`;
      const methods = strings(rule.allowedMethods).map((m) => m.toUpperCase());
      const writes = methods.some((m) => m === "PUT" || m === "POST" || m === "DELETE");
      const origins = strings(rule.allowedOrigins);
      if (!origins.length) report(`${label} names no origin`);
      for (const origin of origins) {
        if (/^http:\/\//i.test(origin)) report(`${label}: origin ${origin} is plain HTTP`);
        else if (writes && origin.includes("*")) report(`${label}: origin ${origin} is a wildcard and the rule allows ${methods.join(", ")}`);
      }
    }
  },
});

export const s3Policies = [s3Cors, s3PublicAccessBlock, s3Encryption, s3NoAcls, s3Versioning, s3Lifecycle, s3TlsOnly, s3NoPublicPolicy, s3AccessLogging, s3NoInlineSettings];
