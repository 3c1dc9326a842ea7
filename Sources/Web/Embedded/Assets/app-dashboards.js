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

