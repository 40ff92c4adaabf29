project = "revisions alone"
language = "ja"
extensions = ["myst_parser", "hoshin.revisions"]
exclude_patterns = ["_build"]
