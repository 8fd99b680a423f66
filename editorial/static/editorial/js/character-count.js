// Live "n / limit characters" counters under fields that carry data-character-limit
// (headline, standfirst, SEO title, meta description on articles).
(function () {
  "use strict";

  function attach(input) {
    if (input.dataset.characterCountReady) return;
    input.dataset.characterCountReady = "1";
    var limit = parseInt(input.dataset.characterLimit, 10);
    var counter = document.createElement("p");
    counter.className = "character-count help";
    counter.id = (input.id || input.name) + "-character-count";
    counter.setAttribute("aria-live", "polite");
    var described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    input.insertAdjacentElement("afterend", counter);

    function update() {
      var length = input.value.length;
      counter.textContent = length + " / " + limit + " characters";
      counter.classList.toggle("character-count--over", length > limit);
      counter.classList.toggle("character-count--near", length <= limit && length > limit * 0.9);
    }
    input.addEventListener("input", update);
    update();
  }

  function attachAll() {
    document.querySelectorAll("[data-character-limit]").forEach(attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", attachAll);
  } else {
    attachAll();
  }
  document.addEventListener("wagtail:panel-init", attachAll);
})();
