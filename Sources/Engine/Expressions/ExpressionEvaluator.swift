// Evaluates bound expressions a batch at a time. Each node switches on types once per
// batch and runs a plain loop over arrays; NULLs travel in validity bitmaps (SQL's
// three-valued logic for AND, OR and NOT).

import Columnar

/// Batch evaluation of `BoundExpr`.
public enum ExpressionEvaluator {
    /// An expression that reads one dictionary column (codes into a column of values) runs
    /// once per distinct code of the batch, and each row takes its code's result: `lower(tag)`
    /// or `genre LIKE '%Drama%'` over a batch of repeated values does the text work once per
    /// value. Only codes the batch uses are evaluated, so a value no row holds cannot raise an
    /// error. Nil when it would not pay (few repeats, or values far outnumbering the rows).
    static func overDistinctCodes(_ e: BoundExpr, _ chunk: DataChunk) throws(SQLError) -> ColumnData? {
        guard chunk.count >= 16, chunk.columns.contains(where: { $0.dictionary != nil }) else { return nil }
        switch e {
        case .column, .constant: return nil
        default: break
        }
        let used = e.columnsUsed
        guard used.count == 1, let i = used.first, let d = chunk.columns[i].dictionary else { return nil }
        let n = chunk.count
        guard d.values.count <= 4 * n else { return nil }
        var memo = [Int32](repeating: -1, count: d.values.count)
        var distinct: [Int] = []
        let rows = [Int](unsafeUninitializedCapacity: n) { out, count in
            d.codes.withUnsafeBufferPointer { codes in
                memo.withUnsafeMutableBufferPointer { memo in
                    for r in 0..<n {
                        let c = Int(codes[r])
                        var k = memo[c]
                        if k < 0 {
                            k = Int32(distinct.count)
                            memo[c] = k
                            distinct.append(c)
                        }
                        out[r] = Int(k)
                    }
                }
            }
            count = n
        }
        guard distinct.count * 2 <= n else { return nil }
        let once = try evaluate(e.remapped([i: 0]), DataChunk(columns: [d.values.selecting(distinct)], count: distinct.count))
        return once.selecting(rows)
    }

    /// `e` over `chunk`; a bare column comes back as it is, a dictionary included (for
    /// operators that pass columns on or key on codes), and a text constant as a constant
    /// vector (one value, every row pointing at it) rather than the text repeated per row.
    public static func evaluateKeepingDictionary(_ e: BoundExpr, _ chunk: DataChunk) throws(SQLError) -> ColumnData {
        switch e {
        case .column(let i, _, _):
            return chunk.columns[i]
        case .constant(let v, let t) where t == .varchar || t == .listVarchar:
            return .constantVector(v, type: t, count: chunk.count)
        default:
            return try evaluate(e, chunk)
        }
    }

    /// `e` over `chunk`, as a flat column (kernels read values in place).
    public static func evaluate(_ e: BoundExpr, _ chunk: DataChunk) throws(SQLError) -> ColumnData {
        try StackGuard.check()
        if let coded = try overDistinctCodes(e, chunk) { return coded }
        let n = chunk.count
        switch e {
        case .column(let i, _, _):
            return chunk.columns[i].flattened()
        case .constant(let v, let t):
            return ColumnData.constant(v, type: t, count: n)
        case .nullLiteral:
            return ColumnData.constant(.null, type: .varchar, count: n)
        case .negate(let x):
            return try negate(try evaluate(x, chunk))
        case .not(let x):
            let c = try evaluate(x, chunk)
            return ColumnData(type: .boolean, storage: .boolean(ColumnAccess.bools(c).map { !$0 }), validity: c.validity)
        case .arithmetic(let op, let a, let b, let t):
            return try arithmetic(op, try evaluate(a, chunk), try evaluate(b, chunk), t)
        case .comparison(let op, let a, let b):
            // A constant side stays one value (a constant vector), not a batch of copies.
            if case .constant(let v, let t) = b, !v.isNull { return comparison(op, try evaluate(a, chunk), constant: v, type: t) }
            if case .constant(let v, let t) = a, !v.isNull {
                let flipped = ["<": ">", "<=": ">=", ">": "<", ">=": "<="][op] ?? op
                return comparison(flipped, try evaluate(b, chunk), constant: v, type: t)
            }
            return comparison(op, try evaluate(a, chunk), try evaluate(b, chunk))
        case .logical(let op, let a, let b):
            if b.canFail { return try lazyLogical(op, a, b, chunk) }
            return logical(op, try evaluate(a, chunk), try evaluate(b, chunk))
        case .concat(let a, let b):
            let l = try evaluate(a, chunk), r = try evaluate(b, chunk)
            let ls = ColumnAccess.strings(l), rs = ColumnAccess.strings(r)
            guard ls.bytes.count + rs.bytes.count <= Int(UInt32.max) else {
                throw SQLError(.runtime, "|| would make more than 4 GiB of text in one batch of \(n) rows")
            }
            var out = StringArray()
            out.bytes.reserveCapacity(ls.bytes.count + rs.bytes.count)
            out.offsets.reserveCapacity(n + 1)
            ls.bytes.withUnsafeBufferPointer { lb in
                rs.bytes.withUnsafeBufferPointer { rb in
                    for i in 0..<n {
                        out.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: lb[Int(ls.offsets[i])..<Int(ls.offsets[i + 1])]))
                        out.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: rb[Int(rs.offsets[i])..<Int(rs.offsets[i + 1])]))
                        out.offsets.append(UInt32(out.bytes.count))
                    }
                }
            }
            return ColumnData(type: .varchar, storage: .varchar(out), validity: ColumnAccess.merge(l.validity, r.validity))
        case .isNull(let x, let negated):
            let c = try evaluate(x, chunk)
            return ColumnData(type: .boolean, storage: .boolean((0..<n).map { c.isNull($0) != negated }))
        case .inList(let x, let values, let negated):
            let c = try evaluate(x, chunk)
            if let fast = numericInList(c, values, negated: negated) { return fast }
            var result = [Bool](repeating: false, count: n)
            var validity = c.validity
            let hasNull = values.contains(.null)
            let set = Set(values.filter { !$0.isNull }.map { normalize($0) })
            for i in 0..<n where !c.isNull(i) {
                result[i] = set.contains(normalize(c.value(at: i))) != negated
                // x IN (..., NULL) is NULL when x is not found, as SQL says.
                if hasNull && !set.contains(normalize(c.value(at: i))) {
                    if validity == nil { validity = ValidityBitmap(allValid: n) }
                    validity!.setValid(i, false)
                }
            }
            return ColumnData(type: .boolean, storage: .boolean(result), validity: validity)
        case .inSet(let x, let set, let negated):
            return set.contains(try evaluate(x, chunk), negated: negated)
        case .like(let x, let pattern, let ci, let negated):
            let c = try evaluate(x, chunk)
            let s = ColumnAccess.strings(c)
            let matcher = LikeMatcher(pattern: pattern, caseInsensitive: ci)
            var result = [Bool](repeating: false, count: n)
            for i in 0..<n where !c.isNull(i) { result[i] = s.withValueBytes(i) { matcher.matches($0) } != negated }
            return ColumnData(type: .boolean, storage: .boolean(result), validity: c.validity)
        case .caseWhen(let whens, let otherwise, let t):
            if needsLazyCase(whens, otherwise) { return try lazyCase(whens, otherwise, t, chunk) }
            if t == .varchar, let labels = Self.constantTexts(whens.map(\.1) + [otherwise ?? .constant(.null, .varchar)]) {
                // CASE ... THEN 'label' ...: pick a branch per row, copy that label's bytes.
                let conditions = try whens.map { (w, _) throws(SQLError) in try evaluate(w, chunk) }
                let bools = conditions.map(ColumnAccess.bools)
                var out = StringArray()
                out.offsets.reserveCapacity(n + 1)
                var validity: ValidityBitmap? = nil
                for i in 0..<n {
                    var branch = whens.count
                    for k in 0..<whens.count where bools[k][i] && !conditions[k].isNull(i) { branch = k; break }
                    if let label = labels[branch] {
                        out.bytes.append(contentsOf: label)
                    } else {
                        if validity == nil { validity = ValidityBitmap(allValid: n) }
                        validity!.setValid(i, false)
                    }
                    out.offsets.append(UInt32(out.bytes.count))
                }
                return ColumnData(type: .varchar, storage: .varchar(out), validity: validity)
            }
            var builder = ColumnBuilder(type: t, capacity: n)
            let conditions = try whens.map { (w, _) throws(SQLError) in try evaluate(w, chunk) }
            let results = try whens.map { (_, r) throws(SQLError) in try cast(try evaluate(r, chunk), to: t) }
            let fallback = try otherwise.map { (o) throws(SQLError) in try cast(try evaluate(o, chunk), to: t) }
            let conditionBools = conditions.map(ColumnAccess.bools)
            for i in 0..<n {
                var done = false
                for k in 0..<whens.count where !conditions[k].isNull(i) && conditionBools[k][i] {
                    builder.append(from: results[k], row: i)
                    done = true
                    break
                }
                if !done {
                    if let fallback { builder.append(from: fallback, row: i) } else { builder.appendNull() }
                }
            }
            return builder.finish()
        case .cast(let x, let t):
            return try cast(try evaluate(x, chunk), to: t)
        case .function(let name, let args, let t):
            let columns = try args.map { (a) throws(SQLError) in try evaluate(a, chunk) }
            return try ScalarFunctions.evaluate(name, columns, type: t, count: n)
        }
    }

    /// The UTF-8 bytes of each expression when every one is a text or NULL constant.
    static func constantTexts(_ exprs: [BoundExpr]) -> [[UInt8]?]? {
        var out: [[UInt8]?] = []
        for e in exprs {
            guard case .constant(let v, _) = e else { return nil }
            switch v {
            case .null: out.append(nil)
            case .string(let s): out.append(Array(s.utf8))
            default: return nil
            }
        }
        return out
    }

    /// `x [NOT] IN (numbers)` over an INT, BIGINT or DOUBLE column (accepted_values tests over
    /// every rating): no `Value` per row. Each item compares with x in their common type, as
    /// `x = item` would: an integer item with an integer x exactly (as Int64: doubles lose
    /// precision past 2^53), anything with a DOUBLE as doubles (NaN equal to NaN). A NULL in
    /// the list makes the answer NULL where x is not found, as SQL says. Nil for other lists.
    static func numericInList(_ c: ColumnData, _ values: [Value], negated: Bool) -> ColumnData? {
        guard c.type == .double || c.type == .int32 || c.type == .int64 else { return nil }
        var ints: [Int64] = [], doubles: [Double] = []
        var hasNull = false
        for v in values {
            switch v {
            case .int(let i): if c.type == .double { doubles.append(Double(i)) } else { ints.append(i) }
            case .double(let d): doubles.append(d)
            case .null: hasNull = true
            default: return nil
            }
        }
        let n = c.count
        var found = [Bool](repeating: false, count: n)
        if !ints.isEmpty {
            let x = ColumnAccess.int64s(c)
            ints.withUnsafeBufferPointer { list in
                for i in 0..<n { found[i] = list.contains(x[i]) }
            }
        }
        if !doubles.isEmpty {
            let x = ColumnAccess.doubles(c)
            let hasNaN = doubles.contains(where: \.isNaN)
            doubles.withUnsafeBufferPointer { list in
                for i in 0..<n where !found[i] { found[i] = list.contains(x[i]) || (hasNaN && x[i].isNaN) }
            }
        }
        var validity = c.validity
        if hasNull {
            for i in 0..<n where !found[i] {
                if validity == nil { validity = ValidityBitmap(allValid: n) }
                validity!.setValid(i, false)
            }
        }
        let result = negated ? found.map { !$0 } : found
        return ColumnData(type: .boolean, storage: .boolean(result), validity: validity)
    }

    static func normalize(_ v: Value) -> Value {
        switch v {
        case .int(let x): return .double(Double(x))
        default: return v
        }
    }

    // MARK: Arithmetic

    /// `-x` in x's own type: INT stays INT, as in DuckDB and PostgreSQL. The one value without
    /// a negation in its type (-2147483648 for INT, the smallest BIGINT) is an overflow error.
    static func negate(_ c: ColumnData) throws(SQLError) -> ColumnData {
        let n = c.count
        switch c.storage {
        case .double(let v):
            return ColumnData(type: .double, storage: .double(v.map { -$0 }), validity: c.validity)
        case .int32(let v):
            var out = [Int32](repeating: 0, count: n)
            for i in 0..<n {
                let (x, overflow) = Int32(0).subtractingReportingOverflow(v[i])
                if overflow && !c.isNull(i) { throw SQLError(.runtime, "integer overflow in -(\(v[i])) (out of range for INT)") }
                out[i] = x
            }
            return ColumnData(type: c.type, storage: .int32(out), validity: c.validity)
        case .int64(let v):
            var out = [Int64](repeating: 0, count: n)
            for i in 0..<n {
                let (x, overflow) = Int64(0).subtractingReportingOverflow(v[i])
                if overflow && !c.isNull(i) { throw SQLError(.runtime, "integer overflow in -(\(v[i])) (out of range for BIGINT)") }
                out[i] = x
            }
            return ColumnData(type: c.type, storage: .int64(out), validity: c.validity)
        case .dictionary:
            return try negate(c.flattened())
        default:
            throw SQLError(.type, "cannot negate \(c.type)")
        }
    }

    static func arithmetic(_ op: String, _ l: ColumnData, _ r: ColumnData, _ t: LogicalType) throws(SQLError) -> ColumnData {
        let n = l.count
        var validity = ColumnAccess.merge(l.validity, r.validity)
        if t == .double {
            let a = ColumnAccess.doubles(l), b = ColumnAccess.doubles(r)
            var out = [Double](repeating: 0, count: n)
            switch op {
            case "+": for i in 0..<n { out[i] = a[i] + b[i] }
            case "-": for i in 0..<n { out[i] = a[i] - b[i] }
            case "*": for i in 0..<n { out[i] = a[i] * b[i] }
            case "/", "%":
                for i in 0..<n {
                    if b[i] == 0 {
                        // Division by zero is NULL, as in DuckDB.
                        if validity == nil { validity = ValidityBitmap(allValid: n) }
                        validity!.setValid(i, false)
                    } else {
                        out[i] = op == "/" ? a[i] / b[i] : a[i].truncatingRemainder(dividingBy: b[i])
                    }
                }
            default: throw SQLError(.binder, "unknown operator \(op)")
            }
            return ColumnData(type: .double, storage: .double(out), validity: validity)
        }
        let a = ColumnAccess.int64s(l), b = ColumnAccess.int64s(r)
        var out = [Int64](repeating: 0, count: n)
        for i in 0..<n {
            if let v = validity, !v.isValid(i) { continue }
            let x = a[i], y = b[i]
            var overflow = false
            switch op {
            case "+": (out[i], overflow) = x.addingReportingOverflow(y)
            case "-": (out[i], overflow) = x.subtractingReportingOverflow(y)
            case "*": (out[i], overflow) = x.multipliedReportingOverflow(by: y)
            case "%":
                if y == 0 {
                    if validity == nil { validity = ValidityBitmap(allValid: n) }
                    validity!.setValid(i, false)
                } else if y == -1 {
                    out[i] = 0  // the smallest BIGINT % -1 is 0, though its quotient overflows
                } else {
                    (out[i], overflow) = x.remainderReportingOverflow(dividingBy: y)
                }
            default: throw SQLError(.binder, "unknown operator \(op)")
            }
            if overflow { throw SQLError(.runtime, "integer overflow in \(x) \(op) \(y)") }
        }
        return ColumnData(type: .int64, storage: .int64(out), validity: validity)
    }

    // MARK: Comparison

    enum Domain { case integer, double, string, boolean, micros }

    static func domain(_ a: LogicalType, _ b: LogicalType) -> Domain {
        if a == .varchar && b == .varchar { return .string }
        if a == .boolean && b == .boolean { return .boolean }
        if (a == .timestamp || a == .date) && (b == .timestamp || b == .date) { return a == b ? .integer : .micros }
        if a == .double || b == .double { return .double }
        return .integer
    }

    static func comparison(_ op: String, _ l: ColumnData, _ r: ColumnData) -> ColumnData {
        let n = l.count
        let validity = ColumnAccess.merge(l.validity, r.validity)
        var out = [Bool](repeating: false, count: n)
        @inline(__always) func apply<T: Comparable>(_ a: [T], _ b: [T]) {
            switch op {
            case "=": for i in 0..<n { out[i] = a[i] == b[i] }
            case "<>": for i in 0..<n { out[i] = a[i] != b[i] }
            case "<": for i in 0..<n { out[i] = a[i] < b[i] }
            case "<=": for i in 0..<n { out[i] = a[i] <= b[i] }
            case ">": for i in 0..<n { out[i] = a[i] > b[i] }
            default: for i in 0..<n { out[i] = a[i] >= b[i] }
            }
        }
        switch domain(l.type, r.type) {
        case .integer: apply(ColumnAccess.int64s(l), ColumnAccess.int64s(r))
        case .micros: apply(ColumnAccess.micros(l), ColumnAccess.micros(r))
        case .double:
            let a = ColumnAccess.doubles(l), b = ColumnAccess.doubles(r)
            if a.contains(where: \.isNaN) || b.contains(where: \.isNaN) {
                for i in 0..<n { out[i] = holds(op, Self.totalOrder(a[i], b[i])) }
            } else {
                apply(a, b)
            }
        case .boolean: apply(ColumnAccess.int64s(l), ColumnAccess.int64s(r))
        case .string:
            let a = ColumnAccess.strings(l), b = ColumnAccess.strings(r)
            for i in 0..<n {
                out[i] = holds(op, a.withValueBytes(i) { x in b.withValueBytes(i) { y in compareBytes(x, y) } })
            }
        }
        return ColumnData(type: .boolean, storage: .boolean(out), validity: validity)
    }

    /// `l op value` per row, the constant read once.
    static func comparison(_ op: String, _ l: ColumnData, constant value: Value, type: LogicalType) -> ColumnData {
        let n = l.count
        let one = ColumnData.constant(value, type: type, count: 1)
        var out = [Bool](repeating: false, count: n)
        @inline(__always) func apply<T: Comparable>(_ a: [T], _ k: T) {
            a.withUnsafeBufferPointer { a in
                out.withUnsafeMutableBufferPointer { o in
                    switch op {
                    case "=": for i in 0..<n { o[i] = a[i] == k }
                    case "<>": for i in 0..<n { o[i] = a[i] != k }
                    case "<": for i in 0..<n { o[i] = a[i] < k }
                    case "<=": for i in 0..<n { o[i] = a[i] <= k }
                    case ">": for i in 0..<n { o[i] = a[i] > k }
                    default: for i in 0..<n { o[i] = a[i] >= k }
                    }
                }
            }
        }
        switch domain(l.type, type) {
        case .integer, .boolean: apply(ColumnAccess.int64s(l), ColumnAccess.int64s(one)[0])
        case .micros: apply(ColumnAccess.micros(l), ColumnAccess.micros(one)[0])
        case .double:
            let a = ColumnAccess.doubles(l), k = ColumnAccess.doubles(one)[0]
            if k.isNaN || a.contains(where: \.isNaN) {
                for i in 0..<n { out[i] = holds(op, Self.totalOrder(a[i], k)) }
            } else {
                apply(a, k)
            }
        case .string:
            let a = ColumnAccess.strings(l), k = ColumnAccess.strings(one)
            k.withValueBytes(0) { y in
                for i in 0..<n {
                    out[i] = holds(op, a.withValueBytes(i) { x in compareBytes(x, y) })
                }
            }
        }
        return ColumnData(type: .boolean, storage: .boolean(out), validity: l.validity)
    }

    /// Doubles in SQL's total order: NaN equals NaN and is greater than every number (as in
    /// PostgreSQL, Snowflake and DuckDB); otherwise IEEE order (-0.0 equals 0.0).
    @inline(__always)
    static func totalOrder(_ a: Double, _ b: Double) -> Int {
        if a < b { return -1 }
        if a > b { return 1 }
        if a == b { return 0 }
        return a.isNaN ? (b.isNaN ? 0 : 1) : -1
    }

    /// Whether comparison `op` holds for a three-way result `c` (<0, 0, >0).
    @inline(__always)
    static func holds(_ op: String, _ c: Int) -> Bool {
        switch op {
        case "=": c == 0
        case "<>": c != 0
        case "<": c < 0
        case "<=": c <= 0
        case ">": c > 0
        default: c >= 0
        }
    }

    /// Byte-wise comparison (UTF-8 order is code point order).
    @inline(__always)
    static func compareBytes(_ x: UnsafeRawBufferPointer, _ y: UnsafeRawBufferPointer) -> Int {
        let m = min(x.count, y.count)
        if m > 0 {
            let c = memcmp(x.baseAddress!, y.baseAddress!, m)
            if c != 0 { return Int(c) }
        }
        return x.count - y.count
    }

    // MARK: Logic

    static func logical(_ op: String, _ l: ColumnData, _ r: ColumnData) -> ColumnData {
        let n = l.count
        let a = ColumnAccess.bools(l), b = ColumnAccess.bools(r)
        var out = [Bool](repeating: false, count: n)
        var validity: ValidityBitmap? = nil
        for i in 0..<n {
            let ln = l.isNull(i), rn = r.isNull(i)
            let value: Bool?
            if op == "AND" {
                if (!ln && !a[i]) || (!rn && !b[i]) { value = false } else if ln || rn { value = nil } else { value = true }
            } else {
                if (!ln && a[i]) || (!rn && b[i]) { value = true } else if ln || rn { value = nil } else { value = false }
            }
            if let value { out[i] = value } else {
                if validity == nil { validity = ValidityBitmap(allValid: n) }
                validity!.setValid(i, false)
            }
        }
        return ColumnData(type: .boolean, storage: .boolean(out), validity: validity)
    }

    // MARK: Casts

    public static func cast(_ c: ColumnData, to t: LogicalType) throws(SQLError) -> ColumnData {
        if c.type == t { return c }
        let c = c.flattened()
        let n = c.count
        switch (c.type, t) {
        case (.int32, .int64), (.boolean, .int64):
            return ColumnData(type: t, storage: .int64(ColumnAccess.int64s(c)), validity: c.validity)
        case (.int64, .int32), (.boolean, .int32):
            let v = ColumnAccess.int64s(c)
            var out = [Int32](repeating: 0, count: n)
            for i in 0..<n where !c.isNull(i) {
                guard let x = Int32(exactly: v[i]) else { throw SQLError(.runtime, "Conversion Error: \(v[i]) is out of range for INT") }
                out[i] = x
            }
            return ColumnData(type: t, storage: .int32(out), validity: c.validity)
        case (.int32, .double), (.int64, .double), (.boolean, .double):
            return ColumnData(type: t, storage: .double(ColumnAccess.doubles(c)), validity: c.validity)
        case (.double, .int32), (.double, .int64):
            let v = ColumnAccess.doubles(c)
            var out = [Int64](repeating: 0, count: n)
            // The exact bounds of the target: -2^31 ... 2^31 - 1, and -2^63 up to (not
            // including) 2^63, which are exact doubles.
            let lower = t == .int64 ? -9_223_372_036_854_775_808.0 : -2_147_483_648.0
            let upper = t == .int64 ? 9_223_372_036_854_775_808.0 : 2_147_483_648.0
            for i in 0..<n where !c.isNull(i) {
                let r = v[i].rounded(.toNearestOrAwayFromZero)
                guard r >= lower && r < upper else {
                    throw SQLError(.runtime, "Conversion Error: \(Value.format(v[i])) is out of range for \(t)")
                }
                out[i] = Int64(r)
            }
            return t == .int64 ? ColumnData(type: t, storage: .int64(out), validity: c.validity)
                : ColumnData(type: t, storage: .int32(out.map { Int32($0) }), validity: c.validity)
        case (.int32, .boolean), (.int64, .boolean), (.double, .boolean):
            return ColumnData(type: t, storage: .boolean(ColumnAccess.doubles(c).map { $0 != 0 }), validity: c.validity)
        case (.date, .timestamp):
            return ColumnData(type: t, storage: .int64(ColumnAccess.micros(c)), validity: c.validity)
        case (.timestamp, .date):
            let v = ColumnAccess.int64s(c)
            return ColumnData(type: t, storage: .int32(v.map { x in
                let d = x / 86_400_000_000
                return Int32(x < 0 && x % 86_400_000_000 != 0 ? d - 1 : d)
            }), validity: c.validity)
        case (.int32, .varchar), (.int64, .varchar):
            // Decimal digits written straight into the string heap.
            let v = ColumnAccess.int64s(c)
            var out = StringArray()
            out.bytes.reserveCapacity(n * 8)
            out.offsets.reserveCapacity(n + 1)
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
                for i in 0..<n {
                    if !c.isNull(i) {
                        var x = v[i].magnitude
                        var k = 20
                        repeat { k -= 1; digits[k] = UInt8(48 + x % 10); x /= 10 } while x > 0
                        if v[i] < 0 { out.bytes.append(45) }
                        out.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[k..<20]))
                    }
                    out.offsets.append(UInt32(out.bytes.count))
                }
            }
            return ColumnData(type: .varchar, storage: .varchar(out), validity: c.validity)
        case (.timestamp, .varchar), (.date, .varchar):
            // The text written straight into the string heap.
            let v = ColumnAccess.int64s(c)
            var out = StringArray()
            out.bytes.reserveCapacity(n * 19)
            out.offsets.reserveCapacity(n + 1)
            for i in 0..<n {
                if !c.isNull(i) {
                    if c.type == .timestamp {
                        CivilTime.appendTimestamp(micros: v[i], to: &out.bytes)
                    } else if !CivilTime.appendDate(days: Int32(truncatingIfNeeded: v[i]), to: &out.bytes) {
                        out.bytes.append(contentsOf: CivilTime.formatDate(days: Int32(truncatingIfNeeded: v[i])).utf8)
                    }
                }
                out.offsets.append(UInt32(out.bytes.count))
            }
            return ColumnData(type: .varchar, storage: .varchar(out), validity: c.validity)
        case (_, .varchar):
            var out = StringArray()
            for i in 0..<n { out.append(c.isNull(i) ? "" : c.value(at: i).description) }
            return ColumnData(type: .varchar, storage: .varchar(out), validity: c.validity)
        case (.varchar, _):
            var builder = ColumnBuilder(type: t, capacity: n)
            guard case .varchar(let s) = c.storage else { break }
            for i in 0..<n {
                if c.isNull(i) { builder.appendNull(); continue }
                builder.append(try parse(s[i], as: t))
            }
            return builder.finish()
        default:
            break
        }
        throw SQLError(.type, "cannot cast \(c.type) to \(t)")
    }

    /// Parses text as a value of `t` (the string-to-type CAST).
    public static func parse(_ text: String, as t: LogicalType) throws(SQLError) -> Value {
        let s = text.trimmingCharacters(in: " ")
        switch t {
        case .int32, .int64:
            // Integers exactly; decimal text rounds half away from zero (Snowflake). Either must
            // fit the target type.
            var v = Int64(s)
            if v == nil, let d = Double(s)?.rounded(.toNearestOrAwayFromZero), d >= -9.223372036854775808e18, d < 9.223372036854775808e18 {
                v = Int64(d)
            }
            if let v, t == .int64 || Int32(exactly: v) != nil { return .int(v) }
            if v != nil || Double(s) != nil { throw SQLError(.runtime, "Conversion Error: '\(text)' is out of range for \(t)") }
        case .double:
            if let v = Double(s) { return .double(v) }
        case .boolean:
            switch s.lowercased() {
            case "true", "t", "1", "yes", "y", "on": return .bool(true)
            case "false", "f", "0", "no", "n", "off": return .bool(false)
            default: break
            }
        case .date:
            if let d = CivilTime.parseDate(Substring(s.prefix(10))), s.count == 10 || s.dropFirst(10).allSatisfy({ $0 == " " || $0 == ":" || $0.isNumber }) { return .date(d) }
        case .timestamp:
            if let t = parseTimestamp(s) { return .timestamp(t) }
        case .varchar: return .string(text)
        case .listVarchar: break
        }
        throw SQLError(.runtime, "Conversion Error: could not convert string '\(text)' to \(t)")
    }

    /// `YYYY-MM-DD[ HH:MM:SS[.ffffff]]` (also with `T`), UTC.
    static func parseTimestamp(_ s: String) -> Int64? {
        let parts = s.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard let first = parts.first, let day = CivilTime.parseDate(first) else { return nil }
        var micros = Int64(day) * 86_400_000_000
        if parts.count > 1 {
            let time = parts[1].split(separator: ":")
            guard time.count >= 2, let h = Int64(time[0]), let m = Int64(time[1]), (0..<24).contains(h), (0..<60).contains(m) else { return nil }
            var sec = 0.0
            if time.count > 2 { guard let s = Double(time[2]), s >= 0, s < 61 else { return nil }; sec = s }
            micros += (h * 3600 + m * 60) * 1_000_000 + Int64((sec * 1_000_000).rounded())
        }
        return CivilTime.isValid(micros: micros) ? micros : nil
    }
}

extension String {
    func trimmingCharacters(in c: Character) -> String {
        var s = Substring(self)
        while s.first == c { s.removeFirst() }
        while s.last == c { s.removeLast() }
        return String(s)
    }
}

#if canImport(Glibc)
import Glibc
#endif
