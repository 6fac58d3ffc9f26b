"""Charts for the dashboard as inline SVG built on the server.

No JavaScript and no chart library fetched from elsewhere: the page works
with scripts blocked and leaks nothing to a third party, and a strict
Content-Security-Policy stays possible. The markup is fixed templates
filled by ``Markup.format``, which passes every value through
``markupsafe.escape``: a label cannot inject markup. Colours
follow the surrounding text (``currentColor``) unless the stylesheet sets
the ``chart-*`` classes.
"""

import math

from babel.numbers import format_percent
from markupsafe import Markup

_LEFT = 40  # room for the y-axis label
_BOTTOM = 18  # room for the x labels
_TOP = 6
_LABEL_SPACING = 56  # minimum pixels between two x labels


def _number(value: float) -> str:
    """Short form for a label: ``12`` rather than ``12.0``."""
    return f"{value:g}"


def _px(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def bar_chart(
    points: list[tuple[str, float]], *, title: str, width: int = 600, height: int = 160
) -> Markup:
    """Vertical bars, one ``<rect>`` per point, scaled to the largest value.

    Only every few bars get an x label so labels never overlap; each bar's
    ``<title>`` still names its label and value (a tooltip, and read by
    screen readers). ``title`` is the chart's accessible name. Negative
    values are drawn as zero: the charts show counts and shares.
    """
    plot_width = width - _LEFT
    plot_height = height - _TOP - _BOTTOM
    base = _TOP + plot_height
    top = max((value for _, value in points), default=0.0)
    scale = plot_height / top if top > 0 else 0.0
    slot = plot_width / len(points) if points else plot_width
    step = max(1, math.ceil(len(points) * _LABEL_SPACING / plot_width)) if points else 1
    parts = [
        _CHART_START.format(width=width, height=height, title=title),
        _Y_LABEL.format(x=_LEFT - 4, y=_TOP + 8, text=_number(top)),
        _AXIS.format(left=_LEFT, right=width, y=base),
    ]
    for index, (label, value) in enumerate(points):
        bar = max(0.0, value) * scale
        x = _LEFT + index * slot
        parts.append(
            _BAR.format(x=_px(x + slot * 0.1), y=_px(base - bar), width=_px(slot * 0.8),
                        height=_px(bar), title=f"{label}: {_number(value)}")
        )  # fmt: skip
        if index % step == 0:
            parts.append(_X_LABEL.format(x=_px(x + slot / 2), y=height - 4, text=label))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def meter(
    value: float | None, *, label: str, width: int = 120, locale: str | None = None
) -> Markup:
    """A share from 0 to 1 as a horizontal bar followed by its percentage,
    or "—" when there is nothing to measure (no decision yet): an honest
    blank rather than a misleading 0 %. ``label`` is the accessible name.
    With ``locale`` the percentage is written that language's way ("25 %"
    in French); without, plainly ("25%")."""
    if value is None or math.isnan(value):
        return _METER_NONE.format(name=f"{label}: —")
    share = min(1.0, max(0.0, value))
    text = format_percent(share, locale=locale) if locale else f"{share:.0%}"
    return _METER.format(name=f"{label}: {text}", width=width, fill=_px(share * width), text=text)


# Templates: Markup.format escapes every argument, so no text slips through raw.
_CHART_START = Markup(
    '<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
    'width="{width}" height="{height}" role="img" aria-label="{title}"><title>{title}</title>'
)
_Y_LABEL = Markup(
    '<text class="chart-axis" x="{x}" y="{y}" text-anchor="end" font-size="10" '
    'fill="currentColor">{text}</text>'
)
_AXIS = Markup(
    '<line class="chart-axis" x1="{left}" y1="{y}" x2="{right}" y2="{y}" '
    'stroke="currentColor" stroke-width="1"/>'
)
_BAR = Markup(
    '<rect class="chart-bar" x="{x}" y="{y}" width="{width}" height="{height}" '
    'fill="currentColor"><title>{title}</title></rect>'
)
_X_LABEL = Markup(
    '<text class="chart-label" x="{x}" y="{y}" text-anchor="middle" font-size="10" '
    'fill="currentColor">{text}</text>'
)
_METER = Markup(
    '<span class="meter"><svg xmlns="http://www.w3.org/2000/svg" class="meter-bar" '
    'viewBox="0 0 {width} 10" width="{width}" height="10" role="img" aria-label="{name}">'
    "<title>{name}</title>"
    '<rect class="meter-track" x="0" y="0" width="{width}" height="10" '
    'fill="currentColor" fill-opacity="0.15"/>'
    '<rect class="meter-fill" x="0" y="0" width="{fill}" height="10" fill="currentColor"/>'
    '</svg> <span class="meter-value">{text}</span></span>'
)
_METER_NONE = Markup('<span class="meter" role="img" aria-label="{name}">—</span>')
