project = "opinions alone"
language = "ja"
extensions = ["myst_parser", "hoshin.opinions"]
exclude_patterns = ["_build"]
