"""French text: sentence splitting (segment, long_sentences), page furniture (cleaning),
foreign lines (language), what the model sees (normalize), stopwords and words (lexicon)."""
