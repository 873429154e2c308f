"""The audit log of admin actions."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from bot.store.base import Family, write_audit
from bot.store.records import AuditEntry
from bot.store.schema import audit_log


class AuditLog(Family):
    """What admins did."""

    async def record_action(
        self, admin_id: int, action: str, detail: str, now: datetime, recipients: int | None = None
    ) -> None:
        async with self.engine.begin() as conn:
            await write_audit(conn, admin_id, action, detail, now, recipients)

    async def latest_audit(self, limit: int) -> list[AuditEntry]:
        async with self.engine.connect() as conn:
            rows = (
                await conn.execute(
                    sa.select(audit_log).order_by(audit_log.c.at.desc(), audit_log.c.id.desc()).limit(limit)
                )
            ).all()
        return [AuditEntry(r.at, r.admin_id, r.action, r.detail, r.recipients) for r in rows]
