"""Table work shared by several detectors, as small SQL steps materialised once per run
(the Splink pipeline idea). Usage, the one huge table, is read once: into monthly sums."""

from __future__ import annotations

from computewatch.detectors.context import DetectionContext
from computewatch.detectors.linkage import CUSTOMERS_TABLE
from computewatch.engine.sql import literal

USAGE_MONTHLY = "cw_usage_monthly"
USAGE_BY_CUSTOMER = "cw_usage_customer"


def usage_monthly_sql(ctx: DetectionContext) -> str:
    assumed = literal(float(ctx.settings.training_run.assumed_utilisation))
    month = "CAST(date_trunc('month', \"start\") AS DATE)"
    return f"""SELECT account_id, accelerator, {month} AS month,
        sum(gpu_hours) AS gpu_hours,
        sum(gpu_hours * coalesce(utilisation, {assumed})) AS busy_gpu_hours,
        sum(CASE WHEN utilisation IS NULL THEN gpu_hours ELSE 0 END) AS unmeasured_gpu_hours,
        max(accelerator_count) AS max_accelerators,
        min("start") AS first_start, max("end") AS last_end,
        sum(coalesce(bytes_in, 0)) AS bytes_in, sum(coalesce(bytes_out, 0)) AS bytes_out,
        count(*) AS n_rows, src_file, min(src_line) AS first_line, max(src_line) AS last_line
    FROM ops_usage
    WHERE "start" >= {literal(ctx.window_start)} AND "start" < {literal(ctx.window_end)}
    GROUP BY account_id, accelerator, {month}, src_file"""


def usage_by_customer_sql() -> str:
    return f"""SELECT coalesce(c.customer_id, u.account_id) AS customer_id, u.*
    FROM {USAGE_MONTHLY} u LEFT JOIN {CUSTOMERS_TABLE} c ON u.account_id = c.account_id"""


def prepare_steps(ctx: DetectionContext) -> None:
    ctx.engine.materialise(USAGE_MONTHLY, usage_monthly_sql(ctx))
    ctx.engine.materialise(USAGE_BY_CUSTOMER, usage_by_customer_sql())
