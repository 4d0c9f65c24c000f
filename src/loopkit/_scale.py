"""The rating scale every scorecard uses: what each rating is called, and "no signal".

Plain constants, apart from the models: the reports and PDFs that print
the scale (calibrate over a warm cache) start without pydantic.
"""

RATING_LABELS = {1: "strong no", 2: "no", 3: "yes", 4: "strong yes"}
NO_SIGNAL = "no signal"
DECISIONS = ("hire", "no-hire")  # what a hiring team decides, as debrief.toml records it
DECIDED_EARLIER = "decided on earlier scores"  # the flag of a decision a late card came after


def bar_text(bar: float, places: int) -> str:
    """A hire bar to ``places`` decimals, or as written where that would round it (2.141
    is never "2.14", 2.75 never "2.8")."""
    text = f"{bar:.{places}f}"
    return text if float(text) == bar else repr(float(bar))


def beside(score: float, bar: float) -> str:
    """A score printed beside the hire bar: two decimals, or more where two would round it
    onto the bar's other side (2.998 is "2.998", below a bar of 3, never "3.00")."""
    for places in (2, 3, 4, 6):
        text = f"{score:.{places}f}"
        if (float(text) >= bar) == (score >= bar):
            return text
    return repr(score)


def on_scale(value: object) -> float | None:
    """A score or bar as a debrief records it: on the rating scale, 1 to 4, or None; a
    TypeError or ValueError for any other value (a debrief edited by hand)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"a score of {value!r}")
    low, high = min(RATING_LABELS), max(RATING_LABELS)
    if not low <= value <= high:  # inf, nan, 10**400
        raise ValueError(f"a score of {value!r}, not from {low} to {high}")
    return float(value)
