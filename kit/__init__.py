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

from kit import _native

SOURCES_BECAUSE = _native.choose()  # before the modules below import: see kit/_native.py

from kit.corpus import CorpusError, load_corpus  # noqa: E402
from kit.extract import figures, figures_in_text  # noqa: E402
from kit.group import claims, discrepancies  # noqa: E402
from kit.schema import describe  # noqa: E402
from kit.segment import sentences  # noqa: E402

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


def build() -> dict[str, str]:
    """How the extraction modules run here: {module: 'compiled' | 'source'}.

    Compiled (mypyc) is the default install; sources run when ``KIT_PURE_PYTHON=1``
    is set, when an extension is older than its source, or when none was built.
    """
    return _native.status()
