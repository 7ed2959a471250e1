"""The page's own words, in English and Japanese (the glossary's renderings: glossary_ja.md)."""

from __future__ import annotations

WORDS = {
    "en": {
        "passed": "passed",
        "failed": "failed",
        "skipped": "skipped",
        "not run": "not run",
        "step": "Step",
        "steps": "Steps",
        "part": "Part {} of the series",
        "appendix": "Appendix",
        "across": "Across the steps",
        "summary": "This run",
        "contents": "Contents",
        "scenarios": "scenarios",
        "backend": "Backend",
        "date": "Date",
        "real data": "Real data (BANK_DATA_DIR)",
        "yes": "yes",
        "no": "no",
        "versions": "Versions",
        "examples": "{} examples",
        "figures": "What this scenario's run produced",
        "output": "What the program printed",
        "row": "row {}",
        "failed at": "Failed at step {}:",
        "switch": "日本語で読む",
        "opening": "Before you start",
        "failures": "Failed on this run",
        "search": "Search the scenarios",
        "matches": "{} scenarios match",
        "path": "The tutorial's path",
        "every": "Every guarantee",
        "expand": "Expand all",
        "collapse": "Collapse all",
        "tutorial cell": "The tutorial's cell",
        "notebook code": "The notebook's code today",
        "notebook source": "cells tagged {} in notebooks/xgboost_bank_marketing.ipynb",
        "no code": (
            "The notebook has no cell tagged {}: "
            "this chapter's code is not available in this build."
        ),
        "printed": "What it printed in this build",
        "printed notebook": "the executed notebook's output (tox -e notebook)",
        "printed run": (
            "the notebook was not executed for this build (tox -e notebook writes it): "
            "shown instead is what this build's scenarios recorded"
        ),
        "nothing printed": "No output of this step was recorded in this build.",
        "guarantees": "What this guarantees",
        "result": "The real result",
        "result synthetic": "This run's result, on synthetic data",
        "rate": "Overall classification rate",
        "published": "published: {}",
        "observed": "Observed",
        "predicted": "Predicted",
        "obs no": "did not subscribe",
        "obs yes": "subscribed",
        "pred no": "no",
        "pred yes": "yes",
        "precision": "Precision",
        "recall": "Recall",
        "auc": "AUC",
        "rows": "test calls",
        "format check": (
            "Format check: predictions fixed by the scenario to give the published counts, "
            "not a model's; no AUC, as no model made them"
        ),
        "synthetic": (
            "Synthetic data: these figures come from the project's invented stand-in for the "
            "bank's data, not from the tutorial's; set BANK_DATA_DIR for the real result"
        ),
        "synthetic short": "synthetic data, not the tutorial's",
        "no rounds": (
            "No training curve: no training job of this build reported a per-round metric. "
            "SageMaker's DescribeTrainingJob carries each metric's last value only "
            "(FinalMetricDataList); the rounds are in the job's CloudWatch log, and this "
            "backend kept none to read them from."
        ),
        "final metrics": "final metrics SageMaker reported: {}",
        "not found": "No whole run of the tutorial recorded an evaluation in this build.",
        "see run": "From the scenario",
    },
    "ja": {
        "passed": "成功",
        "failed": "失敗",
        "skipped": "スキップ",
        "not run": "未実行",
        "step": "ステップ",
        "steps": "ステップ",
        "part": "連載 第 {} 回",
        "appendix": "付録",
        "across": "ステップをまたいで",
        "summary": "今回の実行",
        "contents": "目次",
        "scenarios": "シナリオ",
        "backend": "バックエンド",
        "date": "日時",
        "real data": "実データ (BANK_DATA_DIR)",
        "yes": "あり",
        "no": "なし",
        "versions": "バージョン",
        "examples": "{} 件の例",
        "figures": "このシナリオの実行で得られたもの",
        "output": "プログラムの出力",
        "row": "{} 行目",
        "failed at": "ステップ {} で失敗:",
        "switch": "Read in English",
        "opening": "はじめに",
        "failures": "今回の実行で失敗したシナリオ",
        "search": "シナリオを検索",
        "matches": "{} 件のシナリオが一致",
        "path": "チュートリアルの流れ",
        "every": "すべての保証",
        "expand": "すべて開く",
        "collapse": "すべて閉じる",
        "tutorial cell": "チュートリアルのセル",
        "notebook code": "今のノートブックのコード",
        "notebook source": "notebooks/xgboost_bank_marketing.ipynb の {} タグのセル",
        "no code": (
            "ノートブックに {} タグのセルがないため、この章のコードはこのビルドでは示せない。"
        ),
        "printed": "このビルドでの出力",
        "printed notebook": "実行したノートブックの出力 (tox -e notebook)",
        "printed run": (
            "このビルドではノートブックを実行していない (tox -e notebook で実行される)。"
            "代わりに、このビルドのシナリオが記録したものを示す"
        ),
        "nothing printed": "このビルドでは、このステップの出力は記録されていない。",
        "guarantees": "このステップが保証すること",
        "result": "実データでの結果",
        "result synthetic": "今回の実行の結果 (合成データ)",
        "rate": "全体の分類率",
        "published": "公開値: {}",
        "observed": "実際",
        "predicted": "予測",
        "obs no": "申し込まなかった",
        "obs yes": "申し込んだ",
        "pred no": "no",
        "pred yes": "yes",
        "precision": "適合率",
        "recall": "再現率",
        "auc": "AUC",
        "rows": "件のテストデータ",
        "format check": (
            "書式の確認: 公開された件数になるようシナリオが固定した予測で、モデルの予測ではない。"
            "モデルがないので AUC は示さない"
        ),
        "synthetic": (
            "合成データ: これらの数値は、銀行のデータの代わりにこのプロジェクトが作ったデータから"
            "得たもので、チュートリアルのデータではない。"
            "実データでの結果には BANK_DATA_DIR を設定する"
        ),
        "synthetic short": "合成データ (チュートリアルのデータではない)",
        "no rounds": (
            "トレーニング曲線はない。このビルドのトレーニングジョブは、ラウンドごとの指標を"
            "報告しなかった。SageMaker の DescribeTrainingJob には各指標の最後の値しかなく "
            "(FinalMetricDataList)、ラウンドごとの値はジョブの CloudWatch ログにあるが、"
            "このバックエンドはそのログを残していない。"
        ),
        "final metrics": "SageMaker が報告した最終的な指標: {}",
        "not found": "このビルドでは、チュートリアル全体の実行による評価が記録されなかった。",
        "see run": "シナリオ",
    },
}
