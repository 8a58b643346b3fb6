"""The vocabulary every layer shares: settings and paths, the home authority, the measure
catalogue, phases and selections, the clock, and text made safe. Imports nothing above it."""
