"""Every page we ship carries a Content-Security-Policy that lets no script run.

The pages show data from a pull request: cell values, labels, names. Our own templates
autoescape (kzcn.report.stage), and GE's Data Docs escape the values they substitute, but one
missed spot is enough for a `<script>` cell to run in a page the release zip ships. So the
policy is the second wall: nothing but inline styles, our own style sheets and images (local
files and data: URIs) may load, no script (inline or not), no frame, no form target, no
plugin. The meta tag goes first in <head>, before anything the data could have put there.
"""
from __future__ import annotations

import re
from pathlib import Path

POLICY = ("default-src 'none'; style-src 'unsafe-inline' 'self'; img-src 'self' data:; "
          "font-src 'self' data:; base-uri 'none'; form-action 'none'")
META = f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'
_HEAD = re.compile(r"<head(\s[^>]*)?>", re.IGNORECASE)


def with_policy(html: str) -> str:
    """The page with the policy as the first element of its <head> (added once)."""
    if META in html:
        return html
    match = _HEAD.search(html)
    if match is None:  # no <head>: the policy goes before everything else
        return META + "\n" + html
    return html[:match.end()] + "\n" + META + html[match.end():]


def secure_pages(folder: Path) -> list[Path]:
    """Put the policy into every .html file below `folder`; the pages changed."""
    from ..atomic import write_text_atomic

    changed = []
    for page in sorted(Path(folder).rglob("*.html")):
        if page.is_symlink() or not page.is_file():
            continue
        text = page.read_text(encoding="utf-8")
        new = with_policy(text)
        if new != text:
            write_text_atomic(page, new)
            changed.append(page)
    return changed
