"""The validations the helpers raise at render time, run by ``dhr check`` too, so that check and render
agree: a project that ``dhr check --publish`` passes is not refused by a helper during ``dhr render
--publish`` (e.g. a parallel review with no recorded decision). Each helper and ``dhr check`` call the
same function; a validation runs only for the helpers the chapters call."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from ..errors import Problem
from ..model import Review
from .equality import characteristics_problems
from .panel import panel_problems
from .parallel import problems_of as parallel_review_problems
from .qaletter import letter_problems
from .sections import dissemination_problems

VALIDATIONS: dict[str, Callable[[Review, bool], list[Problem]]] = {
    "parallel_reviews": parallel_review_problems,
    "protected_characteristics": characteristics_problems,
    "panel_table": panel_problems,
    "dissemination": dissemination_problems,
    # a named letter file that does not exist; a publication without a letter is DHR-S004's finding
    "qa_letter": lambda review, publish: letter_problems(review, publish=False),
}


def helper_problems(review: Review, called: Iterable[str], *, publish: bool) -> list[Problem]:
    """The problems the called helpers would raise when the report is rendered (each once)."""
    problems: list[Problem] = []
    for name in sorted(set(called) & set(VALIDATIONS)):
        for problem in VALIDATIONS[name](review, publish):
            if problem not in problems:
                problems.append(problem)
    return problems
