// ASOF JOIN (DuckDB and Snowflake): each left row joins the one right row whose time is
// nearest on the allowed side of its own, among the rows with equal keys.
//
//   DuckDB     L ASOF [LEFT] JOIN R ON L.k = R.k AND L.t >= R.t     (inner unless LEFT)
//              L ASOF [LEFT] JOIN R USING (k, t)                     (the last name: L.t >= R.t)
//   Snowflake  L ASOF JOIN R MATCH_CONDITION (L.t >= R.t) [ON L.k = R.k]   (left rows kept)
//
// The parser only reads the clause; the binder sorts the conditions into keys and the one
// inequality (`Binder.asofJoin`) and the engine runs it as its own operator (`AsofJoinOperator`).

extension Parser {
    /// The ASOF join of `left` and the table item that follows ASOF [LEFT] JOIN.
    mutating func asofJoin(_ left: TableRef, keepLeft: Bool, at position: Int) throws(SQLError) -> TableRef {
        let right = try tableItem()
        var conditions: [Expr] = []
        var outer = keepLeft
        if accept(word: "MATCH_CONDITION") {
            // Snowflake's form keeps every left row, as a LEFT join does.
            outer = true
            try expect(symbol: "(")
            conditions.append(try expression())
            try expect(symbol: ")")
        }
        let kind: JoinKind = outer ? .asofLeft : .asof
        if accept(keyword: "ON") {
            conditions.append(try expression())
        } else if conditions.isEmpty && accept(keyword: "USING") {
            try expect(symbol: "(")
            var names = [try identifier()]
            while accept(symbol: ",") { names.append(try identifier()) }
            try expect(symbol: ")")
            return .join(left: left, right: right, kind: kind, on: nil, using: names)
        }
        guard let first = conditions.first else { throw error("expected ON, USING or MATCH_CONDITION after ASOF JOIN") }
        let on = conditions.dropFirst().reduce(first) { Expr(.binary(op: .logical(.and), $0, $1), at: position) }
        return .join(left: left, right: right, kind: kind, on: on, using: [])
    }
}
