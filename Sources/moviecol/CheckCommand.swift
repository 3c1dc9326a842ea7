// `moviecol check`: verifies every block of every retained version (see `Warehouse.verify`).

import ArgumentParser
import Columnar
import Foundation

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Verify the warehouse: CURRENT, every retained manifest, and the checksum and decoding of every block they reference.",
        discussion: "Exits with status 1 and lists each problem (file, what failed, which version and table) when anything is damaged.")

    @OptionGroup var warehouse: WarehouseOptions

    func run() throws {
        guard FileIO.isDirectory(warehouse.path) else { fail("\(warehouse.path): no warehouse here") }
        let start = Date()
        let report = Warehouse.verify(warehouse.path)
        let seconds = Date().timeIntervalSince(start)
        for p in report.problems { print("\(p.file): \(p.message)") }
        let versions = report.versions.isEmpty ? "no versions" : "\(report.versions.count) versions (\(VacuumCommand.ranges(report.versions)))"
        print("checked \(versions), \(report.tables) table entries, \(report.blocks) blocks (\(ByteCount.format(report.bytes))) "
              + "in \(String(format: "%.2f", seconds)) s: " + (report.ok ? "OK" : "\(report.problems.count) problems"))
        if report.unreferencedFiles > 0 {
            print("\(report.unreferencedFiles) data files no retained version references (`moviecol vacuum` removes them)")
        }
        if !report.ok { throw ExitCode.failure }
    }
}
