// The docs site: self-contained (no network), every model and source drawn and described,
// and the same graph as DOT and Mermaid.

import Foundation
import Testing
import TestSupport
@testable import Pipeline

@Suite struct DocsTests {
    @Test func docsDescribeEveryModelWithoutTheNetwork() throws {
        let project = try ProjectLoader.load(.builtIn)
        let dir = TestEnvironment.temporaryDirectory("docs")
        defer { TestEnvironment.remove(dir) }
        let files = try DocsSite.write(project: project, tables: [], to: dir)
        #expect(files.map { ($0 as NSString).lastPathComponent } == ["index.html", "lineage.dot", "lineage.mmd"])
        let html = try String(contentsOfFile: dir + "/index.html", encoding: .utf8)
        // No fetched resources: the only URL is the SVG namespace.
        let urls = html.components(separatedBy: "http").count - 1
        #expect(urls == html.components(separatedBy: "http://www.w3.org/2000/svg").count - 1)
        #expect(!html.contains("<script src") && !html.contains("<link "))
        for n in project.nodes where n.resourceType != .test {
            #expect(html.contains("id=\"\(DocsSite.anchor(n.uniqueId))\""), "no section for \(n.name)")
            #expect(html.contains("id=\"g-\(DocsSite.anchor(n.uniqueId))\""), "\(n.name) not drawn")
        }
        let graph = LineageGraph(project: project)
        // Layers run raw -> staging -> serving: every edge goes right.
        let layer = Dictionary(uniqueKeysWithValues: graph.nodes.map { ($0.id, $0.layer) })
        #expect(graph.edges.allSatisfy { layer[$0.from]! < layer[$0.to]! })
        #expect(graph.nodes.filter { $0.group == "raw" }.allSatisfy { $0.layer == 0 })
        let dot = try String(contentsOfFile: dir + "/lineage.dot", encoding: .utf8)
        #expect(dot.contains("\"source.movielens.netflix.r_ratings\" -> \"model.movielens.src_ratings\""))
        let mermaid = try String(contentsOfFile: dir + "/lineage.mmd", encoding: .utf8)
        #expect(mermaid.hasPrefix("flowchart LR") && mermaid.components(separatedBy: "-->").count - 1 == graph.edges.count)
    }
}
