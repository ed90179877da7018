"""Table work shared by several detectors, as small SQL steps materialised once per run
(the Splink pipeline idea). Usage, the one huge table, is read once: into monthly sums.

A usage row counts for the part of it inside the window: a row that began before the window
starts counts from the window's start, a row running past the as-of day counts up to the end
of that day. GPU-hours and bytes are taken in proportion to the overlap (bytes are assumed
spread evenly over the row's time); a row is filed under the month of its clipped start.
"""

from __future__ import annotations

from collections.abc import Iterable

from computewatch.detectors.context import DetectionContext
from computewatch.detectors.linkage import CUSTOMERS_TABLE
from computewatch.engine.sql import in_list, literal

USAGE_MONTHLY = "cw_usage_monthly"
USAGE_BY_CUSTOMER = "cw_usage_customer"


def overlap_sql(ctx: DetectionContext) -> str:
    """The usage rows overlapping the window, each clipped to it: clipped start and end, seconds inside, share inside."""
    lo, hi = literal(ctx.window_start), literal(ctx.window_end)
    return f"""SELECT *, date_diff('second', clip_start, clip_end) AS inside_s,
            CASE WHEN "end" > "start" THEN date_diff('second', clip_start, clip_end) / date_diff('second', "start", "end")
                 ELSE 1.0 END AS inside_share
        FROM (SELECT *, greatest("start", {lo}) AS clip_start, least("end", {hi}) AS clip_end
              FROM ops_usage WHERE "end" > {lo} AND "start" < {hi}) clipped"""


def usage_monthly_sql(ctx: DetectionContext) -> str:
    assumed = literal(float(ctx.settings.training_run.assumed_utilisation))
    month = "CAST(date_trunc('month', clip_start) AS DATE)"
    hours = "(accelerator_count * inside_s / 3600.0)"
    return f"""SELECT account_id, accelerator, {month} AS month,
        sum({hours}) AS gpu_hours,
        sum({hours} * coalesce(utilisation, {assumed})) AS busy_gpu_hours,
        sum(CASE WHEN utilisation IS NULL THEN {hours} ELSE 0 END) AS unmeasured_gpu_hours,
        max(accelerator_count) AS max_accelerators,
        min(clip_start) AS first_start, max(clip_end) AS last_end,
        sum(coalesce(bytes_in, 0) * inside_share) AS bytes_in, sum(coalesce(bytes_out, 0) * inside_share) AS bytes_out,
        count(*) AS n_rows, src_file, min(src_line) AS first_line, max(src_line) AS last_line
    FROM ({overlap_sql(ctx)}) u
    GROUP BY account_id, accelerator, {month}, src_file"""


def usage_by_customer_sql() -> str:
    return f"""SELECT coalesce(c.customer_id, u.account_id) AS customer_id, u.*
    FROM {USAGE_MONTHLY} u LEFT JOIN {CUSTOMERS_TABLE} c ON u.account_id = c.account_id"""


def peak_concurrency_sql(ctx: DetectionContext, accounts: Iterable[str]) -> str:
    """Per customer: the most accelerators in use at one moment, summed over its concurrent usage rows
    (a run recorded per server or per node is many rows at once), and when that peak began.

    Each clipped row adds its accelerator_count at its start and removes it at its end; the changes are
    netted per instant (a row ending when the next begins does not count twice) and summed in time order.
    """
    events = """SELECT customer_id, clip_start AS moment, accelerator_count AS delta FROM u
        UNION ALL SELECT customer_id, clip_end AS moment, -accelerator_count AS delta FROM u"""
    return f"""WITH u AS (
            SELECT coalesce(c.customer_id, o.account_id) AS customer_id, o.clip_start, o.clip_end, o.accelerator_count
            FROM ({overlap_sql(ctx)}) o LEFT JOIN {CUSTOMERS_TABLE} c ON o.account_id = c.account_id
            WHERE o.account_id IN {in_list(sorted(accounts))}),
        changes AS (SELECT customer_id, moment, sum(delta) AS delta FROM ({events}) e GROUP BY customer_id, moment),
        running AS (SELECT customer_id, moment, sum(delta) OVER (PARTITION BY customer_id ORDER BY moment
                        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS in_use FROM changes),
        peaks AS (SELECT customer_id, max(in_use) AS peak FROM running GROUP BY customer_id),
        first_peak AS (SELECT r.customer_id, p.peak, min(r.moment) AS peak_at FROM running r
            JOIN peaks p ON r.customer_id = p.customer_id AND r.in_use = p.peak GROUP BY r.customer_id, p.peak)
        SELECT f.customer_id, f.peak, f.peak_at, count(*) AS rows_at_peak
        FROM first_peak f JOIN u ON u.customer_id = f.customer_id AND u.clip_start <= f.peak_at AND u.clip_end > f.peak_at
        GROUP BY f.customer_id, f.peak, f.peak_at ORDER BY f.customer_id"""


def prepare_steps(ctx: DetectionContext) -> None:
    ctx.engine.materialise(USAGE_MONTHLY, usage_monthly_sql(ctx))
    ctx.engine.materialise(USAGE_BY_CUSTOMER, usage_by_customer_sql())
