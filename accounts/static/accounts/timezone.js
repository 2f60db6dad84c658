// Picks the browser's own time zone in a time-zone list that still shows its default
// ("UTC"), so most people never open the list. Without JavaScript the list still works.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var zone;
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch (e) {
      return;
    }
    if (!zone) return;
    document.querySelectorAll("select[data-timezone-guess]").forEach(function (select) {
      if (select.value !== "UTC" || select.dataset.userChose === "yes") return;
      var option = Array.prototype.find.call(select.options, function (o) { return o.value === zone; });
      if (option) select.value = zone;
    });
  });
})();
