project = "pdf alone"
language = "ja"
extensions = ["myst_parser", "hoshin.pdf"]
exclude_patterns = ["_build"]
