"""The stored history a rule may consult, read from the database."""

from __future__ import annotations

from sqlalchemy import or_
from sqlmodel import Session, select

from watcher.store.models import Observation


class StoredHistory:
    """History backed by the observations table of one session."""

    def __init__(self, session: Session):
        self.session = session

    def guidance_before(self, observation: Observation) -> list[Observation]:
        earlier = or_(
            Observation.published_at < observation.published_at,
            (Observation.published_at == observation.published_at)
            & (Observation.id < observation.id),
        )
        query = (
            select(Observation)
            .where(
                Observation.kind == "guidance",
                Observation.company == observation.company,
                Observation.metric == observation.metric,
                Observation.period == observation.period,
                Observation.currency == observation.currency,
                Observation.document_id != observation.document_id,
                earlier,
            )
            .order_by(Observation.published_at.desc(), Observation.id.desc())
        )
        return list(self.session.exec(query))
