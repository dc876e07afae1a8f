"""Evidence providers: the local source library, earlier fact-checks (imported ClaimReview feeds
and the Fact Check Tools API), a reference wiki (MediaWiki) and web pages attached to a claim.

Local providers read the database; remote ones speak HTTP through `claims.evidence.http` (a
total deadline, retries with backoff, a per-host rate limit, size and content-type checks) and
their answers are cached in the database. `gather_evidence` runs a claim's providers, remote ones
concurrently, and reports which answered and which failed, and why.
"""

from claims.evidence.base import ClaimQuery, Found
from claims.evidence.runner import EvidenceConfig, Gathered, evidence_config, gather_evidence

__all__ = [
    "ClaimQuery",
    "EvidenceConfig",
    "Found",
    "Gathered",
    "evidence_config",
    "gather_evidence",
]
