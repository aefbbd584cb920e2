"""The review view of notebooks/explore.ipynb: one figure at a time, decisions written
to corrections.csv at once.

``ReviewView(articles, figs, path)`` shows the figure's sentence with the sentences
before and after it (the figure's words highlighted, everything escaped), its fields as
widgets (value low/high, qualifier, counted noun, measure, status, claimant), and the
buttons *accept*, *reject*, *previous*, *next*.  *accept* writes ``accept`` when no field
was edited, else ``change`` with the edited fields; *reject* writes ``reject`` (not a
figure).  Each decision is appended to the corrections file at once (``append``: locked
and atomic) and the view moves to the next figure.  Figures come doubtful first
(confidence low, medium, high), those not yet reviewed before the others.

Keyboard: the *keys* box takes one letter a decision (a accept, r reject, n next,
p previous, + add the missed figure) and is focused again after each; Tab moves
through the fields and buttons, Enter or Space presses the focused button.

Adding a missed figure: choose its article and sentence (*article*, *sentence*), type the number's words as
written in it (*words*: they are found in the sentence to give the span), fill the
fields, then *add missed figure* (or +).

All logic is here, testable in Python without a browser; the notebook only calls
``ReviewView.of(...).show()``.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as W
import pandas as pd
from IPython.display import display

from kit import schema
from kit.claims.values import value_label
from kit.present.html import esc, highlight
from kit.review.corrections import (FIELDS, CorrectionsError, addition, append, decision,
                                    find_words)

_RANK = {"low": 0, "medium": 1, "high": 2}
KEYS = {"a": "accept", "r": "reject", "n": "next", "p": "previous", "+": "add"}


def review_order(figs: pd.DataFrame) -> pd.DataFrame:
    """Figures not reviewed first, then the doubtful first (low, medium, high), then in
    the order of the frame."""
    return figs.assign(_done=(figs["reviewed"] != "kit").astype(int),
                       _rank=figs["confidence"].map(_RANK).fillna(3),
                       _pos=range(len(figs))).sort_values(
        ["_done", "_rank", "_pos"], kind="stable").drop(columns=["_done", "_rank", "_pos"])


def _number(raw: str, name: str) -> int | None:
    text = raw.strip().replace(",", "").replace("_", "")
    if not text:
        return None
    try:
        return int(text, 10)
    except ValueError:
        raise CorrectionsError(f"{name} must be a whole number or empty, got {raw!r}") \
            from None


class ReviewView:
    """Widgets to review figures one at a time (see the module doc)."""

    def __init__(self, articles: pd.DataFrame, figs: pd.DataFrame, path, *,
                 sentences: pd.DataFrame | None = None, who: str | None = None):
        from kit.extract.segment import sentences as split

        self.articles = articles.set_index("article_id", drop=False)
        self.path = Path(path)
        self.who = who
        self.sentences = sentences if sentences is not None else split(articles)
        self.queue = review_order(figs).reset_index(drop=True)
        self.at = 0
        self.decided: dict[str, str] = {}  # figure_id -> what this view wrote
        claimants = sorted({str(c) for c in figs["claimant"].dropna()}, key=str.lower)

        self.position = W.HTML()
        self.context = W.HTML()
        self.low = W.Text(description="low", placeholder="empty: no bound")
        self.high = W.Text(description="high", placeholder="empty: no bound")
        self.qualifier = W.Dropdown(options=list(schema.QUALIFIERS), description="qualifier")
        self.what = W.Text(description="counted")
        self.measure = W.Dropdown(options=list(schema.MEASURES), description="measure")
        self.status = W.Dropdown(options=list(schema.STATUSES), description="status")
        self.claimant = W.Combobox(options=claimants, description="claimant",
                                   ensure_option=False)
        self.accept_button = W.Button(description="accept (a)", button_style="success",
                                      tooltip="the figure is right (with your edits, if any)")
        self.reject_button = W.Button(description="reject (r)", button_style="danger",
                                      tooltip="not a figure")
        self.previous_button = W.Button(description="previous (p)")
        self.next_button = W.Button(description="next (n)", tooltip="decide later")
        self.keys = W.Text(description="keys", placeholder="a accept · r reject · n next · "
                           "p previous · + add", continuous_update=True,
                           layout=W.Layout(width="360px"))
        self.article = W.Dropdown(description="article", layout=W.Layout(width="90%"),
                                  options=[(str(p), a) for a, p in
                                           zip(articles["article_id"], articles["path"])])
        self.sentence = W.Dropdown(description="sentence", layout=W.Layout(width="90%"))
        self.words = W.Text(description="words", placeholder="the number as written, e.g. 300")
        self.add_button = W.Button(description="add missed figure (+)",
                                   layout=W.Layout(width="auto"))
        self.message = W.HTML()

        for button, act in ((self.accept_button, self.accept), (self.reject_button, self.reject),
                            (self.previous_button, lambda: self.move(-1)),
                            (self.next_button, lambda: self.move(1)),
                            (self.add_button, self.add)):
            button.on_click(lambda _b, act=act: (act(), self.keys.focus()))  # keys again
        self.keys.observe(self._key, names="value")
        self.article.observe(lambda _change: self._fill_sentences(), names="value")
        fields = W.VBox([W.HBox([self.low, self.high, self.qualifier]),
                         W.HBox([self.what, self.measure, self.status]), self.claimant])
        buttons = W.HBox([self.accept_button, self.reject_button, self.previous_button,
                          self.next_button, self.keys])
        adding = W.VBox([W.HTML("<b>A figure the kit missed:</b> choose its article and "
                                "sentence, type the number's words, fill the fields above, "
                                "then add."),
                         self.article, self.sentence, W.HBox([self.words, self.add_button])])
        self.widget = W.VBox([self.position, self.context, fields, buttons, self.message,
                              adding])
        self.widget.add_class("kit-review")
        self._fill_sentences()
        self.show_figure()

    @classmethod
    def of(cls, articles: pd.DataFrame, figs: pd.DataFrame, corrections=None, **kw):
        """The view of ``figs`` writing to ``corrections`` (default: the file ``figs``
        were corrected with, else corrections.csv beside the corpus)."""
        from kit.review.corrections import NAME, default_path

        path = corrections or figs.attrs.get("corrections") or \
            default_path(articles.attrs.get("corpus")) or Path(NAME)
        return cls(articles, figs, path, **kw)

    # ------------------------------------------------------------------ the figure shown
    @property
    def current(self) -> pd.Series | None:
        return self.queue.iloc[self.at] if 0 <= self.at < len(self.queue) else None

    def _text(self, article_id: str) -> str:
        return self.articles.at[article_id, "text"]

    def _sentence_rows(self, article_id: str) -> pd.DataFrame:
        return self.sentences[self.sentences["article_id"] == article_id]

    def show_figure(self) -> None:
        """Show the current figure: position, context and fields."""
        fig = self.current
        self.message.value = ""
        if fig is None:
            self.position.value = esc(f"All {len(self.queue)} figures seen; decisions "
                                      f"written to {self.path}.")
            self.context.value = ""
            return
        done = self.decided.get(fig["figure_id"]) or (
            fig["reviewed"] if fig["reviewed"] != "kit" else "not reviewed")
        reasons = fig["confidence_reasons"]
        self.position.value = (
            f"<b>{self.at + 1} of {len(self.queue)}</b> · {esc(fig['path'])} · "
            f"{esc(fig['confidence'])} confidence"
            + (f": {esc(reasons)}" if isinstance(reasons, str) else "")
            + f" · <i>{esc(done)}</i>")
        self.context.value = self._context_html(fig)
        for name in ("low", "high"):
            getattr(self, name).value = "" if pd.isna(fig[name]) else str(int(fig[name]))
        self.qualifier.value = fig["qualifier"]
        self.what.value = "" if pd.isna(fig["what"]) else str(fig["what"])
        self.measure.value = fig["measure"]
        self.status.value = fig["status"]
        self.claimant.value = str(fig["claimant"])
        self.article.value = fig["article_id"]  # its sentences, to add a missed figure
        if int(fig["sentence_id"]) in {v for _, v in self.sentence.options}:
            self.sentence.value = int(fig["sentence_id"])
        self.words.value = ""

    def _fill_sentences(self) -> None:
        """The sentences of the article chosen for adding a missed figure."""
        rows = self._sentence_rows(self.article.value)
        self.sentence.options = [(f"{k + 1}: {t[:90]}", int(k)) for k, t in
                                 zip(rows["sentence_id"], rows["text"])]

    def _context_html(self, fig: pd.Series) -> str:
        """The sentence before, the figure's sentence (its words highlighted), the one after."""
        rows = self._sentence_rows(fig["article_id"])
        k = int(fig["sentence_id"])
        text = self._text(fig["article_id"])
        before = rows[rows["sentence_id"] == k - 1]["text"].tolist()
        after = rows[rows["sentence_id"] == k + 1]["text"].tolist()
        s, e = int(fig["sentence_start"]), int(fig["sentence_end"])
        value = value_label(fig["low"], fig["high"], fig["qualifier"], fig["surface"])
        return ('<div class="kit-review-context">'
                + "".join(f'<p style="color:#666">{esc(t)}</p>' for t in before)
                + f"<p><b>{highlight(text[s:e], int(fig['start']) - s, int(fig['end']) - s)}"
                  "</b></p>"
                + "".join(f'<p style="color:#666">{esc(t)}</p>' for t in after)
                + f"<p>kit: <b>{esc(value)}</b> {esc(fig['what'] if isinstance(fig['what'], str) else '')}"
                  f" · {esc(fig['status'])} · {esc(fig['measure'])} · according to "
                  f"{esc(fig['claimant'])}</p></div>")

    # ------------------------------------------------------------------ decisions
    def fields(self) -> dict:
        """The fields as the widgets hold them; CorrectionsError for a bad number."""
        return {"low": _number(self.low.value, "low"), "high": _number(self.high.value, "high"),
                "qualifier": self.qualifier.value, "what": self.what.value.strip() or None,
                "measure": self.measure.value, "status": self.status.value,
                "claimant": self.claimant.value.strip() or "unattributed"}

    def edits(self) -> dict:
        """The fields the analyst changed from the figure shown."""
        fig = self.current
        out = {}
        for k, v in self.fields().items():
            was = fig[k]
            was = None if pd.isna(was) else (int(was) if k in ("low", "high") else str(was))
            if v != was:
                out[k] = v
        return out

    def _write(self, correction, label: str) -> bool:
        try:
            append(self.path, [correction])
        except (CorrectionsError, OSError, TimeoutError) as err:
            self.message.value = f'<p class="kit-note">Not written: {esc(err)}</p>'
            return False
        self.message.value = esc(f"{label} → {self.path}")
        return True

    def accept(self) -> None:
        """Accept the figure as shown: accept, or change when a field was edited."""
        fig = self.current
        if fig is None:
            return
        try:
            changes = self.edits()
        except CorrectionsError as err:
            self.message.value = f'<p class="kit-note">Not written: {esc(err)}</p>'
            return
        action = "change" if changes else "accept"
        text = self._text(fig["article_id"])
        if self._write(decision(fig, text, action, changes, who=self.who),
                       f"{'corrected' if changes else 'accepted'} “{fig['surface']}”"):
            self.decided[fig["figure_id"]] = "corrected" if changes else "accepted"
            self.move(1, keep_message=True)

    def reject(self) -> None:
        """Reject the figure: its words are not a figure."""
        fig = self.current
        if fig is None:
            return
        text = self._text(fig["article_id"])
        if self._write(decision(fig, text, "reject", who=self.who),
                       f"rejected “{fig['surface']}”"):
            self.decided[fig["figure_id"]] = "rejected"
            self.move(1, keep_message=True)

    def add(self) -> None:
        """Add the figure the kit missed: the words typed, in the sentence chosen, with
        the fields of the widgets."""
        article = self.article.value
        rows = self._sentence_rows(article)
        chosen = rows[rows["sentence_id"] == self.sentence.value]
        try:
            if not len(chosen):
                raise CorrectionsError("choose the sentence of the missed figure")
            row = chosen.iloc[0]
            start, end = find_words(row["text"], int(row["start"]), self.words.value)
            values = self.fields()
            text = self._text(article)
            correction = addition(text, start, end, values,
                                  path=str(self.articles.at[article, "path"]), who=self.who)
        except CorrectionsError as err:
            self.message.value = f'<p class="kit-note">Not written: {esc(err)}</p>'
            return
        if self._write(correction, f"added “{text[start:end]}”"):
            self.decided[f"{article}:{start}"] = "added"
            self.words.value = ""

    def open(self, figure_id: str) -> bool:
        """Show the figure ``figure_id`` (a click on the chart); False if it is not here."""
        hit = [i for i, f in enumerate(self.queue["figure_id"]) if f == figure_id]
        if not hit:
            return False
        self.at = hit[0]
        self.show_figure()
        return True

    def move(self, step: int, keep_message: bool = False) -> None:
        """Show the next (step 1) or previous (-1) figure."""
        message = self.message.value
        self.at = min(max(self.at + step, 0), len(self.queue))
        self.show_figure()
        if keep_message:
            self.message.value = message

    def press(self, key: str) -> None:
        """What a key of the keys box does (a, r, n, p, +)."""
        action = KEYS.get(key.strip().lower())
        if action == "accept":
            self.accept()
        elif action == "reject":
            self.reject()
        elif action == "next":
            self.move(1)
        elif action == "previous":
            self.move(-1)
        elif action == "add":
            self.add()

    def _key(self, change) -> None:
        typed = change["new"]
        if not typed:
            return
        self.keys.value = ""  # one letter, one decision
        self.press(typed[-1])

    def show(self) -> None:
        """Display the view (only the widget view: no text fallback to compare in nbval)."""
        display(self.widget, include=["application/vnd.jupyter.widget-view+json"])


__all__ = ["FIELDS", "KEYS", "ReviewView", "review_order"]
