"""One module per ``oaik`` command; each parses options, calls the library and prints."""
