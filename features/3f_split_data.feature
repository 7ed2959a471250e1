@step-3f @part-6
Feature: Split the data into a training part and a test part
  The model learns from 70% of the calls and is judged on the other 30%, calls it has
  never seen. The tutorial shuffles the rows with a fixed seed, 1729, and cuts them at
  int(0.7 × 41,188) with np.split. On pandas 3 that line returns two bare arrays with
  no column names, without a warning, and the next step fails on train_data['y_yes']
  with an IndexError. Here the split gives the tutorial's very rows, in its order, on
  today's pandas, so our results can be set beside the published ones.

  Rule: the data splits 70/30, as the notebook prints it

    @tutorial
    Scenario: the tutorial's data splits into 28,831 rows for training and 12,357 for testing
      Given the tutorial's data
      When I split the data
      Then I am shown "(28831, 61) (12357, 61)"

    Scenario: both parts keep the columns the next step picks the label from
      Given the tutorial's data
      When I split the data
      Then both parts have the columns y_no and y_yes

    Scenario: every row lands in exactly one part
      Given the tutorial's data
      When I split the data
      Then no row is in both parts
      And together the parts hold every row of the data

  Rule: the seed decides the split

    Scenario: the same seed splits the same way every time
      Given the tutorial's data
      When I split the data twice with seed 1729
      Then both splits are the same, row for row

    Scenario: another seed splits another way
      Given the tutorial's data
      When I split the data with seed 1729 and again with seed 42
      Then the two test parts hold different rows

  Rule: both parts get rows, or nothing is split

    Scenario Outline: a train fraction of <fraction> is refused
      Given the tutorial's data
      When I split the data with a train fraction of <fraction>
      Then I am told "<message>"
      And no part was written

      Examples:
        | fraction | message                                                                              |
        | 0        | the train fraction must be between 0 and 1 (both excluded), not 0                    |
        | 1        | the train fraction must be between 0 and 1 (both excluded), not 1                    |
        | 1.5      | the train fraction must be between 0 and 1 (both excluded), not 1.5                  |
        | -0.3     | the train fraction must be between 0 and 1 (both excluded), not -0.3                 |
        | 0.00002  | a train fraction of 0.00002 leaves the training part empty: int(0.00002 * 41188) = 0 |

  Rule: only the tutorial's data is split

    Scenario: data without its y_yes column is refused
      Given the tutorial's data without its y_yes column
      When I split the data
      Then I am told "missing y_yes"
      And no part was written

    Scenario: an empty file is refused
      Given an empty bank_clean.csv
      When I split the data
      Then I am told "bank_clean.csv is empty: nothing to split"
      And no part was written

    Scenario: a file with the header and no rows is refused
      Given a bank_clean.csv with the tutorial's header and no rows
      When I split the data
      Then I am told "bank_clean.csv has a header but no rows: nothing to split"
      And no part was written

  Rule: the test part is the tutorial's

    @real-data
    Scenario: the test part holds 10,936 calls that did not subscribe and 1,421 that did
      Given the tutorial's data
      When I split the data
      Then the test part holds 10936 "no" and 1421 "yes"
