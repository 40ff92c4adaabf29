/* hoshin: glossary tooltips. CSS shows them on hover and focus; this adds Escape to close,
   a first tap that opens instead of following the link, and keeping them inside the window.
   Without it every term is still a plain link to its 用語集 entry. */
(() => {
  "use strict";
  const WRAP = ".hoshin-term-wrap";
  let touch = false;
  const all = () => document.querySelectorAll(WRAP);
  const fit = (wrap) => {
    const tip = wrap.querySelector(".hoshin-tip");
    if (!tip) return;
    tip.style.left = "";
    if (getComputedStyle(tip).position !== "absolute") return;
    const r = tip.getBoundingClientRect();
    const over = r.right - (document.documentElement.clientWidth - 8);
    if (over > 0) tip.style.left = -Math.max(0, Math.min(over, r.left - 8)) + "px";
  };
  const enter = (e) => {
    const wrap = e.target.closest && e.target.closest(WRAP);
    if (wrap && !wrap.contains(e.relatedTarget)) {
      wrap.classList.remove("hoshin-dismissed");
      requestAnimationFrame(() => fit(wrap));
    }
  };
  document.addEventListener("mouseover", enter);
  document.addEventListener("focusin", enter);
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Escape") return;
    all().forEach((w) => {
      w.classList.remove("hoshin-open");
      w.classList.add("hoshin-dismissed");
    });
  });
  document.addEventListener("pointerdown", (e) => { touch = e.pointerType !== "mouse"; }, true);
  document.addEventListener("click", (e) => {
    const link = e.target.closest && e.target.closest("a.hoshin-term");
    const wrap = link && link.parentElement;
    all().forEach((w) => { if (w !== wrap) w.classList.remove("hoshin-open"); });
    if (!wrap || !touch || wrap.classList.contains("hoshin-open")) return;
    e.preventDefault();
    wrap.classList.remove("hoshin-dismissed");
    wrap.classList.add("hoshin-open");
    fit(wrap);
  });
})();
