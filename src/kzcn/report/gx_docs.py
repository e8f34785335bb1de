"""Great Expectations Data Docs views that read offline and call no one.

GE's stock pages pull Bootstrap, jQuery, bootstrap-table, Font Awesome and vega from CDNs and a
logo from S3 (a tracking pixel once online); its index draws its lists with bootstrap-table, so
offline it is blank. GE lets a site name its own view classes, but it looks in a plugin's views
folder only after its own templates, so a template cannot be overridden from there. These views
put templates/gx_docs/ first instead: pages without remote assets, the index's lists as plain
HTML tables, and a bar linking the Data Docs to our summary page and cross-table rules page.
Element ids are counted per page instead of random, so the same results give the same bytes.
Plain values (cells, labels) are HTML-escaped here: GE prints them raw.

GE imports this module itself (the site config names it); nothing else should import it.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

from great_expectations.render.components import RenderedComponentContent
from great_expectations.render.view import DefaultJinjaIndexPageView, DefaultJinjaPageView
from jinja2 import ChoiceLoader, FileSystemLoader, pass_context as contextfilter

TEMPLATES = Path(__file__).resolve().parent / "templates" / "gx_docs"


def _is_block(value) -> bool:
    return isinstance(value, RenderedComponentContent) or (isinstance(value, dict) and "content_block_type" in value)


class _OfflineTemplates:
    def __init__(self, custom_styles_directory=None, custom_views_directory=None) -> None:
        super().__init__(custom_styles_directory=custom_styles_directory,
                         custom_views_directory=custom_views_directory)
        self.env.loader = ChoiceLoader([FileSystemLoader(str(TEMPLATES)), self.env.loader])
        self.env.filters["generate_html_element_uuid"] = self.generate_html_element_uuid
        self._element_count = 0

    @contextfilter
    def render_content_block(self, jinja_context, content_block, index=None, content_block_id=None,
                             render_to_markdown=False):
        """GE's own, except that plain values are HTML-escaped: GE returns a string content block
        (an unexpected cell value, a label from the CSV) as raw HTML, so a cell `<script>` ran in
        the page. Content blocks (dicts with a type, rendered components) still go to GE's
        templates, which escape the parameters they substitute."""
        if render_to_markdown:
            return super().render_content_block(jinja_context, content_block, index, content_block_id, True)
        if isinstance(content_block, str):
            return escape(content_block, quote=False)
        if content_block is None:
            return ""
        if isinstance(content_block, list):
            out = ""
            for idx, el in enumerate(content_block):
                if _is_block(el):
                    out += self.render_content_block(jinja_context, el, idx,
                                                     f"{content_block_id}-{idx}" if content_block_id else None)
                else:
                    out += f"<span>{escape(str(el), quote=False)}</span>"
            return out
        if not _is_block(content_block):
            return escape(str(content_block), quote=False)
        return super().render_content_block(jinja_context, content_block, index, content_block_id)

    def render(self, document, template=None, **kwargs):
        self._element_count = 0  # element ids restart on every page: same data, same page bytes
        return super().render(document, template, **kwargs)

    def generate_html_element_uuid(self, prefix=None):
        """GE makes these ids random; a per-page counter is just as unique and reproducible."""
        self._element_count += 1
        return f"{prefix or ''}{self._element_count}"


class OfflinePageView(_OfflineTemplates, DefaultJinjaPageView):
    """Expectation suite and validation result pages."""


class OfflineIndexPageView(_OfflineTemplates, DefaultJinjaIndexPageView):
    """The Data Docs home page."""
