"""Command-line commands, one module per group; each has ``register(commands, exports)``."""
