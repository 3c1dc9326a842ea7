// dbt model input: the text through the Jinja parser, then rendered the two ways the
// pipeline renders it (every branch while loading a project, the taken branches while
// compiling) with dbt's functions and a couple of project variables.

import Pipeline

enum JinjaFuzz {
    static func run(_ input: [UInt8]) {
        let text = String(decoding: input, as: UTF8.self)
        let template: Template
        do { template = try Template(parsing: text, file: "models/fuzz.sql") } catch { return }
        for explore in [true, false] {
            let context = DbtContext(mode: .parse, nodeName: "fuzz", this: .relation(schema: "main", name: "fuzz"),
                                     vars: [("min_ratings", .int(10)), ("genres", .list([.string("Drama"), .string("Comedy")]))])
            var renderer = TemplateRenderer(exploreAllBranches: explore)
            _ = try? renderer.render(template, context: context)
        }
    }
}
