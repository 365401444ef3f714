"""The HTTP endpoint: SPARQL protocol, pages and content negotiation."""
