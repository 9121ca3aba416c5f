"""The rules engine: markets, calendars, rules and policies as data, and the per-order and shop figures.

Pure computation on values and arrays: no file, clock or process state. The adapters
(``addin.pipeline`` and the layers above it) read files, know what day it is and keep what is
worth keeping between calls.
"""
