"""Charts drawn at build time as inline SVG (no script, no chart library, nothing fetched): a bar
chart for a one-column kb.statistics.Chart, a grid of shaded cells (a heat map) for more columns.
Every label is untrusted text (vocabulary names): escaped, and cut short with the full text in a
<title> that browsers show on hover. Sizes are in SVG user units; the SVG scales to its box."""

from __future__ import annotations

from html import escape

from ..statistics import Chart

LABEL_CHARS = 16  # row labels longer than this are cut (the full text stays in <title> and the table)
CHAR = 13  # width of one CJK character at the labels' font size
ROW = 22
BAR_AREA = 220
CELL_HEIGHT = 24
COLUMN_LABEL_CHARS = 7  # column labels longer than this are cut; a cell is as wide as its label
FILL = "#c62828"


def _short(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[:limit - 1] + "…"


def _text(x: float, y: float, label: str, limit: int, anchor: str = "end", extra: str = "") -> str:
    shown = _short(label, limit)
    title = f"<title>{escape(label)}</title>" if shown != label else ""
    return (f'<text x="{x:.0f}" y="{y:.0f}" text-anchor="{anchor}"{extra}>{title}{escape(shown)}</text>')


def _svg(chart: Chart, width: int, height: int, body: list[str]) -> str:
    title_id = f"chart-{chart.slug}-title"
    return (f'<svg class="kb-chart-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-labelledby="{title_id}" font-size="12">'
            f'<title id="{title_id}">{escape(chart.title)}：{escape(chart.note)}</title>\n'
            + "\n".join(body) + "\n</svg>")


def bar_chart(chart: Chart) -> str:
    labels = max((min(len(label), LABEL_CHARS) for label in chart.rows), default=1) * CHAR + 8
    top = max((row[0] for row in chart.values), default=0) or 1
    digits = len(str(top)) * 8 + 12
    width, height = labels + BAR_AREA + digits, ROW * len(chart.rows) + 8
    body = []
    for index, (label, row) in enumerate(zip(chart.rows, chart.values)):
        y = 4 + index * ROW
        length = BAR_AREA * row[0] / top
        body.append(_text(labels - 6, y + 15, label, LABEL_CHARS))
        body.append(f'<rect x="{labels}" y="{y + 3}" width="{length:.1f}" height="{ROW - 6}" fill="{FILL}"/>')
        body.append(f'<text x="{labels + length + 4:.1f}" y="{y + 15}">{row[0]}</text>')
    return _svg(chart, width, height, body)


def grid_chart(chart: Chart) -> str:
    cell_h = CELL_HEIGHT
    cell_w = max(40, CHAR * min(COLUMN_LABEL_CHARS, max((len(c) for c in chart.columns), default=1)) + 10)
    labels = max((min(len(label), LABEL_CHARS) for label in chart.rows), default=1) * CHAR + 8
    head = 24
    top = max((value for row in chart.values for value in row), default=0) or 1
    width, height = labels + cell_w * len(chart.columns) + 4, head + cell_h * len(chart.rows) + 4
    body = []
    for column, label in enumerate(chart.columns):
        x = labels + column * cell_w + cell_w / 2
        body.append(_text(x, head - 8, label, COLUMN_LABEL_CHARS, anchor="middle"))
    for index, (label, row) in enumerate(zip(chart.rows, chart.values)):
        y = head + index * cell_h
        body.append(_text(labels - 6, y + 16, label, LABEL_CHARS))
        for column, value in enumerate(row):
            x = labels + column * cell_w
            shade = 0.08 + 0.92 * value / top if value else 0
            fill = f'fill="{FILL}" fill-opacity="{shade:.2f}"' if value else 'fill="#f5f5f5"'
            ink = "#fff" if shade > 0.55 else "#000"
            body.append(f'<rect x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}" {fill}/>'
                        f'<text x="{x + cell_w / 2:.0f}" y="{y + 16}" text-anchor="middle" fill="{ink}">{value}</text>')
    return _svg(chart, width, height, body)


def chart_svg(chart: Chart) -> str:
    return grid_chart(chart) if chart.grid else bar_chart(chart)
