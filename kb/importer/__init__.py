"""`kb import`: turn a raw copy of a report (text as found on the web or pulled out of a PDF) into
docs/reports/<id>/ in the exact layout the curated reports use, proposing themes and item types for
the contributor to review. Nothing of the report's own text is changed or lost: whatever is dropped
is listed as noise, and text that cannot be placed stops the import before anything is written."""

from .errors import ImporterError

__all__ = ["ImporterError"]
