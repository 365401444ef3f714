"""Publishing: exports in RDF syntaxes and JSON-LD, DCAT/VoID records, links and SSSOM, push to stores."""
