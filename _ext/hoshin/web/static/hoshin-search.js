/* hoshin: the search page, after Sphinx's searchtools.js (loaded with defer).
 * - every word and bigram of the query must be on a page: Sphinx counts matches rather than
 *   checking them and treats terms of one or two characters as optional beside a longer
 *   word (ICT推進 would list every page with ICT), and finds nothing for a one-character
 *   word (税);
 * - highlight what the reader typed (オープンデータ), not the bigrams the index matches on;
 * - Sphinx's Japanese catalogue translates the "found N pages" status as an empty string,
 *   which leaves screen-reader users without a result count: give it a real sentence. */
(() => {
  if (typeof Search === "undefined" || typeof hoshinQueryRuns === "undefined") return;
  const parse = Search._parseQuery;
  Search._parseQuery = (query) => {
    const parsed = parse(query);
    const highlight = new Set(hoshinQueryRuns(query).map((run) => run.toLowerCase()));
    parsed[3] = highlight;
    if (typeof SPHINX_HIGHLIGHT_ENABLED !== "undefined" && SPHINX_HIGHLIGHT_ENABLED)
      localStorage.setItem("sphinx_highlight_terms", [...highlight].join(" "));
    return parsed;
  };
  const termsSearch = Search.performTermsSearch;
  Search.performTermsSearch = (searchTerms, excludedTerms) => {
    const index = Search._index;
    const on = (map, term, file) => {
      const files = map[term];
      return files === file || (Array.isArray(files) && files.includes(file));
    };
    const has = (term, file) => on(index.terms, term, file) || on(index.titleterms, term, file);
    // A one-character query word (税) is on a page when it stands alone there (、税、) or one
    // of the page's bigrams contains it.
    const single = [...searchTerms].filter((t) => [...t].length === 1 && hoshinIsJapanese(t));
    const pairsWith = new Map(single.map((ch) => [ch, Object.keys(index.terms)
      .concat(Object.keys(index.titleterms))
      .filter((term) => term.length === 2 && term.includes(ch))]));
    const hasChar = (ch, file) => has(ch, file) || pairsWith.get(ch).some((p) => has(p, file));
    const rest = new Set([...searchTerms].filter((term) => !single.includes(term)));
    const candidates = rest.size || !single.length
      ? termsSearch(rest, excludedTerms)
      : index.docnames.map((docname, file) => [docname, index.titles[file], "", null,
          Scorer.term, index.filenames[file], SearchResultKind.text]);
    // Sphinx's partial matching: a word of three or more characters may be part of an index
    // word (societ → society5).
    const partial = (term) => Object.keys(index.terms).concat(Object.keys(index.titleterms))
      .filter((key) => key !== term && key.includes(term));
    const within = new Map([...rest].map((t) => [t, t.length > 2 ? partial(t) : []]));
    return candidates.filter(([docname]) => {
      const file = index.docnames.indexOf(docname);
      return [...rest].every((t) => has(t, file) || within.get(t).some((k) => has(k, file)))
        && single.every((ch) => hasChar(ch, file));
    });
  };
  const found = "検索が完了しました。${resultCount} ページ見つかりました。";
  Documentation.TRANSLATIONS["Search finished, found one page matching the search query."] =
    [found, found];
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
