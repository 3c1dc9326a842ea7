// LIKE / ILIKE: `%` matches any run of characters, `_` exactly one. The common shapes
// (`abc%`, `%abc`, `%abc%`, no wildcard) are byte comparisons; the rest use a small
// backtracking matcher over Unicode scalars.

import Foundation

struct LikeMatcher {
    private enum Shape { case exact([UInt8]), prefix([UInt8]), suffix([UInt8]), contains([UInt8]), general([Unicode.Scalar]) }
    private let shape: Shape
    private let caseInsensitive: Bool

    init(pattern: String, caseInsensitive: Bool) {
        self.caseInsensitive = caseInsensitive
        let p = caseInsensitive ? pattern.lowercased() : pattern
        let inner = p.dropFirst(p.hasPrefix("%") ? 1 : 0).dropLast(p.hasSuffix("%") && p.count > 1 ? 1 : 0)
        if !inner.contains("%") && !inner.contains("_") {
            let bytes = Array(inner.utf8)
            switch (p.hasPrefix("%"), p.hasSuffix("%") && p.count > 1) {
            case (false, false): shape = .exact(bytes)
            case (false, true): shape = .prefix(bytes)
            case (true, false): shape = .suffix(bytes)
            case (true, true): shape = .contains(bytes)
            }
        } else {
            shape = .general(Array(p.unicodeScalars))
        }
    }

    func matches(_ raw: UnsafeRawBufferPointer) -> Bool {
        if caseInsensitive {
            let lowered = Array(String(decoding: raw, as: UTF8.self).lowercased().utf8)
            return lowered.withUnsafeBytes { match($0) }
        }
        return match(raw)
    }

    private func match(_ v: UnsafeRawBufferPointer) -> Bool {
        switch shape {
        case .exact(let b): return v.elementsEqual(b)
        case .prefix(let b): return v.count >= b.count && v.prefix(b.count).elementsEqual(b)
        case .suffix(let b): return v.count >= b.count && v.suffix(b.count).elementsEqual(b)
        case .contains(let b):
            if b.isEmpty { return true }
            guard v.count >= b.count else { return false }
            for i in 0...(v.count - b.count) where v[i] == b[0] && v[i..<(i + b.count)].elementsEqual(b) { return true }
            return false
        case .general(let p):
            let s = Array(String(decoding: v, as: UTF8.self).unicodeScalars)
            return Self.general(s[...], p[...])
        }
    }

    private static func general(_ s: ArraySlice<Unicode.Scalar>, _ p: ArraySlice<Unicode.Scalar>) -> Bool {
        var si = s.startIndex, pi = p.startIndex
        var star: Int? = nil, mark = s.startIndex
        while si < s.endIndex {
            if pi < p.endIndex && (p[pi] == "_" || p[pi] == s[si]) && p[pi] != "%" {
                si += 1; pi += 1
            } else if pi < p.endIndex && p[pi] == "%" {
                star = pi; mark = si; pi += 1
            } else if let st = star {
                pi = st + 1; mark += 1; si = mark
            } else {
                return false
            }
        }
        while pi < p.endIndex && p[pi] == "%" { pi += 1 }
        return pi == p.endIndex
    }
}
