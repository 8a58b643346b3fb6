"""The statistics: intervals, funnel limits, over-dispersion, the one engine every figure
and verdict comes from, and disclosure control. Pure Python over numbers and the catalogue."""
