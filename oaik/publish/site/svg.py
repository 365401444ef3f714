"""Small helpers for hand-built, deterministic SVG (fixed number formatting, escaped text)."""

from __future__ import annotations

from markupsafe import escape

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"
#: Blues from light to dark (ColorBrewer "Blues", colour-blind safe); numbers always accompany them.
BLUES = ("#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b")


def num(value: float) -> str:
    """A coordinate with at most one decimal, no trailing zeros."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def text_width(text: str, size: float = 12) -> float:
    """A rough width estimate for layout (no font metrics at build time)."""
    return len(text) * size * 0.56


def shade(value: float, most: float) -> tuple[str, str]:
    """Fill colour for a value on a 0..most scale, and a text colour that stays readable on it."""
    if most <= 0 or value <= 0:
        return BLUES[0], "#111111"
    index = 1 + round((len(BLUES) - 2) * value / most)
    index = min(index, len(BLUES) - 1)
    return BLUES[index], "#ffffff" if index >= 5 else "#111111"


def attrs(**values) -> str:
    return "".join(f' {key.rstrip("_").replace("_", "-")}="{escape(str(value))}"' for key, value in values.items())


def element(name: str, body: str = "", **values) -> str:
    if body:
        return f"<{name}{attrs(**values)}>{body}</{name}>"
    return f"<{name}{attrs(**values)}/>"


def text(
    x: float,
    y: float,
    content: str,
    size: float = 12,
    anchor: str = "start",
    weight: str = "normal",
    fill: str = "#111111",
    **extra,
) -> str:
    return element(
        "text",
        str(escape(content)),
        x=num(x),
        y=num(y),
        font_size=num(size),
        text_anchor=anchor,
        font_weight=weight,
        fill=fill,
        **extra,
    )


def document(width: float, height: float, title: str, desc: str, body: list[str], ident: str) -> str:
    """A standalone SVG with a title and a description (its text alternative)."""
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" '
        f'width="{num(width)}" height="{num(height)}" viewBox="0 0 {num(width)} {num(height)}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family="{escape(FONT)}" id="{ident}-svg">'
    )
    return (
        head
        + f'<title id="{ident}-title">{escape(title)}</title>'
        + f'<desc id="{ident}-desc">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>\n"
    )
