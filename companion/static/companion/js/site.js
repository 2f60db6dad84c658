// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // On a narrow screen the main links fold behind "Menu": a link to the list without
  // JavaScript (CSS :target shows it), a real toggle button with it.
  const toggle = document.querySelector(".nav-toggle");
  const links = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (toggle && links) {
    const nav = toggle.closest(".nav");
    toggle.setAttribute("role", "button");
    toggle.setAttribute("aria-expanded", "false");
    const more = links.querySelector(".nav-more details");
    const narrow = window.matchMedia("(max-width: 47.99rem)");
    const setOpen = (open) => {
      toggle.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("nav-open", open);
      if (more && narrow.matches) more.open = open;  // on a phone "More" is part of the menu
    };
    toggle.addEventListener("click", (event) => {
      event.preventDefault();
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    toggle.addEventListener("keydown", (event) => {
      if (event.key === " ") { event.preventDefault(); toggle.click(); }
    });
    // "More" on a desktop closes on Escape or a click elsewhere, as menus do.
    if (more) {
      document.addEventListener("click", (event) => {
        if (!narrow.matches && more.open && !more.contains(event.target)) more.open = false;
      });
      more.addEventListener("keydown", (event) => {
        if (event.key === "Escape" && more.open) { more.open = false; more.querySelector("summary").focus(); }
      });
    }
  }
  // Show the number next to each range input as it moves.
  document.querySelectorAll("input[type=range][data-output]").forEach((input) => {
    const output = document.getElementById(input.dataset.output);
    if (!output) return;
    const update = () => { output.textContent = input.value; };
    input.addEventListener("input", update);
    update();
  });
  // Elements that ask to be revealed by a toggle (checkbox) with data-reveals="id".
  document.querySelectorAll("[data-reveals]").forEach((toggle) => {
    const target = document.getElementById(toggle.dataset.reveals);
    if (!target) return;
    const sync = () => { target.hidden = !toggle.checked; };
    toggle.addEventListener("change", sync);
    sync();
  });
  // Poll an element's data-poll URL (export progress) until it reports done.
  document.querySelectorAll("[data-poll]").forEach((el) => {
    const tick = async () => {
      const response = await fetch(el.dataset.poll, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const data = await response.json();
      const bar = el.querySelector("progress");
      if (bar) bar.value = data.progress;
      const label = el.querySelector("[data-status]");
      if (label) label.textContent = data.status_label || data.status;
      if (data.status === "done" || data.status === "failed") { window.location.reload(); return; }
      setTimeout(tick, 1500);
    };
    setTimeout(tick, 1000);
  });
});

// The installable portal: the service worker (offline page, the check-in form's shell,
// notifications), and check-ins waiting on this device for a connection (outbox.js).
const Companion = (() => {
  const csrfCookie = () => {
    const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  };
  const banner = () => document.getElementById("outbox-status");
  const say = (text) => {
    const el = banner();
    if (!el || !text) return;
    const line = document.createElement("p");
    line.className = "message";
    line.textContent = text;
    el.replaceChildren(line);
    el.hidden = false;
  };
  const fill = (template, values) =>
    template.replace(/%\((\w+)\)s/g, (_whole, name) => (name in values ? values[name] : ""));

  async function showWaiting() {
    const el = banner();
    if (!el || !window.CompanionOutbox) return;
    try {
      const waiting = await CompanionOutbox.all();
      if (waiting.length === 1) say(el.dataset.waitingOne);
      else if (waiting.length > 1) say(fill(el.dataset.waitingMany, { n: waiting.length }));
      for (const refused of await CompanionOutbox.refused()) {
        const errors = Object.values(refused.errors || {}).flat().join(" ");
        const when = new Date(refused.saved_at).toLocaleString();
        say(fill(el.dataset.refused, { when, why: errors }));
        await CompanionOutbox.forgetRefused(refused.client_uuid);
      }
    } catch (_error) { /* no IndexedDB here (private mode): nothing waits */ }
  }

  async function flush() {
    if (!window.CompanionOutbox || !navigator.onLine) return 0;
    let sent = 0;
    try {
      sent = await CompanionOutbox.flush(csrfCookie());
    } catch (_error) {
      sent = 0;  // still offline, or signed out: they wait for the next chance
    }
    const el = banner();
    if (sent && el) say(el.dataset.sent);
    await showWaiting();
    return sent;
  }

  async function keep(body) {
    await CompanionOutbox.add({
      client_uuid: body.client_uuid,
      url: "/api/v1/checkins/",
      body,
      csrf: csrfCookie(),
      saved_at: new Date().toISOString(),
    });
    try {
      const registration = await navigator.serviceWorker.ready;
      if (registration.sync) await registration.sync.register(CompanionOutbox.SYNC_TAG);
    } catch (_error) { /* no Background Sync: the next page load or "online" sends it */ }
    await showWaiting();
  }

  return { flush, keep, showWaiting, csrfCookie };
})();
window.Companion = Companion;

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
}
window.addEventListener("online", () => { Companion.flush(); });
document.addEventListener("DOMContentLoaded", () => { Companion.flush(); });
