"""Static Chinese full-text search (placeholder until the search index lands)."""


def write_search_index(catalog, site_dir):
    return None  # TEMP
