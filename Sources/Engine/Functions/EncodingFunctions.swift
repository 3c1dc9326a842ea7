// Text encodings and digests Snowflake users reach for: SHA1 / SHA1_HEX, BASE64_ENCODE and
// BASE64_DECODE_STRING, HEX_ENCODE and HEX_DECODE_STRING (DuckDB: to_base64, from_base64,
// hex, unhex). Decoding text that is not valid base64 or hex, or whose bytes are not UTF-8,
// is an error naming the value; the TRY_ forms give NULL instead.

import Columnar
import Crypto
import Foundation

enum EncodingFunctions {
    static let all: [ScalarFunction] = [
        ScalarFunction("sha1", aliases: ["sha1_hex"], [
            FunctionSignature([.type(.varchar)], returns: .type(.varchar)) { (input) throws(SQLError) in
                try mapText(input, "sha1") { bytes in .some(hex(Array(Insecure.SHA1.hash(data: bytes)), upper: false)) }
            },
        ]),
        ScalarFunction("base64_encode", aliases: ["to_base64"], [
            FunctionSignature([.type(.varchar)], returns: .type(.varchar)) { (input) throws(SQLError) in
                try mapText(input, "base64_encode") { bytes in .some(Array(Data(bytes).base64EncodedString().utf8)) }
            },
        ]),
        decoder("base64_decode_string", aliases: ["from_base64"], orNull: false, decode: base64),
        decoder("try_base64_decode_string", aliases: [], orNull: true, decode: base64),
        ScalarFunction("hex_encode", aliases: ["hex"], [
            FunctionSignature([.type(.varchar)], returns: .type(.varchar)) { (input) throws(SQLError) in
                try mapText(input, "hex_encode") { bytes in .some(hex(bytes, upper: true)) }
            },
        ]),
        decoder("hex_decode_string", aliases: ["unhex"], orNull: false, decode: unhex),
        decoder("try_hex_decode_string", aliases: [], orNull: true, decode: unhex),
    ]

    private static func decoder(_ name: String, aliases: [String], orNull: Bool,
                                decode: @escaping @Sendable ([UInt8]) -> [UInt8]?) -> ScalarFunction {
        ScalarFunction(name, aliases: aliases, canFail: !orNull, [
            FunctionSignature([.type(.varchar)], returns: .type(.varchar)) { (input) throws(SQLError) in
                let texts = input.text(0)
                var out = TextBuilder(function: name, count: input.count)
                var validity = ValidityBitmap(allValid: input.count)
                for r in 0..<input.count {
                    if !input.skips(r) {
                        let text = Array(texts[r].utf8)
                        if let bytes = decode(text), String(validating: bytes, as: UTF8.self) != nil {
                            out.append(String(decoding: bytes, as: UTF8.self))
                        } else if orNull {
                            validity.setValid(r, false)
                        } else {
                            throw SQLError(.runtime, "\(name.uppercased()) cannot decode '\(texts[r].prefix(40))': not \(name.hasPrefix("base64") ? "base64" : "hex") of UTF-8 text",
                                           reason: .invalidText)
                        }
                    } else {
                        validity.setValid(r, false)
                    }
                    try out.endValue()
                }
                var column = out.finish()
                if orNull { column.validity = validity }
                return column
            },
        ])
    }

    /// `transform` of every value's bytes.
    private static func mapText(_ input: KernelInput, _ name: String, _ transform: ([UInt8]) -> [UInt8]?) throws(SQLError) -> ColumnData {
        let texts = input.text(0)
        var out = TextBuilder(function: name, count: input.count)
        for r in 0..<input.count {
            if !input.skips(r), let bytes = transform(Array(texts[r].utf8)) { out.append(String(decoding: bytes, as: UTF8.self)) }
            try out.endValue()
        }
        return out.finish()
    }

    static func hex(_ bytes: [UInt8], upper: Bool) -> [UInt8] {
        let digits = Array((upper ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return out
    }

    private static func unhex(_ text: [UInt8]) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        func digit(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 65...70: c - 55
            case 97...102: c - 87
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 2)
        var i = 0
        while i < text.count {
            guard let hi = digit(text[i]), let lo = digit(text[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    private static func base64(_ text: [UInt8]) -> [UInt8]? {
        Data(base64Encoded: Data(text)).map { Array($0) }
    }
}
