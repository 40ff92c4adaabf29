project = "検索テスト"
language = "ja"
extensions = ["hoshin"]
html_theme = "basic"
html_search_language = "ja"
myst_enable_extensions = ["colon_fence"]
