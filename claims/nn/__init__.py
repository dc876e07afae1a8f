"""multilingual-e5-small as a network we can fine-tune: numpy runtime, torch training recipe."""
