project = "テスト方針"
language = "ja"
extensions = ["hoshin"]
myst_enable_extensions = ["colon_fence"]
html_theme = "furo"
hoshin_issuer = "テスト市"
