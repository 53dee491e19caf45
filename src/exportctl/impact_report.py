"""The impact analysis as one self-contained HTML page, with the licence workload forecast as an SVG chart."""

from __future__ import annotations

from html import escape

from jinja2 import Environment, select_autoescape
from markupsafe import Markup

from exportctl.services.impact import EFFECTS, Forecast, Impact

BAR_HEIGHT = 22
LABEL_WIDTH = 230
CHART_WIDTH = 640


def slip_chart(forecast: Forecast) -> str:
    """A horizontal bar per waiting shipment: days from its planned ship date to the expected decision."""
    rows = forecast.slipping
    if not rows:
        return '<p class="none">No shipment slips past its planned ship date.</p>'
    longest = max(slip.days_late for slip in rows) or 1
    scale = (CHART_WIDTH - LABEL_WIDTH - 60) / longest
    height = BAR_HEIGHT * len(rows) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{CHART_WIDTH}" height="{height}" role="img" '
        f'aria-label="Shipments that slip, days late">'
    ]
    for index, slip in enumerate(rows):
        y = index * BAR_HEIGHT + 4
        width = max(1.0, slip.days_late * scale)
        label = escape(f"{slip.order_id} (ship {slip.ship_date})")
        parts.append(f'<text x="0" y="{y + 15}" font-size="12">{label}</text>')
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT - 6}" fill="#c0392b">'
            f"<title>{escape(slip.order_id)}: {slip.days_late} days late</title></rect>"
        )
        parts.append(f'<text x="{LABEL_WIDTH + width + 4:.1f}" y="{y + 15}" font-size="12">{slip.days_late} d</text>')
    axis_y = BAR_HEIGHT * len(rows) + 20
    parts.append(
        f'<text x="{LABEL_WIDTH}" y="{axis_y}" font-size="11" fill="#555">days late, with a decision on '
        f"{forecast.decision_date} ({forecast.review_days}-day review)</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Impact {{ i.regime }} {{ i.start }} → {{ i.end }}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin:1em 0}
th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}th{background:#f4f4f4}
.newly-blocked{color:#c0392b}.newly-released{color:#27ae60}.licence-type-no-longer-usable{color:#d35400}
</style></head><body>
<h1>Impact: {{ i.regime }} {{ i.start }} → {{ i.end }}</h1>
{% if i.overlay %}<p>What-if overlay: <code>{{ i.overlay }}</code> (pack {{ i.pack_version_after }})</p>{% endif %}
<h2>Changes ({{ d.changes|length }})</h2>
<table><tr><th>change</th><th>fact</th><th>source</th></tr>
{% for c in d.changes %}<tr><td>{{ c.change }}</td><td>{{ c.text }}</td>
<td>{{ c.source.instrument if c.source else "" }}</td></tr>{% endfor %}</table>
<h2>Orders</h2>
<p>{% for effect in effects %}{{ effect }}: {{ d.counts[effect] }}{% if not loop.last %} · {% endif %}{% endfor %}</p>
<table><tr><th>order</th><th>ship date</th><th>destination</th><th>before</th><th>after</th><th>effect</th>
<th>no longer usable</th></tr>
{% for o in d.orders %}<tr><td>{{ o.order_id }}</td><td>{{ o.ship_date }}</td><td>{{ o.destination }}</td>
<td>{{ o.before.status }} {{ o.before.blocking_reasons|join(", ") }}</td>
<td>{{ o.after.status }} {{ o.after.blocking_reasons|join(", ") }}</td>
<td class="{{ o.effect|replace(" ", "-") }}">{{ o.effect }}</td><td>{{ o.no_longer_usable|join(", ") }}</td></tr>
{% endfor %}</table>
<h2>Licences</h2>
<table><tr><th>licence</th><th>type</th><th>usable before</th><th>usable after</th><th>status</th></tr>
{% for l in d.licences %}<tr><td>{{ l.number }}</td><td>{{ l.type }}</td><td>{{ l.usable_before|join(", ") }}</td>
<td>{{ l.usable_after|join(", ") }}</td><td>{{ l.status }}</td></tr>{% endfor %}</table>
<h2>Licence workload forecast</h2>
<p>{{ d.forecast.applications_needed }} individual licence application(s) needed (one per consignee and item);
review {{ d.forecast.review_days }} days, decision expected {{ d.forecast.decision_date }}.</p>
<table><tr><th>consignee</th><th>item</th><th>orders</th><th>quantity</th><th>value (JPY)</th>
<th>first ship date</th></tr>
{% for a in d.forecast.applications %}<tr><td>{{ a.consignee or "—" }}</td><td>{{ a.item }}</td>
<td>{{ a.orders|join(", ") }}</td><td>{{ a.quantity }}</td><td>{{ "{:,}".format(a.value_jpy) }}</td>
<td>{{ a.first_ship_date }}</td></tr>{% endfor %}</table>
<h3>Shipments that slip</h3>
{{ chart }}
</body></html>
"""


def render_report(impact: Impact) -> str:
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    template = env.from_string(TEMPLATE)
    return template.render(i=impact, d=impact.as_dict(), effects=EFFECTS, chart=Markup(slip_chart(impact.forecast)))
