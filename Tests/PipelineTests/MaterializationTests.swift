// Materializations run on a copy of the fixture warehouse: views, tables, incremental
// append / merge / on_schema_change, ephemeral CTEs, seeds, and a build that skips what is
// downstream of a failing test.

import Columnar
import Engine
import Foundation
import Testing
import TestSupport
@testable import Pipeline

@Suite struct MaterializationTests {
    /// A fresh copy of the fixture warehouse.
    func warehouse() throws -> String {
        let dir = TestEnvironment.temporaryDirectory("pipeline")
        try Fixtures.copyWarehouse(Fixtures.warehouse, to: dir + "/db")
        return dir + "/db"
    }

    func build(_ db: String, _ files: [String: String], command: PipelineCommand = .build, select: [String] = [],
               fullRefresh: Bool = false, vars: [(String, JinjaValue)] = []) throws -> (RunSummary, QueryEngine, [String]) {
        var all = files
        all["dbt_project.yml"] = all["dbt_project.yml"] ?? "name: t\nmodels:\n  t:\n    +schema: serving\n"
        let project = try ProjectLoader.load(ProjectFiles(root: "t", files: all), vars: vars)
        let engine = QueryEngine(warehouse: try Warehouse.open(db), threads: 2, policy: Role.transform.policy)
        var options = RunOptions(command: command)
        options.select = select
        options.fullRefresh = fullRefresh
        var lines: [String] = []
        let summary = try Runner(project: project, engine: engine, options: options) { lines.append($0) }.run()
        return (summary, engine, lines)
    }

    func rows(_ engine: QueryEngine, _ sql: String) throws -> [[String]] {
        let (_, chunk) = try engine.query(sql)
        return (0..<chunk.count).map { r in chunk.columns.map { $0.value(at: r).description } }
    }

    @Test func viewsTablesAndEphemerals() throws {
        let db = try warehouse()
        defer { TestEnvironment.remove(db) }
        let (summary, engine, _) = try build(db, [
            "models/v.sql": "{{ config(materialized='view') }}select movieId as movie_id, title from raw.raw_movies",
            "models/e.sql": "{{ config(materialized='ephemeral') }}select movie_id from {{ ref('v') }} where movie_id <= 3",
            "models/t.sql": "{{ config(materialized='table') }}select count(*) as n from {{ ref('e') }}",
        ])
        #expect(summary.succeeded)
        #expect(try rows(engine, "select n from serving.t") == [["3"]])
        let tables = engine.warehouse.tables
        #expect(tables.first { $0.name == "v" }?.isView == true)
        #expect(!tables.contains { $0.name == "e" })
        #expect(tables.first { $0.name == "t" }?.properties["materialization"] == "table")
    }

    @Test func incrementalAppendMergeAndSchemaChange() throws {
        let db = try warehouse()
        defer { TestEnvironment.remove(db) }
        let source = "models/src.sql"
        var files = [
            source: "{{ config(materialized='table') }}select userId as user_id, movieId as movie_id, rating from raw.raw_ratings where userId <= {{ var('max_user', 2) }}",
            "models/inc.sql": """
                {{ config(materialized='incremental') }}
                select * from {{ ref('src') }}
                {% if is_incremental() %}where user_id > (select max(user_id) from {{ this }}){% endif %}
                """,
        ]
        var (summary, engine, _) = try build(db, files)
        #expect(summary.succeeded)
        let first = try rows(engine, "select count(*) from serving.inc")[0][0]
        (summary, engine, _) = try build(db, files, vars: [("max_user", .int(4))])
        let added = summary.results.first { $0.node.name == "inc" }?.rows
        let total = try rows(engine, "select count(*) from serving.inc")[0][0]
        let expected = try rows(engine, "select count(*) from raw.raw_ratings where userId <= 4")[0][0]
        #expect(total == expected && Int(total)! - Int(first)! == added)

        // on_schema_change: fail stops; append_new_columns adds the column with NULLs for old rows.
        files[source] = files[source]!.replacingOccurrences(of: "rating from", with: "rating, 1 as extra from")
        files["models/inc.sql"] = files["models/inc.sql"]!.replacingOccurrences(of: "materialized='incremental'",
                                                                                 with: "materialized='incremental', on_schema_change='fail'")
        (summary, engine, _) = try build(db, files, vars: [("max_user", .int(5))])
        #expect(!summary.succeeded)
        #expect(summary.results.first { $0.node.name == "inc" }?.message.contains("on_schema_change is fail") == true)
        files["models/inc.sql"] = files["models/inc.sql"]!.replacingOccurrences(of: "'fail'", with: "'append_new_columns'")
        (summary, engine, _) = try build(db, files, vars: [("max_user", .int(5))])
        #expect(summary.succeeded)
        #expect(try rows(engine, "select count(*), count(extra) from serving.inc")
            == [[try rows(engine, "select count(*) from raw.raw_ratings where userId <= 5")[0][0],
                 try rows(engine, "select count(*) from raw.raw_ratings where userId = 5")[0][0]]])
    }

    @Test func mergeReplacesRowsByUniqueKey() throws {
        let db = try warehouse()
        defer { TestEnvironment.remove(db) }
        let files = [
            "models/latest.sql": """
                {{ config(materialized='incremental', unique_key='movie_id') }}
                select movieId as movie_id, max(rating) + {{ var('bump', 0) }} as best
                from raw.raw_ratings
                {% if is_incremental() %}where movieId <= 2{% endif %}
                group by movieId
                """,
        ]
        var (summary, engine, _) = try build(db, files)
        #expect(summary.succeeded)
        let before = try rows(engine, "select movie_id, best from serving.latest order by movie_id")
        (summary, engine, _) = try build(db, files, vars: [("bump", .int(10))])
        #expect(summary.succeeded)
        let after = try rows(engine, "select movie_id, best from serving.latest order by movie_id")
        #expect(after.count == before.count)
        for (a, b) in zip(after, before) {
            let bumped = Int(a[0])! <= 2
            #expect(Double(a[1])! == Double(b[1])! + (bumped ? 10 : 0), "movie \(a[0])")
        }
        #expect(!engine.warehouse.tables.contains { $0.name.hasSuffix("__dbt_tmp") })
        // --full-refresh rebuilds from scratch (every row bumped).
        (summary, engine, _) = try build(db, files, fullRefresh: true, vars: [("bump", .int(10))])
        #expect(try rows(engine, "select count(*) from serving.latest where best >= 10")[0][0] == String(before.count))
    }

    @Test func failingTestSkipsDownstreamAndSeedsLoad() throws {
        let db = try warehouse()
        defer { TestEnvironment.remove(db) }
        let (summary, engine, lines) = try build(db, [
            "seeds/codes.csv": "code,label,day\n1,one,2020-01-02\n2,\"t,wo\",\n",
            "models/base.sql": "select movieId as movie_id from raw.raw_ratings",
            "models/after.sql": "select count(*) as n from {{ ref('base') }}",
            "models/other.sql": "select * from {{ ref('codes') }}",
            "models/schema.yml": "models:\n  - name: base\n    columns:\n      - name: movie_id\n        data_tests:\n          - unique\n          - not_null:\n              config:\n                severity: warn\n",
        ])
        #expect(!summary.succeeded)
        let status = Dictionary(uniqueKeysWithValues: summary.results.map { ($0.node.name, $0.status) })
        #expect(status["unique_base_movie_id"] == .fail)
        #expect(status["after"] == .skipped)
        #expect(status["other"] == .success)
        #expect(status["codes"] == .success)
        #expect(lines.last?.hasPrefix("Done. PASS=") == true)
        #expect(try rows(engine, "select code, label, day from main.codes order by code") == [["1", "one", "2020-01-02"], ["2", "t,wo", "NULL"]])
        let types = engine.warehouse.tables.first { $0.name == "codes" }!.columns.map(\.type)
        #expect(types == [.int32, .varchar, .date])
    }

    /// A seed's `column_types` take SQL's type syntax: `number(10, 2)` rounds each value to two
    /// decimals and keeps the precision in the catalog; a value that does not fit fails the seed.
    @Test func seedColumnTypesWithPrecision() throws {
        let db = try warehouse()
        defer { TestEnvironment.remove(db) }
        let project = "name: t\nseeds:\n  t:\n    prices:\n      +column_types:\n        price: number(10, 2)\n        code: varchar(8)\n        units: NUMBER\n"
        let (summary, engine, _) = try build(db, ["dbt_project.yml": project, "seeds/prices.csv": "code,price,units\na,1.005,2.5\nb,-3.14159,7\nc,,\n"])
        #expect(summary.succeeded)
        #expect(try rows(engine, "select code, price, units from main.prices order by code") == [["a", "1.01", "3"], ["b", "-3.14", "7"], ["c", "NULL", "NULL"]])
        let columns = engine.warehouse.tables.first { $0.name == "prices" }!.columns
        #expect(columns.map(\.typeDescription) == ["VARCHAR", "DECIMAL(10,2)", "DECIMAL(38,0)"])

        let db2 = try warehouse()
        defer { TestEnvironment.remove(db2) }
        let (failed, _, _) = try build(db2, ["dbt_project.yml": project, "seeds/prices.csv": "code,price,units\na,123456789.5,1\n"])
        #expect(!failed.succeeded)
    }

    /// The check strategy: a changed checked column closes the version at snapshot time and
    /// opens a new one; a change elsewhere, or none, adds nothing.
    @Test func checkStrategySnapshot() throws {
        let db = try warehouse()
        defer { TestEnvironment.remove(db) }
        let engine = QueryEngine(warehouse: try Warehouse.open(db), threads: 1)
        _ = try engine.query("CREATE TABLE main.items AS SELECT movieId AS id, title, genres FROM raw.raw_movies WHERE movieId <= 3")
        let files = [
            "snapshots/items_history.sql": """
                {% snapshot items_history %}
                {{ config(target_schema='snapshots', unique_key='id', strategy='check', check_cols=['genres']) }}
                select * from main.items
                {% endsnapshot %}
                """,
        ]
        var (summary, e, _) = try build(db, files, command: .snapshot)
        #expect(summary.succeeded)
        #expect(try rows(e, "select count(*), count(dbt_valid_to) from snapshots.items_history") == [["3", "0"]])
        // Unchanged, and a change outside check_cols: nothing new.
        _ = try e.query("CREATE OR REPLACE TABLE main.items AS SELECT id, upper(title) AS title, genres FROM main.items")
        let version = try Warehouse.open(db).manifest.version
        (summary, e, _) = try build(db, files, command: .snapshot)
        #expect(try rows(e, "select count(*), count(dbt_valid_to) from snapshots.items_history") == [["3", "0"]])
        #expect(try Warehouse.open(db).manifest.version == version, "no change, no commit")
        // A checked column changes for id 2.
        _ = try e.query("CREATE OR REPLACE TABLE main.items AS SELECT id, title, CASE WHEN id = 2 THEN 'Changed' ELSE genres END AS genres FROM main.items")
        let before = Date()
        (summary, e, _) = try build(db, files, command: .snapshot)
        #expect(summary.succeeded)
        let versions = try rows(e, "select id, genres, dbt_valid_to is null, dbt_valid_from, dbt_valid_to from snapshots.items_history where id = 2 order by dbt_valid_from")
        #expect(versions.count == 2)
        #expect(versions.first?[2] == "false" && versions.last?[1] == "Changed" && versions.last?[2] == "true")
        // Closed at the snapshot time, which is also the new version's start.
        #expect(versions.first?[4] == versions.last?[3])
        let closedAt = try rows(e, "select date_part('epoch', max(dbt_valid_to)) from snapshots.items_history")[0][0]
        #expect(abs((Double(closedAt) ?? 0) - before.timeIntervalSince1970) < 120)
        #expect(try rows(e, "select count(*) from snapshots.items_history where dbt_valid_to is null") == [["3"]])
    }

    /// A snapshot source that repeats a unique key: the latest rows per key win and exact
    /// copies count once, so reruns on unchanged input add nothing (they multiplied before);
    /// rows that tie on key and time resolve to each column's largest value, on every run.
    @Test func snapshotOfRepeatedKeysKeepsItsRowCount() throws {
        let db = try warehouse()
        defer { TestEnvironment.remove(db) }
        let engine = QueryEngine(warehouse: try Warehouse.open(db), threads: 1)
        // (1, 1, pixar) twice exactly; (1, 1, funny, quirky) twice at different times.
        _ = try engine.query("""
            CREATE TABLE main.tag_rows AS
            SELECT userId, movieId, tag, to_timestamp(timestamp) AS ts FROM raw.raw_tags
            UNION ALL SELECT userId, movieId, tag, to_timestamp(timestamp) FROM raw.raw_tags WHERE tag = 'pixar'
            UNION ALL SELECT userId, movieId, tag, to_timestamp(timestamp + 100) FROM raw.raw_tags WHERE tag = 'funny, quirky'
            """)
        let files = [
            "snapshots/tag_history.sql": """
                {% snapshot tag_history %}
                {{ config(target_schema='snapshots', unique_key=['userId', 'movieId', 'tag'], strategy='timestamp', updated_at='ts') }}
                select * from main.tag_rows
                {% endsnapshot %}
                """,
        ]
        let distinct = try rows(engine, "select count(*) from (select distinct userId, movieId, tag from main.tag_rows) d")[0][0]
        var counts: [String] = []
        for _ in 0..<5 {
            let (summary, e, _) = try build(db, files, command: .snapshot)
            #expect(summary.succeeded)
            counts.append(try rows(e, "select count(*) from snapshots.tag_history")[0][0])
        }
        #expect(counts == Array(repeating: distinct, count: 5))
        let (_, e, _) = try build(db, files, command: .snapshot)
        let latest = try rows(e, "select date_part('epoch', ts) - date_part('epoch', dbt_valid_from) from snapshots.tag_history where tag = 'funny, quirky'")
        #expect(latest == [["0"]])
        #expect(try rows(e, "select max(to_timestamp(timestamp + 100)) = max(ts) from raw.raw_tags, snapshots.tag_history where tag_history.tag = 'funny, quirky' and raw_tags.tag = 'funny, quirky'") == [["true"]])
        // Two different rows with the same key and time: each other column's largest value.
        _ = try e.query("""
            CREATE OR REPLACE TABLE main.tag_rows AS
            SELECT userId, movieId, tag, to_timestamp(timestamp) AS ts, 'x' AS note FROM raw.raw_tags
            UNION ALL SELECT userId, movieId, tag, to_timestamp(timestamp), 'y' FROM raw.raw_tags WHERE tag = 'pixar'
            """)
        var tied = files
        tied["snapshots/tag_history.sql"] = tied["snapshots/tag_history.sql"]!.replacingOccurrences(of: "tag_history", with: "tag_history2")
        for _ in 0..<3 {
            let (summary, e2, _) = try build(db, tied, command: .snapshot)
            #expect(summary.succeeded)
            #expect(try rows(e2, "select count(*), count(DISTINCT note) from snapshots.tag_history2") == [[distinct, "2"]])
            #expect(try rows(e2, "select note from snapshots.tag_history2 where tag = 'pixar'") == [["y"]])
        }
    }
}
