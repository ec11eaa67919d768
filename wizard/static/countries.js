// Type-ahead for countries (progressive enhancement: without it the select and the checkboxes work as they are).
// Uses the vendored accessible-autocomplete (static/vendor/accessible-autocomplete/README.md).
(function () {
  "use strict";
  var autocomplete = window.accessibleAutocomplete;
  if (!autocomplete) { return; }

  // The autocomplete's own input replaces the control for the keyboard and screen readers: it takes over
  // the hint and error ids the server wrote on the original control. With ariaHint off the component
  // never writes aria-describedby itself, so these stay.
  function describe(input, describedBy) {
    if (input && describedBy) { input.setAttribute("aria-describedby", describedBy); }
  }

  // One country: the select becomes a type-ahead; choosing a name selects it in the (hidden) select,
  // which is what the form posts.
  Array.prototype.forEach.call(document.querySelectorAll("select[data-enhance=country]"), function (select) {
    var id = select.id;
    var describedBy = select.getAttribute("aria-describedby");
    autocomplete.enhanceSelectElement({ selectElement: select, defaultValue: "", ariaHint: false,
                                        showAllValues: false, dropdownArrow: function () { return ""; } });
    describe(document.getElementById(id), describedBy);
  });

  // Several countries: a "Find a country" box above the regions' checkboxes; choosing a name ticks its box.
  Array.prototype.forEach.call(document.querySelectorAll(".choice-finder[data-choices]"), function (finder) {
    var fieldset = finder.closest("fieldset");
    var boxes = fieldset.querySelectorAll("input[type=checkbox]");
    var byName = {};
    var names = Array.prototype.map.call(boxes, function (box) {
      var name = fieldset.querySelector("label[for='" + box.id + "']").textContent.trim();
      byName[name] = box;
      return name;
    });
    var id = finder.getAttribute("data-choices") + "-find";
    var label = document.createElement("label");
    label.className = "form-label";
    label.htmlFor = id;
    label.textContent = "Find a country to tick";
    var holder = document.createElement("div");
    var status = document.createElement("p");
    status.className = "form-text";
    status.setAttribute("role", "status");
    finder.className += " mb-3";
    finder.appendChild(label);
    finder.appendChild(holder);
    finder.appendChild(status);
    autocomplete({
      element: holder, id: id, source: names, ariaHint: false, confirmOnBlur: false,
      onConfirm: function (name) {
        var box = byName[name];
        if (!box) { return; }
        box.checked = true;
        status.textContent = name + " is ticked, under " +
          box.closest(".choice-group").querySelector("legend").textContent.trim() + ".";
      }
    });
  });
})();
