// The hand-made MovieLens fixture (Tests/SQL/data): small, with the quirks that matter
// (quoted titles, non-ASCII, missing years and genres, NULL tmdbIds, a rating for an
// unknown movie), loaded once per test process into a warehouse.

import Columnar
import MovieLens
import Foundation
import Synchronization

public enum Fixtures {
    public static let sqlDirectory = TestEnvironment.packageRoot + "/Tests/SQL"

    /// A warehouse holding the fixture's raw tables (created on first use).
    public static let warehouse: String = {
        let dir = TestEnvironment.temporaryDirectory("fixture")
        do {
            _ = try IngestJob.run(source: IngestSource.resolve([sqlDirectory + "/data"]), warehouse: dir + "/db", options: IngestOptions())
        } catch {
            fatalError("cannot build the fixture warehouse: \(error)")
        }
        return dir + "/db"
    }()

    /// Writes the six MovieLens files of a generated data set of `ratings` ratings to `dir`.
    public static func generateMovieLens(ratings: Int, seed: UInt64, to dir: String) throws {
        _ = try MovieLensGenerator(ratings: ratings, seed: seed).write(to: dir)
    }

    /// A warehouse of a generated data set, loaded in chunks of `chunkSize` bytes (small
    /// chunks give many row groups, so several workers share a scan).
    public static func generatedWarehouse(_ label: String, ratings: Int, seed: UInt64, chunkSize: Int = 4 << 20) throws -> String {
        let dir = TestEnvironment.temporaryDirectory(label)
        try generateMovieLens(ratings: ratings, seed: seed, to: dir + "/csv")
        _ = try IngestJob.run(source: IngestSource.resolve([dir + "/csv"]), warehouse: dir + "/db",
                              options: IngestOptions(load: LoadOptions(chunkSize: chunkSize)))
        return dir + "/db"
    }

    /// A private copy of `warehouse`, for a test that writes (tests run in parallel, and a
    /// warehouse has one writer at a time). The caller removes it.
    public static func warehouseCopy(_ label: String, encoding: EncodingKind? = nil) throws -> String {
        let dir = TestEnvironment.temporaryDirectory(label)
        try copyWarehouse(try encoding.map(warehouse(forcing:)) ?? warehouse, to: dir + "/db")
        return dir + "/db"
    }

    /// Copies a warehouse directory, but not its readers' pins: other tests open the fixture
    /// meanwhile, making and removing them.
    public static func copyWarehouse(_ source: String, to destination: String) throws {
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: source) where name != "pins" {
            try FileManager.default.copyItem(atPath: source + "/" + name, toPath: destination + "/" + name)
        }
    }

    private static let forced = Mutex<[EncodingKind: String]>([:])

    /// The fixture's raw tables written with `encoding` wherever it applies (built once).
    public static func warehouse(forcing encoding: EncodingKind) throws -> String {
        if let dir = forced.withLock({ $0[encoding] }) { return dir }
        let dir = TestEnvironment.temporaryDirectory("fixture-\(encoding)")
        try EncodingPolicy.$current.withValue(EncodingPolicy(forcedEncoding: encoding)) { () throws -> Void in
            _ = try IngestJob.run(source: IngestSource.resolve([sqlDirectory + "/data"]), warehouse: dir + "/db", options: IngestOptions())
        }
        return forced.withLock { cache in
            if let built = cache[encoding] { return built }
            cache[encoding] = dir + "/db"
            return dir + "/db"
        }
    }
}
