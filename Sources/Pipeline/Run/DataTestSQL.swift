// The queries of the generic data tests, equivalent to dbt's, so the failing-row counts
// mean the same: one row per offending row for not_null and relationships, one per
// duplicated value for unique, one per distinct rejected value for accepted_values.

enum DataTestSQL {
    static func sql(for test: GenericTest, node: Node, project: Project) throws(ProjectError) -> String {
        guard let relation = project.relation(of: test.target) else {
            throw ProjectError("test \(node.name) refers to \(test.target), which is not in the project", file: node.path)
        }
        let model = node.config.whereClause.map { "(select * from \(relation) where \($0)) dbt_subquery" } ?? relation
        let column = test.column
        switch test.kind {
        case "not_null":
            return "select \(column)\nfrom \(model)\nwhere \(column) is null"
        case "unique":
            return """
                select \(column) as unique_field, count(*) as n_records
                from \(model)
                where \(column) is not null
                group by \(column)
                having count(*) > 1
                """
        case "accepted_values":
            let values = test.values.map { v -> String in
                if !test.quote { return v.rendered }
                return "'" + v.rendered.replacingOccurrences(of: "'", with: "''") + "'"
            }
            return """
                with all_values as (
                    select \(column) as value_field, count(*) as n_records
                    from \(model)
                    group by \(column)
                )
                select * from all_values
                where value_field not in (\(values.joined(separator: ", ")))
                """
        case "relationships":
            guard let to = test.to, let parent = project.relation(of: to), let field = test.field else {
                throw ProjectError("test \(node.name): relationships target is not in the project", file: node.path)
            }
            // dbt writes child LEFT JOIN parent ... WHERE parent.to_field IS NULL; NOT IN over
            // non-NULL values returns the same rows (one per orphan) as an anti join that
            // builds only the parent.
            return """
                with child as (
                    select \(column) as from_field
                    from \(model)
                    where \(column) is not null
                )
                select from_field
                from child
                where from_field not in (
                    select \(field) as to_field from \(parent) where \(field) is not null
                )
                """
        default:
            throw ProjectError("unsupported generic test \(test.kind)", file: node.path)
        }
    }
}
