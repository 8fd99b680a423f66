// Readers' numbers in beacon mode (docs/analytics.md): loads this page's counting pixel with
// the host of the page the reader came from (the host only), which an image cannot tell the
// server. Without JavaScript the <noscript> pixel counts the view without it.
(function () {
  "use strict";
  var script = document.currentScript;
  var src = script && script.getAttribute("data-beacon");
  if (!src) {
    return;
  }
  var from = "";
  try {
    from = document.referrer ? new URL(document.referrer).hostname : "";
  } catch (error) {
    from = "";
  }
  var pixel = new Image(1, 1);
  pixel.src = from ? src + "?r=" + encodeURIComponent(from) : src;
})();
