"""Rendering proposals for people: a plain-text form (also the email body) and a rich terminal layout.

Paces are shown in the athlete's units (min:sec per km or per mile); reps of 2 km or less also
get their time per rep ("1:34 per 400 m"), the number a runner watches on the track. The JSON
form is `Proposal.to_json_dict()` and always carries `pace_s_per_km`.
"""

from __future__ import annotations

from typing import Any

from coach.cli.safe_text import markup, plain

_PHASE_TITLE = {"warmup": "Warm-up", "main": "Main set", "recovery": "Recovery", "taper": "Taper", "cooldown": "Cool-down"}
_KIND_TITLE = {
    "easy": "Easy run", "recovery": "Recovery run", "steady": "Steady run", "long": "Long run",
    "tempo": "Tempo", "intervals": "Intervals", "repetitions": "Repetitions", "three_zone": "Three-zone session",
    "race": "Race", "time_trial": "Time trial", "cross": "Cross-training", "rest": "Rest day",
}


def _v(value: Any) -> str:
    return str(getattr(value, "value", value))


def _measure(block: Any) -> str | None:
    """'distance' or 'time': what the block asks for (the composer says so; a block saved
    before blocks carried `measure` counts as timed unless it has only a distance)."""
    measure = getattr(block, "measure", None)
    if measure is None and (block.distance_m or block.duration_s):
        measure = "time" if block.duration_s else "distance"
    return measure


def block_size(block: Any, units: str) -> str:
    """'8 x 400 m', '3 x 3 min', '40 min' or '' (the size of a block's reps)."""
    from coach.engine.presentation import format_distance, format_duration

    measure = _measure(block)
    if getattr(block, "sport", None) == "swim":
        units = "km"  # pools are in metres whatever the athlete's units
    if measure == "distance" and block.distance_m:
        size = format_distance(block.distance_m, units)
    elif measure == "time" and block.duration_s:
        size = format_duration(block.duration_s)
    else:
        return ""
    return f"{block.repeat} x {size}" if block.repeat > 1 else size


def block_pace(block: Any, units: str) -> str:
    """'3:55/km (1:34 per 400 m)', '5:19/km', or '' when the block has no target pace.
    Reps measured by distance up to 2 km also get their time per rep."""
    from coach.engine.presentation import format_clock, format_distance, format_pace

    target = _leg_target(block)
    if target is not None:
        return target
    if block.pace_s_per_km is None:
        return ""
    text = format_pace(block.pace_s_per_km, units)
    if _measure(block) == "distance" and block.distance_m and block.distance_m <= 2000:
        rep = format_clock(block.pace_s_per_km * block.distance_m / 1000.0)
        text += f" ({rep} per {format_distance(block.distance_m, units)})"
    return text


# --- swim, bike and brick sessions (issue 14) ---
_SPORT_TITLE = {"swim": "Swim", "bike": "Bike", "brick": "Brick"}
_MULTISPORT_KIND = {"repetitions": "speed", "three_zone": "three-zone", "time_trial": "time trial"}


def session_title(session: Any) -> str:
    """'Intervals', 'Long run'; for swims, rides and bricks 'Swim intervals', 'Bike long'."""
    kind, sport = _v(session.kind), _v(session.sport)
    if sport in _SPORT_TITLE and kind not in ("rest", "cross"):
        return f"{_SPORT_TITLE[sport]} {_MULTISPORT_KIND.get(kind, kind)}"
    return _KIND_TITLE.get(kind, kind)


def _leg_target(block: Any) -> str | None:
    """A swim or bike block's target: '1:45/100m', '245 W, 90 rpm', 'HR z3, 90 rpm' (in bpm when
    known: 'HR 144-149, 90 rpm'); None for a run."""
    from coach.engine.presentation import format_clock

    sport = getattr(block, "sport", None)
    if sport == "swim":
        return f"{format_clock(block.pace_s_per_100m)}/100m" if block.pace_s_per_100m else ""
    if sport != "bike":
        return None
    parts = []
    if block.power_w:
        parts.append(f"{block.power_w:.0f} W")
    elif block.hr_zone:
        high = getattr(block, "hr_bpm_high", None)
        low = getattr(block, "hr_bpm_low", None)
        parts.append(f"HR z{block.hr_zone}" if high is None else f"HR {low}-{high}" if low is not None else f"HR <{high}")
    if block.cadence_rpm:
        parts.append(f"{block.cadence_rpm} rpm")
    return ", ".join(parts)


def _header(proposal: Any, units: str) -> tuple[str, str]:
    from coach.engine.presentation import format_distance, format_duration

    s = proposal.session
    kind = session_title(s)
    title = f"{proposal.date.strftime('%a')} {proposal.date.isoformat()} - {plain(proposal.athlete)}: {kind}"
    parts = [f"{_v(s.intensity)}"]
    if _v(s.sport) not in ("run", "rest"):
        parts.append(_v(s.sport))
    if s.total_duration_s:
        parts.append(f"about {format_duration(s.total_duration_s)}")
    if s.total_distance_m:
        jog = any(b.recovery_s and getattr(b, "sport", None) in (None, "run") for b in s.blocks)
        parts.append(format_distance(s.total_distance_m, units) + (" plus recovery jogs" if jog else ""))
    return title, ", ".join(parts)


def render_text(proposal: Any, units: str = "km") -> str:
    """The proposal as plain text: purpose, the blocks by phase, and why it changed.

    :param proposal: a Proposal
    :param units: "km" or "mi"
    """
    units = _v(units)
    s = proposal.session
    title, summary = _header(proposal, units)
    lines = [f"{title} ({summary})", f"Purpose: {plain(s.purpose)}"]
    phase = None
    for b in s.blocks:
        if _v(b.phase) != phase:
            phase = _v(b.phase)
            lines.append("")
            lines.append(_PHASE_TITLE.get(phase, phase.title()))
        size, pace = block_size(b, units), block_pace(b, units)
        line = f"  {size:<12} {plain(b.description)}"
        if pace:
            line += f"  @ {pace}"
        lines.append(line.rstrip())
    if not s.blocks:
        lines.append("")
        lines.append("  No training today.")
    if proposal.adaptations:
        lines.append("")
        lines.append("Why it changed:")
        for a in proposal.adaptations:
            lines.append(f"  - {plain(a.rule)} ({a.principle}): {plain(a.reason)}")
    return "\n".join(lines) + "\n"


def checkin_line(proposal: Any) -> str | None:
    """The check-in shown beside a proposal (`coach next`, the email), within 80 columns, or None."""
    import textwrap

    from coach.engine.readiness import describe_checkin

    if getattr(proposal, "morning", None) is None:
        return None
    return textwrap.fill(describe_checkin(proposal.morning, proposal.date), 80, subsequent_indent="  ")


def print_proposal(console: Any, proposal: Any, units: str = "km") -> None:
    """The proposal on a rich console: a header, a table of blocks, and the adaptations.

    :param console: a rich Console
    :param proposal: a Proposal
    :param units: "km" or "mi"
    """
    from rich.table import Table
    from rich.text import Text

    units = _v(units)
    s = proposal.session
    title, summary = _header(proposal, units)
    console.print(Text(title, style="bold"), Text(f"({summary})", style="dim"))
    console.print(Text("Purpose: ", style="bold") + Text(plain(s.purpose)))
    if s.blocks:
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False, expand=False)
        table.add_column("", style="cyan", no_wrap=True)
        table.add_column("Set", no_wrap=True)
        table.add_column("What")
        table.add_column("Target" if _v(s.sport) in _SPORT_TITLE else "Pace", style="green", no_wrap=True)
        phase = None
        for b in s.blocks:
            label = ""
            if _v(b.phase) != phase:
                phase = _v(b.phase)
                label = _PHASE_TITLE.get(phase, phase.title())
            table.add_row(label, block_size(b, units), markup(b.description), block_pace(b, units))
        console.print(table)
    else:
        console.print("No training today.")
    if proposal.adaptations:
        console.print(Text("Why it changed:", style="bold"))
        for a in proposal.adaptations:
            console.print(Text("  - ") + Text(f"{plain(a.rule)} ({a.principle})", style="yellow")
                          + Text(f": {plain(a.reason)}"))


def main_set_summary(proposal: Any, units: str = "km") -> str:
    """One line for the main set: '4 x 100 m, 3 x 300 m @ 1:12 per 300 m, 8 x 400 m @ 1:34 per 400 m'."""
    units = _v(units)
    parts = []
    for b in proposal.session.blocks:
        if _v(b.phase) != "main":
            continue
        size, pace = block_size(b, units), block_pace(b, units)
        parts.append(f"{size} @ {pace}" if pace else (size or plain(b.description)))
    return ", ".join(parts)


def render_plan_text(proposals: list[Any], units: str = "km", full: bool = False) -> str:
    """The days ahead as plain text: one line per day (or each proposal in full), with its adaptations.

    :param proposals: the simulated proposals, in date order
    :param units: "km" or "mi"
    :param full: print every session in full instead of one line per day
    """
    from coach.engine.presentation import format_duration

    units = _v(units)
    if full:
        return "\n".join(render_text(p, units) for p in proposals)
    lines = []
    for p in proposals:
        s = p.session
        kind = session_title(s)
        length = format_duration(s.total_duration_s) if s.total_duration_s else ""
        lines.append(f"{p.date.strftime('%a')} {p.date.isoformat()}  {kind:<18} {_v(s.intensity):<8} {length:>9}"
                     + (f"  {main_set_summary(p, units)}" if _v(s.kind) != "rest" else ""))
        for a in p.adaptations:
            lines.append(f"    - {plain(a.rule)} ({a.principle}): {plain(a.reason)}")
    return "\n".join(lines) + "\n"


_SEASON_TITLE = {"base": "Base", "build": "Build", "peak": "Peak", "taper": "Taper", "race": "Race",
                "recovery": "Recovery", "rolling": "Training block"}


def season_title(facts: dict) -> str:
    """One line saying where a day's week falls in the season, e.g.
    'Build week 3 - 9 weeks to race - long run 2:05'."""
    from coach.engine.presentation import format_duration

    phase = str(facts.get("season.phase"))
    week = facts.get("season.week_of_phase")
    parts = [f"{_SEASON_TITLE.get(phase, phase)}" + (f" week {week}" if week is not None else "")]
    if facts.get("season.down_week"):
        parts.append("down week")
    weeks = facts.get("season.weeks_to_race")
    if weeks is not None:
        parts.append("race week" if weeks == 0 else f"{weeks} week{'s' if weeks != 1 else ''} to race")
    if facts.get("season.calendar") and facts.get("season.long_run_min"):
        parts.append(f"long run {format_duration(60 * float(facts['season.long_run_min']))}")
    if facts.get("season.calendar") and facts.get("season.volume_min"):
        parts.append(f"week {format_duration(60 * float(facts['season.volume_min']))}")
    return " - ".join(parts)


def print_plan(console: Any, proposals: list[Any], units: str = "km", full: bool = False) -> None:
    """The days ahead on a rich console: a table of days, then each day's adaptations."""
    from rich.table import Table
    from rich.text import Text

    from coach.engine.presentation import format_duration

    units = _v(units)
    if full:
        for p in proposals:
            print_proposal(console, p, units)
            console.print()
        return
    def new_table(header: bool) -> Any:
        table = Table(show_header=header, header_style="bold", box=None, pad_edge=False)
        table.add_column("Day", no_wrap=True, min_width=14)
        table.add_column("Session", no_wrap=True, min_width=18)
        table.add_column("Intensity", no_wrap=True, min_width=9)
        table.add_column("Time", justify="right", no_wrap=True, min_width=7)
        table.add_column("Main set")
        return table

    # with a season, one table per calendar week under a line saying where the week falls
    weeks: list[tuple[str | None, list[Any]]] = []
    for p in proposals:
        title = season_title(p.facts) if "season.phase" in p.facts else None
        if not weeks or (title is not None and (p.date.weekday() == 0 or weeks[-1][0] is None)):
            weeks.append((title, []))
        weeks[-1][1].append(p)
    for n, (title, days) in enumerate(weeks):
        if title is not None:
            console.print(Text(title, style="bold cyan"))
        table = new_table(header=n == 0)
        for p in days:
            s = p.session
            table.add_row(f"{p.date.strftime('%a')} {p.date.isoformat()}", session_title(s),
                          _v(s.intensity), format_duration(s.total_duration_s) if s.total_duration_s else "",
                          markup(main_set_summary(p, units)) if _v(s.kind) != "rest" else "")
        console.print(table)
    # the season's sizing of each day is said once per week by the titles above
    changed = [(p, a) for p in proposals for a in p.adaptations if a.rule != "season-progression"]
    if changed:
        console.print(Text("Why days changed:", style="bold"))
        for p, a in changed:
            day = p.date.strftime("%a %m-%d" if len(proposals) > 7 else "%a")  # a season: which Monday
            console.print(Text(f"  {day} ") + Text(f"{plain(a.rule)} ({a.principle})", style="yellow")
                          + Text(f": {plain(a.reason)}"))
