project = "web alone"
language = "ja"
extensions = ["myst_parser", "hoshin.web"]
exclude_patterns = ["_build"]
