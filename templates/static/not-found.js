// pressroom: hosts answer every unknown address with this page: the language of the address asked
// for comes first (a missing /ko/... page answers in Korean first).
(function () {
  var main = document.getElementById("main");
  var sections = main.querySelectorAll("section[lang]");
  for (var i = 0; i < sections.length; i++) {
    var lang = sections[i].getAttribute("lang");
    if (window.location.pathname.indexOf("/" + lang + "/") >= 0) {
      main.insertBefore(sections[i], main.firstChild);
      document.documentElement.lang = lang;
      return;
    }
  }
})();
