"""kit: cited figures from news articles.

The pipeline, one pure function a stage (files -> articles -> sentences ->
figures -> claims), each returning a tidy pandas frame whose columns are
documented in ``kit.schema``::

    import kit
    articles = kit.load_corpus("seeds")
    figs = kit.figures(articles)          # sentences are split on the way
    figs.query("status == 'planned'")
    claims = kit.claims(figs)             # one row per claim across outlets
    kit.compare(figs, claims)             # each source's latest value, measure by measure

``kit.figures`` applies the analyst's decisions of ``corrections.csv`` beside the
corpus (``kit.review``): the ``reviewed`` column says kit, accepted, corrected or added.

Every figure carries offsets into the unchanged article text, so
``articles.text[...][start:end]`` is exactly its words.  The stages live in
sub-packages named after them: ``kit.load``, ``kit.extract``, ``kit.claims``,
``kit.present``, ``kit.report``, ``kit.output``.
"""

from kit import _build

SOURCES_BECAUSE = _build.import_modules()  # compiled extraction modules, or their sources

from kit.claims.compare import compare  # noqa: E402
from kit.claims.discrepancies import discrepancies  # noqa: E402
from kit.claims.grouping import claim_ids, claims  # noqa: E402
from kit.extract.figures import figures_in_text  # noqa: E402
from kit.extract.segment import sentences  # noqa: E402
from kit.load import CorpusError, load_corpus  # noqa: E402
from kit.review import figures  # noqa: E402  (the kit's figures with the analyst's corrections)
from kit.schema import describe  # noqa: E402

__all__ = [
    "CorpusError",
    "claim_ids",
    "claims",
    "compare",
    "describe",
    "discrepancies",
    "example_corpus",
    "figures",
    "figures_in_text",
    "load_corpus",
    "sentences",
]
__version__ = "0.2.0"


def example_corpus():
    """The example corpus shipped with the kit: the five seed articles (a Path)."""
    from kit.cli import default_corpus

    return default_corpus()


def build() -> dict[str, str]:
    """How the extraction modules run here: {module: 'compiled' | 'source'}."""
    return _build.status()
