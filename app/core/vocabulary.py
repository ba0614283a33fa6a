"""The words every domain shares, defined once (models and pure modules import them from here,
so no layer converts one domain's copy into another's by its string).

- `Tier`: how strongly a lead matches a listing (DESIGN.md section 4: HOT > 70, MEDIUM > 50,
  LOW > 30), which decides the outreach channels.
- `Channel`: where a message goes.
- `Operation`: what a lead looks for (to buy, to rent, either); `ListingOperation`: what a
  listing is (for sale or for rent).
"""

from __future__ import annotations

from enum import StrEnum


class Tier(StrEnum):
    HOT = "HOT"
    MEDIUM = "MEDIUM"
    LOW = "LOW"


class Channel(StrEnum):
    EMAIL = "EMAIL"
    SMS = "SMS"
    WHATSAPP = "WHATSAPP"


class Operation(StrEnum):
    BUY = "BUY"
    RENT = "RENT"
    ANY = "ANY"


class ListingOperation(StrEnum):
    SALE = "SALE"
    RENT = "RENT"
