// The fuzzing driver. Built with coverage instrumentation, AddressSanitizer and libFuzzer's
// library (`-DFUZZING`, see .ci/fuzz) it hands the target named by MOVIECOL_FUZZ_TARGET to
// libFuzzer's driver, which reads its own arguments (corpus directories, -max_total_time,
// ...). Built normally it replays inputs:
//
//   MoviecolFuzz <target> <file or directory>...
//
// which is how a finding is reproduced under a debugger or a release build.

import FuzzTargets
import Foundation

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// The target this process fuzzes, read once (libFuzzer calls back without context).
private let fuzzTarget: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["MOVIECOL_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        fatalError("set MOVIECOL_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    return target
}()

#endif

@main struct MoviecolFuzz {
    static func main() {
        #if FUZZING
        fuzzTarget.run([])  // sets up its warehouse before the clock of the first input starts
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            fuzzTarget.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: data!, count: size)))
            return 0
        })
        #else
        let args = CommandLine.arguments.dropFirst()
        guard let name = args.first, let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("usage: MoviecolFuzz <\(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|"))> <file or directory>...\n".utf8))
            exit(2)
        }
        var count = 0
        for path in args.dropFirst() {
            for file in FuzzCorpus.files(at: path) {
                print(file)
                target.run(FuzzCorpus.read(file))
                count += 1
            }
        }
        print("\(count) inputs ran")
        #endif
    }
}
