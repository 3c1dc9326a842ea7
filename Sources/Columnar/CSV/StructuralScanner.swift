// The SIMD stage of CSV parsing: find where fields end. Each 64-byte block is compared
// against the delimiter (`,` unless told), `"`, `\n` and NUL with Swift SIMD vectors; the quote bits become an in-quote
// mask by prefix XOR (carried across blocks), and delimiters inside quotes are dropped. What
// remains is a list of field-end positions, the newline ones flagged. Everything else
// (quote validation, numbers, UTF-8) happens in the row parser on those spans.
//
// `ScalarStructuralScanner` is the byte-at-a-time reference; tests hold the two equal.

/// Field-end positions of a CSV buffer.
package struct StructuralIndex: Sendable, Equatable {
    /// Position of each unquoted delimiter or `\n`; a `\n` has `newlineFlag` set.
    package var positions: [UInt32]
    /// Whether the buffer ends inside a quoted field.
    package var endsInQuote: Bool
    /// Offset of the first NUL byte, if any.
    package var firstNul: Int?
    /// Number of `\n` bytes, quoted or not (physical lines).
    package var newlineCount: Int

    package static let newlineFlag: UInt32 = 1 << 31
    /// Largest buffer the 31-bit positions can address.
    package static let maxBufferSize = Int(newlineFlag) - 1
}

/// The SIMD structural scanner.
package enum StructuralScanner {
    /// Scans `bytes`, which must start outside any quoted field.
    package static func scan(_ bytes: UnsafeRawBufferPointer, delimiter: UInt8 = UInt8(ascii: ",")) -> StructuralIndex {
        var summary = ScanSummary()
        let positions = [UInt32](unsafeUninitializedCapacity: bytes.count + 1) { out, written in
            summary = scan(bytes, into: out.baseAddress!, delimiter: delimiter)
            written = summary.count
        }
        return StructuralIndex(positions: positions, endsInQuote: summary.endsInQuote, firstNul: summary.firstNul,
                               newlineCount: summary.newlineCount)
    }

    /// What a scan into a caller's buffer found.
    package struct ScanSummary: Sendable {
        package var count = 0
        package var endsInQuote = false
        package var firstNul: Int? = nil
        package var newlineCount = 0
    }

    /// Scans `bytes` into `out`, which must have room for `bytes.count + 1` positions.
    package static func scan(_ bytes: UnsafeRawBufferPointer, into out: UnsafeMutablePointer<UInt32>,
                             delimiter: UInt8 = UInt8(ascii: ",")) -> ScanSummary {
        precondition(bytes.count <= StructuralIndex.maxBufferSize)
        var summary = ScanSummary()
        var n = 0
        var newlines = 0
        var carry: UInt64 = 0  // all ones when the previous block ended inside quotes
        var block = 0
        let full = bytes.count & ~63
        let comma = SIMD16<UInt8>(repeating: delimiter)
        let quote = SIMD16<UInt8>(repeating: UInt8(ascii: "\""))
        let newline = SIMD16<UInt8>(repeating: UInt8(ascii: "\n"))
        let zero = SIMD16<UInt8>(repeating: 0)
        var tail = (SIMD16<UInt8>(), SIMD16<UInt8>(), SIMD16<UInt8>(), SIMD16<UInt8>())
        while block < bytes.count {
            var q: UInt64 = 0, c: UInt64 = 0, nl: UInt64 = 0, nul: UInt64 = 0
            if block < full {
                // Delimiters and newlines always; quotes and NULs only when the block has any
                // (a vector OR tells), which most blocks of MovieLens files do not.
                var anyQuote = SIMD16<UInt8>(), anyNul = SIMD16<UInt8>()
                for k in 0..<4 {
                    let v = bytes.loadUnaligned(fromByteOffset: block + k * 16, as: SIMD16<UInt8>.self)
                    let isNewline = v .== newline
                    c |= bitmask(isNewline .| (v .== comma)) << UInt64(k * 16)
                    nl |= bitmask(isNewline) << UInt64(k * 16)
                    anyQuote |= unsafeBitCast(v .== quote, to: SIMD16<UInt8>.self)
                    anyNul |= unsafeBitCast(v .== zero, to: SIMD16<UInt8>.self)
                }
                let flags = unsafeBitCast(anyQuote | (anyNul & 1), to: SIMD2<UInt64>.self)
                if flags[0] | flags[1] != 0 {
                    for k in 0..<4 {
                        let v = bytes.loadUnaligned(fromByteOffset: block + k * 16, as: SIMD16<UInt8>.self)
                        q |= bitmask(v .== quote) << UInt64(k * 16)
                        nul |= bitmask(v .== zero) << UInt64(k * 16)
                    }
                }
            } else {
                // The last partial block: copy into a zeroed buffer and mask the padding.
                let rest = bytes.count - block
                withUnsafeMutableBytes(of: &tail) { t in
                    for i in 0..<64 { t[i] = 0 }
                    t.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[block..<bytes.count]))
                }
                withUnsafeBytes(of: &tail) { t in
                    for k in 0..<4 {
                        let v = t.loadUnaligned(fromByteOffset: k * 16, as: SIMD16<UInt8>.self)
                        q |= bitmask(v .== quote) << UInt64(k * 16)
                        c |= bitmask((v .== comma) .| (v .== newline)) << UInt64(k * 16)
                        nl |= bitmask(v .== newline) << UInt64(k * 16)
                        nul |= bitmask(v .== zero) << UInt64(k * 16)
                    }
                }
                let valid: UInt64 = (1 << UInt64(rest)) - 1
                q &= valid; c &= valid; nl &= valid; nul &= valid
            }
            if nul != 0 && summary.firstNul == nil { summary.firstNul = block + nul.trailingZeroBitCount }
            newlines &+= nl.nonzeroBitCount
            var seps = c
            if q | carry != 0 {
                let inQuote = prefixXor(q) ^ carry
                carry = UInt64(bitPattern: Int64(bitPattern: inQuote) >> 63)
                seps &= ~inQuote
            }
            let nlOut = nl & seps
            while seps != 0 {
                let bit = seps.trailingZeroBitCount
                out[n] = UInt32(truncatingIfNeeded: block &+ bit) | (UInt32(truncatingIfNeeded: nlOut >> UInt64(bit)) << 31)
                n &+= 1
                seps &= seps &- 1
            }
            block += 64
        }
        summary.count = n
        summary.endsInQuote = carry != 0
        summary.newlineCount = newlines
        return summary
    }

    /// 1 when `bytes` holds an odd number of `"`, else 0. Lanes toggle between 0 and 0xFF
    /// as quotes go by, so no per-block mask extraction is needed.
    package static func quoteParity(_ bytes: UnsafeRawBufferPointer) -> Int {
        let quote = SIMD16<UInt8>(repeating: UInt8(ascii: "\""))
        var acc0 = SIMD16<UInt8>(), acc1 = SIMD16<UInt8>()
        var i = 0
        let full = bytes.count & ~31
        while i < full {
            let a = bytes.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
            let b = bytes.loadUnaligned(fromByteOffset: i + 16, as: SIMD16<UInt8>.self)
            acc0 ^= unsafeBitCast(a .== quote, to: SIMD16<UInt8>.self)
            acc1 ^= unsafeBitCast(b .== quote, to: SIMD16<UInt8>.self)
            i += 32
        }
        var parity = bitmask(unsafeBitCast(acc0 ^ acc1, to: SIMDMask<SIMD16<Int8>>.self)).nonzeroBitCount & 1
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\"") { parity ^= 1 }
            i += 1
        }
        return parity
    }

    /// The number of `"` bytes in `bytes`, and the number of `\n` bytes.
    package static func countQuotesAndNewlines(_ bytes: UnsafeRawBufferPointer) -> (quotes: Int, newlines: Int) {
        var quotes = 0, newlines = 0
        let full = bytes.count & ~15
        let quote = SIMD16<UInt8>(repeating: UInt8(ascii: "\""))
        let newline = SIMD16<UInt8>(repeating: UInt8(ascii: "\n"))
        var i = 0
        while i < full {
            let v = bytes.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
            quotes &+= bitmask(v .== quote).nonzeroBitCount
            newlines &+= bitmask(v .== newline).nonzeroBitCount
            i += 16
        }
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\"") { quotes += 1 } else if bytes[i] == UInt8(ascii: "\n") { newlines += 1 }
            i += 1
        }
        return (quotes, newlines)
    }

    /// One bit per lane, lane 0 in bit 0: a portable movemask. Each 8-lane half is gathered
    /// with one multiply (the lanes are 0x00 or 0xFF), which LLVM keeps in registers.
    @inline(__always)
    static func bitmask(_ m: SIMDMask<SIMD16<Int8>>) -> UInt64 {
        let v = unsafeBitCast(m, to: SIMD2<UInt64>.self)
        let lo = ((v[0] & 0x8080_8080_8080_8080) &* 0x0002_0408_1020_4081) >> 56
        let hi = ((v[1] & 0x8080_8080_8080_8080) &* 0x0002_0408_1020_4081) >> 56
        return lo | (hi << 8)
    }

    /// Bit i of the result is the XOR of bits 0...i: 1 inside quotes (opening quote included).
    @inline(__always)
    static func prefixXor(_ x: UInt64) -> UInt64 {
        var v = x
        v ^= v << 1
        v ^= v << 2
        v ^= v << 4
        v ^= v << 8
        v ^= v << 16
        v ^= v << 32
        return v
    }
}

/// The byte-at-a-time reference for `StructuralScanner`.
package enum ScalarStructuralScanner {
    package static func scan(_ bytes: UnsafeRawBufferPointer, delimiter: UInt8 = UInt8(ascii: ",")) -> StructuralIndex {
        var positions: [UInt32] = []
        var inQuote = false
        var firstNul: Int? = nil
        var newlines = 0
        for i in 0..<bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "\""): inQuote.toggle()
            case delimiter: if !inQuote { positions.append(UInt32(i)) }
            case UInt8(ascii: "\n"):
                newlines += 1
                if !inQuote { positions.append(UInt32(i) | StructuralIndex.newlineFlag) }
            case 0: if firstNul == nil { firstNul = i }
            default: break
            }
        }
        return StructuralIndex(positions: positions, endsInQuote: inQuote, firstNul: firstNul, newlineCount: newlines)
    }
}
