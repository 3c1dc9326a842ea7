// Replays the checked-in fuzzing corpus and every earlier finding through the fuzz targets,
// built normally: a finding fixed once stays fixed without a fuzzing build.

import FuzzTargets
import Testing
import TestSupport

@Suite struct FuzzCorpusTests {
    static let root = TestEnvironment.packageRoot + "/Tests/Fuzz"

    @Test(arguments: FuzzTarget.allCases)
    func corpusAndFindingsRun(_ target: FuzzTarget) {
        var files = FuzzCorpus.files(at: "\(Self.root)/corpus/\(target.rawValue)")
            + FuzzCorpus.files(at: "\(Self.root)/findings/\(target.rawValue)")
        if target == .jinja {
            // The built-in project's models and snapshots seed the Jinja target where they live.
            files += FuzzCorpus.files(at: TestEnvironment.packageRoot + "/Sources/Pipeline/Embedded/DefaultProject").filter { $0.hasSuffix(".sql") }
        }
        #expect(files.count >= 5, "the \(target.rawValue) corpus has \(files.count) inputs")
        for file in files { target.run(FuzzCorpus.read(file)) }
    }
}
