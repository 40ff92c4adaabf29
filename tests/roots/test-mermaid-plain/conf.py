project = "mermaid only"
extensions = ["myst_parser", "sphinxcontrib.mermaid", "hoshin.diagrams"]
html_theme = "basic"
exclude_patterns = ["_build"]
