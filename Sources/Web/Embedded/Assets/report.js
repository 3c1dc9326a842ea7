DATA = JSON.parse(document.getElementById('data').textContent);
showFacts();
fillGenres();
readFragment();
watchFilters(() => render(filters(), false));
render(filters(), false);
