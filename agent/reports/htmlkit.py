"""Small helpers to write well-formed HTML and SVG: every element is opened and closed here.

Text always goes through ``esc``; markup is built only by ``el``, so a quote from a
transcript can never become a tag or an attribute.
"""

from __future__ import annotations

from html import escape

#: Level colours, light to deep: a sequential scale, because a lower level is earlier,
#: not "bad". Index 0 is "no evidence".
FILL = ("#f1f5f9", "#dbeafe", "#93c5fd", "#3b82f6", "#1d4ed8", "#1e3a8a")
INK = ("#64748b", "#1e3a8a", "#1e3a8a", "#ffffff", "#ffffff", "#ffffff")
VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "col", "wbr"})


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def el(tag: str, /, *children: str, **attrs: object) -> str:
    """``<tag attrs>children</tag>``; ``class_`` for class, ``data_x`` for data-x.

    Attributes whose value is None or False are left out; True writes the bare name's
    value as itself (``hidden="hidden"``) so the output parses as XML too.
    """
    parts = [tag]
    for key, value in attrs.items():
        if value is None or value is False:
            continue
        attr = key.rstrip("_").replace("_", "-")
        parts.append(f'{attr}="{esc(attr if value is True else value)}"')
    opening = "<" + " ".join(parts)
    if tag in VOID:
        return opening + " />"
    return opening + ">" + "".join(children) + f"</{tag}>"


def level_index(level: int | None, top: int) -> int:
    """Where a level sits on the five-step colour scale, whatever the pack's number of levels."""
    if level is None:
        return 0
    if top <= 1:
        return 5
    return 1 + round((level - 1) * 4 / (top - 1))


def pill(level: int | None, top: int, label: str = "") -> str:
    i = level_index(level, top)
    text = "–" if level is None else str(level)
    body = el("b", esc(text)) + (el("span", esc(label)) if label else "")
    return el("span", body, class_=f"pill l{i}")
