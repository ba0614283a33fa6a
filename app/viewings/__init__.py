"""Viewings: the brokerage's availability, the slots offered to a lead, their confirmation with a
calendar invite, the reminder the day before, and rescheduling or cancelling either way."""
