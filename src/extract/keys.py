"""Claim identity: a stable, language-independent key, separate from the claim's value.

Two reports state *the same claim* when their keys are equal, and *agree* when their values are equal.
The key is what the claim is about; the value is what it says about it:

| family   | key                                   | value fields                                            |
|----------|---------------------------------------|---------------------------------------------------------|
| pledge   | pledge / actor / predicate            | stance (will, will not), certainty, window, quantity, time |
| position | position / actor / predicate / object | stance (supports, opposes, demands)                     |
| tier     | tier / number                         | actor, action, window                                   |
| event    | event / predicate / venue / round     | time                                                    |
| quantity | quantity / actor / unit               | value                                                   |

Negated commitments ("will not send troops") are stored as positions but keyed as pledges, so a country
moving from "will not send" to "will send" is one changed claim. "reject X" is keyed as "accept X" with the
opposite stance. Persons are keyed by the country they speak for (Sánchez → Spain), so a Japanese list label
"スペイン:" and an English "Pedro Sánchez said" meet. Everything works on ``claims`` rows (column → value),
so keys can be recomputed for rows already stored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from extract.gazetteer import load_gazetteer
from extract.lang import predicates
from extract.model import Claim

TENTATIVE = {"possible", "offered"}
_ROUND = re.compile(
    r"第\s*(\d+)\s*(?:ラウンド|回)|(\d+)(?:st|nd|rd|th)\s+round|\b(first|second|third|fourth|fifth)\s+round|(初の)",
    re.IGNORECASE,
)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}


def family(row: Mapping[str, Any]) -> str:
    """pledge | position | tier | event | quantity — negated commitments belong to the pledge family."""
    if _refusal_or_pledge(row["kind"], row["predicate"], row.get("polarity")):
        return "pledge"
    return row["kind"]


def family_of(claim: Claim) -> str:
    """``family`` of a claim before it is stored."""
    if _refusal_or_pledge(claim.kind, claim.predicate, claim.polarity):
        return "pledge"
    return claim.kind


def _refusal_or_pledge(kind: str, predicate: str, polarity: str | None) -> bool:
    """Pledges, and refused commitments (stored as negative positions); "backed the plan" stays a position."""
    return _is_commitment(predicate) and (kind == "pledge" or (kind == "position" and polarity == "negative"))


def _is_commitment(predicate: str) -> bool:
    """Commitments, and events put as commitments ("will not sign a deal" is a pledge, refused)."""
    known = predicates().get(predicate)
    return known is not None and known.family in ("commitment", "event")


def actor(entity_id: str | None) -> str:
    """The id an actor is keyed by: a person's country, otherwise the entity itself."""
    if not entity_id:
        return ""
    entity = load_gazetteer().get(entity_id)
    if entity is not None and entity.type == "person" and entity.parent:
        return entity.parent
    return entity_id


def event_round(text: str | None) -> str:
    """ "第2ラウンド", "second round", "初の" → "2"/"1"; "" when the text names no round."""
    m = _ROUND.search(text or "")
    if not m:
        return ""
    if m.group(4):
        return "1"
    return m.group(1) or m.group(2) or str(_ORDINALS[m.group(3).lower()])


def claim_key(row: Mapping[str, Any]) -> str:
    fam = family(row)
    if fam == "pledge":
        parts = [fam, actor(row["subject_id"]) or row["subject_text"] or "", row["predicate"]]
    elif fam == "position":
        predicate = "accept" if row["predicate"] == "reject" else row["predicate"]
        parts = [fam, actor(row["subject_id"]) or row["subject_text"] or "", predicate, row["object_id"] or ""]
    elif fam == "tier":
        parts = [fam, str(row["tier"])]
    elif fam == "event":
        parts = [fam, row["predicate"], row["location_id"] or "", event_round(row["object_text"])]
    else:
        parts = [fam, actor(row["subject_id"]) or row["subject_text"] or "", row["quantity_unit"] or ""]
    return "|".join(parts)


def claim_value(row: Mapping[str, Any]) -> dict[str, str]:
    """What the claim says, as display strings; fields a report does not state are left out."""
    fam = family(row)
    if fam == "pledge":
        value = {
            "stance": "will not" if row["polarity"] == "negative" else "will",
            "certainty": "tentative" if row["modality"] in TENTATIVE else "committed",
            "window": row["window_duration"],
            "quantity": _quantity(row),
            "time": row["time_iso"],
        }
    elif fam == "position":
        value = {"stance": _stance(row)}
    elif fam == "tier":
        value = {"actor": row["subject_id"], "action": row["predicate"], "window": row["window_duration"]}
    elif fam == "event":
        value = {"time": row["time_iso"]}
    else:
        value = {"value": _quantity(row, with_unit=False)}
    return {k: v for k, v in value.items() if v}


def _stance(row: Mapping[str, Any]) -> str:
    if row["predicate"] == "demand":
        return "does not demand" if row["polarity"] == "negative" else "demands"
    supports = (row["predicate"] == "accept") == (row["polarity"] != "negative")
    return "supports" if supports else "opposes"


def _quantity(row: Mapping[str, Any], with_unit: bool = True) -> str | None:
    low = row.get("quantity_value")
    if low is None:
        return None
    text = _number(low)
    if row.get("quantity_upper") is not None:
        text += f"-{_number(row['quantity_upper'])}"
    return f"{text} {row['quantity_unit']}" if with_unit and row.get("quantity_unit") else text


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def value_json(value: Mapping[str, str]) -> str:
    """Canonical JSON of a value, for storage and exact comparison."""
    return json.dumps(dict(sorted(value.items())), ensure_ascii=False)


def agree(old: Mapping[str, str], new: Mapping[str, str]) -> bool:
    """Values agree when every field both state is equal: a field one report omits is not a change."""
    return all(old[k] == new[k] for k in old.keys() & new.keys())


def describe(value: Mapping[str, str]) -> str:
    """A short human reading of a value: "will not (committed), window PT72H, on 2025-04-30"."""
    parts = []
    if "stance" in value:
        certainty = value.get("certainty")
        parts.append(f"{value['stance']} ({certainty})" if certainty else value["stance"])
    parts += [value[f] for f in ("actor", "action", "value") if f in value]
    parts += [f"{f} {value[f]}" for f in ("window", "quantity") if f in value]
    if "time" in value:
        parts.append(f"on {value['time']}" if parts else value["time"])
    return ", ".join(parts)
