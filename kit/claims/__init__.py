"""Claims stage: figures -> claims (the same statement across outlets) -> discrepancies
and the comparison of sources.

``grouping`` holds the rule that makes figures one claim, ``families`` the noun
families it compares, ``discrepancies`` where claims disagree, ``compare`` each
source's latest value measure by measure, and ``values`` how a value is said
(and when two values are the same).  The stage functions are ``kit.claims``,
``kit.discrepancies`` and ``kit.compare`` (``kit.claims.discrepancies`` and
``kit.claims.compare`` are the modules).
"""
