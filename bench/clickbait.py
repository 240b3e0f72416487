"""Clickbait model evaluation: in domain by case form, out of domain, a naive Bayes baseline, speed.

    python -m bench.clickbait --corpus DIR --ood DIR [--model PATH] [--report PATH] [--other-seeds ...]

One run prints, and writes as one Markdown report (``bench/results/clickbait.md``):

* the held-out part of the training corpus under each case form (as written, lower, Title, sentence);
* the two out-of-domain sets in ``--ood`` (``reddit.tsv.gz``, ``news-sites.tsv.gz``: validation
  only, never trained on), with precision/recall by threshold, Brier score and a reliability table;
* the same figures for a naive Bayes on word unigrams and bigrams trained in the same run on the
  same training part (the baseline the model must beat);
* the model's size, load time and throughput on one core, each next to a baseline measured in the
  same run (load against gunzip + JSON parse of the same file, throughput against lower() + split()
  of the same headlines), because absolute numbers depend on the machine.

The default threshold it reports with is the service's (``Settings.clickbait_threshold``). The
author-written sanity set below is *not* an independent test (the same person wrote the headlines
and the features); it only shows that the model is not limited to the corpus's sources and years.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from service.headline_model.model import ClickbaitModel, encode_model
from service.settings import PROJECT_ROOT, Settings
from training.clickbait.corpus import Split, load_corpus, split_corpus
from training.clickbait.evaluate import (
    REALISTIC_BASE_RATE,
    SEED_HEADLINE,
    TRANSFORMS,
    NaiveBayesBaseline,
    at_base_rate,
    load_labelled,
    metrics,
    pr_curve,
    reliability,
)
from training.clickbait.fit import DEFAULT_OUT, train_model
from training.clickbait.params import TrainParams

OOD_SETS = ("reddit", "news-sites")
CURVE_THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
TARGETS = {"reddit": 0.90, "news-sites": 0.92}  # out-of-domain ROC-AUC (issue 16)

ACCEPTANCE_CLICKBAIT = (
    SEED_HEADLINE,
    "Stephen Smith Autopsy Report, What Happened With Him? How Did He Die?",
)
ACCEPTANCE_NEWS = (
    "Xi Jinping meets Putin in Moscow for talks on Ukraine",
    "Central bank raises interest rates by a quarter point",
    "Flooding closes schools across northern England",
)

# Author-written headlines, none taken from the corpus or any publication: modern clickbait in several
# house styles (tabloid, social, SEO teaser, Indian English teaser) and plain news, including news
# about celebrities and news with questions or numbers, which a source-learning model tends to miss.
# Section headings and newspaper rubrics: plain labels, not clickbait (see the report's known weakness).
SHORT_LABELS = (
    "copydesk",
    "Benchmarks",
    "Settings",
    "Weather",
    "Obituaries",
    "Other endpoints",
    "Rule packs",
    "Match report",
    "Market wrap",
    "Election results",
    "The request",
    "The budget",
    "The economy",
    "The verdict",
    "The config file",
    "The vote count",
    "The big picture",
    "The week ahead",
    "The two commands",
    "The clickbait model",
    "The morning briefing",
    "Scoring an article",
    "Letters to the editor",
    "How the score is computed",
    "How the poll was conducted",
)

SANITY_CLICKBAIT = (
    "You won't believe what this grandmother found in her attic",
    "She opened the door and couldn't believe her eyes",
    "This simple trick will save you hundreds on your energy bill",
    "Doctors hate him: the one habit that adds years to your life",
    "What happened next left the whole neighbourhood in tears",
    "Here's why everyone is suddenly talking about this tiny town",
    "The real reason your phone battery dies so fast",
    "These photos of the royal wedding will make you smile",
    "Is this the most beautiful beach in the world?",
    "Fans are losing it over this behind-the-scenes clip",
    "Meghan's new look has everyone saying the same thing",
    "The shocking truth about what's in your breakfast cereal",
    "Watch: dog's reaction to meeting newborn baby melts hearts",
    "Nobody expected the ending of this viral wedding speech",
    "Know the reason why this star skipped the awards night",
    "Salman Khan's latest post has a hidden message, see what fans found",
    "This is what your handwriting says about you",
    "Why you should never charge your phone overnight",
    "10 signs you're smarter than you think",
    "7 foods you should never eat before bed",
    "We tried the viral pasta recipe and here's our honest verdict",
    "The internet can't decide what colour this car is",
    "Elon Musk just said something that has everyone worried",
    "Can you spot the mistake in this picture?",
    "You'll never look at bananas the same way again",
    "After 30 years, the mystery of the missing ring is finally solved",
    "Little girl asks Santa for one thing and the answer is heartbreaking",
    "Only true 90s kids will remember these snacks",
    "He quit his job to travel the world. Then this happened",
    "What this teacher did for her student will restore your faith in humanity",
    "Airport staff reveal the secret to getting upgraded",
    "Everything you thought you knew about coffee is wrong",
    "The one question every interviewer secretly wants you to ask",
    "This celebrity couple's wedding photos are absolutely stunning",
    "Millionaire reveals the three words that changed his life",
    "Shocking video shows what really happens inside a fast food kitchen",
    "Wait until you see what this artist does with old newspapers",
    "Mother's emotional message to her son goes viral for a heartbreaking reason",
    "Kim Kardashian just broke the internet again, and people have thoughts",
    "You need to see these incredible photos from space",
    "Priyanka's airport look is winning hearts, check out the pics",
    "Actor's shocking confession leaves fans stunned, watch video",
    "This is why your dog tilts its head when you talk",
    "The strangest things people have found in hotel rooms",
    "Unbelievable: man wins lottery twice in one week, know his secret",
    "Guess which former child star is now a billionaire",
    "Scientists just discovered something terrifying under the ocean",
    "How did she do it? Teen's genius hack stuns the internet",
    "Pay attention to this if you use WhatsApp every day",
    "Forget everything you know about weight loss",
    "Jennifer Aniston's reaction to the reunion says it all",
    "A waiter found a note on the receipt. What it said made him cry",
    "This famous singer's daughter is all grown up and looks just like her",
    "What really happened to the cast of your favourite sitcom",
    "Before you book your next holiday, read this",
    "Here are the best memes about Monday mornings",
    "People are only just realising what the button on their car key does",
    "This 5-minute morning routine could change your life",
    "Michael Jordan autopsy rumours: what happened? Is he okay?",
    "The reason behind this viral photo will surprise you",
    "Trump just tweeted something about Obama and people are not happy",
    "Hillary Clinton's new book has one surprising chapter",
    "The Dow just did something it hasn't done in 30 years",
    "Justin Bieber's new haircut is getting a lot of attention",
    "Netflix's new show is the only thing anyone is talking about",
    "Apple's next iPhone could have a feature nobody saw coming",
    "Kellyanne Conway had a very strange answer to a simple question",
    "Paul Ryan's awkward moment at the press conference is going viral",
    "The internet is obsessed with this senator's reaction",
    "Beyonce posted a photo and fans think they know what it means",
    "Ivanka Trump's outfit at the summit has people talking",
    "What Melania wore to the state dinner says a lot",
    "Chrissy Teigen had the perfect response to a troll",
    "The Oscars had a moment nobody will forget",
    "Google's new feature is kind of creepy",
    "A Fox News host said what everyone was thinking",
    "One senator's speech is being called the best of the year",
    "Prince Harry did something at the wedding that nobody noticed",
    "The White House press secretary's latest gaffe is a doozy",
    "Leonardo DiCaprio's girlfriend is younger than his career",
    "Starbucks is selling a new drink and it looks wild",
    "Walmart shoppers are furious about this new policy",
    "The Patriots' locker room celebration got a little out of hand",
    "Jimmy Kimmel's monologue brought the audience to tears",
    "Oprah might be running for president, and here's what that would look like",
    "The math problem that's stumping the whole internet",
    "Jeff Bezos has a weird morning habit",
    "This politician's old tweets are coming back to haunt him",
    "Lady Gaga's Super Bowl outfit had a hidden detail",
    "People can't stop sharing this photo of Obama and Biden",
    "Amazon's Alexa did something very creepy to a family in Texas",
    "Everyone is wondering the same thing after last night's debate",
    "Tom Hanks surprised a couple on their wedding day",
    "The reason Queen Elizabeth never eats shellfish",
    "Bill Gates predicts the next big thing, and it's not what you'd expect",
    "So, about that Game of Thrones finale",
    "Mark Zuckerberg's Christmas card is a little strange",
    "Ryan Reynolds trolled his wife on her birthday, again",
    "McDonald's menu is changing in a big way",
    "Elon Musk's latest idea sounds like science fiction",
)
SANITY_NEWS = (
    "Government announces new funding for rural hospitals",
    "Wildfire forces thousands to evacuate in southern Australia",
    "Parliament passes bill raising the minimum wage",
    "Oil prices fall as OPEC agrees to boost output",
    "Supreme Court to hear challenge to voting law",
    "Train strike disrupts commuters across the south-east",
    "Earthquake of magnitude 6.1 strikes off the coast of Japan",
    "Inflation eases to 3.2 percent in October",
    "Police arrest two men after armed robbery in Leeds",
    "Ministers agree deal on fishing quotas with Norway",
    "Tesla shares slide after quarterly deliveries miss forecasts",
    "Heatwave prompts health warning for elderly residents",
    "City council approves plan for new cycle lanes",
    "Thousands march in Paris against pension reform",
    "Storm leaves 40,000 homes without power in Scotland",
    "Fed holds rates steady, signals cuts later this year",
    "Hospital waiting lists reach record high, figures show",
    "Election commission sets date for state polls",
    "UN warns of famine risk in Sudan as fighting continues",
    "Ford to cut 3,000 jobs in Europe",
    "Drought hits wheat harvest in Argentina",
    "New Zealand votes to tighten gun laws",
    "Teachers' union accepts revised pay offer",
    "Court jails former mayor for corruption",
    "Amazon opens new distribution centre near Manchester",
    "Apple unveils new iPhone with larger battery",
    "Scientists map genome of ancient wheat variety",
    "Bridge collapse kills six in northern Italy",
    "Kenya and Ethiopia sign border trade agreement",
    "Housing starts rise for third straight month",
    "Former president testifies before Senate committee",
    "Rescue teams search for missing climbers on Mont Blanc",
    "Bank of England keeps interest rates unchanged",
    "Mumbai rains disrupt local train services",
    "Germany's economy shrinks in second quarter",
    "Health officials confirm measles outbreak in county schools",
    "Police investigate fire at historic church",
    "Airline cancels flights after IT system failure",
    "Prime minister reshuffles cabinet after resignation",
    "Protesters clash with police in Nairobi over tax bill",
    "Volcano erupts in Iceland, flights unaffected",
    "Coal plant closure leaves 500 workers facing redundancy",
    "Study links air pollution to higher risk of dementia",
    "Manchester United sack manager after poor run",
    "Serena Williams announces retirement from tennis",
    "NASA delays launch of lunar mission to next year",
    "Farmers protest against new environmental rules in Brussels",
    "Regulator fines bank over money laundering failures",
    "Ceasefire talks resume in Cairo",
    "Water company fined for sewage spills",
    "Will the Fed cut rates in March? Economists are divided",
    "Why the euro fell against the dollar this week",
    "What the new tax rules mean for small businesses",
    "Five killed as bus plunges into river in Nepal",
    "Ten things announced in the autumn budget",
    "Taylor Swift concert brings record crowds to Sydney",
    "Man charged with murder after stabbing in Glasgow",
    "Pakistan and India hold talks on water sharing",
    "Schools in Delhi shut as air quality worsens",
    "Microsoft agrees to buy gaming company for $2 billion",
    "Taylor Swift wins album of the year at the Grammys",
    "Justin Bieber cancels remainder of world tour",
    "Beyonce and Jay-Z announce joint stadium tour",
    "Netflix raises subscription prices in the United States",
    "Apple reports record quarterly revenue on iPhone sales",
    "Trump signs executive order on border security",
    "Senate confirms new Supreme Court justice",
    "Clinton campaign releases medical records",
    "Prince Harry and Meghan Markle announce engagement",
    "Oscars: Moonlight wins best picture after envelope mix-up",
    "Google fined 2.4 billion euros by EU regulators",
    "Amazon to buy Whole Foods for $13.7 billion",
    "Starbucks to close stores for racial bias training",
    "Walmart raises starting wage for hourly workers",
    "Patriots beat Falcons in overtime to win Super Bowl",
    "Leonardo DiCaprio meets Pope Francis to discuss climate change",
    "Tom Hanks to receive lifetime achievement award",
    "Queen Elizabeth opens new session of parliament",
    "Bill Gates pledges $100 million for dementia research",
    "Facebook removes accounts linked to Russian agency",
    "Kim Jong Un and Moon Jae-in meet at border",
    "Uber chief executive resigns after investor pressure",
    "Lady Gaga cancels European dates over health issue",
    "Obama library plans approved by Chicago council",
    "Macron wins French presidential election",
    "Theresa May calls snap general election",
    "Hurricane Harvey floods Houston, thousands rescued",
    "Equifax says data breach affected 143 million customers",
    "Jimmy Kimmel to host Oscars for second year",
    "Mark Zuckerberg testifies before Congress on data privacy",
    "Tesla misses Model 3 production target",
    "Disney agrees to buy Fox film and TV assets",
    "Paris agreement: US to withdraw, Trump announces",
    "Ryan Reynolds film tops weekend box office",
    "McDonald's to switch to cage-free eggs",
    "Elon Musk's SpaceX launches Falcon Heavy rocket",
    "Why the Fed is expected to raise rates this week",
    "What we know about the Las Vegas shooting suspect",
    "How the tax bill would affect middle-class families",
    "Five things to watch in the French election",
)


def other_splits(
    clickbait: Sequence[str],
    news: Sequence[str],
    seeds: Sequence[int],
    params: TrainParams | None = None,
    threshold: float = 0.5,
) -> dict[int, dict[str, float]]:
    """Held-out metrics (as written) of models retrained on other random splits of the same corpus.

    One split can flatter a model; the unseen test sets are other samples, so the report shows how
    much the figures move when the split changes.
    """
    params = params or TrainParams()
    results = {}
    for seed in seeds:
        split = split_corpus(clickbait, news, replace(params, seed=seed))
        model = ClickbaitModel.from_bytes(encode_model(train_model(split.train, split.train_labels, params)))
        results[seed] = metrics(split.test_labels, model.probabilities(split.test), threshold)
    return results


def _median_seconds(action: Callable[[], object], rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def measure(
    model_path: Path, headlines: Sequence[str], rounds: int = 5, others: Sequence[str] = ()
) -> dict[str, float]:
    """Size, load time and batch throughput of the model file, each with its same-run baseline.

    Throughput is measured three ways: the batch again and again (every word cached), the first
    pass of a freshly loaded model (nothing cached), and, the figure the target is read on, one
    pass over the batch after a freshly loaded model has scored ``others`` (headlines from other
    sources): a running service has seen many headlines, but not these.

    Runs pinned to one CPU (where the OS allows it), so "one core" is literal; the load average
    before and after goes into the report, because other work on the machine slows both the
    measure and its baseline (the ratio moves less than the absolute figure).
    """
    data = model_path.read_bytes()
    headlines = list(headlines)
    pinned = hasattr(os, "sched_setaffinity")
    if pinned:
        cpus = os.sched_getaffinity(0)
        os.sched_setaffinity(0, {min(cpus)})
    load_before = os.getloadavg()[0]
    try:
        load = _median_seconds(lambda: ClickbaitModel.from_file(model_path), rounds)
        parse = _median_seconds(lambda: json.loads(gzip.decompress(model_path.read_bytes())), rounds)
        model = ClickbaitModel.from_file(model_path)
        first = _median_seconds(lambda: model.probabilities(headlines), 1)  # its chunk cache starts empty
        warmed = ClickbaitModel.from_file(model_path)
        warmed.probabilities(list(others))
        unseen = _median_seconds(lambda: warmed.probabilities(headlines), 1)
        scoring = _median_seconds(lambda: model.probabilities(headlines), rounds)
        splitting = _median_seconds(lambda: [h.lower().split() for h in headlines], rounds)
    finally:
        if pinned:
            os.sched_setaffinity(0, cpus)
    return {
        "load_average": (load_before + os.getloadavg()[0]) / 2,
        "cpus": os.cpu_count() or 0,
        "file_bytes": len(data),
        "json_bytes": len(gzip.decompress(data)),
        "load_seconds": load,
        "parse_seconds": parse,
        "headlines": len(headlines),
        "score_seconds": scoring,
        "first_pass_seconds": first,
        "unseen_seconds": unseen,
        "others": len(others),
        "unseen_per_second": len(headlines) / unseen,
        "split_seconds": splitting,
        "headlines_per_second": len(headlines) / scoring,
    }


def definition_parity(model: ClickbaitModel, sets: dict[str, Sequence[str]]) -> dict[str, float]:
    """Per set, the largest difference between the probabilities the service computes (the compiled
    scorer) and those of the score's definition (``ClickbaitModel.decision_by_definition``): the fast
    path must not change what the model predicts."""

    def by_definition(headline: str) -> float:
        z = model.slope * model.decision_by_definition(headline) + model.offset
        return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))

    differences = {}
    for name, headlines in sets.items():
        fast = model.probabilities(headlines)
        differences[name] = max((abs(p - by_definition(h)) for h, p in zip(headlines, fast, strict=True)), default=0.0)
    return differences


def sanity_scores(model: ClickbaitModel, threshold: float) -> dict[str, Any]:
    """AUC and F1 on the author-written set, plus the probabilities of the acceptance examples."""
    from sklearn.metrics import f1_score, roc_auc_score

    texts = list(SANITY_CLICKBAIT) + list(SANITY_NEWS)
    labels = [1] * len(SANITY_CLICKBAIT) + [0] * len(SANITY_NEWS)
    probabilities = model.probabilities(texts)
    predicted = [int(p >= threshold) for p in probabilities]
    return {
        "n": len(texts),
        "roc_auc": float(roc_auc_score(labels, probabilities)),
        "f1": float(f1_score(labels, predicted)),
        "accuracy": sum(p == y for p, y in zip(predicted, labels, strict=True)) / len(texts),
        "acceptance": [
            (text, expected, model.probability(text))
            for expected, group in (("clickbait", ACCEPTANCE_CLICKBAIT), ("not clickbait", ACCEPTANCE_NEWS))
            for text in group
        ],
    }




def matched_threshold(model: ClickbaitModel, threshold: float, set_rate: float) -> float:
    """The threshold that applies the service's decision rule to a set whose share of clickbait is known.

    The model's probabilities are calibrated for ``base_rate`` (a quarter); on a set with another
    share, the same rule ("at or above ``threshold`` once calibrated for this copy") moves the
    log-odds cut by the difference of the two priors' log-odds. For the half-and-half held-out part
    and the default 0.5 this is 0.25, which is the corpus-calibrated 0.5.
    """
    base_rate = float(model.training.get("params", {}).get("base_rate", 0.5))
    cut = math.log(threshold / (1 - threshold)) + _logit(base_rate) - _logit(set_rate)
    return 1.0 / (1.0 + math.exp(-cut))


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def evaluate_all(
    model: ClickbaitModel, threshold: float, split: Split, ood: dict[str, tuple[list[str], list[int]]]
) -> dict[str, Any]:
    """Every quality figure of the report, for the model and the naive Bayes baseline."""
    baseline = NaiveBayesBaseline.fit(split.train, split.train_labels)
    scorers: dict[str, Any] = {"model": model, "naive Bayes": baseline}
    thresholds = {"model": threshold, "naive Bayes": baseline.threshold}
    results: dict[str, Any] = {"in_domain": {}, "ood": {}, "curves": {}, "reliability": {}, "ood_at_own_rate": {}}
    for name, scorer in scorers.items():
        results["in_domain"][name] = {
            form: metrics(split.test_labels, scorer.probabilities([change(h) for h in split.test]), thresholds[name])
            for form, change in TRANSFORMS.items()
        }
        for set_name, (headlines, labels) in ood.items():
            probabilities = scorer.probabilities(headlines)
            row = metrics(labels, probabilities, thresholds[name])
            row["realistic"] = at_base_rate(labels, probabilities, thresholds[name], REALISTIC_BASE_RATE)
            results["ood"].setdefault(set_name, {})[name] = row
            if name == "model":
                results["curves"][set_name] = pr_curve(labels, probabilities, CURVE_THRESHOLDS)
                results["reliability"][set_name] = reliability(labels, probabilities)
                own = matched_threshold(model, threshold, sum(labels) / len(labels))
                results["ood_at_own_rate"][set_name] = {"threshold": own, **metrics(labels, probabilities, own)}
    held_out = model.probabilities(split.test)
    # The same decision rule at the held-out part's own share of clickbait (one half).
    half = matched_threshold(model, threshold, sum(split.test_labels) / len(split.test_labels))
    results["in_domain_at_own_rate"] = {
        form: {"threshold": half, **metrics(split.test_labels, model.probabilities([*map(change, split.test)]), half)}
        for form, change in TRANSFORMS.items()
    }
    results["reliability"] = {"held-out": reliability(split.test_labels, held_out), **results["reliability"]}
    return results


def _row(label: str, row: dict[str, float]) -> str:
    keys = ("accuracy", "precision", "recall", "f1", "roc_auc", "brier")
    return f"| {label} | " + " | ".join(f"{row[k]:.4f}" if k in row else "" for k in keys) + " |"


METRIC_HEADER = [
    "| | accuracy | precision | recall | F1 | ROC-AUC | Brier |",
    "| --- | --- | --- | --- | --- | --- | --- |",
]


def targets(
    results: dict[str, Any], perf: dict[str, float], threshold: float, base_rate: float
) -> list[tuple[str, str, str, bool]]:
    """(target, required, measured, met) for every acceptance figure of issue 16."""
    rows = []
    for set_name, target in TARGETS.items():
        ours, nb = results["ood"][set_name]["model"], results["ood"][set_name]["naive Bayes"]
        rows.append((f"{set_name}: ROC-AUC", f">= {target:.2f}", f"{ours['roc_auc']:.4f}", ours["roc_auc"] >= target))
        rows.append(
            (
                f"{set_name}: ROC-AUC above naive Bayes",
                f"> {nb['roc_auc']:.4f}",
                f"{ours['roc_auc']:.4f} ({ours['roc_auc'] - nb['roc_auc']:+.4f})",
                ours["roc_auc"] > nb["roc_auc"],
            )
        )
        rows.append(
            (
                f"{set_name}: F1 at the default threshold ({threshold}, calibrated for {base_rate:.0%} clickbait)",
                ">= 0.80",
                f"{ours['f1']:.4f}",
                ours["f1"] >= 0.80,
            )
        )
        own = results["ood_at_own_rate"][set_name]
        rows.append(
            (
                f"{set_name}: F1, the same rule at the set's own share of clickbait (threshold {own['threshold']:.3f})",
                ">= 0.80",
                f"{own['f1']:.4f}",
                own["f1"] >= 0.80,
            )
        )
    forms = results["in_domain"]["model"]
    f1 = min(row["f1"] for row in forms.values())
    auc = min(row["roc_auc"] for row in forms.values())
    at_own = results["in_domain_at_own_rate"]
    f1_half = min(row["f1"] for row in at_own.values())
    half = next(iter(at_own.values()))["threshold"]
    rows += [
        (
            f"held-out F1, worst case form, the default rule at the set's own 50 % share (threshold {half:.3f})",
            ">= 0.975",
            f"{f1_half:.4f}",
            f1_half >= 0.975,
        ),
        (
            f"held-out F1, worst case form, default threshold ({threshold}, calibrated for {base_rate:.0%})",
            ">= 0.975",
            f"{f1:.4f}",
            f1 >= 0.975,
        ),
        ("held-out ROC-AUC, worst case form", ">= 0.995", f"{auc:.4f}", auc >= 0.995),
        ("model file", "<= 5 MB", f"{perf['file_bytes'] / 1e6:.2f} MB", perf["file_bytes"] <= 5e6),
        ("load time", "<= 1 s", f"{perf['load_seconds']:.3f} s", perf["load_seconds"] <= 1.0),
        (
            "throughput, one core (held-out headlines, after others were scored)",
            ">= 10,000 headlines/s",
            f"{perf['unseen_per_second']:,.0f} headlines/s",
            perf["unseen_per_second"] >= 10_000,
        ),
    ]
    return rows


def render(
    *,
    model: ClickbaitModel,
    model_path: Path,
    threshold: float,
    results: dict[str, Any],
    perf: dict[str, float],
    split: Split,
    command: str,
    other: dict[int, dict[str, float]],
    parity: dict[str, float],
) -> str:
    """The Markdown report."""
    params = model.training.get("params", {})
    features = params.get("features", {})
    sanity = sanity_scores(model, threshold)
    lines = [
        "# Clickbait headline model",
        "",
        "Reproduce (from the repository root, dev dependencies installed; the first command rebuilds "
        "the shipped model byte for byte on the same CPU and library versions, the second writes "
        "this report and prints every figure in it):",
        "",
        "```",
        "python -m training.clickbait.fit --corpus /work/shared/data/clickbait",
        command,
        "```",
        "",
        f"Model `{model_path.name}` version `{model.version}`, corpus digest "
        f"`{model.training.get('corpus_sha256_16', '?')}` ({model.training.get('corpus_headlines', '?')} "
        f"headlines), split seed {params.get('seed')}: {len(split.train):,} training headlines, "
        f"{len(split.test):,} held out (stratified; never used for training, word list or calibration). "
        f"Default threshold {threshold} (`COPYDESK_CLICKBAIT_THRESHOLD`). The out-of-domain sets are "
        "validation only: nothing in the model was fitted on them.",
        "",
        "## Targets (issue 16)",
        "",
        "| target | required | measured | met |",
        "| --- | --- | --- | --- |",
        *(
            f"| {n} | {r} | {m} | {'yes' if ok else '**no**'} |"
            for n, r, m, ok in targets(results, perf, threshold, float(params.get("base_rate", 0.5)))
        ),
        "",
        "## Held-out part of the corpus, by case form",
        "",
        f"Model at the default threshold ({threshold}) and, marked *own share*, the same rule at the set's "
        "own half-and-half share (see \"What the default threshold means\"); naive Bayes at 0.5.",
        "",
        *METRIC_HEADER,
    ]
    for name, forms in results["in_domain"].items():
        lines += [_row(f"{'**model**' if name == 'model' else name}, {form}", row) for form, row in forms.items()]
        if name == "model":
            lines += [
                _row(f"**model**, {form}, own share ({row['threshold']:.3f})", row)
                for form, row in results["in_domain_at_own_rate"].items()
            ]
    lines += [
        "",
        f"## Out of domain (model: the default threshold {threshold}, and *own share*; naive Bayes: 0.5)",
        "",
        *METRIC_HEADER,
    ]
    for set_name, rows in results["ood"].items():
        lines += [_row(f"{'**model**' if name == 'model' else name}, {set_name}", row) for name, row in rows.items()]
        own = results["ood_at_own_rate"][set_name]
        own_row = _row(f"**model**, {set_name}, own share ({own['threshold']:.3f})", own)
        lines.insert(len(lines) - len(rows) + 1, own_row)  # right after the model's row
    lines += [
        "",
        f"At a base rate of {REALISTIC_BASE_RATE:.0%} clickbait (each set re-weighted to it; see below), the "
        "model's precision at the default threshold would be "
        + " and ".join(
            f"{results['ood'][s]['model']['realistic']['precision']:.3f} on {s}" for s in results["ood"]
        )
        + ".",
        "",
        "## Precision and recall by threshold (out of domain)",
        "",
        "As the sets are (about half clickbait), and re-weighted to a realistic base rate "
        f"({REALISTIC_BASE_RATE:.0%}): recall and the false-positive rate do not change with the base "
        "rate, precision does.",
        "",
    ]
    for set_name, curve in results["curves"].items():
        lines += [
            f"**{set_name}**",
            "",
            "| threshold | precision | recall | F1 | false-positive rate | precision at "
            f"{REALISTIC_BASE_RATE:.0%} | F1 at {REALISTIC_BASE_RATE:.0%} |",
            "| --- | --- | --- | --- | --- | --- | --- |",
            *(
                f"| {r['threshold']:.1f} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} | "
                f"{r['false_positive_rate']:.3f} | {r['realistic_precision']:.3f} | {r['realistic_f1']:.3f} |"
                for r in curve
            ),
            "",
        ]
    lines += [
        THRESHOLD_NOTE,
        "",
        "## Calibration",
        "",
        "The probabilities are calibrated for a quarter clickbait; these sets are about half, so on them "
        "the observed share in each bin is expected to sit above the mean prediction (at a predicted "
        "0.25 a half-and-half set should show 0.5). Out of domain the departures beyond that are the "
        "model's own.",
        "",
    ]
    for set_name, table in results["reliability"].items():
        brier = (
            results["in_domain"]["model"]["as written"]["brier"]
            if set_name == "held-out"
            else results["ood"][set_name]["model"]["brier"]
        )
        lines += [
            f"**{set_name}** (Brier score {brier:.4f})",
            "",
            "| probability bin | headlines | mean predicted | observed clickbait share |",
            "| --- | --- | --- | --- |",
            *(f"| {r['bin']} | {r['n']} | {r['predicted']:.3f} | {r['observed']:.3f} |" for r in table),
            "",
        ]
    if other:
        lines += [
            "## Other random splits",
            "",
            "The same training run on other seeded splits of the corpus (retrained each time, as written):",
            "",
            *METRIC_HEADER,
            *(_row(f"seed {seed}", row) for seed, row in other.items()),
            "",
        ]
    lines += [
        "## Explanations, acceptance examples and author-written sanity set",
        "",
        "The strongest cues the service shows (form cues only: see `explain` in "
        "`service/headline_model/model.py`):",
        "",
        "| headline | expected | probability | strongest cues |",
        "| --- | --- | --- | --- |",
        *(
            f"| {text} | {expected} | {p:.3f} | "
            + ", ".join(f"'{t['term']}' {t['weight']:+.2f}" for t in model.explain(text, 5))
            + " |"
            for text, expected, p in sanity["acceptance"]
        ),
        "",
        f"Sanity set ({sanity['n']} headlines written for this project, half clickbait; not independent): "
        f"ROC-AUC {sanity['roc_auc']:.3f}, F1 {sanity['f1']:.3f}, accuracy {sanity['accuracy']:.3f}.",
        "",
        "## Size, load time, throughput (one core, medians, against same-run baselines)",
        "",
        f"Measured pinned to one CPU, with a one-minute load average of {perf['load_average']:.1f} on "
        f"{perf['cpus']} CPUs (other work on the machine slows the figures and their baselines alike).",
        "",
        "| measure | value | baseline | ratio |",
        "| --- | --- | --- | --- |",
        f"| model file | {perf['file_bytes'] / 1e6:.2f} MB gzipped ({perf['json_bytes'] / 1e6:.2f} MB JSON) "
        f"| limit 5 MB | {perf['file_bytes'] / 5e6:.2f} of limit |",
        f"| load | {perf['load_seconds'] * 1000:.0f} ms | gunzip + JSON parse of the same file: "
        f"{perf['parse_seconds'] * 1000:.0f} ms | {perf['load_seconds'] / perf['parse_seconds']:.2f}x |",
        f"| batch scoring, {perf['headlines']:,} held-out headlines | "
        f"{perf['headlines_per_second']:,.0f} headlines/s | lower() + split() of the same headlines: "
        f"{perf['headlines'] / perf['split_seconds']:,.0f} headlines/s | "
        f"{perf['score_seconds'] / perf['split_seconds']:.0f}x the time |",
        f"| the same, first pass of a freshly loaded model (its chunk cache empty) | "
        f"{perf['headlines'] / perf['first_pass_seconds']:,.0f} headlines/s | the same | "
        f"{perf['first_pass_seconds'] / perf['split_seconds']:.0f}x the time |",
        f"| the same, one pass by a fresh model that first scored the {perf['others']:,} out-of-domain "
        f"headlines (the target's figure) | {perf['unseen_per_second']:,.0f} headlines/s | the same | "
        f"{perf['unseen_seconds'] / perf['split_seconds']:.0f}x the time |",
        "",
        "The scoring path (`service/headline_model/compiled.py`) works from tables folded at load time: each "
        "whitespace-separated chunk of a headline is tokenised once and cached (bounded, and each word "
        "likewise) with what its tokens add on their own (character n-gram, word-vector and unigram "
        "weights, cues, statistics counts), and "
        "bigrams and sentence shapes are slices of per-clause code strings looked up in re-keyed weight "
        "tables, so no feature name is built while scoring (the previous path's report: 66x the time of the "
        "same baseline, 3,434 headlines/s at a load average of 3.3). It changes no prediction: its "
        "probabilities differ from those of the score's definition "
        "(`ClickbaitModel.decision_by_definition`, the feature values times the weights) by at most "
        + ", ".join(f"{diff:.1e} on {name}" for name, diff in parity.items())
        + " (required: within 1e-9).",
        "",
        "## What the model looks at",
        "",
        f"NB-LR (Wang & Manning 2012; alpha {params.get('nb_alpha')}, L2 logistic regression C={params.get('C')}) "
        f"plus a naive-Bayes channel (weight {params.get('nb_channel')}, alpha {params.get('nb_channel_alpha')}) "
        "on the presence of the same word n-grams, shapes and cues, Platt-scaled on "
        f"{params.get('calibration_folds')}-fold out-of-fold scores. {len(model.weights):,} linear and "
        f"{len(model.presence_weights):,} presence weights over {len(model.words):,} known words. Features "
        "(`service/headline_model/features.py`): case-folded word 1-2-grams inside clauses, names and "
        "publisher names and identity terms outside the word list"
        + ("; a quotation one token, as a name is" if features.get("quotations") else "")
        + "; sentence-shape 3-4-grams; hand-written "
        f"form cues (value {features.get('cue_scale')}); character {features.get('char_min')}-"
        f"{features.get('char_max')}-grams of known words; headline statistics (length, word length, "
        "function-word share, unknown-word share, clauses; quoted words count) for headlines of "
        f"{features.get('stat_min_words')} words or more. "
        + (
            f"A word-vector channel (weight {params.get('word_vectors')}, its own L2 logistic regression, "
            f"C={params.get('word_vectors_C')}) on the mean of distilled all-MiniLM-L6-v2 word vectors "
            f"(`training/clickbait/embed.py`), folded into {len(model.word_scores):,} word scores."
            if model.word_scores
            else "No word-vector channel."
        )
        + f" Probabilities calibrated for a base rate of {float(params.get('base_rate', 0.5)):.0%} clickbait.",
        "",
        EXPERIMENTS_NOTE,
        "",
        "## Known weakness: short section labels",
        "",
        "Plain labels of one to five words (section headings and rubrics, none of them clickbait):",
        "",
        "| label | probability |",
        "| --- | --- |",
        *(f"| {label} | {model.probability(label):.2f} |" for label in SHORT_LABELS),
        "",
        f"{sum(model.probability(label) >= threshold for label in SHORT_LABELS)} of {len(SHORT_LABELS)} are "
        "at or over the default threshold. The service does not score body lines under four words.",
        "",
    ]
    return "\n".join(lines)


THRESHOLD_NOTE = f"""## What "the default threshold" means

The model is fitted on a corpus that is half clickbait; a newsroom's copy is mostly not. We take
{REALISTIC_BASE_RATE:.0%} as a realistic upper base rate: Potthast et al. (ECIR 2016) judged 767 of 2,992 tweets
(26 %) from the 20 most-retweeted US news publishers to be clickbait, and wire and regional copy
have less. Since v4 the training script moves the Platt offset by the log prior odds, from the
corpus's one half to that quarter (`TrainParams.base_rate`), so **the probability the service
reports is calibrated for copy that is a quarter clickbait**, and the default
`COPYDESK_CLICKBAIT_THRESHOLD` is 0.5: "more likely clickbait than not" in such copy. (This is the
same decision as v3's 0.75 on corpus-calibrated probabilities; the number changed, the rule did not.)
It comes from that arithmetic, not from a search over the validation sets.

Every set here is about half clickbait, not a quarter, so each figure is given two ways:

* **at the default threshold** (0.5 as shipped): what a newsroom gets without configuring
  anything, measured on sets with twice the base rate it was set for, so recall is lower than it
  would be on the copy it is meant for;
* **the same rule at the set's own share of clickbait**: the prior moved to the set's known share
  (0.5 for the held-out part, which makes the threshold 0.25 on the shipped probabilities, i.e.
  0.5 on corpus-calibrated ones). This is the fair reading of the in-domain F1 target, which was
  set for a half-and-half set; it uses only the set's share of clickbait, nothing fitted.

A per-request override (`clickbait_threshold` on `/v1/score`, `threshold` on `/v1/clickbait`) lets
a desk flag more teasers (lower) or fewer (higher)."""

EXPERIMENTS_NOTE = """## What was tried for v4 and v5 (out-of-domain ROC-AUC: reddit / news-sites)

Same split, same validation sets (never trained on). Reproduce a row with
`python -m training.clickbait.experiments.variants --corpus ... --ood ... word_vectors=0.5,1,2`
(the project's dev environment) or, for the encoder rows,
`HF_HUB_OFFLINE=1 .cache/embed-venv/bin/python -m training.clickbait.experiments.teacher --corpus ... --ood ...`
(the encoder environment of `training/clickbait/requirements-embed.txt`), or, for the reweighting row,
`python -m training.clickbait.experiments.debias --corpus ... --ood ... 0.5 1 2`. AUC differences under
about 0.006 on reddit (3,387 headlines) and 0.004 on news-sites are within one standard error.

| change | reddit | news-sites | held-out ROC-AUC / F1 at the default | kept |
| --- | --- | --- | --- | --- |
| v3 (before this round) | 0.8514 | 0.8761 | 0.9975 / 0.9743 | base |
| word vectors as 64 more columns of the same NB-LR (value 1, 4, 16) | 0.851 / 0.851 / 0.851 | \
0.877 / 0.878 / 0.878 | 0.9976-0.9978 | no: the n-grams take all the weight (code replaced; not \
reproducible from the committed scripts) |
| word-vector channel, own LR, weight 0.5 | 0.8537 | 0.8765 | 0.9975 / 0.9746 | - |
| **word-vector channel, own LR, weight 1** | **0.8552** | **0.8765** | **0.9974 / 0.9735** | **yes (v4)** |
| word-vector channel, own LR, weight 2 | 0.8560 | 0.8756 | 0.9970 / 0.9726 | no: in-domain falls, news-sites too |
| the full encoder on each whole headline + LR, C 0.1 / 1 / 10 (the teacher; cannot run in the \
service) | 0.856 / 0.867 / 0.868 | 0.825 / 0.844 / 0.854 | 0.9905-0.9937 / - | no: below the model \
on news-sites, and its ceiling on reddit (0.868) is far from 0.90, so distilling it was not pursued |
| the distilled word vectors alone, mean per headline + LR, C 0.1 / 1 / 10 | 0.815 / 0.820 / 0.819 \
| 0.831 / 0.839 / 0.840 | 0.971-0.979 / - | as a channel only |
| domain-adversarial feature selection | - | - | - | not tried: the corpus files carry no \
per-headline source, so "weight that differs between sources" cannot be measured without guessing \
the sources |
| after v4: topic-debiased reweighting (Clark et al. 2019; Utama et al. 2020): each training headline \
counted (1 - p)^s times, p = a content-words-only model's out-of-fold probability of its label; s 0.5 / 1 / 2 \
| 0.8540 / 0.8486 / 0.8298 | 0.8790 / 0.8809 / 0.8816 | 0.9974 / 0.9746, 0.9969 / 0.9730, 0.9947 / 0.9612 \
| no: news-sites gains at most +0.005 (about one standard error) while reddit and the held-out part fall |
| after v4: a quotation read as one token, as a name is read, and counted as one word in the statistics \
too | 0.8551 | 0.8755 | 0.9974 / 0.9745 | no: the seed headline falls to 0.496, under the default \
threshold (below; not reproducible from the committed scripts, which count quoted words) |
| **the same, with the statistics counting the quotation's words (`features.quotations=1`)** | **0.8579** \
| **0.8754** | **0.9974 / 0.9744** | **yes (v5)** |

The distilled word vectors carry what the encoder knows about single words (41,317 words: the
corpus's training words and the 40,000 most frequent English words, without names, publishers and
identity terms). Added as a channel they move reddit by +0.004, within noise, and leave news-sites
where it was. The word-vector channel is kept because it is the only part of the model that
reaches words the corpus never used, which is what the independent out-of-domain checks probe, and
it costs about 0.3 MB and one dictionary lookup per word.

After v4, reweighting the training headlines against what topic alone gives away (the row above)
was the one new idea tried: the stronger the reweighting, the more news-sites gains (+0.005 at
most, about one standard error) and the more reddit and the held-out part lose, so nothing moved
beyond noise and the shipped model is unchanged.

News headlines that quote someone ("Gates on Tillerson and Russia: 'You can be friendly without
being friends'") scored as clickbait when the quotation says "you", "we" or "I": v4 read those
words as the headline addressing its reader, and the corpus cannot teach otherwise (578 of its
14,409 news headlines quote, 9 of them with such a word). v5 reads each quotation as one token, as
it reads a name, for the word n-grams, shapes, cues and word vectors. Of the news headlines that
quote in the out-of-domain sets, it flags 16 of 247 (news-sites) and 29 of 202 (reddit) at the
default threshold, where v4 flagged 45 and 37; ROC-AUC moves +0.003 on reddit and -0.001 on
news-sites (within noise), F1 at the default rises on both, and the held-out ROC-AUC stays.
Read as one word in the statistics as well, a quotation made long clickbait headlines with quoted
titles look short, the weight of the longer length bins fell, and the seed headline with it (to
0.496); counting the quotation's words there keeps the statistics about the headline as written.
Over four splits (`seed=2016,1,2,3 features.quotations=0,1` with the variants command) reddit
gains on every split (+0.002 to +0.003), news-sites loses 0.001 to 0.002, the quoting news flagged
on news-sites fall from 44-47 to 13-16, and the seed headline stays above its split's v4 figure
less 0.05 (0.536 on the shipped split, 0.431 to 0.698 over the four; v4: 0.465 to 0.722): which
side of 0.5 it falls on depends on the split more than on the model.

Round 1 (v3), for the record: TF-IDF word and character models, stronger regularisation, dropping
feature groups, form-only features, wordfreq bins and naive Bayes on raw words all landed between
0.79 and 0.86 on reddit; the naive-Bayes channel on the model's own n-grams (kept) gave +0.006.
The sets' labels follow the publisher (HuffPost hard news counts as clickbait; long
multi-sentence Reddit posts as news), which caps what headline form can tell."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.clickbait", description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="folder of the training corpus")
    parser.add_argument("--ood", type=Path, required=True, help="folder with reddit.tsv.gz and news-sites.tsv.gz")
    parser.add_argument("--model", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--report", type=Path, default=PROJECT_ROOT / "bench" / "results" / "clickbait.md")
    parser.add_argument(
        "--other-seeds", type=int, nargs="*", default=[], help="also retrain on the splits made with these seeds"
    )
    args = parser.parse_args(argv)

    model = ClickbaitModel.from_file(args.model)
    threshold = Settings.load(environ={}).clickbait_threshold
    clickbait, news = load_corpus(args.corpus)
    split = split_corpus(clickbait, news)
    ood = {name: load_labelled(args.ood / f"{name}.tsv.gz") for name in OOD_SETS}
    results = evaluate_all(model, threshold, split, ood)
    perf = measure(args.model, split.test, others=[h for name in OOD_SETS for h in ood[name][0]])
    parity = definition_parity(model, {"held-out": split.test, **{name: ood[name][0] for name in OOD_SETS}})
    command = f"python -m bench.clickbait --corpus {args.corpus} --ood {args.ood}"
    if args.model != DEFAULT_OUT:
        command += f" --model {args.model}"
    if args.other_seeds:
        command += " --other-seeds " + " ".join(map(str, args.other_seeds))
    other = other_splits(clickbait, news, args.other_seeds, threshold=threshold)
    text = render(
        model=model, model_path=args.model, threshold=threshold, results=results, perf=perf, split=split,
        command=command, other=other, parity=parity,
    )
    print("\n".join(line for line in text.splitlines() if line.startswith("|") or line.startswith("**")))
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(text, encoding="utf-8")
    print(f"wrote {args.report}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
