"""The editor's guide (編集者ガイド), built by hoshin itself."""

project = "hoshin 編集者ガイド"
author = "hoshin"
copyright = "hoshin"  # noqa: A001 - Sphinx's name
language = "ja"
extensions = ["hoshin", "hoshin.reference"]
myst_enable_extensions = ["colon_fence", "deflist"]
exclude_patterns = ["_build", "conf.py"]
html_theme = "furo"
html_title = "hoshin 編集者ガイド"
html_show_sphinx = False
html_copy_source = False
html_show_sourcelink = False
hoshin_project_slug = "hoshin-guide"
