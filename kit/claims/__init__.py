"""Claims stage: figures -> claims (the same statement across outlets) -> discrepancies.

``grouping`` holds the rule that makes figures one claim, ``families`` the noun
families it compares, ``discrepancies`` where claims disagree and ``values``
how a value is said.  The stage functions are ``kit.claims`` and
``kit.discrepancies`` (``kit.claims.discrepancies`` is the module).
"""
