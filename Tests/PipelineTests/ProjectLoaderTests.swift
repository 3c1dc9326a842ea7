// Loading projects: folder config, schema files and in-file config merge in dbt's order;
// refs resolve or fail with a suggestion; cycles and unknown settings are errors.

import Testing
@testable import Pipeline

@Suite struct ProjectLoaderTests {
    static let projectYAML = """
        name: shop
        models:
          shop:
            +materialized: table
            staging:
              +materialized: view
              +schema: staging
              +tags: [stage]
            marts:
              +schema: serving
              +grants: {select: [reporter]}
        """

    func load(_ files: [String: String], vars: [(String, JinjaValue)] = []) throws -> Project {
        try ProjectLoader.load(ProjectFiles(root: "test", files: files), vars: vars)
    }

    func error(_ files: [String: String]) -> String {
        do { _ = try load(files); return "no error" } catch { return "\(error)" }
    }

    var base: [String: String] {
        [
            "dbt_project.yml": Self.projectYAML,
            "models/staging/sources.yml": """
                sources:
                  - name: shop_raw
                    schema: raw
                    tables:
                      - name: orders
                        identifier: raw_orders
                """,
            "models/staging/stg_orders.sql": "select * from {{ source('shop_raw', 'orders') }}",
            "models/marts/orders.sql": "{{ config(tags=['daily']) }}\nselect * from {{ ref('stg_orders') }}",
            "models/marts/schema.yml": """
                models:
                  - name: orders
                    description: All orders.
                    config:
                      materialized: incremental
                      unique_key: order_id
                    columns:
                      - name: order_id
                        description: The key.
                        data_tests: [not_null, unique]
                """,
        ]
    }

    /// dbt renders descriptions with Jinja: a var names the value the build used.
    @Test func descriptionsRenderVars() throws {
        var files = base
        files["models/marts/schema.yml"] = """
            models:
              - name: orders
                description: "Orders of at least {{ var('min_total', 10) }} euros."
                columns:
                  - name: order_id
                    description: "Key{% if var('min_total', 10) > 20 %} (large orders){% endif %}."
            """
        let byDefault = try #require(try load(files).nodes.first { $0.name == "orders" })
        #expect(byDefault.description == "Orders of at least 10 euros.")
        #expect(byDefault.columns.first?.description == "Key.")
        let overridden = try #require(try load(files, vars: [("min_total", .int(50))]).nodes.first { $0.name == "orders" })
        #expect(overridden.description == "Orders of at least 50 euros.")
        #expect(overridden.columns.first?.description == "Key (large orders).")
        files["models/marts/schema.yml"] = """
            models:
              - name: orders
                description: "Broken {{ var('min_total' }}"
            """
        #expect(error(files).contains("models/marts/schema.yml:3"))
    }

    @Test func configMergesInDbtOrder() throws {
        let p = try load(base)
        let stg = try #require(p.nodes.first { $0.name == "stg_orders" })
        #expect(stg.materialization == "view" && stg.schema == "staging" && stg.config.tags == ["stage"])
        #expect(stg.dependsOn == ["source.shop.shop_raw.orders"])
        let orders = try #require(p.nodes.first { $0.name == "orders" })
        #expect(orders.materialization == "incremental")  // schema.yml over dbt_project.yml
        #expect(orders.config.uniqueKey == ["order_id"])
        #expect(orders.config.tags == ["daily"])
        #expect(orders.config.grants["select"] == ["reporter"])
        #expect(orders.qualifiedName == "serving.orders")
        #expect(orders.description == "All orders." && orders.columns.first?.description == "The key.")
        #expect(orders.dependsOn == ["model.shop.stg_orders"])
        let tests = p.nodes.filter { $0.resourceType == .test }.map(\.name).sorted()
        #expect(tests == ["not_null_orders_order_id", "unique_orders_order_id"])
        // Dependency order: staging before the mart, tests after what they test.
        let order = p.nodes.map(\.name)
        #expect(order.firstIndex(of: "stg_orders")! < order.firstIndex(of: "orders")!)
        #expect(order.firstIndex(of: "orders")! < order.firstIndex(of: "unique_orders_order_id")!)
    }

    @Test func unknownRefSuggestsAndPointsAtTheLine() {
        var files = base
        files["models/marts/orders.sql"] = "select 1\nfrom {{ ref('stg_order') }}"
        #expect(error(files) == "models/marts/orders.sql:2: ref('stg_order') names no model, seed or snapshot; did you mean 'stg_orders'?")
    }

    @Test func cyclesAreErrors() {
        var files = base
        files["models/staging/stg_orders.sql"] = "select * from {{ ref('orders') }}"
        #expect(error(files).contains("dependency cycle"))
    }

    @Test func unknownConfigAndTestsAreErrors() {
        var files = base
        files["models/marts/orders.sql"] = "{{ config(materialised='table') }}select 1"
        #expect(error(files).contains("unknown config 'materialised'"))
        files = base
        files["models/marts/schema.yml"] = "models:\n  - name: orders\n    columns:\n      - name: id\n        data_tests: [expression_is_true]"
        #expect(error(files).hasPrefix("models/marts/schema.yml:5: unsupported generic test 'expression_is_true'"))
        files = base
        files["models/marts/schema.yml"] = "models:\n  - name: nothere\n"
        #expect(error(files).contains("no model, seed or snapshot of that name"))
    }

    @Test func varsFromProjectAndCommandLine() throws {
        var files = base
        files["dbt_project.yml"] = Self.projectYAML + "\nvars:\n  limit_rows: 5\n"
        files["models/marts/orders.sql"] = "select {{ var('limit_rows') }} as a, {{ var('other', 'd') }} as b from {{ ref('stg_orders') }}"
        let p = try load(files, vars: [("other", .string("cli"))])
        let sql = try Compiler(project: p).compile(p.nodes.first { $0.name == "orders" }!)
        #expect(sql == "select 5 as a, cli as b from staging.stg_orders")
    }

    @Test func ephemeralModelsBecomeCTEs() throws {
        var files = base
        files["models/marts/helper.sql"] = "{{ config(materialized='ephemeral') }}select * from {{ ref('stg_orders') }}"
        files["models/marts/orders.sql"] = "with x as (select 1 as one)\nselect * from {{ ref('helper') }}, x"
        let p = try load(files)
        let sql = try Compiler(project: p).compile(p.nodes.first { $0.name == "orders" }!)
        #expect(sql == "with __dbt__cte__helper as (\nselect * from staging.stg_orders\n),\n x as (select 1 as one)\nselect * from __dbt__cte__helper, x")
        files["models/marts/orders.sql"] = "-- no with here\nselect * from {{ ref('helper') }}"
        let q = try load(files)
        let plain = try Compiler(project: q).compile(q.nodes.first { $0.name == "orders" }!)
        #expect(plain == "-- no with here\nwith __dbt__cte__helper as (\nselect * from staging.stg_orders\n)\nselect * from __dbt__cte__helper")
    }

    @Test func selectors() throws {
        let p = try load(base)
        func names(_ select: [String], exclude: [String] = []) throws -> [String] {
            let ids = try Selector.select(p, select: select, exclude: exclude)
            return p.nodes.filter { ids.contains($0.uniqueId) && $0.resourceType != .test }.map(\.name).sorted()
        }
        #expect(try names(["orders"]) == ["orders"])
        #expect(try names(["+orders"]) == ["orders", "stg_orders"])
        #expect(try names(["stg_orders+"]) == ["orders", "stg_orders"])
        #expect(try names(["tag:stage"]) == ["stg_orders"])
        #expect(try names(["models/marts"]) == ["orders"])
        #expect(try names(["staging"]) == ["stg_orders"])
        #expect(try names(["stg_orders+,tag:daily"]) == ["orders"])
        #expect(try names(["+orders"], exclude: ["stg_orders"]) == ["orders"])
        #expect(try names(["config.materialized:view"]) == ["stg_orders"])
        // Tests come along with the node they test.
        let ids = try Selector.select(p, select: ["orders"], exclude: [])
        #expect(ids.contains("test.shop.unique_orders_order_id"))
        #expect(throws: ProjectError.self) { try Selector.select(p, select: ["nosuch"], exclude: []) }
    }

    @Test func theBuiltInProjectLoadsAndMatchesItsFolder() throws {
        let p = try ProjectLoader.load(.builtIn)
        let models = Set(p.nodes.filter { $0.resourceType == .model }.map(\.qualifiedName))
        for m in ["staging.src_movies", "staging.src_ratings", "staging.src_tags", "staging.src_genome_score", "staging.src_genome_tags",
                  "staging.src_links", "serving.dim_movies", "serving.dim_users", "serving.dim_genome_tags", "serving.fct_ratings",
                  "serving.fct_genome_scores", "serving.dim_movies_with_tags", "serving.mart_movie_releases", "serving.mart_top_movies",
                  "serving.mart_genre_ratings", "serving.mart_user_activity", "serving.mart_release_trends", "serving.mart_tag_relevance"] {
            #expect(models.contains(m), "missing \(m)")
        }
        #expect(p.nodes.contains { $0.qualifiedName == "snapshots.snap_tags" && $0.resourceType == .snapshot })
        #expect(p.nodes.contains { $0.qualifiedName == "serving.seed_movie_release_dates" && $0.resourceType == .seed })
        for n in p.nodes where n.resourceType == .model {
            #expect(!n.description.isEmpty, "\(n.name) has no description")
            #expect(!n.columns.isEmpty && n.columns.allSatisfy { !$0.description.isEmpty }, "\(n.name) has undocumented columns")
        }
        // The embedded copy is the folder, byte for byte.
        let folder = try ProjectFiles.load(directory: TestEnvironmentPaths.packageRoot + "/Sources/Pipeline/Embedded/DefaultProject")
        #expect(folder.files == ProjectFiles.builtIn.files)
    }
}

import Foundation

enum TestEnvironmentPaths {
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
}
