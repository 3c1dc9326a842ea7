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

