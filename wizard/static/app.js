// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Move focus to the error summary so screen readers announce the problems first.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  // "Reveal if yes": questions that apply only after a given answer sit under that answer's radio
  // (components/forms.html). Without JavaScript they are always shown, labelled "(if yes)"; here they
  // are hidden until a revealing option is chosen. What was typed in them stays in the form.
  var reveals = document.querySelectorAll(".conditional-reveal[data-radios]");
  Array.prototype.forEach.call(reveals, function (block) {
    var form = block.closest("form");
    var values = block.getAttribute("data-values").split(" ");
    var radios = form ? form.querySelectorAll("input[type=radio]") : [];
    var own = Array.prototype.filter.call(radios, function (radio) {
      return radio.name === block.getAttribute("data-radios");
    });
    function update() {
      block.hidden = !own.some(function (radio) { return radio.checked && values.indexOf(radio.value) !== -1; });
    }
    own.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  });
})();
