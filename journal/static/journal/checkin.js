// The check-in's feelings step: search over the whole wheel, one tick per feeling however
// many places it shows, and a "How strong?" slider for each ticked feeling.
// Without JavaScript the form still works: every feeling is a checkbox, strength is 5.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector(".checkin-form");
  if (!form) return;
  const list = document.getElementById("strength-list");
  const panel = document.getElementById("strengths");
  const template = document.getElementById("strength-row");
  const boxes = () => form.querySelectorAll("input[name=emotions]");

  const addRow = (slug, name) => {
    if (list.querySelector(`[data-slug="${CSS.escape(slug)}"]`)) return;
    const row = template.content.firstElementChild.cloneNode(true);
    const input = row.querySelector("input");
    const label = row.querySelector("label");
    const output = row.querySelector("output");
    row.dataset.slug = slug;
    input.name = `intensity_${slug}`;
    input.id = `int-${slug}`;
    label.htmlFor = input.id;
    label.textContent = name;
    output.id = `out-${slug}`;
    output.htmlFor = input.id;
    input.addEventListener("input", () => { output.textContent = input.value; });
    list.appendChild(row);
  };
  const sync = (changed) => {
    const slug = changed.value;
    boxes().forEach((box) => { if (box.value === slug) box.checked = changed.checked; });
    if (changed.checked) addRow(slug, changed.closest("label").textContent.replace(/, in general$/, "").trim());
    else list.querySelector(`[data-slug="${CSS.escape(slug)}"]`)?.remove();
    panel.hidden = !list.children.length;
  };
  boxes().forEach((box) => box.addEventListener("change", () => sync(box)));

  // Search: show only the feelings whose name or other words contain what was typed.
  const search = document.getElementById("feeling-search");
  const explore = form.querySelector("details.explore");
  const status = document.getElementById("feeling-search-status");
  if (!search || !explore) return;
  if (window.location.hash === "#wheel") explore.open = true;
  search.closest("[hidden]").hidden = false;
  let timer;
  const filter = () => {
    const query = search.value.trim().toLowerCase();
    let found = 0;
    explore.querySelectorAll(".wheel-group").forEach((group) => {
      let shown = 0;
      group.querySelectorAll(".feeling").forEach((item) => {
        // From the start of a word: "ok" finds "okay", not "provoked".
        const match = !query || (" " + item.dataset.words).includes(" " + query);
        item.hidden = !match;
        if (match) shown += 1;
      });
      group.hidden = shown === 0;
      found += shown;
    });
    if (query) explore.open = true;
    // While searching, the broad feeling above a match is not shown: "Numb" under the
    // heading "Angry" (its place on the wheel) reads as if numbness were anger.
    explore.classList.toggle("searching", Boolean(query));
    clearTimeout(timer);
    timer = setTimeout(() => {
      status.textContent = !query ? "" : found
        ? (found === 1 ? status.dataset.one : status.dataset.many.replace("%n", found))
        : status.dataset.none;
    }, 400);
  };
  search.addEventListener("input", filter);
  // Enter in the search box ticks nothing and never submits the check-in half done.
  search.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const first = explore.querySelector(".feeling:not([hidden]) input");
    if (first) first.focus();
  });
});

// Without a connection (or on the offline copy of this page) a new check-in is kept on
// this device and sent when the connection returns, with the time it was made. Each page
// gets a fresh id for its check-in, so a resend or a double tap is stored once.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector(".checkin-form[data-new]");
  if (!form || !window.CompanionOutbox || !window.Companion) return;
  const id = form.querySelector("input[name=client_uuid]");
  const fresh = () => {
    if (id && window.crypto && crypto.randomUUID) id.value = crypto.randomUUID();
  };
  fresh();
  const kept = document.getElementById("checkin-kept");

  const keep = async () => {
    const data = new FormData(form);
    if (!data.get("felt_intensity")) {
      const felt = document.getElementById("felt-offline-error");
      if (felt) { felt.hidden = false; felt.focus(); }
      return;
    }
    if (!data.get("client_uuid")) data.set("client_uuid", crypto.randomUUID());
    await Companion.keep(CompanionOutbox.fromForm(data));
    form.hidden = true;
    if (kept) { kept.hidden = false; kept.focus(); }
    if (navigator.onLine) Companion.flush();
  };

  form.addEventListener("submit", (event) => {
    if (navigator.onLine && !form.hasAttribute("data-shell")) return;  // the usual way
    event.preventDefault();
    event.stopImmediatePropagation();
    keep();
  }, true);
  // The connection dropped while it was being sent: keep it (its id makes a late arrival harmless).
  form.addEventListener("htmx:sendError", () => { keep(); });
  const again = document.getElementById("checkin-again");
  if (again) {
    again.addEventListener("click", () => {
      form.reset();
      fresh();
      form.hidden = false;
      kept.hidden = true;
      window.scrollTo(0, 0);
    });
  }
});
