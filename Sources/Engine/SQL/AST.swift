// The syntax tree of the SQL moviecol understands, as the parser builds it: names are
// still names, types are still unknown. The binder turns it into a typed plan.

import Columnar

/// An expression with its position in the statement.
public struct Expr: Sendable {
    public indirect enum Kind: Sendable {
        case column([String])
        case literal(Value)
        case star(qualifier: String?)
        case unary(op: UnaryOperator, Expr)
        case binary(op: BinaryOperator, Expr, Expr)
        case function(name: String, args: [Expr], distinct: Bool, star: Bool)
        case cast(Expr, LogicalType)
        case isNull(Expr, negated: Bool)
        case inList(Expr, [Expr], negated: Bool)
        case inSubquery(Expr, SelectStatement, negated: Bool)
        case exists(SelectStatement, negated: Bool)
        /// `(SELECT ...)` used as a value: one column, at most one row.
        case scalarSubquery(SelectStatement)
        case between(Expr, Expr, Expr, negated: Bool)
        case like(Expr, Expr, caseInsensitive: Bool, negated: Bool)
        case caseWhen(operand: Expr?, whens: [(Expr, Expr)], otherwise: Expr?)
        case subscript_(Expr, Expr)
    }

    public var kind: Kind
    public var position: Int
    /// Levels of expression nodes from here to the deepest leaf (a leaf is 1). Later stages
    /// recurse over the tree, so the parser bounds it (see `Parser.maxDepth`).
    public private(set) var height: Int

    public init(_ kind: Kind, at position: Int) {
        self.kind = kind
        self.position = position
        var below = 0
        func see(_ e: Expr?) { if let e, e.height > below { below = e.height } }
        switch kind {
        case .column, .literal, .star, .exists, .scalarSubquery: break
        case .unary(_, let x), .cast(let x, _), .isNull(let x, _), .inSubquery(let x, _, _): see(x)
        case .binary(_, let a, let b), .like(let a, let b, _, _), .subscript_(let a, let b): see(a); see(b)
        case .between(let a, let b, let c, _): see(a); see(b); see(c)
        case .inList(let x, let items, _): see(x); items.forEach(see)
        case .function(_, let args, _, _): args.forEach(see)
        case .caseWhen(let o, let whens, let otherwise):
            see(o)
            for (w, t) in whens { see(w); see(t) }
            see(otherwise)
        }
        height = below + 1
    }
}

/// A FROM-clause item.
public indirect enum TableRef: Sendable {
    case table(name: [String], alias: String?, position: Int)
    case subquery(SelectStatement, alias: String?)
    case join(left: TableRef, right: TableRef, kind: JoinKind, on: Expr?, using: [String])
    /// `LATERAL FLATTEN(input => expr) [alias]` or `UNNEST(expr) [alias]`, joined to what precedes it.
    case flatten(input: Expr, alias: String?, unnest: Bool)
}

/// How a join combines its inputs. In a plan the first input is the probe side and the
/// second the build side (see `Plan.join`); in SQL, the left and the right. `left` keeps the
/// first input's rows without a partner, `right` the second's. `semi` and `anti` keep rows of
/// the first that have (or lack) a partner, as EXISTS / NOT EXISTS and IN do;
/// `nullAwareAnti` is NOT IN, where a NULL on either side makes the answer unknown (a NULL in
/// the subquery keeps no row at all).
public enum JoinKind: String, Sendable {
    case inner, left, right, cross, semi, anti
    case nullAwareAnti = "anti (not in)"

    /// Whether only the first input's columns come out (semi and anti joins).
    public var keepsProbeOnly: Bool { self == .semi || self == .anti || self == .nullAwareAnti }
}

/// `SELECT ... FROM ... WHERE ... GROUP BY ... HAVING ...`
public struct SelectCore: Sendable {
    public var distinct = false
    public var items: [(expr: Expr, alias: String?)] = []
    public var from: TableRef?
    public var whereClause: Expr?
    public var groupBy: [Expr] = []
    public var having: Expr?
}

/// A query body: one SELECT, or a UNION of bodies.
public indirect enum QueryBody: Sendable {
    case select(SelectCore)
    case union(QueryBody, QueryBody, all: Bool)
}

/// An ORDER BY item.
public struct OrderItem: Sendable {
    public var expr: Expr
    public var descending: Bool
    /// nil: the default (NULLS LAST for ASC, NULLS FIRST for DESC, as Snowflake does).
    public var nullsFirst: Bool?
}

/// A whole query.
public struct SelectStatement: Sendable {
    public var ctes: [(name: String, query: SelectStatement)] = []
    public var body: QueryBody
    public var orderBy: [OrderItem] = []
    public var limit: Expr?
    public var offset: Expr?
}

/// A statement.
public enum Statement: Sendable {
    case select(SelectStatement)
    case explain(SelectStatement, analyze: Bool)
    /// `CREATE [OR REPLACE] TABLE [IF NOT EXISTS] name AS query`
    case createTable(name: [String], orReplace: Bool, ifNotExists: Bool, query: SelectStatement)
    /// `CREATE [OR REPLACE] VIEW name AS query`; the query's text is stored and bound on use.
    case createView(name: [String], orReplace: Bool, query: SelectStatement, text: String)
    /// `INSERT INTO name query`
    case insert(name: [String], query: SelectStatement)
    /// `DROP TABLE|VIEW [IF EXISTS] name`
    case drop(name: [String], view: Bool, ifExists: Bool)
}
