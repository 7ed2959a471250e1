@step-3f @part-6 @real-data @appendix
Feature: Rebuild the tutorial's data from the raw UCI file
  The tutorial downloads bank_clean.csv, AWS's preprocessed copy of the UCI Bank
  Marketing data. The article warns that the raw file, bank-additional-full.csv, needs
  preprocessing before use, but not how, and AWS publishes only the result. Here the
  raw file becomes AWS's file byte for byte: pdays 999 means "never contacted", a
  student, retiree or unemployed client is "not working", every category becomes a 0/1
  column, and the call's duration and the economic indicators are left out. A raw file
  that differs from the one the recipe was made for is refused by name, rather than
  quietly giving a 62nd column or a misplaced one.

  Rule: the raw UCI file becomes the tutorial's file, byte for byte

    Scenario: bank-additional-full.csv becomes the file with the sha1 in the tutorial's URL
      Given the raw UCI file bank-additional-full.csv
      When I rebuild bank_clean.csv from it
      Then the rebuilt bank_clean.csv has sha1 27f01fbbdf43271788427f3682996ae29ceca05d
      And I am told it holds (41188, 61)

  Rule: a raw file the recipe was not made for is refused, naming what differs

    Scenario: a job the tutorial never saw is refused
      Given the raw UCI file with one client's job changed to astronaut
      When I rebuild bank_clean.csv from it
      Then I am told "unknown value 'astronaut' in column 'job'"
      And no bank_clean.csv was written

    Scenario: a raw file without the outcome of the last campaign is refused
      Given the raw UCI file without its poutcome column
      When I rebuild bank_clean.csv from it
      Then I am told "missing column 'poutcome'"
      And no bank_clean.csv was written

    Scenario: a raw file with a column the recipe does not know is refused
      Given the raw UCI file with an extra column email
      When I rebuild bank_clean.csv from it
      Then I am told "unknown column 'email'"
      And no bank_clean.csv was written

  Rule: a bank_clean.csv already there is replaced by other data only with --force

    Scenario: a bank_clean.csv holding other data is kept, and the rebuild refused
      Given the raw UCI file bank-additional-full.csv
      And a bank_clean.csv that holds other data
      When I rebuild bank_clean.csv from it
      Then I am told "already holds other data than this run would write"
      And bank_clean.csv still holds the other data
