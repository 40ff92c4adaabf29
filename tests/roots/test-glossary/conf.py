project = "用語集のテスト"
language = "ja"
extensions = ["hoshin"]
html_theme = "basic"
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
