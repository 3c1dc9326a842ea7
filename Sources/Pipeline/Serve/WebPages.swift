// The pages of `moviecol serve`. They hold no data and no inline script (the content security
// policy allows scripts from the server only): the scripts fetch the JSON API. The dashboard
// page draws with the report's own chart code, so the report and the app look the same.

public enum WebPages {
    static func escape(_ s: String) -> String { DocsSite.escape(s) }

    static func page(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title><link rel="stylesheet" href="/static/app.css"></head><body>
        \(body)
        </body></html>

        """
    }

    static func header(user: String, role: Role, current: String) -> String {
        func link(_ href: String, _ text: String) -> String {
            "<a href=\"\(href)\"\(href == current ? " class=\"current\"" : "")>\(text)</a>"
        }
        return """
            <header><div class="bar"><h1>MovieLens dashboards</h1><nav>\(link("/", "Dashboards"))\(link("/tables", "Tables &amp; SQL"))</nav>
            <form method="post" action="/logout" class="who"><span id="who">\(escape(user)) · \(role.rawValue)</span><button>Sign out</button></form></div>
            <div class="facts" id="facts"></div></header>
            """
    }

    static func login(message: String?) -> String {
        page(title: "Sign in · moviecol", body: """
            <main class="login"><form method="post" action="/login" class="card">
            <h1>MovieLens dashboards</h1><p class="sub">Sign in with the account from <code>moviecol user add</code>.</p>
            \(message.map { "<p class=\"error\" id=\"login-error\">\(escape($0))</p>" } ?? "")
            <label>User<input name="user" id="user" autocomplete="username" required autofocus></label>
            <label>Password<input name="password" id="password" type="password" autocomplete="current-password" required></label>
            <button type="submit" id="sign-in">Sign in</button></form></main>
            """)
    }

    static func message(_ text: String) -> String {
        page(title: "moviecol", body: "<main class=\"login\"><div class=\"card\"><p>\(escape(text))</p><p><a href=\"/\">Dashboards</a></p></div></main>")
    }

    static func dashboards(user: String, role: Role) -> String {
        page(title: "MovieLens dashboards", body: header(user: user, role: role, current: "/") + DashboardReport.filterBar
            + "<div id=\"error\" class=\"error\" hidden></div>\n<main id=\"cards\"></main>\n<script src=\"/static/dashboards.js\"></script>")
    }

    static func tables(user: String, role: Role) -> String {
        page(title: "Tables · MovieLens dashboards", body: header(user: user, role: role, current: "/tables") + """
            <main class="tables"><section class="card"><h2>Run SQL</h2>
            <div class="sub">One SELECT at a time, as \(role.rawValue): it sees the tables listed here and nothing else. Ctrl+Enter runs.</div>
            <textarea id="sql" spellcheck="false" rows="6">SELECT genre, rating_count, round(avg_rating, 3) AS avg_rating
            FROM serving.mart_genre_ratings ORDER BY avg_rating DESC NULLS LAST</textarea>
            <div class="actions"><button id="run">Run</button><span id="status" class="sub"></span></div>
            <pre id="query-error" class="error" hidden></pre><div id="result" class="result"></div></section>
            <section class="card"><h2>Tables you can read</h2><div id="table-list" class="sub">loading…</div></section></main>
            <script src="/static/tables.js"></script>
            """)
    }

    /// The report's CSS plus the app's header, sign-in and SQL box.
    static let css = DashboardReport.style + #"""
        header .bar { display:flex; flex-wrap:wrap; align-items:center; gap:8px 20px; margin-bottom:6px; }
        header .bar h1 { margin:0; }
        header nav { display:flex; gap:14px; flex:1; }
        header nav a { color:#cbd5e1; text-decoration:none; padding:2px 0; border-bottom:2px solid transparent; }
        header nav a.current, header nav a:hover { color:#fff; border-color:var(--accent2); }
        header .who { display:flex; gap:10px; align-items:center; color:#cbd5e1; font-size:13px; margin:0; }
        header .who button { font:inherit; font-size:12px; padding:3px 10px; border-radius:6px; border:1px solid #475569; background:transparent; color:#fff; cursor:pointer; }
        .error { color:#b91c1c; background:#fef2f2; border:1px solid #fecaca; border-radius:8px; padding:8px 12px; margin:12px 24px 0; white-space:pre-wrap; }
        main.login { display:flex; justify-content:center; padding:10vh 16px; }
        main.login .card { width:100%; max-width:360px; display:flex; flex-direction:column; gap:12px; }
        main.login h1 { font-size:20px; margin:0; }
        main.login label { display:flex; flex-direction:column; gap:4px; font-size:12px; color:var(--muted); }
        main.login input { font:inherit; padding:8px 10px; border:1px solid var(--line); border-radius:6px; }
        main.login button, .actions button { font:inherit; padding:8px 14px; border:0; border-radius:6px; background:var(--accent); color:#fff; cursor:pointer; }
        main.login .error { margin:0; }
        main.tables { grid-template-columns:1fr; }
        textarea { width:100%; font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace; border:1px solid var(--line); border-radius:8px; padding:8px; }
        .actions { display:flex; gap:12px; align-items:center; margin:8px 0; }
        .result { max-height:480px; overflow:auto; }
        .tablelist details { border-bottom:1px solid var(--line); padding:6px 0; }
        .tablelist summary { cursor:pointer; } .tablelist summary b { color:var(--fg); }
        pre.error { margin:8px 0; font-size:12px; }

        """#

    /// The live dashboards: each filter change asks the server for every dashboard under the
    /// new filter (one engine query each) and redraws with the report's chart code.
    static let dashboardsScript = DashboardReport.charts + #"""
        const IDS = ['top_movies', 'genre_ratings', 'user_activity', 'release_trends', 'tag_relevance'];
        let generation = 0;
        async function api(path) {
          const r = await fetch(path, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } });
          if (r.status === 401) { location.href = '/login'; throw new Error('signed out'); }
          const body = await r.json();
          if (!r.ok) throw new Error(body.error || r.statusText);
          return body;
        }
        async function refresh() {
          const f = filters(), mine = ++generation;
          document.body.dataset.state = 'loading';
          const q = new URLSearchParams();
          if (f.genre) q.set('genre', f.genre);
          if (f.from !== null) q.set('from', f.from);
          if (f.to !== null) q.set('to', f.to);
          q.set('min', f.min);
          q.set('top', f.top);
          try {
            const boards = await Promise.all(IDS.map(id => api('/api/dashboards/' + id + '?' + q)));
            if (mine !== generation) return;
            IDS.forEach((id, i) => DATA.dashboards[id] = boards[i]);
            $('error').hidden = true;
            render(f, true);
            document.body.dataset.generation = mine;
            document.body.dataset.state = 'ready';
          } catch (e) {
            if (mine !== generation) return;
            $('error').textContent = String(e.message || e);
            $('error').hidden = false;
            document.body.dataset.state = 'error';
          }
        }
        let timer = null;
        (async () => {
          readFragment();
          const [facts] = await Promise.all([api('/api/facts'), refresh()]);
          DATA.facts = facts.facts;
          showFacts();
          const chosen = $('f-genre').value;
          fillGenres();
          $('f-genre').value = chosen;
          watchFilters(() => { clearTimeout(timer); timer = setTimeout(refresh, 150); });
        })();

        """#

    /// The tables page: the readable tables with their columns, and the SQL box.
    static let tablesScript = #"""
        const $ = id => document.getElementById(id);
        const esc = s => String(s ?? '').replace(/[&<>"']/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c]));
        async function call(path, init) {
          const r = await fetch(path, Object.assign({ credentials: 'same-origin' }, init || {}));
          if (r.status === 401) { location.href = '/login'; throw new Error('signed out'); }
          const body = await r.json();
          if (!r.ok) { const e = new Error(body.error || r.statusText); e.status = r.status; throw e; }
          return body;
        }
        async function run() {
          document.body.dataset.state = 'running';
          $('status').textContent = 'running…';
          $('query-error').hidden = true;
          try {
            const res = await call('/api/query', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ sql: $('sql').value }) });
            const num = t => /INT|DOUBLE/.test(t);
            $('result').innerHTML = '<table id="result-table"><thead><tr>' + res.columns.map(c => `<th class="${num(c.type) ? 'num' : ''}">${esc(c.name)}</th>`).join('') +
              '</tr></thead><tbody>' + res.rows.map(r => '<tr>' + r.map((v, i) => `<td class="${num(res.columns[i].type) ? 'num' : ''}">${v === null ? '<i>NULL</i>' : esc(Array.isArray(v) ? JSON.stringify(v) : v)}</td>`).join('') + '</tr>').join('') + '</tbody></table>';
            $('status').textContent = `${res.row_count.toLocaleString('en-US')} rows${res.truncated ? ' (truncated)' : ''} in ${res.elapsed_ms} ms`;
            document.body.dataset.state = 'ready';
          } catch (e) {
            $('result').innerHTML = '';
            $('status').textContent = e.status ? `refused (${e.status})` : 'failed';
            $('query-error').textContent = String(e.message || e);
            $('query-error').hidden = false;
            document.body.dataset.state = 'error';
          }
        }
        $('run').addEventListener('click', run);
        $('sql').addEventListener('keydown', e => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); } });
        call('/api/tables').then(tables => {
          $('table-list').className = 'tablelist';
          $('table-list').innerHTML = tables.map(t => `<details><summary><b>${esc(t.schema)}.${esc(t.name)}</b> · ${esc(t.type.toLowerCase())}` +
            (t.rows === null ? '' : ` · ${t.rows.toLocaleString('en-US')} rows`) + (t.comment ? ` — ${esc(t.comment)}` : '') + '</summary><table>' +
            t.columns.map(c => `<tr><td>${esc(c.name)}</td><td>${esc(c.type)}</td><td>${esc(c.comment || '')}</td></tr>`).join('') + '</table></details>').join('');
        }).catch(e => { $('table-list').textContent = String(e.message || e); });
        call('/api/facts').then(f => { $('facts').innerHTML = f.facts.map(([k, v]) => `<span>${esc(k)}: <b>${esc(v)}</b></span>`).join(''); }).catch(() => {});

        """#
}
