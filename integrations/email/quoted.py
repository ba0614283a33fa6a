"""Cut quoted history and signatures from an email reply (English and Spanish mail clients)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# "On Mon, Jan 5, 2026 at 10:02 AM Ana <ana@x.org> wrote:" (Gmail, Apple Mail; may wrap) and
# "El lun, 5 ene 2026 a las 10:02, Ana (<ana@x.org>) escribió:".
_ATTRIBUTION_START = re.compile(r"^\s*(on|el)\s", re.IGNORECASE)
_ATTRIBUTION = re.compile(r"^\s*(on\s.*\swrote|el\s.*\sescribi[oó])\s*:\s*$", re.IGNORECASE)
_SEPARATOR = re.compile(
    r"^\s*(-{2,}\s*(original message|mensaje original|forwarded message|mensaje reenviado)"
    r"\s*-{2,}|_{10,})\s*$",
    re.IGNORECASE,
)
# Outlook's header block: "From:/De:" followed closely by "Sent:/Enviado:/Date:/Fecha:...".
_HEADER_FROM = re.compile(r"^\s*\*?(from|de)\s*:", re.IGNORECASE)
_HEADER_NEXT = re.compile(
    r"^\s*\*?(sent|date|to|subject|enviado(\s+el)?|fecha|para|asunto)\s*:", re.IGNORECASE
)
_SIGNATURE = re.compile(r"^--\s?$")
_MOBILE_FOOTER = re.compile(
    r"^\s*(sent from my|enviado desde mi|get outlook for|obtener outlook para)\b", re.IGNORECASE
)


def _starts_history(lines: list[str], i: int) -> bool:
    line = lines[i]
    if _SEPARATOR.match(line) or _SIGNATURE.match(line):
        return True
    if _ATTRIBUTION_START.match(line):
        for end in range(i + 1, min(i + 4, len(lines)) + 1):
            if _ATTRIBUTION.match(" ".join(part.strip() for part in lines[i:end])):
                return True
    if _HEADER_FROM.match(line):
        return any(_HEADER_NEXT.match(nxt) for nxt in lines[i + 1 : i + 4])
    return False


def strip_quoted_reply(text: str) -> str:
    """What the sender wrote: no quoted history, no "> " lines, no signature or mobile footer."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut = next((i for i in range(len(lines)) if _starts_history(lines, i)), len(lines))
    kept = [line.rstrip() for line in lines[:cut] if not line.lstrip().startswith(">")]
    while kept and (not kept[-1].strip() or _MOBILE_FOOTER.match(kept[-1])):
        kept.pop()
    return "\n".join(kept).strip("\n")


class _TextExtractor(HTMLParser):
    BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})
    SKIPPED = frozenset({"script", "style", "head", "blockquote"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIPPED:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Readable text of an HTML-only email, without quoted `<blockquote>` history."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    text = "".join(extractor.parts)
    return re.sub(r"\n\s*\n+", "\n\n", re.sub(r"[ \t]+", " ", text)).strip()
