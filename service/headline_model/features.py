"""Headline features shared, as the same code, by the training script and the runtime model.

Why the features look like this: the training corpus (Chakraborty et al., ASONAM 2016) pairs
BuzzFeed-style sites with NYT/Guardian/The Hindu/WikiNews, so anything that identifies a *source*
(capitalisation, punctuation habits, proper nouns, publisher names) separates the classes there and
means nothing on another newsroom's copy. The extractor therefore:

* case-folds every token, so capitalisation cannot be learned at all (Title Case, sentence case and
  all-lower-case input produce identical features);
* never makes a punctuation mark a feature: punctuation only splits a headline into clauses (and
  the number of clauses is one statistic below), because the corpus stripped trailing question
  marks from the clickbait side only (a learned ``?`` weight would point the wrong way);
* replaces every digit run with ``<num>`` and every word outside the model's word list with ``<w>``;
  the training script leaves proper-noun-like words and publisher names out of that list, so names
  and places contribute no weight of their own;
* treats who a story is about as topic, not style: gendered words are folded into one neutral form
  ("she", "he" -> ``he/she``; "women", "men" -> ``men/women``) and identity terms (sexuality, race,
  religion) are never in the word list. On the corpus, "her", "women", "black" and "lesbian" were
  among the strongest clickbait weights, which would flag ordinary news about those people;
* adds a handful of hand-written cue features (second person, forward references, hyperbole,
  listicle numbers, question and imperative openers, teaser phrases) that describe clickbait itself
  and so carry across publishers. Each fires at most once per headline;
* adds character 3-5-grams of the known words only (inflection and word formation: "-est",
  "un-", "-ly"), never of names, which stay outside the word list;
* adds a few headline statistics of the kind Chakraborty et al. used (length in words, mean word
  length, share of function words, share of words outside the word list, number of clauses), each
  as a one-hot bin: they describe how a headline is built, not what it is about;
* reads a quotation as one token, as a name is read ("Gates on Russia: 'You can be friendly...'"
  quotes a speaker, it does not address the reader); the statistics still count its words.

Every feature comes with the character span of the headline that produced it, so explanations can
quote the headline's own words.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Container, Iterable
from dataclasses import asdict, dataclass, fields

from ..text.memo import remembered

# Placeholders that can never collide with a case-folded word.
NUM = "<num>"
UNKNOWN = "<w>"
CLAUSE_START = "<s>"
CLAUSE_END = "</s>"
CUE_PREFIX = "cue:"
CHAR_PREFIX = "char:"
STAT_PREFIX = "stat:"
SHAPE_PREFIX = "shape:"

# Words whose normal form, shape and character n-grams are kept: WORD_MEMO_SCALE times
# COPYDESK_MEMO_ENTRIES of them (headlines repeat their words), of up to MEMO_MAX_WORD code points.
WORD_MEMO_SCALE = 16
MEMO_MAX_WORD = 64

# A quotation: someone else's words, or a work's title, inside quotation marks. With
# ``FeatureConfig.quotations`` on (the shipped model), it is one token, QUOTE, read as a name is read:
# "Gates on Russia: 'You can be friendly without being friends'" quotes a speaker, it does not
# address its reader, and the corpus cannot teach that (its news side has nine quotations with
# "you", "we" or "I"). A single mark opens only where no letter or digit stands before it and a
# letter follows, and closes only where no letter or digit follows, so apostrophes ("can't",
# "Parents' group", "O'Neill", "the '80s") never count; a quotation has at most 200 characters,
# which keeps the search linear on hostile input.
QUOTE = "<q>"
QUOTATION = r"""
    "[^"\n]{1,200}"                                                              # "..."
    |\u201c[^\u201c\u201d\n]{1,200}\u201d                                          # “...”
    |(?<![^\W_])['\u2018](?=[^\W\d_])[^\n]{0,200}?[^\s'\u2018]['\u2019](?![^\W_])  # '...', ‘...’
"""
QUOTATION_RE = re.compile(QUOTATION, re.VERBOSE)
# What a quotation stands for where a headline is cut at whitespace first (``compiled``): a private
# use character, which the tokenisers read as a quotation too, so both readings agree.
QUOTATION_STANDIN = "\ue000"


def _tokeniser(quotation: str) -> re.Pattern[str]:
    return re.compile(
        rf"""
        (?P<quote>{quotation})
        |(?P<acronym>(?:[^\W\d_]\.){{2,}})                  # U.S., G.M. (house style: dots in acronyms)
        |(?P<num>\d+(?:[.,:]\d+)*[^\W_]*)                  # 21, 5,000, 1970s, 10m, 3rd
        |(?P<word>[^\W\d_]+(?:['\u2019][^\W\d_]+)*)        # words, with inner apostrophes
        |(?P<brk>[?!,:;|()\[\]]|\.(?=\s|$)|(?<=\s)[-\u2013\u2014](?=\s))   # clause breaks (not quotes)
        """,
        re.VERBOSE,
    )


# The tokeniser for each value of ``FeatureConfig.quotations``: without quotations the quote group
# never matches, and quotation marks separate nothing.
TOKENISERS = (_tokeniser("(?!)"), _tokeniser(f"{QUOTATION}|{QUOTATION_STANDIN}"))
# The quotations tokeniser for a headline whose quotations are stand-ins already
# (:func:`quotations_marked`): a mark left over opened no quotation there, and must not pair now.
STANDIN_TOKENISER = _tokeniser(QUOTATION_STANDIN)

# "'s" stays part of these words (contractions that matter: "here's", "what's"); on any other word it
# is a possessive and is dropped, so "Putin's" is the (unknown) name "putin".
CONTRACTION_BASES = frozenset(
    "here what it that there who he she let how where why when everyone everybody nobody "
    "someone somebody something nothing everything this today".split()
)

# Never allowed into the vocabulary: names of the corpus's own sources.
PUBLISHERS = frozenset(
    "buzzfeed upworthy viralnova scoopwhoop thatscoop viralstories wikinews nyt guardian hindu "
    "reuters ap bbc cnn huffpost".split()
)

# Gendered words and their one neutral form (pairs that BuzzFeed-style lists and hard news use unevenly).
_GENDER_PAIRS = """
he she|he's she's|he'll she'll|he'd she'd|his her|him her|his hers|himself herself|man woman|men women
boy girl|boys girls|guy gal|father mother|fathers mothers|dad mom|dads moms|dad mum|dads mums
husband wife|husbands wives|son daughter|sons daughters|brother sister|brothers sisters
boyfriend girlfriend|boyfriends girlfriends|male female|males females|uncle aunt|nephew niece
grandfather grandmother|grandpa grandma|king queen|prince princess|actor actress|actors actresses
groom bride|gentlemen ladies|mr mrs|mr ms
"""
GENDER_NEUTRAL: dict[str, str] = {}
for _pair in _GENDER_PAIRS.replace("\n", "|").split("|"):
    if _pair.strip():
        _masculine, _feminine = _pair.split()
        _neutral = (
            GENDER_NEUTRAL.get(_masculine) or GENDER_NEUTRAL.get(_feminine) or f"{_masculine}/{_feminine}"
        )
        GENDER_NEUTRAL[_masculine] = GENDER_NEUTRAL[_feminine] = _neutral

# Never in the word list: who a story is about is not a sign of clickbait.
IDENTITY_TERMS = frozenset(
    """
    gay gays lesbian lesbians queer trans transgender bisexual lgbt lgbtq lgbtqia homosexual
    black blacks white whites asian asians latino latinos latina latinas latinx hispanic hispanics
    muslim muslims islamic jewish jew jews christian christians hindu hindus sikh sikhs buddhist
    buddhists arab arabs african africans immigrant immigrants refugee refugees disabled
    """.split()
)


def neutral(word: str) -> str:
    """The gender-neutral form of a normalised word (the word itself if it has none)."""
    return GENDER_NEUTRAL.get(word, word)


def _neutral_set(words: str) -> frozenset[str]:
    return frozenset(neutral(word) for word in words.split())


# Function words the proper-noun detector must never drop (they can be capitalised for other reasons).
KEEP_WORDS = _neutral_set(
    "i i'm i've i'll i'd me my mine myself we we're we've we'll our ours us you you're you've you'll "
    "your yours yourself he he's his him she she's her hers it it's its they they're their them "
    "this these that those here here's there what what's which who whom whose why how when where "
    "is are was were be been do does did can could will would should may might must not no yes "
    "the a an and or but if of in on at to for from by with about as into over after before"
)

SECOND_PERSON = frozenset("you you're you've you'll you'd your yours yourself yourselves ya y'all".split())
FIRST_PERSON = frozenset("i i'm i've i'll i'd me my myself we we're we've we'll our".split())
FORWARD_REFERENCE = frozenset("this these here here's".split())
# A headline that opens on a pronoun hides who it is about ("She opened the door and...").
PRONOUN_OPENERS = _neutral_set("he she they it his her their")
# "this week" is news; "this photo" is a forward reference.
TIME_NOUNS = frozenset(
    "year years week weeks weekend month months season summer winter spring autumn fall morning "
    "afternoon evening night time term quarter decade century".split()
)
HYPERBOLE = frozenset(
    """
    amazing shocking shocked unbelievable incredible incredibly literally absolutely totally insane
    insanely epic stunning stunned stuns adorable hilarious hilariously awesome perfect perfectly ever
    best worst greatest craziest weirdest cutest funniest strangest ultimate seriously actually
    basically truly really so omg wtf wow mind-blowing jaw-dropping genius brilliant ridiculous
    ridiculously unreal magical legendary iconic extremely completely definitely
    """.split()
)
EMOTION = frozenset(
    """
    cry crying cried tears heartbreaking heartwarming heartbroken cute weird scary terrifying creepy
    love loved loves hate hates sad happy emotional beautiful gorgeous awkward embarrassing
    surprised stunned melt melts hearts wholesome furious angry obsessed obsession adorable thirsty
    relatable cringe feels nostalgia nostalgic
    """.split()
)
# Words that promise a reveal without giving it (the "curiosity gap").
CURIOSITY = frozenset(
    """
    secret secrets truth mystery mysterious strange bizarre odd unexpected surprise surprising
    surprisingly hidden reveal reveals revealed reason reasons trick tricks hack hacks nobody
    everyone everybody everything finally
    """.split()
)
QUESTION_OPENERS = frozenset(
    "what how why who which where when is are was were do does did can could would should will "
    "have has".split()
)
IMPERATIVE_OPENERS = frozenset(
    """
    watch see meet look try take guess know read find check get make stop forget don't never pay
    wait listen learn discover remember imagine prepare behold say ask let's just tell answer pick
    choose vote tell admit
    """.split()
)
# Multi-word teasers, matched as consecutive tokens inside a clause.
TEASER_PHRASES: tuple[tuple[str, ...], ...] = tuple(
    tuple(p.split())
    for p in (
        "will make you",
        "will leave you",
        "won't believe",
        "what happened",
        "what happens",
        "need to know",
        "you need",
        "find out",
        "know the",
        "the reason",
        "the real reason",
        "this is what",
        "this is why",
        "this is how",
        "here's what",
        "here's why",
        "here's how",
        "will blow",
        "can't stop",
        "the truth",
        "you'll never",
        "never knew",
        "didn't know",
        "no one",
        "the internet",
        "goes viral",
        "is everything",
        "for real",
        "you should",
        "you can",
        "can you",
        "are you",
        "do you",
        "which one",
        "people are",
        "everyone is",
        "wait until",
        "wait till",
        "all the",
        "of all time",
        "says it all",
        "you think",
        "what you",
        "know why",
        "know what",
        "know how",
        "see what",
        "see why",
        "see how",
        "here is",
        "here are",
        "these are",
        "and then",
    )
)
# Closed-class words (and a few light verbs) kept verbatim in the sentence-shape features; every
# other word is reduced to its suffix class, so shapes describe syntax, never topic.
FUNCTION_WORDS = _neutral_set(
    """
    a an the this that these those some any every each all both either neither no none one another
    other such what which who whom whose why how when where whatever whoever i i'm i've i'll i'd me
    my mine myself we we're we've we'll our ours us you you're you've you'll you'd your yours
    yourself yourselves he he's him his himself she she's her hers herself it it's its itself they
    they're they've they'll their theirs them themselves here here's there there's what's that's
    who's let's is are was were be been being am do does did done doing have has had having can
    could will would shall should may might must not never don't doesn't didn't isn't aren't
    wasn't weren't won't wouldn't can't couldn't shouldn't haven't hasn't hadn't and or but nor so
    yet if then than because while although though unless until as of in on at to for from by with
    about into onto over under after before between through during without within against among
    up down out off around near across behind beyond along toward towards upon via per like just
    only even also still really very too more most less least much many few lot lots ever again
    already now today tonight soon always often sometimes actually literally totally get gets got
    make makes made go goes going went take takes took see sees saw know knows knew think thinks
    look looks
    """
)
SUFFIX_CLASSES = ("ing", "ed", "est", "ly", "er", "s")
CUES = (
    "list_number",
    "pronoun_opener",
    "question",
    "second_person",
    "first_person",
    "forward_reference",
    "hyperbole",
    "emotion",
    "curiosity",
    "imperative",
    "teaser",
)

CUE_NAMES = frozenset(CUE_PREFIX + cue for cue in CUES)

Token = tuple[str, int, int]  # normalised form, start, end (code points in the raw headline)


@remembered(MEMO_MAX_WORD, scale=WORD_MEMO_SCALE)
def normalise_word(raw: str) -> str:
    """Case-folded, NFKC, straight apostrophe, gender-neutral; a possessive ``'s`` is dropped."""
    word = unicodedata.normalize("NFKC", raw).casefold().replace("\u2019", "'")
    if word.endswith("'s") and word[:-2] not in CONTRACTION_BASES:
        word = word[:-2]
    return GENDER_NEUTRAL.get(word, word)


def unwrapped(headline: str) -> str:
    """The headline without quotation marks around the whole of it (blanks in their place, so
    spans stay as they were): a headline that is one quotation is judged by its own words."""
    stripped = headline.strip()
    whole = QUOTATION_RE.match(stripped)
    if not whole or whole.end() != len(stripped):
        return headline
    start = headline.index(stripped[0])
    end = start + len(stripped) - 1
    return f"{headline[:start]} {headline[start + 1 : end]} {headline[end + 1 :]}"


def quotations_marked(headline: str) -> str:
    """The headline with each quotation replaced by ``QUOTATION_STANDIN``, for a reader that cuts
    at whitespace before it tokenises (a quotation may hold blanks): ``STANDIN_TOKENISER`` reads
    the result as the quotations tokeniser reads the headline (an opening mark never stands inside
    another token, so both find the same quotations). Only quotation marks open one, hence the
    quick test."""
    if '"' in headline or "'" in headline or "\u2018" in headline or "\u201c" in headline:
        return QUOTATION_RE.sub(QUOTATION_STANDIN, unwrapped(headline))
    return headline


def clauses(headline: str, quotations: int = 0) -> list[list[Token]]:
    """Split a headline into clauses of normalised tokens (punctuation only separates clauses);
    ``quotations`` is ``FeatureConfig.quotations``."""
    result: list[list[Token]] = []
    current: list[Token] = []
    for match in TOKENISERS[quotations].finditer(unwrapped(headline) if quotations else headline):
        kind = match.lastgroup
        start, end = match.span()
        if kind == "word":
            current.append((normalise_word(match.group()), start, end))
        elif kind == "num":
            current.append((NUM, start, end))
        elif kind == "acronym":
            current.append((match.group().replace(".", "").casefold(), start, end))
        elif kind == "quote":
            current.append((QUOTE, start, end))
        elif current:  # a clause break
            result.append(current)
            current = []
    if current:
        result.append(current)
    return result


def words_of(headline: str, quotations: int = 0) -> list[str]:
    """The normalised word tokens of a headline, in order (numbers as ``<num>``, quotations as
    ``<q>`` when ``quotations`` is on)."""
    return [tok for clause in clauses(headline, quotations) for tok, _, _ in clause]


@remembered(MEMO_MAX_WORD, scale=WORD_MEMO_SCALE)
def shape(word: str) -> str:
    """A word's sentence-shape form: function words as themselves, others as ``_`` plus suffix."""
    if word in FUNCTION_WORDS or word == NUM:
        return word
    for suffix in SUFFIX_CLASSES:
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return "_" + suffix
    return "_"


TEASERS_BY_FIRST: dict[str, tuple[tuple[str, ...], ...]] = {
    first: tuple(p for p in TEASER_PHRASES if p[0] == first) for first in {p[0] for p in TEASER_PHRASES}
}


def _cues(headline: str, parts: list[list[Token]]) -> list[tuple[str, int, int]]:
    """Each hand-written cue that fires, once, with the span of its first trigger, in ``CUES`` order."""
    found: dict[str, tuple[int, int]] = {}
    if parts:
        first, f_start, f_end = parts[0][0]
        if first == NUM:
            digits = headline[f_start:f_end]
            # "21 Things", not "2009 was" or "1,100 evacuated". isdecimal(), not isdigit(): "8²"
            # passes isdigit() and int() refuses it; three digits at most keeps int() cheap.
            if digits.isdecimal() and len(digits) <= 3 and int(digits) <= 200:
                found["list_number"] = (f_start, f_end)
        elif first in PRONOUN_OPENERS:
            found["pronoun_opener"] = (f_start, f_end)
    for clause in parts:
        opener, o_start, o_end = clause[0]
        if opener in QUESTION_OPENERS and len(clause) > 1:
            found.setdefault("question", (o_start, o_end))
        if opener in IMPERATIVE_OPENERS:
            found.setdefault("imperative", (o_start, o_end))
        forms = [tok for tok, _, _ in clause]
        for i, (tok, start, end) in enumerate(clause):
            if tok in SECOND_PERSON:
                found.setdefault("second_person", (start, end))
            elif tok in FIRST_PERSON:
                found.setdefault("first_person", (start, end))
            elif tok in FORWARD_REFERENCE:
                following = forms[i + 1] if i + 1 < len(forms) else ""
                if following not in TIME_NOUNS:
                    found.setdefault("forward_reference", (start, end))
            if tok in HYPERBOLE:
                found.setdefault("hyperbole", (start, end))
            if tok in EMOTION:
                found.setdefault("emotion", (start, end))
            if tok in CURIOSITY:
                found.setdefault("curiosity", (start, end))
            phrases = TEASERS_BY_FIRST.get(tok)
            if phrases and "teaser" not in found:
                for phrase in phrases:
                    n = len(phrase)
                    if tuple(forms[i : i + n]) == phrase:
                        found["teaser"] = (start, clause[i + n - 1][2])
                        break
    return [(CUE_PREFIX + cue, *found[cue]) for cue in CUES if cue in found]


@dataclass(frozen=True)
class FeatureConfig:
    """How headlines become features; stored in the model file so runtime and training agree."""

    ngram_max: int = 2  # word n-grams 1..ngram_max inside a clause
    shape_min: int = 3  # sentence-shape n-grams shape_min..shape_max (0 disables them)
    shape_max: int = 4
    cue_scale: float = 5.0  # value of a cue feature before normalisation (a weaker prior on cues)
    char_min: int = 3  # character n-grams char_min..char_max of known words (0 disables them)
    char_max: int = 5
    char_value: float = 0.2  # value of one character n-gram occurrence (outside the normalisation)
    stat_value: float = 0.5  # value of a headline statistic bin (outside the normalisation; 0 disables)
    stat_min_words: int = 4  # shorter headlines get no statistics (the corpus has almost none to learn from)
    quotations: int = 1  # each quotation is one token, QUOTE (see QUOTATION); 0 in model files from before it

    def to_dict(self) -> dict[str, float]:
        """All fields but those added later at their off value (``LATER_FIELDS``), so that an
        older model file loads and is rebuilt byte for byte."""
        return {
            name: value
            for name, value in asdict(self).items()
            if not (name in LATER_FIELDS and value == LATER_FIELDS[name])
        }

    @classmethod
    def from_dict(cls, data: dict[str, float]) -> FeatureConfig:
        kinds = {f.name: f.type for f in fields(cls)}
        data = {**LATER_FIELDS, **data}
        if set(data) != set(kinds):
            raise ValueError(f"feature configuration needs exactly {sorted(kinds)}, got {sorted(data)}")
        return cls(**{name: (int if kinds[name] == "int" else float)(value) for name, value in data.items()})


# Fields added to FeatureConfig after model files were written, with the value that reads as before.
LATER_FIELDS: dict[str, float] = {"quotations": 0}


@dataclass(frozen=True)
class HeadlineFeatures:
    """What the model scores in one headline, grouped by how each group is valued.

    ``plain`` and ``cues`` are distinct names, L2-normalised together; ``known_words`` lists every
    occurrence of a word-list word (each adds its character n-grams, ``char_value`` apiece);
    ``stats`` are the statistic bins (``stat_value`` each); ``tokens`` are all normalised tokens
    in order (the word-vector channel averages over those it has a score for).
    """

    plain: set[str]
    cues: set[str]
    known_words: list[str]
    stats: list[str]
    tokens: list[str]


def extract(
    headline: str, vocabulary: Container[str], config: FeatureConfig = FeatureConfig()
) -> list[tuple[str, int, int]]:
    """All features of ``headline`` as ``(name, start, end)``, in a fixed order; duplicates possible.

    ``vocabulary`` is the set of words the model knows: any other word becomes ``<w>``, which is
    never a feature by itself and joins a word n-gram only next to a known word (and not at a
    clause edge). Feature names: a word or ``"w1 w2"`` for word n-grams, ``"shape:..."`` for
    sentence shapes, ``"cue:..."`` for the hand-written cues, ``"char:..."`` for the character
    n-grams of known words (one entry per occurrence, spanning its word) and ``"stat:..."`` for the
    statistic bins (spanning the whole headline).
    """
    parts = clauses(headline, config.quotations)
    out = _word_and_shape_features(parts, vocabulary, config)
    out.extend(_cues(headline, parts))
    for clause in parts:
        for token, start, end in clause:
            if token in vocabulary:
                out.extend((name, start, end) for name in char_ngrams(token, config.char_min, config.char_max))
    # The statistics describe the headline as written: quoted words count in its length.
    stat_parts = clauses(headline) if config.quotations else parts
    out.extend((name, 0, len(headline)) for name in stat_bins(stat_parts, vocabulary, config))
    return out


def _word_and_shape_features(
    parts: list[list[Token]], vocabulary: Container[str], config: FeatureConfig
) -> list[tuple[str, int, int]]:
    out: list[tuple[str, int, int]] = []
    append = out.append
    for clause in parts:
        clause_start, clause_end = clause[0][1], clause[-1][2]
        forms = [CLAUSE_START]
        starts = [clause_start]
        ends = [clause_start]
        shapes = [CLAUSE_START]
        for tok, start, end in clause:
            if tok == NUM or tok in vocabulary:
                forms.append(tok)
                append((tok, start, end))
            else:
                forms.append(UNKNOWN)
            starts.append(start)
            ends.append(end)
            shapes.append(shape(tok))
        forms.append(CLAUSE_END)
        starts.append(clause_end)
        ends.append(clause_end)
        shapes.append(CLAUSE_END)
        size = len(forms)
        for i in range(size - 1):  # bigrams, the common case, without the general test below
            left, right = forms[i], forms[i + 1]
            if left == UNKNOWN:
                if right in _NOT_WORDS:
                    continue
            elif right == UNKNOWN:
                if left in _NOT_WORDS:
                    continue
            elif left == CLAUSE_START and right == CLAUSE_END:
                continue
            append((left + " " + right, starts[i], ends[i + 1]))
        for n in range(3, config.ngram_max + 1):
            for i in range(size - n + 1):
                gram = forms[i : i + n]
                known = n - sum(1 for f in gram if f in _NOT_WORDS)
                if known == 0 or (
                    UNKNOWN in gram and (known < n - 1 or gram[0] == CLAUSE_START or gram[-1] == CLAUSE_END)
                ):
                    continue
                append((" ".join(gram), starts[i], ends[i + n - 1]))
        if config.shape_min:
            content = [s[0] == "_" for s in shapes]
            for n in range(config.shape_min, config.shape_max + 1):
                for i in range(size - n + 1):
                    if all(content[i : i + n]):
                        continue  # nothing but content words: no syntax left to describe
                    append((SHAPE_PREFIX + " ".join(shapes[i : i + n]), starts[i], ends[i + n - 1]))
    return out


@remembered(MEMO_MAX_WORD, scale=WORD_MEMO_SCALE)
def char_ngrams(word: str, smallest: int, largest: int) -> tuple[str, ...]:
    """The character n-grams of a word between ``<`` and ``>`` (word edges), repeats kept."""
    if not smallest:
        return ()
    marked = f"<{word}>"
    return tuple(
        CHAR_PREFIX + marked[i : i + n]
        for n in range(smallest, largest + 1)
        for i in range(len(marked) - n + 1)
    )


def stat_bins(parts: list[list[Token]], vocabulary: Container[str], config: FeatureConfig) -> list[str]:
    """One-hot bins of the headline statistics: none when ``stat_value`` is 0, and none for a headline
    under ``stat_min_words`` words, whose bins the corpus (0.4 % of it under four words) cannot
    teach; a one-word title like "copydesk" would otherwise be judged by its length alone."""
    return _stat_bins([token for clause in parts for token, _, _ in clause], len(parts), vocabulary, config)


def _stat_bins(tokens: list[str], clause_count: int, vocabulary: Container[str], config: FeatureConfig) -> list[str]:
    if not config.stat_value or len(tokens) < config.stat_min_words:
        return []
    size = len(tokens)
    lettered = [token for token in tokens if token != NUM]
    mean_length = sum(map(len, lettered)) / len(lettered) if lettered else 0.0
    function_share = sum(1 for token in tokens if token in FUNCTION_WORDS) / size
    unknown_share = sum(1 for token in lettered if token not in vocabulary) / size
    return [
        f"{STAT_PREFIX}words={min(size, 16)}",
        f"{STAT_PREFIX}word_length={min(int(mean_length * 2), 16)}",  # half-letter steps
        f"{STAT_PREFIX}function_share={int(function_share * 8)}",  # eighths
        f"{STAT_PREFIX}unknown_share={int(unknown_share * 8)}",
        f"{STAT_PREFIX}clauses={min(clause_count, 4)}",
    ]


_NOT_WORDS = frozenset((UNKNOWN, CLAUSE_START, CLAUSE_END))

# Words that describe how a headline is built rather than what it is about: function words and the
# cue lists. A word n-gram made only of these (and placeholders) is a form feature.
FORM_WORDS = (
    FUNCTION_WORDS
    | SECOND_PERSON
    | FIRST_PERSON
    | FORWARD_REFERENCE
    | HYPERBOLE
    | EMOTION
    | CURIOSITY
    | QUESTION_OPENERS
    | IMPERATIVE_OPENERS
    | {NUM}
)


def is_form_feature(name: str) -> bool:
    """Whether a feature describes the headline's form (cue, shape, function/cue-word n-gram), not its topic.

    Character n-grams and statistics are neither quoted nor counted here; a word n-gram is form
    only when every token is a form word or a placeholder and at least one is a real word.
    """
    if name.startswith((CUE_PREFIX, SHAPE_PREFIX)):
        return True
    if name.startswith((CHAR_PREFIX, STAT_PREFIX)):
        return False
    tokens = name.split(" ")
    words = [token for token in tokens if token not in _NOT_WORDS]
    return bool(words) and all(token in FORM_WORDS for token in words)


def vectorise(
    headline: str, vocabulary: Container[str], config: FeatureConfig = FeatureConfig()
) -> dict[str, float]:
    """Every feature of the headline with its value (what the model multiplies by its weights).

    Word n-grams, shapes and cues are present or absent (value 1, or ``cue_scale`` for a cue),
    L2-normalised over everything the headline produced, not only over features the model has
    weights for, so pruning zero weights from the model file never changes a score. Character
    n-grams count their occurrences (``char_value`` each) and statistic bins are worth
    ``stat_value``: both stay outside the normalisation, so a long headline does not dilute them.
    """
    found = features_of(headline, vocabulary, config)
    plain_value, cue_value = feature_values(len(found.plain), len(found.cues), config)
    values = dict.fromkeys(found.plain, plain_value)
    values.update(dict.fromkeys(found.cues, cue_value))
    for word in found.known_words:
        for name in char_ngrams(word, config.char_min, config.char_max):
            values[name] = values.get(name, 0.0) + config.char_value
    values.update(dict.fromkeys(found.stats, config.stat_value))
    return values


def features_of(
    headline: str, vocabulary: Container[str], config: FeatureConfig = FeatureConfig()
) -> HeadlineFeatures:
    """The headline's features, grouped as :class:`HeadlineFeatures` (what :func:`vectorise` builds on).

    The same names as :func:`extract` makes (a test holds them equal over many headlines), built
    without the character spans that only explanations need. The service scores from tables folded
    out of these definitions (``compiled``), tested equal to them.
    """
    parts, first_number = _token_clauses(headline, config.quotations)
    tokens = [token for clause in parts for token in clause]
    known = [token for token in tokens if token in vocabulary]
    plain = _plain_names(parts, vocabulary, config)
    cues = _cue_names(first_number, parts)
    if config.quotations:  # the statistics read the headline as written, as in ``extract``
        stat_parts = _token_clauses(headline, 0)[0]
        stats = _stat_bins([token for clause in stat_parts for token in clause], len(stat_parts), vocabulary, config)
    else:
        stats = _stat_bins(tokens, len(parts), vocabulary, config)
    return HeadlineFeatures(plain, cues, known, stats, tokens)


def _token_clauses(headline: str, quotations: int) -> tuple[list[list[str]], str]:
    """:func:`clauses` without spans, and the text of the headline's first token if it is a number."""
    result: list[list[str]] = []
    current: list[str] = []
    first_number = ""
    seen_token = False
    for quote, acronym, number, word, _ in TOKENISERS[quotations].findall(
        unwrapped(headline) if quotations else headline
    ):
        if word:
            current.append(normalise_word(word))
        elif quote:
            current.append(QUOTE)
        elif number:
            if not seen_token:
                first_number = number
            current.append(NUM)
        elif acronym:
            current.append(acronym.replace(".", "").casefold())
        else:  # a clause break
            if current:
                result.append(current)
                current = []
            continue
        seen_token = True
    if current:
        result.append(current)
    return result, first_number


def _plain_names(parts: list[list[str]], vocabulary: Container[str], config: FeatureConfig) -> set[str]:
    """The names of :func:`_word_and_shape_features`, as a set and without spans."""
    names: set[str] = set()
    add = names.add
    not_words = _NOT_WORDS
    shape_min, shape_max = config.shape_min, config.shape_max
    for clause in parts:
        forms = [CLAUSE_START]
        for tok in clause:
            if tok == NUM or tok in vocabulary:
                forms.append(tok)
                add(tok)
            else:
                forms.append(UNKNOWN)
        forms.append(CLAUSE_END)
        size = len(forms)
        left = CLAUSE_START
        for right in forms[1:]:
            if left == UNKNOWN:
                if right not in not_words:
                    add(left + " " + right)
            elif right == UNKNOWN:
                if left not in not_words:
                    add(left + " " + right)
            elif not (left == CLAUSE_START and right == CLAUSE_END):
                add(left + " " + right)
            left = right
        for n in range(3, config.ngram_max + 1):
            for i in range(size - n + 1):
                gram = forms[i : i + n]
                known = n - sum(1 for f in gram if f in not_words)
                if known == 0 or (
                    UNKNOWN in gram and (known < n - 1 or gram[0] == CLAUSE_START or gram[-1] == CLAUSE_END)
                ):
                    continue
                add(" ".join(gram))
        if shape_min:
            shapes = [CLAUSE_START, *map(shape, clause), CLAUSE_END]
            # Position of the nearest function word (or clause edge) at or after each position: a
            # window has one when that position falls inside it.
            next_function = [size] * (size + 1)
            for i in range(size - 1, -1, -1):
                next_function[i] = i if shapes[i][0] != "_" else next_function[i + 1]
            for i in range(size - shape_min + 1):
                gram = " ".join(shapes[i : i + shape_min])
                stop = min(i + shape_max, size)
                for end in range(i + shape_min, stop + 1):
                    if end > i + shape_min:
                        gram += " " + shapes[end - 1]
                    if next_function[i] < end:
                        add(SHAPE_PREFIX + gram)
    return names


# Token -> the cues a single token fires (the teaser phrases and openers are checked apart).
TOKEN_CUES: dict[str, tuple[str, ...]] = {}
for _cue, _members in (
    ("second_person", SECOND_PERSON),
    ("first_person", FIRST_PERSON),
    ("hyperbole", HYPERBOLE),
    ("emotion", EMOTION),
    ("curiosity", CURIOSITY),
):
    for _member in _members:
        TOKEN_CUES[_member] = (*TOKEN_CUES.get(_member, ()), CUE_PREFIX + _cue)


def _cue_names(first_number: str, parts: list[list[str]]) -> set[str]:
    """The names of :func:`_cues`, as a set and without spans (one dict lookup per token)."""
    found: set[str] = set()
    if not parts:
        return found
    first = parts[0][0]
    if first == NUM:
        if first_number.isdecimal() and len(first_number) <= 3 and int(first_number) <= 200:
            found.add(CUE_PREFIX + "list_number")
    elif first in PRONOUN_OPENERS:
        found.add(CUE_PREFIX + "pronoun_opener")
    token_cues = TOKEN_CUES
    teaser = False
    for forms in parts:
        opener = forms[0]
        if opener in QUESTION_OPENERS and len(forms) > 1:
            found.add(CUE_PREFIX + "question")
        if opener in IMPERATIVE_OPENERS:
            found.add(CUE_PREFIX + "imperative")
        for i, tok in enumerate(forms):
            cues = token_cues.get(tok)
            if cues:
                found.update(cues)
            if tok in FORWARD_REFERENCE and (forms[i + 1] if i + 1 < len(forms) else "") not in TIME_NOUNS:
                found.add(CUE_PREFIX + "forward_reference")
            if not teaser:
                phrases = TEASERS_BY_FIRST.get(tok)
                if phrases:
                    for phrase in phrases:
                        if tuple(forms[i : i + len(phrase)]) == phrase:
                            teaser = True
                            found.add(CUE_PREFIX + "teaser")
                            break
    return found


def feature_values(plain: int, cues: int, config: FeatureConfig) -> tuple[float, float]:
    """Value of each present non-cue feature and of each present cue after L2 normalisation."""
    norm = math.sqrt(plain + cues * config.cue_scale * config.cue_scale)
    if not norm:
        return 0.0, 0.0
    return 1.0 / norm, config.cue_scale / norm


# Fixed headlines whose extracted features are fingerprinted into the model file, so a test can prove
# that the runtime extracts exactly what the training script extracted.
PROBE_HEADLINES = (
    "21 Things You Won't Believe Happened In 2015",
    "Here's What Happened When I Tried The Viral U.S. Diet For A Week",
    "Central bank raises interest rates by a quarter point",
    "Welcomed warmly, Putin left Jinping till the car, know the meaning after the meeting",
    'Is This The Best Burger Ever? Fans Say It\u2019s "Amazing"',
    "She opened the door \u2014 and this is what she saw...",
    "Stephen Smith Autopsy Report, What Happened With Him? How Did He Die?",
    "Obama's 1,100-page plan: 5.5% growth, says G.M.",
)


def probe_fingerprint(words: Iterable[str], config: FeatureConfig) -> str:
    """Hash of what the extractor makes of :data:`PROBE_HEADLINES` with this word list and config."""
    vocabulary = frozenset(words)
    probes = [extract(h, vocabulary, config) for h in PROBE_HEADLINES]
    return hashlib.sha256(json.dumps(probes, ensure_ascii=True).encode()).hexdigest()[:16]
