// The Jinja subset real dbt projects use, parsed into a tree: text, `{{ expression }}`,
// `{% if/elif/else %}`, `{% for %}`, `{% set %}`, `{% snapshot %}` and `{# comments #}`, with
// `-` whitespace control. Anything else stops with the file, the line and what is supported.

/// A parsed template.
public struct Template: Sendable {
    public var nodes: [TemplateNode]
    public var file: String

    public static let supported = "{{ expression }}, {# comment #}, {% if %}/{% elif %}/{% else %}/{% endif %}, "
        + "{% for x in list %}/{% endfor %}, {% set x = expression %}, {% snapshot name %}/{% endsnapshot %}"

    public init(parsing text: String, file: String) throws(ProjectError) {
        self.file = file
        var parser = TemplateParser(text: text, file: file)
        nodes = try parser.parseAll()
    }
}

public indirect enum TemplateNode: Sendable {
    case text(String)
    case output(JinjaExpr, line: Int)
    case conditional(branches: [(JinjaExpr, [TemplateNode])], otherwise: [TemplateNode]?, line: Int)
    case loop(variables: [String], iterable: JinjaExpr, body: [TemplateNode], line: Int)
    case assign(name: String, JinjaExpr, line: Int)
    case snapshot(name: String, body: [TemplateNode], line: Int)
}

public indirect enum JinjaExpr: Sendable {
    case literal(JinjaValue)
    case name(String)
    case attribute(JinjaExpr, String)
    case call(JinjaExpr, args: [JinjaExpr], kwargs: [(String, JinjaExpr)])
    case list([JinjaExpr])
    case dict([(JinjaExpr, JinjaExpr)])
    case not(JinjaExpr)
    case negate(JinjaExpr)
    case binary(String, JinjaExpr, JinjaExpr)
    case index(JinjaExpr, JinjaExpr)

    /// The dotted name of a callee (`ref`, `dbt_utils.generate_surrogate_key`), if it is one.
    var dottedName: String? {
        switch self {
        case .name(let n): return n
        case .attribute(let base, let n): return base.dottedName.map { "\($0).\(n)" }
        default: return nil
        }
    }
}

/// Splits template text into text and tags, then tags into a tree.
struct TemplateParser {
    enum Piece {
        case text(String)
        case expression(String, line: Int)
        case statement(String, line: Int)
    }

    let file: String
    private var pieces: [Piece] = []
    private var at = 0

    init(text: String, file: String) {
        self.file = file
        pieces = []
        splitPieces(Array(text.unicodeScalars))
    }

    private mutating func splitPieces(_ s: [Unicode.Scalar]) {
        var i = 0, line = 1, textStart = 0
        var trimNextText = false
        var pendingText = ""
        func flushText(_ end: Int, trimRight: Bool) {
            var t = String(String.UnicodeScalarView(s[textStart..<end]))
            if trimNextText { t = String(t.drop { $0.isWhitespace }) }
            if trimRight { while let last = t.last, last.isWhitespace { t.removeLast() } }
            pendingText = t
            if !pendingText.isEmpty { pieces.append(.text(pendingText)) }
        }
        while i < s.count {
            if s[i] == "{", i + 1 < s.count, s[i + 1] == "{" || s[i + 1] == "%" || s[i + 1] == "#" {
                let kind = s[i + 1]
                let close: Unicode.Scalar = kind == "{" ? "}" : kind == "%" ? "%" : "#"
                let tagLine = line
                var j = i + 2
                let trimLeft = j < s.count && s[j] == "-"
                if trimLeft { j += 1 }
                var k = j
                var bodyLines = 0
                while k + 1 < s.count && !(s[k] == close && s[k + 1] == "}") {
                    if s[k] == "\n" { bodyLines += 1 }
                    k += 1
                }
                guard k + 1 < s.count else {
                    pieces.append(.statement("\u{0}unterminated \(kind == "{" ? "{{" : kind == "%" ? "{%" : "{#")", line: tagLine))
                    return
                }
                flushText(i, trimRight: trimLeft)
                var bodyEnd = k
                let trimRight = bodyEnd > j && s[bodyEnd - 1] == "-"
                if trimRight { bodyEnd -= 1 }
                let body = String(String.UnicodeScalarView(s[j..<bodyEnd]))
                switch kind {
                case "{": pieces.append(.expression(body, line: tagLine))
                case "%": pieces.append(.statement(body, line: tagLine))
                default: break
                }
                line += bodyLines
                i = k + 2
                textStart = i
                trimNextText = trimRight
                continue
            }
            if s[i] == "\n" { line += 1 }
            i += 1
        }
        flushText(s.count, trimRight: false)
    }

    private var blockDepth = 0

    mutating func parseAll() throws(ProjectError) -> [TemplateNode] {
        let (nodes, end) = try parseBlock(until: [])
        if let end { throw ProjectError("{% \(end.0) %} without a matching opening tag", file: file, line: end.1) }
        return nodes
    }

    /// Parses nodes until one of the `until` statements; returns it (keyword, line, rest).
    private mutating func parseBlock(until: Set<String>) throws(ProjectError) -> ([TemplateNode], (String, Int, String)?) {
        // Blocks nest by recursion here and when rendering: a bounded depth, a clear error.
        blockDepth += 1
        defer { blockDepth -= 1 }
        if blockDepth > 100 {
            let line: Int
            switch pieces[min(at, pieces.count - 1)] {
            case .statement(_, let l), .expression(_, let l): line = l
            case .text: line = 0
            }
            throw ProjectError("template blocks ({% if %}, {% for %}) are nested more than 100 deep", file: file, line: line)
        }
        var nodes: [TemplateNode] = []
        while at < pieces.count {
            let piece = pieces[at]
            at += 1
            switch piece {
            case .text(let t): nodes.append(.text(t))
            case .expression(let body, let line):
                nodes.append(.output(try parseExpression(body, line: line), line: line))
            case .statement(let body, let line):
                if body.hasPrefix("\u{0}") { throw ProjectError(String(body.dropFirst()) + " tag", file: file, line: line) }
                let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines)
                let keyword = String(trimmed.prefix { $0.isLetter || $0 == "_" })
                let rest = String(trimmed.dropFirst(keyword.count)).trimmingCharacters(in: .whitespacesAndNewlines)
                if until.contains(keyword) { return (nodes, (keyword, line, rest)) }
                switch keyword {
                case "if":
                    var branches: [(JinjaExpr, [TemplateNode])] = []
                    var condition = try parseExpression(rest, line: line)
                    var otherwise: [TemplateNode]? = nil
                    while true {
                        let (body, end) = try parseBlock(until: ["elif", "else", "endif"])
                        guard let end else { throw ProjectError("{% if %} is not closed by {% endif %}", file: file, line: line) }
                        branches.append((condition, body))
                        if end.0 == "elif" { condition = try parseExpression(end.2, line: end.1); continue }
                        if end.0 == "else" {
                            let (elseBody, close) = try parseBlock(until: ["endif"])
                            guard close != nil else { throw ProjectError("{% else %} is not closed by {% endif %}", file: file, line: end.1) }
                            otherwise = elseBody
                        }
                        break
                    }
                    nodes.append(.conditional(branches: branches, otherwise: otherwise, line: line))
                case "for":
                    guard let inRange = rest.range(of: " in ") else {
                        throw ProjectError("expected {% for name in expression %}", file: file, line: line)
                    }
                    let names = rest[..<inRange.lowerBound].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    guard !names.isEmpty, names.allSatisfy(Self.isIdentifier) else {
                        throw ProjectError("expected loop variable names in {% for %}", file: file, line: line)
                    }
                    let iterable = try parseExpression(String(rest[inRange.upperBound...]), line: line)
                    let (body, end) = try parseBlock(until: ["endfor"])
                    guard end != nil else { throw ProjectError("{% for %} is not closed by {% endfor %}", file: file, line: line) }
                    nodes.append(.loop(variables: names, iterable: iterable, body: body, line: line))
                case "set":
                    guard let eq = rest.firstIndex(of: "=") else {
                        throw ProjectError("expected {% set name = expression %} (block sets are not supported)", file: file, line: line)
                    }
                    let name = rest[..<eq].trimmingCharacters(in: .whitespaces)
                    guard Self.isIdentifier(name) else { throw ProjectError("'\(name)' is not a variable name", file: file, line: line) }
                    nodes.append(.assign(name: name, try parseExpression(String(rest[rest.index(after: eq)...]), line: line), line: line))
                case "snapshot":
                    guard Self.isIdentifier(rest) else { throw ProjectError("expected {% snapshot name %}", file: file, line: line) }
                    let (body, end) = try parseBlock(until: ["endsnapshot"])
                    guard end != nil else { throw ProjectError("{% snapshot %} is not closed by {% endsnapshot %}", file: file, line: line) }
                    nodes.append(.snapshot(name: rest, body: body, line: line))
                case "elif", "else", "endif", "endfor", "endsnapshot":
                    throw ProjectError("{% \(keyword) %} without a matching opening tag", file: file, line: line)
                default:
                    throw ProjectError("unsupported template tag {% \(keyword.isEmpty ? trimmed : keyword) %}; moviecol supports \(Template.supported)",
                                       file: file, line: line)
                }
            }
        }
        return (nodes, nil)
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let f = s.first, f.isLetter || f == "_" else { return false }
        return s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    private func parseExpression(_ text: String, line: Int) throws(ProjectError) -> JinjaExpr {
        var p = JinjaExpressionParser(text: text, file: file, line: line)
        return try p.parse()
    }
}

import Foundation
