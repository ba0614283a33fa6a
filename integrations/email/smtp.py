"""Sending over SMTP with aiosmtplib from an `SMTP_URL` (smtp://, smtps://, STARTTLS when
offered)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import aiosmtplib

from integrations.email.outgoing import OutgoingEmail, build_mime
from integrations.messaging import DeliveryUnknown, PermanentFailure, TransientFailure


@dataclass(frozen=True)
class SmtpSettings:
    hostname: str
    port: int
    username: str | None
    password: str | None
    use_tls: bool


def parse_smtp_url(smtp_url: str) -> SmtpSettings:
    """`smtp://user:pass@host:587` (STARTTLS if offered) or `smtps://...:465` (implicit TLS)."""
    parts = urlsplit(smtp_url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("SMTP_URL must look like smtp://user:pass@host:port or smtps://...")
    use_tls = parts.scheme == "smtps"
    return SmtpSettings(
        hostname=parts.hostname,
        port=parts.port or (465 if use_tls else 587),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        use_tls=use_tls,
    )


def _failure(code: int, message: str) -> TransientFailure | PermanentFailure:
    kind = TransientFailure if 400 <= code < 500 else PermanentFailure
    return kind(f"SMTP {code}: {message}", code=code)


class SmtpSender:
    def __init__(self, smtp_url: str, *, timeout: float = 30.0) -> None:
        self.settings = parse_smtp_url(smtp_url)
        self._timeout = timeout

    async def send(self, email: OutgoingEmail) -> str:
        """Deliver `email` to the SMTP server; return its Message-ID or raise a DeliveryError."""
        s = self.settings
        client = aiosmtplib.SMTP(
            hostname=s.hostname,
            port=s.port,
            username=s.username,
            password=s.password,
            use_tls=s.use_tls,
            start_tls=None if not s.use_tls else False,
            timeout=self._timeout,
        )
        try:
            await client.connect()
        except aiosmtplib.SMTPAuthenticationError as exc:
            raise PermanentFailure(f"SMTP login refused: {exc.message}", code=exc.code) from exc
        except aiosmtplib.SMTPResponseException as exc:
            raise _failure(exc.code, exc.message) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise TransientFailure(f"could not reach the SMTP server: {exc!r}") from exc
        try:
            await client.send_message(build_mime(email))
        except aiosmtplib.SMTPRecipientsRefused as exc:
            first = exc.recipients[0]
            raise _failure(first.code, first.message) from exc
        except aiosmtplib.SMTPResponseException as exc:
            raise _failure(exc.code, exc.message) from exc
        except (aiosmtplib.SMTPTimeoutError, aiosmtplib.SMTPServerDisconnected, OSError) as exc:
            # The server may have queued the message before the line dropped.
            raise DeliveryUnknown(f"no answer from the SMTP server: {exc!r}") from exc
        finally:
            if client.is_connected:
                try:
                    await client.quit()
                except (aiosmtplib.SMTPException, OSError):
                    client.close()
        return email.message_id
