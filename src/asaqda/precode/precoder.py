"""Train the pre-coder on the human codings and propose codes for uncoded paragraphs.

Suggestions are proposals for coders, never codings. Only codes that passed the quality gate
(kappa machine vs. human on held-out documents) are proposed. Paragraphs of the interviewer
(speaker ``I``/``Interviewer``) are neither examples nor coded: the categories describe
what interviewees say. Their text is the context of the answers that follow (the interviewer's
preceding question, :func:`asaqda.precode.features.with_question`).
"""

from __future__ import annotations

import json
import pickle
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from spacy.language import Language

from asaqda.codebook import Codebook
from asaqda.precode.evaluate import (
    CALIBRATED,
    CalibrationMap,
    apply_calibration,
    calibration,
    choose_thresholds,
    combine,
    evaluate,
    fit_calibration,
    quality_gate,
    rule_hits,
    rule_precision,
    truth_matrix,
)
from asaqda.precode.features import INTERVIEWER, with_question
from asaqda.precode.forward import forward_evaluate
from asaqda.precode.ids import suggestion_id
from asaqda.precode.model import ParagraphCoder, model_version, paragraph_table, table_views
from asaqda.precode.nlp import make_nlp
from asaqda.precode.rules import rules_config

__all__ = [
    "PrecodeParams",
    "Precoder",
    "run_rules",
    "train_precoder",
    "SUGGESTION_COLUMNS",
    "suggestion_id",
    "leaf_codes",
    "interviewee_rows",
    "INTERVIEWER",
]

SUGGESTION_COLUMNS = [
    "suggestion_id",
    "wave",
    "doc_id",
    "document_name",
    "paragraph",
    "code",
    "score",
    "method",
    "evidence",
    "model_version",
    "codebook_version",
    "rank",
    "code_2",
    "score_2",
    "code_3",
    "score_3",
]
#: how many codes of a paragraph are ranked (``code`` plus ``code_2``, ``code_3``)
N_RANKED = 3


@dataclass(frozen=True)
class PrecodeParams:
    """Settings of pre-coding (config section ``precode``)."""

    threshold: float = 0.5
    #: None: per-code thresholds chosen for F1; a number: for this precision of suggestions
    target_precision: float | None = None
    min_kappa: float = 0.6
    min_examples: int = 8
    n_splits: int = 5
    seed: int = 0
    only_uncoded: bool = True
    #: base learners of the stacked model (:data:`asaqda.precode.stacking.LEARNERS`)
    learners: tuple[str, ...] = ("word", "char", "question")
    #: stacker parts: neighbouring turns, main category as a level of its own, rule hits
    neighbours: bool = True
    main_categories: bool = False
    stack_rules: bool = True

    def __post_init__(self) -> None:
        # from YAML or JSON the learners come as a list
        object.__setattr__(self, "learners", tuple(self.learners))

    def model_params(self) -> dict[str, object]:
        """The :class:`~asaqda.precode.model.ParagraphCoder` parameters these settings set."""
        return {
            "learners": self.learners,
            "neighbours": self.neighbours,
            "parents": self.main_categories,
            "rules": self.stack_rules,
        }


def leaf_codes(codebook: Codebook) -> list[str]:
    """Codes that segments are coded on (no children)."""
    return [c.code for c in codebook.codes if not codebook.children(c.code)]


def interviewee_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop the interviewer's paragraphs."""
    return frame[~frame["speaker"].isin(INTERVIEWER)].reset_index(drop=True)


def run_rules(nlp: Language, texts: list[str]) -> list[list[tuple[str, str]]]:
    """Codebook rule matches per text: (code, evidence words), evidence of a code joined."""
    out = []
    for doc in nlp.pipe(texts, batch_size=256):
        per_code: dict[str, list[str]] = {}
        for m in doc._.asaqda_matches:
            words = per_code.setdefault(m.code, [])
            label = f"{m.evidence} (verneint)" if m.negated else m.evidence
            if label not in words:
                words.append(label)
        out.append([(code, " | ".join(words)) for code, words in sorted(per_code.items())])
    return out


@dataclass
class Precoder:
    """A trained pre-coder: model, rule scores, quality gate and versions."""

    model: ParagraphCoder | None
    rule_scores: dict[str, float]
    gate: pd.DataFrame
    params: PrecodeParams
    model_version: str
    codebook_version: str
    calibration_map: CalibrationMap = ([0.0, 1.0], [0.0, 1.0])
    #: decision threshold per code on the calibrated score, chosen on held-out documents
    #: (codes missing here use ``params.threshold``)
    thresholds: dict[str, float] = field(default_factory=dict)
    _nlp: Language | None = field(default=None, repr=False)
    #: out-of-fold decisions on the coded paragraphs (training only, not saved with the model):
    #: doc_id, paragraph, maschine (codes the machine gives), mensch (codes the human gave)
    heldout: pd.DataFrame | None = field(default=None, repr=False)
    #: quality forward in time (training only, not saved with the model):
    #: :func:`asaqda.precode.forward.forward_evaluate`
    forward: pd.DataFrame | None = field(default=None, repr=False)

    def calibrated(self, raw: np.ndarray) -> np.ndarray:
        """Map a raw combined score to the share of such suggestions the coders confirmed
        (isotonic regression fitted on the held-out evaluation scores), rounded to 3 digits:
        this one number decides a suggestion (>= threshold) and is shown to the coder."""
        return apply_calibration(raw, self.calibration_map)

    def threshold_of(self, codes: list[str]) -> np.ndarray:
        """The decision threshold of each code (calibrated score >= threshold: suggested)."""
        return np.array([self.thresholds.get(c, self.params.threshold) for c in codes])

    def allowed(self) -> list[str]:
        """Codes that passed the quality gate."""
        return self.gate.loc[self.gate["vorkodierbar"], "code"].tolist()

    def nlp(self, codebook: Codebook) -> Language:
        """The rule pipeline for this codebook (built once)."""
        if self._nlp is None:
            self._nlp = make_nlp(rules_config(codebook))
        return self._nlp

    def suggest(self, paragraphs: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
        """Propose codes for paragraphs (``wave``, ``doc_id``, ``document_name``,
        ``paragraph``, ``speaker``, ``content``); one row per paragraph and code.

        Every code that passed the gate is scored for every paragraph; a code is suggested when
        its calibrated score reaches its own threshold. Each row also names the paragraph's
        ranking: ``rank`` of the suggested code among the paragraph's scores and the codes
        ranked second and third (``code_2``/``score_2``, ``code_3``/``score_3``, empty when
        fewer codes have a score above 0), suggested or not, so a coder sees the runner-up
        where the first code is wrong.
        """
        rows = interviewee_rows(with_question(paragraphs))
        allowed = self.allowed()
        if rows.empty or not allowed:
            return pd.DataFrame(columns=SUGGESTION_COLUMNS)
        texts = rows["content"].tolist()
        matches = run_rules(self.nlp(codebook), texts)
        hits = rule_hits(matches, allowed)
        rule_s = hits.astype(float) * pd.Series(self.rule_scores).reindex(allowed).fillna(0.5)
        both = None
        if self.model is not None:
            model_codes = sorted(set(allowed) | set(self.model.codes_))
            model_p, stacked = self.model.scores(
                table_views(rows), rule_hits(matches, model_codes), model_codes
            )
            model_s = model_p.set_axis(rows.index).reindex(columns=allowed).fillna(0.0)
            if stacked is not None:  # rules and model combined by the stacker
                stacked = stacked.set_axis(rows.index).reindex(columns=allowed)
                both = stacked.fillna(rule_s)
        else:
            model_s = pd.DataFrame(0.0, index=rows.index, columns=allowed)
        if both is None:
            both = combine(rule_s, model_s)
        # one number decides and is shown: the calibrated combined score. The method names
        # the source(s) whose own score reaches the threshold, as before calibration; when
        # neither does (the map lifted the score), the larger one
        scores = self.calibrated(both.to_numpy())
        raw_rule, raw_model = rule_s.to_numpy(), model_s.to_numpy()
        by_rules = raw_rule >= self.params.threshold
        by_models = raw_model >= self.params.threshold
        neither = ~by_rules & ~by_models
        by_models |= neither & (raw_model >= raw_rule)
        by_rules |= neither & (raw_model < raw_rule)
        out = []
        picks = np.argwhere(scores >= self.threshold_of(allowed))
        ranking = _ranking(scores, allowed)
        model_pairs = [(i, allowed[j]) for i, j in picks if by_models[i, j]]
        model_evidence = dict(
            zip(
                model_pairs,
                self.model.evidence([texts[i] for i, _ in model_pairs], [c for _, c in model_pairs])
                if self.model is not None and model_pairs
                else [],
                strict=True,
            )
        )
        rule_evidence = [dict(m) for m in matches]
        doc_ids, names = rows["doc_id"].to_numpy(), rows["document_name"].to_numpy()
        waves, numbers = rows["wave"].to_numpy(), rows["paragraph"].to_numpy()
        for i, j in picks:
            code = allowed[j]
            by_rule, by_model = bool(by_rules[i, j]), bool(by_models[i, j])
            method = "regel+modell" if by_rule and by_model else ("regel" if by_rule else "modell")
            evidence = []
            if code in rule_evidence[i]:
                evidence.append(f"Regel: {rule_evidence[i][code]}")
            if model_evidence.get((i, code)):
                evidence.append(f"Modell: {model_evidence[(i, code)]}")
            paragraph = int(numbers[i])
            out.append(
                {
                    "suggestion_id": suggestion_id(doc_ids[i], paragraph, code),
                    "wave": waves[i],
                    "doc_id": doc_ids[i],
                    "document_name": names[i],
                    "paragraph": paragraph,
                    "code": code,
                    "score": float(scores[i, j]),
                    "method": method,
                    "evidence": "; ".join(evidence),
                    "model_version": self.model_version,
                    "codebook_version": self.codebook_version,
                    **_ranked_columns(ranking[i], code),
                }
            )
        frame = pd.DataFrame(out, columns=SUGGESTION_COLUMNS)
        return frame.sort_values(
            ["document_name", "paragraph", "score", "code"], ascending=[True, True, False, True]
        ).reset_index(drop=True)

    def forward_decisions(
        self,
        paragraphs: pd.DataFrame,
        codings: pd.DataFrame,
        documents: pd.DataFrame,
        codebook: Codebook,
        reviewed: set[tuple[str, int]] | None = None,
    ) -> pd.DataFrame:
        """This model's decision on every code of the coded paragraphs of a later wave, beside
        the human codes: the material of the quality forward in time.

        Every code is decided (the quality gate is not applied), as in the evaluation.

        Returns
        -------
        pandas.DataFrame
            ``doc_id``, ``paragraph``, ``maschine`` and ``mensch`` (tuples of codes); empty when
            this model learnt nothing or the paragraphs carry no human code.
        """
        columns = ["doc_id", "paragraph", "maschine", "mensch"]
        codes = leaf_codes(codebook)
        if self.model is None:
            return pd.DataFrame(columns=columns)
        table = interviewee_rows(
            with_question(paragraph_table(paragraphs, codings, documents, codes, reviewed or set()))
        ).reset_index(drop=True)
        truth = truth_matrix(table["labels"], codes)
        if table.empty or not truth.any():
            return pd.DataFrame(columns=columns)
        texts = table["content"].tolist()
        hits = rule_hits(run_rules(self.nlp(codebook), texts), codes)
        rule_s = hits.astype(float) * pd.Series(self.rule_scores).reindex(codes).fillna(0.5)
        model_p, stacked = self.model.scores(table_views(table), hits, codes)
        model_s = model_p.reindex(columns=codes).fillna(0.0)
        both = combine(rule_s, model_s)
        if stacked is not None:  # rules and model combined by the stacker
            both = stacked.reindex(columns=codes).fillna(rule_s)
        scores = self.calibrated(both.to_numpy())
        decided = scores >= self.threshold_of(codes)
        names = np.asarray(codes)
        return pd.DataFrame(
            {
                "doc_id": table["doc_id"].to_numpy(),
                "paragraph": table["paragraph"].astype("int64").to_numpy(),
                "maschine": [tuple(names[row]) for row in decided],
                "mensch": [tuple(names[row.astype(bool)]) for row in truth],
            }
        )

    def save(self, directory: Path) -> None:
        """Write ``precoder.pkl`` (the model) and ``precoder.json`` (everything else)."""
        directory.mkdir(parents=True, exist_ok=True)
        with (directory / "precoder.pkl").open("wb") as fh:
            pickle.dump(self.model, fh, protocol=5)
        meta = {
            "model_version": self.model_version,
            "codebook_version": self.codebook_version,
            "params": self.params.__dict__,
            "rule_scores": self.rule_scores,
            "calibration_map": [list(self.calibration_map[0]), list(self.calibration_map[1])],
            "thresholds": self.thresholds,
            "gate": self.gate.to_dict(orient="records"),
        }
        (directory / "precoder.json").write_text(
            json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )

    @classmethod
    def load(cls, directory: Path) -> Precoder:
        """Read a pre-coder written by :meth:`save`."""
        meta = json.loads((directory / "precoder.json").read_text(encoding="utf-8"))
        with (directory / "precoder.pkl").open("rb") as fh:
            model = pickle.load(fh)  # noqa: S301 - our own file, written by save()
        return cls(
            model,
            meta["rule_scores"],
            pd.DataFrame(meta["gate"]),
            PrecodeParams(**meta["params"]),
            meta["model_version"],
            meta["codebook_version"],
            (meta["calibration_map"][0], meta["calibration_map"][1]),
            meta.get("thresholds", {}),
        )


def _ranking(scores: np.ndarray, codes: list[str]) -> list[list[tuple[str, float]]]:
    """Per row the codes with a score above 0, best first (ties: code)."""
    out = []
    for row in scores:
        order = sorted(np.flatnonzero(row > 0), key=lambda j: (-row[j], codes[j]))
        out.append([(codes[j], float(row[j])) for j in order])
    return out


def _ranked_columns(ranking: list[tuple[str, float]], code: str) -> dict[str, object]:
    """``rank`` of ``code`` in the paragraph's ranking and the codes ranked 2nd and 3rd."""
    names = [c for c, _ in ranking]
    out: dict[str, object] = {"rank": names.index(code) + 1 if code in names else len(names) + 1}
    for k in range(2, N_RANKED + 1):
        has = len(ranking) >= k
        out[f"code_{k}"] = ranking[k - 1][0] if has else ""
        out[f"score_{k}"] = ranking[k - 1][1] if has else np.nan
    return out


def train_precoder(
    paragraphs: pd.DataFrame,
    codings: pd.DataFrame,
    documents: pd.DataFrame,
    codebook: Codebook,
    params: PrecodeParams,
    reviewed: set[tuple[str, int]] | None = None,
    forward: bool = True,
) -> tuple[Precoder, pd.DataFrame, pd.DataFrame]:
    """Evaluate on held-out documents, apply the quality gate, then train on everything.

    ``reviewed`` (doc_id, paragraph) pairs that coders decided on in review sheets join the
    training material even when their document has no export codings. With ``forward``, the
    quality forward in time (train on the waves before a wave, evaluate on it) is computed too
    and kept in ``precoder.forward``.

    Returns
    -------
    (precoder, metrics, calibration_table)

    Raises
    ------
    PrecodeError
        E301 when there is nothing to train on.
    """
    codes = leaf_codes(codebook)
    table = interviewee_rows(
        with_question(paragraph_table(paragraphs, codings, documents, codes, reviewed or set()))
    )
    version = model_version(table, codebook.meta.version, params.__dict__)
    nlp = make_nlp(rules_config(codebook))
    matches = run_rules(nlp, table["content"].tolist())
    hits = rule_hits(matches, codes)
    model = ParagraphCoder(
        min_examples=params.min_examples, random_state=params.seed, **params.model_params()
    )
    labels = list(table["labels"])
    model.trainable(table["content"].tolist(), labels, codes)  # raises E301 if empty
    views = table_views(table)
    metrics, held_out = evaluate(
        table,
        hits,
        codes,
        n_splits=params.n_splits,
        threshold=params.threshold,
        min_examples=params.min_examples,
        random_state=params.seed,
        target_precision=params.target_precision,
        model_params=params.model_params(),
        views=views,
    )
    # the stacker of the final model learns from the evaluation's out-of-fold scores
    model.fit(
        views,
        labels,
        codes,
        groups=table["doc_id"].to_numpy(),
        hits=hits,
        oof=held_out.get("oof"),  # type: ignore[arg-type]
    )
    gate = quality_gate(metrics, codes, params.min_kappa, params.min_examples)
    truth = held_out["wahr"]
    # the map for new paragraphs uses every held-out score; the evaluation, the held-out
    # decisions and the reliability table use the cross-fitted scores (evaluate)
    cal_map = fit_calibration(held_out["kombiniert"], truth)
    # the thresholds for new paragraphs are chosen on every held-out (cross-fitted) score;
    # the evaluation used thresholds chosen on the other folds (held_out["entscheidung"])
    thresholds = choose_thresholds(
        held_out[CALIBRATED], truth, params.target_precision, params.threshold, params.min_examples
    )
    gate["schwelle"] = thresholds
    precoder = Precoder(
        model,
        rule_precision(hits, pd.DataFrame(truth, columns=codes)),
        gate,
        params,
        version,
        codebook.meta.version,
        cal_map,
        {c: float(t) for c, t in zip(codes, thresholds, strict=True)},
        nlp,
    )
    if forward and "wave" in paragraphs.columns:
        wave_of = dict(zip(paragraphs["doc_id"], paragraphs["wave"], strict=False))
        precoder.forward = forward_evaluate(
            table.assign(wave=table["doc_id"].map(wave_of).astype(str)),
            hits,
            codes,
            n_splits=params.n_splits,
            threshold=params.threshold,
            min_examples=params.min_examples,
            random_state=params.seed,
            target_precision=params.target_precision,
            model_params=params.model_params(),
            views=views,
        )
    decided = held_out["entscheidung"]
    precoder.heldout = pd.DataFrame(
        {
            "doc_id": table["doc_id"].to_numpy(),
            "paragraph": table["paragraph"].astype("int64").to_numpy(),
            "maschine": [tuple(np.asarray(codes)[row]) for row in decided],
            "mensch": [tuple(np.asarray(codes)[row.astype(bool)]) for row in truth],
        }
    )
    return precoder, metrics, calibration(held_out)
