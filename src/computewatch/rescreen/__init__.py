"""Re-screening: when a list or a rule changes, screen and evaluate again everything it affects
and turn what changed into alerts.

    from computewatch.rescreen import rescreen
    report = rescreen(workspace, as_of)   # report.alerts, report.summary()
"""

from computewatch.rescreen.run import RescreenReport, rescreen

__all__ = ["RescreenReport", "rescreen"]
