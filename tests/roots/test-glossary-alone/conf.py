project = "glossary alone"
language = "ja"
extensions = ["myst_parser", "hoshin.glossary"]
exclude_patterns = ["_build"]
