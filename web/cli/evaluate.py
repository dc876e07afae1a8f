"""The `eval` commands: measure a step of the pipeline on a labelled file."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import click

from claims.config import SEGMENT_MODES
from web.cli.shared import EXIT_DATAERR, EXIT_NOINPUT, fail

Item = TypeVar("Item")


def read_labelled(path: Path, load: Callable[[Path], Sequence[Item]], what: str) -> Sequence[Item]:
    """Read a labelled file with `load`; a missing, malformed or empty file ends the command."""
    if not path.is_file():
        fail(f"no such file: {path}", EXIT_NOINPUT)
    try:
        items = load(path)
    except (ValueError, UnicodeDecodeError) as exc:
        fail(f"{path}: {exc}", EXIT_DATAERR)
    if not items:
        fail(f"{path} has no {what}", EXIT_DATAERR)
    return items


@click.group("eval")
def evaluate() -> None:
    """Measure a step of the pipeline on a labelled JSON Lines file."""


@evaluate.command("checkworthiness")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--mode",
    type=click.Choice(SEGMENT_MODES),
    default="fast",
    show_default=True,
    help="The scorer to measure (rules: segment's rules alone, with --scorer segment).",
)
@click.option(
    "--scorer",
    type=click.Choice(["segment", "model"]),
    default="segment",
    show_default=True,
    help="What `segment` keeps (model blended with rules), or the statistical model alone.",
)
@click.option("--by-language", is_flag=True, help="Also report each language on its own.")
def eval_checkworthiness(path: Path, mode: str, scorer: str, by_language: bool) -> None:
    """Precision, recall and F1 of the check-worthy class, with the confusion matrix."""
    from claims.evaluation import evaluate_checkworthiness, format_report, load_labelled
    from claims.text.measure import DECISION_THRESHOLD, score_examples
    from claims.text.segment import statistical_model

    if scorer == "model" and mode == "rules":
        raise click.UsageError("--mode rules measures segment's rules: use --scorer segment")
    examples = read_labelled(path, load_labelled, "examples")
    if scorer == "segment":
        languages = [None if e.language == "und" else e.language for e in examples]
        report = evaluate_checkworthiness(
            examples,
            lambda _: score_examples([e.text for e in examples], languages, mode),
            threshold=DECISION_THRESHOLD,
            by_language=by_language,
        )
        click.echo(f"{path.name} (segment, {mode} mode, threshold {DECISION_THRESHOLD:g})")
    else:
        model = statistical_model(mode)
        report = evaluate_checkworthiness(
            examples, model.score, threshold=model.threshold, by_language=by_language
        )
        click.echo(f"{path.name} ({mode} model alone, threshold {model.threshold:g})")
    click.echo(format_report(report))


@evaluate.command("claim-recall")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--mode",
    type=click.Choice(SEGMENT_MODES),
    default="fast",
    show_default=True,
    help="The segment mode to measure.",
)
def eval_claim_recall(path: Path, mode: str) -> None:
    """Share of posts where `segment` keeps a claim close to the labelled one (ROUGE-L >= 0.4)."""
    from claims.text.measure import format_recall, load_posts, measure_claim_recall

    posts = read_labelled(path, load_posts, "posts")
    click.echo(f"{path.name} (segment, {mode} mode)")
    click.echo(format_recall(measure_claim_recall(posts, mode)))


@evaluate.command("duplicates")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--threshold",
    type=float,
    default=None,
    help="Word overlap for a near repeat (default: the rule's).",
)
def eval_duplicates(path: Path, threshold: float | None) -> None:
    """Precision and recall of the recurring-claim rule on labelled same/different pairs."""
    from claims.matching import NEAR_JACCARD, evaluate_pairs, load_pairs

    pairs = read_labelled(path, lambda p: load_pairs(str(p)), "pairs")
    scores = evaluate_pairs(pairs, threshold=NEAR_JACCARD if threshold is None else threshold)
    click.echo(
        f"{path.name} ({scores.pairs} pairs, near-repeat overlap {threshold or NEAR_JACCARD:g})"
    )
    click.echo(
        f"precision {scores.precision:.3f}  recall {scores.recall:.3f}  "
        f"(true {scores.true_positives}, false {scores.false_positives}, "
        f"missed {scores.false_negatives})"
    )
    for note in scores.wrong:
        click.echo(f"  matched but different: {note}")
    for note in scores.missed:
        click.echo(f"  missed: {note}")


@evaluate.command("stance")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--folds",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Cross-validate: assess each fold with a model trained on the others (0: shipped model).",
)
@click.option("--seed", type=int, default=20240601, show_default=True, help="Seed of the folds.")
def eval_stance(path: Path, folds: int, seed: int) -> None:
    """Accuracy, macro-F1 and confusion matrix of the stance step on claim/evidence pairs."""
    from claims.evaluation import evaluate_stance, format_stance_report, load_stance_pairs
    from claims.stance.measure import (
        assess_pair_details,
        cross_validated_assessments,
        format_calibration,
    )
    from claims.stance.model import load_model

    if folds == 1:
        raise click.UsageError("--folds needs at least 2 folds (or 0 for the shipped model)")
    pairs = read_labelled(path, load_stance_pairs, "pairs")
    model = load_model()
    if folds:
        assessments = cross_validated_assessments(pairs, folds, seed)
        title = f"{path.name} ({folds}-fold cross-validation by fact-check, seed {seed})"
    else:
        assessments = assess_pair_details([(p.claim, p.evidence) for p in pairs], model)
        title = f"{path.name} (shipped stance model {model.version})"
        if _sha256(path) == model.metadata.get("training_data", {}).get("sha256"):
            click.echo("note: this file trained the shipped model, so these figures are")
            click.echo("      in-sample; --folds 5 gives the held-out figures")
    report = evaluate_stance(pairs, lambda _: [str(a.stance) for a in assessments])
    click.echo(format_stance_report(report, title))
    click.echo()
    click.echo(format_calibration(pairs, assessments))


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


@evaluate.command("quantities")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--errors", is_flag=True, help="Also list the pairs each rule gets wrong.")
def eval_quantities(path: Path, errors: bool) -> None:
    """Precision and recall of comparing figures, against pairs labelled same/different."""
    from claims.evaluation import (
        evaluate_quantity_pairing,
        format_pairing_reports,
        load_quantity_pairs,
    )

    pairs = read_labelled(path, load_quantity_pairs, "pairs")
    same = sum(pair.label == "same" for pair in pairs)
    click.echo(f"{path.name} ({len(pairs)} pairs, {same} about the same thing)")
    click.echo(format_pairing_reports(evaluate_quantity_pairing(pairs), verbose=errors))
