// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // On a narrow screen the main links fold behind a "Menu" button (without JavaScript
  // they simply stay listed). The CSS decides when the button shows.
  const toggle = document.querySelector(".nav-toggle");
  const links = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (toggle && links) {
    toggle.hidden = false;
    toggle.closest(".nav").classList.add("js-nav");
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      toggle.closest(".nav").classList.toggle("nav-open", open);
    });
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
