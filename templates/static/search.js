// pressroom: starts Pagefind's default search UI on a language's search page.
// The UI speaks the page's language (from <html lang>) and searches that language's index,
// which comes in parts (one per month of the newest year, one per older year: data-bundles,
// newest first): the first part is Pagefind's own, the others are merged into it. Its script,
// styles and index are served from the site itself (no other host is asked).
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
  var ui = new window.PagefindUI({
    element: "#search",
    bundlePath: bundles[0],
    mergeIndex: bundles.slice(1).map(function (path) { return { bundlePath: path }; }),
    showSubResults: true,
    showImages: false
  });
  document.getElementById("search-fallback").hidden = true;
  // Pagefind's field has only a placeholder and a title: name it by the page's visible heading.
  var input = box.querySelector("input");
  if (input && box.dataset.labelledBy) {
    input.setAttribute("aria-labelledby", box.dataset.labelledBy);
  }
  // A search link (the WebSite SearchAction of the homes) brings its query as ?q=.
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
  }
})();
