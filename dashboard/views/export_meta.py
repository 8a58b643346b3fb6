"""What an exported chart or table says about itself: title, filters, definition, source,
year, caveats and the demo notice. Kept apart from the drawing (dashboard.views.exports) so text
modules can describe an export without importing Plotly."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ExportMeta:
    title: str
    filters: str
    definition: str
    source: str
    year: str
    caveats: tuple[str, ...] = ()
    method: str = ""
    demo: bool = False
    summary: str = ""  # one-sentence text alternative
    notes: tuple[str, ...] = field(default_factory=tuple)

    def footer_lines(self, width: int = 190) -> list[str]:
        lines = [f"Filters: {self.filters} · Academic year: {self.year}"]
        lines += textwrap.wrap(f"Definition: {self.definition}", width)
        if self.method:
            lines += textwrap.wrap(f"Method: {self.method}", width)
        for c in self.caveats[:3]:
            lines += textwrap.wrap(f"Caveat: {c}", width)
        lines += textwrap.wrap(f"Source: {self.source}", width)
        return lines
