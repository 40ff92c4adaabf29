project = "lint alone"
language = "ja"
extensions = ["myst_parser", "hoshin.lint"]
exclude_patterns = ["_build"]
