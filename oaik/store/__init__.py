"""Files to graph: parsing Turtle, the store, and which file defines which node."""
