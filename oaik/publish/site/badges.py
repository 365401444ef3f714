"""Small SVG badges (shields style) for projects and models, linking back to their pages."""

from __future__ import annotations

from markupsafe import escape

from oaik.publish.site.svg import FONT, num, text_width


def badge_svg(left: str, right: str, colour: str = "#2171b5") -> str:
    """A two-part badge: a grey label and a coloured value; the text is its own alternative."""
    lw, rw = text_width(left, 11) + 12, text_width(right, 11) + 12
    width = lw + rw
    title = f"{left}: {right}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(width)}" height="20" viewBox="0 0 {num(width)} 20" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f'<rect width="{num(lw)}" height="20" rx="3" fill="#555555"/>'
        f'<rect x="{num(lw)}" width="{num(rw)}" height="20" rx="3" fill="{colour}"/>'
        f'<g fill="#ffffff" font-family="{escape(FONT)}" font-size="11">'
        f'<text x="{num(lw / 2)}" y="14" text-anchor="middle">{escape(left)}</text>'
        f'<text x="{num(lw + rw / 2)}" y="14" text-anchor="middle">{escape(right)}</text></g></svg>\n'
    )


def markdown(alt: str, image_url: str, page_url: str) -> str:
    return f"[![{alt}]({image_url})]({page_url})"
