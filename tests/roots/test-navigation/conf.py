project = "書棚のテスト"
language = "ja"
extensions = ["hoshin"]
html_theme = "furo"
exclude_patterns = ["_build"]
hoshin_navigation = "document"
