"""The /stats chart: subscribers and messages sent per day, as a PNG (matplotlib, Agg backend).

matplotlib is the optional extra `chart` (`pip install -e '.[chart]'`): it and numpy are most of an
install's size, so they are imported here only, when a chart is drawn; without them /stats is text only."""

from __future__ import annotations

import io

from bot.store.records import DailySeries


def render_chart(
    series: DailySeries, title: str, subscribers_label: str, deliveries_label: str
) -> bytes | None:
    """A PNG: bars for messages sent per day, a line for subscribers (own axis); None without matplotlib."""
    try:
        import matplotlib
    except ImportError:
        return None

    matplotlib.use("Agg")
    from matplotlib.figure import Figure  # no pyplot: no global state, safe in a server

    figure = Figure(figsize=(9, 4.5), dpi=100)
    axes = figure.add_subplot()
    x = range(len(series.days))
    labels = [f"{day[8:10]}/{day[5:7]}" for day in series.days]  # 29/11, as Vietnamese readers write it
    axes.bar(x, series.deliveries, color="#9ecae1", label=deliveries_label)
    axes.set_ylabel(deliveries_label)
    axes.set_xticks(list(x)[::3], labels[::3], rotation=45, fontsize=8)
    twin = axes.twinx()
    twin.plot(list(x), series.subscribers, color="#d62728", marker="o", markersize=3, label=subscribers_label)
    twin.set_ylabel(subscribers_label)
    twin.set_ylim(bottom=0)
    axes.set_title(title)
    handles = axes.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    axes.legend(handles, [deliveries_label, subscribers_label], loc="upper left", fontsize=8)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
