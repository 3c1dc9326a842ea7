// How alike two texts are, character (code point) by character, as DuckDB computes it:
// EDITDISTANCE / LEVENSHTEIN, DAMERAU_LEVENSHTEIN (adjacent swaps count one, Lowrance and
// Wagner's unrestricted form), HAMMING / MISMATCHES, JARO_SIMILARITY, JARO_WINKLER_SIMILARITY
// (prefix weight 0.1 over at most 4 characters, applied above 0.7) and JACCARD (of the sets of
// characters).

import Columnar

enum StringSimilarity {
    static let all: [ScalarFunction] = [
        ScalarFunction("editdistance", aliases: ["levenshtein"], [pair(.int64) { a, b in .int(Int64(levenshtein(a, b))) }]),
        ScalarFunction("damerau_levenshtein", [pair(.int64) { a, b in .int(Int64(damerauLevenshtein(a, b))) }]),
        ScalarFunction("hamming", aliases: ["mismatches"], canFail: true, [
            FunctionSignature([.type(.varchar), .type(.varchar)], returns: .type(.int64)) { (input) throws(SQLError) in
                let a = input.text(0), b = input.text(1)
                var out = [Int64](repeating: 0, count: input.count)
                for i in 0..<input.count where !input.skips(i) {
                    let x = Array(a[i].unicodeScalars), y = Array(b[i].unicodeScalars)
                    guard x.count == y.count else {
                        throw SQLError(.runtime, "HAMMING needs texts of equal length ('\(a[i])' has \(x.count) characters, '\(b[i])' \(y.count))")
                    }
                    out[i] = Int64(zip(x, y).count { $0 != $1 })
                }
                return ColumnData(type: .int64, storage: .int64(out))
            },
        ]),
        ScalarFunction("jaro_similarity", [scored { a, b in jaro(a, b) }]),
        ScalarFunction("jaro_winkler_similarity", [scored { a, b in
            let j = jaro(a, b)
            guard j > 0.7 else { return j }
            let prefix = zip(a.prefix(4), b.prefix(4)).prefix { $0 == $1 }.count
            return j + Double(prefix) * 0.1 * (1 - j)
        }]),
        ScalarFunction("jaccard", canFail: true, [
            FunctionSignature([.type(.varchar), .type(.varchar)], returns: .type(.double)) { (input) throws(SQLError) in
                let a = input.text(0), b = input.text(1)
                var out = [Double](repeating: 0, count: input.count)
                for i in 0..<input.count where !input.skips(i) {
                    let x = Set(a[i].unicodeScalars), y = Set(b[i].unicodeScalars)
                    guard !x.isEmpty && !y.isEmpty else { throw SQLError(.runtime, "JACCARD needs texts of at least one character") }
                    out[i] = Double(x.intersection(y).count) / Double(x.union(y).count)
                }
                return ColumnData(type: .double, storage: .double(out))
            },
        ]),
    ]

    /// Two texts to a value of `type`, row by row, as code points.
    private static func pair(_ type: LogicalType, _ f: @escaping @Sendable ([Unicode.Scalar], [Unicode.Scalar]) -> Value) -> FunctionSignature {
        FunctionSignature([.type(.varchar), .type(.varchar)], returns: .type(type)) { input in
            let a = input.text(0), b = input.text(1)
            var out = ColumnBuilder(type: type, capacity: input.count)
            for i in 0..<input.count {
                if input.skips(i) { out.appendNull(); continue }
                out.append(f(Array(a[i].unicodeScalars), Array(b[i].unicodeScalars)))
            }
            return out.finish()
        }
    }

    /// A similarity in 0 ... 1, with DuckDB's optional cutoff: below it, 0.
    private static func scored(_ f: @escaping @Sendable ([Unicode.Scalar], [Unicode.Scalar]) -> Double) -> FunctionSignature {
        FunctionSignature([.type(.varchar), .type(.varchar), .type(.double)], optional: 1, returns: .type(.double)) { input in
            let a = input.text(0), b = input.text(1)
            let cutoff = input.arguments.count > 2 ? ColumnAccess.doubles(input.arguments[2]) : nil
            var out = [Double](repeating: 0, count: input.count)
            for i in 0..<input.count where !input.skips(i) {
                let s = f(Array(a[i].unicodeScalars), Array(b[i].unicodeScalars))
                out[i] = s >= (cutoff?[i] ?? 0) ? s : 0
            }
            return ColumnData(type: .double, storage: .double(out))
        }
    }

    /// Insertions, deletions and substitutions that turn x into y; one row of the table at a time.
    static func levenshtein(_ x: [Unicode.Scalar], _ y: [Unicode.Scalar]) -> Int {
        var row = Array(0...y.count)
        for (p, u) in x.enumerated() {
            var diagonal = row[0]
            row[0] = p + 1
            for (q, v) in y.enumerated() {
                let next = min(row[q + 1] + 1, row[q] + 1, diagonal + (u == v ? 0 : 1))
                diagonal = row[q + 1]
                row[q + 1] = next
            }
        }
        return row[y.count]
    }

    /// Levenshtein with a swap of two characters counting one, however far apart the edits
    /// that follow it are (the unrestricted distance, not optimal string alignment).
    static func damerauLevenshtein(_ x: [Unicode.Scalar], _ y: [Unicode.Scalar]) -> Int {
        let m = x.count, n = y.count
        let infinity = m + n
        // d[(i + 1) * (n + 2) + (j + 1)] is the distance of x[..<i] and y[..<j]; row and column
        // 0 hold the sentinel.
        let width = n + 2
        var d = [Int](repeating: 0, count: (m + 2) * width)
        d[0] = infinity
        for i in 0...m { d[(i + 1) * width] = infinity; d[(i + 1) * width + 1] = i }
        for j in 0...n { d[j + 1] = infinity; d[width + j + 1] = j }
        var lastRow: [Unicode.Scalar: Int] = [:]
        for i in 1...max(1, m) where m > 0 {
            var lastColumn = 0
            for j in 1...max(1, n) where n > 0 {
                let k = lastRow[y[j - 1]] ?? 0, l = lastColumn
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                if cost == 0 { lastColumn = j }
                d[(i + 1) * width + j + 1] = min(d[i * width + j] + cost, d[(i + 1) * width + j] + 1, d[i * width + j + 1] + 1,
                                                 d[k * width + l] + (i - k - 1) + 1 + (j - l - 1))
            }
            lastRow[x[i - 1]] = i
        }
        return d[(m + 1) * width + n + 1]
    }

    /// Jaro's similarity: characters that match within half the longer length (less one),
    /// and half the matches that are out of order.
    static func jaro(_ x: [Unicode.Scalar], _ y: [Unicode.Scalar]) -> Double {
        guard !x.isEmpty && !y.isEmpty else { return 0 }
        let window = max(0, max(x.count, y.count) / 2 - 1)
        var xMatched = [Bool](repeating: false, count: x.count), yMatched = [Bool](repeating: false, count: y.count)
        var matches = 0
        for i in 0..<x.count {
            let lo = max(0, i - window), hi = min(y.count - 1, i + window)
            guard lo <= hi else { continue }
            for j in lo...hi where !yMatched[j] && x[i] == y[j] {
                xMatched[i] = true
                yMatched[j] = true
                matches += 1
                break
            }
        }
        guard matches > 0 else { return 0 }
        var transpositions = 0, j = 0
        for i in 0..<x.count where xMatched[i] {
            while !yMatched[j] { j += 1 }
            if x[i] != y[j] { transpositions += 1 }
            j += 1
        }
        let m = Double(matches)
        return (m / Double(x.count) + m / Double(y.count) + (m - Double(transpositions / 2)) / m) / 3
    }
}
