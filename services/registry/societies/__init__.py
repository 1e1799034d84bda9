"""The register of societies: entries, the directory, bye-laws, branches, bulk import."""
