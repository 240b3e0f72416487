"""Passive voice: which verb groups of a sentence are passive, and where they stand.

A passive verb group is a form of BE or GET, possibly after other auxiliaries ("could have
been"), then, possibly after adverbs, "not" or a floating quantifier ("were all", "are no
longer"), a past participle used as a verb. The participle is either irregular (a list) or a
word in -ed that is not an adjective or noun in disguise (a list). What makes this hard is the
participle that is an adjective ("was happy" never matches, but "is interested", "were worried
about", "got married" look like passives); those come from ``wordlists/participles.txt``
(``[adjectival]``, with conditions), a degree word before the participle ("very pleased") and
the un- rule ("was undecided"). A "by" phrase right after an adjectival participle makes it a
passive again ("was surprised by the vote").

Not counted, by design (the README says so): reduced relatives without BE or GET ("the man
arrested on Monday"), participles after other verbs ("remains closed"), causatives ("had
his car stolen") and a contracted 's that is HAS, as the participle's object shows ("he's used
the same barbs").

Matching is a single left-to-right pass over the tokens with a bounded look-ahead (a verb group
has at most a few words), so the time is linear in the length of the sentence.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...text.segments import Span
from .tokens import Token, tokens
from .wordlists import sections, words

BE = words("auxiliaries", "be")
GET = words("auxiliaries", "get")
CHAIN = words("auxiliaries", "chain")
CONTRACTED_SUBJECTS = words("auxiliaries", "contracted-subjects")
PERSONAL_SUBJECTS = words("auxiliaries", "personal-subjects")
BETWEEN = words("auxiliaries", "between")
DEGREE = words("auxiliaries", "degree")
QUESTION_WORDS = words("auxiliaries", "question-words")
IRREGULAR = words("participles", "irregular")
NOT_PARTICIPLES = words("participles", "not-participles")
UN_VERBS = words("participles", "un-verbs")
OBJECT_STARTS = words("auxiliaries", "object-starts")
RELATIVE_OBJECTS = words("auxiliaries", "relative-objects")
OBJECT_PASSIVES = words("participles", "object-passives")
RAISING = words("participles", "raising")
VERBAL_PREFIXES = words("participles", "verbal-prefixes")

# A verb group never has more than this many words between its auxiliary and its participle ...
MAX_BETWEEN = 4
# ... and in a question, at most this many words of the subject ("Was [the new mayor] elected?").
MAX_SUBJECT = 3
# After "to", these start a noun phrase ("used to the noise", "used to it", "used to hard
# work", "used to 40-degree heat"), not a verb.
_NOUN_PHRASE_STARTS = frozenset(
    "the a an this that these those it them him her his its their our my your such some any "
    "every each all no being "
    "hard long big high low cold hot heavy bad good new old more less much many few little "
    "large small early late".split()
)
_CONTRACTED = frozenset({"s", "re", "m"})
_AUXILIARIES = BE | GET | CHAIN


def _adjectival_rules() -> dict[str, tuple[str, frozenset[str]]]:
    """``word -> (condition, words)`` from the ``[adjectival]`` section; see the list file."""
    rules: dict[str, tuple[str, frozenset[str]]] = {}
    for entry in sections("participles")["adjectival"]:
        word, _, condition = entry.partition(":")
        kind, *args = condition.split() or ["always"]
        if kind not in ("always", "before", "after-get", "to-noun", "after-person"):
            raise ValueError(f"participles.txt: unknown condition {condition!r} for {word!r}")
        rules[word.strip()] = (kind, frozenset(args))
    return rules


ADJECTIVAL = _adjectival_rules()


def passive_groups(text: str, sentence: Span, toks: Sequence[Token] | None = None) -> list[Span]:
    """The passive verb groups of the sentence ``text[sentence]``, in order, as spans of ``text``. ``toks`` are
    the sentence's tokens, when the caller has them already."""
    toks = tokens(text, sentence) if toks is None else toks
    question = sentence.of(text).rstrip("\"'”’)]»").endswith("?")
    found: list[Span] = []
    i = 0
    while i < len(toks):
        kind = _auxiliary(toks[i])
        if kind is None:
            i += 1
            continue
        inverted = question and (i == 0 or toks[i - 1].lower in QUESTION_WORDS)
        end = _group_end(toks, i, kind, MAX_SUBJECT if inverted else 0)
        if end is None or _contracted_has(toks, i, end):
            i += 1
            continue
        found.append(Span(_group_start(toks, i), toks[end].end))
        i = end + 1
    return found


def _auxiliary(token: Token) -> str | None:
    """``"be"`` or ``"get"`` when the token is (or ends in) a form of BE or GET."""
    word = token.lower
    if word in BE:
        return "be"
    if word in GET:
        return "get"
    subject, apostrophe, ending = word.rpartition("'")
    if apostrophe and ending in _CONTRACTED and subject in CONTRACTED_SUBJECTS:
        return "be"
    return None


def _contracted_has(toks: Sequence[Token], aux: int, end: int) -> bool:
    """Whether a contracted 's before the participle at ``end`` is HAS, not IS: the participle
    has an object, after it ("he's used [the] same barbs", "she's won [two] titles") or before
    the subject as a relative pronoun ("the trial, [which] he's attended"), unless its passive
    takes one ("it's called the Wolf Pack") or, after "it", it reports ("it's hoped the rules...").
    A BE or GET in between ("he's been arrested") keeps the group passive."""
    subject, apostrophe, ending = toks[aux].lower.rpartition("'")
    if not apostrophe or ending != "s":
        return False
    if any(t.lower in BE or t.lower in GET for t in toks[aux + 1 : end]):
        return False
    following = toks[end + 1] if end + 1 < len(toks) and not toks[end + 1].after_break else None
    object_after = following is not None and (following.lower in OBJECT_STARTS or following.lower.isdigit())
    object_before = aux > 0 and not toks[aux].after_break and toks[aux - 1].lower in RELATIVE_OBJECTS
    if not (object_after or object_before) or (following is not None and following.lower == "by"):
        return False
    participle = toks[end].parts[-1]
    return participle not in OBJECT_PASSIVES and not (subject == "it" and participle in RAISING)


def _group_end(toks: Sequence[Token], aux: int, kind: str, subject: int = 0) -> int | None:
    """The index of the passive participle the auxiliary at ``aux`` governs, if any; up to
    ``subject`` other words may stand before it (an inverted question's subject)."""
    degree = False
    j = aux + 1
    between = 0
    while j < len(toks) and between <= MAX_BETWEEN:
        token = toks[j]
        if token.after_break:
            return None
        word = token.lower
        if word in BE or word in GET:  # "is being investigated", "was getting treated"
            kind = "get" if word in GET else kind
            degree = False
        elif word == "no" and j + 1 < len(toks) and toks[j + 1].lower == "longer":
            j += 1
        elif word in DEGREE:
            degree = True
        elif word in BETWEEN or (word.endswith("ly") and "-" not in word and not token.capitalised):
            pass
        elif not _is_participle(token, toks[aux]):
            if subject <= 0:
                return None
            subject -= 1
        else:
            if degree or _adjectival(toks, aux, j, kind):
                return None
            return j
        j += 1
        between += 1
    return None


def _group_start(toks: Sequence[Token], aux: int) -> int:
    """Where the verb group starts: the first auxiliary of its chain ("could have been"), at
    the apostrophe of a contracted one ("it['s hoped]")."""
    first = aux
    j = aux - 1
    while j >= 0 and aux - j <= MAX_BETWEEN and not toks[j + 1].after_break:
        word = toks[j].lower
        if word in CHAIN or word in BE or word in GET:
            first = j
        elif not (word in BETWEEN or (word.endswith("ly") and not toks[j].capitalised)):
            break
        j -= 1
    token = toks[first]
    if token.lower not in _AUXILIARIES:
        apostrophe = token.apostrophe()
        if apostrophe is not None:
            return apostrophe
    return token.start


def _is_participle(token: Token, aux: Token) -> bool:
    """A past participle by its form: irregular, or -ed and not a known adjective or noun."""
    if token.capitalised and not aux.capitalised:
        return False  # a name ("was Ahmed") unless the line is in title case ("Man Was Arrested")
    parts = token.parts
    if len(parts) > 1:
        return parts[0] in VERBAL_PREFIXES and _participle_form(parts[-1])
    return _participle_form(parts[0])


def _participle_form(word: str) -> bool:
    if word in IRREGULAR:
        return True
    if not word.endswith("ed") or len(word) < 4 or word in NOT_PARTICIPLES or not word.isalpha():
        return False
    return True


def _adjectival(toks: Sequence[Token], aux: int, j: int, aux_kind: str) -> bool:
    """Whether the participle at ``j``, governed by the auxiliary at ``aux``, is an adjective
    here (see the ``[adjectival]`` list)."""
    word = toks[j].parts[-1]
    following = toks[j + 1].lower if j + 1 < len(toks) and not toks[j + 1].after_break else ""
    if following == "by":
        return False
    if len(toks[j].parts) == 1 and word.startswith("un") and not word.startswith("under") and word not in UN_VERBS:
        return True
    rule = ADJECTIVAL.get(word)
    if rule is None:
        return False
    kind, args = rule
    if kind == "always":
        return True
    if kind == "before":
        return following in args
    if kind == "after-get":
        return aux_kind == "get"
    if kind == "after-person":
        return _personal_subject(toks, aux, j)
    # to-noun: "used to the noise" / "used to working" (adjective), "used to pay" (passive)
    if following != "to":
        return False
    after = toks[j + 2].lower if j + 2 < len(toks) and not toks[j + 2].after_break else ""
    return not after or after in _NOUN_PHRASE_STARTS or after.endswith("ing") or after[:1].isdigit()


def _personal_subject(toks: Sequence[Token], aux: int, j: int) -> bool:
    """Whether a personal pronoun is the subject of the verb group from ``aux`` to ``j``: right
    before the auxiliary ("we are done"), contracted with it ("I'm done"), or after it in a
    question ("are you done?")."""
    before = toks[aux - 1].lower if aux > 0 and not toks[aux].after_break else ""
    contracted = toks[aux].lower.rpartition("'")[0]
    between = {t.lower for t in toks[aux + 1 : j]}
    return before in PERSONAL_SUBJECTS or contracted in PERSONAL_SUBJECTS or bool(between & PERSONAL_SUBJECTS)
