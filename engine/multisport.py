"""Swim and bike numbers: critical swim speed (CSS) and targets from FTP.

Critical swim speed (Wakayoshi et al. 1992, "Determination and validity of critical velocity
as an index of swimming performance in the competitive swimmer", Eur J Appl Physiol 64:153-7;
the 400/200 m field test as popularised by Swim Smooth):

    CSS (m/s) = (400 - 200) / (t400 - t200)

and as a pace, seconds per 100 m = (t400 - t200) / 2. Bike targets are a share of the
athlete's functional threshold power (Allen and Coggan, "Training and Racing with a Power
Meter"): 90 % of FTP at an FTP of 250 W is 225 W.
"""

from __future__ import annotations

from coach.engine.errors import InvalidInput

__all__ = ["css_from_test", "power_target"]


def css_from_test(t400_s: float, t200_s: float) -> float:
    """CSS as a pace in seconds per 100 m from a 400 m and a 200 m time trial (seconds).

    :param t400_s: the 400 m time
    :param t200_s: the 200 m time (swum fast, after the 400 m and a rest)
    """
    if t400_s <= t200_s:
        raise InvalidInput("the 400 m time must be longer than the 200 m time")
    return round((t400_s - t200_s) / 2.0, 1)


def power_target(ftp_w: float, pct_ftp: float) -> float:
    """Watts for a share of FTP, rounded to 5 W as a head unit is read."""
    return float(round(ftp_w * pct_ftp / 100.0 / 5.0) * 5)
