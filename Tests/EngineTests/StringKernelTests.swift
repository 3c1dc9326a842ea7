// The byte-level ASCII kernels of LOWER, UPPER, INITCAP, LENGTH and TRIM agree with the
// Unicode-aware row implementations on random ASCII and mixed strings.

import Columnar
@testable import Engine
import Testing
import TestSupport

@Suite struct StringKernelTests {
    @Test(arguments: ["lower", "upper", "initcap", "length", "trim", "ltrim", "rtrim"])
    func asciiKernelMatchesRowPath(function: String) throws {
        var rng = RandomColumns.Rng(UInt64(function.count) &* 977)
        let alphabet = Array("aZ09 ,.'-_(|)\t!?xyzABC é".unicodeScalars)
        var values: [String] = ["", " ", "it's a wonderful life (1946)", "  world war ii: the-series  ", "x-men_2"]
        for _ in 0..<300 {
            var s = String.UnicodeScalarView()
            for _ in 0..<rng.below(20) { s.append(alphabet[rng.below(alphabet.count)]) }
            values.append(String(s))
        }
        let column = ColumnData(type: .varchar, storage: .varchar(StringArray(values)))
        let type: LogicalType = function == "length" ? .int64 : .varchar
        let fast = try #require(ScalarFunctions.vectorized(function, [column], type: type, count: values.count))
        for (i, v) in values.enumerated() {
            let expected = try ScalarFunctions.apply(function, [.string(v)], type)
            #expect(fast.value(at: i) == expected, "\(function)(\(v.debugDescription))")
        }
    }
}
