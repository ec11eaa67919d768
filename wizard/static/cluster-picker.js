// Type-ahead for the cluster organisation search (progressive enhancement: the page works without it).
// As the applicant types, matching cluster organisations appear under the search box, each with an
// "Add" button that submits the step's form exactly as the server-rendered "Add" buttons do.
(function () {
  "use strict";
  var search = document.getElementById("cluster-search");
  var input = document.getElementById("q");
  var choice = document.getElementById("cluster-choice");
  if (!search || !input || !choice || !window.fetch) { return; }
  var list = document.createElement("div");
  list.id = "typeahead";
  list.setAttribute("aria-live", "polite");
  list.className = "mt-2";
  search.appendChild(list);
  var timer = null;
  var latest = 0;

  function render(data, ticket) {
    if (ticket !== latest) { return; }
    list.textContent = "";
    var summary = document.createElement("p");
    summary.className = "small text-body-secondary mb-1";
    summary.textContent = (data.more ? "More than " : "") + data.total + (data.total === 1 ? " match" : " matches");
    list.appendChild(summary);
    var ul = document.createElement("ul");
    ul.className = "list-unstyled mb-0";
    data.results.forEach(function (c) {
      var li = document.createElement("li");
      li.className = "d-flex justify-content-between align-items-center border-bottom py-1 gap-2";
      var label = document.createElement("span");
      label.textContent = c.name + (c.acronym ? " (" + c.acronym + ")" : "") + " – " + c.country;
      var button = document.createElement("button");
      button.type = "submit";
      button.className = "btn btn-sm btn-outline-secondary";
      button.setAttribute("form", "cluster-choice");
      button.formAction = choice.getAttribute("data-update-url");
      button.name = "add_cluster";
      button.value = c.id;
      button.textContent = "Add";
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = " " + c.name;
      button.appendChild(hidden);
      li.appendChild(label);
      li.appendChild(button);
      ul.appendChild(li);
    });
    list.appendChild(ul);
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    var text = input.value.trim();
    if (text.length < 2) { list.textContent = ""; return; }
    timer = window.setTimeout(function () {
      latest += 1;
      var ticket = latest;
      var base = search.getAttribute("data-search-url");  // may carry the picker's scope already
      var url = base + (base.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(text);
      window.fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data) { render(data, ticket); } })
        .catch(function () { /* the Search button still works */ });
    }, 250);
  });
})();
