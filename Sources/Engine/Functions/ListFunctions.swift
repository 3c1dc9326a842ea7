// Functions over VARCHAR lists: SPLIT and ARRAY_CONSTRUCT make one, ARRAY_SIZE, ARRAY_CONTAINS
// and ARRAY_POSITION read one, GET (and `list[i]`, 0-based as in Snowflake), ARRAY_SLICE,
// ARRAY_DISTINCT and ARRAY_TO_STRING take them apart, ARRAY_CAT, ARRAY_APPEND and
// ARRAY_PREPEND join them.
// Lists come out in the Arrow layout (offsets into one column of strings), built straight
// from the text's bytes.

import Columnar

enum ListFunctions {
    static let all: [ScalarFunction] = [
        ScalarFunction("split", aliases: ["string_split", "str_split", "string_to_array"], [
            FunctionSignature([.type(.varchar), .type(.varchar)], returns: .type(.listVarchar), kernel: split),
        ]),
        ScalarFunction("array_construct", aliases: ["array_construct_compact", "list_value"], nulls: .kernel, canFail: true, [
            FunctionSignature([.any], variadic: true, returns: .type(.listVarchar), kernel: construct),
        ]),
        ScalarFunction("array_size", aliases: ["array_length"], [
            FunctionSignature([.type(.listVarchar)], returns: .type(.int64), kernel: size),
        ]),
        ScalarFunction("array_contains", [
            FunctionSignature([.type(.varchar), .type(.listVarchar)], returns: .type(.boolean), kernel: contains),
        ]),
        ScalarFunction("get", [
            FunctionSignature([.type(.listVarchar), .type(.int64)], returns: .type(.varchar), kernel: element),
        ]),
        ScalarFunction("array_to_string", [
            FunctionSignature([.type(.listVarchar), .type(.varchar)], returns: .type(.varchar), kernel: joined),
        ]),
        ScalarFunction("array_slice", [
            FunctionSignature([.type(.listVarchar), .type(.int64), .type(.int64)], returns: .type(.listVarchar), kernel: slice),
        ]),
        ScalarFunction("array_distinct", aliases: ["list_distinct"], [
            FunctionSignature([.type(.listVarchar)], returns: .type(.listVarchar), kernel: distinct),
        ]),
        ScalarFunction("array_cat", aliases: ["array_concat", "list_concat"], [
            FunctionSignature([.type(.listVarchar), .type(.listVarchar)], returns: .type(.listVarchar), kernel: concatenated),
        ]),
        ScalarFunction("array_append", aliases: ["list_append"], [
            FunctionSignature([.type(.listVarchar), .type(.varchar)], returns: .type(.listVarchar)) { input in added(input, atEnd: true) },
        ]),
        ScalarFunction("array_prepend", aliases: ["list_prepend"], [
            FunctionSignature([.type(.listVarchar), .type(.varchar)], returns: .type(.listVarchar)) { input in added(input, atEnd: false) },
        ]),
        // Lists hold no NULL elements, so there is nothing to remove.
        ScalarFunction("array_compact", [
            FunctionSignature([.type(.listVarchar)], returns: .type(.listVarchar), kernel: { $0.arguments[0] }),
        ]),
        ScalarFunction("array_position", [
            FunctionSignature([.type(.varchar), .type(.listVarchar)], returns: .type(.int64), kernel: position),
        ]),
    ]

    /// ARRAY_CAT(a, b): a's elements, then b's.
    private static func concatenated(_ input: KernelInput) -> ColumnData {
        let a = lists(input.arguments[0]), b = lists(input.arguments[1])
        var offsets: [UInt32] = [0]
        var values = StringArray()
        for r in 0..<input.count {
            if !input.skips(r) {
                for e in Int(a.offsets[r])..<Int(a.offsets[r + 1]) { a.values.withValueBytes(e) { values.append(bytes: $0) } }
                for e in Int(b.offsets[r])..<Int(b.offsets[r + 1]) { b.values.withValueBytes(e) { values.append(bytes: $0) } }
            }
            offsets.append(UInt32(values.count))
        }
        return ColumnData(type: .listVarchar, storage: .listVarchar(StringListArray(offsets: offsets, values: values)))
    }

    /// ARRAY_APPEND(list, value) / ARRAY_PREPEND(list, value).
    private static func added(_ input: KernelInput, atEnd: Bool) -> ColumnData {
        let l = lists(input.arguments[0]), v = input.text(1)
        var offsets: [UInt32] = [0]
        var values = StringArray()
        for r in 0..<input.count {
            if !input.skips(r) {
                if !atEnd { v.withValueBytes(r) { values.append(bytes: $0) } }
                for e in Int(l.offsets[r])..<Int(l.offsets[r + 1]) { l.values.withValueBytes(e) { values.append(bytes: $0) } }
                if atEnd { v.withValueBytes(r) { values.append(bytes: $0) } }
            }
            offsets.append(UInt32(values.count))
        }
        return ColumnData(type: .listVarchar, storage: .listVarchar(StringListArray(offsets: offsets, values: values)))
    }

    /// ARRAY_POSITION(value, list): the first element equal to the value, counting from 0
    /// (Snowflake); NULL when none is.
    private static func position(_ input: KernelInput) -> ColumnData {
        firstPosition(input, value: 0, list: 1, base: 0)
    }

    /// The first element of the list argument equal to the value argument, counting from
    /// `base`; NULL when none is. Serves Snowflake's ARRAY_POSITION and DuckDB's LIST_POSITION,
    /// which differ in argument order and base.
    static func firstPosition(_ input: KernelInput, value: Int, list: Int, base: Int64) -> ColumnData {
        let v = input.text(value), l = lists(input.arguments[list]), n = input.count
        var out = [Int64](repeating: 0, count: n)
        var validity = ValidityBitmap(allValid: n)
        for i in 0..<n {
            var found = -1
            if !input.skips(i) {
                v.withValueBytes(i) { x in
                    for e in Int(l.offsets[i])..<Int(l.offsets[i + 1]) where l.values.withValueBytes(e, { $0.elementsEqual(x) }) {
                        found = e - Int(l.offsets[i])
                        break
                    }
                }
            }
            if found >= 0 { out[i] = Int64(found) + base } else { validity.setValid(i, false) }
        }
        return ColumnData(type: .int64, storage: .int64(out), validity: validity)
    }

    /// GET(list, i): element i, counting from 0 (Snowflake); NULL past either end.
    private static func element(_ input: KernelInput) -> ColumnData {
        let l = lists(input.arguments[0]), index = ColumnAccess.int64s(input.arguments[1])
        var out = StringArray()
        var validity = ValidityBitmap(allValid: input.count)
        for r in 0..<input.count {
            let lo = Int64(l.offsets[r]), hi = Int64(l.offsets[r + 1])
            if input.skips(r) || index[r] < 0 || index[r] >= hi - lo {
                out.append("")
                validity.setValid(r, false)
                continue
            }
            l.values.withValueBytes(Int(lo + index[r])) { out.append(bytes: $0) }
        }
        return ColumnData(type: .varchar, storage: .varchar(out), validity: validity)
    }

    /// ARRAY_TO_STRING(list, separator): the elements joined.
    private static func joined(_ input: KernelInput) -> ColumnData {
        let l = lists(input.arguments[0]), separators = input.text(1)
        var out = StringArray()
        for r in 0..<input.count {
            if input.skips(r) { out.append(""); continue }
            let parts = (Int(l.offsets[r])..<Int(l.offsets[r + 1])).map { l.values[$0] }
            out.append(parts.joined(separator: separators[r]))
        }
        return ColumnData(type: .varchar, storage: .varchar(out))
    }

    /// Rebuilds lists from each row's chosen element indexes (into `l.values`).
    static func rebuilt(_ l: StringListArray, _ input: KernelInput, _ choose: (Int, Range<Int>) -> [Int]) -> ColumnData {
        var offsets: [UInt32] = [0]
        var values = StringArray()
        for r in 0..<input.count {
            if !input.skips(r) {
                for e in choose(r, Int(l.offsets[r])..<Int(l.offsets[r + 1])) { l.values.withValueBytes(e) { values.append(bytes: $0) } }
            }
            offsets.append(UInt32(values.count))
        }
        return ColumnData(type: .listVarchar, storage: .listVarchar(StringListArray(offsets: offsets, values: values)))
    }

    /// ARRAY_SLICE(list, from, to): elements from `from` up to before `to`, counting from 0;
    /// a negative position counts from the end (Snowflake).
    private static func slice(_ input: KernelInput) -> ColumnData {
        let l = lists(input.arguments[0])
        let from = ColumnAccess.int64s(input.arguments[1]), to = ColumnAccess.int64s(input.arguments[2])
        return rebuilt(l, input) { r, range in
            let n = Int64(range.count)
            func clamp(_ p: Int64) -> Int64 { max(0, min(n, p < 0 ? n + p : p)) }
            let a = clamp(from[r]), b = clamp(to[r])
            return a < b ? Array((range.lowerBound + Int(a))..<(range.lowerBound + Int(b))) : []
        }
    }

    /// ARRAY_DISTINCT(list): each element once, in the order of first appearance.
    private static func distinct(_ input: KernelInput) -> ColumnData {
        let l = lists(input.arguments[0])
        return rebuilt(l, input) { _, range in
            var seen = Set<String>()
            return range.filter { seen.insert(l.values[$0]).inserted }
        }
    }

    /// ARRAY_CONSTRUCT(a, b, ...): the arguments as text, in order. Lists hold no NULL
    /// elements yet: a NULL argument is left out (Snowflake's ARRAY_CONSTRUCT_COMPACT).
    private static func construct(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let columns = try input.arguments.map { (c) throws(SQLError) in try ExpressionEvaluator.cast(c, to: .varchar).flattened() }
        let texts = columns.map(ColumnAccess.strings)
        var offsets: [UInt32] = [0]
        offsets.reserveCapacity(input.count + 1)
        var values = StringArray()
        for r in 0..<input.count {
            for (k, c) in columns.enumerated() where !c.isNull(r) {
                texts[k].withValueBytes(r) { values.append(bytes: $0) }
            }
            offsets.append(UInt32(values.count))
        }
        return ColumnData(type: .listVarchar, storage: .listVarchar(StringListArray(offsets: offsets, values: values)))
    }

    /// SPLIT(text, separator): the pieces between occurrences of the separator, by bytes; an
    /// empty separator gives the whole text as the one piece.
    private static func split(_ input: KernelInput) -> ColumnData {
        let s = input.text(0), seps = input.text(1), n = input.count
        var offsets: [UInt32] = [0]
        offsets.reserveCapacity(n + 1)
        var values = StringArray()
        values.bytes.reserveCapacity(s.bytes.count)
        for i in 0..<n {
            if !input.skips(i) {
                s.withValueBytes(i) { hay in
                    seps.withValueBytes(i) { sep in
                        var start = 0
                        if sep.count > 0 {
                            while let k = UTF8Text.find(sep, in: hay, from: start) {
                                values.append(bytes: UTF8Text.slice(hay, start..<k))
                                start = k + sep.count
                            }
                        }
                        values.append(bytes: UTF8Text.slice(hay, start..<hay.count))
                    }
                }
            }
            offsets.append(UInt32(values.count))
        }
        return ColumnData(type: .listVarchar, storage: .listVarchar(StringListArray(offsets: offsets, values: values)))
    }

    static func lists(_ c: ColumnData) -> StringListArray {
        if case .listVarchar(let l) = c.flattened().storage { return l }
        return StringListArray(offsets: [UInt32](repeating: 0, count: c.count + 1), values: StringArray())
    }

    static func size(_ input: KernelInput) -> ColumnData {
        let l = lists(input.arguments[0])
        let out = (0..<input.count).map { Int64(l.offsets[$0 + 1] - l.offsets[$0]) }
        return ColumnData(type: .int64, storage: .int64(out))
    }

    /// ARRAY_CONTAINS(value, list): whether some element equals the value.
    private static func contains(_ input: KernelInput) -> ColumnData {
        let v = input.text(0), l = lists(input.arguments[1]), n = input.count
        var out = [Bool](repeating: false, count: n)
        for i in 0..<n where !input.skips(i) {
            v.withValueBytes(i) { x in
                for e in Int(l.offsets[i])..<Int(l.offsets[i + 1]) where l.values.withValueBytes(e, { $0.elementsEqual(x) }) {
                    out[i] = true
                    break
                }
            }
        }
        return ColumnData(type: .boolean, storage: .boolean(out))
    }
}
