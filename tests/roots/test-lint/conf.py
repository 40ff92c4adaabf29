project = "検査の方針"
author = "試し市"
language = "ja"
extensions = ["hoshin"]
myst_enable_extensions = ["colon_fence"]
html_theme = "basic"
hoshin_project_slug = "lint"
hoshin_lint_in_build = True
