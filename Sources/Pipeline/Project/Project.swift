// A loaded project: every node (model, seed, snapshot, test) and source with its config,
// its dependencies and its documentation, in an order that respects the dependencies.

/// What a node is.
public enum ResourceType: String, Sendable, Codable {
    case model, seed, snapshot, test, source
}

/// A documented column.
public struct ColumnDoc: Sendable {
    public var name: String
    public var description: String
}

/// A generic data test attached to a column in a schema file.
public struct GenericTest: Sendable {
    /// not_null, unique, relationships, accepted_values
    public var kind: String
    /// The unique id of the tested model, seed, snapshot or source.
    public var target: String
    public var column: String
    /// relationships: the parent's unique id and column.
    public var to: String?
    public var field: String?
    /// accepted_values
    public var values: [JinjaValue] = []
    public var quote = true
}

/// A model, seed, snapshot or test.
public struct Node: Sendable {
    public var uniqueId: String
    public var name: String
    public var resourceType: ResourceType
    /// The file it comes from, relative to the project root.
    public var path: String
    /// Folders under the resource path (for folder selectors and folder config).
    public var folders: [String]
    public var config: NodeConfig
    public var rawCode: String
    public var template: Template?
    public var description: String = ""
    public var columns: [ColumnDoc] = []
    /// Unique ids this node reads (models, seeds, snapshots, sources).
    public var dependsOn: [String] = []
    public var generic: GenericTest?

    public var schema: String { config.schema ?? "main" }
    public var relationName: String { config.alias ?? name }
    public var qualifiedName: String { "\(schema).\(relationName)" }
    public var materialization: String {
        switch resourceType {
        case .seed: return "seed"
        case .snapshot: return "snapshot"
        case .test: return "test"
        case .source: return "source"
        case .model: return config.materialized ?? "view"
        }
    }
}

/// A source table (`source('netflix', 'r_ratings')`).
public struct SourceTable: Sendable {
    public var uniqueId: String
    public var sourceName: String
    public var name: String
    public var schema: String
    public var identifier: String
    public var description: String
    public var columns: [ColumnDoc]
    public var path: String
    public var qualifiedName: String { "\(schema).\(identifier)" }
}

/// A whole project.
public struct Project: Sendable {
    public var name: String
    /// Where it was read from (a folder, or "built-in").
    public var root: String
    public var vars: [(String, JinjaValue)]
    /// Nodes in dependency order (a node after everything it depends on).
    public var nodes: [Node]
    public var sources: [SourceTable]

    public func node(_ uniqueId: String) -> Node? { nodes.first { $0.uniqueId == uniqueId } }
    public func source(_ uniqueId: String) -> SourceTable? { sources.first { $0.uniqueId == uniqueId } }

    /// Unique id -> the nodes that depend on it.
    public var children: [String: [String]] {
        var out: [String: [String]] = [:]
        for n in nodes { for d in n.dependsOn { out[d, default: []].append(n.uniqueId) } }
        return out
    }

    /// The relation a unique id stands for, as SQL names it.
    public func relation(of uniqueId: String) -> String? {
        if let n = node(uniqueId) { return n.qualifiedName }
        return source(uniqueId)?.qualifiedName
    }
}
