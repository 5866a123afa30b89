"""查重: shared passages between reports (at build time), and between a draft and the corpus (on the
command line, and in the browser from the static fingerprint index written into the site)."""

from .corpus import DUPLICATE_SHARE, Corpus, ReportPair, SimilarEntry, Similarity, keep_for_rebuilds
from .site_index import write_fingerprint_index

__all__ = ["DUPLICATE_SHARE", "Corpus", "ReportPair", "SimilarEntry", "Similarity", "keep_for_rebuilds",
           "write_fingerprint_index"]
