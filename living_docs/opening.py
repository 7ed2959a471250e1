"""The opening chapter, for a reader who never saw the AWS tutorial, in both languages.

Fixed prose (no run data): what the tutorial builds, the data and its licence, the
series' articles and which step each covers, and how to read a feature. Written as
HTML fragments, trusted as they are (no value from the run is put into them).
"""

from __future__ import annotations

# The series' articles and the steps each covers (../shared/TUTORIAL.md, "The steps").
ARTICLES = {
    5: (
        "1, 2",
        "sign in; the notebook instance and its role",
        "サインイン、ノートブックインスタンスとそのロール",
    ),
    6: ("3", "prepare the data", "データの準備"),
    7: ("4", "train the model", "モデルのトレーニング"),
    8: ("5, 6, 7", "deploy and predict; evaluate; clean up", "デプロイと予測、評価、後片付け"),
}

TITLE = {
    "en": "The SageMaker XGBoost tutorial, as a living specification",
    "ja": "SageMaker XGBoost チュートリアル — 動く仕様書",
}


def _articles(language: str) -> str:
    head = (
        "<tr><th>Article</th><th>Steps</th><th>What it covers</th></tr>"
        if language == "en"
        else "<tr><th>記事</th><th>ステップ</th><th>内容</th></tr>"
    )
    rows = "".join(
        f"<tr><td>{'Part' if language == 'en' else '第'} {part}{'' if language == 'en' else ' 回'}"
        f"</td><td>{steps}</td><td>{en if language == 'en' else ja}</td></tr>"
        for part, (steps, en, ja) in ARTICLES.items()
    )
    return f'<table class="articles">{head}{rows}</table>'


OPENING = {
    "en": f"""
<h2>What this is</h2>
<p>AWS's tutorial <em>Build, train, and deploy a machine learning model with Amazon
SageMaker</em> builds a model that predicts whether a bank's client will subscribe to a
term deposit after a marketing phone call. It trains SageMaker's built-in XGBoost
algorithm on 28,831 past calls, hosts the model behind an endpoint, asks it about the
other 12,357 calls and compares its answers with what the clients really did: about
nine in ten are right. A Japanese blog series walks through it in seven steps; this
page is those steps as features, each checked by running it.</p>
<h2>The data</h2>
<p>The UCI <em>Bank Marketing</em> data: 41,188 calls of a Portuguese bank's campaigns
(2008 to 2010), with the client's age, job, contact history and the economic context, and
whether the client subscribed (<code>y</code>). The tutorial uses a preprocessed copy,
<code>bank_clean.csv</code> (61 numeric columns). Licence: Creative Commons Attribution
4.0 (CC BY 4.0). Cite: S. Moro, P. Cortez and P. Rita, <em>A Data-Driven Approach to
Predict the Success of Bank Telemarketing</em>, Decision Support Systems 62 (2014).</p>
<h2>The series' articles</h2>
{_articles("en")}
<h2>How to read a feature</h2>
<ul>
<li>A <strong>feature</strong> is a chapter: one step of the tutorial. Its text says why
the step exists and what goes wrong without care.</li>
<li>A <strong>rule</strong> is one thing the step promises; its <strong>scenarios</strong>
show that rule with real values: <em>Given</em> the situation, <em>When</em> the reader
acts, <em>Then</em> what they see. A <em>scenario outline</em> runs once per row of its
<em>Examples</em> table.</li>
<li>Each scenario shows its result on this run: <span class="badge passed">passed</span>,
<span class="badge failed">failed</span> (with the step that failed and why) or
<span class="badge skipped">skipped</span> (with the reason), and the figures the run
produced.</li>
<li>Tags: <code>@step-N</code> the tutorial's step, <code>@part-N</code> the article;
<code>@real-data</code> needs the real data file; <code>@moto-only</code> drives a local
AWS stand-in and is skipped against a real account; <code>@costly</code> starts billed
compute on a real account; <code>@tutorial</code> runs the tutorial's own step as a
reader does (the contents pane's "The tutorial's path" narrows the page to those).</li>
</ul>
""",
    # Japanese has no spaces between words: a line break inside a paragraph would show as one.
    "ja": f"""
<h2>これは何か</h2>
<p>AWS のチュートリアル「Amazon SageMaker で機械学習モデルを構築、トレーニング、デプロイする」は、
銀行の顧客がマーケティングの電話のあとで定期預金に申し込むかどうかを予測するモデルを作る。
SageMaker 組み込みの XGBoost アルゴリズムを過去の 28,831 件の電話でトレーニングし、モデルを
エンドポイントでホストし、残り 12,357 件について予測させ、顧客が実際にどうしたかと比べる。
およそ 10 件に 9 件が当たる。日本語のブログ連載はこれを 7 つのステップで解説している。
このページは、そのステップをフィーチャ (feature) として書き、実行して確かめたものだ。</p>
<h2>データ</h2>
<p>UCI の <em>Bank Marketing</em> データ。ポルトガルの銀行のキャンペーン (2008〜2010 年) の
41,188 件の電話で、顧客の年齢、職業、接触の履歴、経済状況と、顧客が申し込んだかどうか
(<code>y</code>) を含む。チュートリアルは前処理済みの <code>bank_clean.csv</code>
(数値の 61 列) を使う。ライセンスは Creative Commons 表示 4.0 (CC BY 4.0)。出典:
S. Moro, P. Cortez and P. Rita, <em>A Data-Driven Approach to Predict the Success of Bank Telemarketing</em>, Decision Support Systems 62 (2014)。</p>
<h2>連載の記事</h2>
{_articles("ja")}
<h2>フィーチャの読み方</h2>
<ul>
<li><strong>フィーチャ</strong>は章であり、チュートリアルの 1 ステップにあたる。その文章は、
なぜそのステップがあり、注意しないと何がうまくいかないかを述べる。</li>
<li><strong>ルール</strong>はそのステップが約束することの一つで、<strong>シナリオ</strong>は
そのルールを実際の値で示す。<em>前提</em>が状況、<em>もし</em>が読者の操作、<em>ならば</em>が
読者の目にするものだ。<em>シナリオアウトライン</em>は<em>例</em>の表の行ごとに一度ずつ実行される。</li>
<li>各シナリオには今回の実行の結果が付く。<span class="badge passed">成功</span>、
<span class="badge failed">失敗</span> (失敗したステップと理由つき)、
<span class="badge skipped">スキップ</span> (理由つき)。実行で得られた数値も示す。</li>
<li>タグ: <code>@step-N</code> はチュートリアルのステップ、<code>@part-N</code> は記事。
<code>@real-data</code> は実データのファイルが必要、<code>@moto-only</code> はローカルの
AWS の代役を操作するので実アカウントではスキップされ、<code>@costly</code> は実アカウントで
課金される計算資源を起動する。<code>@tutorial</code> はチュートリアルの流れそのものを実行するシナリオで、
目次の「チュートリアルの流れ」で絞り込める。</li>
</ul>
<p class="note quoted">プログラムの出力 (エラーメッセージ、評価結果のブロック、コマンドの表示) は、
プログラムが表示するとおり英語のまま「」で引用している。</p>
""".replace("\n", ""),
}
