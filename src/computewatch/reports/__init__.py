"""Case reports an enforcement officer could file: summary, evidence, ownership paths, sources and the
decision history, as HTML (self-contained) or PDF (WeasyPrint).

    build_report(db, workspace, case_id, actor, "html" | "pdf") -> bytes
"""

from computewatch.reports.build import build_report, report_html

__all__ = ["build_report", "report_html"]
