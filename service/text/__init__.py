"""Text as copydesk measures it: positions (``offsets``) and units (``segments``).

Everything that counts characters, lines, paragraphs, sentences or words goes through
these two modules, so every check and every output agree on where a thing is. ``memo``
keeps work done on short strings (words, sentences, paragraphs) for the next request.
"""
