// Suggestions for the member-state box, from GET /api/states as the user types.
// The page works without it: an unknown name is answered by the server with "did you mean".
(function () {
  var input = document.querySelector("input[data-suggest]");
  if (!input || !window.fetch) return;
  var list = document.getElementById(input.getAttribute("list"));
  var timer = null, asked = "";
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var text = input.value.trim();
      if (text === asked || text.length < 1) return;
      asked = text;
      fetch(input.dataset.suggest + "?q=" + encodeURIComponent(text))
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (states) {
          if (text !== asked) return;
          list.replaceChildren.apply(list, states.map(function (s) {
            var option = document.createElement("option");
            option.value = s.name_fr;
            option.textContent = s.name_en + " (" + s.code + ")";
            return option;
          }));
        })
        .catch(function () {});
    }, 150);
  });
})();
