/* hoshin: the site search (templates/search.html), from the text store window.hoshinSearchText
 * (searchtext.js, written by hoshin.web.search_store): [[uri, title, text, sections], …], the
 * text holding the page's own words with U+007F between dictionary words of Japanese runs.
 *
 * - A page is found when every word of the query is on it, as typed (NFKC, any case); digits
 *   alone are not searched.
 * - Ranking: pages where every word stands as a whole word (理事 in 理事会, not in 文書管理事務)
 *   or in the title come first; a title match next; then the number of whole-word matches.
 * - Each result quotes the page around its best match and highlights what was typed; the link
 *   leads to the section of that match and asks the page to highlight the words too.
 * - Everything comes from scripts already loaded: no fetch, so it works from file:// as well. */
(() => {
  "use strict";
  const MARK = "\x7f";
  const QUOTE_BEFORE = 40;
  const QUOTE_AFTER = 90;
  const MAX_HITS = 200;
  const runsOf = typeof hoshinQueryRuns === "function"
    ? hoshinQueryRuns
    : (query) => query.normalize("NFKC").split(/\s+/u).filter(Boolean);
  const isJapanese = typeof hoshinIsJapanese === "function" ? hoshinIsJapanese : () => false;

  /* Kanji 0, hiragana 1, katakana 2: a change of script is a word boundary the store does not
   * mark (hoshin.web.search_text.script_of). */
  const scriptOf = (ch) => {
    const code = ch.codePointAt(0);
    if (code >= 0x3041 && code <= 0x309f) return 1;
    return (code >= 0x30a0 && code <= 0x30ff) || (code >= 0x31f0 && code <= 0x31ff) ? 2 : 0;
  };

  /* A text with its boundary marks taken out: plain text, boundaries, and a lower-cased NFKC
   * copy for matching with the position of each of its code units in the plain text. */
  const prepare = (marked) => {
    const parts = [];
    const marks = new Set();
    let length = 0;
    let start = 0;
    for (let i = marked.indexOf(MARK); i !== -1; i = marked.indexOf(MARK, start)) {
      parts.push(marked.slice(start, i));
      length += i - start;
      marks.add(length);
      start = i + 1;
    }
    parts.push(marked.slice(start));
    const plain = parts.join("");
    const norm = [];
    const map = [];
    let p = 0;
    for (const ch of plain) {
      const code = ch.codePointAt(0);
      const stable = (code >= 0x3041 && code <= 0x30fa) || (code >= 0x4e00 && code <= 0x9fff);
      const n = stable ? ch : ch.normalize("NFKC").toLowerCase();
      for (let k = 0; k < n.length; k += 1) {
        norm.push(n[k]);
        map.push(p);
      }
      p += ch.length;
    }
    map.push(p);
    const japaneseAt = (i) => i >= 0 && i < plain.length && isJapanese(plain[i]);
    const boundary = (i) => marks.has(i) || !japaneseAt(i - 1) || !japaneseAt(i)
      || scriptOf(plain[i - 1]) !== scriptOf(plain[i]);
    return { plain, norm: norm.join(""), map, boundary };
  };

  const hitsOf = (text, word) => {
    const hits = [];
    for (let i = text.norm.indexOf(word); i !== -1 && hits.length < MAX_HITS;
      i = text.norm.indexOf(word, i + 1)) {
      const start = text.map[i];
      const end = text.map[i + word.length];
      hits.push({ start, end, whole: text.boundary(start) && text.boundary(end) });
    }
    return hits;
  };

  const queryWords = (query) => [...new Set(runsOf(query)
    .map((run) => run.normalize("NFKC").toLowerCase())
    .filter((run) => run && !/^\d+$/u.test(run)))];

  const rank = (rows, words) => {
    const results = [];
    rows.forEach(([uri, title, marked, sections], order) => {
      const head = prepare(title);
      const body = prepare(marked);
      let everyWhole = true;
      let titleWhole = true;
      let score = 0;
      const hits = [];
      for (const word of words) {
        const inTitle = hitsOf(head, word);
        const inBody = hitsOf(body, word);
        if (!inTitle.length && !inBody.length) return;
        const titleHasWhole = inTitle.some((h) => h.whole);
        const whole = inBody.filter((h) => h.whole).length;
        if (!titleHasWhole) titleWhole = false;
        if (!titleHasWhole && !whole) everyWhole = false;
        score += 3 * Math.min(whole, 10) + Math.min(inBody.length - whole, 10);
        hits.push(...inBody);
      }
      hits.sort((a, b) => a.start - b.start);
      const best = hits.find((h) => h.whole) || hits[0];
      results.push({ uri, title: head.plain, body, sections, hits, best,
        key: [everyWhole ? 1 : 0, titleWhole ? 1 : 0, score, -order] });
    });
    const compare = (a, b) => {
      for (let k = 0; k < a.key.length; k += 1) if (a.key[k] !== b.key[k]) return b.key[k] - a.key[k];
      return 0;
    };
    return results.sort(compare);
  };

  /* Text with the ranges of `hits` inside [from, to) wrapped in <mark>. */
  const highlighted = (parent, text, from, to, hits) => {
    let at = from;
    for (const hit of hits) {
      const start = Math.max(hit.start, at);
      const end = Math.min(hit.end, to);
      if (end <= start) continue;
      parent.append(text.slice(at, start));
      parent.appendChild(document.createElement("mark")).textContent = text.slice(start, end);
      at = end;
    }
    parent.append(text.slice(at, to));
  };

  const quote = (result) => {
    const para = document.createElement("p");
    para.className = "context";
    const { plain } = result.body;
    const best = result.best;
    if (!best) return para;
    const blockStart = plain.lastIndexOf("\n", best.start - 1) + 1;
    const newline = plain.indexOf("\n", best.end);
    const blockEnd = newline === -1 ? plain.length : newline;
    const from = Math.max(blockStart, best.start - QUOTE_BEFORE);
    const to = Math.min(blockEnd, Math.max(best.end, best.start + QUOTE_AFTER));
    if (from > blockStart) para.append("…");
    highlighted(para, plain, from, to, result.hits);
    if (to < blockEnd) para.append("…");
    return para;
  };

  /* The block (line) of `plain` that starts at `offset`: a section's heading. */
  const blockAt = (plain, offset) => {
    const end = plain.indexOf("\n", offset);
    return plain.slice(offset, end === -1 ? plain.length : end);
  };

  const sectionOf = (result) => {
    if (!result.best) return null;
    let found = null;
    for (const section of result.sections) if (section[0] <= result.best.start) found = section;
    return found;
  };

  const show = (query, words, results, box) => {
    box.replaceChildren();
    const summary = box.appendChild(document.createElement("p"));
    summary.className = "search-summary";
    summary.setAttribute("role", "status");
    if (!results.length) {
      summary.textContent = `「${query}」を含むページは見つかりませんでした。`
        + "言葉を短くするか、別の言い方で検索してください。";
      return;
    }
    summary.textContent = `「${query}」を含むページが ${results.length} 件見つかりました。`
      + "言葉がそのままの形で出てくるページを先に並べています。";
    const list = box.appendChild(document.createElement("ul"));
    list.className = "search";
    const highlight = encodeURIComponent(words.join(" "));
    for (const result of results) {
      const item = list.appendChild(document.createElement("li"));
      const section = sectionOf(result);
      const link = item.appendChild(document.createElement("a"));
      const [path, anchor] = result.uri.split("#");
      const target = section ? section[1] : anchor;
      link.href = `${path}?highlight=${highlight}${target ? `#${target}` : ""}`;
      link.className = "hoshin-result-title";
      link.textContent = result.title;
      const heading = section ? blockAt(result.body.plain, section[0]) : "";
      if (heading && heading !== result.title) {
        const where = item.appendChild(document.createElement("span"));
        where.className = "hoshin-result-section";
        where.textContent = heading;
      }
      item.appendChild(quote(result));
    }
  };

  const run = () => {
    const box = document.getElementById("search-results");
    const input = document.getElementById("hoshin-search-q");
    const query = (new URLSearchParams(location.search).get("q") || "").trim();
    if (input) input.value = query;
    for (const field of document.querySelectorAll("input[name='q']")) field.value = query;
    if (!box || !query) return;
    if (!Array.isArray(store())) {
      box.replaceChildren();
      const note = box.appendChild(document.createElement("p"));
      note.className = "search-summary";
      note.setAttribute("role", "status");
      note.textContent = "検索用のデータ（searchtext.js）を読み込めませんでした。"
        + "目次や用語集からページを探してください。";
      return;
    }
    const words = queryWords(query);
    show(query, words, words.length ? rank(store(), words) : [], box);
    document.title = `「${query}」の検索結果 - ${document.title}`;
  };
  const store = () => window.hoshinSearchText;
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();

/* The print editions (PDF) whose names contain every word of the query, listed above the
 * results: window.hoshinPdfs = [{label, href}] is written into the search page by hoshin. */
document.addEventListener("DOMContentLoaded", () => {
  const pdfs = window.hoshinPdfs;
  const query = new URLSearchParams(location.search).get("q");
  const results = document.getElementById("search-results");
  if (!Array.isArray(pdfs) || !query || !results || typeof hoshinQueryRuns === "undefined")
    return;
  const runs = hoshinQueryRuns(query).map((run) => run.toLowerCase());
  const haystack = (pdf) => `${pdf.label} pdf 印刷 ダウンロード`.normalize("NFKC").toLowerCase();
  const matches = pdfs.filter((pdf) => runs.length && runs.every((r) => haystack(pdf).includes(r)));
  if (!matches.length) return;
  const section = document.createElement("section");
  section.className = "hoshin-pdf-results";
  section.setAttribute("aria-labelledby", "hoshin-pdf-results-title");
  const title = section.appendChild(document.createElement("h2"));
  title.id = "hoshin-pdf-results-title";
  title.textContent = "印刷用 PDF";
  const list = section.appendChild(document.createElement("ul"));
  for (const pdf of matches) {
    const link = list.appendChild(document.createElement("li")).appendChild(document.createElement("a"));
    link.href = pdf.href;
    link.type = "application/pdf";
    link.textContent = pdf.label;
  }
  results.before(section);
});
