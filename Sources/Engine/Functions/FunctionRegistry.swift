// Every function SQL can call, by name: the scalar families and the aggregates. The binder
// looks names up here and nowhere else; a new function is an entry in its family's `all`
// list (a new family is one file and one line below).

import Columnar

package enum FunctionRegistry {
    /// The scalar functions, by lowercase name and alias.
    static let scalars: [String: ScalarFunction] = {
        let families: [[ScalarFunction]] = [
            StringFunctions.all, StringSimilarity.all, SubstringFunctions.all, TokenFunctions.all, TryCastFunctions.all, NumericCast.all, [TryExpression.function], PrintfFunctions.all, ListFunctions.all, DuckDBListFunctions.all, SnowflakeListFunctions.all, RegexFunctions.all, RegexFamily.all, JSONFunctions.all, HashFunctions.all,
            MathFunctions.all, BitwiseFunctions.all, EncodingFunctions.all, DateFunctions.all, EpochFunctions.all, TimeZoneFunctions.all, TimeSlice.all, DateArithmetic.all, FormatFunctions.all, ConditionalFunctions.all,
        ]
        var out: [String: ScalarFunction] = [:]
        for f in families.joined() {
            for name in [f.name] + f.aliases {
                precondition(out[name] == nil, "function \(name) is registered twice")
                out[name] = f
            }
        }
        return out
    }()

    /// The aggregate functions, by lowercase name and alias.
    static let aggregates: [String: AggregateFunction] = {
        var out: [String: AggregateFunction] = [:]
        for f in AggregateFunction.all { for name in [f.name] + f.aliases { out[name] = f } }
        return out
    }()

    /// The window functions, by lowercase name.
    static let windows: [String: WindowFunction] = Dictionary(uniqueKeysWithValues: WindowFunction.all.map { ($0.name, $0) })

    package static func scalar(_ name: String) -> ScalarFunction? { scalars[name.lowercased()] }

    package static func window(_ name: String) -> WindowFunction? { windows[name.lowercased()] }

    package static func aggregate(_ name: String) -> AggregateFunction? { aggregates[name.lowercased()] }

    /// Every name a call may use, for "did you mean" suggestions.
    static var allNames: [String] {
        // Internal functions (named from \u{1}) are never suggested: no one can type them.
        (Array(scalars.keys) + Array(aggregates.keys) + Array(windows.keys)).filter { !$0.hasPrefix("\u{1}") }.sorted()
    }

    /// The error for a name no entry has, with the nearest known name.
    static func unknown(_ name: String, at position: Int) -> SQLError {
        // Known, but not callable here: a window function needs its OVER clause.
        if window(name) != nil {
            return SQLError(.binder, "window function \(name.uppercased()) needs an OVER clause: \(name.uppercased())(...) OVER (...)",
                            at: position, reason: .undefinedFunction)
        }
        if ["grouping", "grouping_id"].contains(name.lowercased()) {
            return SQLError(.binder, "\(name.uppercased()) needs GROUP BY ROLLUP, CUBE or GROUPING SETS", at: position)
        }
        if ["rollup", "cube", "grouping sets"].contains(name.lowercased()) {
            return SQLError(.binder, "\(name.uppercased())(...) belongs directly in GROUP BY (nested in GROUPING SETS it is not supported)",
                            at: position)
        }
        if name.lowercased() == "unnest" {
            return SQLError(.binder, "UNNEST belongs in the SELECT list or in FROM (FROM t, UNNEST(list) AS u), not here", at: position)
        }
        var message = "unknown function \(name.uppercased())"
        if let near = NameSuggestion.nearest(to: name.lowercased(), in: allNames) { message += "; did you mean \(near.uppercased())?" }
        return SQLError(.binder, message, at: position, reason: .undefinedFunction)
    }
}
