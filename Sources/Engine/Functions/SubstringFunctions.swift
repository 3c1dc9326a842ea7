// Functions that cut or pad text by character position: SUBSTR, LEFT, RIGHT, LPAD, RPAD.
// Characters are Unicode code points (as in Snowflake and DuckDB), found by scanning the
// UTF-8 bytes; an ASCII value needs no scan.

import Columnar

enum SubstringFunctions {
    static let all: [ScalarFunction] = [
        ScalarFunction("substr", aliases: ["substring"], [
            FunctionSignature([.type(.varchar), .type(.int64), .type(.int64)], optional: 1, returns: .type(.varchar), kernel: substr),
        ]),
        ScalarFunction("left", [FunctionSignature([.type(.varchar), .type(.int64)], returns: .type(.varchar),
                                                  kernel: { (input) throws(SQLError) in try ends(input, left: true) })]),
        ScalarFunction("right", [FunctionSignature([.type(.varchar), .type(.int64)], returns: .type(.varchar),
                                                   kernel: { (input) throws(SQLError) in try ends(input, left: false) })]),
        ScalarFunction("lpad", canFail: true, [FunctionSignature([.type(.varchar), .type(.int64), .type(.varchar)],
                                                                 returns: .type(.varchar), kernel: { (input) throws(SQLError) in try pad(input, left: true) })]),
        ScalarFunction("rpad", canFail: true, [FunctionSignature([.type(.varchar), .type(.int64), .type(.varchar)],
                                                                 returns: .type(.varchar), kernel: { (input) throws(SQLError) in try pad(input, left: false) })]),
    ]

    /// The characters `SUBSTR(text, start, length)` takes from a text of `count` characters:
    /// positions from 1, a negative start counting from the end, 0 read as 1; computed without
    /// overflow for any start and length.
    static func substringRange(count: Int, start: Int, length: Int?) -> Range<Int> {
        var first = start  // 1-based
        if first < 0 { first = count + first + 1 } else if first == 0 { first = 1 }
        let lo = min(max(first - 1, 0), count)
        guard let length else { return lo..<count }
        guard length > 0 else { return lo..<lo }
        // The end is start - 1 + length, clamped: computed so that neither step overflows.
        let end = first - 1 > count - length ? count : max(first - 1 + length, lo)
        return lo..<min(max(end, lo), count)
    }

    /// Characters `range` of `b`; `starts` is scratch space for non-ASCII values.
    @inline(__always)
    private static func characters(_ b: UnsafeRawBufferPointer, _ range: (Int) -> Range<Int>,
                                   _ starts: inout [Int]) -> UnsafeRawBufferPointer {
        if UTF8Text.isASCII(b) { return UTF8Text.slice(b, range(b.count)) }
        UTF8Text.starts(b, into: &starts)
        let r = range(starts.count)
        guard r.lowerBound < r.upperBound else { return UTF8Text.slice(b, 0..<0) }
        let from = starts[r.lowerBound], to = r.upperBound < starts.count ? starts[r.upperBound] : b.count
        return UTF8Text.slice(b, from..<to)
    }

    /// SUBSTR(text, start[, length]): the release year out of every title.
    private static func substr(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let s = input.text(0), n = input.count
        let starts = ColumnAccess.int64s(input.arguments[1])
        let lengths = input.arguments.count > 2 ? ColumnAccess.int64s(input.arguments[2]) : nil
        var out = TextBuilder(function: "substr", count: n, reserving: s.bytes.count)
        var scratch: [Int] = []
        for i in 0..<n {
            if !input.skips(i) {
                let start = Int(starts[i]), length = lengths.map { Int($0[i]) }
                s.withValueBytes(i) { b in
                    out.append(characters(b, { substringRange(count: $0, start: start, length: length) }, &scratch))
                }
            }
            try out.endValue()
        }
        return out.finish()
    }

    /// LEFT / RIGHT(text, n): the first or last n characters (none for n <= 0).
    private static func ends(_ input: KernelInput, left: Bool) throws(SQLError) -> ColumnData {
        let s = input.text(0), n = input.count
        let counts = ColumnAccess.int64s(input.arguments[1])
        var out = TextBuilder(function: left ? "left" : "right", count: n, reserving: s.bytes.count)
        var scratch: [Int] = []
        for i in 0..<n {
            if !input.skips(i) {
                let k = Int(max(0, counts[i]))
                s.withValueBytes(i) { b in
                    out.append(characters(b, { c in left ? 0..<min(k, c) : (c - min(k, c))..<c }, &scratch))
                }
            }
            try out.endValue()
        }
        return out.finish()
    }

    /// LPAD / RPAD(text, width, fill): the text cut or filled to `width` characters (the
    /// fill repeated as needed; an empty fill only cuts). A width past the longest value a
    /// text may hold is an error, a width <= 0 the empty text.
    private static func pad(_ input: KernelInput, left: Bool) throws(SQLError) -> ColumnData {
        let s = input.text(0), fill = input.text(2), n = input.count
        let widths = ColumnAccess.int64s(input.arguments[1])
        let name = left ? "lpad" : "rpad"
        var out = TextBuilder(function: name, count: n, reserving: s.bytes.count)
        var textStarts: [Int] = [], fillStarts: [Int] = []
        for i in 0..<n {
            if !input.skips(i) {
                let width = widths[i]
                guard width <= Int64(TextBuilder.maxValueBytes) else {
                    throw SQLError(.runtime, "\(name.uppercased()) to \(width) characters passes the longest text a value may hold (\(TextBuilder.maxValueBytes) bytes)")
                }
                let w = Int(max(0, width))
                s.withValueBytes(i) { b in
                    fill.withValueBytes(i) { f in
                        UTF8Text.starts(b, into: &textStarts)
                        let have = textStarts.count
                        if have >= w || f.isEmpty {
                            out.append(UTF8Text.slice(b, 0..<(w < have ? textStarts[w] : b.count)))
                            return
                        }
                        UTF8Text.starts(f, into: &fillStarts)
                        if !left { out.append(b) }
                        // The fill: whole copies, then the first characters of one more.
                        let missing = w - have, copies = missing / fillStarts.count, rest = missing % fillStarts.count
                        for _ in 0..<copies { out.append(f) }
                        out.append(UTF8Text.slice(f, 0..<(rest < fillStarts.count ? fillStarts[rest] : f.count)))
                        if left { out.append(b) }
                    }
                }
            }
            try out.endValue()
        }
        return out.finish()
    }
}
