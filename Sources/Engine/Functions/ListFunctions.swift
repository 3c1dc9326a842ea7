// Functions over VARCHAR lists: SPLIT makes one, ARRAY_SIZE and ARRAY_CONTAINS read one.
// Lists come out in the Arrow layout (offsets into one column of strings), built straight
// from the text's bytes.

import Columnar

enum ListFunctions {
    static let all: [ScalarFunction] = [
        ScalarFunction("split", aliases: ["string_split", "str_split"], [
            FunctionSignature([.type(.varchar), .type(.varchar)], returns: .type(.listVarchar), kernel: split),
        ]),
        ScalarFunction("array_size", aliases: ["array_length"], [
            FunctionSignature([.type(.listVarchar)], returns: .type(.int64), kernel: size),
        ]),
        ScalarFunction("array_contains", [
            FunctionSignature([.type(.varchar), .type(.listVarchar)], returns: .type(.boolean), kernel: contains),
        ]),
    ]

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

    private static func lists(_ c: ColumnData) -> StringListArray {
        if case .listVarchar(let l) = c.flattened().storage { return l }
        return StringListArray(offsets: [UInt32](repeating: 0, count: c.count + 1), values: StringArray())
    }

    private static func size(_ input: KernelInput) -> ColumnData {
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
