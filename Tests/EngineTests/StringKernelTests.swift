// The byte-level ASCII paths of LOWER, UPPER, INITCAP, LENGTH and TRIM agree with Swift's
// Unicode-aware String on random ASCII and mixed values, called through the registry as
// SQL calls them.

import Columnar
@testable import Engine
import Testing
import TestSupport

@Suite struct StringKernelTests {
    static func expected(_ function: String, _ v: String) -> Value {
        func trimmed(left: Bool, right: Bool) -> Value {
            var s = Substring(v)
            if left { while s.first == " " { s.removeFirst() } }
            if right { while s.last == " " { s.removeLast() } }
            return .string(String(s))
        }
        switch function {
        case "lower": return .string(v.lowercased())
        case "upper": return .string(v.uppercased())
        case "initcap": return .string(Initcap.apply(v))
        case "length": return .int(Int64(v.unicodeScalars.count))
        case "trim": return trimmed(left: true, right: true)
        case "ltrim": return trimmed(left: true, right: false)
        default: return trimmed(left: false, right: true)
        }
    }

    @Test(arguments: ["lower", "upper", "initcap", "length", "trim", "ltrim", "rtrim"])
    func asciiKernelMatchesUnicodeStrings(function: String) throws {
        var rng = RandomColumns.Rng(UInt64(function.count) &* 977)
        let alphabet = Array("aZ09 ,.'-_(|)\t!?xyzABC é".unicodeScalars)
        var values: [String] = ["", " ", "it's a wonderful life (1946)", "  world war ii: the-series  ", "x-men_2"]
        for _ in 0..<300 {
            var s = String.UnicodeScalarView()
            for _ in 0..<rng.below(20) { s.append(alphabet[rng.below(alphabet.count)]) }
            values.append(String(s))
        }
        let column = ColumnData(type: .varchar, storage: .varchar(StringArray(values)))
        let call = try Binder.call(function, [.column(index: 0, type: .varchar, name: "v")])
        let result = try ExpressionEvaluator.evaluate(call, DataChunk(columns: [column], count: values.count))
        for (i, v) in values.enumerated() {
            #expect(result.value(at: i) == Self.expected(function, v), "\(function)(\(v.debugDescription))")
        }
    }
}
