"""The cross-review analysis: one SQL query per question, each answered as a DataFrame."""
from __future__ import annotations

import duckdb
import pandas as pd

from ..portfolio.progress import STATUTORY_MONTHS

QUERIES: dict[str, tuple[str, str]] = {
    "characteristics": ("Protected characteristics found relevant", """
        SELECT key AS characteristic, count(*) FILTER (WHERE relevant) AS reviews_relevant,
               round(100.0 * count(*) FILTER (WHERE relevant) / count(*), 1) AS percent_of_reviews
        FROM characteristics GROUP BY key ORDER BY reviews_relevant DESC, key"""),
    "agencies": ("Recommendations by type of agency and scope", """
        SELECT agency_type, count(*) AS recommendations,
               count(*) FILTER (WHERE scope = 'local') AS local,
               count(*) FILTER (WHERE scope = 'regional') AS regional,
               count(*) FILTER (WHERE scope = 'national') AS national
        FROM recommendations GROUP BY agency_type ORDER BY recommendations DESC, agency_type"""),
    "topics": ("Practice topics of recommendations", """
        SELECT topic, count(*) AS recommendations, count(DISTINCT review_id) AS reviews
        FROM (SELECT review_id, unnest(topics) AS topic FROM recommendations)
        GROUP BY topic ORDER BY recommendations DESC, topic"""),
    "timescales": ("Time from commissioning to completion", f"""
        SELECT count(*) AS reviews, round(avg(months_to_completion), 1) AS mean_months,
               median(months_to_completion) AS median_months,
               quantile_cont(months_to_completion, 0.9) AS p90_months,
               round(100.0 * count(*) FILTER (WHERE months_to_completion > {STATUTORY_MONTHS}) / count(*), 1)
                 AS percent_over_{STATUTORY_MONTHS}_months
        FROM reviews"""),
    "timescales_by_year": ("Months to completion by year of commissioning", """
        SELECT left(commissioned, 4) AS year_commissioned, count(*) AS reviews,
               round(avg(months_to_completion), 1) AS mean_months, median(months_to_completion) AS median_months
        FROM reviews GROUP BY 1 ORDER BY 1"""),
    "actions": ("Actions by status, and months from the review's completion to the last update of completed ones", """
        SELECT a.status, count(*) AS actions,
               round(avg(CASE WHEN a.status = 'completed' AND a.last_update IS NOT NULL THEN
                 date_diff('month', strptime(r.completed || '-01', '%Y-%m-%d')::DATE, a.last_update) END), 1)
                 AS mean_months_to_completion,
               count(*) FILTER (WHERE a.updates = 0 AND a.status <> 'not started') AS unevidenced
        FROM actions a JOIN reviews r USING (review_id) GROUP BY a.status ORDER BY actions DESC"""),
    "qa_themes": ("Themes of the QA Panel's letter points", """
        SELECT theme, count(*) AS points, count(DISTINCT review_id) AS reviews,
               count(*) FILTER (WHERE status = 'open') AS still_open
        FROM (SELECT review_id, status, unnest(themes) AS theme FROM qa_points)
        GROUP BY theme ORDER BY points DESC, theme"""),
    "parallel": ("Parallel reviews and proceedings", """
        SELECT type, count(*) FILTER (WHERE held) AS held, count(*) FILTER (WHERE NOT held) AS not_held
        FROM parallel_reviews GROUP BY type ORDER BY held DESC, type"""),
}


def run_analysis(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, pd.DataFrame]]:
    """{key: (title, result)} for every question of :data:`QUERIES`."""
    return {key: (title, con.execute(sql).df()) for key, (title, sql) in QUERIES.items()}
