"""An imported rating's verdict on the common scale (claims.models.Verdict), from its label.

Publishers rate in their own words and languages: "Falso", "Faux", "Falsch", "मिथ्या", "زائف",
"Mostly false", "não_é_bem_assim", or a whole sentence ("FALSO: As imagens foram retiradas...",
"اتضح لأنير أن هذا الادعاء مضلل، حيث..."). `verdict_of()` reads the label first:

1. the whole label, folded (case, accents, underscores and punctuation ignored);
2. its first part, before a colon, full stop, dash or comma ("Falso." -> "falso");
3. the longest known label found as whole words inside it (a sentence that says "misleading").

Only when the label says nothing known does it fall back to the numeric position of
`ratingValue` between `worstRating` and `bestRating`, and only when both ends are given and
differ: a value without a scale says nothing. Otherwise the verdict is "other" (unrated).
"""

from __future__ import annotations

import functools
import re

from claims.models import Verdict
from core.text import fold

T, MT, MX, MF, F, UNRATED = (
    Verdict.TRUE,
    Verdict.MOSTLY_TRUE,
    Verdict.MIXED,
    Verdict.MOSTLY_FALSE,
    Verdict.FALSE,
    Verdict.OTHER,
)

# Folded labels (see _key) -> verdict. By language; "misleading" and "out of context" count as
# mostly false, "half true" and "partly false" as mixed, "unproven" as other.
LABELS: dict[str, Verdict] = {}


def _add(verdict: Verdict, *labels: str) -> None:
    for label in labels:
        LABELS[_key(label)] = verdict


def _key(label: str) -> str:
    text = fold(label.replace("_", " "))
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


# English
_add(T, "true", "correct", "accurate", "real", "genuine", "fact", "verified", "right")
_add(MT, "mostly true", "mostly correct", "largely true", "mostly accurate")
_add(
    MX,
    "half true",
    "half-true",
    "mixed",
    "mixture",
    "partly true",
    "partly false",
    "partially true",
    "partially false",
    "partly correct",
    "half truth",
)
_add(
    MF,
    "mostly false",
    "misleading",
    "missing context",
    "out of context",
    "lacks context",
    "exaggerated",
    "exaggeration",
    "distorted",
    "manipulated",
    "altered",
    "altered photo",
    "altered video",
    "edited",
    "sarcastic",
    "mostly incorrect",
    "partly misleading",
)
_add(
    F,
    "false",
    "fake",
    "incorrect",
    "wrong",
    "pants on fire",
    "fabricated",
    "hoax",
    "fake news",
    "scam",
    "really false",
    "not true",
    "untrue",
    "four pinocchios",
)
_add(
    UNRATED,
    "unproven",
    "unverified",
    "unsupported",
    "satire",
    "no evidence",
    "insufficient evidence",
    "explainer",
    "unrated",
    "excitement",
    "opinion",
    "clarification",
)
# Spanish
_add(T, "verdadero", "cierto", "verdad", "correcto", "real")
_add(MT, "mayormente verdadero", "casi verdadero", "mayormente cierto")
_add(MX, "medio verdadero", "verdad a medias", "parcialmente falso", "parcialmente verdadero")
_add(
    MF,
    "engañoso",
    "enganoso",
    "mayormente falso",
    "sacado de contexto",
    "fuera de contexto",
    "exagerado",
    "impreciso",
    "manipulado",
    "falta contexto",
)
_add(F, "falso", "fake", "bulo", "montaje", "mentira", "incorrecto")
_add(UNRATED, "sin evidencia", "no verificable", "inverificable", "sátira", "dudoso")
# Portuguese
_add(T, "verdadeiro", "verdade", "correto", "certo")
_add(MT, "quase verdadeiro", "verdadeiro mas")
_add(MX, "meia verdade", "parcialmente falso", "parcialmente verdadeiro", "não é bem assim")
_add(
    MF,
    "enganoso",
    "distorcido",
    "exagerado",
    "fora de contexto",
    "impreciso",
    "contraditório",
    "insustentável",
    "manipulado",
)
_add(F, "falso", "mentira", "boato", "fake")
_add(UNRATED, "sem evidências", "sem provas", "subestimado", "de olho", "sátira")
# French
_add(T, "vrai", "exact", "correct")
_add(MT, "plutôt vrai", "globalement vrai")
_add(MX, "à moitié vrai", "en partie vrai", "en partie faux", "partiellement faux", "mitigé")
_add(
    MF,
    "trompeur",
    "plutôt faux",
    "hors contexte",
    "sorti de son contexte",
    "manque de contexte",
    "exagéré",
    "manipulé",
    "retouché",
    "détourné",
    "imprécis",
)
_add(F, "faux", "fausse", "infox", "intox", "canular", "inexact", "archi faux")
_add(UNRATED, "invérifiable", "non prouvé", "satire", "pas de preuve")
# German
_add(T, "richtig", "wahr", "stimmt", "korrekt", "zutreffend")
_add(MT, "größtenteils richtig", "überwiegend richtig", "weitgehend richtig")
_add(MX, "teilweise richtig", "teilweise falsch", "halb wahr", "halbwahr")
_add(
    MF,
    "irreführend",
    "größtenteils falsch",
    "überwiegend falsch",
    "fehlender kontext",
    "ohne kontext",
    "aus dem kontext gerissen",
    "manipuliert",
    "übertrieben",
    "missverständlich",
)
_add(F, "falsch", "fake", "erfunden", "frei erfunden", "unwahr", "gefälscht")
_add(UNRATED, "unbelegt", "unbewiesen", "satire", "nicht belegt")
# Hindi
_add(T, "सच", "सही", "सत्य")
_add(MT, "अधिकतर सच", "ज्यादातर सच")
_add(MX, "आधा सच", "आंशिक रूप से सच", "आंशिक रूप से गलत")
_add(MF, "भ्रामक", "गुमराह करने वाला", "संदर्भ से बाहर", "अधिकतर गलत", "आधा अधूरा", "भ्रामक दावा")
_add(F, "गलत", "ग़लत", "झूठ", "फर्जी", "फ़र्ज़ी", "फेक", "मिथ्या", "असत्य", "झूठा")
_add(UNRATED, "व्यंग्य", "अप्रमाणित")
# Arabic
_add(T, "صحيح", "حقيقي", "نص حقيقي", "صح", "دقيق")
_add(MT, "صحيح غالبا", "صحيح في الغالب")
_add(
    MX,
    "صحيح جزئيا",
    "صحيح جزئياً",
    "صحيح جزئيًا",
    "نصف حقيقي",
    "نصف صحيح",
    "غير صحيح جزئيا",
    "غير صحيح جزئياً",
    "زائف جزئيا",
    "زائف جزئيًا",
    "زائف جزئي",
)
_add(
    MF,
    "مضلل",
    "مضلّل",
    "تضليل",
    "محتوى ناقص",
    "سياق ناقص",
    "سياق مجتزأ",
    "خارج السياق",
    "معدل",
    "معدّل",
    "فيديو معدّل",
    "صورة معدّلة",
    "مبالغ فيه",
    "الفيديو قديم",
)
_add(
    F,
    "زائف",
    "خطأ",
    "خاطئ",
    "كاذب",
    "خبر كاذب",
    "غير صحيح",
    "مش حقيقي",
    "مفبرك",
    "مزيف",
    "اشاعة",
    "إشاعة",
    "وليدة ذكاء إصطناعي",
)
_add(UNRATED, "غير مثبت", "توضيح", "ساخر", "إثارة")
# Chinese (Taiwan FactCheck Center), Bengali: the labels in the samples.
_add(T, "正確", "正确", "সত্য", "সঠিক")
_add(MX, "部分錯誤", "部分错误", "আংশিক সত্য")
_add(MF, "誤導", "误导", "বিভ্রান্তিকর")
_add(F, "錯誤", "错误", "假", "মিথ্যা", "ভুয়া", "ভুল")
_add(UNRATED, "證據不足", "证据不足")

_SPLIT = re.compile(r"[:.;,\u2013\u2014\u060c\u061b\u3002\uff0c!?\u0964]| - ")
_LONGEST_FIRST = sorted(LABELS, key=len, reverse=True)


@functools.lru_cache(maxsize=4096)
def verdict_from_label(label: str) -> Verdict | None:
    """The verdict a label names, or None when it names none we know."""
    key = _key(label)
    if not key:
        return None
    if key in LABELS:
        return LABELS[key]
    head = _key(_SPLIT.split(label.strip(), maxsplit=1)[0])
    if head in LABELS:
        return LABELS[head]
    padded = f" {key} "
    for known in _LONGEST_FIRST:
        if f" {known} " in padded:
            return LABELS[known]
    return None


def verdict_from_position(
    value: float | None, best: float | None, worst: float | None
) -> Verdict | None:
    """The verdict of `value`'s place between `worst` (false) and `best` (true), in five equal
    steps; None unless all three are given and the scale has two distinct ends."""
    if value is None or best is None or worst is None or best == worst:
        return None
    position = (value - worst) / (best - worst)
    if not 0 <= position <= 1:
        return None
    steps = [F, MF, MX, MT, T]
    return steps[min(int(position * 5), 4)]


def verdict_of(
    label: str, value: float | None = None, best: float | None = None, worst: float | None = None
) -> Verdict:
    """The verdict of an imported rating: its label, else its position on a given scale, else
    "other"."""
    return verdict_from_label(label) or verdict_from_position(value, best, worst) or UNRATED
