"""The rating scale every scorecard uses: what each rating is called, and "no signal".

Plain constants, apart from the models: the reports and PDFs that print
the scale (calibrate over a warm cache) start without pydantic.
"""

RATING_LABELS = {1: "strong no", 2: "no", 3: "yes", 4: "strong yes"}
NO_SIGNAL = "no signal"
DECISIONS = ("hire", "no-hire")  # what a hiring team decides, as debrief.toml records it
