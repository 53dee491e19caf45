"""The label of a missing fact (a determination's `missing`: `value_jpy`, `end_use`, `params.hf_concentration_wt_pct`)
in English or Japanese: the pages show it, and the API adds it beside the names (`missing_labels`).

A fact of the transaction has its label in the catalogue (`fact.<name>`, http/web/i18n.py); a parameter of a
specification (`params.<id>`) is labelled by the pack's own title of the parameter. A name with neither is its own
label (shown as code).
"""

from __future__ import annotations

from exportctl.http.web.i18n import MESSAGES
from exportctl.regime.files import builtin_packs
from exportctl.services import regimes

PARAMS = "params."


def fact_label(name: str, lang: str, regime_id: object = None) -> str:
    """`name`'s label in `lang` (en/ja), the parameters' titles taken from the pack of `regime_id`."""
    pair = MESSAGES.get(f"fact.{name}")
    if pair is not None:
        return pair[1] if lang == "ja" else pair[0]
    if name.startswith(PARAMS) and isinstance(regime_id, str) and regime_id in builtin_packs():
        parameter = regimes.regime(regime_id).pack.parameters.get(name[len(PARAMS) :])
        if parameter is not None:
            key = "fact.parameter"
            title = parameter.title.ja if lang == "ja" else parameter.title.en
            template = MESSAGES[key][1] if lang == "ja" else MESSAGES[key][0]
            return template.format(title=title)
    return name


def labelled(name: str, lang: str, regime_id: object = None) -> bool:
    """Whether `name` has a label of its own (else the label is the name)."""
    return fact_label(name, lang, regime_id) != name
