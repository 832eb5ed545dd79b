"""Qt-free foundation: database, operators, audit, settings, clock, money, language."""
