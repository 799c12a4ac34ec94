"""DHR-A: anonymity — real names (private deny-list), identifying dates, addresses and numbers.

The deny-list comes from ``--names FILE`` or ``$DHR_NAMES_FILE`` (one name a line, ``#`` comments).
It must never live inside the project (DHR-A002). Matches never echo the name itself, so a CI log
does not leak it either.
"""
from __future__ import annotations

import bisect
import functools
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..denylist import DenyList, read_deny_list
from .catalogue import Where, finding, where
from .findings import Finding
from .names import NameList
from .workspace import Workspace

_DATA_SUFFIXES = {".csv", ".yml", ".yaml", ".md", ".txt", ".bib", ".qmd"}

_MONTHS = (r"(?i:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
           r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_STREET = (r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Close|Drive|Way|Crescent|Court|Place|Gardens|Terrace|Grove|"
           r"Mews|Square|Walk|Parade|Rise|View|Row)")
# Every pattern that starts with a digit, in one expression whose first item is a digit class, so the
# engine skips straight to digits (a leading look-behind would make it try every position): the left
# word boundary is checked in Python. Earlier alternatives win where two could match.
_DIGIT_FIRST = re.compile(  # each alternative is written without its first character, the digit \d
    rf"\d(?:(?P<date>\d?(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTHS}\.?,?\s+\d{{4}}\b"
    r"|\d?[/.]\d{1,2}[/.](?:\d{4}|\d{2})\b|\d{3}-\d{2}-\d{2}\b)"
    r"|(?P<nhs>\d{2}[ -]\d{3}[ -]\d{4}(?![\d-]))"
    r"|(?P<phone>(?<=0)\d{2,4}\)?[\s.-]?\d{3,4}[\s.-]?\d{3,4}(?!\w))"
    r"|(?P<ten>\d{9}(?!\d))"
    rf"|(?P<address>\d{{0,3}}[A-Za-z]?,?\s+(?:[A-Z][a-z'’]+\s+){{1,3}}{_STREET}\b))")
_MONTH_FIRST_DATE = re.compile(rf"[^\w](?P<date>{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b)")
_IDENTIFYING_CONTEXT = re.compile(
    r"sentenc\w*|trial|convict\w*|\bborn\b|birth\w*|\bd\.?o\.?b\b|\baged?\s+\d+|funeral|verdict|jury|"
    r"\bdied\b|\bdeath\b|\bkilled\b|murder\w*|manslaughter|inquest|pleaded|plea\b|"
    r"found\s+(?:dead|unresponsive|lifeless)|\bfatal\b|\bher\s+body\b|\bhis\s+body\b",
    re.IGNORECASE)
# A date governed by a verb of the review's own process ("the partnership resumed it on 2 March 2017"):
# the date of a meeting or a decision, not of an event in the people's lives.
_PROCESS_DATE = re.compile(
    r"\b(?:resumed|commissioned|deferred|paused|suspended|convened|reconvened|restarted|notified|submitted|"
    r"approved|agreed|decided|published|met|received the|sent the)\b(?:\s+(?!the\s+(?:inquest|trial)\b)\w+){0,2}"
    r"\s+(?:on\s+)?$", re.IGNORECASE)
# A time of day beside a date pins an event to the minute: "at 23:40 on 14/03/2021", "0214 hrs".
_TIME = re.compile(r"(?<![\d:.])(?:[01]?\d|2[0-3])[:.][0-5]\d(?![\d:.]\d)(?:\s?(?:hrs|hours|am|pm))?|"
                   r"(?<!\d)(?:[01]\d|2[0-3])[0-5]\d\s?(?:hrs|hours)\b", re.IGNORECASE)
# "remove the dates of birth", "no date of birth is given": the phrase is about leaving one out.
_BIRTH_LEFT_OUT = re.compile(
    r"(?:remov\w*|redact\w*|delet\w*|omit\w*|take\s+out|leave\s+out|without|\bno|not\s+(?:give|include|"
    r"publish|record|state)\w*)\s+(?:(?:the|any|their|her|his|all)\s+)*$", re.IGNORECASE)
_BIRTH_LEFT_OUT_AFTER = re.compile(
    r"^\s+(?:(?:should|must|would|will|have|has|had|were|was|are|is|be|been|not)\s+){1,3}"
    r"(?:remov|redact|delet|omitt|left\s+out|taken\s+out|withheld|given|included|published)", re.IGNORECASE)
# Letters, initials or "Subject A" in place of a pseudonym (matched case-sensitively).
_LETTER_FOR_NAME = re.compile(
    r"(?<![\w-])(?:(?:Subject|Adult|Victim|Perpetrator|Person|Child|Partner)\s+[A-Z]|(?:Mr|Mrs|Ms|Miss|Mx)\.?\s+[A-Z])"
    r"(?![\w’'-]|\.\s?[A-Z]\.)")
# A named village or hamlet; a named court (which locates the case).
_VILLAGE = re.compile(r"(?<![\w-])(?:hamlet|village)\s+of\s+(?:[A-Z][\w'’-]*\s+){0,2}[A-Z][\w'’-]*")
_COURT = re.compile(r"(?<![\w-])(?:[A-Z][\w'’-]*\s+){0,2}(?:Crown\s+Court|Magistrates[’']?\s+Court)"
                    r"(?P<at>\s+(?:sitting\s+)?at\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)?|"
                    r"Old\s+Bailey|Central\s+Criminal\s+Court")
_NOT_A_PLACE = {"The", "A", "An", "At", "In", "Of", "By", "To", "For", "Local", "Nearest", "Same", "Relevant", "This",
                "That", "Whose", "Which", "Crown", "Magistrates", "Magistrates'", "Magistrates’"}
# A named street without a house number ("on Harrowfield Lane"); Court/Place/Square/View are left out
# here (Crown Court, Marketplace…): with a number they are still addresses.
_NAMED_STREET = re.compile(
    r"(?<![\w-])(?:on|in|at|along|off|near|into|from)\s+((?:[A-Z][a-z'’]+\s+){1,3}"
    r"(?:Street|Road|Avenue|Lane|Close|Drive|Crescent|Terrace|Grove|Gardens|Mews|Walk|Parade|Rise|Row|Way))\b")
_BIRTH = re.compile(r"[^\w](?P<birth>dates?\s+of\s+birth|d\.o\.b\.?|dob)(?!\w)", re.IGNORECASE)
_POSTCODE = re.compile(  # "LS1 4AP", "ls1 4ap" (not "m25 4th": an ordinal is no inward code)
    r"[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b|[a-z]{1,2}\d[a-z\d]?\s?\d(?!st|nd|rd|th)[a-z]{2}\b")
_SPELT_EMAIL = re.compile(  # "jo.smith at gmail dot com", "jo [at] example [dot] co [dot] uk"
    r"[\w.+-]+\s*[\[(]?\s*\bat\b\s*[\])]?\s*[\w-]+(?:\s*[\[(]?\s*\bdot\b\s*[\])]?\s*[\w-]+)*"
    r"\s*[\[(]?\s*\bdot\b\s*[\])]?\s*(?:com|org|net|uk|info|me)\b", re.IGNORECASE)
_INTERNATIONAL_PHONE = re.compile(r"\+44\s?\(?0?\)?\s?\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\w)")
_EMAIL_DOMAIN = re.compile(r"@[\w-]+(?:\.[\w-]+)+")
_EMAIL_LOCAL = re.compile(r"[\w.+-]+$")
_PUBLIC_EMAIL_DOMAINS = (".gov.uk",)
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Hit:
    """An identifying detail at text[start:end]; ``fields`` fill the rule's catalogue templates."""

    rule: str
    start: int
    end: int
    variant: str | None = None
    fields: tuple[tuple[str, str], ...] = ()


def _nhs_checksum_ok(digits: str) -> bool:
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(". ", 0, start), text.rfind("\n\n", 0, start))
    right_candidates = [i for i in (text.find(". ", end), text.find("\n\n", end)) if i != -1]
    return (left + 1 if left != -1 else 0), (min(right_candidates) if right_candidates else len(text))


def scan_identifiers(text: str) -> Iterator[Hit]:
    """Identifying details in text a reader sees (not names: see :class:`NameList`)."""
    if "@" in text:
        for match in _EMAIL_DOMAIN.finditer(text):
            local = _EMAIL_LOCAL.search(text, max(0, match.start() - 64), match.start())
            if local is None or match.group(0).lower().rstrip(".").endswith(_PUBLIC_EMAIL_DOMAINS):
                continue
            yield Hit("DHR-A009", local.start(), match.end())
    lowered = text.lower()
    if " dot " in lowered or "[dot]" in lowered or "(dot)" in lowered:
        for match in _SPELT_EMAIL.finditer(text):
            yield Hit("DHR-A009", match.start(), match.end(), "in-words")
    if "birth" in lowered or "dob" in lowered or "d.o.b" in lowered:
        for match in _BIRTH.finditer(" " + text):
            start, end = match.start("birth") - 1, match.end("birth") - 1
            if _BIRTH_LEFT_OUT.search(text, max(0, start - 40), start) or _BIRTH_LEFT_OUT_AFTER.match(text[end:end + 60]):
                continue
            yield Hit("DHR-A004", start, end)
    for match in _LETTER_FOR_NAME.finditer(text):
        yield Hit("DHR-A013", match.start(), match.end(), fields=(("match", " ".join(match.group(0).split())),))
    if "village" in lowered or "hamlet" in lowered:
        for match in _VILLAGE.finditer(text):
            yield Hit("DHR-A011", match.start(), match.end(), fields=(("match", " ".join(match.group(0).split())),))
    if "court" in lowered or "bailey" in lowered:
        for match in _COURT.finditer(text):
            if match["at"]:  # "the Crown Court at Leeds", the courts' own style
                yield Hit("DHR-A012", match.start(), match.end(), fields=(("match", " ".join(match.group(0).split())),))
                continue
            words = match.group(0).split()
            named = match.group(0).startswith(("Old", "Central"))
            place = [] if named else words[:-2]  # the words before "Crown Court" / "Magistrates' Court"
            while place and place[0] in _NOT_A_PLACE:
                place.pop(0)
            if named or place:
                court = " ".join(words[len(words) - len(place) - 2:] if place else words)
                yield Hit("DHR-A012", match.start(), match.end(), fields=(("match", court),))
    for match in _NAMED_STREET.finditer(text):
        if not _is_public(match.group(1), "addresses"):
            yield Hit("DHR-A005", match.start(1), match.end(1), "named-street",
                      (("match", " ".join(match.group(1).split())),))
    if not _DIGIT.search(text):
        return  # every other pattern has a digit

    def at_word_start(index: int) -> bool:
        return index == 0 or not text[index - 1].isalnum()

    dates = [(m.start("date") - 1, m.end("date") - 1) for m in _MONTH_FIRST_DATE.finditer(" " + text)]
    for match in _DIGIT_FIRST.finditer(text):
        if not at_word_start(match.start()):
            continue
        kind = match.lastgroup
        if kind == "date":
            dates.append(match.span())
        elif kind == "nhs" or (kind == "ten" and _nhs_checksum_ok(match.group(0))):
            yield Hit("DHR-A008", match.start(), match.end())
        elif kind == "phone" and 10 <= len(re.sub(r"\D", "", match.group(0))) <= 11:
            if not _is_public(match.group(0), "phones"):
                yield _phone_hit(match)
        elif kind == "address":
            if not _is_public(match.group(0), "addresses"):
                yield Hit("DHR-A005", match.start(), match.end())
    if "+44" in text:
        for match in _INTERNATIONAL_PHONE.finditer(text):
            if not _is_public(match.group(0), "phones"):
                yield _phone_hit(match)
    for start, end in dates:
        lo, hi = _sentence_bounds(text, start, end)
        lo, hi = max(lo, start - 80), min(hi, end + 80)
        time = _TIME.search(text, max(lo, start - 25), min(hi, end + 25))
        if time and not (start <= time.start() < end):
            yield Hit("DHR-A003", start, end, fields=(("context", time.group(0)),))
            continue
        if _PROCESS_DATE.search(text, max(0, start - 60), start):
            continue
        context = _IDENTIFYING_CONTEXT.search(text, lo, hi)
        if context:
            yield Hit("DHR-A003", start, end, fields=(("context", context.group(0)),))
    for match in _POSTCODE.finditer(text):
        if at_word_start(match.start()) and not _is_public(match.group(0), "postcodes"):
            yield Hit("DHR-A006", match.start(), match.end())


def _normalised(value: str, kind: str) -> str:
    return re.sub(r"\D", "", value) if kind == "phones" else re.sub(r"[^a-z0-9]", "", value.lower())


@functools.cache
def _public_contacts() -> dict[str, frozenset[str]]:
    """Public bodies' own published addresses, postcodes and phone numbers (rules/public_contacts.yml)."""
    from .catalogue import load_rule_data

    out: dict[str, set[str]] = {"addresses": set(), "postcodes": set(), "phones": set()}
    for entry in load_rule_data("public_contacts.yml").get("contacts") or []:
        for kind, values in out.items():
            values.update(_normalised(v, kind) for v in entry.get(kind) or [])
    return {kind: frozenset(values) for kind, values in out.items()}


def _is_public(value: str, kind: str) -> bool:
    normalised = _normalised(value, kind)
    if kind == "phones" and normalised.startswith("44"):
        normalised = "0" + normalised[2:]
    return bool(normalised) and (normalised in _public_contacts()[kind]
                                 or kind == "addresses" and any(normalised.endswith(a) for a in _public_contacts()[kind]))


def _phone_hit(match: re.Match) -> Hit:
    return Hit("DHR-A007", match.start(), match.end())

def load_names(names: DenyList | Path | str | None) -> tuple[NameList, Path | None]:
    """The deny-list compiled (empty when none is given); a file path is read here, a DenyList was read once."""
    deny = names if isinstance(names, DenyList) else read_deny_list(names)
    return _compiled(deny.entries), deny.path


@functools.lru_cache(maxsize=4)
def _compiled(entries: tuple[tuple[int, str], ...]) -> NameList:
    return NameList(entries)


def _line_col(starts: list[int], offset: int) -> tuple[int, int]:
    index = bisect.bisect_right(starts, offset) - 1
    return index + 1, offset - starts[index] + 1


def name_findings(names: NameList, file: str, text: str, at: Where | None = None) -> list[Finding]:
    """Every deny-listed name in ``text`` (a whole file), located; the name itself is not echoed."""
    if names.pattern is None:
        return []
    starts = [0, *(m.end() for m in re.finditer("\n", text))]
    found = []
    for match in names.finditer(text):
        line, column = _line_col(starts, match.start)
        found.append(finding("DHR-A001", file, line, column, at=at, entry_line=match.entry_line,
                             length=match.end - match.start))
    return found


def identifier_findings(file: str, text: str, locate: Callable[[int], tuple[int, int]],
                        at: Where | None = None) -> list[Finding]:
    """Identifying details in ``text``; ``locate`` maps an offset to (line, column)."""
    return [finding(hit.rule, file, *locate(hit.start), variant=hit.variant, at=at, **dict(hit.fields))
            for hit in scan_identifiers(text)]


_SALUTATION = re.compile(r"^[\s*_]*(?:Dear|To whom)\b", re.IGNORECASE)
# In the letterhead and address block of the QA Panel's letter, contact details are a public body's own
# (the Home Office's, the council's or partnership's it is addressed to), published on their letters.
LETTERHEAD_RULES = frozenset({"DHR-A005", "DHR-A006", "DHR-A007", "DHR-A009"})


def letterhead(segments: list) -> set[int]:
    """ids of the letter segments (kind 'letter') before each letter's salutation ('Dear …')."""
    head: set[int] = set()
    before_salutation = True
    for segment in segments:
        if segment.kind != "letter":
            before_salutation = True  # a later letter starts its own letterhead
            continue
        if _SALUTATION.match(segment.text):
            before_salutation = False
        if before_salutation:
            head.add(id(segment))
    return head


def segment_identifier_findings(file: str, segments: list, at: Where | None = None) -> list[Finding]:
    """Identifying details in a document's segments, scanned in one pass over their joined text (a public
    body's contact details in a letter's letterhead and address block are accepted)."""
    from .document import joined

    text, locate = joined(segments)
    head = letterhead(segments)
    found = []
    for hit in scan_identifiers(text):
        place = locate(hit.start, hit.end)
        if place is not None:
            segment, offset = place
            if hit.rule in LETTERHEAD_RULES and id(segment) in head:
                continue
            found.append(finding(hit.rule, file, *segment.locate(offset), variant=hit.variant, at=at,
                                 **dict(hit.fields)))
    return found


def _project_text_files(ws: Workspace) -> Iterator[tuple[str, str]]:
    for doc in ws.documents:
        yield doc.file, "\n".join(doc.lines)
    config = ws.root / "_quarto.yml"
    yield "_quarto.yml", config.read_text(encoding="utf-8")
    data = ws.root / "data"
    for path in sorted(data.rglob("*")):
        if path.is_file() and path.suffix.lower() in _DATA_SUFFIXES:
            try:
                yield ws.relpath(path), path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue


_NOT_PUBLISHED = {"node_modules", "__pycache__"}  # with hidden folders (.git, .venv, .dhr-cache) and the outputs


def _file_names(ws: Workspace) -> Iterator[str]:
    """Every file and folder name of the project that a build may publish (image files, chapter files…)."""
    output = ws.project.output_dir.resolve()
    for folder, dirs, files in os.walk(ws.root):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")) and d not in _NOT_PUBLISHED
                         and (Path(folder) / d).resolve() != output)
        for name in [*dirs, *sorted(files)]:
            yield ws.relpath(Path(folder) / name)


def _bibliographies(ws: Workspace) -> Iterator[tuple[str, str]]:
    """The bibliography files (their keys are published as ids and data-cites attributes)."""
    for path in ws.project.bibliography:
        if path.is_file() and not path.resolve().is_relative_to((ws.root / "data").resolve()):
            yield ws.relpath(path), path.read_text(encoding="utf-8", errors="replace")


def _spreadsheet_cells(ws: Workspace) -> Iterator[tuple[str, int, str]]:
    """(file, row, text) of every text cell of the XLSX files under data/ (names hide in any column)."""
    paths = sorted(p for p in (ws.root / "data").rglob("*.xlsx") if p.is_file())
    if not paths:
        return
    from openpyxl import load_workbook

    for path in paths:
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            for sheet in workbook.worksheets:
                for row_number, row in enumerate(sheet.iter_rows(values_only=True), 1):
                    text = " | ".join(str(v) for v in row if isinstance(v, str) and v.strip())
                    if text:
                        yield ws.relpath(path), row_number, text
        finally:
            workbook.close()


def check_anonymity(ws: Workspace) -> list[Finding]:
    names, path = load_names(ws.deny_list)
    found: list[Finding] = []
    if path is not None:
        try:
            path.resolve().relative_to(ws.root)
            found.append(finding("DHR-A002", ws.relpath(path), 1))
        except ValueError:
            pass
        for file, text in [*_project_text_files(ws), *_bibliographies(ws)]:
            found += name_findings(names, file, text)
        for rel in _file_names(ws):
            hits = list(names.finditer(rel))
            if hits:  # the path is shown with the name masked, so the message does not leak it
                shown = "".join(c if not any(h.start < i < h.end for h in hits) else "*" for i, c in enumerate(rel))
                found.append(finding("DHR-A001", shown, 1, variant="file-name", entry_line=hits[0].entry_line))
        for file, row, text in _spreadsheet_cells(ws):
            for item in name_findings(names, file, text):
                item.line, item.column = row, 1
                found.append(item)
    for doc in ws.documents:
        found += segment_identifier_findings(doc.file, doc.segments)
    for item in ws.data_texts:
        found += identifier_findings(item.file, item.text, lambda offset, line=item.line: (line, 1),
                                     where("data", label=item.label))
    return found
