// The Jinja subset: what real dbt models use renders as dbt renders it, and everything
// else stops with the file, the line and what is supported.

import Testing
@testable import Pipeline

@Suite struct TemplateTests {
    /// A context with a couple of names and a recording `ref`.
    final class Context: TemplateContext {
        var refs: [String] = []
        func global(_ name: String) -> JinjaValue? {
            name == "this" ? .relation(schema: "serving", name: "me") : nil
        }
        func call(_ name: String, args: [JinjaValue], kwargs: [(String, JinjaValue)], file: String, line: Int) throws(ProjectError) -> JinjaValue {
            switch name {
            case "ref":
                refs.append(args[0].stringValue ?? "?")
                return .relation(schema: "s", name: args[0].stringValue ?? "?")
            case "upper_of": return .string((args[0].stringValue ?? "").uppercased())
            default: throw ProjectError("unsupported template function '\(name)'", file: file, line: line)
            }
        }
    }

    func render(_ text: String, explore: Bool = false) throws -> String {
        var r = TemplateRenderer(exploreAllBranches: explore)
        return try r.render(Template(parsing: text, file: "m.sql"), context: Context())
    }

    @Test func expressionsAndRelations() throws {
        #expect(try render("select * from {{ ref('a') }} join {{ this }}") == "select * from s.a join serving.me")
        #expect(try render("{{ 1 + 2 }} {{ 'x' ~ 3 }} {{ [1, 'b'] }} {{ not true }} {{ 7 > 3 and 'a' in ['a'] }}") == "3 x3 [1, 'b'] False True")
        #expect(try render("{{ this.schema }}.{{ this.name }}") == "serving.me")
        #expect(try render("{{ {'k': 'v'}['k'] }}") == "v")
        #expect(try render("{{ upper_of('abc') }}") == "ABC")
    }

    @Test func controlFlow() throws {
        let t = """
            {% set cols = ['a', 'b', 'c'] %}select {% for c in cols %}{{ c }}{% if not loop.last %}, {% endif %}{% endfor %}
            {% if false %}never{% elif 1 == 1 %}elif{% else %}else{% endif %}
            """
        #expect(try render(t) == "select a, b, c\nelif")
    }

    @Test func whitespaceControlAndComments() throws {
        #expect(try render("a  {%- if true -%}  b  {%- endif -%}  c{# gone #}") == "abc")
        #expect(try render("x\n{# a comment\nover lines #}\ny") == "x\n\ny")
    }

    @Test func exploreRendersEveryBranch() throws {
        let ctx = Context()
        var r = TemplateRenderer(exploreAllBranches: true)
        _ = try r.render(Template(parsing: "{% if false %}{{ ref('one') }}{% else %}{{ ref('two') }}{% endif %}", file: "m.sql"), context: ctx)
        #expect(ctx.refs == ["one", "two"])
    }

    @Test func snapshotBlock() throws {
        var r = TemplateRenderer()
        let out = try r.render(Template(parsing: "{% snapshot snap %}select 1{% endsnapshot %}", file: "s.sql"), context: Context())
        #expect(out == "select 1")
        #expect(r.snapshotName == "snap")
    }

    @Test func unsupportedThingsNameFileAndLine() {
        func message(_ text: String) -> String {
            do { _ = try render(text); return "no error" } catch { return "\(error)" }
        }
        #expect(message("select 1\n{% macro m() %}x{% endmacro %}").hasPrefix("m.sql:2: unsupported template tag {% macro %}"))
        #expect(message("a\nb\n{{ x | upper }}").hasPrefix("m.sql:3: template filters (|) are not supported"))
        #expect(message("{{ adapter_call() }}").contains("unsupported template function 'adapter_call'"))
        #expect(message("{% if true %}x").hasPrefix("m.sql:1: {% if %} is not closed"))
        #expect(message("x {{ y").contains("unterminated {{"))
        #expect(message("{{ nope }}").hasPrefix("m.sql:1: unknown template name 'nope'"))
        #expect(message("{% endif %}").contains("without a matching opening tag"))
    }

    @Test func surrogateKeyMatchesDbtUtils() {
        #expect(DbtContext.surrogateKey(["a", "b"])
            == "md5(cast(coalesce(cast(a as varchar), '_dbt_utils_surrogate_key_null_') || '-' || coalesce(cast(b as varchar), '_dbt_utils_surrogate_key_null_') as varchar))")
    }

    /// Deeply nested expressions and blocks stop with the file and line, not a stack overflow.
    @Test func deepNestingIsAnError() throws {
        for text in ["{{ " + String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000) + " }}",
                     "{{ " + Array(repeating: "1", count: 10_000).joined(separator: " + ") + " }}",
                     "{{ " + String(repeating: "not ", count: 10_000) + "true }}",
                     "{{ " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + " }}",
                     String(repeating: "{% if true %}", count: 5_000) + "x" + String(repeating: "{% endif %}", count: 5_000)] {
            #expect { _ = try render(text) } throws: { error in
                let e = error as? ProjectError
                return e?.description.contains("nested") == true && e?.description.contains("m.sql") == true
            }
        }
        #expect(try render("{{ " + Array(repeating: "1", count: 150).joined(separator: " + ") + " }}") == "150")
    }
}
