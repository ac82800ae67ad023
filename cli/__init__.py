"""The command line: thin click commands over the use cases, and renderers."""
