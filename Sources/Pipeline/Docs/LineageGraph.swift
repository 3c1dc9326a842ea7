// The lineage graph of a project: sources, seeds, models and snapshots as nodes, refs as
// edges, laid out in layers (each node one column right of its deepest input), and written
// as DOT and Mermaid text for other tools.

/// A node of the lineage graph.
public struct LineageNode: Sendable {
    public var id: String
    public var label: String
    /// raw, staging, serving, snapshots, seed... (the schema, or "source")
    public var group: String
    public var kind: String
    public var layer: Int
    public var row: Int
}

public struct LineageGraph: Sendable {
    public var nodes: [LineageNode]
    public var edges: [(from: String, to: String)]

    public init(project: Project) {
        var nodes: [LineageNode] = []
        var layer: [String: Int] = [:]
        for s in project.sources {
            layer[s.uniqueId] = 0
            nodes.append(LineageNode(id: s.uniqueId, label: "\(s.schema).\(s.identifier)", group: s.schema, kind: "source", layer: 0, row: 0))
        }
        var edges: [(String, String)] = []
        for n in project.nodes where n.resourceType != .test {  // dependency order: inputs first
            let l = (n.dependsOn.compactMap { layer[$0] }.max() ?? -1) + 1
            layer[n.uniqueId] = l
            nodes.append(LineageNode(id: n.uniqueId, label: n.materialization == "ephemeral" ? n.name : n.qualifiedName,
                                     group: n.schema, kind: n.materialization, layer: l, row: 0))
            for d in n.dependsOn { edges.append((d, n.uniqueId)) }
        }
        // Rows within a layer: sorted by the mean row of the inputs, to keep edges short.
        var rowOf: [String: Double] = [:]
        let maxLayer = nodes.map(\.layer).max() ?? 0
        for l in 0...maxLayer {
            let inLayer = nodes.indices.filter { nodes[$0].layer == l }
            let keyed = inLayer.map { i -> (Int, Double, String) in
                let parents = edges.filter { $0.1 == nodes[i].id }.compactMap { rowOf[$0.0] }
                let key = parents.isEmpty ? Double.infinity : parents.reduce(0, +) / Double(parents.count)
                return (i, key, nodes[i].label)
            }.sorted { ($0.1, $0.2) < ($1.1, $1.2) }
            for (r, entry) in keyed.enumerated() {
                nodes[entry.0].row = r
                rowOf[nodes[entry.0].id] = Double(r)
            }
        }
        self.nodes = nodes
        self.edges = edges
    }

    public var dot: String {
        var out = "digraph lineage {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n"
        for n in nodes {
            out += "  \"\(n.id)\" [label=\"\(n.label)\\n(\(n.kind))\", fillcolor=\"\(Self.color(n.group))\"];\n"
        }
        for e in edges { out += "  \"\(e.from)\" -> \"\(e.to)\";\n" }
        return out + "}\n"
    }

    public var mermaid: String {
        var ids: [String: String] = [:]
        for (i, n) in nodes.enumerated() { ids[n.id] = "n\(i)" }
        var out = "flowchart LR\n"
        for n in nodes { out += "  \(ids[n.id]!)[\"\(n.label) (\(n.kind))\"]:::\(Self.cssGroup(n.group))\n" }
        for e in edges { out += "  \(ids[e.from]!) --> \(ids[e.to]!)\n" }
        for g in Set(nodes.map(\.group)).sorted() { out += "  classDef \(Self.cssGroup(g)) fill:\(Self.color(g))\n" }
        return out
    }

    static func cssGroup(_ g: String) -> String { "g_" + g.filter { $0.isLetter || $0.isNumber || $0 == "_" } }

    static func color(_ group: String) -> String {
        switch group {
        case "raw": return "#e5e7eb"
        case "staging": return "#dbeafe"
        case "serving": return "#dcfce7"
        case "snapshots": return "#ede9fe"
        default: return "#fef3c7"
        }
    }
}
