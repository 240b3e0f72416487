"""The model's word list: common words of the training headlines, minus names, publishers and identity terms.

A word is in the list when it occurs in at least ``min_word_df`` training headlines and is none of:
a publisher name, an identity term (``service.headline_model.features``), or proper-noun-like. A
word is proper-noun-like when, in the training headlines written in sentence case (mostly the news
side), it is capitalised mid-headline at least ``name_min_capitalised`` times and at least
``name_ratio`` times as often as it is written in lower case; common given names and their usual
neighbours count too. Capitalisation is used only to *exclude* words here; the model never sees it.
Any word outside the list reaches the model as the placeholder ``<w>``, so names and places carry
no weight of their own.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from service.headline_model import features as ft

from .params import TrainParams

# Common given names (English-language and some international ones). On the Title Case side of the
# corpus capitals tell nothing, so these seed the name detector there: "donald" is dropped, and then
# "trump", which stands next to it in most of its occurrences, is dropped as a neighbour.
FIRST_NAMES = frozenset(
    """
    aaron abby adam adrian aidan alan albert alex alexander alexandra alice alicia allison amanda amy
    andrea andrew andy angela angelina anna anne anthony ariana arnold ashley austin barack barbara ben
    benedict benjamin bernie beth betty beyonce bill billy blake bob bobby brad bradley brandon brian
    britney brittany brooke bruce bryan caitlyn cameron carl carlos caroline carrie catherine charles
    charlie charlotte chelsea chris christian christina christine christopher cindy claire colin
    connor courtney craig cristiano daniel danielle danny dave david deborah demi denise dennis derek
    diana diane donald donna doug dwayne dylan ed eddie edward elizabeth ellen elon emily emma eric
    erin ethan eva evan frank fred gary george gordon greg gwyneth hannah harrison harry heather
    heidi helen henry hillary hugh ian isaac jack jackie jacob jake james jamie jane janet jason jay
    jeff jeffrey jennifer jenny jeremy jerry jesse jessica jim jimmy joan joe joel john johnny jon
    jonathan jordan jose joseph josh joshua julia julian julie justin kanye karen kate katherine
    katie katy keanu keith kelly ken kendall kevin khloe kim kourtney kris kristen kyle kylie larry
    laura lauren leonardo liam lily linda lindsay lisa louis lucy luke madison margaret maria mariah
    marie mario martha martin mary matt matthew megan meghan melania melissa meryl michael michelle
    miley mitt nancy natalie nathan neil nicholas nick nicole nikki noah oliver olivia oprah patrick
    paul paula peter philip rachel ralph randy rebecca richard rick rihanna rob robert robin ronald
    rose ross ruby russell ryan sam samantha samuel sandra sara sarah scott sean selena serena seth
    sharon shawn simon sophia sophie stephanie stephen steve steven susan taylor ted terry thomas tim
    timothy tina todd tom tommy tony tyler vanessa victoria vincent walter wayne william zach zac
    zayn zoe
    """.split()
)

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")


def proper_noun_like(headlines: Sequence[str], params: TrainParams) -> set[str]:
    """Words that look like names, judged from capitalisation in sentence-case headlines.

    First the words those headlines capitalise mid-headline far more often than not, and the common
    given names; then, because the clickbait side is all Title Case and says nothing by its
    capitals, the words never written in lower case there that stand next to such a name in most
    of their occurrences ("swift" after "taylor"). The model never sees capitalisation: it only
    decides what to leave out.
    """
    capitalised: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    for headline in headlines:
        words = _WORD.findall(headline)
        if len(words) < 4:
            continue
        rest = words[1:]
        if sum(w[0].isupper() for w in rest) > params.sentence_case_max_capitalised * len(rest):
            continue  # Title Case: capitals say nothing about the word
        for word in rest:
            (capitalised if word[0].isupper() else lower)[ft.normalise_word(word)] += 1
    names = {
        word
        for word, count in capitalised.items()
        if count >= params.name_min_capitalised
        and count >= params.name_ratio * lower[word]
        and word not in ft.KEEP_WORDS
    }
    # Given names, unless sentence-case headlines mostly write them in lower case ("will", "rose").
    names |= {word for word in FIRST_NAMES if lower[word] <= capitalised[word]}
    beside_name: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for headline in headlines:
        for clause in ft.clauses(headline, params.features.quotations):
            tokens = [token for token, _, _ in clause]
            for i, token in enumerate(tokens):
                total[token] += 1
                if (i and tokens[i - 1] in names) or (i + 1 < len(tokens) and tokens[i + 1] in names):
                    beside_name[token] += 1
    neighbours = {
        word
        for word, count in beside_name.items()
        if count >= params.name_min_capitalised
        and count >= params.name_neighbour_share * total[word]
        and not lower[word]
        and word not in ft.KEEP_WORDS
        and word != ft.NUM
    }
    return names | neighbours


def build_word_list(headlines: Sequence[str], params: TrainParams) -> list[str]:
    document_frequency = Counter(word for h in headlines for word in set(ft.words_of(h, params.features.quotations)))
    excluded = proper_noun_like(headlines, params) | ft.PUBLISHERS | ft.IDENTITY_TERMS | {ft.NUM, ft.QUOTE}
    return sorted(
        word for word, df in document_frequency.items() if df >= params.min_word_df and word not in excluded
    )
