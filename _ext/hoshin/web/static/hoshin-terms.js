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
  /* Touch: a first tap opens a sheet with the term, its definition, a link to the 用語集 entry
     and a close button; the link in the text still leads there on a second tap. */
  let sheet = null;
  let opener = null;
  /* The sheet replaces the term's own tooltip: keep that one closed while focus returns. */
  const quiet = (link) => link.parentElement.classList.add("hoshin-dismissed");
  const closeSheet = () => {
    if (!sheet || sheet.hidden) return;
    sheet.hidden = true;
    if (opener) {
      opener.focus();
      quiet(opener);
    }
  };
  const openSheet = (link) => {
    if (!sheet) {
      sheet = document.body.appendChild(document.createElement("div"));
      sheet.className = "hoshin-sheet";
      sheet.setAttribute("role", "dialog");
      sheet.setAttribute("aria-labelledby", "hoshin-sheet-term");
      sheet.innerHTML = '<p class="hoshin-sheet-term" id="hoshin-sheet-term"></p>'
        + '<p class="hoshin-sheet-text"></p><a class="hoshin-sheet-link"></a>'
        + '<button type="button">閉じる</button>';
      sheet.querySelector("button").addEventListener("click", closeSheet);
    }
    const tip = document.getElementById(link.getAttribute("aria-describedby"));
    sheet.querySelector(".hoshin-sheet-term").textContent = link.textContent;
    sheet.querySelector(".hoshin-sheet-text").textContent = tip ? tip.textContent : "";
    const more = sheet.querySelector(".hoshin-sheet-link");
    more.href = link.href;
    more.textContent = `用語集で「${link.textContent}」を見る`;
    sheet.hidden = false;
    opener = link;
    quiet(link);
    sheet.querySelector("button").focus();
  };
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") closeSheet(); });
  document.addEventListener("click", (e) => {
    const link = e.target.closest && e.target.closest("a.hoshin-term");
    const shown = Boolean(sheet && !sheet.hidden);
    if (shown && opener === link) return; // a second tap follows the link
    if (shown && !(e.target.closest && e.target.closest(".hoshin-sheet"))) closeSheet();
    if (!link || !touch) return;
    e.preventDefault();
    openSheet(link);
  });
})();
