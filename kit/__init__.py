"""kit: cited figures from news articles.

The pipeline, one pure function a stage (files -> articles -> sentences ->
figures -> claims), each returning a tidy pandas frame whose columns are documented in
``kit.schema``::

    import kit
    articles = kit.load_corpus("seeds")
    figs = kit.figures(articles)          # sentences are split on the way
    figs.query("status == 'planned'")
    claims = kit.claims(figs)             # one row per claim across outlets

Every figure carries offsets into the unchanged article text, so
``articles.text[...][start:end]`` is exactly its words.
"""

from kit.corpus import CorpusError, load_corpus
from kit.extract import figures, figures_in_text
from kit.group import claims, discrepancies
from kit.schema import describe
from kit.segment import sentences

__all__ = [
    "CorpusError",
    "claims",
    "describe",
    "discrepancies",
    "figures",
    "figures_in_text",
    "load_corpus",
    "sentences",
]
__version__ = "0.1.0"
