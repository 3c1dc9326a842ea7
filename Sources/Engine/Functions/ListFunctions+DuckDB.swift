// DuckDB's list functions, which count from 1 where Snowflake's ARRAY_ functions count from
// 0: LIST_EXTRACT / LIST_ELEMENT / ARRAY_EXTRACT(list, i) and LIST_SLICE(list, begin, end)
// (both ends included, negative from the end), LIST_POSITION / LIST_INDEXOF(list, x); and the
// ones Snowflake lacks or spells otherwise: LIST_SORT / ARRAY_SORT, LIST_REVERSE_SORT,
// LIST_REVERSE, LIST_HAS_ANY / ARRAYS_OVERLAP, LIST_HAS_ALL, LIST_UNIQUE. Elements are text,
// so sorting compares bytes, as DuckDB sorts a VARCHAR list.

import Columnar

enum DuckDBListFunctions {
    static let all: [ScalarFunction] = [
        ScalarFunction("list_extract", aliases: ["list_element", "array_extract"], [
            FunctionSignature([.type(.listVarchar), .type(.int64)], returns: .type(.varchar), kernel: extract),
        ]),
        ScalarFunction("list_slice", [
            FunctionSignature([.type(.listVarchar), .type(.int64), .type(.int64)], returns: .type(.listVarchar), kernel: slice),
        ]),
        ScalarFunction("list_position", aliases: ["list_indexof", "array_indexof"], [
            FunctionSignature([.type(.listVarchar), .type(.varchar)], returns: .type(.int64), kernel: position),
        ]),
        // LIST_SORT(list [, 'ASC' | 'DESC' [, nulls]]); Snowflake's ARRAY_SORT(array [, ascending
        // [, nulls_first]]) with a BOOLEAN. Lists hold no NULLs, so the NULL order changes nothing.
        ScalarFunction("list_sort", aliases: ["array_sort"], canFail: true, [
            FunctionSignature([.type(.listVarchar), .type(.varchar), .type(.varchar)], optional: 2, returns: .type(.listVarchar), kernel: sort),
            FunctionSignature([.type(.listVarchar), .type(.boolean), .type(.boolean)], optional: 1, returns: .type(.listVarchar), kernel: sort),
        ]),
        ScalarFunction("list_reverse_sort", aliases: ["array_reverse_sort"], [
            FunctionSignature([.type(.listVarchar)], returns: .type(.listVarchar)) { input in sorted(input) { _ in false } },
        ]),
        ScalarFunction("list_reverse", aliases: ["array_reverse"], [
            FunctionSignature([.type(.listVarchar)], returns: .type(.listVarchar)) { input in
                ListFunctions.rebuilt(ListFunctions.lists(input.arguments[0]), input) { _, range in range.reversed() }
            },
        ]),
        ScalarFunction("list_has_any", aliases: ["array_has_any", "arrays_overlap"], [
            FunctionSignature([.type(.listVarchar), .type(.listVarchar)], returns: .type(.boolean)) { input in contains(input, all: false) },
        ]),
        ScalarFunction("list_has_all", aliases: ["array_has_all"], [
            FunctionSignature([.type(.listVarchar), .type(.listVarchar)], returns: .type(.boolean)) { input in contains(input, all: true) },
        ]),
        ScalarFunction("list_unique", aliases: ["array_unique"], [
            FunctionSignature([.type(.listVarchar)], returns: .type(.int64), kernel: unique),
        ]),
    ]

    /// LIST_EXTRACT(list, i): element i counting from 1, -1 the last; NULL for 0 and past
    /// either end.
    private static func extract(_ input: KernelInput) -> ColumnData {
        let l = ListFunctions.lists(input.arguments[0]), index = ColumnAccess.int64s(input.arguments[1])
        var out = StringArray()
        var validity = ValidityBitmap(allValid: input.count)
        for r in 0..<input.count {
            let lo = Int64(l.offsets[r]), n = Int64(l.offsets[r + 1]) - lo
            let i = index[r] > 0 ? index[r] - 1 : n + index[r]
            if input.skips(r) || index[r] == 0 || i < 0 || i >= n {
                out.append("")
                validity.setValid(r, false)
                continue
            }
            l.values.withValueBytes(Int(lo + i)) { out.append(bytes: $0) }
        }
        return ColumnData(type: .varchar, storage: .varchar(out), validity: validity)
    }

    /// LIST_SLICE(list, begin, end): elements begin through end, counting from 1; a negative
    /// bound counts from the end (-1 the last), a begin before the first starts at the first.
    private static func slice(_ input: KernelInput) -> ColumnData {
        let l = ListFunctions.lists(input.arguments[0])
        let begin = ColumnAccess.int64s(input.arguments[1]), end = ColumnAccess.int64s(input.arguments[2])
        return ListFunctions.rebuilt(l, input) { r, range in
            let n = Int64(range.count)
            let b = max(1, begin[r] < 0 ? n + begin[r] + 1 : begin[r])
            let e = min(n, end[r] < 0 ? n + end[r] + 1 : end[r])
            return b <= e ? Array((range.lowerBound + Int(b) - 1)..<(range.lowerBound + Int(e))) : []
        }
    }

    /// LIST_POSITION(list, x): the first element equal to x, counting from 1; NULL when none is.
    private static func position(_ input: KernelInput) -> ColumnData {
        ListFunctions.firstPosition(input, value: 1, list: 0, base: 1)
    }

    /// LIST_SORT / ARRAY_SORT: the order from 'ASC' / 'DESC' or Snowflake's BOOLEAN.
    private static func sort(_ input: KernelInput) throws(SQLError) -> ColumnData {
        guard input.arguments.count > 1 else { return sorted(input) { _ in true } }
        let order = input.arguments[1]
        if order.type == .boolean {
            let ascending = ColumnAccess.bools(order)
            return sorted(input) { ascending[$0] }
        }
        let words = ColumnAccess.strings(order)
        for r in 0..<input.count where !input.skips(r) {
            guard ["ASC", "DESC"].contains(words[r].uppercased()) else {
                throw SQLError(.runtime, "LIST_SORT: the order is 'ASC' or 'DESC', not '\(words[r])'")
            }
        }
        return sorted(input) { words[$0].uppercased() == "ASC" }
    }

    /// Each row's elements sorted by their bytes, ascending where `ascending(row)`.
    private static func sorted(_ input: KernelInput, ascending: (Int) -> Bool) -> ColumnData {
        let l = ListFunctions.lists(input.arguments[0])
        return ListFunctions.rebuilt(l, input) { r, range in
            let up = ascending(r)
            return range.sorted { a, b in
                let (first, second) = up ? (a, b) : (b, a)
                return l.values.withValueBytes(first) { x in l.values.withValueBytes(second) { y in x.lexicographicallyPrecedes(y) } }
            }
        }
    }

    /// LIST_HAS_ANY (some element of the second list is in the first) / LIST_HAS_ALL (every one is).
    private static func contains(_ input: KernelInput, all: Bool) -> ColumnData {
        let a = ListFunctions.lists(input.arguments[0]), b = ListFunctions.lists(input.arguments[1]), n = input.count
        var out = [Bool](repeating: false, count: n)
        for r in 0..<n where !input.skips(r) {
            let present = Set((Int(a.offsets[r])..<Int(a.offsets[r + 1])).map { a.values[$0] })
            let wanted = (Int(b.offsets[r])..<Int(b.offsets[r + 1])).map { b.values[$0] }
            out[r] = all ? wanted.allSatisfy(present.contains) : wanted.contains(where: present.contains)
        }
        return ColumnData(type: .boolean, storage: .boolean(out))
    }

    /// LIST_UNIQUE(list): how many distinct elements.
    private static func unique(_ input: KernelInput) -> ColumnData {
        let l = ListFunctions.lists(input.arguments[0])
        let out = (0..<input.count).map { r in Int64(Set((Int(l.offsets[r])..<Int(l.offsets[r + 1])).map { l.values[$0] }).count) }
        return ColumnData(type: .int64, storage: .int64(out))
    }
}
