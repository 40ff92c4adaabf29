project = "diagrams alone"
language = "ja"
extensions = ["myst_parser", "hoshin.diagrams"]
exclude_patterns = ["_build"]
