// Draws the five dashboards from DATA ({facts, dashboards: {id: {title, mart, empty, columns, rows}}}).
let DATA = { facts: [], dashboards: {} };
const NS = 'http://www.w3.org/2000/svg';
const $ = id => document.getElementById(id);
const fmt = (v, d) => v === null || v === undefined ? '' : (typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(d ?? 3)) : String(v));
const esc = s => String(s).replace(/[&<>"']/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c]));

function el(tag, attrs, parent) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}
function tip(node, text) { el('title', {}, node).textContent = text; }

function filters() {
  const num = id => { const v = $(id).value.trim(); return v === '' ? null : Number(v); };
  return { genre: $('f-genre').value, from: num('f-from'), to: num('f-to'), min: num('f-min') || 0, top: Math.max(1, Math.min(100, num('f-top') || 10)) };
}

// Horizontal bars: label column on the left, value bars to the right.
function hbars(rows, label, value, valueName, opts) {
  const w = 640, rowH = 24, left = 230, top = 8, h = top + rows.length * rowH + 34;
  const svg = el('svg', { viewBox: `0 0 ${w} ${h}`, role: 'img' });
  const max = (opts.max ?? Math.max(...rows.map(value), 0)) || 1;
  const scale = x => (x / max) * (w - left - 60);
  for (let t = 0; t <= 4; t++) {
    const x = left + scale(max * t / 4);
    el('line', { x1: x, x2: x, y1: top, y2: h - 26, class: 'grid' }, svg);
    el('text', { x, y: h - 12, 'text-anchor': 'middle' }, svg).textContent = fmt(max * t / 4, 1);
  }
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const name = label(r);
    el('text', { x: left - 6, y: y + 15, 'text-anchor': 'end' }, svg).textContent = name.length > 34 ? name.slice(0, 33) + '…' : name;
    const bar = el('rect', { x: left, y: y + 3, width: Math.max(1, scale(value(r))), height: rowH - 7, rx: 3, class: 'bar', 'data-value': value(r), 'data-label': name }, svg);
    tip(bar, `${name}: ${valueName} ${fmt(value(r))}` + (opts.extra ? ` (${opts.extra(r)})` : ''));
    el('text', { x: left + scale(value(r)) + 4, y: y + 15 }, svg).textContent = fmt(value(r));
  });
  el('text', { x: left + (w - left - 60) / 2, y: h - 1, 'text-anchor': 'middle' }, svg).textContent = valueName;
  return svg;
}

function table(columns, rows) {
  const wrap = document.createElement('div');
  wrap.className = 'tablewrap';
  wrap.innerHTML = '<table><thead><tr>' + columns.map(c => `<th>${esc(c)}</th>`).join('') + '</tr></thead><tbody>' +
    rows.map(r => '<tr>' + r.map(v => `<td class="${typeof v === 'number' ? 'num' : ''}">${esc(fmt(v))}</td>`).join('') + '</tr>').join('') + '</tbody></table>';
  return wrap;
}

function csv(columns, rows) {
  const q = v => { if (v === null || v === undefined) return ''; const s = String(v); return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; };
  return [columns.map(q).join(',')].concat(rows.map(r => r.map(q).join(','))).join('\r\n') + '\r\n';
}

function card(id, subtitle, body, columns, rows) {
  const d = DATA.dashboards[id];
  const c = document.createElement('section');
  c.className = 'card';
  c.id = 'card-' + id;
  c.innerHTML = `<div class="tools"><button data-act="table">Table</button><button data-act="csv">CSV</button></div><h2>${esc(d.title)}</h2><div class="sub">${esc(subtitle)}</div>`;
  // Live rows are already filtered: whether the mart itself is empty comes from the server.
  if (d.mart_empty ?? !d.rows.length) {
    c.insertAdjacentHTML('beforeend', `<div class="na">Not available for this data set: ${esc(d.empty)}.</div>`);
    c.querySelector('.tools').remove();
    return c;
  }
  c.appendChild(body);
  const t = table(columns, rows);
  c.appendChild(t);
  c.querySelector('[data-act=table]').onclick = () => t.classList.toggle('open');
  c.querySelector('[data-act=csv]').onclick = () => {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([csv(columns, rows)], { type: 'text/csv' }));
    a.download = id + '.csv';
    a.click();
  };
  return c;
}

const col = (id, name) => DATA.dashboards[id].columns.indexOf(name);

function render(f, live) {
  const cards = $('cards');
  cards.innerHTML = '';
  const inYears = y => (f.from === null || (y !== null && y >= f.from)) && (f.to === null || (y !== null && y <= f.to));

  // Top movies: genre, years, minimum ratings, top N.
  { const d = DATA.dashboards.top_movies, g = col('top_movies', 'genres'), y = col('top_movies', 'release_year'), n = col('top_movies', 'rating_count');
    const rows = live ? d.rows : d.rows.filter(r => (!f.genre || (r[g] || '').split('|').includes(f.genre)) && inYears(r[y]) && r[n] >= f.min).slice(0, f.top);
    const a = col('top_movies', 'avg_rating'), t = col('top_movies', 'movie_title');
    // The mart's own rule (its description: "movies with at least 100 ratings") comes first;
    // a filter minimum narrows it further.
    const sub = `${rows.length} movies` + (f.genre ? ` in ${f.genre}` : '') + (f.min > 0 ? `, each with at least ${f.min} ratings` : '') + ` (${d.note || 'mart: ' + d.mart})`;
    cards.appendChild(card('top_movies', sub, hbars(rows, r => r[t], r => r[a], 'average rating', { max: 5, extra: r => fmt(r[n]) + ' ratings' }), d.columns, rows)); }

  // Genres: every genre; the selected one highlighted.
  { const d = DATA.dashboards.genre_ratings, gi = col('genre_ratings', 'genre'), a = col('genre_ratings', 'avg_rating'), n = col('genre_ratings', 'rating_count'), m = col('genre_ratings', 'movie_count');
    const rows = d.rows.slice().sort((x, y) => (y[a] ?? -1) - (x[a] ?? -1));
    const svg = hbars(rows, r => r[gi], r => r[a] ?? 0, 'average rating', { max: 5, extra: r => `${fmt(r[n])} ratings, ${fmt(r[m])} movies` });
    if (f.genre) svg.querySelectorAll('rect.bar').forEach(b => { if (b.dataset.label === f.genre) b.classList.add('sel'); });
    cards.appendChild(card('genre_ratings', `${rows.length} genres; bars show the average rating, hover for rating and movie counts`, svg, d.columns, rows)); }

  // Users: minimum ratings, top N.
  { const d = DATA.dashboards.user_activity, n = col('user_activity', 'rating_count'), u = col('user_activity', 'user_id'), a = col('user_activity', 'avg_rating');
    const rows = live ? d.rows : d.rows.filter(r => r[n] >= f.min).slice(0, f.top);
    cards.appendChild(card('user_activity', `the ${rows.length} users with the most ratings`, hbars(rows, r => 'user ' + r[u], r => r[n], 'ratings', { extra: r => 'average ' + fmt(r[a]) }), d.columns, rows)); }

  // Release trends: years in range; movies per year as bars, average rating as a line.
  { const d = DATA.dashboards.release_trends, y = col('release_trends', 'release_year'), m = col('release_trends', 'movie_count'), a = col('release_trends', 'avg_rating');
    const rows = live ? d.rows : d.rows.filter(r => inYears(r[y]));
    const w = 640, h = 300, left = 48, right = 44, top = 28, bottom = 40;
    const svg = el('svg', { viewBox: `0 0 ${w} ${h}`, role: 'img' });
    if (rows.length) {
      const maxM = Math.max(...rows.map(r => r[m])) || 1;
      const x0 = rows[0][y], x1 = rows[rows.length - 1][y], span = Math.max(1, x1 - x0);
      const X = v => left + (v - x0) / span * (w - left - right), Y = v => h - bottom - v / maxM * (h - top - bottom), R = v => h - bottom - (v / 5) * (h - top - bottom);
      el('line', { x1: left, x2: w - right, y1: h - bottom, y2: h - bottom, class: 'axis' }, svg);
      for (let t = 0; t <= 4; t++) { el('text', { x: left - 6, y: Y(maxM * t / 4) + 4, 'text-anchor': 'end' }, svg).textContent = fmt(Math.round(maxM * t / 4)); el('text', { x: w - right + 6, y: R(5 * t / 4) + 4 }, svg).textContent = (5 * t / 4).toFixed(1); }
      const bw = Math.max(1, (w - left - right) / (span + 1) - 1);
      rows.forEach(r => { const b = el('rect', { x: X(r[y]) - bw / 2, y: Y(r[m]), width: bw, height: h - bottom - Y(r[m]), class: 'bar', 'data-value': r[m] }, svg); tip(b, `${r[y]}: ${fmt(r[m])} movies, average rating ${fmt(r[a])}`); });
      const pts = rows.filter(r => r[a] !== null).map(r => `${X(r[y])},${R(r[a])}`).join(' ');
      el('polyline', { points: pts, fill: 'none', stroke: '#f59e0b', 'stroke-width': 2 }, svg);
      const step = Math.max(1, Math.ceil(span / 8));
      for (let v = x0; v <= x1; v += step) el('text', { x: X(v), y: h - bottom + 14, 'text-anchor': 'middle' }, svg).textContent = v;
      el('text', { x: (left + w - right) / 2, y: h - 6, 'text-anchor': 'middle' }, svg).textContent = 'release year (bars: movies, line: average rating, right axis)';
      el('text', { x: 6, y: 12 }, svg).textContent = 'movies'; el('text', { x: w - 6, y: 12, 'text-anchor': 'end' }, svg).textContent = 'avg rating';
    }
    cards.appendChild(card('release_trends', `${rows.length} release years` + (f.from !== null || f.to !== null ? ` from ${f.from ?? 'the first'} to ${f.to ?? 'the last'}` : ''), svg, d.columns, rows)); }

  // Tags: top N by average relevance, each with its top movie.
  { const d = DATA.dashboards.tag_relevance, name = col('tag_relevance', 'tag_name'), rel = col('tag_relevance', 'avg_relevance'), top = col('tag_relevance', 'top_movie_title'), mc = col('tag_relevance', 'movie_count');
    const rows = live ? d.rows : d.rows.slice(0, f.top);
    const list = document.createElement('ol');
    list.className = 'taglist';
    rows.forEach((r, i) => {
      const li = document.createElement('li');
      li.title = `${r[name]}: average relevance ${fmt(r[rel], 4)} over ${fmt(r[mc])} movies`;
      li.innerHTML = `<span class="rank">${i + 1}</span><span><b>${esc(r[name])}</b><br><span class="top">top movie: ${esc(r[top])}</span></span>` +
        `<span><div class="meter"><span style="width:${Math.round((r[rel] || 0) * 100)}%"></span></div><span class="top">${fmt(r[rel], 4)}</span></span>`;
      list.appendChild(li);
    });
    cards.appendChild(card('tag_relevance', `the ${rows.length} genome tags with the highest average relevance`, list, d.columns, rows)); }
}

function showFacts() {
  $('facts').innerHTML = DATA.facts.map(([k, v]) => `<span>${esc(k)}: <b>${esc(v)}</b></span>`).join('');
}
function fillGenres() {
  const genres = new Set(), gi = col('genre_ratings', 'genre');
  DATA.dashboards.genre_ratings.rows.forEach(r => genres.add(r[gi]));
  for (const g of [...genres].sort()) { const o = document.createElement('option'); o.value = o.textContent = g; $('f-genre').appendChild(o); }
}
// Filters live in the URL fragment too (#genre=Drama&from=1990&top=5): links keep them.
const FILTER_KEYS = { genre: 'f-genre', from: 'f-from', to: 'f-to', min: 'f-min', top: 'f-top' };
function readFragment() {
  for (const part of location.hash.slice(1).split('&').filter(Boolean)) {
    const [k, v] = part.split('=').map(decodeURIComponent);
    if (FILTER_KEYS[k]) $(FILTER_KEYS[k]).value = v;
  }
}
function watchFilters(changed) {
  for (const id of Object.values(FILTER_KEYS)) $(id).addEventListener('input', () => {
    history.replaceState(null, '', '#' + Object.entries(FILTER_KEYS).filter(([, i]) => $(i).value !== '').map(([n, i]) => n + '=' + encodeURIComponent($(i).value)).join('&'));
    changed();
  });
}

