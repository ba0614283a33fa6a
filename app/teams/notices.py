"""The team's outbox: notices to the brokerage's people (an invitation, a task for an agent)
are rows first, one per key, delivered by a job after the commit: e-mail over SMTP, texts
through Twilio, or the local outbox file when neither is configured."""

from __future__ import annotations

import html
import json
import logging

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import User
from app.core.db import utcnow
from app.core.runtime import Runtime
from app.core.uow import after_commit
from app.leads.models import Lead
from app.messaging.config import messaging_config
from app.messaging.senders import local_outbox_path
from app.teams import repository
from app.teams.models import NoticeChannel, StaffNotice
from integrations.email.outgoing import OutgoingEmail, make_message_id
from integrations.email.smtp import SmtpSender
from integrations.twilio.client import TwilioClient

log = logging.getLogger("brscale.teams")
DELIVER_NOTICES = "deliver_staff_notices"


async def queue_notice(
    session: AsyncSession,
    *,
    brokerage_id: int,
    user_id: int | None,
    channel: NoticeChannel,
    to: str,
    subject: str,
    body: str,
    key: str,
) -> None:
    """Queue one notice (a second with the same key is the same notice) and its delivery
    after the commit."""
    notice_id = await repository.add_notice(
        session,
        brokerage_id=brokerage_id,
        user_id=user_id,
        channel=channel,
        to=to,
        subject=subject,
        body=body,
        key=key,
        now=utcnow(),
    )
    if notice_id is None:
        return
    jobs = session.info["runtime"].jobs

    async def deliver() -> None:
        await jobs.enqueue(DELIVER_NOTICES, [notice_id], job_id=f"staff-notice:{notice_id}")

    after_commit(session, deliver)


async def send_notice(runtime: Runtime, notice: StaffNotice) -> None:
    """Deliver one notice: e-mail over SMTP, a text through Twilio, else the local outbox."""
    settings = runtime.settings
    if notice.channel is NoticeChannel.EMAIL and settings.smtp_url:
        sender = messaging_config(settings).email_from
        domain = sender.rstrip(">").rpartition("@")[2] or "localhost"
        paragraphs = "".join(
            f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in notice.body.split("\n\n")
        )
        await SmtpSender(settings.smtp_url).send(
            OutgoingEmail(
                to=notice.to_address,
                from_=sender,
                subject=notice.subject,
                text=notice.body,
                html=paragraphs,
                message_id=make_message_id(domain),
            )
        )
        return
    if (
        notice.channel is NoticeChannel.SMS
        and settings.twilio_account_sid
        and (settings.twilio_auth_token and settings.twilio_from_number)
    ):
        client = TwilioClient(
            runtime.http,
            settings.twilio_api_url,
            settings.twilio_account_sid,
            settings.twilio_auth_token,
            settings.twilio_from_number,
        )
        await client.send(notice.to_address, notice.body)
        return
    record = {
        "at": utcnow().isoformat(),
        "brokerage_id": notice.brokerage_id,
        "staff_notice_id": notice.id,
        "user_id": notice.user_id,
        "channel": notice.channel.value,
        "to": notice.to_address,
        "subject": notice.subject,
        "body": notice.body,
    }
    with local_outbox_path(runtime).open("a", encoding="utf-8") as file:
        file.write(json.dumps(record, ensure_ascii=False) + "\n")


async def notify_assignee(
    session: AsyncSession,
    task_id: int,
    lead: Lead,
    title: str,
    summary: str,
    *,
    key: str | None = None,
) -> None:
    """Tell the lead's agent about a new task: by e-mail, and by SMS when they gave a number.
    A lead nobody is assigned to has its tasks in the dashboard only."""
    if lead.assignee_id is None:
        return
    agent = await session.get(User, lead.assignee_id)
    if agent is None:
        return
    runtime = session.info["runtime"]
    link = f"{runtime.settings.public_url.rstrip('/')}/app/today"
    body = f"{title}\n\n{summary}\n\n{link}".strip()
    notice_key = f"task:{key or task_id}"
    await queue_notice(
        session,
        brokerage_id=lead.brokerage_id,
        user_id=agent.id,
        channel=NoticeChannel.EMAIL,
        to=agent.email,
        subject=title[:300],
        body=body,
        key=f"{notice_key}:email",
    )
    if agent.phone:
        await queue_notice(
            session,
            brokerage_id=lead.brokerage_id,
            user_id=agent.id,
            channel=NoticeChannel.SMS,
            to=agent.phone,
            subject="",
            body=f"BR SCALE: {title}"[:300],
            key=f"{notice_key}:sms",
        )
