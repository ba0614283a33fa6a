"""The lead fields a CSV column can feed; exposed to GraphQL as the `LeadField` enum."""

from __future__ import annotations

import enum


class LeadField(enum.Enum):
    NAME = "NAME"
    FIRST_NAME = "FIRST_NAME"
    LAST_NAME = "LAST_NAME"
    EMAIL = "EMAIL"
    PHONE = "PHONE"
    LAST_CONTACT = "LAST_CONTACT"
    CREATED_AT = "CREATED_AT"
    STATUS = "STATUS"
    NOTES = "NOTES"
    BUDGET = "BUDGET"
    MIN_BUDGET = "MIN_BUDGET"
    MAX_BUDGET = "MAX_BUDGET"
    RENT_BUDGET = "RENT_BUDGET"  # a monthly rent budget: a ceiling or a range
    CURRENCY = "CURRENCY"  # of the row's budgets: an ISO code or a word ("pesos", "dólares")
    LOCATION = "LOCATION"
    BEDROOMS = "BEDROOMS"
    OPERATION = "OPERATION"
    LANGUAGE = "LANGUAGE"
    EXTERNAL_ID = "EXTERNAL_ID"
    SOURCE = "SOURCE"
    OWNER = "OWNER"
    TAGS = "TAGS"
    IGNORE = "IGNORE"
