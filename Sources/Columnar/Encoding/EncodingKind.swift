// The encoding and compression tags written into every segment header. They are part of
// the on-disk format: add new cases with new numbers, never renumber.

import Foundation

/// How a segment's values are laid out.
public enum EncodingKind: UInt8, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Values as they are in memory (strings: lengths + bytes).
    case plain = 0
    /// Distinct values once, then a bit-packed index per row.
    case dictionary = 1
    /// (value, run length) pairs.
    case runLength = 2
    /// Per 128-value miniblock: a minimum and offsets bit-packed at the smallest width.
    case frameOfReference = 3
    /// First value, then frame-of-reference differences (sorted ids, timestamps).
    case delta = 4
    /// Doubles that are exact decimals with few digits (`3.5`, `0.02875`) as scaled integers.
    case decimal = 5
    /// Integers with a common factor (whole-second microsecond timestamps): the factor, then
    /// frame-of-reference coding of the quotients.
    case scaledFrameOfReference = 6

    public var description: String {
        switch self {
        case .plain: "plain"
        case .dictionary: "dictionary"
        case .runLength: "rle"
        case .frameOfReference: "for"
        case .delta: "delta"
        case .decimal: "decimal"
        case .scaledFrameOfReference: "sfor"
        }
    }

    public init?(name: String) {
        guard let k = Self.allCases.first(where: { $0.description == name.lowercased() }) else { return nil }
        self = k
    }

    /// Whether this encoding can represent values of `type`.
    public func applies(to type: LogicalType) -> Bool {
        switch self {
        case .plain, .dictionary: true
        case .runLength: type != .varchar && type != .listVarchar
        case .frameOfReference, .delta, .scaledFrameOfReference: type.isInteger
        case .decimal: type == .double
        }
    }
}

/// The general-purpose compression applied on top of an encoding.
public enum CompressionKind: UInt8, Sendable, Codable, CustomStringConvertible {
    case none = 0
    case zlib = 1

    public var description: String { self == .none ? "none" : "zlib" }
}

/// Which encoding and compression a writer uses.
public struct EncodingPolicy: Sendable, Hashable {
    public enum Compression: Sendable, Hashable { case automatic, always, never }

    /// `nil` chooses per segment by estimated size; a value forces that encoding wherever it
    /// applies to the column type (a debug setting that lets tests cover every encoding).
    public var forcedEncoding: EncodingKind?
    public var compression: Compression

    public init(forcedEncoding: EncodingKind? = nil, compression: Compression = .automatic) {
        self.forcedEncoding = forcedEncoding
        self.compression = compression
    }

    public static let automatic = EncodingPolicy()

    /// The policy new transactions write under: the environment's, or one a test sets (the
    /// golden SQL files run once with each encoding forced).
    @TaskLocal public static var current: EncodingPolicy = .fromEnvironment(ProcessInfo.processInfo.environment)

    /// The policy set by `MOVIECOL_FORCE_ENCODING` (an encoding name) and
    /// `MOVIECOL_COMPRESSION` (`always`, `never`), defaulting to automatic.
    public static func fromEnvironment(_ env: [String: String]) -> EncodingPolicy {
        var p = EncodingPolicy()
        if let name = env["MOVIECOL_FORCE_ENCODING"], let kind = EncodingKind(name: name) { p.forcedEncoding = kind }
        switch env["MOVIECOL_COMPRESSION"]?.lowercased() {
        case "always": p.compression = .always
        case "never": p.compression = .never
        default: break
        }
        return p
    }
}
