"""The dashboard's decisions per day: stacked bars, one colour per outcome.

The bars are an SVG stretched to the width of the page (its rectangles may
stretch, no text is inside it); the day labels, the scale and the legend
are HTML, so they stay readable at any width. Each day's ``<title>`` names
its figures (a tooltip, read by screen readers), and a table holds the same
figures for anyone who cannot see the bars. Markup only through
``Markup.format``, which escapes every value.
"""

from collections.abc import Sequence

from markupsafe import Markup

_SLOT = 10  # viewBox units per day
_HEIGHT = 100


def day_chart(
    days: Sequence[tuple[str, dict[str, int]]], series: Sequence[tuple[str, str]], *,
    title: str, table_caption: str, day_heading: str,
) -> Markup:  # fmt: skip
    """``days``: (label, counts by series key); ``series``: (key, name) in
    stacking order, bottom first."""
    top = max((sum(counts.get(key, 0) for key, _ in series) for _, counts in days), default=0)
    scale = _HEIGHT / top if top else 0.0
    width = _SLOT * max(len(days), 1)
    bars = []
    for index, (label, counts) in enumerate(days):
        base = float(_HEIGHT)
        named = ", ".join(f"{name} {counts.get(key, 0)}" for key, name in series)
        rects = []
        for key, _name in series:
            height = counts.get(key, 0) * scale
            if height:
                base -= height
                rects.append(_RECT.format(x=index * _SLOT + 1, y=f"{base:.2f}", width=_SLOT - 2,
                                          height=f"{height:.2f}", key=key))  # fmt: skip
        bars.append(_DAY.format(title=f"{label}: {named}", rects=Markup("").join(rects)))
    labels = Markup("").join(_LABEL.format(text=label) for label, _ in days)
    legend = Markup("").join(_LEGEND.format(key=key, name=name) for key, name in series)
    head = Markup("").join(_TH.format(text=name) for _, name in series)
    rows = Markup("").join(
        _ROW.format(day=label, cells=Markup("").join(
            _TD.format(text=counts.get(key, 0)) for key, _ in series))
        for label, counts in days if counts)  # fmt: skip
    return _CHART.format(title=title, top=top, width=width, height=_HEIGHT,
                         bars=Markup("").join(bars), labels=labels, legend=legend,
                         caption=table_caption, day=day_heading, head=head, rows=rows)  # fmt: skip


_CHART = Markup(
    '<figure class="day-chart"><figcaption>{title}</figcaption>'
    '<div class="plot"><span class="y-max" aria-hidden="true">{top}</span>'
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
    'preserveAspectRatio="none" role="img" aria-label="{title}">{bars}</svg></div>'
    '<ol class="x-labels" aria-hidden="true">{labels}</ol>'
    '<ul class="legend">{legend}</ul>'
    '<table class="visually-hidden"><caption>{caption}</caption>'
    '<thead><tr><th>{day}</th>{head}</tr></thead><tbody>{rows}</tbody></table></figure>'
)
_DAY = Markup("<g><title>{title}</title>{rects}</g>")
_RECT = Markup('<rect class="bar bar-{key}" x="{x}" y="{y}" width="{width}" height="{height}"/>')
_LABEL = Markup("<li>{text}</li>")
_LEGEND = Markup('<li><span class="swatch bar-{key}"></span>{name}</li>')
_TH = Markup("<th>{text}</th>")
_ROW = Markup("<tr><th>{day}</th>{cells}</tr>")
_TD = Markup("<td>{text}</td>")
