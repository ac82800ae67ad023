"""The service layer: use cases that read and write (files, the store) around the pure engine."""
