// Snowflake's array functions that treat an array as a multiset or build one:
// ARRAY_EXCEPT and ARRAY_INTERSECTION (an element present n times on one side and m on the
// other is matched min(n, m) times, the first array's order kept), ARRAY_REMOVE (every
// element equal to the value), ARRAY_GENERATE_RANGE (integers from start up to before stop)
// and STRTOK_TO_ARRAY (the tokens between any of the delimiter characters).

import Columnar

enum SnowflakeListFunctions {
    static let all: [ScalarFunction] = [
        ScalarFunction("array_except", [
            FunctionSignature([.type(.listVarchar), .type(.listVarchar)], returns: .type(.listVarchar)) { input in matched(input, keep: false) },
        ]),
        ScalarFunction("array_intersection", [
            FunctionSignature([.type(.listVarchar), .type(.listVarchar)], returns: .type(.listVarchar)) { input in matched(input, keep: true) },
        ]),
        ScalarFunction("array_remove", [
            FunctionSignature([.type(.listVarchar), .type(.varchar)], returns: .type(.listVarchar), kernel: removed),
        ]),
        ScalarFunction("array_generate_range", canFail: true, [
            FunctionSignature([.type(.int64), .type(.int64), .type(.int64)], optional: 1, returns: .type(.listVarchar), kernel: generatedRange),
        ]),
        ScalarFunction("strtok_to_array", [
            FunctionSignature([.type(.varchar), .type(.varchar)], optional: 1, returns: .type(.listVarchar), kernel: tokens),
        ]),
    ]

    /// ARRAY_INTERSECTION (`keep`) or ARRAY_EXCEPT: the first list's elements, each matched
    /// against one unmatched occurrence in the second.
    private static func matched(_ input: KernelInput, keep: Bool) -> ColumnData {
        let a = ListFunctions.lists(input.arguments[0]), b = ListFunctions.lists(input.arguments[1])
        return ListFunctions.rebuilt(a, input) { r, range in
            var available: [String: Int] = [:]
            for e in Int(b.offsets[r])..<Int(b.offsets[r + 1]) { available[b.values[e], default: 0] += 1 }
            return range.filter { e in
                let value = a.values[e]
                guard let n = available[value], n > 0 else { return !keep }
                available[value] = n - 1
                return keep
            }
        }
    }

    /// ARRAY_REMOVE(list, value): the list without the elements equal to the value.
    private static func removed(_ input: KernelInput) -> ColumnData {
        let l = ListFunctions.lists(input.arguments[0]), v = input.text(1)
        return ListFunctions.rebuilt(l, input) { r, range in
            v.withValueBytes(r) { x in range.filter { e in !l.values.withValueBytes(e) { $0.elementsEqual(x) } } }
        }
    }

    /// The most elements one generated range may hold.
    static let maximumRange = 10_000_000

    /// ARRAY_GENERATE_RANGE(start, stop [, step]): start, start + step, ... up to before stop
    /// (step 1 by default; a negative step counts down; step 0 is an error).
    private static func generatedRange(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let start = ColumnAccess.int64s(input.arguments[0]), stop = ColumnAccess.int64s(input.arguments[1])
        let step = input.arguments.count > 2 ? ColumnAccess.int64s(input.arguments[2]) : [Int64](repeating: 1, count: input.count)
        var offsets: [UInt32] = [0]
        var values = StringArray()
        for r in 0..<input.count {
            if !input.skips(r) {
                guard step[r] != 0 else { throw SQLError(.runtime, "ARRAY_GENERATE_RANGE's step must not be 0") }
                let span = step[r] > 0 ? Double(stop[r]) - Double(start[r]) : Double(start[r]) - Double(stop[r])
                guard span / Double(step[r].magnitude) <= Double(maximumRange) else {
                    throw SQLError(.runtime, "ARRAY_GENERATE_RANGE(\(start[r]), \(stop[r]), \(step[r])) would hold more than \(maximumRange) elements",
                                   reason: .numericOutOfRange)
                }
                var x = start[r]
                while step[r] > 0 ? x < stop[r] : x > stop[r] {
                    values.append(String(x))
                    let (next, overflow) = x.addingReportingOverflow(step[r])
                    if overflow { break }
                    x = next
                }
            }
            offsets.append(UInt32(values.count))
        }
        return ColumnData(type: .listVarchar, storage: .listVarchar(StringListArray(offsets: offsets, values: values)))
    }

    /// STRTOK_TO_ARRAY(text [, delimiters]): the non-empty runs between any of the delimiter
    /// characters (a space by default).
    private static func tokens(_ input: KernelInput) -> ColumnData {
        let text = input.text(0)
        let delimiters = input.arguments.count > 1 ? input.text(1) : nil
        var offsets: [UInt32] = [0]
        var values = StringArray()
        for r in 0..<input.count {
            if !input.skips(r) {
                let separators = Set(delimiters.map { $0[r].unicodeScalars } ?? " ".unicodeScalars)
                var token = String.UnicodeScalarView()
                for c in text[r].unicodeScalars {
                    if separators.contains(c) {
                        if !token.isEmpty { values.append(String(token)); token = String.UnicodeScalarView() }
                    } else {
                        token.append(c)
                    }
                }
                if !token.isEmpty { values.append(String(token)) }
            }
            offsets.append(UInt32(values.count))
        }
        return ColumnData(type: .listVarchar, storage: .listVarchar(StringListArray(offsets: offsets, values: values)))
    }
}
