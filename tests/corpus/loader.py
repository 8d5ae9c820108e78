"""Load the labelled corpus as (gold label, PageInput) pairs, for tests and benchmarks."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from clusterwatch.crawler.analysis import PageInput

CORPUS = Path(__file__).parent


def load() -> list[tuple[dict[str, Any], PageInput]]:
    """Every corpus page with its gold labels, in file order."""
    entries = json.loads((CORPUS / "labels.json").read_text("utf-8"))
    pages = []
    for entry in entries:
        body = (CORPUS / "pages" / entry["file"]).read_bytes()
        page = PageInput(
            url=entry["url"],
            final_url=entry["url"],
            status=entry["status"],
            headers=entry["headers"],
            body=body,
            fetched_at=datetime.fromisoformat(entry["fetched_at"]),
        )
        pages.append((entry, page))
    return pages
