"""One module per CLI command (or command group); monitor.cli loads them lazily by name."""
