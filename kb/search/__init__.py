"""Static Chinese full-text search: a character-bigram index sharded into small static files,
queried by kb/theme/assets/search.js. See index.py for the file layout."""

from .index import SearchIndexError, SearchIndexWriter, write_search_index

__all__ = ["SearchIndexError", "SearchIndexWriter", "write_search_index"]
