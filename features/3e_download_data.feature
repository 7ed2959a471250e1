@step-3e @part-6
Feature: Download the data the model learns from
  The model learns from bank_clean.csv, AWS's preprocessed copy of the UCI bank
  marketing data. The tutorial fetches it with urlretrieve and reads whatever
  arrived: a transfer cut short, an HTML error page or a half-written file flows on
  into training and fails far from its cause, or trains on the wrong data. Its URL
  even names the file's sha1 (bank_clean.27f01fbbdf43271788427f3682996ae29ceca05d.csv)
  and nobody checks it. Here the download is checked against that sha1, takes its
  place only when complete, rides out a busy server, and is never made over plain
  http to another machine. Offline, a server on this machine stands in for the
  tutorial's, at the same path, so the same checks run. It serves the real file when
  it has it and synthetic data of the same shape when not, so every report says
  which of the two the data is, and a file already in the work folder is never
  swapped for other data without --force.

  Rule: the data is kept only when its sha1 matches the one its URL names

    @tutorial
    Scenario: the tutorial's data arrives and its checksum is verified
      Given the tutorial's data server
      When I download the data
      Then bank_clean.csv holds 41,188 rows and 61 columns
      And I am told the download's sha1 was verified

    Scenario: data whose checksum differs from the URL's is refused
      Given a data server whose file is not the one its URL names
      When I download the data
      Then I am told "bank_clean.csv failed verification"
      And no bank_clean.csv is left behind

    @real-data
    Scenario: the real file is the one the tutorial's URL names
      Given the tutorial's data server with the real data
      When I download the data
      Then the sha1 of bank_clean.csv is 27f01fbbdf43271788427f3682996ae29ceca05d
      And bank_clean.csv holds 41,188 rows and 61 columns

  Rule: a busy server is asked again; a missing file is not

    Scenario: a missing file fails at once
      Given a data server that answers 404 Not Found
      When I download the data
      Then I am told "the server answered 404 Not Found"
      And the server was asked once

    Scenario: a server that answers 503 twice is asked a third time
      Given a data server that answers 503 Service Unavailable twice, then sends the data
      When I download the data
      Then bank_clean.csv holds 41,188 rows and 61 columns
      And the server was asked 3 times

  Rule: a download either completes or leaves nothing behind

    Scenario: a transfer cut short leaves no file
      Given a data server that cuts every transfer short
      When I download the data
      Then I am told "the transfer was cut short"
      And no bank_clean.csv is left behind

    Scenario: a failed download leaves the good file already there as it was
      Given bank_clean.csv was downloaded and verified
      And the data server now cuts every transfer short
      When I download the data again, even though a verified copy is there
      Then I am told "the transfer was cut short"
      And bank_clean.csv is still the verified file

  Rule: what arrives must be the tutorial's CSV

    Scenario: an HTML page sent instead of the data is refused
      Given a data server that sends an HTML page instead of the data
      When I download the data
      Then I am told "the server sent an HTML page"
      And no bank_clean.csv is left behind

    Scenario: an HTML page saved as bank_clean.csv is not loaded as data
      Given a bank_clean.csv that is an HTML page
      When I load the data
      Then I am told "bank_clean.csv looks like an HTML page, not CSV"

  Rule: a verified copy is not downloaded again

    Scenario: a re-run reuses the verified file
      Given bank_clean.csv was downloaded and verified
      When I download the data again
      Then I am told the verified bank_clean.csv was reused
      And the server was asked once

  Rule: a file in the work folder is never replaced by other data without --force

    @real-data
    Scenario: the tutorial's real file in the work folder is kept, offline too
      Given the tutorial's real bank_clean.csv is in the work folder
      When I download the data again
      Then I am told the verified bank_clean.csv was reused
      And bank_clean.csv is still the verified file

    Scenario: a file of my own is not replaced by the download
      Given a bank_clean.csv of my own is in the work folder
      When I download the data
      Then I am told "pass --force to replace it"
      And I am told the sha1 of my file and of the data that would replace it
      And bank_clean.csv is still my own file

    Scenario: with --force the download replaces it
      Given the tutorial's data server
      And a bank_clean.csv of my own is in the work folder
      When I download the data with --force
      Then I am told the download's sha1 was verified

  Rule: the report says whether the data is the tutorial's real file or synthetic

    Scenario: synthetic data is reported as synthetic
      Given the offline data server with synthetic data
      When I download the data
      Then I am told the data is synthetic data with the tutorial's schema, not the real data

    @real-data
    Scenario: the real file is reported as the tutorial's real data
      Given the tutorial's data server with the real data
      When I download the data
      Then I am told the data is the tutorial's real data

  Rule: data comes over https, or over plain http from this machine only

    Scenario Outline: <url> is refused before any connection
      When I download the data from <url>
      Then I am told "<message>"
      And the download was refused before any connection

      Examples:
        | url                                    | message                                 |
        | http://d1.awsstatic.com/bank_clean.csv | refusing plain http to d1.awsstatic.com |
        | http://192.168.1.10/bank_clean.csv     | refusing plain http to 192.168.1.10     |
        | ftp://d1.awsstatic.com/bank_clean.csv  | is not an https URL                     |
