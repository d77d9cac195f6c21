import type { MockRunResult, RecordedResource } from "../mocks/runtime";

/**
 * The stack's components and the edges between them, for the plan's Mermaid diagram.
 *
 * Nodes are the ComponentResources (`mpto:*`). Edges:
 *  - "contains": a component created inside another (its parent);
 *  - "uses": a resource of one component takes, in its inputs, an identity of a resource of
 *    another — an ARN, a bucket or distribution domain, or a generated name (`edge-waf-acl-1a2b3c4`)
 *    as the mock returned it — which is how Pulumi wires them (an Output of one passed to the other).
 * Found by value because the mock monitor does not see property dependencies. Pure and
 * deterministic: `--json` gets it under `sections.graph`.
 */

export interface GraphNode {
  urn: string;
  type: string;
  name: string;
  /** Custom resources inside it (not counting those of nested components). */
  resources: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: "contains" | "uses";
  /** Up to 3 "resource -> resource" pairs that make the edge, for the reader. */
  via: string[];
}

export interface GraphSection {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** Output keys whose values identify a resource when another resource's inputs carry them. */
const IDENTITY_KEYS = ["arn", "qualifiedArn", "bucketRegionalDomainName", "bucketDomainName", "domainName", "name", "bucket", "keyId", "url", "dashboardArn"];

/** Values specific enough to prove a reference: ARNs, domain names, names with a digit or a dash of some length. */
function isIdentity(key: string, value: unknown): value is string {
  if (typeof value !== "string" || value.length < 10) return false;
  if (value.startsWith("arn:")) return true;
  if (key === "name" || key === "bucket" || key === "keyId") return /[-_0-9]/.test(value) && /[a-z]/i.test(value);
  return /\.(amazonaws\.com|cloudfront\.net|amazoncognito\.com)$/.test(value);
}

export function buildGraph(resources: readonly RecordedResource[]): GraphSection {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const components = resources.filter((r) => !r.custom && !r.type.startsWith("pulumi:")).sort((a, b) => a.urn.localeCompare(b.urn));
  const componentUrns = new Set(components.map((c) => c.urn));
  const ownerOf = (r: RecordedResource): string | undefined => {
    let parent = r.parent;
    while (parent && !componentUrns.has(parent)) parent = byUrn.get(parent)?.parent;
    return parent;
  };

  const counts = new Map<string, number>();
  const custom = resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
  for (const r of custom) {
    const owner = ownerOf(r);
    if (owner) counts.set(owner, (counts.get(owner) ?? 0) + 1);
  }
  const nodes: GraphNode[] = components.map((c) => ({ urn: c.urn, type: c.type, name: c.name, resources: counts.get(c.urn) ?? 0 }));

  const edges = new Map<string, GraphEdge>();
  const edge = (from: string, to: string, kind: GraphEdge["kind"], via?: string) => {
    const key = `${from}\u0000${to}\u0000${kind}`;
    const e = edges.get(key) ?? { from, to, kind, via: [] };
    if (via && e.via.length < 3 && !e.via.includes(via)) e.via.push(via);
    edges.set(key, e);
  };
  for (const c of components) {
    const parent = ownerOf(c);
    if (parent) edge(parent, c.urn, "contains");
  }

  // Ancestors of each component, so that a reference inside a containment chain is not drawn twice.
  const ancestors = new Map<string, Set<string>>();
  for (const c of components) {
    const set = new Set<string>();
    for (let p = ownerOf(c); p; p = ownerOf(byUrn.get(p)!)) set.add(p);
    ancestors.set(c.urn, set);
  }
  const related = (a: string, b: string) => a === b || ancestors.get(a)?.has(b) || ancestors.get(b)?.has(a);

  const identities: { value: string; owner: string; resource: RecordedResource }[] = [];
  for (const r of custom) {
    const owner = ownerOf(r);
    if (!owner) continue;
    // Only what the resource itself brings into being: a value it merely echoes from its inputs
    // (a companion's `bucket`, a record's host name) identifies something else, or nothing.
    const seen = new Set<unknown>(Object.values(r.inputs));
    for (const key of IDENTITY_KEYS) {
      const value = r.outputs[key];
      if (isIdentity(key, value) && !seen.has(value)) {
        seen.add(value);
        identities.push({ value, owner, resource: r });
      }
    }
  }
  // Longest first, so a bucket's ARN wins over its name inside the same input.
  identities.sort((a, b) => b.value.length - a.value.length || a.value.localeCompare(b.value));
  for (const r of custom) {
    const owner = ownerOf(r);
    if (!owner) continue;
    const blob = JSON.stringify(r.inputs);
    for (const id of identities) {
      if (id.resource === r || related(owner, id.owner)) continue;
      if (blob.includes(id.value)) edge(owner, id.owner, "uses", `${r.name} -> ${id.resource.name}`);
    }
  }
  return { nodes, edges: [...edges.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.from.localeCompare(b.from) || a.to.localeCompare(b.to)) };
}

export function graphExtension(run: MockRunResult): { key: string; value: unknown } {
  return { key: "graph", value: buildGraph(run.resources) };
}

/** `mpto:edge:Cdn` -> `Cdn` */
const shortType = (type: string) => type.split(":").pop() ?? type;

/** Mermaid text is HTML-ish: keep labels to safe characters. */
const label = (text: string) => text.replace(/["<>]/g, (c) => (c === '"' ? "#quot;" : c === "<" ? "#lt;" : "#gt;"));

/**
 * A Mermaid flowchart (GitHub renders ```mermaid blocks): one node per component, solid arrows for
 * "uses", dotted for "contains". `marks` colours the components with changes (urn -> class).
 */
export function renderMermaid(graph: GraphSection, marks: Record<string, "create" | "update" | "replace" | "delete"> = {}): string[] {
  const ids = new Map(graph.nodes.map((n, i) => [n.urn, `c${i}`]));
  const lines = ["flowchart LR"];
  for (const n of graph.nodes) {
    const mark = marks[n.urn];
    lines.push(`  ${ids.get(n.urn)}["${label(`${shortType(n.type)}: ${n.name}`)}<br/>${n.resources} resource${n.resources === 1 ? "" : "s"}${mark ? ` · ${mark}` : ""}"]`);
  }
  for (const e of graph.edges) {
    const from = ids.get(e.from);
    const to = ids.get(e.to);
    if (from && to) lines.push(`  ${from} ${e.kind === "contains" ? "-.->" : "-->"} ${to}`);
  }
  const classes: Record<string, string> = { create: "fill:#e6ffed,stroke:#2da44e", update: "fill:#fff8c5,stroke:#bf8700", replace: "fill:#ffebe9,stroke:#cf222e", delete: "fill:#ffebe9,stroke:#cf222e,stroke-dasharray:4" };
  const used = [...new Set(Object.values(marks))].sort();
  for (const m of used) {
    const members = graph.nodes.filter((n) => marks[n.urn] === m).map((n) => ids.get(n.urn));
    if (!members.length) continue;
    lines.push(`  classDef ${m} ${classes[m]}`);
    lines.push(`  class ${members.join(",")} ${m}`);
  }
  return lines;
}
