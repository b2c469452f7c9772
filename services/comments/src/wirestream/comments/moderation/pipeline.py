"""The moderation pipeline every comment passes through."""

from __future__ import annotations

from .config import ModerationConfig
from .messages import decide
from .model import STATUS_FOR_OUTCOME, CommentCandidate, ModerationResult, Outcome, Step
from .scorer import Scorer
from .steps import SYNC_STEPS, check_premoderation, check_scorer

__all__ = ["moderate"]


async def moderate(
    candidate: CommentCandidate, *, config: ModerationConfig, scorer: Scorer | None = None
) -> ModerationResult:
    """Run every step over ``candidate`` and combine their decisions.

    The status is the most severe outcome: any reject gives ``rejected``,
    otherwise any hold gives ``pending``, otherwise ``approved``. Every step's
    decision is kept, in order, to explain the status. The external scorer is
    the only step with I/O; it is skipped (and recorded as skipped) when an
    earlier step already rejected the comment, so refused text is not sent
    to a third party for nothing.
    """
    decisions = [step(candidate, config) for step in SYNC_STEPS]
    if any(d.outcome is Outcome.REJECT for d in decisions):
        decisions.append(decide(Step.SCORER, Outcome.ACCEPT, "scorer-skipped"))
    else:
        decisions.append(await check_scorer(candidate, scorer))
    decisions.append(check_premoderation(candidate, config))
    worst = max((d.outcome for d in decisions), key=lambda outcome: outcome.severity)
    return ModerationResult(status=STATUS_FOR_OUTCOME[worst], decisions=decisions)
