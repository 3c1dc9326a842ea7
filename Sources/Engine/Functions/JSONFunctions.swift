// Semi-structured data as JSON text (see `JSONText`): Snowflake's PARSE_JSON / TRY_PARSE_JSON,
// the `v:a.b[0]` path operator (GET_PATH), JSON_EXTRACT_PATH_TEXT and OBJECT_CONSTRUCT;
// DuckDB's JSON_EXTRACT, JSON_EXTRACT_STRING and JSON_VALID. A value read by a path comes out
// as text: a string without its quotes (so `v:name::VARCHAR` and `v:n::INT` read as
// Snowflake's do), an object or array as its JSON, a JSON null as NULL.

import Columnar

enum JSONFunctions {
    static let all: [ScalarFunction] = [
        ScalarFunction("parse_json", aliases: ["json"], canFail: true, [
            FunctionSignature([.type(.varchar)], returns: .type(.varchar)) { (input) throws(SQLError) in try parse(input, orNull: false) },
        ]),
        ScalarFunction("try_parse_json", [
            FunctionSignature([.type(.varchar)], returns: .type(.varchar)) { (input) throws(SQLError) in try parse(input, orNull: true) },
        ]),
        ScalarFunction("json_valid", aliases: ["is_json"], [
            FunctionSignature([.type(.varchar)], returns: .type(.boolean)) { input in
                let texts = input.text(0)
                return ColumnData(type: .boolean, storage: .boolean((0..<input.count).map { r in
                    !input.skips(r) && texts.withValueBytes(r) { JSONText.isValid($0) }
                }))
            },
        ]),
        // The `:` operator: text that is not JSON is a string a path finds nothing in (a
        // FLATTEN's string element, an earlier path's string), not an error.
        ScalarFunction("get_path", canFail: true, [
            FunctionSignature([.type(.varchar), .type(.varchar)], returns: .type(.varchar)) { (input) throws(SQLError) in
                try extract(input, function: "get_path", asText: true, strict: false)
            },
        ]),
        ScalarFunction("json_extract_path_text", aliases: ["json_extract_string", "json_extract_scalar"], canFail: true, [
            FunctionSignature([.type(.varchar), .type(.varchar)], returns: .type(.varchar)) { (input) throws(SQLError) in
                try extract(input, function: "json_extract_path_text", asText: true, strict: true)
            },
        ]),
        ScalarFunction("json_extract", canFail: true, [
            FunctionSignature([.type(.varchar), .type(.varchar)], returns: .type(.varchar)) { (input) throws(SQLError) in
                try extract(input, function: "json_extract", asText: false, strict: true)
            },
        ]),
        ScalarFunction(elementsName, canFail: true, [
            FunctionSignature([.type(.varchar)], returns: .type(.listVarchar), kernel: elements),
        ]),
        ScalarFunction("object_construct", nulls: .kernel, canFail: true, [
            FunctionSignature([.any], variadic: true, returns: .type(.varchar), kernel: objectConstruct),
        ]),
    ]

    /// FLATTEN over JSON text: an array's elements (an object's values), each as a path would
    /// read it; a scalar has none.
    static let elementsName = "\u{1}json_elements"

    private static func elements(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let texts = input.text(0)
        var offsets: [UInt32] = [0]
        var values = StringArray()
        var buffer: [UInt8] = []
        for r in 0..<input.count {
            if !input.skips(r) {
                let valid = texts.withValueBytes(r) { b -> Bool in
                    guard JSONText.isValid(b) else { return false }
                    var i = JSONText.skipSpace(b, 0)
                    let open = b[i]
                    guard open == UInt8(ascii: "[") || open == UInt8(ascii: "{") else { return true }
                    i = JSONText.skipSpace(b, i + 1)
                    while i < b.count && b[i] != UInt8(ascii: "]") && b[i] != UInt8(ascii: "}") {
                        if open == UInt8(ascii: "{"), let k = JSONText.skipString(b, i) { i = JSONText.skipSpace(b, JSONText.skipSpace(b, k) + 1) }
                        guard let end = JSONText.skipValue(b, i) else { return false }
                        buffer.removeAll(keepingCapacity: true)
                        if b[i] == UInt8(ascii: "\"") {
                            JSONText.unescaped(b, i..<end, into: &buffer)
                        } else {
                            JSONText.minified(UnsafeRawBufferPointer(rebasing: b[i..<end]), into: &buffer)
                        }
                        buffer.withUnsafeBytes { values.append(bytes: $0) }
                        i = JSONText.skipSpace(b, end)
                        if i < b.count && b[i] == UInt8(ascii: ",") { i = JSONText.skipSpace(b, i + 1) }
                    }
                    return true
                }
                guard valid else { throw SQLError(.runtime, "FLATTEN: not valid JSON: '\(preview(texts[r]))'") }
            }
            offsets.append(UInt32(truncatingIfNeeded: values.count))
        }
        return ColumnData(type: .listVarchar, storage: .listVarchar(StringListArray(offsets: offsets, values: values)))
    }

    private static func parse(_ input: KernelInput, orNull: Bool) throws(SQLError) -> ColumnData {
        let texts = input.text(0)
        var out = TextBuilder(function: "parse_json", count: input.count)
        var buffer: [UInt8] = []
        for r in 0..<input.count {
            if input.skips(r) || texts.withValueBytes(r, { JSONText.skipSpace($0, 0) == $0.count }) {
                out.endNull()  // empty text: NULL, as Snowflake's PARSE_JSON('')
                continue
            }
            let valid = texts.withValueBytes(r) { b -> Bool in
                guard JSONText.isValid(b) else { return false }
                buffer.removeAll(keepingCapacity: true)
                JSONText.minified(b, into: &buffer)
                return true
            }
            guard valid else {
                if orNull { out.endNull(); continue }
                throw SQLError(.runtime, "PARSE_JSON: not valid JSON: '\(preview(texts[r]))'")
            }
            buffer.withUnsafeBytes { out.append($0) }
            try out.endValue()
        }
        return out.finish()
    }

    /// The element at the path (argument 1) of each document (argument 0).
    private static func extract(_ input: KernelInput, function: String, asText: Bool, strict: Bool) throws(SQLError) -> ColumnData {
        let documents = input.text(0), paths = input.text(1)
        let constantPath = input.constantText(1).map { ($0, JSONText.path($0)) }
        var out = TextBuilder(function: function, count: input.count)
        var buffer: [UInt8] = []
        for r in 0..<input.count {
            if input.skips(r) { out.endNull(); continue }
            let text = constantPath?.0 ?? paths[r]
            guard let path = constantPath?.1 ?? JSONText.path(text) else {
                throw SQLError(.runtime, "\(function.uppercased()): not a JSON path: '\(preview(text))'")
            }
            let found = documents.withValueBytes(r) { b -> Bool? in
                guard JSONText.isValid(b) else { return nil }
                guard let range = JSONText.find(b, path) else { return false }
                buffer.removeAll(keepingCapacity: true)
                if asText && b[range.lowerBound] == UInt8(ascii: "n") { return false }  // JSON null: SQL NULL as text
                if asText && b[range.lowerBound] == UInt8(ascii: "\"") {
                    JSONText.unescaped(b, range, into: &buffer)
                } else {
                    JSONText.minified(UnsafeRawBufferPointer(rebasing: b[range]), into: &buffer)
                }
                return true
            }
            guard let found else {
                if !strict { out.endNull(); continue }
                throw SQLError(.runtime, "\(function.uppercased()): not valid JSON: '\(preview(documents[r]))'")
            }
            if !found { out.endNull(); continue }
            buffer.withUnsafeBytes { out.append($0) }
            try out.endValue()
        }
        return out.finish()
    }

    /// OBJECT_CONSTRUCT(key, value, ...): an object of the pairs, without those whose value is
    /// NULL (as Snowflake); numbers and booleans as themselves, other values as strings.
    private static func objectConstruct(_ input: KernelInput) throws(SQLError) -> ColumnData {
        guard input.arguments.count % 2 == 0 else {
            throw SQLError(.runtime, "OBJECT_CONSTRUCT takes keys and values in pairs, got \(input.arguments.count) arguments")
        }
        var out = TextBuilder(function: "object_construct", count: input.count)
        for r in 0..<input.count {
            var text = "{"
            for p in stride(from: 0, to: input.arguments.count, by: 2) {
                let key = input.arguments[p].value(at: r), value = input.arguments[p + 1].value(at: r)
                guard !value.isNull else { continue }
                guard case .string(let name) = key else {
                    if key.isNull { continue }
                    throw SQLError(.runtime, "OBJECT_CONSTRUCT: a key must be text, got \(key)")
                }
                if text.count > 1 { text += "," }
                text += Value.jsonString(name) + ":" + value.jsonText
            }
            out.append(text + "}")
            try out.endValue()
        }
        return out.finish()
    }

    /// The start of a long value, for an error message.
    private static func preview(_ s: String) -> String { s.count > 60 ? String(s.prefix(60)) + "..." : s }
}
