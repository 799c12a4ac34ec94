"""The standard preface: purpose of a DHR, condolences, thanks, the family's tribute, the pseudonym."""
from __future__ import annotations

from ..model import Review
from ._review import get_review
from .markdown import Markdown, escape, escape_paragraphs, join_blocks, sentence

PURPOSE = (
    "Domestic Homicide Reviews (DHRs), now also called Domestic Abuse Related Death Reviews, were "
    "established on a statutory basis under section 9 of the Domestic Violence, Crime and Victims Act 2004. "
    "A review considers the contact that agencies had with the victim and the perpetrator, and asks what "
    "lessons can be learned about the way professionals and organisations work, individually and together, "
    "to safeguard victims of domestic abuse; how those lessons will be acted on, and in what time; and "
    "what is expected to change as a result."
)
NOT_BLAME = (
    "A review is about learning, not blame. It is not an inquiry into how the victim died or into who is "
    "culpable: those are matters for the criminal courts and, where required, the coroner."
)


def _condolences(review: Review) -> str:
    victim = escape(review.victim.pseudonym)
    return (f"The Review Panel and the Independent Chair offer their deepest sympathy and condolences to "
            f"{victim}'s family and friends on their loss.")


def _thanks(review: Review) -> str:
    victim = escape(review.victim.pseudonym)
    family = review.metadata.family
    if family.contributed:
        lead = (f"The panel thanks {victim}'s family and friends for their contribution to this review, "
                f"and for sharing their memories of {victim} at a very difficult time.")
    else:
        lead = f"{victim}'s family were invited to contribute to this review."
    return " ".join(part for part in (lead, sentence(family.involvement) if family.involvement else "") if part)


def _tribute(review: Review) -> str:
    family = review.metadata.family
    if not family.tribute.strip():
        return ""
    victim = escape(review.victim.pseudonym)
    quote = escape_paragraphs(family.tribute)
    if family.tribute_by:
        quote += f"\n\n— {escape(family.tribute_by)}"
    quoted = "\n".join(f"> {line}" if line else ">" for line in quote.split("\n"))
    return join_blocks([f"{victim}'s family have written this tribute to {victim}:", quoted])


def _pseudonyms(review: Review) -> str:
    victim = review.victim
    name = escape(victim.pseudonym)
    others = [review.perpetrator.pseudonym, *(p.pseudonym for p in review.metadata.others)]
    used = f"The pseudonym {name} is used throughout this report"
    if victim.pseudonym_chosen_by:
        text = f"{used}; it was chosen by {escape(victim.pseudonym_chosen_by)}."
    else:
        text = f"{used} to protect the privacy of {name}'s family."
    if others:
        names = ", ".join(escape(o) for o in others[:-1])
        names = f"{names} and {escape(others[-1])}" if names else escape(others[-1])
        text += f" Other people are also given pseudonyms ({names})."
    return text


def preface(review: Review | None = None) -> Markdown:
    """The standard preface, built from the review's data."""
    review = get_review(review)
    return Markdown(join_blocks([
        PURPOSE, NOT_BLAME, _condolences(review), _thanks(review), _tribute(review), _pseudonyms(review),
    ]))
