// pressroom: starts Pagefind's default search UI on a language's search page.
// The UI speaks the page's language (from <html lang>) and searches that language's index;
// its script, styles and index are served from the site itself (no other host is asked).
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box || typeof window.PagefindUI !== "function") {
    return; // the script did not load: the page's links to browse the archive remain
  }
  var ui = new window.PagefindUI({ element: "#search", showSubResults: true, showImages: false });
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
