// Coverage-guided fuzz targets: each takes any bytes and must return without crashing,
// hanging or exhausting memory. Errors are the expected answer to most inputs; a broken
// invariant (a round trip that changes a value, a decoder that returns the wrong row count)
// is a finding and stops the process, as a crash would, so libFuzzer records the input.
//
// The same functions run three ways: under libFuzzer (`MoviecolFuzz` built with
// `-sanitize=fuzzer`, see .ci/fuzz), replaying files (`MoviecolFuzz <target> <files>`), and in
// `swift test`, which replays the checked-in corpus and every earlier finding.

/// The inputs moviecol takes from outside, one target each.
package enum FuzzTarget: String, CaseIterable, Sendable {
    /// CSV bytes through the sniffer, the chunk parsers (SIMD numeric and general) and the
    /// file reader of `read_csv`.
    case csv
    /// SQL text through the lexer, parser, binder, optimizer and execution on a small
    /// warehouse of every column type.
    case sql
    /// dbt model text through the Jinja parser and renderer.
    case jinja
    /// Manifest files and CURRENT pointers through their decoders.
    case manifest
    /// Segment payloads and blocks through every decoder; values through every encoder and
    /// back.
    case segment
    /// Raw bytes of HTTP/1.1 requests through swift-nio's decoder and `serve`'s web app.
    case http

    /// Runs one input.
    package func run(_ input: [UInt8]) {
        switch self {
        case .csv: CSVFuzz.run(input)
        case .sql: SQLFuzz.shared.run(input)
        case .jinja: JinjaFuzz.run(input)
        case .manifest: ManifestFuzz.run(input)
        case .segment: SegmentFuzz.run(input)
        case .http: HTTPFuzz.shared.run(input)
        }
    }
}

/// A broken invariant: stops the process so the fuzzer keeps the input.
func finding(_ what: String, file: StaticString = #file, line: UInt = #line) -> Never {
    fatalError("fuzz finding: \(what)", file: file, line: line)
}
