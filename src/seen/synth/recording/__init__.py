"""Each agency's recording process: what it sees of a child, when, and how it writes it down."""
