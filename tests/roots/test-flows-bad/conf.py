project = "誤りのある図"
language = "ja"
extensions = ["hoshin"]
html_theme = "basic"
exclude_patterns = ["_build"]
