/* hoshin: the search page, after Sphinx's searchtools.js (loaded with defer).
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
  const found = "検索が完了しました。${resultCount} ページ見つかりました。";
  Documentation.TRANSLATIONS["Search finished, found one page matching the search query."] =
    [found, found];
})();
