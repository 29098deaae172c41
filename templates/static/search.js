// pressroom: starts Pagefind's default search UI on a language's search page.
// The UI speaks the page's language (from <html lang>) and searches that language's index,
// which comes in parts (one per month of the newest year, one per older year: data-bundles,
// newest first): the first part is Pagefind's own, the others are merged into it. Its script,
// styles and index are served from the site itself (no other host is asked).
//
// Korean attaches particles to nouns (반도체를, 원전을). Pagefind matches a query word as a
// prefix, so the bare noun finds every form; a word typed with its particle is cut back to its
// noun when the index knows that noun. Each Korean part lists its nouns and particles, found
// by a morphological analyzer at build time (data-stems).
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box || typeof window.PagefindUI !== "function") {
    return; // the script did not load: the page's links to browse the archive remain
  }
  var bundles = JSON.parse(box.dataset.bundles || "[]");
  if (!bundles.length) {
    return; // nothing is indexed in this language yet: the links to browse remain
  }
  var stems = new Set();
  var particles = [];

  // 반도체를 -> 반도체 when 반도체 is a noun of the index; anything else is left as typed.
  function stemOf(word) {
    if (!/[\uac00-\ud7a3]/.test(word) || stems.has(word)) {
      return word;
    }
    for (var i = 0; i < particles.length; i += 1) {
      var particle = particles[i];
      var stem = word.slice(0, word.length - particle.length);
      if (stem && word.slice(-particle.length) === particle && stems.has(stem)) {
        return stem;
      }
    }
    return word;
  }

  function processTerm(term) {
    return term.split(/\s+/).map(stemOf).join(" ");
  }

  function loadStems(url) {
    return fetch(url)
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        data.stems.forEach(function (stem) { stems.add(stem); });
        data.particles.forEach(function (p) {
          if (particles.indexOf(p) < 0) { particles.push(p); }
        });
      })
      .catch(function () { /* without stems, queries are searched as typed */ });
  }

  function start() {
    particles.sort(function (a, b) { return b.length - a.length; }); // longest first
    var ui = new window.PagefindUI({
      element: "#search",
      bundlePath: bundles[0],
      mergeIndex: bundles.slice(1).map(function (path) { return { bundlePath: path }; }),
      showSubResults: true,
      showImages: false,
      processTerm: processTerm
    });
    document.getElementById("search-fallback").hidden = true;
    // Pagefind's field has only a placeholder and a title: name it by the visible heading.
    var input = box.querySelector("input");
    if (input && box.dataset.labelledBy) {
      input.setAttribute("aria-labelledby", box.dataset.labelledBy);
    }
    // A search link (the WebSite SearchAction of the homes) brings its query as ?q=.
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) {
      ui.triggerSearch(query);
    }
  }

  var lists = JSON.parse(box.dataset.stems || "[]");
  Promise.all(lists.map(loadStems)).then(start);
})();
