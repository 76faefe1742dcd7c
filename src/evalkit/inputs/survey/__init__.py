"""Survey-tool exports in: read an export, apply its mapping, write the long responses table.

``export.py`` reads the file (Microsoft Forms, Google Forms, SurveyMonkey, Qualtrics or a
generic one-row-per-respondent table, ``layouts.py``); ``mapping.py`` is the mapping YAML
and its schema; ``pseudonym.py`` turns names and e-mail addresses into respondent ids;
``importer.py`` applies a mapping and writes the table; ``coverage.py`` says what was left
out; ``starter.py`` writes a first mapping for a person to check.
"""
