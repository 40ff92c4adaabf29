"""Sphinx configuration of $title (made by `hoshin init`)."""

project = "$title"
author = "$issuer"
copyright = "$issuer"
language = "ja"

extensions = ["hoshin"]
root_doc = "index"
exclude_patterns = ["_build", "**/.*", "flows"]
myst_enable_extensions = ["colon_fence", "deflist", "fieldlist", "attrs_block"]

hoshin_project_slug = "$slug"
hoshin_issuer = "$issuer"

html_theme = "furo"
html_title = "$title"
html_copy_source = False
html_show_sourcelink = False
html_show_sphinx = False
html_search_language = "ja"

latex_engine = "uplatex"
