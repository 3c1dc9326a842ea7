// Resolving table names the way SQL users write them: case-insensitive, `table`,
// `schema.table` or `database.schema.table`, unqualified names found across schemas when
// unique. A miss suggests the nearest names, because a typo deserves a hint, not a shrug.

import Columnar
import Synchronization

/// An error resolving a name.
public struct NameError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// The table exists but the session's role may not read it.
    public var denied = false
    /// No table has the name (rather than a malformed or ambiguous one).
    public var notFound = false
    public var description: String { message }
}

/// Table lookup over a warehouse catalog.
public struct Catalog: Sendable {
    /// Every table of the warehouse, readable or not.
    public var allTables: [TableMetadata]
    public var policy: AccessPolicy
    /// Schemas made by CREATE SCHEMA (they exist before they hold a table).
    public var createdSchemas: [String] = []
    /// Where an unqualified name that several schemas hold is looked for first (`USE SCHEMA`).
    public var defaultSchema = "main"
    /// The warehouse directory, whose retained versions time travel reads; nil for a
    /// catalog of given tables.
    public var root: String?
    /// The older versions statements over this catalog read, pinned while it lives.
    public let history = PinnedVersions()

    public init(tables: [TableMetadata], policy: AccessPolicy = .unrestricted) {
        allTables = tables
        self.policy = policy
    }

    public init(_ warehouse: Warehouse, policy: AccessPolicy = .unrestricted, defaultSchema: String = "main") {
        self.init(tables: warehouse.tables, policy: policy)
        createdSchemas = warehouse.manifest.schemas
        self.defaultSchema = defaultSchema
        root = warehouse.root
    }

    /// The catalog of retained version `version` (same role and default schema), pinned for
    /// as long as this catalog lives.
    public func atVersion(_ version: Int64) throws(StorageError) -> Catalog {
        guard let root else { throw StorageError(.notFound, "this session has no warehouse versions to travel to") }
        let old = try Warehouse.open(root, version: version)
        history.keep(old)
        var catalog = Catalog(old, policy: policy, defaultSchema: defaultSchema)
        catalog.root = nil
        return catalog
    }

    /// Every schema the session may see: those of its readable tables and the created ones
    /// its role may read.
    public var schemaNames: [String] {
        var names = Set(tables.map { $0.schema.lowercased() })
        for s in createdSchemas where policy.readableSchemas?.contains(s) ?? true { names.insert(s) }
        return names.sorted()
    }

    /// Whether `schema` exists (holds a table or was created).
    public func schemaExists(_ schema: String) -> Bool {
        let s = schema.lowercased()
        return createdSchemas.contains(s) || allTables.contains { $0.schema.lowercased() == s }
    }

    /// The tables the session may read, in catalog order.
    public var tables: [TableMetadata] { allTables.filter(policy.canRead) }

    /// The same tables with no restriction (to bind a view's body with its owner's rights).
    public var unrestricted: Catalog {
        var c = Catalog(tables: allTables)
        c.root = root
        return c
    }

    /// Resolves `name` (`t`, `s.t` or `db.s.t`; the database part is not checked).
    public func resolve(_ name: String) throws(NameError) -> TableMetadata {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map { $0.lowercased() }
        guard (1...3).contains(parts.count), !parts.contains(where: \.isEmpty) else {
            throw NameError(message: "'\(name)' is not a table name (expected table, schema.table or database.schema.table)")
        }
        let table = parts[parts.count - 1]
        let schema = parts.count >= 2 ? parts[parts.count - 2] : nil
        let all = allTables.filter { $0.name.lowercased() == table && (schema == nil || $0.schema.lowercased() == schema) }
        let matches = all.filter(policy.canRead)
        if matches.count == 1 { return matches[0] }
        if matches.isEmpty, let hidden = all.first {
            throw NameError(message: policy.readDenied(hidden), denied: true)
        }
        // A session's temporary table comes first, then the default schema's (`USE`).
        if matches.count > 1, schema == nil, let preferred = matches.first(where: { $0.schema.lowercased() == "temp" })
            ?? matches.first(where: { $0.schema.lowercased() == defaultSchema }) {
            return preferred
        }
        if matches.count > 1 {
            throw NameError(message: "table name '\(name)' is ambiguous: \(matches.map(\.qualifiedName).sorted().joined(separator: ", ")); qualify it with a schema")
        }
        var message = "table '\(name)' not found"
        let candidates = tables.map { schema == nil ? $0.name : $0.qualifiedName }
        let wanted = schema == nil ? table : "\(schema!).\(table)"
        if let best = NameSuggestion.nearest(to: wanted, in: candidates) { message += "; did you mean '\(best)'?" }
        throw NameError(message: message, notFound: true)
    }
}

/// Versions a session reads besides its own (time travel): their pins live as long as this.
public final class PinnedVersions: Sendable {
    private let versions = Mutex<[Int64: Warehouse]>([:])
    public init() {}
    func keep(_ w: Warehouse) { versions.withLock { $0[w.manifest.version] = w } }
}

/// "Did you mean" suggestions by edit distance.
public enum NameSuggestion {
    /// The candidate closest to `name`, if it is close enough to be a plausible typo.
    public static func nearest(to name: String, in candidates: [String]) -> String? {
        let target = Array(name.lowercased().unicodeScalars)
        var best: (String, Int)? = nil
        for c in candidates {
            let d = distance(target, Array(c.lowercased().unicodeScalars))
            if best == nil || d < best!.1 { best = (c, d) }
        }
        guard let (c, d) = best, d <= max(2, target.count / 3) else { return nil }
        return c
    }

    /// Levenshtein distance.
    static func distance<T: Equatable>(_ a: [T], _ b: [T]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
