/* hoshin: furo's menu (☰) and page-contents icons are <label>s of hidden checkboxes, which the
 * keyboard cannot reach. Make them buttons: Tab reaches them, Enter or Space opens the drawer
 * and moves focus into it, Escape closes it and returns focus (WCAG 2.1.1, 2.4.3). hoshin.css
 * hides a closed drawer (visibility), so Tab never walks through an off-screen sidebar. */
(() => {
  "use strict";
  const drawers = { __navigation: ".sidebar-drawer", __toc: ".toc-drawer" };
  for (const [id, drawerSelector] of Object.entries(drawers)) {
    const toggle = document.getElementById(id);
    const drawer = document.querySelector(drawerSelector);
    if (!toggle || !drawer) continue;
    const buttons = [...document.querySelectorAll(`.mobile-header label[for="${id}"],`
      + ` .content-icon-container label[for="${id}"]`)];
    const sync = () => buttons.forEach((b) => b.setAttribute("aria-expanded", String(toggle.checked)));
    for (const button of buttons) {
      button.tabIndex = 0;
      button.setAttribute("role", "button");
      button.setAttribute("aria-label", toggle.getAttribute("aria-label") || "");
      button.addEventListener("keydown", (e) => {
        if (e.key !== "Enter" && e.key !== " ") return;
        e.preventDefault();
        toggle.checked = !toggle.checked;
        toggle.dispatchEvent(new Event("change"));
        if (toggle.checked) {
          const first = drawer.querySelector("a[href], input:not([type=hidden]), button");
          if (first) setTimeout(() => first.focus(), 50);
        }
      });
    }
    toggle.addEventListener("change", sync);
    sync();
    document.addEventListener("keydown", (e) => {
      if (e.key !== "Escape" || !toggle.checked) return;
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
      const visible = buttons.find((b) => b.offsetParent !== null);
      if (visible) visible.focus();
    });
  }
})();
