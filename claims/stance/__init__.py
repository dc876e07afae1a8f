"""Stance of an evidence passage towards a claim: does the passage contradict it?

``features`` holds the cheap, language-aware cues (negation, figures, dates, antonyms, overlap);
``model`` the shipped classifier that combines them with multilingual sentence embeddings;
``train`` the recipe that builds the artefact in ``data/`` and measures it by cross-validation.
"""
