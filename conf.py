"""Sphinx configuration of the embedded edition: 上越市ICTによる情報化推進基本方針.

Built by ``hoshin build`` (or ``make site``) with ``source/`` as the source folder and this
folder as the configuration folder.
"""

project = "上越市ICTによる情報化推進基本方針"
author = "上越市"
copyright = "上越市"  # noqa: A001 - Sphinx's name
language = "ja"

extensions = ["hoshin"]

root_doc = "index"
exclude_patterns = ["_build", "**/.*"]

# MyST: colon fences for sphinx-design cards, explicit labels only.
myst_enable_extensions = ["colon_fence", "deflist", "fieldlist", "attrs_block"]
myst_heading_anchors = 0

# hoshin
hoshin_project_slug = "joetsu-ict"
hoshin_issuer = "新潟県上越市"
# The working draft of the embedded edition is the seed (_83) still being transcribed and
# drawn: its differences from the frozen _83 are not policy revisions, so they are reported
# as information (hoshin check and hoshin diff list them) instead of warnings.
hoshin_draft_findings = "info"
# The working draft is dated 2021-06-03 (the 4th expert meeting, which discussed it), so that
# its PDFs stay byte-identical from one build to the next. A new project leaves this out: its
# draft is dated by the day of the build ("git": by its last commit).
hoshin_draft_date = "2021-06-03"

# HTML: furo is light (about 115 KB for a chapter page), responsive and accessible.
html_theme = "furo"
html_title = "上越市ICTによる情報化推進基本方針"
html_short_title = "上越市ICT基本方針"
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False
html_show_sphinx = False
html_permalinks_icon = "#"
html_search_language = "ja"

# LaTeX / PDF (uplatex, Sphinx's default for Japanese)
latex_engine = "uplatex"
