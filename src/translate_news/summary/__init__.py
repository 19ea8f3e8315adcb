"""Extractive summaries: candidates, the two scorers and MMR selection (select), the trained
ranker's tree ensemble (ranker, with summary_ranker.json)."""
