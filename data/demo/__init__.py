"""The fictional demo, as an importable package: calibration, makers and build.
`data/generate_demo.py` is its command line."""
