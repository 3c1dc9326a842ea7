// SCD Type 2 snapshots as dbt builds them. Each run is one atomic commit that changes only
// the rows that change: current versions are closed in place (a MERGE on the source's keys
// when the row changed, an UPDATE when, with hard deletes invalidated, the key vanished;
// deletion vectors plus the closed rows appended) and new versions (keys never seen, or
// changed) are appended. Closed history is not read or rewritten. An unchanged source adds
// nothing and commits nothing.
//
// The source must give one row per unique key. When it repeats a key, the rule is: the rows
// with the latest updated_at win (all of the key's rows for the check strategy), and among
// them each other column takes its largest value, so exact copies count once and any tie
// resolves the same way on every run. Without a rule each repeated key would open one version
// per copy and multiply on every run (dbt leaves this to a uniqueness test; a snapshot here
// must never grow on its own). Keys that do not repeat pass through untouched.

import Columnar
import Engine
import Foundation

struct SnapshotBuilder {
    let materializer: Materializer
    let compiler: Compiler

    func build(_ node: Node, now: Date = Date()) throws(ProjectError) -> BuildOutcome {
        let sql = try compiler.compile(node)
        let target = node.qualifiedName
        let keys = node.config.uniqueKey ?? []
        let sourceColumns = try materializer.columns(of: sql, file: node.path)
        let names = sourceColumns.map { $0.name.lowercased() }
        for k in keys where !names.contains(k.lowercased()) {
            throw ProjectError("snapshot \(node.name): unique_key column \(k) is not selected", file: node.path)
        }
        let q = materializer.quote
        let nowLiteral = "cast('\(Self.timestampText(now))' as timestamp)"
        let strategy = node.config.strategy ?? "timestamp"
        var updatedType: LogicalType = .timestamp
        var updated = nowLiteral
        if strategy == "timestamp" {
            guard let column = node.config.updatedAt, let i = names.firstIndex(of: column.lowercased()) else {
                throw ProjectError("snapshot \(node.name): updated_at column \(node.config.updatedAt ?? "?") is not selected", file: node.path)
            }
            updatedType = sourceColumns[i].type
            updated = "src.\(q(sourceColumns[i].name))"
        }
        let keyText = keys.map { "coalesce(cast(src.\(q($0)) as varchar), '')" }.joined(separator: " || '|' || ")
        let scdId = "md5(\(keyText) || '|' || coalesce(cast(\(updated) as varchar), ''))"
        let sourceList = sourceColumns.map { "src.\(q($0.name))" }.joined(separator: ", ")
        let newVersions = "\(sourceList), \(scdId) as dbt_scd_id, \(updated) as dbt_updated_at, \(updated) as dbt_valid_from, "
            + "cast(null as \(updatedType)) as dbt_valid_to"
        let annotations = materializer.annotations(node)
        let keyList = keys.map { q($0) }.joined(separator: ", ")
        // The source is inlined where it is read, so each read streams on every core. Only a
        // source that repeats a key goes through the rule (CTEs computed once per statement);
        // finding that out costs one pass grouping 64-bit hashes of the keys, run only when
        // something is about to be written.
        let inlined = "(\n\(sql)\n) src"
        func oneRowPerKey() throws(ProjectError) -> (source: String, src: String) {
            let anyNull = keys.map { "\(q($0)) is null" }.joined(separator: " or ")
            let check = try materializer.query("""
                select count(*), coalesce(sum(__nulls), 0) from (
                  select hash(\(keyList)) as __h, count(*) as __copies, max(case when \(anyNull) then 1 else 0 end) as __nulls
                  from \(inlined) group by __h) d
                where __copies > 1 or __nulls > 0
                """, file: node.path)
            if case .int(let n) = check.rows.columns[1].value(at: 0), n > 0 {
                throw ProjectError("snapshot \(node.name): unique_key (\(keys.joined(separator: ", "))) is NULL in some source rows; "
                                   + "a snapshot needs a key on every row", file: node.path)
            }
            if case .int(0) = check.rows.columns[0].value(at: 0) { return ("", inlined) }
            return (resolvingSource(sql, keys: keys, columns: sourceColumns, updatedAt: strategy == "timestamp" ? node.config.updatedAt : nil), "src")
        }

        guard let existing = materializer.existing(node) else {
            let (source, src) = try oneRowPerKey()
            try materializer.run("create table \(target) as\n\(source)\nselect \(newVersions)\nfrom \(src)", annotations: annotations, file: node.path)
            return BuildOutcome(message: "snapshot \(target) (first run)", rows: materializer.existing(node)?.rowCount)
        }
        let expected = names + ["dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to"]
        guard existing.columns.map({ $0.name.lowercased() }) == expected else {
            throw ProjectError("snapshot \(node.name): the source's columns changed since \(target) was created "
                               + "(it has \(existing.columns.map(\.name).joined(separator: ", ")))", file: node.path)
        }
        let join = keys.map { "cur.\(q($0)) = src.\(q($0))" }.joined(separator: " and ")
        let changed: String
        let closedAt: String
        if strategy == "timestamp" {
            changed = "\(updated) > cur.dbt_updated_at"
            closedAt = updated
        } else {
            let keySet = Set(keys.map { $0.lowercased() })
            let checked = node.config.checkCols == ["all"] ? sourceColumns.map(\.name).filter { !keySet.contains($0.lowercased()) }
                : node.config.checkCols ?? []
            for c in checked where !names.contains(c.lowercased()) {
                throw ProjectError("snapshot \(node.name): check column \(c) is not selected", file: node.path)
            }
            changed = "(" + checked.map { "cur.\(q($0)) <> src.\(q($0)) or (cur.\(q($0)) is null) <> (src.\(q($0)) is null)" }
                .joined(separator: " or ") + ")"
            closedAt = nowLiteral
        }
        let deleted = node.config.invalidateHardDeletes ? nowLiteral : "cast(null as \(updatedType))"
        let current = "(select * from \(target) where dbt_valid_to is null)"
        let curList = sourceColumns.map { "cur.\(q($0.name))" }.joined(separator: ", ")
        // A source row opens a version unless a current version of its key is as new (or, for
        // check, the same): an anti join, so that it opens at most one version per run.
        let opens = "not exists (select 1 from \(current) cur where \(join) and not coalesce(\(changed), false))"
        let before = existing.rowCount
        // Most runs find nothing new: count first, and leave the table (and the warehouse
        // version) alone when no version opens or closes.
        let vanished = node.config.invalidateHardDeletes ? "src.\(q(keys[0])) is null or " : ""
        let probe = try materializer.query("""
            select (select count(*) from \(inlined) where \(opens)) as opening,
                   (select count(*) from \(current) cur left join \(inlined) on \(join)
                    where \(vanished)(src.\(q(keys[0])) is not null and \(changed))) as closing
            """, file: node.path)
        if case .int(0) = probe.rows.columns[0].value(at: 0), case .int(0) = probe.rows.columns[1].value(at: 0) {
            return BuildOutcome(message: "snapshot \(target) (no changes)", rows: 0)
        }
        let (source, src) = try oneRowPerKey()
        // The source, one row per key, and the new versions are staged first: both read the
        // current versions as they were before this run closes any.
        let stagedSource = "\(node.schema).\(node.relationName)__dbt_src"
        let stagedNew = "\(node.schema).\(node.relationName)__dbt_new"
        _ = curList
        try materializer.transaction(file: node.path) { () throws(ProjectError) in
            try materializer.run("create or replace table \(stagedSource) as\n\(source)\nselect * from \(src)", file: node.path)
            try materializer.run("create or replace table \(stagedNew) as select \(newVersions) from \(stagedSource) src where \(opens)",
                                 file: node.path)
            try materializer.run("""
                merge into \(target) cur using \(stagedSource) src on \(join) and cur.dbt_valid_to is null
                when matched and \(changed) then update set dbt_valid_to = \(closedAt)
                """, file: node.path)
            if node.config.invalidateHardDeletes {
                try materializer.run("""
                    update \(target) cur set dbt_valid_to = \(deleted)
                    where cur.dbt_valid_to is null and not exists (select 1 from \(stagedSource) src where \(join))
                    """, file: node.path)
            }
            try materializer.run("insert into \(target) select * from \(stagedNew)", annotations: annotations, file: node.path)
            try materializer.run("drop table \(stagedSource); drop table \(stagedNew)", file: node.path)
        }
        // Counted from the result, not by running the source again: every new version is a new
        // row; rows closed at this run's timestamp are vanished keys (and, for the check
        // strategy, changed ones).
        let n = (materializer.existing(node)?.rowCount ?? before) - before
        var gone = 0
        let closed = try materializer.query("select count(*) from \(target) where dbt_valid_to = \(nowLiteral)", file: node.path)
        if case .int(let c) = closed.rows.columns[0].value(at: 0) { gone = Int(c) }
        return BuildOutcome(message: "snapshot \(target) (\(n) new versions, \(gone) closed at snapshot time)", rows: n)
    }

    /// The CTEs that give `sql`'s rows one per key by the rule above, ending in `src`.
    private func resolvingSource(_ sql: String, keys: [String], columns: [PlanColumn], updatedAt: String?) -> String {
        let q = materializer.quote
        let keyList = keys.map { q($0) }.joined(separator: ", ")
        let onKeys = keys.map { "r.\(q($0)) = d.\(q($0))" }.joined(separator: " and ")
        let updatedColumn = updatedAt.map(q)
        let keySet = Set(keys.map { $0.lowercased() })
        let resolved = columns.map { c -> String in
            let name = q(c.name)
            if keySet.contains(c.name.lowercased()) || name == updatedColumn { return "r.\(name)" }
            return "max(r.\(name)) as \(name)"
        }.joined(separator: ", ")
        var latest = "", latestJoin = "", latestGroup = ""
        if let u = updatedColumn {
            latest = ",\n__latest as (select \(keyList), max(\(u)) as __latest from __rows r where exists "
                + "(select 1 from __repeated d where \(onKeys)) group by \(keyList))"
            latestJoin = " join __latest d on \(onKeys) and (r.\(u) = d.__latest or (r.\(u) is null and d.__latest is null))"
            latestGroup = ", r.\(u)"
        } else {
            latestJoin = " where exists (select 1 from __repeated d where \(onKeys))"
        }
        let groupKeys = keys.map { "r.\(q($0))" }.joined(separator: ", ")
        return "with __rows as (\n\(sql)\n),\n"
            + "__repeated as (select \(keyList) from __rows group by \(keyList) having count(*) > 1)\(latest),\n"
            + "src as (select * from __rows r where not exists (select 1 from __repeated d where \(onKeys))\n"
            + "        union all\n"
            + "        select \(resolved) from __rows r\(latestJoin) group by \(groupKeys)\(latestGroup))\n"
    }

    static func timestampText(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        return CivilTime.formatTimestamp(micros: micros)
    }
}
