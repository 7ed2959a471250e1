# language: ja
@step-3f @part-6 @real-data @appendix
機能: UCI の生データファイルからチュートリアルのデータを作り直す
  チュートリアルがダウンロードする bank_clean.csv は、UCI の Bank Marketing データを AWS が
  前処理したものだ。記事は、生データファイル bank-additional-full.csv は使う前に前処理が要ると
  注意するものの、そのやり方は書いておらず、AWS も結果しか公開していない。ここでは生データ
  ファイルから、AWS のファイルとバイト単位で同じものを作り直す。pdays の 999 は「一度も連絡して
  いない」を表し、学生、退職者、失業者の顧客は「働いていない」とまとめ、カテゴリーはすべて 0/1 の
  列にし、通話時間と経済指標は外す。レシピが前提とするものと違う生データファイルは、何が違うかを
  名指しして拒否する。黙って 62 番目の列を作ったり、列をずらしたりはしない。

  ルール: UCI の生データファイルは、バイト単位でチュートリアルのファイルになる

    シナリオ: bank-additional-full.csv から、チュートリアルの URL にある sha1 のファイルができる
      前提UCI の生データファイル bank-additional-full.csv がある
      もしそこから bank_clean.csv を作り直す
      ならば作り直した bank_clean.csv の sha1 は 27f01fbbdf43271788427f3682996ae29ceca05d である
      かつ行数と列数は (41188, 61) だと表示される

  ルール: レシピが前提としない生データファイルは、何が違うかを名指しして拒否する

    シナリオ: チュートリアルにない職業は拒否される
      前提顧客一人の職業を astronaut に書き換えた UCI の生データファイルがある
      もしそこから bank_clean.csv を作り直す
      ならば「unknown value 'astronaut' in column 'job'」と表示される
      かつbank_clean.csv は書き出されない

    シナリオ: 前回のキャンペーンの結果がない生データファイルは拒否される
      前提poutcome 列を取り除いた UCI の生データファイルがある
      もしそこから bank_clean.csv を作り直す
      ならば「missing column 'poutcome'」と表示される
      かつbank_clean.csv は書き出されない

    シナリオ: レシピの知らない列がある生データファイルは拒否される
      前提余分な列 email を加えた UCI の生データファイルがある
      もしそこから bank_clean.csv を作り直す
      ならば「unknown column 'email'」と表示される
      かつbank_clean.csv は書き出されない

  ルール: すでにある bank_clean.csv を別のデータで置き換えるのは --force のときだけだ

    シナリオ: 別のデータを持つ bank_clean.csv は残され、作り直しは断られる
      前提UCI の生データファイル bank-additional-full.csv がある
      かつ別のデータを持つ bank_clean.csv がある
      もしそこから bank_clean.csv を作り直す
      ならば「already holds other data than this run would write」と表示される
      かつbank_clean.csv は元の別のデータのままだ
