"""Everything httpdiff keeps on disk or reads from other tools: paths, curl, collections."""
