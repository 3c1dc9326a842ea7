// `moviecol docs`: one self-contained HTML page (no network) with the lineage DAG drawn as
// SVG and, per model, its SQL, materialization, columns with types and descriptions, tests
// and row counts; plus the graph as DOT and Mermaid files.

import Columnar
import Foundation

public enum DocsSite {
    /// Writes index.html, lineage.dot and lineage.mmd into `directory`; returns the files written.
    public static func write(project: Project, tables: [TableMetadata], testStatus: [String: String] = [:],
                             to directory: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let graph = LineageGraph(project: project)
        let files = [
            ("index.html", html(project: project, graph: graph, tables: tables, testStatus: testStatus)),
            ("lineage.dot", graph.dot),
            ("lineage.mmd", graph.mermaid),
        ]
        var written: [String] = []
        for (name, text) in files {
            let path = (directory as NSString).appendingPathComponent(name)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            written.append(path)
        }
        return written
    }

    package static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    static func anchor(_ id: String) -> String { "n-" + id.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined() }

    // MARK: SVG

    static func svg(_ graph: LineageGraph) -> String {
        let boxW = 210, boxH = 34, gapX = 70, gapY = 14, pad = 16
        let layers = (graph.nodes.map(\.layer).max() ?? 0) + 1
        let rows = (graph.nodes.map(\.row).max() ?? 0) + 1
        let width = pad * 2 + layers * boxW + (layers - 1) * gapX
        let height = pad * 2 + rows * boxH + (rows - 1) * gapY
        func position(_ n: LineageNode) -> (Int, Int) { (pad + n.layer * (boxW + gapX), pad + n.row * (boxH + gapY)) }
        let byId = Dictionary(uniqueKeysWithValues: graph.nodes.map { ($0.id, $0) })
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"Lineage graph\">\n"
        out += "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#64748b\"/></marker></defs>\n"
        for e in graph.edges {
            guard let a = byId[e.from], let b = byId[e.to] else { continue }
            let (ax, ay) = position(a), (bx, by) = position(b)
            let x1 = ax + boxW, y1 = ay + boxH / 2, x2 = bx, y2 = by + boxH / 2
            let mid = (x1 + x2) / 2
            out += "<path class=\"edge\" data-from=\"\(anchor(e.from))\" data-to=\"\(anchor(e.to))\" d=\"M\(x1),\(y1) C\(mid),\(y1) \(mid),\(y2) \(x2),\(y2)\" fill=\"none\" stroke=\"#94a3b8\" stroke-width=\"1.3\" marker-end=\"url(#arrow)\"/>\n"
        }
        for n in graph.nodes {
            let (x, y) = position(n)
            let label = n.label.count > 30 ? String(n.label.prefix(29)) + "…" : n.label
            out += "<a href=\"#\(anchor(n.id))\"><g class=\"node\" id=\"g-\(anchor(n.id))\"><title>\(escape(n.label)) (\(escape(n.kind)))</title>"
            out += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(boxW)\" height=\"\(boxH)\" rx=\"8\" fill=\"\(LineageGraph.color(n.group))\" stroke=\"#475569\" stroke-width=\"1\"/>"
            out += "<text x=\"\(x + 10)\" y=\"\(y + 15)\" font-size=\"12\" font-family=\"ui-sans-serif,system-ui,sans-serif\" fill=\"#0f172a\">\(escape(label))</text>"
            out += "<text x=\"\(x + 10)\" y=\"\(y + 28)\" font-size=\"10\" font-family=\"ui-sans-serif,system-ui,sans-serif\" fill=\"#475569\">\(escape(n.kind))</text></g></a>\n"
        }
        return out + "</svg>"
    }

    // MARK: Page

    static func html(project: Project, graph: LineageGraph, tables: [TableMetadata], testStatus: [String: String]) -> String {
        let compiler = Compiler(project: project)
        func table(_ schema: String, _ name: String) -> TableMetadata? {
            tables.first { $0.schema.lowercased() == schema.lowercased() && $0.name.lowercased() == name.lowercased() }
        }
        let testsOf = Dictionary(grouping: project.nodes.filter { $0.resourceType == .test }) { $0.dependsOn.first ?? "" }
        var sections = ""
        var index = ""
        for s in project.sources {
            let t = table(s.schema, s.identifier)
            index += "<li><a href=\"#\(anchor(s.uniqueId))\">\(escape(s.qualifiedName))</a> <span class=\"kind\">source</span></li>\n"
            sections += "<section id=\"\(anchor(s.uniqueId))\" class=\"model\"><h2>\(escape(s.qualifiedName)) <span class=\"badge raw\">source \(escape(s.sourceName)).\(escape(s.name))</span></h2>\n"
            sections += "<p>\(escape(s.description))</p>\n" + facts([("rows", t.map { String($0.rowCount) } ?? "not loaded"), ("file", s.path)])
            sections += columns(s.columns, t, tests: testsOf[s.uniqueId] ?? [], status: testStatus) + "</section>\n"
        }
        for n in project.nodes where n.resourceType != .test {
            let t = table(n.schema, n.relationName)
            let rows = n.materialization == "view" ? "view (computed when read)" : n.materialization == "ephemeral" ? "ephemeral (inlined)"
                : t.map { String($0.rowCount) } ?? "not built"
            index += "<li><a href=\"#\(anchor(n.uniqueId))\">\(escape(n.qualifiedName))</a> <span class=\"kind\">\(escape(n.materialization))</span></li>\n"
            sections += "<section id=\"\(anchor(n.uniqueId))\" class=\"model\"><h2>\(escape(n.qualifiedName)) <span class=\"badge \(escape(n.schema))\">\(escape(n.materialization))</span></h2>\n"
            sections += "<p>\(escape(n.description))</p>\n"
            var f: [(String, String)] = [("rows", rows), ("file", n.path), ("tags", n.config.tags.joined(separator: ", "))]
            if !n.dependsOn.isEmpty { f.append(("depends on", n.dependsOn.map { project.relation(of: $0) ?? $0 }.joined(separator: ", "))) }
            if let k = n.config.uniqueKey { f.append(("unique key", k.joined(separator: ", "))) }
            if let g = n.config.grants["select"] { f.append(("select granted to", g.joined(separator: ", "))) }
            sections += facts(f)
            sections += columns(n.columns, t, tests: testsOf[n.uniqueId] ?? [], status: testStatus)
            if n.resourceType != .seed {
                sections += "<details><summary>SQL (as written)</summary><pre><code>\(escape(n.rawCode))</code></pre></details>\n"
                if let compiled = try? compiler.compile(n) {
                    sections += "<details><summary>SQL (compiled)</summary><pre><code>\(escape(compiled))</code></pre></details>\n"
                }
            }
            sections += "</section>\n"
        }
        let singular = project.nodes.filter { $0.resourceType == .test && $0.generic == nil }
        if !singular.isEmpty {
            sections += "<section class=\"model\"><h2>Singular tests</h2><ul>"
            for t in singular {
                sections += "<li><code>\(escape(t.name))</code> \(statusBadge(testStatus[t.uniqueId]))<pre><code>\(escape(t.rawCode))</code></pre></li>"
            }
            sections += "</ul></section>\n"
        }
        let modelCount = project.nodes.filter { $0.resourceType == .model }.count
        let testCount = project.nodes.filter { $0.resourceType == .test }.count
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(project.name)): lineage and docs</title>
            <style>
            :root { --fg:#0f172a; --muted:#475569; --line:#e2e8f0; }
            * { box-sizing: border-box; }
            body { margin:0; font:14px/1.5 ui-sans-serif,system-ui,-apple-system,"Segoe UI",sans-serif; color:var(--fg); background:#f8fafc; }
            header { padding:20px 28px; background:#0f172a; color:white; }
            header h1 { margin:0; font-size:20px; } header p { margin:4px 0 0; color:#cbd5e1; }
            main { display:grid; grid-template-columns: 260px 1fr; gap:20px; padding:20px 28px; }
            nav { position:sticky; top:12px; align-self:start; max-height:95vh; overflow:auto; background:white; border:1px solid var(--line); border-radius:10px; padding:12px; }
            nav input { width:100%; padding:6px 8px; border:1px solid var(--line); border-radius:6px; margin-bottom:8px; }
            nav ul { list-style:none; margin:0; padding:0; } nav li { padding:2px 0; } nav a { color:var(--fg); text-decoration:none; }
            .kind { color:var(--muted); font-size:12px; }
            main > div { min-width:0; }
            .graph { background:white; border:1px solid var(--line); border-radius:10px; padding:12px; overflow:auto; }
            .legend span { display:inline-block; margin-right:14px; font-size:12px; } .legend i { display:inline-block; width:12px; height:12px; border-radius:3px; margin-right:4px; vertical-align:-2px; border:1px solid #94a3b8; }
            .model { background:white; border:1px solid var(--line); border-radius:10px; padding:16px 20px; margin-top:16px; }
            .model h2 { margin:0 0 6px; font-size:17px; }
            .badge { font-size:11px; font-weight:600; padding:2px 8px; border-radius:999px; background:#fef3c7; vertical-align:middle; }
            .badge.raw { background:#e5e7eb; } .badge.staging { background:#dbeafe; } .badge.serving { background:#dcfce7; } .badge.snapshots { background:#ede9fe; }
            table { border-collapse:collapse; width:100%; margin:8px 0; } th, td { text-align:left; padding:5px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
            th { color:var(--muted); font-weight:600; font-size:12px; }
            dl { display:grid; grid-template-columns: max-content 1fr; gap:2px 14px; margin:6px 0; } dt { color:var(--muted); } dd { margin:0; }
            pre { background:#0f172a; color:#e2e8f0; padding:12px; border-radius:8px; overflow:auto; font-size:12px; }
            .pass { color:#15803d; } .fail { color:#b91c1c; } .warn { color:#b45309; }
            svg a:hover rect { stroke-width:2.5; } .dim { opacity:.25; }
            @media (max-width: 800px) { main { grid-template-columns: 1fr; } nav { position:static; max-height:none; } }
            </style></head><body>
            <header><h1>\(escape(project.name)) lineage and docs</h1>
            <p>\(modelCount) models, \(project.sources.count) sources, \(testCount) data tests. Generated by moviecol from \(escape(project.root)).</p></header>
            <main><nav><input id="filter" placeholder="Filter models" aria-label="Filter models"><ul id="index">
            \(index)</ul></nav>
            <div><div class="graph"><div class="legend"><span><i style="background:#e5e7eb"></i>raw (sources)</span><span><i style="background:#dbeafe"></i>staging</span><span><i style="background:#dcfce7"></i>serving</span><span><i style="background:#ede9fe"></i>snapshots</span><span><i style="background:#fef3c7"></i>other</span></div>
            \(svg(graph))</div>
            \(sections)</div></main>
            <script>
            // Filter the index; hovering a graph node dims what it is not connected to.
            const filter = document.getElementById('filter');
            filter.addEventListener('input', () => {
              const q = filter.value.toLowerCase();
              for (const li of document.querySelectorAll('#index li')) li.style.display = li.textContent.toLowerCase().includes(q) ? '' : 'none';
            });
            for (const g of document.querySelectorAll('g.node')) {
              const id = g.id.slice(2);
              g.addEventListener('mouseenter', () => {
                const keep = new Set([id]);
                for (const e of document.querySelectorAll('path.edge')) {
                  if (e.dataset.from === id) keep.add(e.dataset.to);
                  if (e.dataset.to === id) keep.add(e.dataset.from);
                }
                for (const n of document.querySelectorAll('g.node')) n.classList.toggle('dim', !keep.has(n.id.slice(2)));
                for (const e of document.querySelectorAll('path.edge')) e.classList.toggle('dim', e.dataset.from !== id && e.dataset.to !== id);
              });
              g.addEventListener('mouseleave', () => { for (const n of document.querySelectorAll('.dim')) n.classList.remove('dim'); });
            }
            </script></body></html>

            """
    }

    static func facts(_ pairs: [(String, String)]) -> String {
        "<dl>" + pairs.filter { !$0.1.isEmpty }.map { "<dt>\(escape($0.0))</dt><dd>\(escape($0.1))</dd>" }.joined() + "</dl>\n"
    }

    static func statusBadge(_ status: String?) -> String {
        guard let status else { return "" }
        let cls = status == "pass" ? "pass" : status == "warn" ? "warn" : "fail"
        return "<span class=\"\(cls)\">\(escape(status))</span>"
    }

    static func columns(_ docs: [ColumnDoc], _ table: TableMetadata?, tests: [Node], status: [String: String]) -> String {
        var names = docs.map(\.name)
        for c in table?.columns ?? [] where !names.contains(where: { $0.lowercased() == c.name.lowercased() }) { names.append(c.name) }
        guard !names.isEmpty else { return "" }
        var out = "<table><thead><tr><th>column</th><th>type</th><th>description</th><th>tests</th></tr></thead><tbody>\n"
        for name in names {
            let type = table?.columns.first { $0.name.lowercased() == name.lowercased() }?.type.description ?? ""
            let doc = docs.first { $0.name.lowercased() == name.lowercased() }?.description ?? ""
            let t = tests.filter { $0.generic?.column.lowercased() == name.lowercased() }
                .map { "\(escape($0.generic!.kind)) \(statusBadge(status[$0.uniqueId]))" }.joined(separator: "<br>")
            out += "<tr><td><code>\(escape(name))</code></td><td>\(escape(type))</td><td>\(escape(doc))</td><td>\(t)</td></tr>\n"
        }
        return out + "</tbody></table>\n"
    }
}
