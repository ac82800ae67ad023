"""Trends on screen and on paper: rich tables with inline bar charts, and a matplotlib PNG.

`print_trends(console, trends, units, charts)` prints every series as text (so piped output
and logs keep the numbers); with `charts` it adds bars and the ACWR band strip, for a
terminal. `write_png(trends, path, units)` draws the same as a figure for a training diary.
Imported only by `coach trends`, inside the command, so rich and matplotlib load on demand.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from coach.engine.presentation import format_pace
from coach.engine.units import METRES_PER_MILE

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from coach.engine.trends import Trends

#: the ACWR strip covers 0 .. _ACWR_MAX in _STRIP cells
_ACWR_MAX = 2.0
_STRIP = 20
_BAR = 16
#: below this many columns the bars and the strip get a table of their own
_INLINE_CHARTS = 124


def _num(x: float | None, fmt: str = ".2f") -> str:
    return "-" if x is None else format(x, fmt)


def _bar(value: float, top: float, width: int = _BAR) -> str:
    if top <= 0 or value <= 0:
        return ""
    n = max(1, round(value / top * width))
    return "█" * min(n, width)


def _print_sports(console, trends: "Trends") -> None:
    """Load per sport and its share of the week, when any week holds a ride or a swim."""
    from rich import box
    from rich.table import Table

    if not any(w.load_by_sport.get("bike") or w.load_by_sport.get("swim") for w in trends.weeks):
        return
    console.print()
    table = Table(title="Load per sport (AU, 7 days; a brick is bike and run)", title_justify="left",
                  box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Week to", no_wrap=True)
    sports = ("run", "bike", "swim")
    for sport in sports:
        table.add_column(sport.capitalize(), justify="right")
    for sport in sports:
        table.add_column(f"{sport.capitalize()} %", justify="right")
    for w in trends.weeks:
        loads = [w.load_by_sport.get(sport, 0.0) for sport in sports]
        shares = [f"{x / w.load * 100:.0f}" if w.load else "-" for x in loads]
        table.add_row(w.end.isoformat(), *[f"{x:.0f}" for x in loads], *shares)
    console.print(table)


def _acwr_style(trends: "Trends", acwr: float | None) -> str:
    band = trends.acwr_safe_band
    if acwr is None:
        return "dim"
    if acwr > band.high:
        return "bold red"
    if acwr < band.low:
        return "yellow"
    return "green"


def acwr_strip(acwr: float | None, low: float, high: float, width: int = _STRIP, top: float = _ACWR_MAX) -> str:
    """A one-line chart of the ACWR on a 0..2 scale: the safe band shaded, a dot at the value."""
    cells = []
    for i in range(width):
        mid = (i + 0.5) * top / width
        cells.append("░" if low <= mid <= high else "·")
    if acwr is not None:
        i = min(int(acwr / top * width), width - 1)
        cells[i] = "●" if acwr <= top else "▶"
    return "".join(cells)


_SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float | None]) -> str:
    """One character per value, higher values higher; a space for an unknown value."""
    known = [v for v in values if v is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    span = high - low
    return "".join(" " if v is None else _SPARKS[round((v - low) / span * (len(_SPARKS) - 1)) if span else 3]
                   for v in values)


def _effort_summary(trends: "Trends", effort, units: str, charts: bool) -> str:
    label = f"{effort.label} (RPE {effort.rpe_min}-{effort.rpe_max})"
    if not effort.points:
        return f"{label}: no runs logged at this effort"
    weekly = [(w.end, w.pace_at_effort.get(effort.label)) for w in trends.weeks]
    known = [(d, p) for d, p in weekly if p is not None]
    (d0, p0), (d1, p1) = known[0], known[-1]
    text = f"{label}: {len(effort.points)} run{'s' if len(effort.points) != 1 else ''}"
    if d0 != d1:
        delta = (p1 - p0) * (METRES_PER_MILE / 1000.0 if units == "mi" else 1.0)
        how = "the same" if round(delta) == 0 else f"{abs(delta):.0f} s/{units} {'faster' if delta < 0 else 'slower'}"
        text += (f", {format_pace(p0, units)} in the week to {d0}, {format_pace(p1, units)} in the week to {d1} "
                 f"({how})")
    if charts and len(known) > 1:  # faster is higher
        text += "   " + sparkline([-p if p is not None else None for _, p in weekly]) + " (faster is higher)"
    return text


def _km(km: float, units: str) -> float:
    return km * 1000.0 / METRES_PER_MILE if units == "mi" else km


def print_trends(console: "Console", trends: "Trends", units: str = "km", charts: bool = False) -> None:
    """Print the trends: every series as text; with `charts`, bars and the ACWR band strip too."""
    from rich import box
    from rich.table import Table

    weeks = len(trends.weeks)
    from coach.cli.safe_text import markup

    console.print(f"[bold]Trends for {markup(trends.athlete)}[/bold]: {weeks} week{'s' if weeks != 1 else ''} "
                  f"from {trends.start} to {trends.end} ({trends.workouts} workout{'s' if trends.workouts != 1 else ''})",
                  highlight=False)
    for note in trends.notes:
        console.print(f"Note: {note}", style="yellow", highlight=False)
    if trends.empty:
        return

    band = trends.acwr_safe_band
    glance = charts and console.width < _INLINE_CHARTS  # too narrow for bars beside every number
    charts = charts and not glance
    console.print()
    table = Table(title="Weekly load (AU: RPE x minutes or equivalent), weeks ending on the date",
                  title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1, 0, 0))
    table.add_column("Week to", no_wrap=True)
    table.add_column("Load", justify="right")
    if charts:
        table.add_column("", no_wrap=True, style="cyan")
    table.add_column("Chronic", justify="right")
    table.add_column("ACWR", justify="right")
    table.add_column("EWMA", justify="right")
    if charts:
        table.add_column(f"0 ░ safe {band.low:g}-{band.high:g} ░ 2", no_wrap=True)
    table.add_column("Monotony", justify="right")
    table.add_column("Strain", justify="right")
    table.add_column("Hard", justify="right")
    table.add_column("Sessions", justify="right")
    table.add_column(units, justify="right")
    top = max((w.load for w in trends.weeks), default=0.0)
    for w in trends.weeks:
        style = _acwr_style(trends, w.acwr)
        row = [w.end.isoformat(), f"{w.load:.0f}"]
        if charts:
            row.append(_bar(w.load, top))
        row += [f"{w.chronic:.0f}", f"[{style}]{_num(w.acwr)}[/]", _num(w.acwr_ewma)]
        if charts:
            row.append(f"[{style}]{acwr_strip(w.acwr, band.low, band.high)}[/]")
        hard = f"{w.hard_sessions}" + (f" {'▮' * w.hard_sessions}" if charts and w.hard_sessions else "")
        row += [_num(w.monotony), _num(w.strain, ".0f"), hard, str(w.sessions), f"{_km(w.run_km, units):.1f}"]
        table.add_row(*row)
    console.print(table)
    if glance:
        _print_glance(console, trends)
    console.print(f"ACWR safe band {band.low:g} to {band.high:g}: above, the load rises faster than you adapt; "
                  "below, it falls away.", highlight=False)
    _print_form(console, trends)
    _print_sports(console, trends)

    console.print()
    efforts = trends.pace_at_effort
    table = Table(title="Pace at effort and split consistency, per week", title_justify="left",
                  box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Week to", no_wrap=True)
    for e in efforts:
        table.add_column(f"{e.label} (RPE {e.rpe_min}-{e.rpe_max})", justify="right")
    table.add_column("Split spread", justify="right")
    for w in trends.weeks:
        table.add_row(w.end.isoformat(), *[format_pace(w.pace_at_effort.get(e.label), units) or "-" for e in efforts],
                      "-" if w.split_cv_pct is None else f"{w.split_cv_pct:.2f}%")
    console.print(table)
    console.print("Pace: mean of the week's runs at that effort. Split spread: coefficient of variation of the rep "
                  "paces of interval sessions; lower is more even.", highlight=False)
    for e in efforts:
        console.print(_effort_summary(trends, e, units, charts), highlight=False)
    if trends.splits:
        first, last = trends.splits[0], trends.splits[-1]
        line = (f"Splits: {len(trends.splits)} interval session{'s' if len(trends.splits) != 1 else ''}, "
                f"spread {first.cv_pct:.2f}% on {first.date}")
        if len(trends.splits) > 1:
            line += f", {last.cv_pct:.2f}% on {last.date}"
        if charts and sum(w.split_cv_pct is not None for w in trends.weeks) > 1:
            line += "   " + sparkline([-w.split_cv_pct if w.split_cv_pct is not None else None for w in trends.weeks])
            line += " (more even is higher)"
        console.print(line, highlight=False)
    else:
        console.print("Splits: no hard sessions with two or more paced reps in these weeks", highlight=False)

    console.print()
    console.print(f"[bold]Adaptations[/bold] (rules that changed the saved proposals: {trends.proposals} "
                  "in these weeks)", highlight=False)
    if not trends.adaptations:
        console.print("  none" if trends.proposals else "  no proposals saved in these weeks (`coach next` saves one)",
                      highlight=False)
    most = max((r.count for r in trends.adaptations), default=0)
    for r in trends.adaptations:
        bar = f"  {_bar(r.count, most)}" if charts else ""
        console.print(f"  {r.rule:<32} {r.principle:>3}  x{r.count:<3} last {r.last}{bar}", highlight=False)


def _print_glance(console: "Console", trends: "Trends") -> None:
    """The load bars and the ACWR strip in a table of their own, for a narrow terminal."""
    from rich import box
    from rich.table import Table

    band = trends.acwr_safe_band
    top = max((w.load for w in trends.weeks), default=0.0)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1, 0, 0))
    table.add_column("Week to", no_wrap=True)
    table.add_column("Load", no_wrap=True, style="cyan")
    table.add_column(f"0 ░ safe {band.low:g}-{band.high:g} ░ 2", no_wrap=True)
    table.add_column("Hard", no_wrap=True)
    for w in trends.weeks:
        style = _acwr_style(trends, w.acwr)
        table.add_row(w.end.isoformat(), _bar(w.load, top), f"[{style}]{acwr_strip(w.acwr, band.low, band.high)}[/]",
                      "▮" * w.hard_sessions)
    console.print(table)


def _print_form(console: "Console", trends: "Trends") -> None:
    """Fitness (CTL), fatigue (ATL), form (TSB) and ramp rate at the end of each week."""
    from rich import box
    from rich.table import Table

    if all(w.ctl is None for w in trends.weeks):
        return
    console.print()
    table = Table(title="Fitness, fatigue and form (AU per day) at the end of each week",
                  title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    for col in ("Week to", "Fitness CTL", "Fatigue ATL", "Form TSB", "Ramp/week"):
        table.add_column(col, justify="left" if col == "Week to" else "right", no_wrap=True)
    for w in trends.weeks:
        table.add_row(w.end.isoformat(), _num(w.ctl, ".0f"), _num(w.atl, ".0f"), _num(w.tsb, "+.0f"),
                      _num(w.ramp, "+.0f"))
    console.print(table)
    console.print("CTL and ATL: the daily load averaged over 42 and 7 days; TSB = CTL - ATL "
                  "(negative: fatigue above fitness).", highlight=False)


# --- PNG ------------------------------------------------------------------------------------

def write_png(trends: "Trends", path: Path | str, units: str = "km") -> Path:
    """Draw the trends as one figure (matplotlib, Agg backend) and save it as a PNG.

    :return: the path written.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    path = Path(path)
    ends = [w.end for w in trends.weeks]
    per_unit = METRES_PER_MILE / 1000.0 if units == "mi" else 1.0
    band = trends.acwr_safe_band

    fig, axes = plt.subplots(4, 2, figsize=(13, 15), dpi=100)
    fig.suptitle(f"Training trends for {trends.athlete}: {trends.start} to {trends.end}", fontsize=15, fontweight="bold")
    (ax_load, ax_acwr), (ax_mono, ax_hard), (ax_pace, ax_split), (ax_rules, ax_notes) = axes

    # every date panel spans the same days, so that one point (a short history) still has a readable axis
    x_range = (trends.start - dt.timedelta(days=1), trends.end + dt.timedelta(days=3))

    def date_axis(ax, label: str = "week ending") -> None:
        ax.set_xlim(*x_range)
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=8))
        ax.set_xlabel(label)
        ax.grid(True, alpha=0.3)
        for tick in ax.get_xticklabels():
            tick.set_rotation(30)
            tick.set_horizontalalignment("right")

    def headroom(ax, values, factor: float = 1.35) -> None:
        """Room above the data for the legend."""
        known = [v for v in values if v is not None]
        ax.set_ylim(0, (max(known) if known and max(known) > 0 else 1) * factor)

    def no_data(ax, text: str, hide: bool = False) -> None:
        if hide:
            ax.set_xticks([])
            ax.set_yticks([])
        ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, fontsize=11, color="0.4")

    bar_w = 4
    # 1. acute and chronic load
    ax_load.bar(ends, [w.load for w in trends.weeks], width=bar_w, color="#4c72b0", label="7-day load (acute)")
    ax_load.plot(ends, [w.chronic for w in trends.weeks], color="#dd8452", marker="o", linewidth=2,
                 label="average week of the last 28 days (chronic)")
    fit = [(w.end, w.ctl * 7) for w in trends.weeks if w.ctl is not None]
    if fit:
        ax_load.plot([d for d, _ in fit], [v for _, v in fit], color="#55a868", linestyle="--", linewidth=2,
                     label="fitness (CTL x 7)")
    ax_load.set_title("Weekly load")
    ax_load.set_ylabel("session-RPE load (AU = RPE x min)")
    headroom(ax_load, [w.load for w in trends.weeks] + [w.chronic for w in trends.weeks])
    ax_load.legend(loc="upper left", fontsize=8)
    date_axis(ax_load)

    # 2. ACWR with the safe band shaded
    ax_acwr.axhspan(band.low, band.high, color="#55a868", alpha=0.18, label=f"safe band {band.low:g}-{band.high:g}")
    for values, name, style in (([w.acwr for w in trends.weeks], "rolling (7 d / 28 d)", "-o"),
                                ([w.acwr_ewma for w in trends.weeks], "exponentially weighted", "--s")):
        pts = [(d, v) for d, v in zip(ends, values) if v is not None]
        if pts:
            ax_acwr.plot([d for d, _ in pts], [v for _, v in pts], style, linewidth=2, label=name)
    ax_acwr.set_title("Acute:chronic workload ratio (ACWR)")
    ax_acwr.set_ylabel("ratio (acute / chronic)")
    top = max([band.high + 0.3] + [v for w in trends.weeks for v in (w.acwr, w.acwr_ewma) if v is not None])
    ax_acwr.set_ylim(0, min(top * 1.35, 5))
    ax_acwr.legend(loc="best", fontsize=8)
    date_axis(ax_acwr)

    # 3. monotony and strain
    mono = [(d, w.monotony) for d, w in zip(ends, trends.weeks) if w.monotony is not None]
    strain = [(d, w.strain) for d, w in zip(ends, trends.weeks) if w.strain is not None]
    ax_strain = ax_mono.twinx()
    lines = []
    if strain:
        lines += ax_strain.bar([d for d, _ in strain], [v for _, v in strain], width=bar_w, color="#c44e52",
                               alpha=0.35, label="strain (load x monotony, AU)"),
    if mono:
        lines += ax_mono.plot([d for d, _ in mono], [v for _, v in mono], "-o", color="#8172b3", linewidth=2,
                              label="monotony (mean / sd of daily load)")
    headroom(ax_mono, [v for _, v in mono])
    headroom(ax_strain, [v for _, v in strain])
    ax_mono.set_zorder(ax_strain.get_zorder() + 1)
    ax_mono.patch.set_visible(False)
    ax_mono.set_title("Monotony and strain (Foster)")
    ax_mono.set_ylabel("monotony (ratio)")
    ax_strain.set_ylabel("strain (AU)")
    if lines:
        ax_mono.legend(lines, [ln.get_label() for ln in lines], loc="upper left", fontsize=8)
    else:
        no_data(ax_mono, "not enough rated sessions")
    date_axis(ax_mono)

    # 4. hard sessions per week
    ax_hard.bar(ends, [w.hard_sessions for w in trends.weeks], width=bar_w, color="#c44e52", label="hard sessions")
    ax_hard.bar(ends, [w.sessions - w.hard_sessions for w in trends.weeks], width=bar_w,
                bottom=[w.hard_sessions for w in trends.weeks], color="#8da0cb", label="other sessions")
    ax_hard.set_title("Sessions per week")
    ax_hard.set_ylabel("sessions")
    headroom(ax_hard, [w.sessions for w in trends.weeks])
    ax_hard.yaxis.get_major_locator().set_params(integer=True)
    ax_hard.legend(loc="upper left", fontsize=8)
    date_axis(ax_hard)

    # 5. pace at effort (faster up)
    drawn = False
    for series in trends.pace_at_effort:
        if series.points:
            ax_pace.plot([p.date for p in series.points], [p.pace_s_per_km * per_unit for p in series.points], "-o",
                         label=f"{series.label} (RPE {series.rpe_min}-{series.rpe_max})")
            drawn = True
    ax_pace.set_title("Pace at the same effort")
    ax_pace.set_ylabel(f"pace (min:s per {units}, faster is up)")
    ax_pace.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{int(v // 60)}:{int(round(v % 60)) % 60:02d}"))
    if drawn:
        ax_pace.invert_yaxis()
        ax_pace.legend(loc="best", fontsize=8)
    else:
        no_data(ax_pace, "no runs logged at these efforts")
    date_axis(ax_pace, "date")

    # 6. split consistency
    if trends.splits:
        ax_split.plot([s.date for s in trends.splits], [s.cv_pct for s in trends.splits], "-o", color="#937860",
                      label="rep pace spread (coefficient of variation)")
        ax_split.legend(loc="upper left", fontsize=8)
        headroom(ax_split, [sp.cv_pct for sp in trends.splits])
    else:
        no_data(ax_split, "no interval sessions with reps")
    ax_split.set_title("Split consistency of interval sessions (lower is more even)")
    ax_split.set_ylabel("spread of rep paces (%)")
    date_axis(ax_split, "date")

    # 7. adaptations
    if trends.adaptations:
        rules = list(reversed(trends.adaptations))
        ax_rules.barh([f"{r.rule} ({r.principle})" for r in rules], [r.count for r in rules], color="#64b5cd", height=0.5,
                      label="times the rule changed a proposal")
        ax_rules.xaxis.get_major_locator().set_params(integer=True)
        ax_rules.legend(loc="lower right", fontsize=8)
        ax_rules.tick_params(axis="y", labelsize=8)
    else:
        no_data(ax_rules, "no adaptations in these weeks", hide=True)
    ax_rules.set_title(f"Rules that adapted the {trends.proposals} saved proposals")
    ax_rules.set_xlabel("times fired")

    # 8. summary and notes
    ax_notes.axis("off")
    last = trends.weeks[-1] if trends.weeks else None
    lines_txt = [f"{trends.workouts} workout{'s' if trends.workouts != 1 else ''}, "
                 f"{trends.proposals} proposal{'s' if trends.proposals != 1 else ''}"]
    if last is not None:
        dist = last.run_km * (1000.0 / METRES_PER_MILE if units == "mi" else 1.0)
        lines_txt += [f"Last 7 days to {last.end}: load {last.load:.0f} AU, ACWR {_num(last.acwr)}",
                      f"monotony {_num(last.monotony)}, strain {_num(last.strain, '.0f')}, "
                      f"{last.hard_sessions} hard of {last.sessions} sessions, {dist:.1f} {units} run"]
        if last.ctl is not None:
            lines_txt.append(f"fitness (CTL) {last.ctl:.0f}, fatigue (ATL) {_num(last.atl, '.0f')}, "
                             f"form (TSB) {_num(last.tsb, '+.0f')} AU/day, ramp {_num(last.ramp, '+.0f')}/week")
    import textwrap

    for note in trends.notes:
        lines_txt.append("")
        lines_txt += textwrap.wrap(f"Note: {note}", 70)
    ax_notes.text(0.0, 1.0, "\n".join(lines_txt), va="top", ha="left", fontsize=10, transform=ax_notes.transAxes)
    ax_notes.set_title("Summary")

    fig.tight_layout(rect=(0, 0, 1, 0.97))
    from coach.storage.private import private_file

    fig.savefig(private_file(Path(path)), format="png")  # the athlete's data: owner-only
    plt.close(fig)
    return path

