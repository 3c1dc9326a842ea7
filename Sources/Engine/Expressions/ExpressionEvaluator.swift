// Evaluates bound expressions a batch at a time. Each node switches on types once per
// batch and runs a plain loop over arrays; NULLs travel in validity bitmaps (SQL's
// three-valued logic for AND, OR and NOT).

import Columnar

/// Batch evaluation of `BoundExpr`.
package enum ExpressionEvaluator {
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
    package static func evaluateKeepingDictionary(_ e: BoundExpr, _ chunk: DataChunk) throws(SQLError) -> ColumnData {
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
    package static func evaluate(_ e: BoundExpr, _ chunk: DataChunk) throws(SQLError) -> ColumnData {
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
            // `x % k` for a constant k (a bucket, `userId % 100 = 7`): no division per row.
            if op == .modulo, t != .double, case .constant(.int(let k), _) = b, k > 1, k < 1 << 31 {
                let x = try evaluate(a, chunk)
                if let r = IntegerModulo.apply(x, divisor: k) { return r }
                return try arithmetic(op, x, try evaluate(b, chunk), t)
            }
            return try arithmetic(op, try evaluate(a, chunk), try evaluate(b, chunk), t)
        case .comparison(let op, let a, let b):
            // A constant side stays one value (a constant vector), not a batch of copies.
            if case .constant(let v, let t) = b, !v.isNull { return comparison(op, try evaluate(a, chunk), constant: v, type: t) }
            if case .constant(let v, let t) = a, !v.isNull { return comparison(op.flipped, try evaluate(b, chunk), constant: v, type: t) }
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
        case .subqueryValue, .inSubquery:
            // The executor runs the subqueries and puts their results in before a batch runs.
            throw SQLError(.internal, "subquery \(e) reached the evaluator before it ran")
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
        case .function(let call, let args, let t):
            return try evaluate(call, args, t, chunk)
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

    static func arithmetic(_ op: ArithmeticOperator, _ l: ColumnData, _ r: ColumnData, _ t: LogicalType) throws(SQLError) -> ColumnData {
        let n = l.count
        var validity = ColumnAccess.merge(l.validity, r.validity)
        if t == .double {
            let a = ColumnAccess.doubles(l), b = ColumnAccess.doubles(r)
            var out = [Double](repeating: 0, count: n)
            switch op {
            case .add: for i in 0..<n { out[i] = a[i] + b[i] }
            case .subtract: for i in 0..<n { out[i] = a[i] - b[i] }
            case .multiply: for i in 0..<n { out[i] = a[i] * b[i] }
            case .divide, .modulo:
                for i in 0..<n {
                    if b[i] == 0 {
                        // Division by zero is NULL, as in DuckDB.
                        if validity == nil { validity = ValidityBitmap(allValid: n) }
                        validity!.setValid(i, false)
                    } else {
                        out[i] = op == .divide ? a[i] / b[i] : a[i].truncatingRemainder(dividingBy: b[i])
                    }
                }
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
            case .add: (out[i], overflow) = x.addingReportingOverflow(y)
            case .subtract: (out[i], overflow) = x.subtractingReportingOverflow(y)
            case .multiply: (out[i], overflow) = x.multipliedReportingOverflow(by: y)
            case .modulo:
                if y == 0 {
                    if validity == nil { validity = ValidityBitmap(allValid: n) }
                    validity!.setValid(i, false)
                } else if y == -1 {
                    out[i] = 0  // the smallest BIGINT % -1 is 0, though its quotient overflows
                } else {
                    (out[i], overflow) = x.remainderReportingOverflow(dividingBy: y)
                }
            case .divide:
                // The binder types every division DOUBLE.
                throw SQLError(.internal, "integer division reached the evaluator")
            }
            if overflow { throw SQLError(.runtime, "integer overflow in \(x) \(op.rawValue) \(y)") }
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

    static func comparison(_ op: ComparisonOperator, _ l: ColumnData, _ r: ColumnData) -> ColumnData {
        let n = l.count
        let validity = ColumnAccess.merge(l.validity, r.validity)
        var out = [Bool](repeating: false, count: n)
        @inline(__always) func apply<T: Comparable>(_ a: [T], _ b: [T]) {
            switch op {
            case .equal: for i in 0..<n { out[i] = a[i] == b[i] }
            case .notEqual: for i in 0..<n { out[i] = a[i] != b[i] }
            case .less: for i in 0..<n { out[i] = a[i] < b[i] }
            case .lessOrEqual: for i in 0..<n { out[i] = a[i] <= b[i] }
            case .greater: for i in 0..<n { out[i] = a[i] > b[i] }
            case .greaterOrEqual: for i in 0..<n { out[i] = a[i] >= b[i] }
            }
        }
        switch domain(l.type, r.type) {
        case .integer: apply(ColumnAccess.int64s(l), ColumnAccess.int64s(r))
        case .micros: apply(ColumnAccess.micros(l), ColumnAccess.micros(r))
        case .double:
            let a = ColumnAccess.doubles(l), b = ColumnAccess.doubles(r)
            if a.contains(where: \.isNaN) || b.contains(where: \.isNaN) {
                for i in 0..<n { out[i] = op.holds(Self.totalOrder(a[i], b[i])) }
            } else {
                apply(a, b)
            }
        case .boolean: apply(ColumnAccess.int64s(l), ColumnAccess.int64s(r))
        case .string:
            let a = ColumnAccess.strings(l), b = ColumnAccess.strings(r)
            for i in 0..<n {
                out[i] = op.holds(a.withValueBytes(i) { x in b.withValueBytes(i) { y in compareBytes(x, y) } })
            }
        }
        return ColumnData(type: .boolean, storage: .boolean(out), validity: validity)
    }

    /// `l op value` per row, the constant read once.
    static func comparison(_ op: ComparisonOperator, _ l: ColumnData, constant value: Value, type: LogicalType) -> ColumnData {
        let n = l.count
        let one = ColumnData.constant(value, type: type, count: 1)
        var out = [Bool](repeating: false, count: n)
        @inline(__always) func apply<T: Comparable>(_ a: [T], _ k: T) {
            a.withUnsafeBufferPointer { a in
                out.withUnsafeMutableBufferPointer { o in
                    switch op {
                    case .equal: for i in 0..<n { o[i] = a[i] == k }
                    case .notEqual: for i in 0..<n { o[i] = a[i] != k }
                    case .less: for i in 0..<n { o[i] = a[i] < k }
                    case .lessOrEqual: for i in 0..<n { o[i] = a[i] <= k }
                    case .greater: for i in 0..<n { o[i] = a[i] > k }
                    case .greaterOrEqual: for i in 0..<n { o[i] = a[i] >= k }
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
                for i in 0..<n { out[i] = op.holds(Self.totalOrder(a[i], k)) }
            } else {
                apply(a, k)
            }
        case .string:
            let a = ColumnAccess.strings(l), k = ColumnAccess.strings(one)
            k.withValueBytes(0) { y in
                for i in 0..<n {
                    out[i] = op.holds(a.withValueBytes(i) { x in compareBytes(x, y) })
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

    static func logical(_ op: LogicalOperator, _ l: ColumnData, _ r: ColumnData) -> ColumnData {
        let n = l.count
        let a = ColumnAccess.bools(l), b = ColumnAccess.bools(r)
        var out = [Bool](repeating: false, count: n)
        var validity: ValidityBitmap? = nil
        for i in 0..<n {
            let ln = l.isNull(i), rn = r.isNull(i)
            let value: Bool?
            if op == .and {
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
